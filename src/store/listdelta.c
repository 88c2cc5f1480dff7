/* listdelta.c — store_app_list's filters and orders in C, for bringing a
 * remembered page up to date (see listdelta.h). */
#include "store/listdelta.h"

#include <string.h>

#include "store/rows.h"

int list_delta_supports(const struct app_filter *f)
{
	return !(f->q && *f->q);
}

static int has_tag(const struct application *app, const char *tag)
{
	char want[256], have[256]; /* the sizes the backends key tags with */
	rows_tag_key(tag, want, sizeof(want));
	for (size_t i = 0; i < app->n_tags; i++) {
		rows_tag_key(app->tags[i], have, sizeof(have));
		if (strcmp(want, have) == 0)
			return 1;
	}
	return 0;
}

int list_delta_matches(const struct app_filter *f, const struct application *app)
{
	if (f->status && (!app->status || strcmp(app->status, f->status) != 0))
		return 0;
	return !f->tag || has_tag(app, f->tag);
}

static int cmp_int(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Bytes compared with ASCII letters folded to lower case: lower() of
 * "C"-collated text on PostgreSQL, COLLATE NOCASE on SQLite. */
static int cmp_nocase(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)(a ? a : ""), *y = (const unsigned char *)(b ? b : "");
	for (;; x++, y++) {
		unsigned cx = *x >= 'A' && *x <= 'Z' ? *x + 32u : *x;
		unsigned cy = *y >= 'A' && *y <= 'Z' ? *y + 32u : *y;
		if (cx != cy || !cx)
			return (cx > cy) - (cx < cy);
	}
}

/* applied_on: dated rows first, then the dates as bytes. */
static int cmp_applied(const char *a, const char *b)
{
	if (!a || !b)
		return (a == NULL) - (b == NULL);
	int c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

int list_delta_order(enum app_sort sort, const struct application *a, const struct application *b)
{
	int c;
	switch (sort) {
	case APP_SORT_UPDATED_ASC:
		return (c = cmp_int(a->updated_at, b->updated_at)) ? c : cmp_int(a->id, b->id);
	case APP_SORT_CREATED_DESC:
		return (c = cmp_int(b->created_at, a->created_at)) ? c : cmp_int(b->id, a->id);
	case APP_SORT_CREATED_ASC:
		return (c = cmp_int(a->created_at, b->created_at)) ? c : cmp_int(a->id, b->id);
	case APP_SORT_COMPANY_ASC:
		return (c = cmp_nocase(a->company, b->company)) ? c : cmp_int(a->id, b->id);
	case APP_SORT_COMPANY_DESC:
		return (c = cmp_nocase(b->company, a->company)) ? c : cmp_int(b->id, a->id);
	case APP_SORT_PRIORITY_DESC:
		if ((c = cmp_int(b->priority, a->priority)))
			return c;
		return (c = cmp_int(b->updated_at, a->updated_at)) ? c : cmp_int(b->id, a->id);
	case APP_SORT_PRIORITY_ASC:
		if ((c = cmp_int(a->priority, b->priority)))
			return c;
		return (c = cmp_int(b->updated_at, a->updated_at)) ? c : cmp_int(b->id, a->id);
	case APP_SORT_APPLIED_DESC:
		if ((a->applied_on == NULL) != (b->applied_on == NULL))
			return cmp_applied(a->applied_on, b->applied_on);
		return (c = cmp_applied(b->applied_on, a->applied_on)) ? c : cmp_int(b->id, a->id);
	case APP_SORT_APPLIED_ASC:
		return (c = cmp_applied(a->applied_on, b->applied_on)) ? c : cmp_int(a->id, b->id);
	case APP_SORT_UPDATED_DESC:
	default: /* as the backends read an unknown sort */
		return (c = cmp_int(b->updated_at, a->updated_at)) ? c : cmp_int(b->id, a->id);
	}
}

static int written_since(const struct application *changed, size_t m, int64_t id)
{
	for (size_t i = 0; i < m; i++)
		if (changed[i].id == id)
			return 1;
	return 0;
}

int list_delta_apply(const struct app_filter *f, const struct application *base, size_t n,
		     const struct application *changed, size_t m, int64_t matching, struct arena *a,
		     struct application **out, size_t *out_n)
{
	if (matching < 0 || matching > rows_list_limit(f) || !list_delta_supports(f))
		return -1;
	struct application *page = arena_alloc_raw(a, (n + m ? n + m : 1) * sizeof(*page));
	if (!page)
		return -1;
	size_t k = 0;
	/* The rows not written since keep their order... */
	for (size_t i = 0; i < n; i++)
		if (!written_since(changed, m, base[i].id))
			page[k++] = base[i];
	/* ...and those written since that match go where the order puts them. */
	for (size_t i = 0; i < m; i++) {
		if (!list_delta_matches(f, &changed[i]))
			continue;
		size_t at = k;
		while (at > 0 && list_delta_order(f->sort, &changed[i], &page[at - 1]) < 0) {
			page[at] = page[at - 1];
			at--;
		}
		page[at] = changed[i];
		k++;
	}
	/* Every row left of the base still matches (a change would have named
	 * it), so more rows than match now means some were deleted. */
	if ((int64_t)k != matching)
		return -1;
	*out = page;
	*out_n = k;
	return 0;
}

#include "web/search_query.h"

#include "base/json_out.h"
#include "discover/hidden.h"
#include "scrape/posting.h"
#include "web/tracker_call.h"
#include "web/web.h"

static const char *request_param(void *req, const char *key)
{
	return http_query(req, key);
}

/* What the caller hid stays out of their results: the store's listing
 * cannot leave it out, so a search in the index answers instead. */
static int exclude_hidden(struct request *req, struct search_params *p)
{
	if (req->user.id <= 0)
		return 0;
	struct tracker_call call = tracker_call_of(req);
	if (hidden_search_exclude(&call, &p->req.filter.exclude)) {
		p->bad_field = NULL;
		snprintf(p->message, sizeof(p->message), "Your hidden postings could not be read; try again.");
		return -1;
	}
	if (p->req.filter.exclude)
		p->any_filter = true;
	return 0;
}

int search_query_parse(struct request *req, struct search_service *svc, int default_limit, struct search_params *p)
{
	if (search_params_parse(request_param, req, &req->arena, svc, default_limit, p))
		return -1;
	return exclude_hidden(req, p);
}

int search_hits_load(struct request *req, const struct search_result *res, struct store_posting **ps,
		     struct posting_source_group **ls)
{
	int64_t *ids = arena_alloc(&req->arena, (res->nhits + 1) * sizeof(*ids));
	if (!ids)
		return STORE_ERROR;
	for (size_t i = 0; i < res->nhits; i++)
		ids[i] = res->hits[i].posting_id;
	return store_posting_get_many(req->web->store, ids, res->nhits, &req->arena, ps, ls);
}

int search_query_canonical(struct request *req, struct buf *out)
{
	return search_params_canonical(request_param, req, out);
}

char *search_cursor_format(struct request *req, const struct search_cursor *c)
{
	if (!c->set)
		return NULL;
	char text[SEARCH_CURSOR_MAX];
	search_cursor_text(c, text);
	return arena_strdup(&req->arena, text);
}

static void counts_json(struct buf *b, const struct facet_count *c, size_t n)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, c[i].value);
		buf_printf(b, ":%u", c[i].count);
	}
	buf_putc(b, '}');
}

void search_facets_json(struct buf *b, const struct search_facets *f)
{
	buf_puts(b, "{\"workplace\":{");
	int first = 1;
	for (int w = WORKPLACE_ONSITE; w <= WORKPLACE_REMOTE; w++) {
		if (!f->workplace[w])
			continue;
		buf_printf(b, "%s\"%s\":%u", first ? "" : ",", workplace_name((enum workplace)w), f->workplace[w]);
		first = 0;
	}
	buf_puts(b, "},\"employment_type\":{");
	first = 1;
	for (int i = 0; i < EMPLOYMENT_TYPE_COUNT; i++) {
		if (!f->employment_type[i])
			continue;
		buf_printf(b, "%s\"%s\":%u", first ? "" : ",", employment_type_name((enum employment_type)(1u << i)),
			   f->employment_type[i]);
		first = 0;
	}
	buf_puts(b, "},\"country\":");
	counts_json(b, f->country, f->ncountry);
	buf_puts(b, ",\"source\":");
	counts_json(b, f->source, f->nsource);
	buf_puts(b, ",\"company\":");
	counts_json(b, f->company, f->ncompany);
	buf_puts(b, ",\"city\":");
	counts_json(b, f->city, f->ncity);
	/* Bands keyed by the filter value that selects them (cumulative). */
	buf_puts(b, ",\"min_salary\":{");
	for (int i = 0; i < SEARCH_SALARY_BANDS; i++)
		buf_printf(b, "%s\"%.0f\":%u", i ? "," : "", search_salary_bands[i], f->salary[i]);
	buf_printf(b, "},\"no_salary\":%u,\"posted_within_days\":{", f->salary_none);
	for (int i = 0; i < SEARCH_POSTED_BANDS; i++)
		buf_printf(b, "%s\"%d\":%u", i ? "," : "", search_posted_bands[i], f->posted_within[i]);
	buf_printf(b, "},\"status\":{\"open\":%u,\"closed\":%u}", f->status[0], f->status[1]);
	buf_putc(b, '}');
}

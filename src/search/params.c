#include "search/params.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "scrape/posting.h"

#define FILTER_TEXT_MAX 200 /* country, city, source, company, currency */

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int bad(struct search_params *p, const char *field, const char *msg)
{
	p->bad_field = field;
	snprintf(p->message, sizeof(p->message), "%s", msg);
	return -1;
}

/* A short text filter, or NULL; -1 when too long. */
static int text_filter(search_param_fn *get, void *ctx, const char *key, const char **out)
{
	*out = nonempty(get(ctx, key));
	return *out && strlen(*out) > FILTER_TEXT_MAX ? -1 : 0;
}

/* Comma-separated names into bits; -1 for an unknown one. */
static int workplaces_of(const char *v, unsigned *bits)
{
	char part[16];
	for (const char *s = v; *s;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		enum workplace w;
		if (n == 0 || n >= sizeof(part))
			return -1;
		memcpy(part, s, n);
		part[n] = '\0';
		if (workplace_from_name(part, &w) || w == WORKPLACE_UNKNOWN)
			return -1;
		*bits |= 1u << w;
		s += n + (e ? 1 : 0);
	}
	return 0;
}

static int employment_types_of(const char *v, unsigned *bits)
{
	char part[24];
	for (const char *s = v; *s;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || n >= sizeof(part))
			return -1;
		memcpy(part, s, n);
		part[n] = '\0';
		unsigned found = 0;
		for (int i = 0; i < EMPLOYMENT_TYPE_COUNT && !found; i++)
			if (strcasecmp(part, employment_type_name((enum employment_type)(1u << i))) == 0)
				found = 1u << i;
		if (!found)
			return -1;
		*bits |= found;
		s += n + (e ? 1 : 0);
	}
	return 0;
}

/* The weights after '~' (search_cursor_text); -1 when malformed. A
 * cursor comes from outside: every number is checked to be one the index
 * could have made. */
static int parse_weights(const char *v, struct search_weights *w)
{
	char *end;
	unsigned long long n;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end != ',' || n > UINT32_MAX || v[0] == '-')
		return -1;
	w->docs = (uint32_t)n;
	v = end + 1;
	for (int i = 0; i < FIELD_COUNT; i++) {
		errno = 0;
		float f = strtof(v, &end);
		if (errno || end == v || !isfinite(f) || f < 0 || f > 1e9f || (*end != ',' && *end))
			return -1;
		w->avg_len[i] = f;
		v = *end ? end + 1 : end;
		if (!*end && i + 1 < FIELD_COUNT)
			return -1;
	}
	w->nterms = 0;
	while (*v) {
		if (w->nterms == QUERY_MAX_TERMS || *v < '0' || *v > '9')
			return -1;
		errno = 0;
		n = strtoull(v, &end, 10);
		if (errno || n > UINT32_MAX || (*end != ',' && *end))
			return -1;
		w->df[w->nterms++] = (uint32_t)n;
		v = *end ? end + 1 : end;
	}
	w->set = true;
	return 0;
}

static int parse_cursor(const char *v, struct search_cursor *c)
{
	if (v[0] != 'i')
		return -1;
	memset(c, 0, sizeof(*c));
	const char *tilde = strchr(v, '~');
	size_t vlen = tilde ? (size_t)(tilde - v) : strlen(v);
	if (tilde && parse_weights(tilde + 1, &c->weights))
		return -1;
	char head[64];
	if (vlen >= sizeof(head))
		return -1;
	memcpy(head, v, vlen);
	head[vlen] = '\0';
	const char *sep = strrchr(head, '_');
	if (!sep || sep == head + 1)
		return -1;
	char key[40];
	size_t n = (size_t)(sep - (head + 1));
	if (n >= sizeof(key))
		return -1;
	memcpy(key, head + 1, n);
	key[n] = '\0';
	char *end;
	errno = 0;
	double k = strtod(key, &end);
	long id;
	if (errno || *end || !isfinite(k) || text_parse_long(sep + 1, 1, LONG_MAX, &id))
		return -1;
	c->set = true;
	c->key = k;
	c->posting_id = id;
	return 0;
}

void search_cursor_text(const struct search_cursor *c, char out[SEARCH_CURSOR_MAX])
{
	int n = snprintf(out, SEARCH_CURSOR_MAX, "i%.17g_%lld", c->key, (long long)c->posting_id);
	const struct search_weights *w = &c->weights;
	if (!w->set || n < 0)
		return;
	n += snprintf(out + n, SEARCH_CURSOR_MAX - (size_t)n, "~%u", w->docs);
	for (int i = 0; i < FIELD_COUNT; i++)
		n += snprintf(out + n, SEARCH_CURSOR_MAX - (size_t)n, ",%.9g", (double)w->avg_len[i]);
	for (uint32_t i = 0; i < w->nterms && i < QUERY_MAX_TERMS; i++)
		n += snprintf(out + n, SEARCH_CURSOR_MAX - (size_t)n, ",%u", w->df[i]);
}

int search_params_parse(search_param_fn *get, void *ctx, struct arena *a, struct search_service *svc, int default_limit,
			struct search_params *p)
{
	memset(p, 0, sizeof(*p));
	struct search_request *r = &p->req;
	struct search_filter *f = &r->filter;
	r->limit = default_limit;
	r->facets = true;
	const char *v;
	long n;

	if ((v = nonempty(get(ctx, "limit")))) {
		if (text_parse_long(v, 1, SEARCH_QUERY_LIMIT_MAX, &n))
			return bad(p, "limit", "limit must be a whole number from 1 to 200.");
		r->limit = (int)n;
	}
	if ((v = nonempty(get(ctx, "offset")))) {
		if (text_parse_long(v, 0, SEARCH_MAX_WINDOW, &n))
			return bad(p, "offset", "offset must be a whole number from 0 to 1000.");
		r->offset = (int)n;
	}
	if (r->offset + r->limit > SEARCH_MAX_WINDOW)
		return bad(p, "offset", "offset + limit may be at most 1000; use cursor to go further.");
	if ((v = nonempty(get(ctx, "cursor"))) && v[0] == 'i') {
		if (parse_cursor(v, &r->after))
			return bad(p, "cursor", "cursor must be a next_cursor value from an earlier page.");
		p->any_filter = true;
	}

	if ((v = nonempty(get(ctx, "status")))) {
		if (strcmp(v, "open") == 0)
			f->closed = SEARCH_OPEN_ONLY;
		else if (strcmp(v, "closed") == 0)
			f->closed = SEARCH_CLOSED_ONLY;
		else if (strcmp(v, "all") == 0)
			f->closed = SEARCH_OPEN_AND_CLOSED;
		else
			return bad(p, "status", "status must be open, closed or all.");
		p->closed_given = true;
		if (f->closed == SEARCH_CLOSED_ONLY)
			p->any_filter = true;
	} else if ((v = nonempty(get(ctx, "include_closed")))) {
		if (strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "1") && strcmp(v, "0"))
			return bad(p, "include_closed", "include_closed must be true or false.");
		f->closed = strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ? SEARCH_OPEN_AND_CLOSED : SEARCH_OPEN_ONLY;
		p->closed_given = true;
	}

	if ((v = nonempty(get(ctx, "workplace")))) {
		if (workplaces_of(v, &f->workplaces))
			return bad(p, "workplace",
				   "workplace must be remote, hybrid or onsite (comma-separated for several).");
		p->any_filter = true;
	}
	if ((v = nonempty(get(ctx, "employment_type")))) {
		if (employment_types_of(v, &f->employment_types))
			return bad(p, "employment_type",
				   "employment_type must be FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, "
				   "VOLUNTEER, PER_DIEM or OTHER (comma-separated for several).");
		p->any_filter = true;
	}
	if ((v = nonempty(get(ctx, "min_salary")))) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (errno || *end || !isfinite(d) || d < 0 || d > 1e9)
			return bad(p, "min_salary", "min_salary must be a yearly amount from 0 to 1000000000.");
		f->min_salary = d;
		p->any_filter = true;
	}
	if ((v = nonempty(get(ctx, "posted_within_days")))) {
		if (text_parse_long(v, 1, 3650, &n))
			return bad(p, "posted_within_days",
				   "posted_within_days must be a whole number from 1 to 3650.");
		f->posted_within_days = (int)n;
		p->any_filter = true;
	}
	f->today = (int32_t)(time(NULL) / 86400); /* the posted-within facet counts from it too */
	static const char *const text_keys[] = { "country", "city", "source", "company", "currency" };
	const char **text_dst[] = { &f->country, &f->city, &f->source, &f->company, &f->currency };
	for (size_t i = 0; i < sizeof(text_keys) / sizeof(text_keys[0]); i++) {
		if (text_filter(get, ctx, text_keys[i], text_dst[i]))
			return bad(p, text_keys[i], "this filter may be at most 200 bytes.");
		if (*text_dst[i])
			p->any_filter = true;
	}
	if ((v = nonempty(get(ctx, "sort")))) {
		if (strcmp(v, "relevance") == 0)
			r->sort = SEARCH_SORT_RELEVANCE;
		else if (strcmp(v, "date") == 0)
			r->sort = SEARCH_SORT_DATE;
		else if (strcmp(v, "salary") == 0)
			r->sort = SEARCH_SORT_SALARY;
		else
			return bad(p, "sort", "sort must be relevance, date or salary.");
		p->sort_given = true;
		p->any_filter = true;
	}

	p->q = nonempty(get(ctx, "q"));
	if (p->q) {
		size_t len = strlen(p->q);
		if (len > QUERY_MAX_BYTES)
			return bad(p, "q", "The search may be at most 1024 bytes long.");
		if (svc) {
			struct query_error err = { 0 };
			if (search_service_parse(svc, p->q, len, a, &p->query, &err)) {
				p->bad_field = "q";
				snprintf(p->message, sizeof(p->message), "%s (at character %zu)", err.message,
					 err.offset + 1);
				return -1;
			}
		}
	}
	if (!p->sort_given)
		r->sort = query_scores(&p->query) ? SEARCH_SORT_RELEVANCE : SEARCH_SORT_DATE;
	r->query = &p->query;
	return 0;
}

/* ---- a stored query string ---------------------------------------------------------- */

/* The parameters a saved search keeps: what selects postings, and the order.
 * Paging (cursor, offset, limit) belongs to one look, not to the search. */
static const char *const kept_keys[] = { "q",          "workplace", "employment_type",
					 "min_salary", "currency",  "posted_within_days",
					 "country",    "city",      "source",
					 "company",    "status",    "sort" };

struct kv_list {
	const char *key[SEARCH_PARAMS_MAX_PAIRS];
	const char *value[SEARCH_PARAMS_MAX_PAIRS];
	size_t n;
};

static const char *kv_get(void *ctx, const char *key)
{
	struct kv_list *l = ctx;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->key[i], key) == 0)
			return l->value[i];
	return NULL;
}

/* Percent-decodes s[0..n) ('+' is a space) into the arena; NULL when an
 * escape is malformed or the result is not UTF-8 without NUL. */
static char *url_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc_raw(a, n + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[k++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int h = text_hex_digit((unsigned char)s[i + 1]), l = text_hex_digit((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			out[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	if (memchr(out, '\0', k) || !text_utf8_valid(out, k))
		return NULL;
	return out;
}

static int split_pairs(const char *qs, struct arena *a, struct kv_list *l)
{
	l->n = 0;
	for (const char *s = qs; *s;) {
		const char *amp = strchr(s, '&');
		size_t n = amp ? (size_t)(amp - s) : strlen(s);
		if (n) {
			const char *eq = memchr(s, '=', n);
			size_t kn = eq ? (size_t)(eq - s) : n;
			if (l->n == SEARCH_PARAMS_MAX_PAIRS)
				return -1;
			char *k = url_decode(a, s, kn);
			char *v = eq ? url_decode(a, eq + 1, n - kn - 1) : arena_strdup(a, "");
			if (!k || !v)
				return -1;
			l->key[l->n] = k;
			l->value[l->n++] = v;
		}
		s += n + (amp ? 1 : 0);
	}
	return 0;
}

int search_params_from_string(const char *qs, struct arena *a, struct search_service *svc, int default_limit,
			      struct search_params *p)
{
	struct kv_list *l = arena_alloc(a, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (strlen(qs) > SEARCH_PARAMS_MAX_STRING || split_pairs(qs, a, l)) {
		memset(p, 0, sizeof(*p));
		p->bad_field = "query";
		snprintf(p->message, sizeof(p->message),
			 "The search must be a query string such as q=rust&workplace=remote, at most %d bytes.",
			 SEARCH_PARAMS_MAX_STRING);
		return -1;
	}
	return search_params_parse(kv_get, l, a, svc, default_limit, p);
}

static void put_escaped(struct buf *b, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		    *c == '_' || *c == '.' || *c == '~' || *c == ',')
			buf_putc(b, (char)*c);
		else
			buf_printf(b, "%%%02X", *c);
	}
}

int search_params_canonical(search_param_fn *get, void *ctx, struct buf *out)
{
	for (size_t i = 0; i < sizeof(kept_keys) / sizeof(kept_keys[0]); i++) {
		const char *v = nonempty(get(ctx, kept_keys[i]));
		if (!v)
			continue;
		buf_printf(out, "%s%s=", out->len ? "&" : "", kept_keys[i]);
		put_escaped(out, v);
	}
	return buf_failed(out);
}

int search_params_canonical_string(const char *qs, struct arena *a, struct buf *out)
{
	struct kv_list *l = arena_alloc(a, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (strlen(qs) > SEARCH_PARAMS_MAX_STRING || split_pairs(qs, a, l))
		return -EINVAL;
	return search_params_canonical(kv_get, l, out);
}

#include "web/search_query.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/json_out.h"
#include "base/text.h"
#include "discover/hidden.h"
#include "scrape/posting.h"
#include "web/tracker_call.h"
#include "web/web.h"

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
static int text_filter(search_param_fn get, void *ctx, const char *key, const char **out)
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

static int parse_cursor(const char *v, struct search_cursor *c)
{
	if (v[0] != 'i')
		return -1;
	const char *sep = strrchr(v, '_');
	if (!sep || sep == v + 1)
		return -1;
	char key[40];
	size_t n = (size_t)(sep - (v + 1));
	if (n >= sizeof(key))
		return -1;
	memcpy(key, v + 1, n);
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

/* What the caller hid stays out of their results: the store's listing
 * cannot leave it out, so a search in the index answers instead. */
static int exclude_hidden(struct request *req, struct search_params *p)
{
	if (req->user.id <= 0)
		return 0;
	struct tracker_call call = tracker_call_of(req);
	if (hidden_search_exclude(&call, &p->req.filter.exclude))
		return bad(p, NULL, "Your hidden postings could not be read; try again.");
	if (p->req.filter.exclude)
		p->any_filter = true;
	return 0;
}

static const char *from_request(void *ctx, const char *key)
{
	return http_query(ctx, key);
}

int search_query_parse(struct request *req, struct search_service *svc, int default_limit, struct search_params *p)
{
	if (search_query_parse_from(from_request, req, &req->arena, svc, default_limit, p))
		return -1;
	return exclude_hidden(req, p);
}

int search_query_parse_from(search_param_fn get, void *ctx, struct arena *a, struct search_service *svc,
			    int default_limit, struct search_params *p)
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
		f->today = (int32_t)(time(NULL) / 86400);
		p->any_filter = true;
	}
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
		r->sort = p->query.root ? SEARCH_SORT_RELEVANCE : SEARCH_SORT_DATE;
	r->query = &p->query;
	return 0;
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

char *search_cursor_format(struct request *req, const struct search_cursor *c)
{
	if (!c->set)
		return NULL;
	return arena_printf(&req->arena, "i%.17g_%lld", c->key, (long long)c->posting_id);
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
	buf_putc(b, '}');
}

/* /api/v1/analytics/market/… — the job market's figures as JSON (rules in
 * analytics/market.h). This file reads the query, asks for the figure and
 * writes it out. The market is instance-wide, so bodies are cached under
 * user 0 and the market's generation: worked out once per change of the
 * postings (and per day, which the key holds), not once per request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/market.h"
#include "analytics/market_query.h"
#include "base/json_out.h"
#include "base/text.h"
#include "base/timefmt.h"
#include "search/service.h"
#include "web/api/figures.h"
#include "web/handlers.h"
#include "web/response_cache.h"
#include "web/web.h"

#define TEXT_MAX 200 /* bytes of a title or location query */

enum market_fig { MK_SKILLS, MK_SALARY, MK_SOURCES, MK_DAILY, MK_REMOTE };
const char *const market_figure_names[MARKET_FIGURES] = { "skills", "salary", "sources", "daily", "remote" };

struct market_params {
	long weeks, top, days, bins;
	const char *title, *location; /* NULL: any */
	int32_t today;
};

static void put_num(struct buf *b, double v)
{
	buf_printf(b, "%.15g", v);
}

static void put_day(struct buf *b, int32_t day)
{
	char d[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)day * 86400, d);
	json_out_string(b, d);
}

static void put_share(struct buf *b, int64_t part, int64_t whole)
{
	if (whole)
		buf_printf(b, "%.4f", (double)part / (double)whole);
	else
		buf_puts(b, "null");
}

static int put_skills(struct request *req, const struct market_params *p, struct buf *b)
{
	struct market_skills s;
	int rc = market_skills(req->web->market, p->today, (int)p->weeks, (int)p->top, &req->arena, &s);
	if (rc)
		return rc;
	buf_puts(b, "{\"weeks\":[");
	for (int w = 0; w < s.weeks; w++) {
		buf_puts(b, w ? ",{\"week\":" : "{\"week\":");
		put_day(b, s.first_week + w * 7);
		JSON_OUT_KEY(b, "postings");
		json_out_int(b, s.postings[w]);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"postings\":");
	json_out_int(b, s.total);
	buf_puts(b, ",\"skills\":[");
	for (size_t i = 0; i < s.n; i++) {
		const struct market_skill *k = &s.skills[i];
		buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
		json_out_string(b, k->id);
		JSON_OUT_KEY(b, "name");
		json_out_string(b, k->name);
		JSON_OUT_KEY(b, "category");
		json_out_string(b, k->category);
		JSON_OUT_KEY(b, "postings");
		json_out_int(b, k->total);
		JSON_OUT_KEY(b, "share");
		put_share(b, k->total, s.total);
		buf_puts(b, ",\"weekly\":[");
		for (int w = 0; w < s.weeks; w++) {
			if (w)
				buf_putc(b, ',');
			json_out_int(b, k->weekly[w]);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}");
	return 0;
}

/* ---- salaries: the postings a title/location query matches --------------------- */

struct id_list {
	int64_t *ids;
	size_t n, cap;
	int failed;
};

static void collect(void *ctx, int64_t id)
{
	struct id_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		int64_t *ids = realloc(l->ids, cap * sizeof(*ids));
		if (!ids) {
			l->failed = 1;
			return;
		}
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
}

/* The ids of open postings matching the query into l; 0, -EAGAIN (index
 * not ready), -EINVAL (a query the parser refused), or -ENOMEM. */
static int matching_ids(struct request *req, const struct market_params *p, struct id_list *l)
{
	struct search_service *svc = req->web->search;
	if (!svc)
		return -EAGAIN;
	struct buf text;
	buf_init(&text, 2 * TEXT_MAX + 64);
	market_query_text(p->title, p->location, &text);
	struct query q;
	struct query_error qerr;
	int rc = buf_failed(&text) ? -ENOMEM : search_service_parse(svc, text.data, text.len, &req->arena, &q, &qerr);
	buf_free(&text);
	if (rc)
		return rc;
	struct search_request sr = { .query = &q, .limit = 1, .each = collect, .each_ctx = l };
	sr.filter.closed = SEARCH_OPEN_ONLY;
	struct search_result res;
	rc = search_service_search(svc, &sr, &req->arena, &res);
	return rc ? rc : l->failed ? -ENOMEM : 0;
}

static int put_salary(struct request *req, const struct market_params *p, struct buf *b)
{
	struct id_list l = { 0 };
	int rc = 0;
	if (p->title || p->location)
		rc = matching_ids(req, p, &l);
	/* A query matching nothing keeps to no posting (NULL would be all). */
	static const int64_t none = 0;
	const int64_t *only = !(p->title || p->location) ? NULL : l.ids ? l.ids : &none;
	struct market_salary s;
	if (rc == 0)
		rc = market_salary(req->web->market, only, l.n, (int)p->bins, &req->arena, &s);
	free(l.ids);
	if (rc)
		return rc;
	buf_puts(b, "{\"title\":");
	json_out_string(b, p->title);
	JSON_OUT_KEY(b, "location");
	json_out_string(b, p->location);
	JSON_OUT_KEY(b, "postings");
	json_out_int(b, s.postings);
	JSON_OUT_KEY(b, "with_salary");
	json_out_int(b, s.with_salary);
	buf_puts(b, ",\"currencies\":[");
	for (size_t i = 0; i < s.n; i++) {
		const struct market_salary_currency *c = &s.currencies[i];
		buf_puts(b, i ? ",{\"currency\":" : "{\"currency\":");
		json_out_string(b, c->currency);
		JSON_OUT_KEY(b, "count");
		json_out_int(b, c->count);
		const double v[] = { c->min, c->p10, c->p25, c->p50, c->p75, c->p90, c->max };
		const char *names[] = { "min", "p10", "p25", "p50", "p75", "p90", "max" };
		for (int k = 0; k < 7; k++) {
			json_out_key(b, names[k], 0);
			put_num(b, v[k]);
		}
		buf_puts(b, ",\"histogram\":[");
		for (int k = 0; k < c->nbins; k++) {
			buf_puts(b, k ? ",{\"from\":" : "{\"from\":");
			put_num(b, c->bin_start + k * c->bin_width);
			JSON_OUT_KEY(b, "to");
			put_num(b, c->bin_start + (k + 1) * c->bin_width);
			JSON_OUT_KEY(b, "count");
			json_out_int(b, c->bins[k]);
			buf_putc(b, '}');
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}");
	return 0;
}

/* ---- volume: sources, days, workplaces ------------------------------------------ */

static int put_volume(struct request *req, const struct market_params *p, enum market_fig fig, struct buf *b)
{
	struct market_volume v;
	int rc = market_volume(req->web->market, p->today, (int)p->days, &req->arena, &v);
	if (rc)
		return rc;
	buf_puts(b, "{\"postings\":");
	json_out_int(b, v.postings);
	JSON_OUT_KEY(b, "open");
	json_out_int(b, v.open);
	if (fig == MK_SOURCES) {
		buf_puts(b, ",\"sources\":[");
		for (size_t i = 0; i < v.n_sources; i++) {
			buf_puts(b, i ? ",{\"source\":" : "{\"source\":");
			json_out_string(b, v.sources[i].source);
			JSON_OUT_KEY(b, "postings");
			json_out_int(b, v.sources[i].postings);
			JSON_OUT_KEY(b, "open");
			json_out_int(b, v.sources[i].open);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	} else if (fig == MK_DAILY) {
		buf_puts(b, ",\"days\":[");
		for (size_t i = 0; i < v.n_days; i++) {
			buf_puts(b, i ? ",{\"day\":" : "{\"day\":");
			put_day(b, v.days[i].day);
			JSON_OUT_KEY(b, "postings");
			json_out_int(b, v.days[i].postings);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	} else {
		static const char *names[4] = { "unknown", "onsite", "hybrid", "remote" };
		buf_puts(b, ",\"workplaces\":[");
		for (int w = 0; w < 4; w++) {
			buf_puts(b, w ? ",{\"workplace\":" : "{\"workplace\":");
			json_out_string(b, names[w]);
			JSON_OUT_KEY(b, "postings");
			json_out_int(b, v.remote.workplace[w]);
			JSON_OUT_KEY(b, "share");
			put_share(b, v.remote.workplace[w], v.remote.open);
			buf_putc(b, '}');
		}
		buf_puts(b, "],\"remote_share\":");
		put_share(b, v.remote.workplace[3], v.remote.open);
	}
	buf_putc(b, '}');
	return 0;
}

/* ---- the query and the answer ------------------------------------------------------ */

/* A text parameter: NULL when absent or blank; -1 when too long. */
static int text_param(struct request *req, const char *name, const char **out)
{
	const char *v = http_query(req, name);
	*out = NULL;
	if (!v)
		return 0;
	if (strlen(v) > TEXT_MAX)
		return -1;
	for (const char *c = v; *c; c++)
		if (*c != ' ' && *c != '\t') {
			*out = v;
			break;
		}
	return 0;
}

/* 0, or -1 with *field and *message. */
static int read_params(struct request *req, struct market_params *p, const char **field, const char **message)
{
	struct {
		const char *name;
		long *v, dflt, max;
		const char *msg;
	} nums[] = {
		{ "weeks", &p->weeks, 12, MARKET_WEEKS_MAX, "weeks must be a whole number from 1 to 104." },
		{ "top", &p->top, 15, MARKET_TOP_MAX, "top must be a whole number from 1 to 100." },
		{ "days", &p->days, 30, MARKET_DAYS_MAX, "days must be a whole number from 1 to 366." },
		{ "bins", &p->bins, 10, MARKET_BINS_MAX, "bins must be a whole number from 1 to 50." },
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		*nums[i].v = nums[i].dflt;
		const char *s = http_query(req, nums[i].name);
		if (s && *s && text_parse_long(s, 1, nums[i].max, nums[i].v)) {
			*field = nums[i].name;
			*message = nums[i].msg;
			return -1;
		}
	}
	if (text_param(req, "title", &p->title) || text_param(req, "location", &p->location)) {
		*field = p->title ? "location" : "title";
		*message = "title and location may be at most 200 bytes each.";
		return -1;
	}
	p->today = (int32_t)(time(NULL) / 86400);
	return 0;
}

/* Figure fig's JSON into b: from the cache, or worked out and cached. 0,
 * -EAGAIN (not ready), -EINVAL (a title or location the search refused),
 * or -ENOMEM. */
static int figure_json(struct request *req, enum market_fig fig, const struct market_params *p, struct buf *b)
{
	struct market *mk = req->web->market;
	if (!mk || !req->web->search || !search_service_ready(req->web->search))
		return -EAGAIN;
	/* Only the parameters a figure reads go into its key. */
	uint64_t gen = market_generation(mk);
	const char *key = arena_printf(&req->arena, "market\x1f%d\x1f%ld\x1f%ld\x1f%ld\x1f%s\x1f%s\x1f%ld", (int)fig,
				       fig == MK_SKILLS  ? p->weeks
				       : fig == MK_DAILY ? p->days
							 : 0L,
				       fig == MK_SKILLS ? p->top : 0L, fig == MK_SALARY ? p->bins : 0L,
				       fig == MK_SALARY && p->title ? p->title : "",
				       fig == MK_SALARY && p->location ? p->location : "",
				       fig == MK_SKILLS || fig == MK_DAILY ? (long)p->today : 0L);
	if (key && response_cache_get(0, (int64_t)gen, key, b))
		return 0;
	int rc = fig == MK_SKILLS   ? put_skills(req, p, b)
		 : fig == MK_SALARY ? put_salary(req, p, b)
				    : put_volume(req, p, fig, b);
	if (rc == -E2BIG)
		rc = -EINVAL;
	if (rc == 0 && buf_failed(b))
		rc = -ENOMEM;
	if (rc == 0 && key)
		response_cache_put(0, (int64_t)gen, key, b->data, b->len);
	return rc;
}

static const char *const not_searchable = "The title or location could not be searched for: use plain words.";

int api_market_json(struct request *req, struct buf out[MARKET_FIGURES], const char **field, const char **message)
{
	struct market_params p;
	if (read_params(req, &p, field, message))
		return -EINVAL;
	for (int fig = 0; fig < MARKET_FIGURES; fig++) {
		int rc = figure_json(req, (enum market_fig)fig, &p, &out[fig]);
		if (rc == -EINVAL) {
			*field = p.title ? "title" : "location";
			*message = not_searchable;
		}
		if (rc)
			return rc;
	}
	return 0;
}

static void answer(struct request *req, enum market_fig fig)
{
	struct market_params p;
	const char *field, *message;
	if (read_params(req, &p, &field, &message)) {
		resp_error(req, 400, "bad_query", message, field);
		return;
	}
	resp_header(req, "Cache-Control", "private, no-cache");
	int rc = figure_json(req, fig, &p, &req->out);
	if (rc == 0) {
		resp_json(req, 200);
		return;
	}
	buf_reset(&req->out);
	if (rc == -EINVAL) {
		resp_error(req, 400, "bad_query", not_searchable, p.title ? "title" : "location");
		return;
	}
	resp_header(req, "Retry-After", "1");
	if (rc == -EAGAIN)
		resp_error(req, 503, "market_starting", "The postings are still being read; try again shortly.", NULL);
	else
		resp_error(req, 503, "busy", "The market figures are not available right now; try again shortly.",
			   NULL);
}

/* GET /api/v1/analytics/market/skills?weeks=&top= */
void api_market_skills(struct request *req)
{
	answer(req, MK_SKILLS);
}

/* GET /api/v1/analytics/market/salary?title=&location=&bins= */
void api_market_salary(struct request *req)
{
	answer(req, MK_SALARY);
}

/* GET /api/v1/analytics/market/sources */
void api_market_sources(struct request *req)
{
	answer(req, MK_SOURCES);
}

/* GET /api/v1/analytics/market/daily?days= */
void api_market_daily(struct request *req)
{
	answer(req, MK_DAILY);
}

/* GET /api/v1/analytics/market/remote */
void api_market_remote(struct request *req)
{
	answer(req, MK_REMOTE);
}

/* /api/v1/analytics/… — the dashboard's numbers as JSON. The figures are
 * analytics/'s (rules in analytics.h); this file reads the query, asks for
 * them and writes them out (for the dashboard page too: web/api/figures.h).
 * Bodies are kept in the response cache under the user's data version: a
 * request that reads the data caches all four figures, so a dashboard asking
 * for them together reads the store once, and one reloaded without changes
 * not at all. */
#include <stdio.h>
#include <string.h>

#include "analytics/analytics.h"
#include "base/json_out.h"
#include "base/text.h"
#include "tracker/status.h"
#include "web/api/figures.h"
#include "web/handlers.h"
#include "web/response_cache.h"
#include "web/web.h"

enum figure { FIG_FUNNEL, FIG_RESPONSES, FIG_ACTIVITY, FIG_PIPELINE };
const char *const analytics_figure_names[ANALYTICS_FIGURES] = { "funnel", "responses", "activity", "pipeline" };

/* A share as a JSON number (4 decimals), or null. */
static void put_rate(struct buf *b, double rate, int valid)
{
	if (valid)
		buf_printf(b, "%.4f", rate);
	else
		buf_puts(b, "null");
}

static void put_funnel(struct buf *b, const struct analytics_data *d)
{
	struct analytics_funnel fu;
	analytics_funnel(d, &fu);
	buf_puts(b, "{\"stages\":[");
	for (int s = 0; s < ANALYTICS_STAGES; s++) {
		buf_puts(b, s ? ",{\"status\":" : "{\"status\":");
		json_out_string(b, status_names[s]);
		JSON_OUT_KEY(b, "label");
		json_out_string(b, status_labels[s]);
		JSON_OUT_KEY(b, "count");
		json_out_int(b, fu.count[s]);
		/* The share of the previous stage's applications that got here. */
		JSON_OUT_KEY(b, "conversion");
		put_rate(b, s ? fu.rate[s - 1] : 0, s && fu.has_rate[s - 1]);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}

static void put_group(struct buf *b, const char *key_name, const struct analytics_responses_group *g)
{
	buf_putc(b, '{');
	if (key_name) {
		json_out_key(b, key_name, 1);
		json_out_string(b, g->key);
		buf_putc(b, ',');
	}
	buf_puts(b, "\"applied\":");
	json_out_int(b, g->applied);
	JSON_OUT_KEY(b, "responded");
	json_out_int(b, g->responded);
	JSON_OUT_KEY(b, "response_rate");
	put_rate(b, g->rate, g->applied > 0);
	JSON_OUT_KEY(b, "median_response_seconds");
	json_out_int_or_null(b, g->median_seconds, g->responded == 0);
	JSON_OUT_KEY(b, "median_response_days");
	if (g->responded)
		buf_printf(b, "%.2f", (double)g->median_seconds / 86400.0);
	else
		buf_puts(b, "null");
	JSON_OUT_KEY(b, "ghosted");
	json_out_int(b, g->ghosted);
	buf_putc(b, '}');
}

static int put_responses(struct buf *b, const struct analytics_data *d, int64_t now, int ghost_days, struct arena *a)
{
	struct analytics_responses r;
	int rc = analytics_responses(d, now, ghost_days, a, &r);
	if (rc)
		return rc;
	buf_printf(b, "{\"ghost_days\":%d,\"overall\":", ghost_days);
	put_group(b, NULL, &r.overall);
	buf_puts(b, ",\"by_source\":[");
	for (size_t i = 0; i < r.n_sources; i++) {
		if (i)
			buf_putc(b, ',');
		put_group(b, "source", &r.by_source[i]);
	}
	buf_puts(b, "],\"by_month\":[");
	for (size_t i = 0; i < r.n_months; i++) {
		if (i)
			buf_putc(b, ',');
		put_group(b, "month", &r.by_month[i]);
	}
	buf_puts(b, "]}");
	return 0;
}

static int put_activity(struct buf *b, const struct analytics_data *d, struct arena *a)
{
	struct analytics_week *w;
	size_t n;
	int rc = analytics_activity(d, a, &w, &n);
	if (rc)
		return rc;
	buf_puts(b, "{\"weeks\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ",{\"week\":" : "{\"week\":");
		json_out_string(b, w[i].start);
		JSON_OUT_KEY(b, "saved");
		json_out_int(b, w[i].saved);
		JSON_OUT_KEY(b, "applied");
		json_out_int(b, w[i].applied);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
	return 0;
}

static void put_pipeline(struct buf *b, const struct analytics_data *d)
{
	struct analytics_pipeline p;
	analytics_pipeline(d, &p);
	buf_puts(b, "{\"total\":");
	json_out_int(b, p.total);
	buf_puts(b, ",\"statuses\":[");
	for (int s = 0; s < STATUS_COUNT; s++) {
		buf_puts(b, s ? ",{\"status\":" : "{\"status\":");
		json_out_string(b, status_names[s]);
		JSON_OUT_KEY(b, "label");
		json_out_string(b, status_labels[s]);
		JSON_OUT_KEY(b, "count");
		json_out_int(b, p.count[s]);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}

/* Writes figure fig of d into b. */
static int put_figure(struct buf *b, enum figure fig, const struct analytics_data *d, int64_t now, int ghost_days,
		      struct arena *a)
{
	switch (fig) {
	case FIG_FUNNEL:
		put_funnel(b, d);
		return 0;
	case FIG_RESPONSES:
		return put_responses(b, d, now, ghost_days, a);
	case FIG_ACTIVITY:
		return put_activity(b, d, a);
	case FIG_PIPELINE:
		put_pipeline(b, d);
		return 0;
	}
	return 0;
}

static void figure_key(char *key, size_t len, enum figure fig, long ghost_days, int64_t now)
{
	snprintf(key, len, "analytics\x1f%d\x1f%ld\x1f%lld", (int)fig, fig == FIG_RESPONSES ? ghost_days : 0L,
		 fig == FIG_RESPONSES ? (long long)now : 0LL);
}

int api_analytics_json(struct request *req, long ghost_days, struct buf out[ANALYTICS_FIGURES])
{
	/* Ghosted depends on the time too: judged on the hour, which the key holds. */
	int64_t now = (int64_t)time(NULL) / 3600 * 3600;
	char key[96];
	int missing = 0;
	for (int fig = 0; fig < ANALYTICS_FIGURES; fig++) {
		figure_key(key, sizeof(key), (enum figure)fig, ghost_days, now);
		if (!response_cache_get(req->user.id, req->user.data_version, key, &out[fig]))
			missing = 1;
	}
	if (!missing)
		return 0;
	/* A dashboard asks for all four at once: the load is the cost, so every
	 * figure of the same data is written and cached from one load. */
	struct analytics_data d;
	int rc = analytics_load(req->web->store, req->user.id, &req->arena, &d);
	for (int fig = 0; fig < ANALYTICS_FIGURES && rc == 0; fig++) {
		buf_reset(&out[fig]);
		rc = put_figure(&out[fig], (enum figure)fig, &d, now, (int)ghost_days, &req->arena);
		if (rc == 0 && !buf_failed(&out[fig])) {
			figure_key(key, sizeof(key), (enum figure)fig, ghost_days, now);
			response_cache_put(req->user.id, req->user.data_version, key, out[fig].data, out[fig].len);
		}
	}
	return rc;
}

static void answer(struct request *req, enum figure fig)
{
	long ghost_days = ANALYTICS_GHOST_DAYS;
	const char *g = http_query(req, "ghost_days");
	if (fig == FIG_RESPONSES && g && *g && text_parse_long(g, 1, ANALYTICS_GHOST_MAX, &ghost_days)) {
		resp_error(req, 400, "bad_query", "ghost_days must be a whole number from 1 to 365.", "ghost_days");
		return;
	}
	resp_header(req, "Cache-Control", "private, no-cache");
	struct buf out[ANALYTICS_FIGURES];
	for (int i = 0; i < ANALYTICS_FIGURES; i++)
		buf_init(&out[i], 4u << 20);
	int rc = api_analytics_json(req, ghost_days, out);
	if (rc)
		resp_store_error(req, rc);
	else {
		buf_append(&req->out, out[fig].data, out[fig].len);
		resp_json(req, 200);
	}
	for (int i = 0; i < ANALYTICS_FIGURES; i++)
		buf_free(&out[i]);
}

/* GET /api/v1/analytics/funnel */
void api_analytics_funnel(struct request *req)
{
	answer(req, FIG_FUNNEL);
}

/* GET /api/v1/analytics/responses?ghost_days= */
void api_analytics_responses(struct request *req)
{
	answer(req, FIG_RESPONSES);
}

/* GET /api/v1/analytics/activity */
void api_analytics_activity(struct request *req)
{
	answer(req, FIG_ACTIVITY);
}

/* GET /api/v1/analytics/pipeline */
void api_analytics_pipeline(struct request *req)
{
	answer(req, FIG_PIPELINE);
}

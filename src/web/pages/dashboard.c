/* The dashboard: the user's search in figures (funnel, responses, activity,
 * pipeline, ghosted) and the job market's (skills, salaries, sources, days,
 * remote share). Its tables are rendered here from the very JSON the
 * /api/v1/analytics endpoints answer (web/api/figures.h), so they work
 * without JavaScript and always agree with the API; static/dashboard.js
 * draws each chart from its endpoint (cached by then: rendering this page
 * filled the cache).
 *
 * The template gets one object per figure, named as its endpoint, plus the
 * labels below (percentages, days, amounts) that Mustache cannot format. A
 * new section is one more object in ctx and one more <section> in
 * templates/dashboard.mustache. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytics/analytics.h"
#include "web/api/figures.h"
#include "web/assets.h"
#include "web/handlers.h"
#include "web/pages/follow_ups.h"
#include "web/pages/saved_searches.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

/* key_label: "66.7%" for a share at key, "–" for null. */
static void label_share(json_t *o, const char *key)
{
	char name[64], text[32];
	json_t *v = json_object_get(o, key);
	snprintf(name, sizeof(name), "%s_label", key);
	if (json_is_number(v))
		snprintf(text, sizeof(text), "%.1f%%", json_number_value(v) * 100);
	else
		snprintf(text, sizeof(text), "–");
	json_object_set_new(o, name, json_string(text));
}

/* key_label: "120,000" for an amount at key (rounded to a whole unit). */
static void label_amount(json_t *o, const char *key)
{
	char name[64], digits[32], text[48];
	snprintf(name, sizeof(name), "%s_label", key);
	snprintf(digits, sizeof(digits), "%.0f", round(json_number_value(json_object_get(o, key))));
	size_t n = strlen(digits), k = 0;
	for (size_t i = 0; i < n && k + 2 < sizeof(text); i++) {
		if (i && digits[i - 1] != '-' && (n - i) % 3 == 0)
			text[k++] = ',';
		text[k++] = digits[i];
	}
	text[k] = 0;
	json_object_set_new(o, name, json_string(text));
}

/* Calls fn(element, key) for every element of o[array]. */
static void label_each(json_t *o, const char *array, void (*fn)(json_t *, const char *), const char *key)
{
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(o, array), i, e)
		fn(e, key);
}

static void label_group(json_t *g, const char *unused)
{
	(void)unused;
	label_share(g, "response_rate");
	json_t *d = json_object_get(g, "median_response_days");
	char text[32] = "–";
	if (json_is_number(d))
		snprintf(text, sizeof(text), "%.1f", json_number_value(d));
	json_object_set_new(g, "median_label", json_string(text));
	const char *source = json_string_value(json_object_get(g, "source"));
	if (source)
		json_object_set_new(g, "source_label", json_string(*source ? source : "(no source)"));
}

static void label_salary(json_t *c, const char *unused)
{
	(void)unused;
	static const char *const keys[] = { "min", "p10", "p25", "p50", "p75", "p90", "max" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		label_amount(c, keys[i]);
	label_each(c, "histogram", label_amount, "from");
	label_each(c, "histogram", label_amount, "to");
}

static void label_figures(json_t *ctx)
{
	label_each(json_object_get(ctx, "funnel"), "stages", label_share, "conversion");
	json_t *r = json_object_get(ctx, "responses");
	label_group(json_object_get(r, "overall"), NULL);
	label_each(r, "by_source", label_group, NULL);
	label_each(r, "by_month", label_group, NULL);
	label_each(json_object_get(ctx, "skills"), "skills", label_share, "share");
	label_each(json_object_get(ctx, "salary"), "currencies", label_salary, NULL);
	json_t *remote = json_object_get(ctx, "remote");
	label_each(remote, "workplaces", label_share, "share");
	label_share(remote, "remote_share");
	json_object_set_new(
	    ctx, "skill_weeks",
	    json_integer((json_int_t)json_array_size(json_object_get(json_object_get(ctx, "skills"), "weeks"))));
}

/* Parses each body into ctx under its name; 0, or -1 when one is not JSON. */
static int put_bodies(json_t *ctx, const char *const *names, struct buf *bodies, int n)
{
	for (int i = 0; i < n; i++) {
		json_t *v = json_loadb(bodies[i].data ? bodies[i].data : "", bodies[i].len, 0, NULL);
		if (!v)
			return -1;
		json_object_set_new(ctx, names[i], v);
	}
	return 0;
}

/* GET /dashboard?title=&location= (and the market endpoints' other parameters) */
void page_dashboard(struct request *req)
{
	struct buf mine[ANALYTICS_FIGURES], market[MARKET_FIGURES];
	for (int i = 0; i < ANALYTICS_FIGURES; i++)
		buf_init(&mine[i], 4u << 20);
	for (int i = 0; i < MARKET_FIGURES; i++)
		buf_init(&market[i], 4u << 20);
	json_t *ctx = json_object();
	int status = 200;
	int rc = api_analytics_json(req, ANALYTICS_GHOST_DAYS, mine);
	if (rc == 0)
		rc = put_bodies(ctx, analytics_figure_names, mine, ANALYTICS_FIGURES) ? -ENOMEM : 0;
	const char *field = NULL, *message = NULL;
	int mrc = rc ? 0 : api_market_json(req, market, &field, &message);
	if (rc == 0 && mrc == 0 && put_bodies(ctx, market_figure_names, market, MARKET_FIGURES) == 0)
		json_object_set_new(ctx, "market", json_true());
	else if (mrc == -EINVAL) {
		status = 400;
		json_object_set_new(ctx, "market_error", json_string(message));
	} else if (mrc == -EAGAIN)
		json_object_set_new(ctx, "market_starting", json_true());
	for (int i = 0; i < ANALYTICS_FIGURES; i++)
		buf_free(&mine[i]);
	for (int i = 0; i < MARKET_FIGURES; i++)
		buf_free(&market[i]);
	if (rc) {
		json_decref(ctx);
		session_store_error(req, rc, "The dashboard could not be loaded; try again.");
		return;
	}
	label_figures(ctx);
	vm_set_str(ctx, "title", http_query(req, "title"));
	vm_set_str(ctx, "location", http_query(req, "location"));
	/* The charts' endpoints ask for what the tables show. */
	struct buf qs;
	buf_init(&qs, 1024);
	const char *keys[] = { "title", "location" };
	for (int i = 0; i < 2; i++) {
		const char *v = http_query(req, keys[i]);
		if (v && *v) {
			buf_printf(&qs, "%c%s=", qs.len ? '&' : '?', keys[i]);
			vm_put_query_value(&qs, v);
		}
	}
	vm_set_str(ctx, "salary_query", buf_failed(&qs) ? NULL : qs.data);
	buf_free(&qs);
	char url[128];
	assets_url("static/vendor/chart.umd.min.js", url, sizeof(url));
	vm_set_str(ctx, "chart_js_url", url);
	assets_url("static/dashboard.js", url, sizeof(url));
	vm_set_str(ctx, "dashboard_js_url", url);
	/* What needs doing now: follow-ups due, and what is new in the user's
	 * saved searches (the same sections the list and postings pages show). */
	json_t *follow_ups = vm_follow_ups(req);
	if (follow_ups)
		json_object_set_new(ctx, "follow_ups", follow_ups);
	saved_box_view(req, ctx, 0);
	json_object_set_new(ctx, "nav_dashboard", json_true());
	view_render(req, status, "dashboard", "Dashboard", ctx);
}

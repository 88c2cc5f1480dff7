/* "Save to tracker": an application in status saved, made from a scraped
 * posting and linked to it — once per user and posting. */
#include "tracker/service.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "tracker/service_private.h"

/* The posting's fields as the application's form would carry them. */
enum { V_COMPANY, V_POSITION, V_LOCATION, V_URL, V_SOURCE, V_SAL_MIN, V_SAL_MAX, V_CURRENCY, V_PERIOD, V_N };
static const char *const value_names[V_N] = { "company",    "position",   "location",        "url",          "source",
					      "salary_min", "salary_max", "salary_currency", "salary_period" };

struct posting_values {
	const char *v[V_N];
};

static const char *posting_value(void *ctx, const char *name)
{
	struct posting_values *pv = ctx;
	for (int i = 0; i < V_N; i++)
		if (strcmp(name, value_names[i]) == 0)
			return pv->v[i];
	return NULL;
}

static const char *amount(double v, struct arena *a)
{
	/* 0 is "not stated"; the tracker keeps whole currency units. */
	return v > 0 && v <= 1e9 ? arena_printf(a, "%.0f", v) : NULL;
}

/* The tracker knows yearly, monthly and hourly pay: other periods (day,
 * week) go in as the posting's yearly figures. */
static void salary_values(const struct store_posting *p, struct posting_values *pv, struct arena *a)
{
	const char *period = p->salary_period ? p->salary_period : "";
	const char *mine = strcmp(period, "YEAR") == 0    ? "year"
			   : strcmp(period, "MONTH") == 0 ? "month"
			   : strcmp(period, "HOUR") == 0  ? "hour"
							  : NULL;
	double lo = p->salary_min, hi = p->salary_max;
	if (!mine && (p->salary_year_min > 0 || p->salary_year_max > 0)) {
		mine = "year";
		lo = p->salary_year_min;
		hi = p->salary_year_max;
	}
	pv->v[V_SAL_MIN] = amount(lo, a);
	pv->v[V_SAL_MAX] = amount(hi, a);
	if (pv->v[V_SAL_MIN] || pv->v[V_SAL_MAX]) {
		pv->v[V_CURRENCY] = p->salary_currency;
		pv->v[V_PERIOD] = mine;
	}
}

/* Fills app from the posting. A value the tracker would refuse (a title
 * over 200 characters, an odd URL) is left out rather than failing the
 * save: the person can edit the application afterwards. */
static void from_posting(struct application *app, const struct store_posting *p, const char *source,
			 const struct tracker_call *c)
{
	struct posting_values pv = { { 0 } };
	pv.v[V_COMPANY] = p->company && *p->company ? p->company : "Unknown company";
	pv.v[V_POSITION] = p->title && *p->title ? p->title : "Untitled position";
	pv.v[V_LOCATION] = p->location_raw ? p->location_raw : p->locality;
	pv.v[V_URL] = p->url ? p->url : p->apply_url;
	pv.v[V_SOURCE] = source;
	salary_values(p, &pv, c->arena);
	struct application fresh = *app;
	for (int attempt = 0; attempt < 3; attempt++) {
		struct field_errors errs = { .n = 0 };
		*app = fresh;
		app_apply_strings(app, posting_value, &pv, c->arena, &errs);
		app_validate(app, service_local_now(c), c->arena, &errs);
		if (!errs.n)
			return;
		for (int i = 0; i < V_N; i++)
			if (field_errors_get(&errs, value_names[i]))
				pv.v[i] = i == V_COMPANY    ? "Unknown company"
					  : i == V_POSITION ? "Untitled position"
							    : NULL;
		/* A salary's parts only make sense together. */
		if (!pv.v[V_SAL_MIN] && !pv.v[V_SAL_MAX])
			pv.v[V_CURRENCY] = pv.v[V_PERIOD] = NULL;
	}
}

int tracker_app_save_posting(const struct tracker_call *c, int64_t posting_id, struct application *out, int *created)
{
	assert(c && out && created);
	*created = 0;
	struct store_posting p;
	struct posting_source *sources = NULL;
	size_t n_sources = 0;
	int rc = store_posting_get(c->store, posting_id, c->arena, &p, &sources, &n_sources);
	if (rc)
		return rc;
	struct application app;
	app_init(&app, (time_t)service_local_now(c));
	from_posting(&app, &p, n_sources ? sources[0].source : NULL, c);
	app.posting_id = posting_id;
	/* The user's transaction serialises two saves of one posting: the
	 * second finds the first's application. */
	rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = store_app_by_posting(c->store, c->user_id, posting_id, c->arena, out);
	if (rc == STORE_NOTFOUND) {
		struct field_errors errs = { .n = 0 };
		rc = tracker_app_create(c, &app, &errs);
		if (rc == 0) {
			*out = app;
			*created = 1;
		}
	}
	return store_tx_end(c->store, rc);
}

/* sources/lever — Lever's public Postings API, global and EU hosts.
 * GET /v0/postings/{site}?mode=json&skip=N&limit=L answers a bare JSON array;
 * a page shorter than the limit is the last. The site's EU accounts live on
 * api.eu.lever.co: the target is then written "eu:{site}" (detect() does this
 * from a jobs.eu.lever.co URL). The description excludes the `lists`
 * (responsibilities, requirements) and `additional`: all three are joined. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

#define LEVER_API       "https://api.lever.co"
#define LEVER_API_EU    "https://api.eu.lever.co"
#define LEVER_PAGE      100
#define LEVER_MAX_PAGES 50

static int lever_detect(struct arena *a, const char *url, const char **target)
{
	static const char *const global[] = { "://jobs.lever.co/", "://api.lever.co/v0/postings/" };
	static const char *const eu[] = { "://jobs.eu.lever.co/", "://api.eu.lever.co/v0/postings/" };
	int rc = src_detect_segment(a, url, eu, 2, "eu:", target);
	return rc == -ENOENT ? src_detect_segment(a, url, global, 2, "", target) : rc;
}

/* The site name of a target ("eu:name" on the EU host); NULL without one
 * (`jobtrack extract` reading a saved file). */
static const char *lever_site(const char *target, bool *eu)
{
	*eu = target && strncmp(target, "eu:", 3) == 0;
	return *eu ? target + 3 : target;
}

static struct source_request *lever_page(struct arena *a, const struct source_config *src,
					 struct source_request_list *out, long page)
{
	bool eu;
	const char *site = lever_site(src->target, &eu);
	const char *url = src_url(a, src, eu ? LEVER_API_EU : LEVER_API, "/v0/postings/%s?mode=json&skip=%ld&limit=%d",
				  src_url_escape(a, site), page * LEVER_PAGE, LEVER_PAGE);
	struct source_request *r = src_get(a, out, url, REQUEST_API, "list");
	if (r)
		r->page = page;
	return r;
}

static int lever_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		       size_t errlen)
{
	if (!src->target || !*src->target || strcmp(src->target, "eu:") == 0) {
		snprintf(err, errlen, "a Lever source needs the site name (e.g. spotify, or eu:name for the EU host)");
		return -EINVAL;
	}
	return lever_page(a, src, out, 0) ? 0 : -ENOMEM;
}

/* Lever writes "per-year-salary", "per-month-salary", "per-hour-wage", … */
static void lever_salary(json_t *range, struct posting *p)
{
	double min = 0, max = 0;
	bool has_min = src_json_number(range, "min", &min), has_max = src_json_number(range, "max", &max);
	if (!has_min && !has_max)
		return;
	p->salary.present = true;
	p->salary.min = has_min ? min : 0;
	p->salary.max = has_max ? max : 0;
	const char *cur = json_string_value(json_object_get(range, "currency"));
	if (cur)
		(void)currency_parse(cur, p->salary.currency, NULL);
	const char *interval = json_string_value(json_object_get(range, "interval"));
	if (!interval || salary_period_parse(interval, &p->salary.period) != 0)
		p->salary.period = SALARY_PERIOD_UNKNOWN;
}

static bool lever_job(struct arena *a, const struct source_config *src, json_t *job, struct posting *p)
{
	p->source = "lever";
	p->external_id = src_json_text(a, job, "id");
	p->title = src_json_text(a, job, "text");
	bool eu;
	const char *site = lever_site(src->target, &eu);
	p->company = src->company ? src->company : src_company_from_slug(a, site);
	const char *wt = src_json_text(a, job, "workplaceType");
	p->workplace = workplace_parse(wt ? wt : "");
	const char *loc = src_json_text(a, job, "categories.location");
	src_set_location(a, p, loc);
	const char *country = src_json_text(a, job, "country");
	if (country && !p->location.country[0])
		(void)country_code(country, p->location.country);
	const char *commitment = src_json_text(a, job, "categories.commitment");
	if (commitment)
		p->employment_types = employment_parse(commitment);
	json_t *created = json_object_get(job, "createdAt");
	if (json_is_number(created))
		(void)date_from_epoch(json_number_value(created), p->date_posted);
	json_t *range = json_object_get(job, "salaryRange");
	if (json_is_object(range))
		lever_salary(range, p);

	/* description + each list as a heading and a <ul> (Lever sends bare <li>) + additional */
	json_t *lists = json_object_get(job, "lists");
	size_t n = json_is_array(lists) ? json_array_size(lists) : 0;
	if (n > 32)
		n = 32;
	const char *parts[34];
	size_t k = 0;
	parts[k++] = src_json_text(a, job, "description");
	for (size_t i = 0; i < n; i++) {
		json_t *l = json_array_get(lists, i);
		const char *head = src_json_text(a, l, "text");
		const char *items = src_json_text(a, l, "content");
		parts[k++] = items ? arena_printf(a, "<h3>%s</h3><ul>%s</ul>", head ? head : "", items) : NULL;
	}
	parts[k++] = src_json_text(a, job, "additional");
	p->description_html = src_join_html(a, parts, k);
	p->url = src_json_text(a, job, "hostedUrl");
	p->apply_url = src_json_text(a, job, "applyUrl");
	if (!p->apply_url)
		p->apply_url = p->url;
	return true;
}

static int lever_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		       struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	if (!json_is_array(root)) {
		const char *msg = json_string_value(json_object_get(root, "message"));
		snprintf(err, errlen, "Lever answered %s instead of a list of postings: is the site name right?",
			 msg ? msg : "an object");
		json_decref(root);
		return -EINVAL;
	}
	if (src_add_items(a, src, root, lever_job, out) != 0) {
		json_decref(root);
		return -ENOMEM;
	}
	long page = res->request ? res->request->page : 0;
	long max_pages = src->max_pages > 0 ? src->max_pages : LEVER_MAX_PAGES;
	if (json_array_size(root) >= LEVER_PAGE && page + 1 < max_pages && src->target) {
		if (!lever_page(a, src, &out->next, page + 1)) {
			json_decref(root);
			return -ENOMEM;
		}
	} else {
		/* Complete only when the last page was short, not when we stopped at the cap. */
		out->complete_listing = json_array_size(root) < LEVER_PAGE;
	}
	json_decref(root);
	return 0;
}

const struct source_adapter source_lever = {
	.name = "lever",
	.label = "Lever job board",
	.target_help = "the site name, as in jobs.lever.co/<site> (eu:<site> for jobs.eu.lever.co)",
	.detect = lever_detect,
	.start = lever_start,
	.parse = lever_parse,
};

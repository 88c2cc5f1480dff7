/* sources/ashby — Ashby's public Job Posting API.
 * GET /posting-api/job-board/{board}?includeCompensation=true answers the whole
 * board. Unlisted jobs (isListed false) are skipped. Salary comes from the
 * first "Salary" component (summary components, else the first tier); equity
 * components carry no currency and are ignored. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

#define ASHBY_API "https://api.ashbyhq.com"

static int ashby_detect(struct arena *a, const char *url, const char **target)
{
	static const char *const hosts[] = { "://jobs.ashbyhq.com/", "://api.ashbyhq.com/posting-api/job-board/" };
	return src_detect_segment(a, url, hosts, sizeof(hosts) / sizeof(hosts[0]), "", target);
}

static int ashby_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		       size_t errlen)
{
	if (!src->target || !*src->target) {
		snprintf(err, errlen, "an Ashby source needs the job board name (e.g. linear)");
		return -EINVAL;
	}
	const char *url = src_url(a, src, ASHBY_API, "/posting-api/job-board/%s?includeCompensation=true",
				  src_url_escape(a, src->target));
	return src_get(a, out, url, REQUEST_API, "list") ? 0 : -ENOMEM;
}

static bool ashby_salary_component(json_t *c, struct posting_salary *s)
{
	const char *type = json_string_value(json_object_get(c, "compensationType"));
	if (!type || strcasecmp(type, "Salary") != 0)
		return false;
	double min = 0, max = 0;
	bool has_min = src_json_number(c, "minValue", &min), has_max = src_json_number(c, "maxValue", &max);
	if (!has_min && !has_max)
		return false;
	memset(s, 0, sizeof(*s));
	s->present = true;
	s->min = has_min ? min : 0;
	s->max = has_max ? max : 0;
	const char *cur = json_string_value(json_object_get(c, "currencyCode"));
	if (cur)
		(void)currency_parse(cur, s->currency, NULL);
	const char *interval = json_string_value(json_object_get(c, "interval"));
	if (interval)
		(void)salary_period_parse(interval, &s->period);
	return true;
}

static void ashby_salary(json_t *comp, struct posting *p)
{
	size_t i, j;
	json_t *c, *tier;
	json_array_foreach (json_object_get(comp, "summaryComponents"), i, c)
		if (ashby_salary_component(c, &p->salary))
			return;
	json_array_foreach (json_object_get(comp, "compensationTiers"), i, tier)
		json_array_foreach (json_object_get(tier, "components"), j, c)
			if (ashby_salary_component(c, &p->salary))
				return;
}

static bool ashby_job(struct arena *a, const struct source_config *src, json_t *job, struct posting *p)
{
	if (!src_json_bool(job, "isListed", true))
		return false; /* unlisted: not public */
	p->source = "ashby";
	p->external_id = src_json_text(a, job, "id");
	p->title = src_json_text(a, job, "title");
	p->company = src->company ? src->company : src_company_from_slug(a, src->target);
	const char *wt = src_json_text(a, job, "workplaceType");
	p->workplace = workplace_parse(wt ? wt : "");
	if (p->workplace == WORKPLACE_UNKNOWN && src_json_bool(job, "isRemote", false))
		p->workplace = WORKPLACE_REMOTE;
	src_set_location(a, p, src_json_text(a, job, "location"));
	json_t *addr = src_json_path(job, "address.postalAddress");
	if (json_is_object(addr)) {
		if (!p->location.locality)
			p->location.locality = src_json_text(a, addr, "addressLocality");
		if (!p->location.region)
			p->location.region = src_json_text(a, addr, "addressRegion");
		const char *country = src_json_text(a, addr, "addressCountry");
		if (country && !p->location.country[0] && country_code(country, p->location.country) != 0)
			p->location.country[0] = '\0';
		if (!p->location.country[0] &&
		    location_region_country(p->location.locality, p->location.region, p->location.country) != 0)
			p->location.country[0] = '\0';
	}
	const char *et = src_json_text(a, job, "employmentType");
	if (et)
		p->employment_types = employment_parse(et);
	src_set_date(p, src_json_text(a, job, "publishedAt"), src->now);
	json_t *comp = json_object_get(job, "compensation");
	if (json_is_object(comp))
		ashby_salary(comp, p);
	if (!p->salary.present) {
		const char *summary = src_json_text(a, job, "compensation.scrapeableCompensationSalarySummary");
		src_set_salary_text(p, summary, NULL);
	}
	p->description_html = src_json_text(a, job, "descriptionHtml");
	p->url = src_json_text(a, job, "jobUrl");
	p->apply_url = src_json_text(a, job, "applyUrl");
	if (!p->apply_url)
		p->apply_url = p->url;
	return true;
}

static int ashby_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		       struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	json_t *jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs)) {
		snprintf(err, errlen, "Ashby answered without a \"jobs\" list: is the job board name right?");
		json_decref(root);
		return -EINVAL;
	}
	int rc = src_add_items(a, src, jobs, ashby_job, out);
	out->complete_listing = rc == 0;
	json_decref(root);
	return rc;
}

const struct source_adapter source_ashby = {
	.name = "ashby",
	.label = "Ashby job board",
	.target_help = "the job board name, as in jobs.ashbyhq.com/<name> (e.g. linear)",
	.detect = ashby_detect,
	.start = ashby_start,
	.parse = ashby_parse,
};

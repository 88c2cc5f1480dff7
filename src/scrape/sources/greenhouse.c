/* sources/greenhouse — Greenhouse's public Job Board API.
 * One request answers the whole board (no pagination): GET
 * /v1/boards/{token}/jobs?content=true&pay_transparency=true. `content` is
 * entity-escaped HTML (the finish step unescapes it). pay_transparency adds
 * each job's pay_input_ranges (as the job's detail does), in cents:
 * [{"min_cents", "max_cents", "currency_type", "title", "blurb"}], one per
 * pay zone; the posting's salary spans the zones of the first zone's
 * currency, its period named, if at all, by a zone's title or blurb.
 * Greenhouse gives no employment type except in per-tenant metadata. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

#define GREENHOUSE_API "https://boards-api.greenhouse.io"

/* boards.greenhouse.io/{token}, job-boards.greenhouse.io/{token}[/jobs/…],
 * boards-api.greenhouse.io/v1/boards/{token}/…, and embed URLs with ?for={token}. */
static int greenhouse_detect(struct arena *a, const char *url, const char **target)
{
	static const char *const embed[] = { "greenhouse.io/embed/job_board?for=",
					     "greenhouse.io/embed/job_board/js?for=" };
	static const char *const hosts[] = { "://boards.greenhouse.io/", "://job-boards.greenhouse.io/",
					     "://boards.eu.greenhouse.io/", "://job-boards.eu.greenhouse.io/",
					     "://boards-api.greenhouse.io/v1/boards/" };
	int rc = src_detect_segment(a, url, embed, 2, "", target);
	return rc == -ENOENT ? src_detect_segment(a, url, hosts, sizeof(hosts) / sizeof(hosts[0]), "", target) : rc;
}

static int greenhouse_start(struct arena *a, const struct source_config *src, struct source_request_list *out,
			    char *err, size_t errlen)
{
	if (!src->target || !*src->target) {
		snprintf(err, errlen, "a Greenhouse source needs the board token (e.g. vercel)");
		return -EINVAL;
	}
	const char *url = src_url(a, src, GREENHOUSE_API, "/v1/boards/%s/jobs?content=true&pay_transparency=true",
				  src_url_escape(a, src->target));
	return src_get(a, out, url, REQUEST_API, "list") ? 0 : -ENOMEM;
}

/* The pay zones of one currency as one range: the lowest minimum to the highest maximum. */
static void greenhouse_pay(struct arena *a, json_t *ranges, struct posting *p)
{
	size_t i;
	json_t *r;
	json_array_foreach (ranges, i, r) {
		struct posting_salary s;
		const char *title = src_json_text(a, r, "title");
		const char *blurb = src_json_text(a, r, "blurb");
		const char *label = title && blurb ? arena_printf(a, "%s %s", title, blurb) : title ? title : blurb;
		if (salary_from_cents(src_json_text(a, r, "min_cents"), src_json_text(a, r, "max_cents"),
				      src_json_text(a, r, "currency_type"), label, &s) != 0)
			continue;
		if (!p->salary.present) {
			p->salary = s;
			continue;
		}
		if (strcmp(s.currency, p->salary.currency) != 0)
			continue; /* another currency's zone: not comparable */
		if (s.min > 0 && (p->salary.min == 0 || s.min < p->salary.min))
			p->salary.min = s.min;
		if (s.max > p->salary.max)
			p->salary.max = s.max;
		if (p->salary.period == SALARY_PERIOD_UNKNOWN)
			p->salary.period = s.period;
	}
}

static bool greenhouse_job(struct arena *a, const struct source_config *src, json_t *job, struct posting *p)
{
	p->source = "greenhouse";
	p->external_id = src_json_text(a, job, "id");
	p->title = src_json_text(a, job, "title");
	p->company = src_json_text(a, job, "company_name");
	if (!p->company)
		p->company = src->company ? src->company : src_company_from_slug(a, src->target);
	const char *loc = src_json_text(a, job, "location.name");
	json_t *offices = json_object_get(job, "offices");
	/* The office's location is fuller ("London, England, United Kingdom")
	 * than the board's label ("Hybrid - London"), but the label carries the
	 * workplace: read the label for that, the office for the place. */
	p->workplace = workplace_scan(loc ? loc : "");
	const char *office_loc = json_is_array(offices) && json_array_size(offices) == 1
				     ? src_json_text(a, json_array_get(offices, 0), "location")
				     : NULL;
	src_set_location(a, p, office_loc ? office_loc : loc);
	if (office_loc && loc)
		p->location.raw = loc;
	const char *published = src_json_text(a, job, "first_published");
	src_set_date(p, published ? published : src_json_text(a, job, "updated_at"), src->now);
	const char *deadline = src_json_text(a, job, "application_deadline");
	if (deadline)
		(void)date_parse(deadline, src->now, p->valid_through);
	greenhouse_pay(a, json_object_get(job, "pay_input_ranges"), p);
	p->description_html = src_json_text(a, job, "content");
	p->url = src_json_text(a, job, "absolute_url");
	p->apply_url = p->url;
	/* Employment type sits in per-tenant metadata when a board has it. */
	json_t *meta = json_object_get(job, "metadata");
	size_t i;
	json_t *m;
	json_array_foreach (meta, i, m) {
		const char *name = src_json_text(a, m, "name");
		const char *value = src_json_text(a, m, "value");
		if (name && value &&
		    (strcasestr(name, "employment") || strcasestr(name, "job type") || strcasestr(name, "time type")))
			p->employment_types |= employment_parse(value);
	}
	return true;
}

static int greenhouse_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
			    struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	json_t *jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs) && src_json_text(a, root, "id") && src_json_text(a, root, "title")) {
		/* One job (GET /v1/boards/{token}/jobs/{id}, as `jobtrack extract`
		 * reads a saved one): never a complete listing. */
		int rc = src_add_one(a, src, root, greenhouse_job, out);
		json_decref(root);
		return rc;
	}
	if (!json_is_array(jobs)) {
		snprintf(err, errlen, "Greenhouse answered without a \"jobs\" list: is the board token right?");
		json_decref(root);
		return -EINVAL;
	}
	int rc = src_add_items(a, src, jobs, greenhouse_job, out);
	out->complete_listing = rc == 0;
	json_decref(root);
	return rc;
}

const struct source_adapter source_greenhouse = {
	.name = "greenhouse",
	.label = "Greenhouse job board",
	.target_help = "the board token, as in boards.greenhouse.io/<token> (e.g. vercel)",
	.detect = greenhouse_detect,
	.start = greenhouse_start,
	.parse = greenhouse_parse,
};

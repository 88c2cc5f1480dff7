/* sources/remotive — Remotive's public remote-jobs API.
 * Its terms (github.com/remotive-com/remote-jobs-api): at most four fetches a
 * day (more than two a minute is blocked), link back to and credit Remotive,
 * and do not resubmit the jobs to other job boards. The adapter declares the
 * limit (the scheduler refuses tighter schedules) and the credit (shown with
 * every Remotive posting). The `target` is an optional category slug. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

#define REMOTIVE_API "https://remotive.com"

static int remotive_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
			  size_t errlen)
{
	(void)err;
	(void)errlen;
	const char *url = src->target && *src->target ? src_url(a, src, REMOTIVE_API, "/api/remote-jobs?category=%s",
								src_url_escape(a, src->target))
						      : src_url(a, src, REMOTIVE_API, "/api/remote-jobs");
	return src_get(a, out, url, REQUEST_API, "list") ? 0 : -ENOMEM;
}

static bool remotive_job(struct arena *a, const struct source_config *src, json_t *job, struct posting *p)
{
	p->source = "remotive";
	p->external_id = src_json_text(a, job, "id");
	p->title = src_json_text(a, job, "title");
	p->company = src_json_text(a, job, "company_name");
	/* Everything on Remotive is remote; the location is who may apply. */
	p->workplace = WORKPLACE_REMOTE;
	src_set_location(a, p, src_json_text(a, job, "candidate_required_location"));
	const char *type = src_json_text(a, job, "job_type");
	if (type)
		p->employment_types = employment_parse(type);
	/* publication_date has no zone: Remotive's are UTC. */
	src_set_date(p, src_json_text(a, job, "publication_date"), src->now);
	src_set_salary_text(p, src_json_text(a, job, "salary"), "USD");
	p->description_html = src_json_text(a, job, "description");
	p->url = src_json_text(a, job, "url");
	p->apply_url = p->url;
	return true;
}

static int remotive_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
			  struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	json_t *jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs)) {
		snprintf(err, errlen, "Remotive answered without a \"jobs\" list");
		json_decref(root);
		return -EINVAL;
	}
	int rc = src_add_items(a, src, jobs, remotive_job, out);
	out->complete_listing = rc == 0;
	json_decref(root);
	return rc;
}

const struct source_adapter source_remotive = {
	.name = "remotive",
	.label = "Remotive (remote jobs feed)",
	.target_help = "optional category slug (e.g. software-dev); empty for all categories",
	.min_interval_s = 6 * 3600,
	.attribution = "Remotive",
	.terms = "Remotive's API terms: fetch at most four times a day, link back to Remotive and credit it as the "
		 "source, and do not resubmit its jobs to other job boards.",
	.start = remotive_start,
	.parse = remotive_parse,
};

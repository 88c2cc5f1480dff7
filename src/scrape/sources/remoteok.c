/* sources/remoteok — Remote OK's public API: one JSON array whose first
 * element is the legal notice (skipped: it has no id). Its terms ask for a
 * followed link back to the posting on Remote OK and the name "Remote OK" as
 * the source; the adapter declares that credit. salary_min/max are USD a
 * year, with 0 meaning "not stated". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

#define REMOTEOK_API "https://remoteok.com"

static int remoteok_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
			  size_t errlen)
{
	(void)err;
	(void)errlen;
	const char *url = src->target && *src->target
			      ? src_url(a, src, REMOTEOK_API, "/api?tags=%s", src_url_escape(a, src->target))
			      : src_url(a, src, REMOTEOK_API, "/api");
	return src_get(a, out, url, REQUEST_API, "list") ? 0 : -ENOMEM;
}

static bool remoteok_job(struct arena *a, const struct source_config *src, json_t *job, struct posting *p)
{
	if (!json_object_get(job, "id"))
		return false; /* the legal notice */
	p->source = "remoteok";
	p->external_id = src_json_text(a, job, "id");
	p->title = src_json_text(a, job, "position");
	p->company = src_json_text(a, job, "company");
	src_set_location(a, p, src_json_text(a, job, "location"));
	p->workplace = WORKPLACE_REMOTE;
	double epoch = 0;
	if (src_json_number(job, "epoch", &epoch) && epoch > 0)
		(void)date_from_epoch(epoch, p->date_posted);
	else
		src_set_date(p, src_json_text(a, job, "date"), src->now);
	double min = 0, max = 0;
	(void)src_json_number(job, "salary_min", &min);
	(void)src_json_number(job, "salary_max", &max);
	if (min > 0 || max > 0) {
		p->salary.present = true;
		p->salary.min = min;
		p->salary.max = max;
		memcpy(p->salary.currency, "USD", 4);
		p->salary.period = SALARY_PERIOD_YEAR;
	}
	p->description_html = src_json_text(a, job, "description");
	p->url = src_json_text(a, job, "url");
	p->apply_url = src_json_text(a, job, "apply_url");
	if (!p->apply_url)
		p->apply_url = p->url;
	return true;
}

static int remoteok_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
			  struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	if (!json_is_array(root)) {
		snprintf(err, errlen, "Remote OK answered without a list of jobs");
		json_decref(root);
		return -EINVAL;
	}
	int rc = src_add_items(a, src, root, remoteok_job, out);
	out->complete_listing = rc == 0;
	json_decref(root);
	return rc;
}

const struct source_adapter source_remoteok = {
	.name = "remoteok",
	.label = "Remote OK (remote jobs feed)",
	.target_help = "optional tag filter (e.g. golang); empty for every job",
	.min_interval_s = 3600,
	.attribution = "Remote OK",
	.terms = "Remote OK's API terms: link back (followed, not nofollow) to the posting on Remote OK and name "
		 "Remote OK as the source; do not use its logo.",
	.start = remoteok_start,
	.parse = remoteok_parse,
};

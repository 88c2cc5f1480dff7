/* sources/recruitee — Recruitee's Careers Site API.
 * GET https://{company}.recruitee.com/api/offers/ answers every published
 * offer. Salary amounts come as strings with a period word ("month",
 * "year", "yearly"); remote/hybrid/on_site are separate booleans. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"

static int recruitee_detect(struct arena *a, const char *url, const char **target)
{
	const char *p = strstr(url, "://");
	const char *host_end = p ? strstr(p + 3, ".recruitee.com") : NULL;
	if (!host_end)
		return -ENOENT;
	p += 3;
	size_t n = (size_t)(host_end - p);
	if (n == 0 || n > 100 || memchr(p, '/', n) || memchr(p, '.', n))
		return -ENOENT;
	*target = arena_strndup(a, p, n);
	return *target ? 0 : -ENOMEM;
}

static int recruitee_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
			   size_t errlen)
{
	if (!src->target || !*src->target) {
		snprintf(err, errlen, "a Recruitee source needs the company's subdomain (e.g. channable)");
		return -EINVAL;
	}
	const char *origin = arena_printf(a, "https://%s.recruitee.com", src_url_escape(a, src->target));
	return src_get(a, out, src_url(a, src, origin, "/api/offers/"), REQUEST_API, "list") ? 0 : -ENOMEM;
}

static void recruitee_salary(json_t *salary, struct posting *p)
{
	double min = 0, max = 0;
	bool has_min = src_json_number(salary, "min", &min), has_max = src_json_number(salary, "max", &max);
	if ((!has_min || min <= 0) && (!has_max || max <= 0))
		return;
	p->salary.present = true;
	p->salary.min = has_min ? min : 0;
	p->salary.max = has_max ? max : 0;
	const char *cur = json_string_value(json_object_get(salary, "currency"));
	if (cur)
		(void)currency_parse(cur, p->salary.currency, NULL);
	const char *period = json_string_value(json_object_get(salary, "period"));
	if (period)
		(void)salary_period_parse(period, &p->salary.period);
}

static bool recruitee_offer(struct arena *a, const struct source_config *src, json_t *offer, struct posting *p)
{
	const char *status = src_json_text(a, offer, "status");
	if (status && strcmp(status, "published") != 0)
		return false;
	p->source = "recruitee";
	p->external_id = src_json_text(a, offer, "id");
	p->title = src_json_text(a, offer, "title");
	p->company = src_json_text(a, offer, "company_name");
	if (!p->company)
		p->company = src->company ? src->company : src_company_from_slug(a, src->target);
	if (src_json_bool(offer, "hybrid", false))
		p->workplace = WORKPLACE_HYBRID;
	else if (src_json_bool(offer, "remote", false))
		p->workplace = WORKPLACE_REMOTE;
	else if (src_json_bool(offer, "on_site", false))
		p->workplace = WORKPLACE_ONSITE;
	src_set_location(a, p, src_json_text(a, offer, "location"));
	if (!p->location.locality)
		p->location.locality = src_json_text(a, offer, "city");
	const char *cc = src_json_text(a, offer, "country_code");
	if (cc && !p->location.country[0])
		(void)country_code(cc, p->location.country);
	const char *et = src_json_text(a, offer, "employment_type_code");
	if (et)
		p->employment_types = employment_parse(et);
	json_t *salary = json_object_get(offer, "salary");
	if (json_is_object(salary))
		recruitee_salary(salary, p);
	src_set_date(p, src_json_text(a, offer, "published_at"), src->now);
	const char *close_at = src_json_text(a, offer, "close_at");
	if (close_at)
		(void)date_parse(close_at, src->now, p->valid_through);
	const char *parts[] = { src_json_text(a, offer, "description"), src_json_text(a, offer, "requirements") };
	p->description_html = src_join_html(a, parts, 2);
	p->url = src_json_text(a, offer, "careers_url");
	p->apply_url = src_json_text(a, offer, "careers_apply_url");
	if (!p->apply_url)
		p->apply_url = p->url;
	return true;
}

static int recruitee_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
			   struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	json_t *offers = json_object_get(root, "offers");
	json_t *offer = json_object_get(root, "offer");
	if (!json_is_array(offers) && json_is_object(offer)) {
		/* One offer (GET /api/offers/{slug}, as `jobtrack extract` reads a
		 * saved one): never a complete listing. */
		int rc = src_add_one(a, src, offer, recruitee_offer, out);
		json_decref(root);
		return rc;
	}
	if (!json_is_array(offers)) {
		snprintf(err, errlen, "Recruitee answered without an \"offers\" list: is the subdomain right?");
		json_decref(root);
		return -EINVAL;
	}
	int rc = src_add_items(a, src, offers, recruitee_offer, out);
	out->complete_listing = rc == 0;
	json_decref(root);
	return rc;
}

const struct source_adapter source_recruitee = {
	.name = "recruitee",
	.label = "Recruitee careers site",
	.target_help = "the company's subdomain, as in <company>.recruitee.com (e.g. channable)",
	.detect = recruitee_detect,
	.start = recruitee_start,
	.parse = recruitee_parse,
};

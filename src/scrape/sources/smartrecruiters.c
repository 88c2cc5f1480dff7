/* sources/smartrecruiters — SmartRecruiters' public Posting API.
 *
 * The list (GET /v1/companies/{company}/postings?limit=100&offset=N) is read
 * page by page until totalFound. It carries no job ad, so every listed
 * posting is fetched once more (GET …/postings/{id}) and emitted from that
 * detail, which holds every field the list item has plus jobAd.sections,
 * postingUrl and applyUrl. With the option {"details": false} postings come
 * from the list items alone, without descriptions.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/options.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/urlparts.h"

#define SR_ORIGIN        "https://api.smartrecruiters.com"
#define SR_PAGE_SIZE     100
#define SR_DEFAULT_PAGES 20   /* 2,000 postings */
#define SR_MAX_ITEMS     1000 /* per response; the API sends at most 100 */

/* Company identifiers are letters, digits and a few marks ("Ubisoft2", "BoschGroup"). */
static bool plausible_company(const char *s)
{
	if (!s || !*s || strlen(s) > 100)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_' || *c == '.'))
			return false;
	return true;
}

/* jobs.smartrecruiters.com/{Company}[/{id}-slug], careers.smartrecruiters.com/{Company},
 * jobs.smartrecruiters.com/oneclick-ui/company/{Company}/…, api.smartrecruiters.com/v1/companies/{Company}/… */
static int sr_detect(struct arena *a, const char *url, const char **target)
{
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0 || !url_host_is(&u, "smartrecruiters.com"))
		return -ENOENT;
	const char *company = NULL;
	const char *first = url_path_segment(a, &u, 0);
	if (strcmp(u.host, "api.smartrecruiters.com") == 0) {
		const char *second = url_path_segment(a, &u, 1);
		if (first && second && strcmp(first, "v1") == 0 && strcmp(second, "companies") == 0)
			company = url_path_segment(a, &u, 2);
	} else if (strcmp(u.host, "jobs.smartrecruiters.com") == 0 ||
		   strcmp(u.host, "careers.smartrecruiters.com") == 0) {
		company = first;
		if (first && strcmp(first, "oneclick-ui") == 0)
			company = url_path_segment(a, &u, 2);
	}
	if (!plausible_company(company))
		return -ENOENT;
	*target = company;
	return 0;
}

static const char *list_url(struct arena *a, const struct source_config *src, long offset)
{
	return src_url(a, src, SR_ORIGIN, "/v1/companies/%s/postings?limit=%d&offset=%ld",
		       src_url_escape(a, src->target), SR_PAGE_SIZE, offset);
}

static int sr_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	if (!plausible_company(src->target)) {
		snprintf(err, errlen, "the target must be a SmartRecruiters company identifier, e.g. Ubisoft2");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	return src_get_json(a, out, list_url(a, src, 0), "list", NULL) ? 0 : -ENOMEM;
}

/* "<h3>Job Description</h3>\n<p>…</p>" for each jobAd section that has text. */
static const char *job_ad_html(struct arena *a, json_t *item)
{
	static const char *const order[] = { "companyDescription", "jobDescription", "qualifications",
					     "additionalInformation" };
	json_t *sections = src_json_path(item, "jobAd.sections");
	const char *parts[2 * (sizeof(order) / sizeof(order[0]))];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		json_t *sec = json_object_get(sections, order[i]);
		const char *text = src_json_text(a, sec, "text");
		if (!text)
			continue;
		const char *title = src_json_text(a, sec, "title");
		parts[n++] = title ? arena_printf(a, "<h3>%s</h3>", markup_escape(a, title)) : NULL;
		parts[n++] = text;
	}
	return n ? src_join_html(a, parts, n) : NULL;
}

/* Remote and hybrid are flags on the location; an office-only posting says so,
 * if at all, in a custom field such as "Work flexibility: Office-based". */
static void set_workplace(struct posting *p, json_t *item)
{
	if (src_json_bool(item, "location.remote", false))
		p->workplace = WORKPLACE_REMOTE;
	else if (src_json_bool(item, "location.hybrid", false))
		p->workplace = WORKPLACE_HYBRID;
	if (p->workplace != WORKPLACE_UNKNOWN)
		return;
	json_t *fields = json_object_get(item, "customField");
	size_t i;
	json_t *f;
	json_array_foreach (fields, i, f) {
		const char *label = json_string_value(json_object_get(f, "fieldLabel"));
		if (!label || !(strcasestr(label, "flexib") || strcasestr(label, "workplace") ||
				strcasestr(label, "remote") || strcasestr(label, "work model")))
			continue;
		enum workplace w = workplace_parse(json_string_value(json_object_get(f, "valueLabel")));
		if (w != WORKPLACE_UNKNOWN) {
			p->workplace = w;
			return;
		}
	}
}

static void set_location(struct arena *a, struct posting *p, json_t *item)
{
	const char *full = src_json_text(a, item, "location.fullLocation");
	const char *city = src_json_text(a, item, "location.city");
	const char *region = src_json_text(a, item, "location.region");
	const char *country = src_json_text(a, item, "location.country");
	if (!full && (city || region))
		full = city && region ? arena_printf(a, "%s, %s", city, region) : city ? city : region;
	src_set_location(a, p, full);
	/* The structured fields beat what the normaliser read from the text. */
	if (city)
		p->location.locality = city;
	if (region)
		p->location.region = region;
	if (country && strlen(country) == 2) { /* lower case ISO 3166-1 ("fr") */
		p->location.country[0] = (char)(country[0] & ~0x20);
		p->location.country[1] = (char)(country[1] & ~0x20);
		p->location.country[2] = '\0';
	}
}

/* A posting from a list item or a detail (the detail is a superset). */
static int fill_posting(struct arena *a, const struct source_config *src, json_t *item, struct posting *p)
{
	p->title = src_json_text(a, item, "name");
	p->external_id = src_json_text(a, item, "id");
	if (!p->title || !p->external_id)
		return -EINVAL;
	p->source = "smartrecruiters";
	p->company = src_json_text(a, item, "company.name");
	if (!p->company)
		p->company = src->company ? src->company : src_json_text(a, item, "company.identifier");
	set_location(a, p, item);
	set_workplace(p, item);
	const char *label = src_json_text(a, item, "typeOfEmployment.label");
	p->employment_types = employment_parse(label);
	if (!p->employment_types)
		p->employment_types = employment_parse(src_json_text(a, item, "typeOfEmployment.id"));
	src_set_date(p, src_json_text(a, item, "releasedDate"), src->now);
	p->description_html = job_ad_html(a, item);
	p->url = src_json_text(a, item, "postingUrl");
	const char *company = src_json_text(a, item, "company.identifier");
	if (!company)
		company = src->target; /* NULL for a saved payload read alone: no page then */
	if (!p->url && company)
		p->url = arena_printf(a, "https://jobs.smartrecruiters.com/%s/%s", src_url_escape(a, company),
				      src_url_escape(a, p->external_id));
	p->apply_url = src_json_text(a, item, "applyUrl");
	if (!p->apply_url)
		p->apply_url = p->url;
	return 0;
}

static bool unlisted(struct arena *a, json_t *item)
{
	const char *v = src_json_text(a, item, "visibility");
	return v && (strcasecmp(v, "INTERNAL") == 0 || strcasecmp(v, "PRIVATE") == 0);
}

static int parse_list(struct arena *a, const struct source_config *src, const struct source_response *res, json_t *root,
		      struct source_result *out, char *err, size_t errlen)
{
	json_t *content = json_object_get(root, "content");
	if (!json_is_array(content)) {
		snprintf(err, errlen, "not a SmartRecruiters posting list: no \"content\" array");
		return -EINVAL;
	}
	long page = res->request ? res->request->page : 0;
	double offset = page * SR_PAGE_SIZE, total = 0;
	src_json_number(root, "offset", &offset);
	bool have_total = src_json_number(root, "totalFound", &total);
	/* Details and further pages need the company (the target); a saved list
	 * read without it gives its items as they are. */
	bool known = plausible_company(src->target);
	bool details = known && src_option_bool(src, "details", true);
	size_t n = json_array_size(content);
	for (size_t i = 0; i < n && i < SR_MAX_ITEMS; i++) {
		json_t *item = json_array_get(content, i);
		if (!json_is_object(item)) {
			out->warnings++;
			continue;
		}
		if (unlisted(a, item))
			continue;
		const char *id = src_json_text(a, item, "id");
		if (details && id) {
			const char *url = src_url(a, src, SR_ORIGIN, "/v1/companies/%s/postings/%s",
						  src_url_escape(a, src->target), src_url_escape(a, id));
			if (!src_get_json(a, &out->next, url, "detail", id))
				return -ENOMEM;
			continue;
		}
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		if (fill_posting(a, src, item, p) != 0)
			src_drop_posting(out);
	}
	double next = offset + (double)n;
	if (n == 0 || !have_total || next >= total) {
		out->complete_listing = true;
	} else if (known && page + 1 < src_page_limit(src, SR_DEFAULT_PAGES)) {
		struct source_request *r = src_get_json(a, &out->next, list_url(a, src, (long)next), "list", NULL);
		if (!r)
			return -ENOMEM;
		r->page = page + 1;
	}
	return 0;
}

static int parse_detail(struct arena *a, const struct source_config *src, json_t *root, struct source_result *out,
			char *err, size_t errlen)
{
	if (!json_is_object(root) || !json_object_get(root, "id")) {
		snprintf(err, errlen, "not a SmartRecruiters posting: no \"id\"");
		return -EINVAL;
	}
	if (unlisted(a, root))
		return 0;
	struct posting *p = posting_list_add(a, &out->postings);
	if (!p)
		return -ENOMEM;
	if (fill_posting(a, src, root, p) != 0)
		src_drop_posting(out);
	return 0;
}

static int sr_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	const char *step = res->request && res->request->step ? res->request->step : "list";
	int rc = strcmp(step, "detail") == 0 ? parse_detail(a, src, root, out, err, errlen)
					     : parse_list(a, src, res, root, out, err, errlen);
	json_decref(root);
	return rc;
}

static const struct source_option smartrecruiters_options[] = {
	{ "details", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_smartrecruiters = {
	.name = "smartrecruiters",
	.label = "SmartRecruiters",
	.options = smartrecruiters_options,
	.target_help = "company identifier, e.g. Ubisoft2 (from jobs.smartrecruiters.com/Ubisoft2)",
	.detect = sr_detect,
	.start = sr_start,
	.parse = sr_parse,
};

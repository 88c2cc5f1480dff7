/* sources/workday — Workday career sites, through the JSON ("CXS") API their
 * own pages call.
 *
 * The target is the careers URL an admin copies from the browser:
 * https://{tenant}.wd{N}.myworkdayjobs.com[/en-US]/{site} (or the
 * wd{N}.myworkdaysite.com/recruiting/{tenant}/{site} form). The list is
 * POST /wday/cxs/{tenant}/{site}/jobs with offset/limit; its "total" is only
 * trustworthy on the first page (later pages have been seen to answer 0), so
 * the first page's total travels with the later requests. The list has
 * neither description nor location details, so each posting is fetched from
 * GET /wday/cxs/{tenant}/{site}{externalPath} and emitted from there;
 * {"details": false} emits the list items ("Posted 3 Days Ago" and all).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/text.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/options.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/urlparts.h"

#define WD_PAGE_SIZE     20 /* what Workday's own pages ask for */
#define WD_DEFAULT_PAGES 50 /* 1,000 postings */
#define WD_MAX_ITEMS     1000

struct wd_site {
	const char *origin;     /* https://acme.wd5.myworkdayjobs.com */
	const char *tenant;     /* acme */
	const char *site;       /* External */
	const char *human_base; /* where posting pages live: origin + "/External" */
};

static bool plausible_name(const char *s)
{
	if (!s || !*s || strlen(s) > 100)
		return false;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return false;
	return true;
}

/* "en-US", "fr-FR", "de": the optional language segment before the site. */
static bool is_language(const char *seg)
{
	size_t n = seg ? strlen(seg) : 0;
	if (n != 2 && n != 5)
		return false;
	if (!islower((unsigned char)seg[0]) || !islower((unsigned char)seg[1]))
		return false;
	return n == 2 || (seg[2] == '-' && isupper((unsigned char)seg[3]) && isupper((unsigned char)seg[4]));
}

static int parse_site(struct arena *a, const char *url, struct wd_site *out)
{
	struct url_parts u;
	memset(out, 0, sizeof(*out));
	if (url_parts_parse(a, url, &u) != 0)
		return -ENOENT;
	int seg = 0;
	const char *first = url_path_segment(a, &u, seg);
	if (is_language(first))
		first = url_path_segment(a, &u, ++seg);
	out->origin = arena_printf(a, "https://%s", u.host);
	if (url_host_is(&u, "myworkdayjobs.com")) {
		size_t label = strcspn(u.host, ".");
		out->tenant = arena_strndup(a, u.host, label);
		if (first && strcmp(first, "wday") == 0) { /* the API URL itself: /wday/cxs/{tenant}/{site}/jobs */
			out->tenant = url_path_segment(a, &u, seg + 2);
			out->site = url_path_segment(a, &u, seg + 3);
		} else {
			out->site = first;
		}
		out->human_base = arena_printf(a, "%s/%s", out->origin, out->site ? out->site : "");
	} else if (url_host_is(&u, "myworkdaysite.com") && first && strcmp(first, "recruiting") == 0) {
		out->tenant = url_path_segment(a, &u, seg + 1);
		out->site = url_path_segment(a, &u, seg + 2);
		out->human_base = arena_printf(a, "%s/recruiting/%s/%s", out->origin, out->tenant ? out->tenant : "",
					       out->site ? out->site : "");
	} else {
		return -ENOENT;
	}
	if (!plausible_name(out->tenant) || !plausible_name(out->site))
		return -ENOENT;
	return 0;
}

static int wd_detect(struct arena *a, const char *url, const char **target)
{
	struct wd_site s;
	if (parse_site(a, url, &s) != 0)
		return -ENOENT;
	*target = s.human_base;
	return 0;
}

static const char *api_base(struct arena *a, const struct source_config *src, const struct wd_site *s)
{
	return url_rebase(
	    a, src,
	    arena_printf(a, "%s/wday/cxs/%s/%s", s->origin, src_url_escape(a, s->tenant), src_url_escape(a, s->site)));
}

static int add_list_request(struct arena *a, const struct source_config *src, const struct wd_site *s,
			    struct source_request_list *out, long page, const char *total)
{
	json_t *body = json_pack("{s{} si si ss}", "appliedFacets", "limit", WD_PAGE_SIZE, "offset",
				 (int)(page * WD_PAGE_SIZE), "searchText", "");
	const char *search = src_option_text(a, src, "search");
	if (body && search)
		json_object_set_new(body, "searchText", json_string(search));
	return src_post_json(a, out, arena_printf(a, "%s/jobs", api_base(a, src, s)), body, "list", page, total);
}

static int wd_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	struct wd_site s;
	if (parse_site(a, src->target, &s) != 0) {
		snprintf(
		    err, errlen,
		    "the target must be a Workday careers URL, e.g. https://acme.wd5.myworkdayjobs.com/en-US/External");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	return add_list_request(a, src, &s, out, 0, NULL);
}

static const char *company_of(struct arena *a, const struct source_config *src, const struct wd_site *s)
{
	return src->company ? src->company : src_company_from_slug(a, s->tenant);
}

/* A list item alone: title, "Posted 4 Days Ago", a location unless it is "5 Locations". */
static int fill_from_list(struct arena *a, const struct source_config *src, const struct wd_site *s, json_t *item,
			  const char *id, struct posting *p)
{
	p->title = src_json_text(a, item, "title");
	const char *path = src_json_text(a, item, "externalPath");
	if (!p->title || !path)
		return -EINVAL;
	p->source = "workday";
	p->external_id = id;
	p->company = company_of(a, src, s);
	const char *where = src_json_text(a, item, "locationsText");
	if (where && !strcasestr(where, " Locations"))
		src_set_location(a, p, where);
	src_set_date(p, src_json_text(a, item, "postedOn"), src->now);
	p->url = s->human_base ? arena_printf(a, "%s%s", s->human_base, path) : NULL;
	p->apply_url = p->url;
	return 0;
}

/* The posting's id: its requisition number (first bullet field), else its path. */
static const char *id_of(struct arena *a, json_t *item)
{
	const char *id = src_json_text(a, json_array_get(json_object_get(item, "bulletFields"), 0), "");
	return id ? id : src_json_text(a, item, "externalPath");
}

static int parse_list(struct arena *a, const struct source_config *src, const struct wd_site *s,
		      const struct source_response *res, json_t *root, struct source_result *out, char *err,
		      size_t errlen)
{
	json_t *jobs = json_object_get(root, "jobPostings");
	if (!json_is_array(jobs)) {
		snprintf(err, errlen, "not a Workday job list: no \"jobPostings\" array");
		return -EINVAL;
	}
	long page = res->request ? res->request->page : 0;
	long total = 0;
	const char *carried = page > 0 && res->request ? res->request->context : NULL;
	if (carried) {
		if (text_parse_long(carried, 0, 1000000000L, &total) != 0)
			total = 0;
	} else {
		double t = 0;
		if (src_json_number(root, "total", &t) && t > 0 && t < 1e9)
			total = (long)t;
	}
	/* Details and further pages need the site (the target); a saved list
	 * read without it gives its items as they are. */
	bool known = s->origin != NULL;
	bool details = known && src_option_bool(src, "details", true);
	size_t i;
	json_t *item;
	json_array_foreach (jobs, i, item) {
		if (i >= WD_MAX_ITEMS)
			break;
		const char *path = src_json_text(a, item, "externalPath");
		const char *id = id_of(a, item);
		if (!json_is_object(item) || !path || !id || path[0] != '/') {
			out->warnings++;
			continue;
		}
		if (details) {
			const char *url = arena_printf(a, "%s%s", api_base(a, src, s), path);
			if (!src_get_json(a, &out->next, url, "detail", id))
				return -ENOMEM;
			continue;
		}
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		if (fill_from_list(a, src, s, item, id, p) != 0)
			src_drop_posting(out);
	}
	long next_offset = (page + 1) * WD_PAGE_SIZE;
	if (json_array_size(jobs) == 0 || next_offset >= total)
		out->complete_listing = true;
	else if (known && page + 1 < src_page_limit(src, WD_DEFAULT_PAGES))
		return add_list_request(a, src, s, &out->next, page + 1, arena_printf(a, "%ld", total));
	return 0;
}

/* remoteType comes as text ("Fully Remote") or as {"descriptor": "Hybrid"}. */
static enum workplace remote_type(struct arena *a, json_t *info)
{
	const char *text = src_json_text(a, info, "remoteType");
	if (!text)
		text = src_json_text(a, info, "remoteType.descriptor");
	return workplace_parse(text);
}

static int fill_from_detail(struct arena *a, const struct source_config *src, const struct wd_site *s,
			    const struct source_response *res, json_t *root, struct posting *p)
{
	json_t *info = json_object_get(root, "jobPostingInfo");
	p->title = src_json_text(a, info, "title");
	if (!p->title)
		return -EINVAL;
	p->source = "workday";
	p->external_id = res->request && res->request->context ? res->request->context : NULL;
	if (!p->external_id)
		p->external_id = src_json_text(a, info, "jobReqId");
	if (!p->external_id)
		p->external_id = src_json_text(a, info, "id");
	if (!p->external_id)
		return -EINVAL;
	p->company = src_json_text(a, root, "hiringOrganization.name");
	if (!p->company)
		p->company = company_of(a, src, s);
	src_set_location(a, p, src_json_text(a, info, "location"));
	if (!p->location.country[0])
		(void)country_code(src_json_text(a, info, "country.descriptor"), p->location.country);
	enum workplace w = remote_type(a, info);
	if (w != WORKPLACE_UNKNOWN)
		p->workplace = w;
	p->employment_types = employment_parse(src_json_text(a, info, "timeType"));
	src_set_date(p, src_json_text(a, info, "startDate"), src->now);
	if (!p->date_posted[0])
		src_set_date(p, src_json_text(a, info, "postedOn"), src->now);
	p->description_html = src_json_text(a, info, "jobDescription");
	p->url = src_json_text(a, info, "externalUrl");
	if (!p->url) {
		const char *path = res->request && res->request->url ? strstr(res->request->url, "/job/") : NULL;
		p->url = path && s->human_base ? arena_printf(a, "%s%s", s->human_base, path) : s->human_base;
	}
	p->apply_url = p->url;
	return 0;
}

static int wd_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	/* Without a target (a saved payload read alone) the site is unknown: the
	 * postings then come without the links the site would give them. */
	struct wd_site s;
	memset(&s, 0, sizeof(s));
	if (src->target && parse_site(a, src->target, &s) != 0) {
		snprintf(err, errlen, "the target is not a Workday careers URL");
		return -EINVAL;
	}
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	const char *step = res->request && res->request->step ? res->request->step : "list";
	int rc = 0;
	if (strcmp(step, "detail") == 0) {
		if (!json_is_object(json_object_get(root, "jobPostingInfo"))) {
			snprintf(err, errlen, "not a Workday job: no \"jobPostingInfo\"");
			rc = -EINVAL;
		} else {
			struct posting *p = posting_list_add(a, &out->postings);
			if (!p)
				rc = -ENOMEM;
			else if (fill_from_detail(a, src, &s, res, root, p) != 0)
				src_drop_posting(out);
		}
	} else {
		rc = parse_list(a, src, &s, res, root, out, err, errlen);
	}
	json_decref(root);
	return rc;
}

static const struct source_option workday_options[] = {
	{ "search", SOURCE_OPTION_TEXT },
	{ "details", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_workday = {
	.name = "workday",
	.label = "Workday",
	.options = workday_options,
	.target_help = "careers URL, e.g. https://acme.wd5.myworkdayjobs.com/en-US/External",
	.detect = wd_detect,
	.start = wd_start,
	.parse = wd_parse,
};

/* sources/workable — Workable's public careers pages (apply.workable.com/{account}).
 *
 * The default path is the one the careers page itself uses: the list is
 * POST /api/v3/accounts/{account}/jobs, paged by the nextPage token sent back
 * as "token"; it has no description, so each job is fetched once more from
 * GET /api/v2/accounts/{account}/jobs/{shortcode} (description, requirements,
 * benefits) and emitted from there. {"details": false} emits the list items.
 *
 * Some accounts are configured on the older widget endpoint
 * ({"endpoint": "widget"}: GET /api/v1/widget/accounts/{account}?details=true),
 * which answers everything, descriptions included, in one response. Its
 * shape is recognised whichever request it answers, so an account whose
 * list endpoint answers in the widget's shape is read all the same.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/options.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/urlparts.h"

#define WK_ORIGIN        "https://apply.workable.com"
#define WK_DEFAULT_PAGES 30 /* the list sends about ten jobs a page */
#define WK_MAX_ITEMS     1000

static bool plausible_account(const char *s)
{
	if (!s || !*s || strlen(s) > 100)
		return false;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return false;
	return true;
}

/* apply.workable.com/{account}[/j/{shortcode}], apply.workable.com/api/v3/accounts/{account}/…,
 * and the older {account}.workable.com careers pages. */
static int wk_detect(struct arena *a, const char *url, const char **target)
{
	static const char *const not_accounts[] = { "www",       "apply",   "api",  "jobs",       "help",
						    "resources", "careers", "blog", "developers", "status" };
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0 || !url_host_is(&u, "workable.com"))
		return -ENOENT;
	const char *account = NULL;
	if (strcmp(u.host, "apply.workable.com") == 0) {
		account = url_path_segment(a, &u, 0);
		if (account && strcmp(account, "api") == 0) {
			const char *kind = url_path_segment(a, &u, 2);
			int at = kind && strcmp(kind, "widget") == 0 ? 4 : 3; /* /api/v1/widget/accounts/{a} */
			account = url_path_segment(a, &u, at);
		}
	} else {
		size_t sub = strlen(u.host) - strlen(".workable.com");
		account = arena_strndup(a, u.host, sub);
		for (size_t i = 0; account && i < sizeof(not_accounts) / sizeof(not_accounts[0]); i++)
			if (strcmp(account, not_accounts[i]) == 0)
				account = NULL;
	}
	if (!plausible_account(account) || strcmp(account, "j") == 0)
		return -ENOENT;
	*target = account;
	return 0;
}

/* The v3 list: every filter empty, plus the page token after the first page. */
static int add_list_request(struct arena *a, const struct source_config *src, struct source_request_list *out,
			    const char *token, long page)
{
	json_t *body = json_pack("{ss s[] s[] s[] s[]}", "query", "", "location", "department", "worktype", "remote");
	if (body && token)
		json_object_set_new(body, "token", json_string(token));
	const char *url = src_url(a, src, WK_ORIGIN, "/api/v3/accounts/%s/jobs", src_url_escape(a, src->target));
	return src_post_json(a, out, url, body, "list", page, token);
}

static int wk_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	if (!plausible_account(src->target)) {
		snprintf(err, errlen,
			 "the target must be a Workable account, e.g. acme (from apply.workable.com/acme)");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	const char *endpoint = src_option_text(a, src, "endpoint");
	if (endpoint && strcmp(endpoint, "widget") == 0) {
		const char *url = src_url(a, src, WK_ORIGIN, "/api/v1/widget/accounts/%s?details=true",
					  src_url_escape(a, src->target));
		return src_get_json(a, out, url, "widget", NULL) ? 0 : -ENOMEM;
	}
	if (endpoint && strcmp(endpoint, "v3") != 0) {
		snprintf(err, errlen, "unknown Workable endpoint option \"%s\" (v3 or widget)", endpoint);
		return -EINVAL;
	}
	return add_list_request(a, src, out, NULL, 0);
}

/* Workable writes kinds as "full", "part", "contract" (v3) or "Full-time" (widget). */
static unsigned employment_of(const char *type)
{
	unsigned bits = employment_parse(type);
	if (bits || !type)
		return bits;
	if (strcasecmp(type, "full") == 0)
		return EMPLOYMENT_FULL_TIME;
	if (strcasecmp(type, "part") == 0)
		return EMPLOYMENT_PART_TIME;
	return 0;
}

/* "on_site" / "hybrid" / "remote" */
static enum workplace workplace_of(struct arena *a, const char *word)
{
	char *w = word ? arena_strdup(a, word) : NULL;
	for (char *c = w; c && *c; c++)
		if (*c == '_')
			*c = '-';
	return workplace_parse(w);
}

static void set_location(struct arena *a, struct posting *p, const char *city, const char *region, const char *country,
			 const char *code)
{
	const char *parts[3] = { city, region, country };
	char raw[512] = "";
	size_t len = 0;
	for (int i = 0; i < 3; i++)
		if (parts[i] && len < sizeof(raw))
			len += (size_t)snprintf(raw + len, sizeof(raw) - len, "%s%s", len ? ", " : "", parts[i]);
	if (raw[0])
		src_set_location(a, p, arena_strdup(a, raw));
	if (city)
		p->location.locality = city;
	if (region)
		p->location.region = region;
	if (code && strlen(code) == 2) {
		p->location.country[0] = (char)toupper((unsigned char)code[0]);
		p->location.country[1] = (char)toupper((unsigned char)code[1]);
		p->location.country[2] = '\0';
	} else if (country) {
		(void)country_code(country, p->location.country);
	}
}

/* v3 and v2 write the location as an object (or, in some accounts, as text). */
static void set_location_v3(struct arena *a, struct posting *p, json_t *item)
{
	json_t *loc = json_object_get(item, "location");
	if (!json_is_object(loc)) {
		json_t *locs = json_object_get(item, "locations");
		size_t i;
		json_t *l;
		loc = NULL;
		json_array_foreach (locs, i, l) {
			if (json_is_object(l) && !src_json_bool(l, "hidden", false)) {
				loc = l;
				break;
			}
		}
	}
	if (loc)
		set_location(a, p, src_json_text(a, loc, "city"), src_json_text(a, loc, "region"),
			     src_json_text(a, loc, "country"), src_json_text(a, loc, "countryCode"));
	else
		src_set_location(a, p, src_json_text(a, item, "location"));
}

/* The job's page; NULL without a target (a saved payload read alone). */
static const char *job_url(struct arena *a, const struct source_config *src, const char *shortcode)
{
	if (!plausible_account(src->target))
		return NULL;
	return arena_printf(a, WK_ORIGIN "/%s/j/%s/", src_url_escape(a, src->target), src_url_escape(a, shortcode));
}

static const char *company_of(struct arena *a, const struct source_config *src, const char *account_name)
{
	if (src->company)
		return src->company;
	return account_name ? account_name : src_company_from_slug(a, src->target);
}

/* A v3 list item or a v2 detail (the same shape; the detail adds the texts). */
static int fill_v3(struct arena *a, const struct source_config *src, json_t *item, struct posting *p)
{
	p->title = src_json_text(a, item, "title");
	p->external_id = src_json_text(a, item, "shortcode");
	if (!p->title || !p->external_id)
		return -EINVAL;
	p->source = "workable";
	p->company = company_of(a, src, NULL);
	p->workplace = workplace_of(a, src_json_text(a, item, "workplace"));
	if (p->workplace == WORKPLACE_UNKNOWN && src_json_bool(item, "remote", false))
		p->workplace = WORKPLACE_REMOTE;
	set_location_v3(a, p, item);
	p->employment_types = employment_of(src_json_text(a, item, "type"));
	src_set_date(p, src_json_text(a, item, "published"), src->now);
	const char *requirements = src_json_text(a, item, "requirements");
	const char *benefits = src_json_text(a, item, "benefits");
	const char *parts[5] = {
		src_json_text(a, item, "description"),
		requirements ? "<h3>Requirements</h3>" : NULL,
		requirements,
		benefits ? "<h3>Benefits</h3>" : NULL,
		benefits,
	};
	p->description_html = src_join_html(a, parts, 5);
	p->url = job_url(a, src, p->external_id);
	p->apply_url = p->url;
	return 0;
}

/* An item of the v1 widget: flat city/state/country, "Full-time", telecommuting. */
static int fill_widget(struct arena *a, const struct source_config *src, json_t *item, const char *account_name,
		       struct posting *p)
{
	p->title = src_json_text(a, item, "title");
	p->external_id = src_json_text(a, item, "shortcode");
	if (!p->title || !p->external_id)
		return -EINVAL;
	p->source = "workable";
	p->company = company_of(a, src, account_name);
	if (src_json_bool(item, "telecommuting", false))
		p->workplace = WORKPLACE_REMOTE;
	json_t *first = json_array_get(json_object_get(item, "locations"), 0);
	if (src_json_text(a, item, "city") || src_json_text(a, item, "country") || !json_is_object(first))
		set_location(a, p, src_json_text(a, item, "city"), src_json_text(a, item, "state"),
			     src_json_text(a, item, "country"), src_json_text(a, item, "country_code"));
	else
		set_location(a, p, src_json_text(a, first, "city"), src_json_text(a, first, "region"),
			     src_json_text(a, first, "country"), src_json_text(a, first, "countryCode"));
	p->employment_types = employment_of(src_json_text(a, item, "employment_type"));
	src_set_date(p, src_json_text(a, item, "published_on"), src->now);
	if (!p->date_posted[0])
		src_set_date(p, src_json_text(a, item, "created_at"), src->now);
	p->description_html = src_json_text(a, item, "description");
	p->url = src_json_text(a, item, "url");
	if (!p->url)
		p->url = job_url(a, src, p->external_id);
	p->apply_url = src_json_text(a, item, "application_url");
	if (!p->apply_url)
		p->apply_url = p->url;
	return 0;
}

static bool unpublished(struct arena *a, json_t *item)
{
	const char *state = src_json_text(a, item, "state");
	return state && strcasecmp(state, "published") != 0;
}

static int parse_widget(struct arena *a, const struct source_config *src, json_t *root, struct source_result *out)
{
	json_t *jobs = json_object_get(root, "jobs");
	const char *account_name = src_json_text(a, root, "name");
	size_t i;
	json_t *item;
	json_array_foreach (jobs, i, item) {
		if (i >= WK_MAX_ITEMS)
			break;
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		if (!json_is_object(item) || fill_widget(a, src, item, account_name, p) != 0)
			src_drop_posting(out);
	}
	out->complete_listing = true;
	return 0;
}

static int parse_list(struct arena *a, const struct source_config *src, const struct source_response *res,
		      json_t *results, json_t *root, struct source_result *out)
{
	/* Details and further pages need the account (the target); a saved list
	 * read without it gives its items as they are. */
	bool known = plausible_account(src->target);
	bool details = known && src_option_bool(src, "details", true);
	size_t i;
	json_t *item;
	json_array_foreach (results, i, item) {
		if (i >= WK_MAX_ITEMS)
			break;
		if (!json_is_object(item)) {
			out->warnings++;
			continue;
		}
		if (unpublished(a, item))
			continue;
		const char *shortcode = src_json_text(a, item, "shortcode");
		if (details && shortcode) {
			const char *url = src_url(a, src, WK_ORIGIN, "/api/v2/accounts/%s/jobs/%s",
						  src_url_escape(a, src->target), src_url_escape(a, shortcode));
			if (!src_get_json(a, &out->next, url, "detail", shortcode))
				return -ENOMEM;
			continue;
		}
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		if (fill_v3(a, src, item, p) != 0)
			src_drop_posting(out);
	}
	long page = res->request ? res->request->page : 0;
	const char *token = src_json_text(a, root, "nextPage");
	/* A token that comes back unchanged would loop forever. */
	bool same = token && res->request && res->request->context && strcmp(token, res->request->context) == 0;
	if (!token || json_array_size(results) == 0 || same)
		out->complete_listing = !same;
	else if (known && page + 1 < src_page_limit(src, WK_DEFAULT_PAGES))
		return add_list_request(a, src, &out->next, token, page + 1);
	return 0;
}

static int parse_detail(struct arena *a, const struct source_config *src, json_t *root, struct source_result *out,
			char *err, size_t errlen)
{
	if (!json_is_object(root) || !json_object_get(root, "shortcode")) {
		snprintf(err, errlen, "not a Workable job: no \"shortcode\"");
		return -EINVAL;
	}
	if (unpublished(a, root))
		return 0;
	struct posting *p = posting_list_add(a, &out->postings);
	if (!p)
		return -ENOMEM;
	if (fill_v3(a, src, root, p) != 0)
		src_drop_posting(out);
	return 0;
}

static int wk_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	const char *step = res->request && res->request->step ? res->request->step : "list";
	int rc;
	json_t *results = json_object_get(root, "results");
	if (strcmp(step, "detail") == 0) {
		rc = parse_detail(a, src, root, out, err, errlen);
	} else if (json_is_array(json_object_get(root, "jobs"))) {
		rc = parse_widget(a, src, root, out);
	} else if (json_is_array(results)) {
		rc = parse_list(a, src, res, results, root, out);
	} else {
		snprintf(err, errlen, "not a Workable job list: neither \"results\" nor \"jobs\"");
		rc = -EINVAL;
	}
	json_decref(root);
	return rc;
}

static const struct source_option workable_options[] = {
	{ "endpoint", SOURCE_OPTION_TEXT },
	{ "details", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_workable = {
	.name = "workable",
	.label = "Workable",
	.options = workable_options,
	.target_help = "account, e.g. acme (from apply.workable.com/acme)",
	.detect = wk_detect,
	.start = wk_start,
	.parse = wk_parse,
};

/* sources/personio — Personio's XML job feed (https://{company}.jobs.personio.de/xml).
 *
 * One response holds every open position; a company with none answers an
 * empty <workzag-jobs/>, which is a complete (empty) listing, not an error.
 * Job description values come as CDATA or entity-escaped HTML; the XML
 * parser turns both into the same HTML text. The feed is read with
 * sources/markup.h's safe settings: no network, no entity expansion.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/options.h"
#include "scrape/sources/urlparts.h"

#define PERSONIO_MAX_POSITIONS 5000
#define PERSONIO_MAX_SECTIONS  50

/* A company slug ("acme-gmbh") or, for tenants elsewhere, a whole feed host
 * ("acme.jobs.personio.com"). */
static bool plausible_target(const char *s)
{
	if (!s || !*s || strlen(s) > 200)
		return false;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
			return false;
	return s[0] != '.' && s[0] != '-';
}

static const char *feed_host(struct arena *a, const char *target)
{
	return strchr(target, '.') ? target : arena_printf(a, "%s.jobs.personio.de", target);
}

static int personio_detect(struct arena *a, const char *url, const char **target)
{
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0)
		return -ENOENT;
	bool de = url_host_is(&u, "jobs.personio.de"), com = url_host_is(&u, "jobs.personio.com");
	if (!de && !com)
		return -ENOENT;
	size_t suffix = strlen(de ? ".jobs.personio.de" : ".jobs.personio.com");
	if (strlen(u.host) <= suffix)
		return -ENOENT;
	const char *slug = arena_strndup(a, u.host, strlen(u.host) - suffix);
	if (!plausible_target(slug) || strchr(slug, '.'))
		return -ENOENT;
	*target = de ? slug : u.host;
	return 0;
}

static int personio_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
			  size_t errlen)
{
	if (!plausible_target(src->target)) {
		snprintf(err, errlen, "the target must be a Personio company, e.g. acme (from acme.jobs.personio.de)");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	const char *language = src_option_text(a, src, "language");
	const char *origin = arena_printf(a, "https://%s", feed_host(a, src->target));
	const char *url = src_url(a, src, origin, "/xml?language=%s", src_url_escape(a, language ? language : "en"));
	struct source_request *r = src_get(a, out, url, REQUEST_API, "feed");
	if (!r)
		return -ENOMEM;
	r->accept = "application/xml, text/xml";
	return 0;
}

/* Each <jobDescription> as "<h3>name</h3>" + its HTML value. */
static const char *description_of(struct arena *a, xmlNodePtr position)
{
	const char *parts[2 * PERSONIO_MAX_SECTIONS];
	size_t n = 0;
	xmlNodePtr list = markup_child(position, "jobDescriptions");
	for (xmlNodePtr d = markup_child(list, "jobDescription"); d && n < 2 * PERSONIO_MAX_SECTIONS;
	     d = markup_next(d, "jobDescription")) {
		const char *value = markup_child_raw(a, d, "value");
		if (!value)
			continue;
		const char *name = markup_child_text(a, d, "name");
		parts[n++] = name ? arena_printf(a, "<h3>%s</h3>", markup_escape(a, name)) : NULL;
		parts[n++] = value;
	}
	return n ? src_join_html(a, parts, n) : NULL;
}

/* employmentType says the contract (permanent, intern, trainee, freelance),
 * schedule the hours (full-time, part-time): hours from the schedule win, and
 * "permanent" only means full time when no schedule says otherwise. */
static unsigned employment_of(struct arena *a, xmlNodePtr position)
{
	unsigned contract = employment_parse(markup_child_text(a, position, "employmentType"));
	unsigned hours = employment_parse(markup_child_text(a, position, "schedule"));
	unsigned hour_bits = EMPLOYMENT_FULL_TIME | EMPLOYMENT_PART_TIME;
	if (hours & hour_bits)
		return (hours & hour_bits) | (contract & ~hour_bits);
	return contract | hours;
}

static int fill_posting(struct arena *a, const struct source_config *src, xmlNodePtr position, struct posting *p)
{
	p->title = markup_child_text(a, position, "name");
	p->external_id = markup_child_text(a, position, "id");
	if (!p->title || !p->external_id)
		return -EINVAL;
	p->source = "personio";
	p->company = markup_child_text(a, position, "subcompany");
	if (!p->company)
		p->company = src->company;
	if (!p->company && src->target) /* no target: `jobtrack extract` reading a saved feed */
		p->company = strchr(src->target, '.') ? NULL : src_company_from_slug(a, src->target);
	src_set_location(a, p, markup_child_text(a, position, "office"));
	if (p->workplace == WORKPLACE_UNKNOWN)
		p->workplace = workplace_scan(p->title);
	p->employment_types = employment_of(a, position);
	src_set_date(p, markup_child_text(a, position, "createdAt"), src->now);
	p->description_html = description_of(a, position);
	p->url = src->target ? arena_printf(a, "https://%s/job/%s", feed_host(a, src->target),
					    src_url_escape(a, p->external_id))
			     : NULL;
	p->apply_url = p->url;
	return 0;
}

static int personio_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
			  struct source_result *out, char *err, size_t errlen)
{
	xmlDocPtr doc = markup_read_xml(res->body, res->len, err, errlen);
	if (!doc)
		return -EINVAL;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!markup_is(root, "workzag-jobs")) {
		snprintf(err, errlen, "not a Personio feed: the root element is <%.40s>, not <workzag-jobs>",
			 root && root->name ? (const char *)root->name : "?");
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	int rc = 0, seen = 0;
	xmlNodePtr pos = markup_child(root, "position");
	for (; pos && seen < PERSONIO_MAX_POSITIONS; pos = markup_next(pos, "position"), seen++) {
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		if (fill_posting(a, src, pos, p) != 0)
			src_drop_posting(out);
	}
	/* A feed cut at the bound does not show every position. */
	out->complete_listing = rc == 0 && !pos;
	xmlFreeDoc(doc);
	return rc;
}

static const struct source_option personio_options[] = {
	{ "language", SOURCE_OPTION_TEXT },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_personio = {
	.name = "personio",
	.label = "Personio",
	.options = personio_options,
	.target_help = "company, e.g. acme (from acme.jobs.personio.de)",
	.detect = personio_detect,
	.start = personio_start,
	.parse = personio_parse,
};

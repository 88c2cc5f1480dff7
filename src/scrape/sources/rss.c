/* sources/rss — job feeds in RSS 2.0 (also RSS 1.0/RDF) and Atom, as job
 * boards such as We Work Remotely publish them.
 *
 * Feeds carry little structure, so the adapter reads what boards add to it:
 * "Company: Title" titles (split on the first ": " when the configuration
 * names no company), <region>/<country>/<state>, <type>, <salary>, and
 * <expires_at>: an item whose expiry is already past src->now is dropped,
 * otherwise it becomes valid_through. Descriptions come escaped or as CDATA;
 * the XML parser turns both into the same HTML text.
 *
 * Options: {"workplace": "remote"} for boards whose every job is remote
 * (weworkremotely.com is taken as remote without it), {"split_title": false}
 * to keep titles whole.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/timefmt.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/options.h"
#include "scrape/sources/urlparts.h"

#define RSS_MAX_ITEMS 5000

/* A URL whose path says it is a feed: …/jobs.rss, …/feed, …/atom.xml */
static int rss_detect(struct arena *a, const char *url, const char **target)
{
	static const char *const endings[] = { ".rss",   ".atom", "/feed",    "/rss",    "/atom",
					       "/feed/", "/rss/", "feed.xml", "rss.xml", "atom.xml" };
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0)
		return -ENOENT;
	size_t n = strlen(u.path);
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t k = strlen(endings[i]);
		if (n >= k && strcasecmp(u.path + n - k, endings[i]) == 0) {
			*target = arena_strdup(a, url);
			return *target ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

static int rss_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		     size_t errlen)
{
	struct url_parts u;
	if (url_parts_parse(a, src->target, &u) != 0) {
		snprintf(err, errlen, "the target must be the feed's http(s) URL");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	const char *workplace = src_option_text(a, src, "workplace");
	if (workplace && workplace_parse(workplace) == WORKPLACE_UNKNOWN) {
		snprintf(err, errlen, "the workplace option must be remote, hybrid or onsite");
		return -EINVAL;
	}
	struct source_request *r = src_get(a, out, url_rebase(a, src, src->target), REQUEST_API, "feed");
	if (!r)
		return -ENOMEM;
	r->accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8";
	return 0;
}

/* What the whole feed says about its items. */
struct feed {
	const struct source_config *src;
	enum workplace workplace; /* every item's, when the board says so */
	bool split_title;
	char today[TIMEFMT_DATE_LEN];
};

static const char *first_text(struct arena *a, xmlNodePtr item, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = markup_child_text(a, item, names[i]);
		if (t)
			return t;
	}
	return NULL;
}

/* "Fin: Solutions Architect" → company Fin, title Solutions Architect. */
static void set_title(struct arena *a, const struct feed *f, struct posting *p, const char *title)
{
	p->company = f->src->company;
	p->title = title;
	const char *colon = title ? strstr(title, ": ") : NULL;
	if (p->company || !f->split_title || !colon || colon == title || !colon[2])
		return;
	p->company = arena_strndup(a, title, (size_t)(colon - title));
	p->title = colon + 2;
}

/* Board extensions shared by RSS items and Atom entries. */
static bool set_board_fields(struct arena *a, const struct feed *f, xmlNodePtr item, struct posting *p)
{
	static const char *const expiry[] = { "expires_at", "expires", "validThrough", "valid_through" };
	const char *expires = first_text(a, item, expiry, 4);
	if (expires && date_parse(expires, f->src->now, p->valid_through) == 0 &&
	    strcmp(p->valid_through, f->today) < 0)
		return false; /* expired: the board keeps it in the feed, we do not */
	static const char *const places[] = { "region", "location", "job_location" };
	const char *place = first_text(a, item, places, 3);
	const char *state = markup_child_text(a, item, "state");
	const char *country = markup_child_text(a, item, "country");
	if (!place && (state || country))
		place = state && country ? arena_printf(a, "%s, %s", state, country) : state ? state : country;
	src_set_location(a, p, place);
	if (!p->location.country[0] && country)
		(void)country_code(country, p->location.country);
	static const char *const types[] = { "type", "job_type", "jobType", "employment_type" };
	p->employment_types = employment_parse(first_text(a, item, types, 4));
	src_set_salary_text(p, markup_child_text(a, item, "salary"), NULL);
	if (f->workplace != WORKPLACE_UNKNOWN)
		p->workplace = f->workplace;
	else if (p->workplace == WORKPLACE_UNKNOWN)
		p->workplace = workplace_scan(p->title);
	return true;
}

/* An RSS <item>: 1 kept, 0 dropped (expired), -1 unreadable. */
static int fill_rss_item(struct arena *a, const struct feed *f, xmlNodePtr item, struct posting *p)
{
	set_title(a, f, p, markup_child_text(a, item, "title"));
	const char *link = markup_child_text(a, item, "link");
	const char *guid = markup_child_text(a, item, "guid");
	p->external_id = guid ? guid : link;
	if (!p->title || !p->external_id)
		return -1;
	p->source = "rss";
	struct url_parts u;
	p->url = link ? link : url_parts_parse(a, guid, &u) == 0 ? guid : NULL;
	p->apply_url = p->url;
	/* content:encoded holds the full text where a feed has both. */
	p->description_html = markup_child_raw(a, item, "encoded");
	if (!p->description_html)
		p->description_html = markup_child_raw(a, item, "description");
	static const char *const dates[] = { "pubDate", "date", "published", "updated" };
	src_set_date(p, first_text(a, item, dates, 4), f->src->now);
	return set_board_fields(a, f, item, p) ? 1 : 0;
}

/* Atom's <link rel="alternate" href> (or the first link without a rel). */
static const char *atom_link(struct arena *a, xmlNodePtr entry)
{
	const char *fallback = NULL;
	for (xmlNodePtr l = markup_child(entry, "link"); l; l = markup_next(l, "link")) {
		const char *rel = markup_attr(a, l, "rel");
		const char *href = markup_attr(a, l, "href");
		if (href && rel && strcmp(rel, "alternate") == 0)
			return href;
		if (href && !rel && !fallback)
			fallback = href;
	}
	return fallback;
}

/* Atom text constructs: type="html" holds escaped HTML, "xhtml" a <div> of
 * markup, "text" (the default) plain text. */
static const char *atom_html(struct arena *a, xmlDocPtr doc, xmlNodePtr node)
{
	if (!node)
		return NULL;
	const char *type = markup_attr(a, node, "type");
	if (type && strcmp(type, "xhtml") == 0)
		return markup_inner_html(a, doc, markup_child(node, "div"));
	if (type && (strcmp(type, "html") == 0 || strcmp(type, "text/html") == 0))
		return markup_raw_text(a, node);
	return markup_escape(a, markup_raw_text(a, node));
}

static int fill_atom_entry(struct arena *a, const struct feed *f, xmlDocPtr doc, xmlNodePtr entry, struct posting *p)
{
	set_title(a, f, p, markup_child_text(a, entry, "title"));
	p->url = atom_link(a, entry);
	p->external_id = markup_child_text(a, entry, "id");
	if (!p->external_id)
		p->external_id = p->url;
	if (!p->title || !p->external_id)
		return -1;
	p->source = "rss";
	p->apply_url = p->url;
	p->description_html = atom_html(a, doc, markup_child(entry, "content"));
	if (!p->description_html)
		p->description_html = atom_html(a, doc, markup_child(entry, "summary"));
	static const char *const dates[] = { "published", "updated" };
	src_set_date(p, first_text(a, entry, dates, 2), f->src->now);
	return set_board_fields(a, f, entry, p) ? 1 : 0;
}

static void feed_init(struct arena *a, const struct source_config *src, struct feed *f)
{
	memset(f, 0, sizeof(*f));
	f->src = src;
	f->split_title = src_option_bool(src, "split_title", true);
	f->workplace = workplace_parse(src_option_text(a, src, "workplace"));
	struct url_parts u;
	if (f->workplace == WORKPLACE_UNKNOWN && url_parts_parse(a, src->target, &u) == 0 &&
	    url_host_is(&u, "weworkremotely.com"))
		f->workplace = WORKPLACE_REMOTE; /* the board lists remote jobs only */
	timefmt_date(src->now, f->today);
}

static int rss_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		     struct source_result *out, char *err, size_t errlen)
{
	xmlDocPtr doc = markup_read_xml(res->body, res->len, err, errlen);
	if (!doc)
		return -EINVAL;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr first = NULL;
	const char *item_name = "item";
	bool atom = false;
	if (markup_is(root, "rss")) {
		first = markup_child(markup_child(root, "channel"), "item");
	} else if (markup_is(root, "RDF")) { /* RSS 1.0: items beside the channel */
		first = markup_child(root, "item");
	} else if (markup_is(root, "feed")) {
		atom = true;
		item_name = "entry";
		first = markup_child(root, "entry");
	} else {
		snprintf(err, errlen, "not an RSS or Atom feed: the root element is <%.40s>",
			 root && root->name ? (const char *)root->name : "?");
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	struct feed f;
	feed_init(a, src, &f);
	int rc = 0, seen = 0;
	xmlNodePtr item = first;
	for (; item && seen < RSS_MAX_ITEMS; item = markup_next(item, item_name), seen++) {
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		int kept = atom ? fill_atom_entry(a, &f, doc, item, p) : fill_rss_item(a, &f, item, p);
		if (kept <= 0)
			out->postings.count--;
		if (kept < 0)
			out->warnings++;
	}
	out->complete_listing = rc == 0 && !item;
	xmlFreeDoc(doc);
	return rc;
}

static const struct source_option rss_options[] = {
	{ "workplace", SOURCE_OPTION_TEXT },
	{ "split_title", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_rss = {
	.name = "rss",
	.label = "RSS or Atom job feed",
	.options = rss_options,
	.target_help = "feed URL, e.g. https://weworkremotely.com/categories/remote-programming-jobs.rss",
	.detect = rss_detect,
	.start = rss_start,
	.parse = rss_parse,
};

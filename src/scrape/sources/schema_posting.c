/* sources/schema_posting — one schema.org JobPosting as a normalised
 * posting: title, company, dates, employment type, description, identity
 * and links; place and pay are schema_place.c's and schema_salary.c's.
 * See schema.h.
 *
 * Identity. external_id is the posting's identifier (text, a number, a
 * PropertyValue's value, the first of an array) prefixed with the host of
 * the page ("jobs.acme.com/4711"): the jsonld source spans every site, and
 * two sites numbering their postings 1, 2, 3 must not collide. Without an
 * identifier it is a hash of the canonical URL — the posting's url, else
 * the page's — with the title added when one page holds several postings
 * and they have no url of their own. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/normalize.h"
#include "scrape/sources/schema.h"
#include "scrape/sources/urlparts.h"

const char *schema_hash_id(struct arena *a, const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
		h ^= *c;
		h *= 1099511628211ULL;
	}
	return arena_printf(a, "u:%016llx", (unsigned long long)h);
}

/* A link property resolved against the page: "url": "/jobs/7". */
static const char *link(struct arena *a, const struct schema_page *page, json_t *v)
{
	const char *href = schema_text(a, v, false);
	if (!href && json_is_object(v))
		href = schema_prop(a, v, "url");
	if (!href)
		return NULL;
	return url_resolve(a, page->url, href);
}

static const char *company(struct arena *a, const struct schema_page *page, json_t *obj)
{
	json_t *org = json_object_get(obj, "hiringOrganization");
	const char *name = NULL;
	for (size_t i = 0; !name && i < schema_count(org); i++) {
		json_t *o = schema_item(org, i);
		name = json_is_object(o) ? schema_prop(a, o, "name") : schema_text(a, o, false);
		if (name && (strncmp(name, "http://", 7) == 0 || strncmp(name, "https://", 8) == 0))
			name = NULL; /* an organisation written as its URL */
	}
	if (name)
		return name;
	if (page->company)
		return page->company;
	/* Last resort: the organisation's site ("https://www.acme.com" → "acme.com"). */
	json_t *o = schema_item(org, 0);
	const char *site = json_is_object(o) ? schema_prop(a, o, "sameAs") : NULL;
	if (!site && json_is_object(o))
		site = schema_prop(a, o, "url");
	struct url_parts u;
	if (site && url_parts_parse(a, site, &u) == 0) {
		const char *h = u.host;
		return strncmp(h, "www.", 4) == 0 ? h + 4 : h;
	}
	return NULL;
}

static unsigned employment(struct arena *a, json_t *v)
{
	unsigned bits = 0;
	for (size_t i = 0; i < schema_count(v); i++) {
		const char *t = schema_text(a, schema_item(v, i), false);
		if (!t)
			continue;
		/* "FULL_TIME, CONTRACTOR" in one string, as some plugins write it. */
		char *copy = arena_strdup(a, t);
		for (char *s = copy; s && *s;) {
			size_t n = strcspn(s, ",;/|");
			char save = s[n];
			s[n] = '\0';
			bits |= employment_parse(s);
			s += n + (save ? 1 : 0);
		}
	}
	return bits;
}

static void date_into(struct arena *a, json_t *v, time_t now, char out[11])
{
	const char *t = schema_text(a, v, false);
	if (t)
		(void)date_parse(t, now, out);
}

/* The description: an HTML string (escaped or not; finish.c decodes and
 * sanitises), or the parts some pages use instead of one. */
static const char *description(struct arena *a, json_t *obj)
{
	json_t *d = json_object_get(obj, "description");
	if (json_is_array(d)) {
		struct buf b;
		buf_init(&b, SCHEMA_TEXT_MAX);
		for (size_t i = 0; i < schema_count(d); i++) {
			const char *t = schema_text(a, schema_item(d, i), false);
			if (t)
				buf_printf(&b, "%s%s", b.len ? "\n" : "", t);
		}
		const char *out = !buf_failed(&b) && b.len ? arena_strndup(a, b.data, b.len) : NULL;
		buf_free(&b);
		return out;
	}
	const char *text = schema_text(a, d, false);
	if (text)
		return text;
	static const char *const parts[] = { "responsibilities", "qualifications", "skills", "educationRequirements",
					     "experienceRequirements" };
	struct buf b;
	buf_init(&b, SCHEMA_TEXT_MAX);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *t = schema_prop(a, obj, parts[i]);
		if (t)
			buf_printf(&b, "%s<p>%s</p>", b.len ? "\n" : "", t);
	}
	const char *out = !buf_failed(&b) && b.len ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return out;
}

/* potentialAction {"@type":"ApplyAction","target":"…"|{"urlTemplate":"…"}}. */
static const char *apply_action(struct arena *a, const struct schema_page *page, json_t *obj)
{
	json_t *acts = json_object_get(obj, "potentialAction");
	for (size_t i = 0; i < schema_count(acts); i++) {
		json_t *act = schema_item(acts, i);
		if (!schema_is_type(act, "ApplyAction"))
			continue;
		json_t *target = json_object_get(act, "target");
		if (json_is_array(target))
			target = json_array_get(target, 0);
		const char *href =
		    json_is_object(target) ? schema_prop(a, target, "urlTemplate") : schema_text(a, target, false);
		if (href)
			return url_resolve(a, page->url, href);
	}
	return NULL;
}

static const char *identity(struct arena *a, const struct schema_page *page, json_t *obj, const struct posting *p)
{
	json_t *idv = json_object_get(obj, "identifier");
	const char *id = NULL;
	for (size_t i = 0; !id && i < schema_count(idv); i++) {
		json_t *e = schema_item(idv, i);
		id = json_is_object(e) ? schema_prop(a, e, "value") : schema_text(a, e, false);
		if (!id && json_is_object(e))
			id = schema_prop(a, e, "@id");
	}
	struct url_parts u;
	const char *where = p->url ? p->url : page->url;
	const char *host = where && url_parts_parse(a, where, &u) == 0 ? u.host : NULL;
	if (id)
		return host ? arena_printf(a, "%s/%s", host, id) : id;
	if (!where) /* a page read from a file, with no address: its content is all there is */
		return schema_hash_id(a, arena_printf(a, "%s\n%s", p->title, p->company ? p->company : ""));
	bool own_url = p->url && (!page->url || strcmp(p->url, page->url) != 0);
	if (!own_url && page->postings > 1)
		return schema_hash_id(a, arena_printf(a, "%s\n%s", where, p->title));
	return schema_hash_id(a, where);
}

int schema_posting(struct arena *a, const struct schema_page *page, json_t *obj, struct posting *p)
{
	if (!json_is_object(obj))
		return -EINVAL;
	p->source = "jsonld";
	p->title = schema_prop(a, obj, "title");
	if (!p->title)
		p->title = schema_prop(a, obj, "name");
	if (!p->title)
		return -EINVAL;
	p->company = company(a, page, obj);
	p->url = link(a, page, json_object_get(obj, "url"));
	if (!p->url)
		p->url = link(a, page, json_object_get(obj, "sameAs"));
	p->apply_url = apply_action(a, page, obj);
	if (!p->apply_url && json_is_object(json_object_get(obj, "applicationContact")))
		p->apply_url = link(a, page, json_object_get(json_object_get(obj, "applicationContact"), "url"));
	/* directApply: true says the posting's own page takes the application;
	 * finish.c makes the page the apply link when none is known anyway. */
	if (!p->url && page->url)
		p->url = url_resolve(a, NULL, page->url);
	p->external_id = identity(a, page, obj, p);
	if (schema_place(a, obj, p) != 0)
		return -ENOMEM;
	if (p->workplace == WORKPLACE_UNKNOWN)
		p->workplace = workplace_scan(p->title);
	p->employment_types = employment(a, json_object_get(obj, "employmentType"));
	schema_salary(obj, p);
	date_into(a, json_object_get(obj, "datePosted"), page->now, p->date_posted);
	date_into(a, json_object_get(obj, "validThrough"), page->now, p->valid_through);
	p->description_html = description(a, obj);
	return 0;
}

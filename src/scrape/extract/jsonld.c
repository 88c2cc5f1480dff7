/* jsonld — from a page's ld+json bodies (jsonld_scan.c, jsonld_repair.c) to
 * its JobPosting objects: which values are JobPostings, where they may
 * hide, and the @id references a graph uses instead of nesting. */
#include "scrape/extract/jsonld.h"

#include <string.h>
#include <strings.h>

/* References replaced by copies, per script body: a bound on the copying a
 * page of many postings that all point at one big node could cause. */
#define JSONLD_REF_COPIES_MAX 256

int jsonld_type_matches(const char *written, const char *type)
{
	static const char *const prefixes[] = {
		"http://schema.org/",      "https://schema.org/", "http://www.schema.org/",
		"https://www.schema.org/", "//schema.org/",       "schema:",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncasecmp(written, prefixes[i], n) == 0) {
			written += n;
			break;
		}
	}
	return strcasecmp(written, type) == 0;
}

int jsonld_is_job_posting(const json_t *v)
{
	if (!json_is_object(v))
		return 0;
	json_t *type = json_object_get(v, "@type");
	if (json_is_string(type))
		return jsonld_type_matches(json_string_value(type), "JobPosting");
	size_t i;
	json_t *t;
	json_array_foreach (type, i, t)
		if (json_is_string(t) && jsonld_type_matches(json_string_value(t), "JobPosting"))
			return 1;
	return 0;
}

/* Visits v and what it contains, depth first, to JSONLD_DEPTH_MAX; visit
 * returns 0 to leave a value's contents unvisited. */
static void walk(json_t *v, int depth, int (*visit)(json_t *v, void *ctx), void *ctx)
{
	if (depth > JSONLD_DEPTH_MAX || !visit(v, ctx))
		return;
	if (json_is_object(v)) {
		const char *key;
		json_t *member;
		json_object_foreach (v, key, member)
			walk(member, depth + 1, visit, ctx);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e)
			walk(e, depth + 1, visit, ctx);
	}
}

/* ---- @id references -------------------------------------------------------- */

/* {"@id": "…"} and nothing else: a pointer to a node defined elsewhere. */
static const char *reference_id(json_t *v)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	return json_string_value(json_object_get(v, "@id"));
}

/* Every node that defines an @id (has it and something more), first one
 * wins, into index (an object used as a map from id to node). */
static int index_node(json_t *v, void *index)
{
	const char *id = json_string_value(json_object_get(v, "@id"));
	if (id && json_object_size(v) > 1 && !json_object_get(index, id))
		json_object_set(index, id, v);
	return 1;
}

/* A copy of the node ref points at, or NULL to leave ref as it is. A
 * JobPosting is never copied into another, so no posting contains itself. */
static json_t *resolve(json_t *ref, json_t *index, unsigned *copies)
{
	const char *id = reference_id(ref);
	json_t *target = id ? json_object_get(index, id) : NULL;
	if (!target || jsonld_is_job_posting(target) || *copies >= JSONLD_REF_COPIES_MAX)
		return NULL;
	++*copies;
	return json_deep_copy(target);
}

/* Replaces the references among a posting's properties and the elements of
 * its array properties by copies of what they point at. */
static void resolve_references(json_t *posting, json_t *index, unsigned *copies)
{
	const char *key;
	json_t *value;
	json_object_foreach (posting, key, value) {
		json_t *copy = resolve(value, index, copies);
		if (copy) {
			json_object_set_new(posting, key, copy); /* replaces in place: the iteration goes on */
			continue;
		}
		size_t i;
		json_t *e;
		json_array_foreach (value, i, e) {
			copy = resolve(e, index, copies);
			if (copy)
				json_array_set_new(value, i, copy);
		}
	}
}

/* ---- finding the postings --------------------------------------------------- */

/* Appends a JobPosting to out; anything else is searched further. */
static int collect(json_t *v, void *out)
{
	if (!jsonld_is_job_posting(v))
		return 1;
	json_array_append(out, v);
	return 0;
}

struct page_scan {
	json_t *postings;
	struct jsonld_stats *stats;
};

/* A body that cannot hold a JobPosting (an Organization, a BreadcrumbList)
 * is not parsed: the word must be there, in one of the cases we accept. */
static int may_hold_posting(const char *body, size_t len)
{
	static const char *const spellings[] = { "JobPosting", "jobposting", "jobPosting", "Jobposting", "JOBPOSTING" };
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (memmem(body, len, spellings[i], 10))
			return 1;
	return 0;
}

static int on_body(const char *body, size_t len, void *ctx)
{
	struct page_scan *scan = ctx;
	if (!may_hold_posting(body, len)) {
		scan->stats->skipped++;
		return 0;
	}
	if (len > JSONLD_BODY_MAX) {
		scan->stats->failed++;
		return 0;
	}
	bool repaired;
	json_t *root = jsonld_parse_body(body, len, &repaired);
	if (!root) {
		scan->stats->failed++;
		return 0;
	}
	scan->stats->repaired += repaired;
	size_t before = json_array_size(scan->postings);
	walk(root, 0, collect, scan->postings);
	size_t after = json_array_size(scan->postings);
	if (after > before) {
		json_t *index = json_object();
		if (index) {
			walk(root, 0, index_node, index);
			unsigned copies = 0;
			for (size_t i = before; i < after; i++)
				resolve_references(json_array_get(scan->postings, i), index, &copies);
			json_decref(index);
		}
	}
	json_decref(root);
	return 0;
}

json_t *jsonld_job_postings(const char *html, size_t len, struct jsonld_stats *stats)
{
	struct jsonld_stats local;
	struct page_scan scan = { json_array(), stats ? stats : &local };
	memset(scan.stats, 0, sizeof(*scan.stats));
	if (!scan.postings)
		return NULL;
	scan.stats->scripts = jsonld_scan(html, len, on_body, &scan);
	scan.stats->postings = (unsigned)json_array_size(scan.postings);
	return scan.postings;
}

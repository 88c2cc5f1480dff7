/* sources/common — what adapters share: reading jansson values the way
 * sources actually write them (numbers as strings and strings as numbers),
 * building request URLs that honour a test/self-hosted base_url, and
 * filling the posting fields every adapter fills the same way.
 * Everything returned lives in the arena passed in. */
#ifndef JT_SCRAPE_SOURCES_COMMON_H
#define JT_SCRAPE_SOURCES_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "scrape/posting.h"
#include "scrape/source.h"

struct arena;

/* A member by dotted path ("compensation.summaryComponents"); NULL when any
 * step is missing or not an object. */
json_t *src_json_path(json_t *obj, const char *path);
/* The string at path, trimmed; a number is formatted (ids often come as
 * numbers); NULL for missing, null, empty or non-scalar values. */
const char *src_json_text(struct arena *a, json_t *obj, const char *path);
/* The number at path; a numeric string ("3750") counts. false when absent. */
bool src_json_number(json_t *obj, const char *path, double *out);
/* true/false at path, with "true"/"false"/1/0 accepted; dflt when absent. */
bool src_json_bool(json_t *obj, const char *path, bool dflt);

/* Parses a whole payload; NULL with err filled ("not JSON: … at line 3"). */
json_t *src_json_load(const char *body, size_t len, char *err, size_t errlen);

/* "https://boards-api.greenhouse.io" + "/v1/boards/%s/jobs": the real origin,
 * or src->base_url when set. Path segments taken from configuration are
 * percent-encoded with src_url_escape first. */
const char *src_url(struct arena *a, const struct source_config *src, const char *origin, const char *path_fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Percent-encodes everything outside RFC 3986 unreserved characters; NULL
 * (a source without a target) as "". */
const char *src_url_escape(struct arena *a, const char *s);

/* Adds a GET request for url with the given kind and step. NULL on ENOMEM. */
struct source_request *src_get(struct arena *a, struct source_request_list *list, const char *url,
			       enum request_kind kind, const char *step);

/* Fills location (and workplace, when the text says so and it is still
 * unknown) from raw location text through the normaliser. */
int src_set_location(struct arena *a, struct posting *p, const char *raw);
/* Sets date_posted from text (any format date_parse knows), keeping it empty on failure. */
void src_set_date(struct posting *p, const char *text, time_t now);
/* Salary from free text ("$90k - $105k"), leaving it absent when none. */
void src_set_salary_text(struct posting *p, const char *text, const char *default_currency);

/* Fills one posting from one item of a payload's list; false skips the item
 * silently (e.g. an unlisted job). */
typedef bool src_item_fn(struct arena *a, const struct source_config *src, json_t *item, struct posting *p);
/* Runs fill over every element of a JSON array, appending postings to out;
 * a posting left without an external id or a title is dropped and counted
 * in out->warnings. 0 or -ENOMEM. */
int src_add_items(struct arena *a, const struct source_config *src, json_t *items, src_item_fn *fill,
		  struct source_result *out);
/* The same for one item (a job's detail payload). */
int src_add_one(struct arena *a, const struct source_config *src, json_t *item, src_item_fn *fill,
		struct source_result *out);

/* detect() for the common URL form "<one of hosts><target>[/?#…]": hosts are
 * matched as substrings ("://jobs.lever.co/"); the target is the first path
 * segment after it, prefixed with prefix (may be ""). 0, -ENOENT or -ENOMEM. */
int src_detect_segment(struct arena *a, const char *url, const char *const *hosts, size_t n_hosts, const char *prefix,
		       const char **target);

/* Joins non-empty HTML parts with a blank line ("<p>a</p>" + "<ul>…</ul>"). */
const char *src_join_html(struct arena *a, const char *const *parts, size_t n);

/* A company name from a board slug ("acme-corp" → "Acme Corp") when the
 * configuration names none and the payload has none. */
const char *src_company_from_slug(struct arena *a, const char *slug);

#endif

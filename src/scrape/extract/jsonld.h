/* jsonld — schema.org JobPosting objects from the JSON-LD blocks of a page
 * (<script type="application/ld+json">), as jansson values. Mapping them to
 * struct posting is the caller's business; nothing here interprets a
 * property except @type and @id.
 *
 * The page is never parsed as HTML: a byte scanner driven by memchr finds
 * the script elements (jsonld_scan.c), each body is parsed (by a fast
 * reader that builds jansson values, base/json_read.h, with jansson itself
 * behind it) and repaired only when that fails (jsonld_repair.c), and the parsed values
 * are searched for JobPostings (jsonld.c). A body that does not contain
 * the word JobPosting (an Organization or BreadcrumbList block) is not
 * parsed at all.
 *
 * Everything here reads untrusted bytes: no step is worse than linear in
 * its input, nesting is bounded, and a body that cannot be repaired is
 * counted and skipped.
 */
#ifndef JT_SCRAPE_EXTRACT_JSONLD_H
#define JT_SCRAPE_EXTRACT_JSONLD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Values searched this deep for JobPostings; deeper ones are not looked at. */
#define JSONLD_DEPTH_MAX        32
/* Brackets the repair keeps track of; a deeper body is given up. */
#define JSONLD_REPAIR_DEPTH_MAX 128
/* Values written one after another in one body ("{…}{…}") that are read;
 * the rest are not. */
#define JSONLD_VALUES_MAX       64
/* A script body longer than this is skipped (a JSON-LD block is a few KB). */
#define JSONLD_BODY_MAX         (4u * 1024u * 1024u)

struct jsonld_stats {
	unsigned scripts;  /* ld+json script elements found */
	unsigned skipped;  /* bodies without the word JobPosting: not parsed */
	unsigned repaired; /* bodies jansson accepted only after repair */
	unsigned failed;   /* bodies that could not be parsed at all, or were too big */
	unsigned postings; /* JobPosting objects returned */
};

/* Every JobPosting object in the page's JSON-LD blocks, in page order, as a
 * new array the caller owns (json_decref). Found at the top level, in a
 * top-level array, in "@graph", or nested anywhere inside another object
 * (an ItemList's itemListElement, a WebPage's mainEntity, …); a JobPosting
 * is not searched for further JobPostings. @type may be a string or an
 * array, and "JobPosting" may be written "schema:JobPosting" or
 * "http(s)://(www.)schema.org/JobPosting" (letter case ignored). A property
 * of the posting (or an element of an array property) that is only a
 * reference {"@id": X} to another node of the same block is replaced by a
 * copy of that node, so hiringOrganization and jobLocation are usable
 * without a graph. Strings are as the page wrote them: an entity-escaped
 * description stays escaped (scrape/sanitize.h decodes it).
 * stats (may be NULL) is filled in. NULL only when out of memory. */
json_t *jsonld_job_postings(const char *html, size_t len, struct jsonld_stats *stats);

/* ---- the steps, for tests, fuzzing and other extractors ------------------- */

/* Called with each ld+json script body, exactly as it stands between the
 * tag's ">" and "</script" (or the end of the page). Nonzero stops the scan. */
typedef int (*jsonld_body_fn)(const char *body, size_t len, void *ctx);

/* Finds the <script> elements whose type is application/ld+json (letter
 * case, spaces and parameters such as "; charset=utf-8" ignored; quoted or
 * unquoted; the first type attribute counts). Skips HTML comments (so
 * commented-out scripts are ignored) and the raw text of other scripts,
 * style, textarea, title, xmp, iframe, noembed and noframes, as a browser
 * does. Returns how many bodies were passed to fn. */
unsigned jsonld_scan(const char *html, size_t len, jsonld_body_fn fn, void *ctx);

/* Parses one script body leniently. Strips a BOM, surrounding whitespace,
 * HTML comment markers and CDATA wrappers (also "//<![CDATA[ … //]]>"),
 * then tries jansson as it is (a value followed by garbage, such as an
 * extra "}", is accepted). When that fails, or another object or array
 * follows the value it read, it repairs once and tries again: JS comments
 * removed, trailing commas dropped, raw control characters in strings
 * escaped, invalid escapes ("\'", "\x") read as the character, a quote
 * inside a string that cannot end it escaped, strings in single quotes
 * ('…', as Python and JavaScript write them) put in double quotes, Python's
 * True/False/None (and undefined) read as true/false/null, an unclosed
 * string or bracket at the end closed, and values written one after another
 * ("{…}{…}", "{…},{…}", up to JSONLD_VALUES_MAX) gathered into one array;
 * and for a body whose quotes are all written &quot;, the same after
 * decoding entities. At most four parses, each linear. Returns a new
 * reference, or NULL; *repaired (may be NULL) says whether a repair was
 * needed. */
json_t *jsonld_parse_body(const char *body, size_t len, bool *repaired);

/* The repair step alone: writes a repaired copy of json[0..len) into a new
 * malloc'd NUL-terminated string (*out_len its length); values written one
 * after another come out as one array of them. NULL when out of memory or
 * the brackets nest past JSONLD_REPAIR_DEPTH_MAX. */
char *jsonld_repair(const char *json, size_t len, size_t *out_len);

/* 1 when the value is an object whose @type is (or includes) JobPosting. */
int jsonld_is_job_posting(const json_t *v);

/* 1 when a type name means schema.org's type of that name:
 * jsonld_type_matches("http://schema.org/JobPosting", "JobPosting"). */
int jsonld_type_matches(const char *written, const char *type);

#endif

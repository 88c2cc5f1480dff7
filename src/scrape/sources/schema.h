/* sources/schema — mapping a schema.org JobPosting (as jansson values, from
 * JSON-LD via scrape/extract/jsonld.h or from microdata via
 * scrape/extract/microdata.h, which share one shape) into struct posting.
 *
 * Split by concern:
 *   schema_value.c    reading the values pages actually write (a string, a
 *                     number, an array of either, {"@value": …}, an object
 *                     with a name), one helper for all the others;
 *   schema_posting.c  the posting as a whole: title, company, dates,
 *                     employment type, description, identity and links;
 *   schema_place.c    jobLocation (Place / PostalAddress / text, arrays),
 *                     addressCountry as text or a Country object, remote
 *                     work (jobLocationType, applicantLocationRequirements);
 *   schema_salary.c   baseSalary / estimatedSalary (MonetaryAmount with a
 *                     QuantitativeValue, numbers, text, distributions).
 *
 * Everything reads untrusted values of any type: a wrong type reads as
 * "absent", never as an error. Strings are copied into the arena passed in.
 */
#ifndef JT_SCRAPE_SOURCES_SCHEMA_H
#define JT_SCRAPE_SOURCES_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "scrape/posting.h"

struct arena;

/* Elements of an array property looked at (a page listing 5,000 locations
 * for one posting gets its first ones). */
#define SCHEMA_ARRAY_MAX 64
/* Bytes of one text value kept (descriptions are bounded by finish.c later). */
#define SCHEMA_TEXT_MAX  (512u * 1024u)

/* ---- schema_value.c ------------------------------------------------------ */

/* The text of a value: a string (trimmed), a number (formatted), the first
 * usable element of an array, an object's "@value", else its "name" (when
 * name_ok). NULL when none. */
const char *schema_text(struct arena *a, json_t *v, bool name_ok);
/* schema_text of obj's member key (NULL when obj is not an object). */
const char *schema_prop(struct arena *a, json_t *obj, const char *key);
/* A number from a number or numeric text ("120000", "$120,000", "85k"). */
bool schema_number(json_t *v, double *out);
/* The i-th element of an array value, or the value itself as element 0 of a
 * one-element "array": properties may be written either way. */
json_t *schema_item(json_t *v, size_t i);
/* How many elements schema_item walks (bounded by SCHEMA_ARRAY_MAX). */
size_t schema_count(json_t *v);
/* true when v is an object whose @type is (or includes) type. */
bool schema_is_type(json_t *v, const char *type);

/* ---- schema_place.c ------------------------------------------------------ */

/* Fills p->location (and p->workplace) from the posting's jobLocation,
 * jobLocationType and applicantLocationRequirements. -ENOMEM or 0. */
int schema_place(struct arena *a, json_t *posting, struct posting *p);

/* ---- schema_salary.c ----------------------------------------------------- */

/* Fills p->salary from baseSalary, else estimatedSalary; salaryCurrency on
 * the posting is the fallback currency. Left absent when unreadable. */
void schema_salary(json_t *posting, struct posting *p);

/* ---- schema_posting.c ---------------------------------------------------- */

/* Where a posting was found, for its links and its identity. */
struct schema_page {
	const char *url;     /* the page's address (final, after redirects), or NULL */
	const char *company; /* the configured company, when the page names none, or NULL */
	time_t now;          /* for relative dates */
	size_t postings;     /* JobPostings on the page: several without an id or url
				need their title in the fallback identity */
};

/* Fills p from one JobPosting object (source "jsonld"). -EINVAL when it has
 * no title (the caller drops it and counts a warning), -ENOMEM, or 0. */
int schema_posting(struct arena *a, const struct schema_page *page, json_t *obj, struct posting *p);

/* The fallback identity: "u:" and 16 hex digits of a 64-bit FNV-1a hash of
 * key. NULL on ENOMEM. */
const char *schema_hash_id(struct arena *a, const char *key);

#endif

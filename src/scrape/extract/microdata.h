/* microdata — schema.org JobPostings written as HTML microdata
 * (itemscope / itemtype / itemprop), turned into the same JSON shape as
 * JSON-LD (scrape/extract/jsonld.h) so one mapping serves both:
 *
 *   <div itemscope itemtype="https://schema.org/JobPosting">
 *     <h1 itemprop="title">Engineer</h1>
 *     <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">
 *       <meta itemprop="name" content="Acme"></div> …
 *   → {"@type":"JobPosting","title":"Engineer",
 *      "hiringOrganization":{"@type":"Organization","name":"Acme"}, …}
 *
 * Property values follow the HTML microdata rules: a nested itemscope is a
 * nested object with its "@type"; meta → content; audio, embed, iframe,
 * img, source, track, video → src; a, area, link → href; object → data;
 * data, meter → value; time → datetime (else its text); any other element
 * → its content attribute when it has one (as Google reads it), else its
 * text with whitespace collapsed and trimmed. Exception: "description" is
 * the element's inner HTML, because JSON-LD descriptions are HTML and the
 * sanitiser (scrape/sanitize.h) reads both alike. A property given more than
 * once becomes an array. itemref is not followed. URLs are kept as written.
 *
 * The page is parsed with libxml2 (recovering, no network) only when
 * microdata_present says it may hold a JobPosting: most pages have none,
 * and parsing a page costs far more than looking at its bytes.
 */
#ifndef JT_SCRAPE_EXTRACT_MICRODATA_H
#define JT_SCRAPE_EXTRACT_MICRODATA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define MICRODATA_PAGE_MAX  (8u * 1024u * 1024u) /* longer pages are not parsed */
#define MICRODATA_DEPTH_MAX 8                    /* items nested deeper become text */
#define MICRODATA_PROPS_MAX 256                  /* properties kept per item */
#define MICRODATA_ITEMS_MAX 64                   /* JobPostings kept per page */
#define MICRODATA_VALUE_MAX (256u * 1024u)       /* bytes of one text or HTML value */

/* The cheap test: the bytes hold an itemtype attribute (spelt itemtype,
 * itemType or ITEMTYPE) and the word JobPosting (in any of those cases). */
bool microdata_present(const char *html, size_t len);

/* Appends each JobPosting item of the page to out (a JSON array) —
 * top-level ones and those nested in other items, but not items nested in
 * a JobPosting. Returns how many were appended (0 at once when
 * microdata_present is false), -E2BIG for a page past MICRODATA_PAGE_MAX,
 * -EIO when libxml2 builds no tree, -ENOMEM. */
int microdata_job_postings(const char *html, size_t len, json_t *out);

#endif

/* page_facts — what a fetched page shows, for telling someone why no job
 * posting was found in it ("the page is titled 'Sign in', it has one
 * JSON-LD block, of type Organization, and no microdata").
 *
 * Reads untrusted bytes without building a tree: a bounded scan for the
 * <title>, the JSON-LD blocks' top-level @type values (through
 * scrape/extract/jsonld.h's scanner and lenient parser) and microdata
 * attributes. Linear in the page. */
#ifndef JT_DISCOVER_PAGE_FACTS_H
#define JT_DISCOVER_PAGE_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#define PAGE_FACTS_TITLE_MAX 200 /* bytes of the title kept */
#define PAGE_FACTS_TYPES     8   /* distinct JSON-LD types kept */
#define PAGE_FACTS_TYPE_MAX  64  /* bytes of one type name kept */

struct page_facts {
	/* The first <title>'s text, white space collapsed, cut at a character
	 * boundary; "" when there is none. Valid UTF-8 (other bytes become '?'),
	 * no control characters. */
	char title[PAGE_FACTS_TITLE_MAX + 1];
	unsigned jsonld_blocks; /* ld+json script elements */
	unsigned jsonld_unread; /* of those, bodies that could not be parsed */
	/* The @type values at their top level (in @graph and arrays too), as
	 * written but without a schema.org prefix, first seen first. Same rules
	 * as title. */
	char types[PAGE_FACTS_TYPES][PAGE_FACTS_TYPE_MAX + 1];
	size_t ntypes;
	bool microdata; /* an itemscope or itemtype attribute */
	bool html;      /* the bytes look like an HTML page at all */
};

/* Fills *out from body[0..len) (any bytes). */
void page_facts_read(const char *body, size_t len, struct page_facts *out);

#endif

/* scan/import — public skill lists turned into a taxonomy extension file
 * (scan/taxonomy_ext.h) for `jobtrack taxonomy import`. Owned by the
 * resume scanner.
 *
 * One parser per format reads the file into items (a skill's name and the
 * forms it is written in), strict about the structure: a file of another
 * format is refused with the line and what was expected there. Then
 * import_merge resolves every item against the taxonomy already loaded: an
 * item any of whose forms (or probes) already stands for a skill adds its
 * new forms to that skill; any other item becomes a new skill with the id
 * SOURCE.slug ("onet.atlassian-confluence"). What was added is written out
 * as the extension file, so loading it later gives the same taxonomy.
 *
 * Forms follow the taxonomy's rules for ordinary words: a one-word form
 * written with a capital ("Slack", "Haskell") is kept as its exact
 * spelling ("=Slack"); employers are no skills ("Facebook"); a one-word
 * lower-case form of letters only ("design", "lead", "browser", "spring")
 * is more often an everyday word than a skill name, and is left out unless
 * the caller sets plain_words (then only stop words and the words every
 * posting uses are). Forms with a digit or a sign ("html5", "c++",
 * "node.js") and phrases are kept. */
#ifndef JT_SCAN_IMPORT_H
#define JT_SCAN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/taxonomy.h"
#include "scan/taxonomy_ext.h"

#define IMPORT_FORMS_MAX 32 /* forms kept of one item (ESCO lists up to ~30 alt labels) */

struct import_item {
	const char *name;
	const char *forms[IMPORT_FORMS_MAX]; /* as the taxonomy writes them ('=' for exact case) */
	uint32_t nforms;
	const char *probe; /* looked up, never added: "Excel" for "Microsoft Excel" */
	enum skill_type type;
	const char *category; /* a category id of the built-in taxonomy */
	unsigned line;        /* where the input names it */
};

struct import_items {
	struct import_item *v;
	size_t n, cap;
	size_t rows;     /* data rows read */
	size_t skipped;  /* rows or forms left out (generic words, too rare, no letter) */
	int plain_words; /* set by the caller: keep one-word lower-case forms */
};

/* The parsers: 0, or -1 with err set ("line 7: 2 columns, expected …").
 * Items (in the arena) are appended to out. */
int import_parse_onet(struct arena *a, const char *text, size_t len, struct import_items *out, char *err,
		      size_t errlen);
int import_parse_esco(struct arena *a, const char *text, size_t len, struct import_items *out, char *err,
		      size_t errlen);
/* Tags used fewer than min_count times are left out (counted in skipped). */
int import_parse_stackoverflow(struct arena *a, const char *text, size_t len, long min_count, struct import_items *out,
			       char *err, size_t errlen);

/* Adds a form to an item after the rules above (trimmed; tabs, line breaks
 * and '|' make it unusable). 1 added, 0 left out, -1 out of memory. */
int import_item_form(struct arena *a, const struct import_items *items, struct import_item *it, const char *form,
		     size_t len);
/* CSV inputs (ESCO, Stack Overflow): the header row, after the UTF-8
 * check and a byte-order mark. expected names the format in errors.
 * Opens *r on text. 0, or -1 with err set. */
struct csv_reader;
int import_csv_header(struct csv_reader *r, struct arena *a, const char *text, size_t len, char **cell, size_t max,
		      size_t *ncols, const char *expected, char *err, size_t errlen);
/* The next row, which must have ncols fields (blank lines are skipped);
 * *line: where it starts. 1 a row, 0 the end, -1 with err set. */
int import_csv_row(struct csv_reader *r, struct arena *a, char **cell, size_t max, size_t ncols, size_t *line,
		   char *err, size_t errlen);
/* 1 when word is in the sorted list of n words. */
int import_listed(const char *const *sorted, size_t n, const char *word);
/* A new item in out (zeroed but for line), or NULL out of memory. */
struct import_item *import_item_new(struct arena *a, struct import_items *out, unsigned line);
/* Drops the last item of out again when it got no form (counted in
 * skipped): nothing would match it. */
void import_item_end(struct import_items *out);
/* Checks the whole input is UTF-8 without NUL bytes; -1 with err naming the line. */
int import_check_text(const char *text, size_t len, char *err, size_t errlen);

struct import_summary {
	size_t skills_added, skills_extended, forms_added, conflicts;
};

/* Merges the items into mg's taxonomy as source and appends the lines it
 * added (skills.tsv format) to out. 0, or -1 out of memory. */
int import_merge(struct tax_merger *mg, const char *source, const struct import_items *items,
		 struct tax_ext_report *rep, struct buf *out, struct import_summary *sum);

#endif

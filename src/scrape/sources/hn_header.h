/* sources/hn_header — reading the first line of a Hacker News "Who is
 * hiring?" comment, which by convention (not by rule) reads
 *   Company | Title | Location | Remote | Full-time | $120k-$150k | https://…
 * in any order after the company, with "|" or, less often, "•", "—", "–" or
 * " - " between the parts. Each part is recognised by what it looks like
 * (a salary, an employment word, a workplace word, a link, a place, a role);
 * what cannot be recognised is left unset rather than guessed.
 */
#ifndef JT_SCRAPE_SOURCES_HN_HEADER_H
#define JT_SCRAPE_SOURCES_HN_HEADER_H

#include "scrape/posting.h"

struct arena;

/* Longest header read; the rest of a run-on first line is ignored. */
#define HN_HEADER_MAX 1000

struct hn_header {
	const char *company;
	const char *title;
	const char *location; /* raw text of the part that names a place ("Remote (Europe)") */
	const char *salary;   /* raw text of the salary part */
	unsigned employment_types;
	enum workplace workplace;
};

/* Reads line (plain text, entities already decoded) into *out; strings in
 * the arena. A line without separators becomes the title alone. Returns 0,
 * or -ENOMEM. */
int hn_header_parse(struct arena *a, const char *line, struct hn_header *out);

#endif

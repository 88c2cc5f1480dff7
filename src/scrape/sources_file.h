/* sources_file — the sources configuration file (DATA_DIR/sources.conf or
 * --sources FILE): one section per source, e.g.
 *
 *     # a company's Greenhouse board, read every six hours
 *     [source vercel]
 *     url = https://boards.greenhouse.io/vercel   # kind and target detected
 *     schedule = every 6h
 *
 *     [source remote-rust]
 *     kind = remotive
 *     target = software-dev
 *     schedule = @daily
 *     enabled = false
 *
 * Keys: kind, target (or url, from which both are detected), company,
 * schedule, enabled, delay (seconds between requests to one host), proxy,
 * max_pages, options (a JSON object for adapter-specific settings such as
 * the XPath adapter's selectors), accept_terms (true: run a source that is
 * off by default, LinkedIn, knowing its terms; an enabled one without it is
 * refused with its terms quoted). A schedule must respect the feed's stated
 * limit (Remotive: at most every 6 h), as on the admin page. `#` starts a comment. Sources from the file
 * are written into the store at start; the admin page shows them as managed
 * by the file. This module only reads and checks the text; it allocates from
 * the arena given. */
#ifndef JT_SCRAPE_SOURCES_FILE_H
#define JT_SCRAPE_SOURCES_FILE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct source_spec {
	const char *name;
	const char *kind;
	const char *target;
	const char *company;      /* NULL when not given */
	const char *schedule;     /* NULL: the default schedule */
	const char *proxy;        /* NULL: none */
	const char *options_json; /* NULL: none */
	double delay;             /* seconds; < 0 when not given */
	long max_pages;           /* 0 when not given */
	bool enabled;
	bool render;       /* render its pages in headless Chromium (source_settings.h) */
	bool accept_terms; /* the section accepts an off-by-default source's terms */
	int line;          /* where the section starts, for messages */
};

struct source_specs {
	struct source_spec *items;
	size_t count;
};

/* Parses text (len bytes). 0 and *out; or a negative code with err naming the
 * line and what to do ("sources.conf:12: unknown key \"shedule\" (did you mean
 * schedule?)"). Every section is checked: known kind, a target, a name of
 * letters, digits, '-', '_' and '.', no duplicates, valid JSON options. */
int sources_file_parse(struct arena *a, const char *path_for_messages, const char *text, size_t len,
		       struct source_specs *out, char *err, size_t errlen);

/* Reads and parses a file; a missing file is an empty list. */
int sources_file_load(struct arena *a, const char *path, struct source_specs *out, char *err, size_t errlen);

#endif

/* scan/taxonomy_ext — the user's extension of the skills taxonomy: files in
 * the skills.tsv format (id, name, type, category, aliases) in
 * DATA_DIR/taxonomy/, written by `jobtrack taxonomy import` (scan/import.h)
 * or by hand, merged on top of the built-in taxonomy when `serve` and
 * `scan` start. Owned by the resume scanner.
 *
 * Merging never overrides what is already there:
 * - a line whose id is a skill already loaded adds its new forms to that
 *   skill (its type and category stay; a different one is reported);
 * - a line with a new id adds a skill;
 * - a form already standing for another skill (compared ignoring case, so
 *   "go" never joins "=Go") is left out and reported as a conflict; a new
 *   skill left with no form is not added (reported too).
 * Files merge in name order (onet.tsv before stackoverflow.tsv); a
 * malformed line is an error naming the file and line, like taxonomy.h. */
#ifndef JT_SCAN_TAXONOMY_EXT_H
#define JT_SCAN_TAXONOMY_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "scan/taxonomy.h"
#include "scan/u64map.h"

#define TAXONOMY_EXT_DIR "taxonomy" /* under the data directory */

struct tax_conflict {
	const char *source; /* the file's name without ".tsv" */
	unsigned line;
	const char *message; /* "\"jira\" already stands for Jira (jira): left out" */
};

struct tax_source_stats {
	const char *name;       /* "onet" for onet.tsv */
	size_t skills_added;    /* new skills */
	size_t skills_extended; /* skills already there that gained a form */
	size_t forms_added, conflicts;
};

/* What merging did; memory in the taxonomy's arena. */
struct tax_ext_report {
	struct tax_source_stats *sources;
	size_t n_sources;
	struct tax_conflict *conflicts;
	size_t n_conflicts, conflicts_cap;
};

/* A taxonomy open for merging: every form's owner, by its lower-case
 * tokens. Memory: malloc'd, tax_merger_free. */
struct tax_merger {
	struct taxonomy *t;
	struct u64map forms, ids; /* form or id -> skill index */
	size_t skills_cap;        /* t->skills has room for this many (arena) */
};

int tax_merger_init(struct tax_merger *mg, struct taxonomy *t);
void tax_merger_free(struct tax_merger *mg);
/* The skill a form stands for (ignoring case), or -1. */
long tax_merger_owner(const struct tax_merger *mg, const char *form);
/* The skill with this id, or -1. */
long tax_merger_skill(const struct tax_merger *mg, const char *id);
/* A form's key: its lower-case tokens (a leading '=' ignored); 0 when it
 * has no letter or digit to match (or memory ran out). */
uint64_t tax_form_key(const char *form);

/* Merges one parsed skill (taxonomy_parse_skills) from source, line.
 * Keeps in s->forms only the forms it added (s->nforms of them). Returns
 * the skill's index when it added or extended one, -2 when it added
 * nothing, -1 out of memory. Stats and conflicts go to rep (may be NULL). */
long tax_merger_add(struct tax_merger *mg, struct tax_skill *s, const char *source, struct tax_ext_report *rep);

/* Merges one file's text (source: its name without ".tsv"). 0, or -1 with
 * err set ("onet.tsv:3: unknown type …"). */
int tax_merger_extend(struct tax_merger *mg, const char *source, const char *text, struct tax_ext_report *rep,
		      char *err, size_t errlen);
/* Merges every DIR/NAME.tsv (in name order) but the one whose NAME is skip
 * (NULL: none). A missing folder merges nothing. 0, or -1 with err set. */
int tax_merger_extend_dir(struct tax_merger *mg, const char *dir, const char *skip, struct tax_ext_report *rep,
			  char *err, size_t errlen);
/* What `serve` and `scan` load: the built-in taxonomy (or the one in
 * base_dir when not NULL) with DATA_DIR/taxonomy/ merged on top (data_dir
 * NULL: none). 0, or -1 with err set; rep may be NULL. */
int taxonomy_load_user(struct taxonomy *t, const char *base_dir, const char *data_dir, struct tax_ext_report *rep,
		       char *err, size_t errlen);

#endif

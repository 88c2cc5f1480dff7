/* scan/taxonomy — the skills taxonomy in memory: skills with their types,
 * categories and surface forms; occupations with their job titles; seniority
 * words. Owned by the resume scanner. The file formats are the contract in
 * docs (data/taxonomy/{skills,categories,titles,seniority}.tsv); the data
 * itself is maintained apart from this code.
 *
 * Loading is strict: any malformed line is an error naming the file and
 * line ("skills.tsv:12: unknown type \"hardd\""), because a taxonomy that
 * half-loads silently scores resumes wrongly. One form listed by two skills
 * (or two occupations) is not an error: the first listed wins, and
 * taxonomy.warnings counts it (the matcher cannot tell them apart).
 *
 * The taxonomy the build embedded (data/taxonomy/ when the source tree has
 * it, else tests/fixtures/taxonomy/: see meson.build) is the default;
 * `--taxonomy DIR` loads another from DIR at run time. */
#ifndef JT_SCAN_TAXONOMY_H
#define JT_SCAN_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

enum skill_type { SKILL_HARD, SKILL_SOFT, SKILL_CERT, SKILL_LANGUAGE, SKILL_TOOL };
enum seniority {
	SEN_NONE,
	SEN_INTERN,
	SEN_JUNIOR,
	SEN_MID,
	SEN_SENIOR,
	SEN_LEAD,
	SEN_PRINCIPAL,
	SEN_MANAGER,
	SEN_DIRECTOR,
	SEN_EXECUTIVE
};

struct tax_category {
	const char *id, *name;
};
struct tax_skill {
	const char *id, *name;
	enum skill_type type;
	uint32_t category;
	const char **forms; /* the name (unless an alias is its '=' spelling) and every alias, as written */
	uint32_t nforms;
	uint32_t line;
};
struct tax_title {
	const char *id, *title;
	uint32_t category;
	const char **forms; /* the title and every synonym */
	uint32_t nforms;
	uint32_t line;
};
struct tax_seniority {
	const char *word;
	enum seniority level;
};

enum { TAX_SKILLS, TAX_CATEGORIES, TAX_TITLES, TAX_SENIORITY, TAX_FILES };
extern const char *const taxonomy_file_names[TAX_FILES]; /* "skills.tsv", … */

struct taxonomy {
	struct arena arena;
	struct tax_category *categories;
	struct tax_skill *skills;
	struct tax_title *titles;
	struct tax_seniority *seniority;
	size_t n_categories, n_skills, n_titles, n_seniority;
	size_t warnings;    /* forms listed twice (first wins) */
	const char *origin; /* where it came from: a folder, or "built-in (…)" */
};

/* Parses the four files' contents (NUL-terminated, in TAX_* order). 0, or
 * -1 with err set ("titles.tsv:7: …"). On failure t holds nothing (freed). */
int taxonomy_parse(struct taxonomy *t, const char *const text[TAX_FILES], char *err, size_t errlen);
/* Reads DIR/skills.tsv … DIR/seniority.tsv (each at most 32 MiB). */
int taxonomy_load_dir(struct taxonomy *t, const char *dir, char *err, size_t errlen);
/* A whole text file (at most 32 MiB, no NUL byte), NUL-terminated, for
 * free(); NULL with err set ("cannot read PATH: …"). */
char *taxonomy_read_file(const char *path, char *err, size_t errlen);
/* The taxonomy embedded at build time. */
int taxonomy_load_builtin(struct taxonomy *t, char *err, size_t errlen);
void taxonomy_free(struct taxonomy *t);

const char *skill_type_name(enum skill_type type);
const char *seniority_name(enum seniority level);
/* Index of the category (or occupation) with id, or -1. */
long taxonomy_category(const struct taxonomy *t, const char *id);

/* Parses text in the skills.tsv format (file names it in errors) against
 * t's categories, without adding the skills to t: *out (in t's arena)
 * holds them, with their forms, for scan/taxonomy_ext.h to merge. Same
 * strictness and messages as taxonomy_parse. 0, or -1 with err set. */
int taxonomy_parse_skills(struct taxonomy *t, const char *file, const char *text, struct tax_skill **out, size_t *n,
			  char *err, size_t errlen);

/* A 64-bit fingerprint of everything matching depends on (skills with
 * their ids, types, categories and forms; occupations and their forms;
 * seniority words): equal taxonomies give equal versions, and any change,
 * the user's extension (taxonomy_ext.h) included, gives another one with
 * near certainty. For caches of matched terms keyed by taxonomy. */
uint64_t taxonomy_version(const struct taxonomy *t);
/* The same as 16 lower-case hex digits (out: at least 17 bytes). */
void taxonomy_version_hex(const struct taxonomy *t, char out[17]);

#endif

/* scan/import_esco — ESCO skill CSVs (skills_en.csv and its collections:
 * transversalSkillsCollection_en.csv, digitalSkillsCollection_en.csv):
 * comma-separated with a header naming the columns, in whatever order a
 * release puts them. preferredLabel names the skill; altLabels (separated
 * by " | " or line breaks) are further forms; reuseLevel "transversal"
 * makes it a soft skill; broaderConceptPT (the parents' labels) picks the
 * category. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/csv_read.h"
#include "scan/import.h"

#define ESCO_COLS_MAX 32

static const char esco_expected[] =
    "an ESCO skills CSV (comma-separated; a header naming conceptType, conceptUri, preferredLabel, altLabels, "
    "…)";

enum { C_LABEL, C_ALT, C_REUSE, C_TYPE, C_BROADER, C_CONCEPT, C_STATUS, C_N };
static const char *const esco_columns[C_N] = { "preferredLabel",   "altLabels",   "reuseLevel", "skillType",
					       "broaderConceptPT", "conceptType", "status" };

static const char *esco_category(const char *reuse, const char *broader)
{
	static const struct {
		const char *words, *category;
	} map[] = {
		{ "programming", "software" }, { "software", "software" }, { "ICT", "it" },
		{ "database", "data" },        { "data", "data" },         { "computer", "it" },
	};
	if (reuse && strcmp(reuse, "transversal") == 0)
		return "general";
	for (size_t i = 0; broader && i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(broader, map[i].words))
			return map[i].category;
	return "general";
}

/* Adds the alt labels, split at line breaks and '|'. */
static int alt_labels(struct arena *a, struct import_items *out, struct import_item *it, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "|\n\r");
		int r = import_item_form(a, out, it, s, n);
		if (r < 0)
			return -1;
		out->skipped += r == 0 && n > 0;
		s += n;
		s += *s != '\0';
	}
	return 0;
}

int import_parse_esco(struct arena *a, const char *text, size_t len, struct import_items *out, char *err, size_t errlen)
{
	struct csv_reader r;
	char *cell[ESCO_COLS_MAX];
	size_t ncols, line;
	if (import_csv_header(&r, a, text, len, cell, ESCO_COLS_MAX, &ncols, esco_expected, err, errlen) != 0)
		return -1;
	long col[C_N];
	for (int k = 0; k < C_N; k++) {
		col[k] = -1;
		for (size_t i = 0; i < ncols && i < ESCO_COLS_MAX; i++)
			if (strcmp(cell[i], esco_columns[k]) == 0)
				col[k] = (long)i;
	}
	if (col[C_LABEL] < 0) {
		snprintf(err, errlen, "line 1: no preferredLabel column%s; expected %s",
			 ncols == 1 && strchr(cell[0], '\t') ? " (a tab-separated file: O*NET's goes with --onet)" : "",
			 esco_expected);
		return -1;
	}
	int more;
	while ((more = import_csv_row(&r, a, cell, ESCO_COLS_MAX, ncols, &line, err, errlen)) > 0) {
		out->rows++;
		const char *v[C_N];
		for (int k = 0; k < C_N; k++)
			v[k] = col[k] >= 0 ? cell[col[k]] : NULL;
		if ((v[C_CONCEPT] && v[C_CONCEPT][0] && strcmp(v[C_CONCEPT], "KnowledgeSkillCompetence") != 0) ||
		    (v[C_STATUS] && v[C_STATUS][0] && strcmp(v[C_STATUS], "released") != 0)) {
			out->skipped++;
			continue;
		}
		struct import_item *it = import_item_new(a, out, (unsigned)line);
		if (!it)
			goto oom;
		it->name = v[C_LABEL];
		it->type = v[C_REUSE] && strcmp(v[C_REUSE], "transversal") == 0 ? SKILL_SOFT : SKILL_HARD;
		it->category = esco_category(v[C_REUSE], v[C_BROADER]);
		int added = import_item_form(a, out, it, v[C_LABEL], strlen(v[C_LABEL]));
		if (added < 0 || (v[C_ALT] && alt_labels(a, out, it, v[C_ALT]) != 0))
			goto oom;
		import_item_end(out);
	}
	return more < 0 ? -1 : 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

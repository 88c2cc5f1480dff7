/* The test taxonomy (tests/fixtures/taxonomy, passed as argv[1]) loaded and
 * compiled once for a scan test suite. */
#ifndef JT_TESTS_SCAN_FIXTURE_H
#define JT_TESTS_SCAN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/matcher.h"
#include "scan/taxonomy.h"

static struct taxonomy fixture_tax;
static struct scan_matcher fixture_m;

static inline void scan_fixture_load(const char *dir)
{
	char err[512];
	if (taxonomy_load_dir(&fixture_tax, dir, err, sizeof(err)) != 0 ||
	    matcher_build(&fixture_m, &fixture_tax, err, sizeof(err)) != 0) {
		fprintf(stderr, "scan fixture: %s\n", err);
		exit(1);
	}
}

static inline void scan_fixture_free(void)
{
	matcher_free(&fixture_m);
	taxonomy_free(&fixture_tax);
}

/* The index of the skill (or occupation) with this id; aborts if none. */
static inline uint32_t fx_skill(const char *id)
{
	for (size_t i = 0; i < fixture_tax.n_skills; i++)
		if (strcmp(fixture_tax.skills[i].id, id) == 0)
			return (uint32_t)i;
	fprintf(stderr, "no skill %s in the fixture taxonomy\n", id);
	abort();
}

static inline int32_t fx_occupation(const char *id)
{
	for (size_t i = 0; i < fixture_tax.n_titles; i++)
		if (strcmp(fixture_tax.titles[i].id, id) == 0)
			return (int32_t)i;
	fprintf(stderr, "no occupation %s in the fixture taxonomy\n", id);
	abort();
}

#endif

/* The cached terms of a posting as the store hands them back (src/scan/
 * terms_codec.h): any bytes. The decoder must refuse or accept without
 * reading out of bounds; what it accepts must name only real skills and
 * occupations, score 0..100 against a fixed resume, and encode to bytes
 * that decode to the same terms (the same score). The built-in taxonomy is
 * compiled once. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz_support.h"
#include "scan/resume.h"
#include "scan/score.h"
#include "scan/terms_codec.h"

static struct taxonomy tax;
static struct scan_matcher m;
static struct arena ra;
static struct resume_info r;

static const char resume[] = "Jane Doe\nStaff Accountant\n\nExperience\nAccountant, Acme, 2018 - 2024\n"
			     "- General ledger, GAAP, month-end close, QuickBooks, SAP\n\nSkills\nExcel, Python, SQL\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	if (taxonomy_load_builtin(&tax, err, sizeof(err)) || matcher_build(&m, &tax, err, sizeof(err)))
		abort();
	arena_init(&ra, 0);
	if (resume_analyse(&ra, &m, resume, strlen(resume), 2026 * 12, &r))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd, again;
	if (terms_decode(&a, data, size, tax.n_skills, tax.n_titles, &jd) == 0) {
		for (size_t i = 0; i < jd.n_skills; i++)
			if (jd.skills[i].skill >= tax.n_skills)
				abort();
		if (jd.occupation < -1 || jd.occupation >= (int32_t)tax.n_titles || jd.n_keywords > JD_KEYWORDS_MAX)
			abort();
		struct scan_result x, y;
		if (scan_score(&a, &m, &jd, &r, 1, &x) != 0 || !(x.score >= 0 && x.score <= 100))
			abort();
		struct buf b;
		buf_init(&b, 1u << 20);
		terms_encode(&b, &jd);
		if (buf_failed(&b) || terms_decode(&a, b.data, b.len, tax.n_skills, tax.n_titles, &again) != 0 ||
		    again.n_skills != jd.n_skills || again.n_keywords != jd.n_keywords ||
		    scan_score(&a, &m, &again, &r, 0, &y) != 0 || y.score != x.score)
			abort();
		buf_free(&b);
	}
	arena_free(&a);
	return 0;
}

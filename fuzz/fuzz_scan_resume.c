/* The resume scanner's resume analysis and date ranges (src/scan/resume,
 * dates) over hostile text: ranges must be non-empty and end by "now",
 * total months must not exceed the span of all ranges, sections must be in
 * line order, titles must name occupations; the ATS checks of the result
 * (scan/ats.h) each have a state, a detail and advice unless they pass. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "scan/ats.h"
#include "scan/dates.h"
#include "scan/resume.h"

static struct taxonomy tax;
static struct scan_matcher m;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	if (taxonomy_load_builtin(&tax, err, sizeof(err)) || matcher_build(&m, &tax, err, sizeof(err)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	const int now = 2026 * 12 + 5;
	const char *text = (const char *)data;
	/* One line's ranges, and the split form over its two halves. */
	struct date_range dr[8];
	size_t n = dates_find(text, size, now, dr, 8);
	for (size_t i = 0; i < n; i++)
		if (dr[i].from >= dr[i].to || dr[i].to > now + 1 || dr[i].end > size || dr[i].start >= dr[i].end)
			abort();
	struct date_range one;
	if (dates_find_split(text, size / 2, text + size / 2, size - size / 2, now, &one) &&
	    (one.from >= one.to || one.to > now + 1))
		abort();
	struct arena a;
	arena_init(&a, 0);
	struct resume_info r;
	if (resume_analyse(&a, &m, text, size, now, &r) == 0) {
		int lo = now + 1, hi = 0;
		for (size_t i = 0; i < r.n_dates; i++) {
			if (r.dates[i].from >= r.dates[i].to || r.dates[i].line >= r.lines)
				abort();
			lo = r.dates[i].from < lo ? r.dates[i].from : lo;
			hi = r.dates[i].to > hi ? r.dates[i].to : hi;
		}
		if (r.months < 0 || (r.n_dates && r.months > hi - lo) || (!r.n_dates && r.months))
			abort();
		for (size_t i = 1; i < r.n_sections; i++)
			if (r.sections[i].line_from <= r.sections[i - 1].line_from)
				abort();
		for (size_t i = 0; i < r.n_titles; i++)
			if (r.titles[i].occupation < 0 || (size_t)r.titles[i].occupation >= tax.n_titles ||
			    !r.titles[i].text)
				abort();
		if (r.measurable > r.bullets || r.edu_level < 0 || r.edu_level > 5)
			abort();
		/* The ATS checks of it (scan/ats.h), the same text as the header:
		 * each check has a state, a detail, and advice unless it passes. */
		struct resume_facts f = { .type = (enum resume_type)(size % 5),
					  .pages = (int)(size % 4),
					  .text_layer = size & 1,
					  .header_footer = size & 2,
					  .columns = size & 4 };
		struct ats_check c[ATS_CHECKS_MAX];
		char hf[256];
		size_t hn = size < sizeof(hf) ? size : sizeof(hf) - 1;
		memcpy(hf, text, hn);
		hf[hn] = '\0';
		size_t nc = ats_run(&f, &r, hf, c);
		if (nc == 0 || nc > ATS_CHECKS_MAX)
			abort();
		for (size_t i = 0; i < nc; i++)
			if (!c[i].id || !c[i].title || (c[i].status != ATS_PASS) != (c[i].advice != NULL) ||
			    !memchr(c[i].detail, '\0', sizeof(c[i].detail)))
				abort();
	}
	arena_free(&a);
	return 0;
}

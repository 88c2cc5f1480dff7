/* Unit tests for resume analysis (src/scan/dates, resume, sections): date
 * range formats, "Present", overlaps merged into total years, ranges split
 * by a two-column layout, section headings, job titles, degree level,
 * bullets with measurable results, contact details. argv[1]: the test
 * taxonomy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scan/dates.h"
#include "scan/education.h"
#include "scan/resume.h"
#include "scan/sections.h"
#include "scan_fixture.h"

#define M(y, m) ((y)*12 + (m)-1)
#define NOW     M(2026, 12)

/* The ranges in one line as "YYYY-MM..YYYY-MM(+1)" pieces. */
static void expect_ranges(const char *line, int n, const int *from, const int *to)
{
	struct date_range r[8];
	size_t got = dates_find(line, strlen(line), NOW, r, 8);
	if ((int)got != n)
		fail_msg("\"%s\": %zu ranges, want %d", line, got, n);
	for (int i = 0; i < n; i++)
		if (r[i].from != from[i] || r[i].to != to[i])
			fail_msg("\"%s\" range %d: [%d, %d), want [%d, %d)", line, i, r[i].from, r[i].to, from[i],
				 to[i]);
}

static void test_date_formats(void **state)
{
	(void)state;
	expect_ranges("Acme — Jan 2019 – Present", 1, (int[]){ M(2019, 1) }, (int[]){ NOW + 1 });
	expect_ranges("2017-2020", 1, (int[]){ M(2017, 1) }, (int[]){ M(2020, 1) });
	expect_ranges("03/2018 - 06/2021", 1, (int[]){ M(2018, 3) }, (int[]){ M(2021, 6) + 1 });
	expect_ranges("March 2015 to June 2016", 1, (int[]){ M(2015, 3) }, (int[]){ M(2016, 6) + 1 });
	expect_ranges("Sept. 2010 — Dec. 2012", 1, (int[]){ M(2010, 9) }, (int[]){ M(2012, 12) + 1 });
	expect_ranges("2019 – 2019", 1, (int[]){ M(2019, 1) }, (int[]){ M(2020, 1) });
	expect_ranges("2020-03 – current", 1, (int[]){ M(2020, 3) }, (int[]){ NOW + 1 });
	expect_ranges("Jun 2021 - Aug 2021, then Jan 2022 - Mar 2022", 2, (int[]){ M(2021, 6), M(2022, 1) },
		      (int[]){ M(2021, 8) + 1, M(2022, 3) + 1 });
	/* Not ranges: a lone date, a phone number, a version, backwards. */
	expect_ranges("Graduated May 2016", 0, NULL, NULL);
	expect_ranges("+1 555-123-4567", 0, NULL, NULL);
	expect_ranges("Python 3.10 - 3.12", 0, NULL, NULL);
	expect_ranges("2020 - 2018", 0, NULL, NULL);
	/* A future end is cut at now. */
	expect_ranges("2025 - 2030", 1, (int[]){ M(2025, 1) }, (int[]){ NOW + 1 });
	/* Split over two lines by a two-column layout. */
	struct date_range r;
	const char *l1 = " June 2020 – MERN Stack Developer, OpenAI", *l2 = "     Present Working on the project";
	assert_int_equal(dates_find_split(l1, strlen(l1), l2, strlen(l2), NOW, &r), 1);
	assert_int_equal(r.from, M(2020, 6));
	assert_true(r.present);
	const char *l3 = " 2012 – 2017 Engineer";
	assert_int_equal(dates_find_split(l3, strlen(l3), l2, strlen(l2), NOW, &r), 0);
}

static void test_overlaps_merged(void **state)
{
	(void)state;
	struct date_range r[] = {
		{ .from = M(2015, 1), .to = M(2018, 1) }, /* 36 */
		{ .from = M(2017, 1), .to = M(2019, 1) }, /* overlaps: +12 */
		{ .from = M(2020, 1), .to = M(2020, 7) }, /* apart: +6 */
		{ .from = M(2019, 1), .to = M(2019, 2) }, /* touching: +1 */
	};
	assert_int_equal(dates_total_months(r, 4), 55);
	assert_int_equal(dates_total_months(r, 0), 0);
}

static const char resume[] = "Jane Doe\n"
			     "Senior Staff Accountant\n"
			     "jane.doe@example.com | (555) 123-4567 | linkedin.com/in/jane\n"
			     "\n"
			     "PROFESSIONAL SUMMARY\n"
			     "Accountant with GAAP and month-end close experience.\n"
			     "\n"
			     "## Work Experience\n"
			     "Staff Accountant, Acme Corp — Jan 2019 – Present\n"
			     "- Reduced month-end close from 10 to 6 days\n"
			     "- Reconciled 40 bank accounts monthly\n"
			     "- Prepared journal entries\n"
			     "Accounting Associate, Beta LLC, 03/2016 - 06/2019\n"
			     "• Cut AP errors by 25%\n"
			     "\n"
			     "Education:\n"
			     "B.S. Accounting, State University, 2012 - 2016\n"
			     "\n"
			     "Skills\n"
			     "QuickBooks, Excel, SAP, teamwork\n"
			     "\n"
			     "Certifications\n"
			     "CPA (2018 - 2019 exam window)\n";

static void test_resume_analysis(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct resume_info r;
	assert_int_equal(resume_analyse(&a, &fixture_m, resume, strlen(resume), NOW, &r), 0);
	/* sections */
	enum resume_section want[] = { RS_SUMMARY, RS_EXPERIENCE, RS_EDUCATION, RS_SKILLS, RS_CERTIFICATIONS };
	assert_int_equal(r.n_sections, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(r.sections[i].kind, want[i]);
	assert_int_equal(r.line_section[0], RS_CONTACT);
	/* dates: experience only, overlap merged: Mar 2016 .. Dec 2026 */
	assert_int_equal(r.n_dates, 2);
	assert_int_equal(r.months, NOW + 1 - M(2016, 3));
	/* titles: the headline, the summary's, then the jobs */
	assert_int_equal(r.n_titles, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(r.titles[i].occupation, fx_occupation("accountant"));
	assert_int_equal(r.titles[0].level, SEN_SENIOR);
	assert_string_equal(r.titles[3].text, "Accounting Associate");
	assert_int_equal(r.titles[3].line, 12);
	assert_int_equal(r.edu_level, EDU_BACHELOR);
	/* 4 bullets, 3 with numbers ("Prepared journal entries" has none) */
	assert_int_equal(r.bullets, 4);
	assert_int_equal(r.measurable, 3);
	assert_true(r.has_email && r.has_phone && r.has_linkedin);
	assert_int_equal(r.skill_count[fx_skill("month_end_close")], 2);
	assert_int_equal(r.skill_count[fx_skill("gaap")], 1);
	assert_int_equal(r.skill_count[fx_skill("cpa")], 1);
	arena_free(&a);
}

static void test_no_headings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char *text = "Registered Nurse\nCity Hospital 2018 - 2021\nCounty Clinic 2020 - 2022\nBSN, 2017\n";
	struct resume_info r;
	assert_int_equal(resume_analyse(&a, &fixture_m, text, strlen(text), NOW, &r), 0);
	assert_int_equal(r.n_sections, 0);
	assert_int_equal(r.months, 48); /* 2018..2022, the overlap once */
	assert_int_equal(r.edu_level, EDU_BACHELOR);
	assert_int_equal(r.n_titles, 1);
	assert_int_equal(r.titles[0].occupation, fx_occupation("registered_nurse"));
	assert_false(r.has_email);
	arena_free(&a);
}

static void test_headings(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		enum resume_section s;
	} cases[] = {
		{ "EXPERIENCE", RS_EXPERIENCE },
		{ "## Professional Experience", RS_EXPERIENCE },
		{ "**Education**", RS_EDUCATION },
		{ "Technical Skills:", RS_SKILLS },
		{ "Licenses & Certifications", RS_CERTIFICATIONS },
		{ "  Projects  ", RS_PROJECTS },
		{ "Summary", RS_SUMMARY },
		{ "- Experience with Excel", RS_NONE },
		{ "I have experience in sales and marketing", RS_NONE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sections_resume_heading(cases[i].line, strlen(cases[i].line)) != cases[i].s)
			fail_msg("\"%s\": not %s", cases[i].line, resume_section_name(cases[i].s));
	assert_int_equal(sections_jd_heading("Nice to have:", 13), JD_PREFERRED);
	assert_int_equal(sections_jd_heading("## Requirements", 15), JD_REQUIRED);
	assert_int_equal(sections_jd_heading("What we offer", 13), JD_OTHER);
	assert_int_equal(sections_jd_heading("What you'll do", 14), JD_DUTIES);
	assert_int_equal(sections_jd_heading("- Bachelor's degree preferred", 29), JD_NONE);
	assert_int_equal(sections_line_need("Kafka is a plus", 15), NEED_PREFERRED);
	assert_int_equal(sections_line_need("Must have SQL", 13), NEED_REQUIRED);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_resume TAXONOMY_DIR\n");
		return 2;
	}
	scan_fixture_load(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_formats),    cmocka_unit_test(test_overlaps_merged),
		cmocka_unit_test(test_resume_analysis), cmocka_unit_test(test_no_headings),
		cmocka_unit_test(test_headings),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}

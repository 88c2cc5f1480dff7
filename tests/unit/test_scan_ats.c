/* Unit tests for the ATS-readability checks (src/scan/ats.h): each check
 * passes, warns or fails on what the file's facts and the resume's text
 * say, and every check that does not pass says what to do. argv[1]: the
 * test taxonomy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scan/ats.h"
#include "scan/resume.h"
#include "scan_fixture.h"

static const char GOOD[] = "Jane Doe\n"
			   "jane.doe@example.com · +1 555 123 4567 · linkedin.com/in/janedoe\n"
			   "\n"
			   "Experience\n"
			   "Staff Accountant, Acme — Jan 2019 – Present\n"
			   "- Closed the books 3 days faster by automating 40 reconciliations\n"
			   "- Cut audit findings by 50%\n"
			   "- Managed $2M in payables\n"
			   "\n"
			   "Education\n"
			   "B.S. Accounting, State University, 2018\n"
			   "\n"
			   "Skills\n"
			   "Excel, QuickBooks, reconciliation\n";

static struct arena a;

/* The check with this id among n; fails the test when missing. */
static const struct ats_check *find(const struct ats_check *c, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].id, id) == 0)
			return &c[i];
	fail_msg("no check %s", id);
	return NULL;
}

static size_t run(const char *text, const struct resume_facts *f, const char *hf, struct ats_check *out)
{
	struct resume_info r;
	assert_int_equal(resume_analyse(&a, &fixture_m, text, strlen(text), 2026 * 12 + 11, &r), 0);
	return ats_run(f, &r, hf, out);
}

static void test_clean_docx_passes_layout_and_contact(void **state)
{
	(void)state;
	struct resume_facts f = { .type = RESUME_TYPE_DOCX, .words = 60 };
	struct ats_check c[ATS_CHECKS_MAX];
	size_t n = run(GOOD, &f, "", c);
	assert_true(n >= 12 && n <= ATS_CHECKS_MAX);
	for (size_t i = 0; i < n; i++) {
		if (c[i].status != ATS_PASS)
			assert_non_null(c[i].advice);
		else
			assert_null(c[i].advice);
		assert_true(c[i].detail[0] != '\0');
	}
	assert_int_equal(find(c, n, "file_type")->status, ATS_PASS);
	assert_int_equal(find(c, n, "contact")->status, ATS_PASS);
	assert_int_equal(find(c, n, "section_headings")->status, ATS_PASS);
	assert_int_equal(find(c, n, "dates")->status, ATS_PASS);
	assert_int_equal(find(c, n, "measurable_results")->status, ATS_PASS);
	for (const char *const *id =
		 (const char *const[]){ "columns", "tables", "text_boxes", "images", "header_footer", NULL };
	     *id; id++)
		assert_int_equal(find(c, n, *id)->status, ATS_PASS);
	/* Too short for a resume that gets read. */
	assert_int_equal(find(c, n, "length")->status, ATS_FAIL);
	/* A DOCX has no text layer to check. */
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(c[i].id, "text_layer");
}

static void test_layout_and_file_problems(void **state)
{
	(void)state;
	struct resume_facts f = { .type = RESUME_TYPE_PDF,
				  .text_layer = true,
				  .pages = 2,
				  .pages_without_text = 1,
				  .columns = true,
				  .tables = true,
				  .images = true,
				  .header_footer = true,
				  .icon_glyphs = 3 };
	struct ats_check c[ATS_CHECKS_MAX];
	size_t n = run(GOOD, &f, "", c);
	assert_int_equal(find(c, n, "text_layer")->status, ATS_WARN);
	assert_int_equal(find(c, n, "columns")->status, ATS_WARN);
	assert_int_equal(find(c, n, "tables")->status, ATS_WARN);
	assert_int_equal(find(c, n, "images")->status, ATS_WARN);
	assert_int_equal(find(c, n, "header_footer")->status, ATS_WARN);
	assert_int_equal(find(c, n, "icon_glyphs")->status, ATS_WARN);
	assert_non_null(strstr(find(c, n, "text_layer")->detail, "1 of 2 pages"));
	f.text_layer = false;
	n = run(GOOD, &f, "", c);
	assert_int_equal(find(c, n, "text_layer")->status, ATS_FAIL);
	struct resume_facts md = { .type = RESUME_TYPE_MARKDOWN };
	n = run(GOOD, &md, "", c);
	assert_int_equal(find(c, n, "file_type")->status, ATS_WARN);
}

/* Contact details only in a header: the check fails and says to move them. */
static void test_contact_only_in_header(void **state)
{
	(void)state;
	const char *body = "Experience\nNurse, City Hospital — 2018 – 2022\n- Cared for 30 patients a day\n\n"
			   "Education\nBSN, 2017\n\nSkills\nTriage\n";
	struct resume_facts f = { .type = RESUME_TYPE_PDF, .text_layer = true, .pages = 1, .header_footer = true };
	struct ats_check c[ATS_CHECKS_MAX];
	size_t n = run(body, &f, "Sam Lee · sam@example.com · 555 0100", c);
	const struct ats_check *contact = find(c, n, "contact");
	assert_int_equal(contact->status, ATS_FAIL);
	assert_non_null(strstr(contact->detail, "only in a header or footer"));
	assert_non_null(strstr(contact->advice, "headers and footers"));
	/* No headings at all, no dates: fail and warn. */
	n = run("Sam Lee\nI did many things for many years.\n", &f, "", c);
	assert_int_equal(find(c, n, "section_headings")->status, ATS_FAIL);
	assert_int_equal(find(c, n, "dates")->status, ATS_WARN);
	/* No bullet lines: nothing to count, a hint rather than a failure. */
	const struct ats_check *m = find(c, n, "measurable_results");
	assert_int_equal(m->status, ATS_WARN);
	assert_null(strstr(m->detail, "0 of 0"));
	assert_non_null(strstr(m->detail, "no bullet lines"));
	assert_non_null(strstr(m->advice, "bullet lines"));
	/* Bullet lines without a number still fail. */
	n = run("Sam Lee\nExperience\nClerk, Shop — 2019 – 2022\n- Served customers\n- Kept the shelves tidy\n", &f, "",
		c);
	assert_int_equal(find(c, n, "measurable_results")->status, ATS_FAIL);
	assert_non_null(strstr(find(c, n, "measurable_results")->detail, "0 of 2 bullet lines"));
}

static void test_json(void **state)
{
	(void)state;
	struct ats_check c[2] = { { .id = "file_type", .title = "File \"type\"", .status = ATS_PASS },
				  { .id = "length", .title = "Length", .status = ATS_WARN, .advice = "Trim it" } };
	snprintf(c[0].detail, sizeof(c[0].detail), "pdf");
	snprintf(c[1].detail, sizeof(c[1].detail), "1500 words");
	struct buf b;
	buf_init(&b, 4096);
	ats_json(&b, c, 2);
	buf_putc(&b, '\0');
	assert_string_equal(b.data,
			    "[{\"id\":\"file_type\",\"title\":\"File \\\"type\\\"\",\"status\":\"pass\",\"detail\":"
			    "\"pdf\",\"advice\":null},{\"id\":\"length\",\"title\":\"Length\",\"status\":\"warn\","
			    "\"detail\":\"1500 words\",\"advice\":\"Trim it\"}]");
	buf_free(&b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_ats TAXONOMY_DIR\n");
		return 2;
	}
	scan_fixture_load(argv[1]);
	arena_init(&a, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_docx_passes_layout_and_contact),
		cmocka_unit_test(test_layout_and_file_problems),
		cmocka_unit_test(test_contact_only_in_header),
		cmocka_unit_test(test_json),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&a);
	scan_fixture_free();
	return rc;
}

/* Unit tests for resume text extraction (src/resume/): PDF reading order,
 * columns, ligatures, hyphenation, headers and footers; DOCX paragraphs,
 * tables, text boxes, breaks, headers and footers; text encodings and
 * Markdown; every error; and the layout rules on hand-made fragments.
 *
 * The files are the project's own fixtures, written by
 * tests/fixtures/resumes/make_fixtures.py (argv[1] names that folder). The
 * last test reads the PDFs of the folder JT_RESUME_MATCHER_FIXTURES names
 * when it exists, and is skipped otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>

#include <cmocka.h>

#include "base/arena.h"
#include "resume/extract.h"
#include "resume/layout.h"

static const char *fixtures_dir = "tests/fixtures/resumes";
static struct arena arena;

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static unsigned char *load_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = arena_alloc(&arena, (size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n)
		b = NULL;
	fclose(f);
	*len = (size_t)n;
	return b;
}

static unsigned char *load(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fixtures_dir, name);
	unsigned char *b = load_path(path, len);
	if (!b)
		fail_msg("fixture %s is missing (run tests/fixtures/resumes/make_fixtures.py)", path);
	return b;
}

static char err[512];

static enum resume_error extract_lim(const char *name, const struct resume_limits *lim, struct resume_text *t)
{
	size_t len;
	unsigned char *data = load(name, &len);
	return resume_extract_text(data, len, lim, &arena, t, err, sizeof(err));
}

static void extract_ok(const char *name, struct resume_text *t)
{
	enum resume_error rc = extract_lim(name, NULL, t);
	if (rc != RESUME_OK)
		fail_msg("%s: %s (%s)", name, resume_error_name(rc), err);
	assert_non_null(t->body);
	assert_int_equal(strlen(t->body), t->body_len);
}

static void assert_has(const char *hay, const char *needle)
{
	if (!hay)
		fail_msg("expected \"%s\" in no text", needle);
	else if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

/* a comes before b in hay (both present). */
static void assert_before(const char *hay, const char *a, const char *b)
{
	const char *pa = strstr(hay, a), *pb = strstr(hay, b);
	if (!pa || !pb || pa >= pb)
		fail_msg("expected \"%s\" before \"%s\" in:\n%s", a, b, hay);
}

static void assert_error(const char *name, const struct resume_limits *lim, enum resume_error want)
{
	struct resume_text t;
	enum resume_error rc = extract_lim(name, lim, &t);
	if (rc != want)
		fail_msg("%s: got %s (%s), want %s", name, resume_error_name(rc), err, resume_error_name(want));
	assert_true(strlen(err) > 10); /* a message a user can read */
}

/* ---- PDF ---- */

static void test_pdf_single_column(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("nurse-single-column.pdf", &t);
	assert_int_equal(t.facts.type, RESUME_TYPE_PDF);
	assert_int_equal(t.facts.pages, 1);
	assert_true(t.facts.text_layer);
	assert_false(t.facts.columns);
	assert_false(t.facts.images);
	assert_true(t.facts.words > 100);
	assert_int_equal(t.header_footer_len, 0);
	/* Reading order, lines kept. */
	assert_true(strncmp(t.body, "Amara Nwosu, RN\nRegistered Nurse | amara.nwosu@example.com", 58) == 0);
	assert_before(t.body, "Summary", "Experience");
	assert_before(t.body, "Experience", "Education");
	assert_before(t.body, "Certifications", "Skills");
	/* A blank line between blocks. */
	assert_has(t.body, "Leeds\n\nSummary\n");
	/* Ligature glyphs (fi, fl through ToUnicode) come out as letters. */
	assert_has(t.body, "Certified critical care nurse");
	assert_has(t.body, "fluent in Epic charting");
	assert_has(t.body, "clinical workflows.");
	assert_has(t.body, "infection control office");
	assert_lacks(t.body, "\xEF\xAC\x81"); /* U+FB01 */
	assert_lacks(t.body, "\xEF\xAC\x82");
	/* "manage-" at a line end and "ment" on the next line: one word. */
	assert_has(t.body, "discharge management for a 32-bed cardiology unit");
	/* A hyphen inside a line stays. */
	assert_has(t.body, "post-operative");
	const char *fonts = "";
	for (size_t i = 0; i < t.facts.n_fonts; i++)
		if (strcmp(t.facts.fonts[i], "Helvetica") == 0)
			fonts = t.facts.fonts[i];
	assert_string_equal(fonts, "Helvetica");
}

static void test_pdf_two_columns(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("accountant-two-columns.pdf", &t);
	assert_true(t.facts.columns);
	/* The name above both columns first, then the whole left column,
	 * then the whole right one, though they share baselines. */
	assert_true(strncmp(t.body, "Priya Raman, CPA\nSenior Accountant - Chicago, IL", 48) == 0);
	assert_has(t.body, "Contact\npriya.raman@example.com\n(555) 201-7788\nlinkedin.com/in/priyaraman");
	assert_has(t.body, "Skills\nGeneral ledger\nMonth-end close\nAccount reconciliation");
	assert_before(t.body, "DePaul University, 2014", "Experience");
	assert_has(t.body, "Owned the month-end close for three entities,\nfinishing in four days instead of seven.");
	assert_before(t.body, "Lakeshore Foods", "Grant & Moore LLP");
	assert_lacks(t.body, "\t"); /* no line of one column glued to the other */
}

/* Rows of cells that line up (no ruling lines) are a table: each row one
 * line, its cells joined by tabs. */
static void test_pdf_table(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("teacher-table.pdf", &t);
	assert_true(t.facts.tables);
	assert_false(t.facts.columns);
	assert_has(t.body, "\nQualifications\nQualification\tInstitution\tYear\n"
			   "PGCE Primary Education\tUniversity of Bristol\t2015\n"
			   "BA (Hons) English\tUniversity of Exeter\t2014\n");
	/* Two cells a row (dates beside titles) are not a table. */
	extract_ok("electrician-header-footer.pdf", &t);
	assert_false(t.facts.tables);
	extract_ok("nurse-single-column.pdf", &t);
	assert_false(t.facts.tables);
}

static void test_pdf_header_footer(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("electrician-header-footer.pdf", &t);
	assert_int_equal(t.facts.pages, 2);
	assert_false(t.facts.columns);
	assert_true(t.facts.header_footer);
	/* The header repeated on both pages, and the page numbers, are apart
	 * from the body, each once. */
	assert_string_equal(t.header_footer,
			    "Daniel Okafor - Licensed Electrician - daniel.okafor@example.com\nPage 1 of 2");
	assert_lacks(t.body, "daniel.okafor@example.com");
	assert_lacks(t.body, "Page 1");
	assert_lacks(t.body, "Page 2");
	assert_true(strncmp(t.body, "Summary\n", 8) == 0);
	/* Dates set apart at the right of a title stay on the title's line. */
	assert_has(t.body, "Lead Electrician, Brightline Electrical\t2018 - Present\n");
	assert_has(t.body, "Electrician, Okafor & Sons\t2014 - 2018\n");
	/* Page 2 after page 1. */
	assert_before(t.body, "Troubleshot motor controls", "Licences and Certifications");
	assert_has(t.body, "code compliance");
}

static void test_pdf_no_text_layer(void **state)
{
	(void)state;
	struct resume_text t;
	assert_int_equal(extract_lim("scanned-image-only.pdf", NULL, &t), RESUME_ERR_NO_TEXT_LAYER);
	assert_has(err, "scan");
	assert_false(t.facts.text_layer);
	assert_true(t.facts.images);
	assert_int_equal(t.facts.pages, 1);
	assert_int_equal(t.facts.pages_without_text, 1);
	assert_int_equal(t.facts.type, RESUME_TYPE_PDF);
}

static void test_pdf_errors(void **state)
{
	(void)state;
	assert_error("blank-page.pdf", NULL, RESUME_ERR_EMPTY);
	assert_error("corrupt.pdf", NULL, RESUME_ERR_CORRUPT);
	assert_error("encrypted.pdf", NULL, RESUME_ERR_ENCRYPTED);
	assert_has(err, "password");
	/* Bounds: pages, bytes, text, memory. */
	struct resume_limits lim = { .max_pages = 1 };
	assert_error("electrician-header-footer.pdf", &lim, RESUME_ERR_TOO_COMPLEX);
	assert_has(err, "2 pages");
	lim = (struct resume_limits){ .max_bytes = 1000 };
	assert_error("electrician-header-footer.pdf", &lim, RESUME_ERR_TOO_LARGE);
	lim = (struct resume_limits){ .max_text = 200 };
	assert_error("electrician-header-footer.pdf", &lim, RESUME_ERR_TOO_LARGE);
	lim = (struct resume_limits){ .max_memory = 64 << 10 };
	struct resume_text t;
	enum resume_error rc = extract_lim("nurse-single-column.pdf", &lim, &t);
	if (rc != RESUME_ERR_TOO_COMPLEX && rc != RESUME_ERR_NOMEM)
		fail_msg("a 64 KiB memory bound gave %s (%s)", resume_error_name(rc), err);
}

/* A page whose forms draw each other a billion times is stopped by the
 * time bound, in the middle of the page. */
static void test_pdf_time_bound(void **state)
{
	(void)state;
	struct resume_limits lim = { .max_seconds = 0.3 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_error("form-bomb.pdf", &lim, RESUME_ERR_TOO_COMPLEX);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (took > 5)
		fail_msg("a 0.3 s bound took %.1f s", took);
	/* And a well-formed file within its bound still reads after that. */
	struct resume_text t;
	extract_ok("nurse-single-column.pdf", &t);
}

/* A PDF cut short is repaired when its pages are still there, or refused
 * as corrupt; never anything else. */
static void test_pdf_truncated(void **state)
{
	(void)state;
	struct resume_text t;
	enum resume_error rc = extract_lim("truncated.pdf", NULL, &t);
	if (rc == RESUME_OK)
		assert_has(t.body, "Summary");
	else
		assert_int_equal(rc, RESUME_ERR_CORRUPT);
}

/* ---- DOCX ---- */

static void test_docx_structure(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("teacher-table-textbox.docx", &t);
	assert_int_equal(t.facts.type, RESUME_TYPE_DOCX);
	assert_true(t.facts.tables);
	assert_true(t.facts.text_boxes);
	assert_false(t.facts.columns);
	/* The text box comes after the paragraph that anchors it, once (the
	 * VML fallback repeats it). */
	assert_true(strncmp(t.body,
			    "Hannah Whitfield\nPrimary School Teacher\nKey Stage 2 lead\nForest School trained\n"
			    "Profile\n",
			    86) == 0);
	const char *box = strstr(t.body, "Key Stage 2 lead");
	assert_null(strstr(box + 1, "Key Stage 2 lead"));
	/* Tabs and line breaks. */
	assert_has(t.body, "Year 4 Teacher and Maths Lead\t2018 - present\n");
	assert_has(t.body, "Oakfield Primary School, Bristol\nRaised the share");
	/* Table cells in row order. */
	assert_has(t.body, "Qualification\nInstitution\nYear\nPGCE Primary Education\nUniversity of Bristol\n2015\n"
			   "BA (Hons) English\nUniversity of Exeter\n2014\nCertifications");
	/* Deleted text and field codes are not text. */
	assert_lacks(t.body, "Deleted line");
	assert_lacks(t.body, "PAGE");
	assert_has(t.body, "Behaviour management, differentiation");
	/* Header and footer apart. */
	assert_string_equal(
	    t.header_footer,
	    "Hannah Whitfield\thannah.whitfield@example.com\t07700 900 123\nReferences available on request");
	assert_lacks(t.body, "hannah.whitfield@example.com");
	assert_lacks(t.body, "References available");
	assert_true(t.facts.header_footer);
	assert_int_equal(t.facts.n_fonts, 2);
	assert_string_equal(t.facts.fonts[0], "Calibri");
}

static void test_docx_columns_and_breaks(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("nurse-columns.docx", &t);
	assert_true(t.facts.columns);
	assert_false(t.facts.tables);
	assert_has(t.body, "Skills\nTriage\nPhlebotomy\nCare planning");
	assert_int_equal(t.header_footer_len, 0);
	assert_false(t.facts.header_footer);
}

static void test_docx_errors(void **state)
{
	(void)state;
	assert_error("corrupt.docx", NULL, RESUME_ERR_CORRUPT);
	assert_error("encrypted-zip.docx", NULL, RESUME_ERR_ENCRYPTED);
	assert_error("encrypted-office.docx", NULL, RESUME_ERR_ENCRYPTED);
	assert_error("xml-bomb.docx", NULL, RESUME_ERR_CORRUPT);
	assert_has(err, "DTD");
	assert_error("empty.docx", NULL, RESUME_ERR_EMPTY);
	assert_error("old-word.doc", NULL, RESUME_ERR_UNSUPPORTED);
	assert_has(err, ".doc");
	/* 4 MiB unpacked from 6 KB: over a 1 MiB budget, whatever it says. */
	struct resume_limits lim = { .max_unpacked = 1 << 20 };
	assert_error("zip-bomb.docx", &lim, RESUME_ERR_TOO_LARGE);
	assert_has(err, "unpacks");
}

/* ---- text and Markdown ---- */

static void test_text_encodings(void **state)
{
	(void)state;
	struct resume_text le, be, t;
	extract_ok("teacher-utf16le.txt", &le);
	extract_ok("teacher-utf16be.txt", &be);
	assert_int_equal(le.facts.type, RESUME_TYPE_TEXT);
	assert_string_equal(le.facts.encoding, "UTF-16LE");
	assert_string_equal(be.facts.encoding, "UTF-16BE");
	assert_string_equal(le.body, be.body);
	assert_has(le.body, "Oakfield Primary School, 2018 \xE2\x80\x93 present"); /* en dash */

	extract_ok("electrician-cp1252.txt", &t);
	assert_string_equal(t.facts.encoding, "Windows-1252");
	assert_has(t.body, "\xC3\x89lectricien");                     /* É */
	assert_has(t.body, "Chef d\xE2\x80\x99\xC3\xA9quipe");        /* ’ é */
	assert_has(t.body, "\xC2\xAB Installations triphas\xC3\xA9"); /* « */

	extract_ok("accountant-crlf.txt", &t);
	assert_string_equal(t.facts.encoding, "UTF-8");
	assert_lacks(t.body, "\r");
	assert_has(t.body, "priya.raman@example.com\n\nEXPERIENCE\n");
	assert_has(t.body, "NetSuite and SAP"); /* a no-break space made plain */
}

static void test_markdown(void **state)
{
	(void)state;
	struct resume_text t;
	extract_ok("developer.md", &t);
	assert_int_equal(t.facts.type, RESUME_TYPE_MARKDOWN);
	assert_true(t.facts.tables);
	assert_true(strncmp(t.body, "Tom\xC3\xA1s Herrera\n\nBackend developer", 33) == 0);
	assert_has(t.body, "github.com/therrera (https://github.com/therrera)");
	assert_has(t.body, "\nGo and PostgreSQL developer with six years");
	assert_has(t.body, "\nSenior Software Engineer \xE2\x80\x94 Finch Payments\n2021 \xE2\x80\x93 present\n");
	assert_has(t.body, "- Moved 40 services to Kubernetes with Terraform and Helm.");
	assert_has(t.body, "Area\tTools\nLanguages\tGo, Python, SQL, C\n");
	assert_lacks(t.body, "#");
	assert_lacks(t.body, "*");
	assert_lacks(t.body, "|");
	assert_lacks(t.body, "---");
}

static void test_other_errors(void **state)
{
	(void)state;
	assert_error("empty.txt", NULL, RESUME_ERR_EMPTY);
	assert_error("whitespace.txt", NULL, RESUME_ERR_EMPTY);
	assert_error("photo.png", NULL, RESUME_ERR_UNSUPPORTED);
	assert_has(err, "image");
	assert_error("resume.odt", NULL, RESUME_ERR_UNSUPPORTED);
	assert_has(err, "OpenDocument");
	/* Binary that is none of these. */
	struct resume_text t;
	static const unsigned char bin[] = { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(resume_extract_text(bin, sizeof(bin), NULL, &arena, &t, err, sizeof(err)),
			 RESUME_ERR_UNSUPPORTED);
	const char html[] = "\n<!DOCTYPE html><html><body><h1>Jane Doe</h1></body></html>";
	assert_int_equal(resume_extract_text(html, sizeof(html) - 1, NULL, &arena, &t, err, sizeof(err)),
			 RESUME_ERR_UNSUPPORTED);
	assert_has(err, "HTML");
	/* Every error has a name of its own. */
	for (int a = RESUME_OK; a <= RESUME_ERR_NOMEM; a++)
		for (int b = a + 1; b <= RESUME_ERR_NOMEM; b++)
			assert_string_not_equal(resume_error_name((enum resume_error)a),
						resume_error_name((enum resume_error)b));
}

/* The type comes from the bytes, whatever a name would say. */
static void test_detect_by_content(void **state)
{
	(void)state;
	size_t len;
	unsigned char *pdf = load("nurse-single-column.pdf", &len);
	assert_int_equal(resume_detect_type(pdf, len, NULL), RESUME_TYPE_PDF);
	/* Junk before the header, as some writers leave: still a PDF. */
	unsigned char *junk = arena_alloc(&arena, len + 16);
	memcpy(junk, "\r\n\r\ngarbage\r\n", 13);
	memcpy(junk + 13, pdf, len);
	struct resume_text t;
	assert_int_equal(resume_extract_text(junk, len + 13, NULL, &arena, &t, err, sizeof(err)), RESUME_OK);
	assert_has(t.body, "Amara Nwosu");
	unsigned char *docx = load("teacher-table-textbox.docx", &len);
	assert_int_equal(resume_detect_type(docx, len, NULL), RESUME_TYPE_DOCX);
	unsigned char *md = load("developer.md", &len);
	assert_int_equal(resume_detect_type(md, len, NULL), RESUME_TYPE_MARKDOWN);
	const char *plain = "Jane Doe\n- Python\n- SQL\nExperience\n";
	assert_int_equal(resume_detect_type(plain, strlen(plain), NULL), RESUME_TYPE_TEXT);
	const char *why;
	unsigned char *png = load("photo.png", &len);
	assert_int_equal(resume_detect_type(png, len, &why), RESUME_TYPE_UNKNOWN);
	assert_non_null(why);
}

/* The writer's rules on characters, through a text file. */
static void test_normalising(void **state)
{
	(void)state;
	const char in[] = "\xEF\xAC\x81nance \xEF\xAC\x82ow\n"     /* ﬁ ﬂ */
			  "\xEE\x80\x80 555-0100 \xEF\x82\x98 x\n" /* private-use icons */
			  "co\xC2\xADop\xE2\x80\x8B"               /* soft hyphen, zero width */
			  "erate\x7F\n"                            /* control characters */
			  "a\xE2\x80\x83"
			  "b   \n\n\n\nend  \n"; /* em space, blank lines */
	struct resume_text t;
	assert_int_equal(resume_extract_text(in, sizeof(in) - 1, NULL, &arena, &t, err, sizeof(err)), RESUME_OK);
	assert_string_equal(t.body, "finance flow\n555-0100 x\ncooperate\na b\n\nend");
	assert_int_equal(t.facts.icon_glyphs, 2);
	assert_int_equal(t.facts.words, 8);
	/* Invalid UTF-8 is read as Windows-1252, never passed on. */
	const char bad[] = "caf\xE9 na\xEFve \x93quoted\x94";
	assert_int_equal(resume_extract_text(bad, sizeof(bad) - 1, NULL, &arena, &t, err, sizeof(err)), RESUME_OK);
	assert_string_equal(t.body, "caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x9Cquoted\xE2\x80\x9D");
}

/* ---- layout on hand-made fragments ---- */

struct frag_set {
	char text[4096];
	size_t len;
	struct rx_line lines[64];
	size_t n;
};

static void frag(struct frag_set *f, float x0, float y, float width, const char *s)
{
	struct rx_line *l = &f->lines[f->n++];
	size_t n = strlen(s);
	memset(l, 0, sizeof(*l));
	l->x0 = x0;
	l->x1 = x0 + width;
	l->y0 = y - 9;
	l->y1 = y;
	l->size = 10;
	l->off = f->len;
	l->len = n;
	memcpy(f->text + f->len, s, n + 1);
	f->len += n + 1;
}

static char *lay_out(struct frag_set *f, bool *columns)
{
	struct rx_page p = { .lines = f->lines, .n = f->n, .w = 612, .h = 792 };
	int icons = 0;
	struct rx_out o;
	rx_out_init(&o, 1 << 20, &icons);
	rx_layout_mark_hf(&p, 1, f->text, &arena);
	*columns = (rx_layout_body(&p, f->text, &o, &arena) & RX_LAYOUT_COLUMNS) != 0;
	size_t len;
	char *s = rx_tidy(&o, &arena, &len);
	buf_free(&o.b);
	return s;
}

/* Dates flush right beside titles are fields of the title's row. */
static void test_layout_dates_flush_right(void **state)
{
	(void)state;
	static struct frag_set f;
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 4; i++) {
		char title[64], date[32];
		float y = 100 + i * 60.0f;
		snprintf(title, sizeof(title), "Job title %d", i);
		snprintf(date, sizeof(date), "%s 201%d", i % 2 ? "May" : "September", i);
		frag(&f, 50, y, 150, title);
		frag(&f, i % 2 ? 520 : 480, y, i % 2 ? 40 : 80, date); /* right edges equal */
		frag(&f, 50, y + 12, 300, "did things with a long bullet line here");
		frag(&f, 50, y + 24, 300, "and another long bullet line after it");
	}
	bool columns;
	char *s = lay_out(&f, &columns);
	assert_false(columns);
	assert_has(s, "Job title 0\tSeptember 2010\ndid things");
	assert_has(s, "Job title 1\tMay 2011\n");
}

/* A page number alone in the bottom band is a footer even on one page;
 * other lines there are not. */
static void test_layout_page_number(void **state)
{
	(void)state;
	static struct frag_set f;
	memset(&f, 0, sizeof(f));
	frag(&f, 50, 100, 200, "Body text");
	frag(&f, 50, 760, 200, "References on request");
	frag(&f, 300, 780, 10, "- 1 -");
	bool columns;
	char *s = lay_out(&f, &columns);
	assert_true(f.lines[2].hf);
	assert_false(f.lines[1].hf);
	assert_string_equal(s, "Body text\n\nReferences on request");
}

/* Hyphenation joins only a letter's hyphen before a lower-case letter. */
static void test_layout_hyphens(void **state)
{
	(void)state;
	static struct frag_set f;
	memset(&f, 0, sizeof(f));
	frag(&f, 50, 100, 300, "improved patient through-");
	frag(&f, 50, 112, 300, "put by a third; built a self-");
	frag(&f, 50, 124, 300, "Service portal for 2019-");
	frag(&f, 50, 136, 300, "2020 intake with cross-");
	frag(&f, 50, 148, 300, "functional teams and low-");
	frag(&f, 50, 160, 300, "latency manage-");
	frag(&f, 50, 172, 300, "ment reports");
	bool columns;
	char *s = lay_out(&f, &columns);
	/* A compound broken at its own hyphen keeps it; a word broken between
	 * syllables loses it. */
	assert_string_equal(
	    s, "improved patient throughput by a third; built a self-\nService portal for 2019-\n2020 intake "
	       "with cross-functional teams and low-latency management reports");
}

/* Pages of tens of thousands of fragments, many in the margins, are laid
 * out in bounded time (no square of the fragments). */
static void test_layout_many_fragments(void **state)
{
	(void)state;
	enum { PAGES = 3, PER_PAGE = 20000 };
	static char text[PER_PAGE * 8];
	size_t tlen = 0;
	struct rx_page pages[PAGES];
	for (int p = 0; p < PAGES; p++) {
		struct rx_line *l = arena_alloc(&arena, PER_PAGE * sizeof(*l));
		assert_non_null(l);
		for (int i = 0; i < PER_PAGE; i++) {
			/* Distinct words (digits would all read as one "#" key). */
			int n = snprintf(text + tlen, 8, "%c%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
					 'a' + i / 676 % 26, 'a' + p);
			float y = (i % 2) ? 780 - (float)(i % 7) : 10 + (float)(i % 5) * 100;
			l[i] = (struct rx_line){ .x0 = (float)(i % 50) * 12,
						 .x1 = (float)(i % 50) * 12 + 10,
						 .y0 = y - 8,
						 .y1 = y,
						 .size = 9,
						 .off = tlen,
						 .len = (size_t)n };
			tlen += (size_t)n + 1;
			if (tlen > sizeof(text) - 8)
				tlen = 0;
		}
		pages[p] = (struct rx_page){ .lines = l, .n = PER_PAGE, .w = 612, .h = 792 };
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int icons = 0;
	struct rx_out o, hf;
	rx_out_init(&o, 64 << 20, &icons);
	rx_out_init(&hf, 64 << 20, &icons);
	rx_layout_mark_hf(pages, PAGES, text, &arena);
	for (int p = 0; p < PAGES; p++)
		rx_layout_body(&pages[p], text, &o, &arena);
	rx_layout_hf(pages, PAGES, text, &hf, &arena);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(o.b.len > 0);
	buf_free(&o.b);
	buf_free(&hf.b);
	if (took > 10)
		fail_msg("laying out %d fragments took %.1f s", PAGES * PER_PAGE, took);
}

/* ---- the resume-matcher sample set, when present ---- */

static void test_resume_matcher_samples(void **state)
{
	(void)state;
	const char *dir = getenv("JT_RESUME_MATCHER_FIXTURES");
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		skip();
		return;
	}
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".pdf") != 0)
			continue;
		char path[2048];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		unsigned char *data = load_path(path, &len);
		assert_non_null(data);
		struct resume_text t;
		enum resume_error rc = resume_extract_text(data, len, NULL, &arena, &t, err, sizeof(err));
		if (rc != RESUME_OK)
			fail_msg("%s: %s (%s)", path, resume_error_name(rc), err);
		assert_true(t.facts.text_layer);
		assert_true(t.facts.pages >= 1);
		if (t.facts.words < 100)
			fail_msg("%s: only %zu words", path, t.facts.words);
		assert_lacks(t.body, "\xEF\xAC"); /* no ligature code points left */
		assert_lacks(t.body, "\r");
		files++;
	}
	closedir(d);
	assert_true(files >= 5);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pdf_single_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_two_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_header_footer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_no_text_layer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_time_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docx_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docx_columns_and_breaks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docx_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_encodings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect_by_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalising, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_dates_flush_right, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_page_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_hyphens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_many_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_matcher_samples, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* scan/ats — see ats.h. The thresholds follow the ATS advice collected in
 * the project's research notes: one column, no tables or text boxes,
 * contact details written out in the body, the usual section names, one or
 * two pages (about 400–1,200 words), bullets with numbers. */
#include "scan/ats.h"

#include <stdio.h>
#include <string.h>

#include "base/json_out.h"

static struct ats_check *add(struct ats_check *out, size_t *n, const char *id, const char *title, enum ats_status st,
			     const char *advice)
{
	struct ats_check *c = &out[(*n)++];
	c->id = id;
	c->title = title;
	c->status = st;
	c->detail[0] = '\0';
	c->advice = st == ATS_PASS ? NULL : advice;
	return c;
}

static int has_section(const struct resume_info *r, enum resume_section kind)
{
	for (size_t i = 0; i < r->n_sections; i++)
		if (r->sections[i].kind == kind)
			return 1;
	return 0;
}

static void check_contact(const struct resume_info *r, const char *hf, struct ats_check *out, size_t *n)
{
	int hf_email = hf && strchr(hf, '@') != NULL;
	enum ats_status st = r->has_email && r->has_phone ? ATS_PASS : r->has_email ? ATS_WARN : ATS_FAIL;
	const char *advice = !r->has_email && hf_email
				 ? "Put your email and phone number in the body of the resume, at the top: many ATS "
				   "skip headers and footers."
				 : "Write your email address and phone number as plain text at the top of the resume "
				   "(not in an image or an icon).";
	struct ats_check *c = add(out, n, "contact", "Contact details in the body", st, advice);
	snprintf(c->detail, sizeof(c->detail), "email %s, phone %s, LinkedIn %s%s",
		 r->has_email ? "found" : "not found", r->has_phone ? "found" : "not found",
		 r->has_linkedin ? "found" : "not found",
		 !r->has_email && hf_email ? "; an email is only in a header or footer" : "");
}

static void check_sections(const struct resume_info *r, struct ats_check *out, size_t *n)
{
	static const struct {
		enum resume_section kind;
		const char *name;
	} need[] = { { RS_EXPERIENCE, "Experience" }, { RS_EDUCATION, "Education" }, { RS_SKILLS, "Skills" } };
	char missing[96] = "";
	size_t found = 0;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (has_section(r, need[i].kind)) {
			found++;
			continue;
		}
		size_t l = strlen(missing);
		snprintf(missing + l, sizeof(missing) - l, "%s%s", l ? ", " : "", need[i].name);
	}
	enum ats_status st = found == 3 ? ATS_PASS : found > 0 ? ATS_WARN : ATS_FAIL;
	struct ats_check *c =
	    add(out, n, "section_headings", "Standard section headings", st,
		"Use the usual headings on lines of their own — \"Experience\", \"Education\", \"Skills\" — so an "
		"ATS files each part where it belongs.");
	if (found == 3)
		snprintf(c->detail, sizeof(c->detail),
			 "%zu sections recognised, Experience, Education and Skills among them", r->n_sections);
	else
		snprintf(c->detail, sizeof(c->detail), "no heading recognised for: %s", missing);
}

static void check_length(const struct resume_facts *f, const struct resume_info *r, struct ats_check *out, size_t *n)
{
	enum ats_status st = r->words < 150                                        ? ATS_FAIL
			     : (r->words < 300 || r->words > 1200 || f->pages > 3) ? ATS_WARN
										   : ATS_PASS;
	const char *advice = r->words < 300
				 ? "Say more about what you did and achieved: most resumes that get read "
				   "have 400 to 1,200 words."
				 : "Trim it to one or two pages (up to about 1,200 words): keep what the job "
				   "asks for.";
	struct ats_check *c = add(out, n, "length", "Length", st, advice);
	if (f->pages > 0)
		snprintf(c->detail, sizeof(c->detail), "%u words on %d page%s", r->words, f->pages,
			 f->pages == 1 ? "" : "s");
	else
		snprintf(c->detail, sizeof(c->detail), "%u words", r->words);
}

static void check_measurable(const struct resume_info *r, struct ats_check *out, size_t *n)
{
	/* No bullet lines: nothing to count, so no failure; only a hint that
	 * results read best as bullets with numbers. */
	if (!r->bullets) {
		struct ats_check *c = add(out, n, "measurable_results", "Measurable results", ATS_WARN,
					  "Write your achievements as bullet lines under each job, each with a number: "
					  "amounts, percentages, how many, how fast (\"cut closing time by 30%\").");
		snprintf(c->detail, sizeof(c->detail),
			 "no bullet lines to check: results are easier to find as bullets");
		return;
	}
	enum ats_status st = r->measurable >= 3 || r->measurable * 3 >= r->bullets ? ATS_PASS
			     : r->measurable > 0                                   ? ATS_WARN
										   : ATS_FAIL;
	struct ats_check *c = add(out, n, "measurable_results", "Measurable results", st,
				  "Give numbers for what you achieved: amounts, percentages, how many, how fast "
				  "(\"cut closing time by 30%\").");
	snprintf(c->detail, sizeof(c->detail), "%u of %u bullet lines have a number, %% or amount", r->measurable,
		 r->bullets);
}

/* A layout feature an ATS may read out of order: warn when present. */
static void check_layout(struct ats_check *out, size_t *n, const char *id, const char *title, int present,
			 const char *found, const char *advice)
{
	struct ats_check *c = add(out, n, id, title, present ? ATS_WARN : ATS_PASS, advice);
	snprintf(c->detail, sizeof(c->detail), "%s", present ? found : "none found");
}

size_t ats_run(const struct resume_facts *f, const struct resume_info *r, const char *hf, struct ats_check *out)
{
	size_t n = 0;
	struct ats_check *c;
	int office = f->type == RESUME_TYPE_PDF || f->type == RESUME_TYPE_DOCX;
	c = add(out, &n, "file_type", "File type", office ? ATS_PASS : ATS_WARN,
		"Send a DOCX or PDF: plain text loses the layout recruiters expect, though an ATS reads it.");
	snprintf(c->detail, sizeof(c->detail), "%s", resume_type_name(f->type));

	if (f->type == RESUME_TYPE_PDF) {
		enum ats_status st = !f->text_layer ? ATS_FAIL : f->pages_without_text ? ATS_WARN : ATS_PASS;
		c = add(out, &n, "text_layer", "Text layer", st,
			"Export the PDF from your word processor (File → Save as PDF) instead of scanning or "
			"printing it to an image: an ATS reads text, not pictures.");
		snprintf(c->detail, sizeof(c->detail), "%d of %d page%s with text", f->pages - f->pages_without_text,
			 f->pages, f->pages == 1 ? "" : "s");
	}
	check_contact(r, hf, out, &n);
	c = add(out, &n, "icon_glyphs", "Icons instead of words", f->icon_glyphs ? ATS_WARN : ATS_PASS,
		"Replace icons (phone, envelope, pin) with words such as \"Phone:\" and \"Email:\": an ATS drops "
		"icon fonts.");
	snprintf(c->detail, sizeof(c->detail), "%d icon character%s", f->icon_glyphs, f->icon_glyphs == 1 ? "" : "s");
	check_sections(r, out, &n);
	c = add(out, &n, "dates", "Parseable dates", r->n_dates ? ATS_PASS : ATS_WARN,
		"Give each job its dates as month and year, e.g. \"Mar 2021 – Present\" or \"03/2021 – 06/2023\".");
	snprintf(c->detail, sizeof(c->detail), "%zu date range%s read, %.1f years of experience", r->n_dates,
		 r->n_dates == 1 ? "" : "s", r->months / 12.0);
	check_layout(out, &n, "columns", "Single column", f->columns, "a layout in several columns",
		     "Use one column: an ATS may read columns across, mixing their lines.");
	check_layout(out, &n, "tables", "No tables", f->tables, "text laid out in a table",
		     "Write the content as lines and bullets, not table cells.");
	check_layout(out, &n, "text_boxes", "No text boxes", f->text_boxes, "text in text boxes",
		     "Move text out of text boxes into the body: many ATS skip them.");
	check_layout(out, &n, "images", "No images", f->images, "images or drawings",
		     "Remove photos, logos and charts, and write skill levels as words.");
	check_layout(out, &n, "header_footer", "Nothing important in headers or footers", f->header_footer,
		     "text in page headers or footers",
		     "Keep your name and contact details in the body: headers and footers are often ignored.");
	check_length(f, r, out, &n);
	check_measurable(r, out, &n);
	return n;
}

const char *ats_status_name(enum ats_status s)
{
	return s == ATS_PASS ? "pass" : s == ATS_WARN ? "warn" : "fail";
}

void ats_json(struct buf *b, const struct ats_check *c, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"id\":");
		json_out_string(b, c[i].id);
		JSON_OUT_KEY(b, "title");
		json_out_string(b, c[i].title);
		JSON_OUT_KEY(b, "status");
		json_out_string(b, ats_status_name(c[i].status));
		JSON_OUT_KEY(b, "detail");
		json_out_string(b, c[i].detail);
		JSON_OUT_KEY(b, "advice");
		json_out_string(b, c[i].advice);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

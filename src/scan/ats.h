/* scan/ats — the ATS-readability checks of a resume: can an applicant
 * tracking system read it as written? Reported apart from the match score
 * (as Jobscan does): file type, text layer, contact details in the body,
 * icon glyphs, standard section headings, dates, columns, tables, text
 * boxes, images, headers/footers, length and measurable results. Each
 * check passes, warns or fails, and says what was found and what to do.
 * Owned by the resume scanner; the facts come from src/resume (extract.h),
 * the rest from resume_analyse (resume.h). */
#ifndef JT_SCAN_ATS_H
#define JT_SCAN_ATS_H

#include <stddef.h>

#include "base/buf.h"
#include "resume/extract.h"
#include "scan/resume.h"

enum ats_status { ATS_PASS, ATS_WARN, ATS_FAIL };

struct ats_check {
	const char *id;    /* stable: "file_type", "text_layer", "contact", … */
	const char *title; /* for people */
	enum ats_status status;
	char detail[160];   /* what was found */
	const char *advice; /* what to do; NULL when it passes */
};

#define ATS_CHECKS_MAX 16

/* Fills out[] (ATS_CHECKS_MAX entries) and returns how many. header_footer
 * is the text extraction found in headers and footers ("" for none). */
size_t ats_run(const struct resume_facts *facts, const struct resume_info *r, const char *header_footer,
	       struct ats_check *out);

const char *ats_status_name(enum ats_status s);

/* [{"id":…,"title":…,"status":"pass|warn|fail","detail":…,"advice":…|null}, …] */
void ats_json(struct buf *b, const struct ats_check *c, size_t n);

#endif

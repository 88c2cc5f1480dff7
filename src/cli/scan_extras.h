/* cli/scan_extras — what `jobtrack scan` reports beside the score
 * (scan/report.h): the resume's ATS-readability checks, apart from the
 * score, and with --marked the resume and the posting with the matched and
 * missing terms marked. */
#ifndef JT_CLI_SCAN_EXTRAS_H
#define JT_CLI_SCAN_EXTRAS_H

#include "base/arena.h"
#include "base/buf.h"
#include "resume/extract.h"
#include "scan/jd.h"
#include "scan/resume.h"
#include "scan/score.h"

struct scan_extras {
	const struct scan_matcher *m;
	const struct resume_text *doc; /* the resume as read */
	const struct resume_info *r;
	const char *jd_text; /* the posting's text */
	size_t jd_len;
	const struct scan_result *res;
	int marked; /* --marked */
};

/* Appends "ats" (and "marked", as GET /api/v1/scans/{id}/marks gives it)
 * to the JSON object in out, which ends "}\n". 0, or -1 out of memory. */
int scan_extras_json(struct buf *out, struct arena *a, const struct scan_extras *x);
/* The same as text: the checks in words, and the texts with [matched]
 * and {missing} terms. */
int scan_extras_text(struct buf *out, struct arena *a, const struct scan_extras *x);

#endif

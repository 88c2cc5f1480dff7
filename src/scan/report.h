/* scan/report — a scan's result for people (text) and programs (one JSON
 * object whose "score" is the 0–100 match, beside the breakdown, terms,
 * suggestions and what was read from the resume and the posting). Owned by
 * the resume scanner; the CLI prints these, and the web UI/API will too. */
#ifndef JT_SCAN_REPORT_H
#define JT_SCAN_REPORT_H

#include "base/buf.h"
#include "scan/jd.h"
#include "scan/resume.h"
#include "scan/score.h"

void report_json(struct buf *b, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
		 const struct scan_result *res);
/* What was read from the resume, as report_json's "resume" member:
 * {"titles","sections","date_ranges","years_of_experience","education",
 * "bullets","measurable_results","words","contact"}. */
void report_resume_json(struct buf *b, const struct scan_matcher *m, const struct resume_info *r);
void report_text(struct buf *b, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
		 const struct scan_result *res);

/* The breakdown's array alone (each component's name, weight, points, …),
 * as report_json writes it under "breakdown". */
void report_breakdown_json(struct buf *b, const struct scan_result *res);

#endif

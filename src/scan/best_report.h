/* scan/best_report — a "best matches" ranking (best.h) for programs (one
 * JSON object) and people (text). Owned by the resume scanner; the API and
 * `jobtrack scan --best` print these.
 *
 * JSON: {"items":[{"posting_id","score","title","company","location",
 * "url","date_posted","occupation","breakdown":[…],"matched_skills":[…],
 * "missing_skills":[…]}…],"candidates","ranked","cached_now","took_ms"}:
 * the skills heaviest first, at most BEST_SKILLS_SHOWN each. */
#ifndef JT_SCAN_BEST_REPORT_H
#define JT_SCAN_BEST_REPORT_H

#include "base/buf.h"
#include "scan/best.h"

#define BEST_SKILLS_SHOWN 8

void best_report_json(struct buf *b, const struct best_result *r);
void best_report_text(struct buf *b, const struct best_result *r);

#endif

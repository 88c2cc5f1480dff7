/* GET /api/v1/resumes/{id}/matches?q=&filters…&limit= — the open postings
 * that best match one of the caller's resumes, best first, each with its
 * score, breakdown, and top matched and missing skills (scan/best.h). */
#include "scan/best_report.h"
#include "web/handlers.h"
#include "web/matches_call.h"

void api_resume_matches(struct request *req)
{
	struct search_params sp;
	struct best_result res;
	struct matches_failure why;
	if (matches_call(req, &sp, &res, &why)) {
		if (why.status == 503)
			resp_header(req, "Retry-After", "1");
		resp_error(req, why.status, why.code, why.message, why.field);
		return;
	}
	best_report_json(&req->out, &res);
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}

/* matches_call — see matches_call.h. */
#include "web/matches_call.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "scan/dates.h"
#include "web/web.h"

static int fail(struct matches_failure *why, int status, const char *code, const char *message, const char *field)
{
	*why = (struct matches_failure){ .status = status, .code = code, .message = message, .field = field };
	return -1;
}

int matches_call(struct request *req, struct search_params *sp, struct best_result *out, struct matches_failure *why)
{
	if (search_query_parse(req, req->web->search, MATCHES_DEFAULT_LIMIT, sp))
		return fail(why, 400, "bad_query", sp->message, sp->bad_field);
	if (!req->web->best)
		return fail(why, 503, "matches_unavailable", "Best matches are not available on this server.", NULL);
	struct best_request br = { .user_id = req->user.id,
				   .resume_id = req->params[0],
				   .filter = sp->q || sp->any_filter ? &sp->req : NULL,
				   .limit = (size_t)sp->req.limit,
				   .now_month = dates_month_of(time(NULL)) };
	char err[256] = "";
	int rc = best_service_rank(req->web->best, &br, &req->arena, out, err, sizeof(err));
	switch (rc) {
	case 0:
		return 0;
	case -EAGAIN:
		return fail(why, 503, "matches_starting",
			    "The server is still starting (reading postings); try again in a moment.", NULL);
	case -ENOENT:
		return fail(why, 404, "not_found", "There is no such resume.", NULL);
	case -ENOTSUP:
		return fail(why, 503, "search_unavailable", "Filtering needs the search index, which is not running.",
			    NULL);
	case -EINVAL:
		return fail(why, 422, "resume_unreadable",
			    err[0] ? arena_strndup(&req->arena, err, strlen(err))
				   : "The resume's text could not be read; upload it again as PDF, DOCX or text.",
			    NULL);
	case -ENOMEM:
		return fail(why, 500, "out_of_memory", "The server ran out of memory ranking the postings.", NULL);
	default:
		return fail(why, 500, "matches_failed", "Ranking the postings failed; try again.", NULL);
	}
}

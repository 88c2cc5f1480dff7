/* cli/serve_best — see serve_best.h. */
#include "cli/serve_best.h"

#include <errno.h>

#include "base/log.h"

/* best_resume_text_fn: the owner's resume read through the resume service
 * (decrypted and extracted as for a scan). */
static int resume_text(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, const char **text, size_t *len,
		       char *err, size_t errlen)
{
	struct resume_doc doc;
	switch (resume_open(ctx, user_id, resume_id, a, &doc, err, errlen)) {
	case RESUME_SVC_OK:
		*text = doc.text.body;
		*len = doc.text.body_len;
		return 0;
	case RESUME_SVC_NOTFOUND:
		return -ENOENT;
	case RESUME_SVC_UNREADABLE:
	case RESUME_SVC_INVALID:
	case RESUME_SVC_UNSUPPORTED:
	case RESUME_SVC_TOO_LARGE:
		return -EINVAL; /* err says why */
	default:
		return -EIO;
	}
}

void serve_best_start(struct serve_best *sb, struct store *store, struct resume_service *resumes,
		      struct search_service *search, const struct scan_matcher *matcher)
{
	sb->best = NULL;
	char err[512];
	if (best_service_start(store, search, NULL, matcher, BEST_POLL_MS, resume_text, resumes, &sb->best, err,
			       sizeof(err)) != 0) {
		sb->best = NULL;
		log_event(LOG_ERROR, "scan.start", "best matches could not start (%s): they will answer 503", err);
	}
}

void serve_best_stop(struct serve_best *sb)
{
	best_service_stop(sb->best);
	sb->best = NULL;
}

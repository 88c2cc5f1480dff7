/* cli/serve_best — see serve_best.h. */
#include "cli/serve_best.h"

#include <errno.h>
#include <stdio.h>

#include "base/log.h"
#include "resume/extract.h"

/* best_resume_text_fn: the owner's file, decrypted, then its text. */
static int resume_text(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, const char **text, size_t *len,
		       char *err, size_t errlen)
{
	struct resume_vault *v = ctx;
	unsigned char *data;
	size_t n;
	int rc = resume_vault_read(v, user_id, resume_id, a, NULL, &data, &n, err, errlen);
	if (rc == -ENOENT || rc == -ENOMEM)
		return rc;
	if (rc == -EBADMSG || rc == -EINVAL)
		return -EINVAL; /* err says why */
	if (rc)
		return -EIO;
	struct resume_text rt;
	enum resume_error e = resume_extract_text(data, n, NULL, a, &rt, err, errlen);
	if (e == RESUME_ERR_NOMEM)
		return -ENOMEM;
	if (e != RESUME_OK) {
		if (!err[0])
			snprintf(err, errlen, "The resume's text could not be read (%s).", resume_error_name(e));
		return -EINVAL;
	}
	*text = rt.body;
	*len = rt.body_len;
	return 0;
}

void serve_best_start(struct serve_best *sb, struct store *store, struct blob *blob, struct search_service *search,
		      const struct scan_matcher *matcher, const uint8_t *secret, size_t secret_len)
{
	sb->best = NULL;
	resume_vault_init(&sb->vault, store, blob, secret, secret_len);
	char err[512];
	if (best_service_start(store, search, NULL, matcher, BEST_POLL_MS, resume_text, &sb->vault, &sb->best, err,
			       sizeof(err)) != 0) {
		sb->best = NULL;
		log_event(LOG_ERROR, "scan.start", "best matches could not start (%s): they will answer 503", err);
	}
}

void serve_best_stop(struct serve_best *sb)
{
	best_service_stop(sb->best);
	sb->best = NULL;
	resume_vault_fini(&sb->vault);
}

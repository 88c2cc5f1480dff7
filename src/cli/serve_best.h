/* cli/serve_best — serve's "best matches" service (scan/best.h), reading
 * resumes through serve's resume service (src/resume/service.h), whose
 * extractor the core library the web server lives in does not link. */
#ifndef JT_CLI_SERVE_BEST_H
#define JT_CLI_SERVE_BEST_H

#include <stddef.h>
#include <stdint.h>

#include "resume/service.h"
#include "scan/best.h"

struct serve_best {
	struct best_service *best; /* NULL when it could not start */
};

/* Starts it with serve's compiled taxonomy (matcher, kept alive until stop)
 * (a failure is logged; sb->best is then NULL and the pages and API answer
 * 503). */
void serve_best_start(struct serve_best *sb, struct store *store, struct resume_service *resumes,
		      struct search_service *search, const struct scan_matcher *matcher);
void serve_best_stop(struct serve_best *sb);

#endif

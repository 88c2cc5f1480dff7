/* scan/service — resume scans for the web API and pages: a resume (the
 * user's, or their default) against a stored posting or a pasted job
 * description, giving the explained 0–100 score (report.h) with the
 * resume's ATS-readability checks (ats.h) and, on a re-scan of the same
 * resume and job, the change since the scan before; each scan is kept in
 * the user's history (store_scan_*). Also a resume's profile: its sections,
 * titles, years, education, skills, facts and ATS checks.
 *
 * The taxonomy is the built-in one, compiled once at init; the words'
 * weights (IDF) come from every open posting in the store (idf_store.h),
 * built on a background thread the first scan starts and again at most
 * every SCAN_SERVICE_IDF_REFRESH seconds when postings changed; until the
 * first full table is ready, scans use one from the newest postings.
 * Thread-safe: scans share the read-only matcher and read the IDF table
 * under a read lock.
 *
 * A pasted job description is kept in the scan's result ("job_text", at
 * most SCAN_JOB_TEXT_MAX bytes) so the scan can be run again and shown.
 *
 * Results are JSON text in the caller's arena or buffer; statuses as in
 * resume/service.h (NOTFOUND: no such resume or posting for this user). */
#ifndef JT_SCAN_SERVICE_H
#define JT_SCAN_SERVICE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "resume/service.h"
#include "scan/highlight.h"
#include "scan/idf.h"
#include "scan/idf_store.h"
#include "scan/matcher.h"
#include "scan/taxonomy.h"

#define SCAN_SERVICE_IDF_REFRESH 300    /* seconds between full builds, at most */
#define SCAN_JOB_TEXT_MAX        100000 /* bytes of a pasted job description */
#define SCAN_JOB_TITLE_MAX       300    /* bytes of its title */
#define SCAN_HISTORY_MAX         200    /* scans one history request returns */

struct scan_service {
	struct store *store;
	struct resume_service *resumes;
	const struct scan_matcher *m; /* borrowed: serve's compiled taxonomy */
	pthread_rwlock_t idf_lock;
	pthread_mutex_t idf_build;
	struct idf_table idf;
	int64_t idf_built_at;     /* 0: never */
	int64_t idf_checked_at;   /* the last full build (or check for changes) ended; 0: none yet */
	bool idf_full;            /* idf is over every open posting (written under idf_build) */
	struct idf_mark idf_mark; /* where the last full build's stream ended (idf_build) */
	atomic_bool idf_building; /* a background build runs */
	pthread_t idf_thread;
	bool idf_thread_started;
};

/* m (the taxonomy with the user's extension, compiled once by serve) must
 * outlive the service. */
void scan_service_init(struct scan_service *svc, struct store *store, struct resume_service *resumes,
		       const struct scan_matcher *m);
void scan_service_fini(struct scan_service *svc);

struct scan_request {
	int64_t resume_id;  /* 0: the user's default resume */
	int64_t posting_id; /* a stored posting, or 0 with job_text */
	const char *job_text;
	const char *job_title; /* optional, with job_text */
};

/* A resume page or call is being answered: a scan may follow, so a
 * taxonomy compiled on first use (serve's) starts compiling in the
 * background now (matcher_prepare). Returns at once. */
void scan_service_prepare(struct scan_service *svc);

/* Runs and keeps a scan; *out is its row (result: the JSON without id and
 * created_at, which scan_service_render adds). */
enum resume_svc_status scan_service_run(struct scan_service *svc, int64_t user_id, const struct scan_request *rq,
					int64_t now, struct arena *a, struct store_scan *out, char *err, size_t errlen);
/* Runs scan_id again: the same resume and posting, or the same pasted
 * job description (INVALID when the scan predates keeping it). */
enum resume_svc_status scan_service_rerun(struct scan_service *svc, int64_t user_id, int64_t scan_id, int64_t now,
					  struct arena *a, struct store_scan *out, char *err, size_t errlen);

/* A text with the scan's terms marked (text NULL: not available). */
struct scan_marked {
	const char *text;
	size_t len;
	struct hl_span *spans;
	size_t n;
};
struct scan_marks {
	struct hl_term *terms; /* the scan's matched then missing terms */
	size_t n_terms;
	struct scan_marked resume; /* the resume's text as it is now */
	struct scan_marked job;    /* the posting's text (NULL: deleted, or a pasted text not kept) */
	int resume_changed;        /* the resume was replaced or edited after the scan */
};
/* The resume and the job of scan with its matched and missing terms marked. */
enum resume_svc_status scan_service_marks(struct scan_service *svc, int64_t user_id, const struct store_scan *scan,
					  struct arena *a, struct scan_marks *out, char *err, size_t errlen);
/* {"terms":[{"term","keyword","matched"}],"resume":{"text","resume_changed","marks":[{"start","length","term"}]},
 * "job":{"text","marks"}|null}: start and length in bytes of the UTF-8 text, term an index into terms. */
void scan_service_render_marks(struct buf *b, const struct scan_marks *mk);

/* {"id":…,"created_at":…, …the stored result…} */
void scan_service_render(struct buf *b, const struct store_scan *scan);
/* One history entry: id, created_at, resume_id, posting_id, job_title, score. */
void scan_service_render_brief(struct buf *b, const struct store_scan *scan);

/* The resume's profile: {"facts":{…},"sections":[…],"titles":[…],
 * "years_of_experience":…,"education":…,"contact":{…},"skills":[…],
 * "ats":[…]} as *json (*len bytes, in a), its row into *meta. */
enum resume_svc_status scan_service_profile(struct scan_service *svc, int64_t user_id, int64_t resume_id, int64_t now,
					    struct arena *a, struct store_resume *meta, char **json, size_t *len,
					    char *err, size_t errlen);

#endif

/* fetch_internal — what the fetch engine's files share: the engine, its
 * hosts and its jobs. Only src/scrape/fetch*.c include this.
 *
 *   fetch.c           the loop: queueing, dispatch, completion, retries, callbacks
 *   fetch_host.c      the host table and each host's politeness state
 *   fetch_transfer.c  one attempt as a libcurl easy handle: options, limits,
 *                     response headers, what a CURLcode means
 *   fetch_metrics.c   the process-wide metrics, labelled by source
 *   fetch_cache.c     the directory cache for conditional requests
 */
#ifndef JT_SCRAPE_FETCH_INTERNAL_H
#define JT_SCRAPE_FETCH_INTERNAL_H

#include <curl/curl.h>
#include <stdint.h>

#include "base/buf.h"
#include "scrape/fetch.h"

struct fetch_job;

/* A FIFO of jobs linked through their `next`: a host's queue, the done list. */
struct fetch_job_list {
	struct fetch_job *head, *tail;
};

/* What a job needs only from the moment it leaves its host's queue: curl's
 * error text, the response headers it keeps and its result's message.
 * Queued jobs go without (a crawl queues thousands of links; this is 1.7 KB). */
struct fetch_job_text {
	char curl_error[CURL_ERROR_SIZE];
	char message[512];
	char content_type_value[256], etag[512], last_modified[64], retry_after[64];
};

/* One request from fetch_add() to its callback. */
struct fetch_job {
	struct fetch_job *next;                /* in its host's queue, or in the engine's done list */
	struct fetch_job *run_prev, *run_next; /* in the engine's list of running transfers */
	struct fetch_host *host;
	/* The request, copied. */
	char *url, *source_label, *body, *content_type, *accept, *proxy;
	char **headers; /* NULL-terminated copies */
	size_t body_len;
	bool post;
	enum fetch_kind kind;
	int delay_ms;
	unsigned max_attempts;
	size_t max_body;
	unsigned source_slot; /* metrics series (fetch_metrics.c) */
	fetch_done_fn *done;
	void *user;

	/* Progress. */
	CURL *easy;                     /* while a transfer runs */
	struct curl_slist *req_headers; /* this attempt's header list */
	unsigned attempts;
	bool robots_checked;
	bool cache_checked;
	int64_t first_start_ms; /* monotonic; 0 before the first attempt */
	int64_t not_before_ms;  /* a robots hook that said "ask later" */
	int64_t robots_wait_since_ms;
	struct buf body_buf; /* bounded by max_body */
	bool too_large;      /* the write callback refused more */
	bool have_cached;
	struct fetch_cached cached;

	/* The result being built; strings below live in the job. */
	struct fetch_result result;
	char *final_url;
	/* Set by fetch_host_dequeue: owned, or the engine's spare_text when
	 * memory ran out (then messages may mix; nothing overflows). */
	struct fetch_job_text *text;
	bool text_owned;
};

struct fetch_host {
	struct fetch_host *hash_next;
	struct fetch_host *wait_next; /* in the engine's list of hosts with queued jobs */
	bool waiting;
	char key[FETCH_HOST_MAX];
	struct fetch_job_list queue;
	unsigned queued, active;
	int64_t next_start_ms; /* monotonic: no request starts before it (delay, backoff) */
	time_t blocked_until;  /* wall clock */
	unsigned consecutive_failures;
	struct fetch_stats stats;
};

struct fetch {
	struct fetch_config cfg;
	char *user_agent, *proxy; /* the config's strings, copied */
	CURLM *multi;
	atomic_bool cancelled;
	bool in_run;  /* fetch_run() is on the stack: no re-entry */
	uint64_t rng; /* jitter, not security */

	struct fetch_host **buckets;
	size_t n_buckets, n_hosts;
	struct fetch_host *wait_head, *wait_tail; /* round robin over hosts with queued jobs */
	size_t n_waiting;

	size_t queued, running; /* jobs waiting in host queues / transfers running */
	struct fetch_job *running_head;
	struct fetch_job_list done; /* completed, callbacks not yet called */
	CURL **easy_pool;           /* easy handles kept for reuse */
	size_t n_pool;
	struct fetch_stats totals;
	struct fetch_job_text spare_text; /* for jobs whose own could not be allocated */
};

/* ---- job lists (fetch.c) ---- */
void fetch_jobs_push_back(struct fetch_job_list *l, struct fetch_job *j);
void fetch_jobs_push_front(struct fetch_job_list *l, struct fetch_job *j);
/* The first job, unlinked; NULL when the list is empty. */
struct fetch_job *fetch_jobs_pop(struct fetch_job_list *l);

/* ---- time and chance (fetch.c) ---- */
int64_t fetch_now_ms(void);
/* ms plus a random part of up to half of it: waits that are at least ms,
 * and that drift apart between crawlers instead of arriving in lockstep. */
int64_t fetch_jitter(struct fetch *f, int64_t ms);

/* ---- hosts (fetch_host.c) ---- */
/* The host of key, created when absent. NULL on ENOMEM or past max_hosts (*err says which). */
struct fetch_host *fetch_host_get(struct fetch *f, const char *key, int *err);
struct fetch_host *fetch_host_find(struct fetch *f, const char *key);
void fetch_hosts_free(struct fetch *f);
/* Appends (or, for a retry, prepends) a job to its host's queue and makes
 * the host a candidate for dispatch. */
void fetch_host_enqueue(struct fetch *f, struct fetch_job *j, bool front);
/* Takes the first job off a host's queue, with its text (struct fetch_job_text). */
struct fetch_job *fetch_host_dequeue(struct fetch *f, struct fetch_host *h);
/* The next host with queued jobs, taken off the waiting list (NULL when none). */
struct fetch_host *fetch_host_next_waiting(struct fetch *f);
/* Puts a host back at the end of the waiting list when it still has jobs. */
void fetch_host_requeue_waiting(struct fetch *f, struct fetch_host *h);
/* 1 while h is blocked at wall-clock now (an expired block is lifted here). */
bool fetch_host_is_blocked(struct fetch_host *h, time_t now);
/* Records that a request to h starts now: its delay (with jitter) pushes
 * the host's next start. */
void fetch_host_started(struct fetch *f, struct fetch_host *h, const struct fetch_job *j, int64_t now_ms);
/* Records an answer's status for refusal counting; true when it just blocked the host. */
bool fetch_host_answered(struct fetch *f, struct fetch_host *h, long status);
/* Nothing starts on h before now + wait_ms. */
void fetch_host_back_off(struct fetch_host *h, int64_t now_ms, int64_t wait_ms);
/* Blocks h until wall-clock until (at most a week ahead); why goes to the log. */
void fetch_host_block(struct fetch_host *h, time_t until, const char *why);

/* ---- one attempt (fetch_transfer.c) ---- */
/* Sets up j->easy for its next attempt. 0, -ENOMEM, or -EINVAL when libcurl refuses an option. */
int fetch_transfer_prepare(struct fetch *f, struct fetch_job *j);
/* After the transfer ended with code: fills the job's result (status,
 * headers, final URL, error, message) and says whether trying again may
 * help. Does not apply the retry policy. */
bool fetch_transfer_finish(struct fetch_job *j, CURLcode code);
/* Returns j->easy to the engine's pool (or frees it). */
void fetch_transfer_release(struct fetch *f, struct fetch_job *j);

/* ---- metrics (fetch_metrics.c) ---- */
/* The series slot of a source label (bounded: unknown labels past the table share "other"). */
unsigned fetch_metrics_source(const char *label);
void fetch_metrics_completed(unsigned slot, const struct fetch_result *r);
void fetch_metrics_retry(unsigned slot);
void fetch_metrics_bytes(size_t n);
void fetch_metrics_host_blocked(void);

#endif

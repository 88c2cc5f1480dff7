/* scan/best — see best.h. */
#include "scan/best.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/log.h"
#include "scan/idf_store.h"

struct best_service {
	struct scan_ranker rk;
	const char *taxonomy_dir;           /* the caller's, read by the thread at its start */
	const struct scan_matcher *matcher; /* the caller's; NULL: taxonomy_dir's, or the built-in one */
	struct store *store;
	struct search_service *search;
	best_resume_text_fn resume_text;
	void *resume_ctx;
	int poll_ms;
	atomic_bool ready;
	bool have_ranker;        /* set before ready, under init_mu */
	pthread_mutex_t init_mu; /* the ranker's start: the thread's, or the first ranking's */
	pthread_t thread;
	pthread_mutex_t mu; /* stop */
	pthread_cond_t wake;
	bool stop;
	pthread_mutex_t fill_mu; /* one fill at a time: the thread's or a ranking's */
};

/* ---- the search's matches, as sorted ids ---------------------------------- */

struct ids {
	int64_t *v;
	size_t n, cap;
	int failed;
};

static void collect(void *ctx, int64_t id)
{
	struct ids *ids = ctx;
	if (ids->failed)
		return;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 1024;
		int64_t *v = realloc(ids->v, cap * sizeof(*v));
		if (!v) {
			ids->failed = 1;
			return;
		}
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
}

static int by_id(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

static int errno_of_store(int rc)
{
	return rc == -1 ? -ENOMEM : -EIO;
}

int best_rank_text(const struct scan_ranker *rk, struct store *store, struct search_service *search,
		   const struct search_request *filter, const char *text, size_t len, size_t limit, int now_month,
		   int filled, struct arena *a, struct best_result *out)
{
	memset(out, 0, sizeof(*out));
	out->ranker = rk;
	struct ids ids = { 0 };
	if (filter) {
		if (!search)
			return -ENOTSUP;
		/* Every match the filter passes, through the callback: the page
		 * itself is not needed. */
		struct search_request req = *filter;
		req.each = collect;
		req.each_ctx = &ids;
		req.offset = 0;
		req.limit = 1;
		req.facets = false;
		req.after.set = false;
		struct search_result sr;
		int rc = search_service_search(search, &req, a, &sr);
		if (rc == 0 && ids.failed)
			rc = -ENOMEM;
		if (rc) {
			free(ids.v);
			return rc == -EAGAIN || rc == -ENOMEM ? rc : -EINVAL;
		}
		if (ids.n) /* v is NULL when nothing passed the filters */
			qsort(ids.v, ids.n, sizeof(*ids.v), by_id);
		out->candidates = ids.n;
	}
	struct resume_info r;
	int rc = resume_analyse(a, rk->m, text, len, now_month, &r) ? -ENOMEM : 0;
	struct scan_rank_request rq = { .resume = &r,
					.only = ids.v,
					.n_only = ids.n,
					.restrict_ids = filter != NULL,
					.limit = limit,
					.no_fill = filled };
	if (rc == 0) {
		rc = scan_rank(rk, store, &rq, a, &out->matches, &out->n, &out->stats);
		if (rc)
			rc = errno_of_store(rc);
	}
	if (!filter)
		out->candidates = out->stats.scored;
	free(ids.v);
	/* What a person needs to tell the postings apart: title, company, place. */
	if (rc == 0 && out->n) {
		out->postings = arena_alloc(a, out->n * sizeof(*out->postings));
		if (!out->postings)
			return -ENOMEM;
		for (size_t i = 0; i < out->n && rc == 0; i++) {
			int g = store_posting_get(store, out->matches[i].posting_id, a, &out->postings[i], NULL, NULL);
			if (g == STORE_NOTFOUND)
				memset(&out->postings[i], 0, sizeof(out->postings[i]));
			else if (g)
				rc = errno_of_store(g);
		}
	}
	return rc;
}

/* ---- the service -------------------------------------------------------------- */

static int fill(struct best_service *svc, size_t *done)
{
	pthread_mutex_lock(&svc->fill_mu);
	int rc = scan_terms_fill(&svc->rk, svc->store, 0, NULL, NULL, done);
	pthread_mutex_unlock(&svc->fill_mu);
	return rc;
}

/* Whether postings changed after (*at, *id); moves the mark past them. */
static bool changed_since(struct best_service *svc, int64_t *at, int64_t *id)
{
	bool any = false;
	struct arena a;
	arena_init(&a, 0);
	for (;;) {
		arena_reset(&a);
		struct store_posting *rows;
		size_t n;
		if (store_posting_changed(svc->store, *at, *id, 200, &a, &rows, &n) != 0 || n == 0)
			break;
		any = true;
		*at = rows[n - 1].updated_at;
		*id = rows[n - 1].id;
		if (n < 200)
			break;
	}
	arena_free(&a);
	return any;
}

static void fill_logged(struct best_service *svc)
{
	size_t done = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = fill(svc, &done);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		log_event(LOG_WARN, "scan.terms", "caching postings' scan terms failed (%d); will retry", rc);
	else if (done)
		log_event(LOG_INFO, "scan.terms", "cached the scan terms of %zu postings in %.0f ms", done,
			  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
}

static int64_t mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec;
}

/* The word weights over every open posting, built here (rankings go on
 * with the table before) and swapped in between fills, which are the only
 * readers. */
static bool idf_rebuild(struct best_service *svc)
{
	struct idf_table t;
	idf_init(&t);
	struct idf_mark mark;
	size_t added = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = idf_from_store_all(&t, svc->store, 0, &mark, &added);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc) {
		idf_free(&t);
		log_event(LOG_WARN, "scan.idf", "reading every posting for word weights failed (%d); will retry", rc);
		return false;
	}
	pthread_mutex_lock(&svc->fill_mu);
	scan_ranker_set_idf(&svc->rk, &t);
	pthread_mutex_unlock(&svc->fill_mu);
	log_event(LOG_INFO, "scan.idf", "word weights from %zu open postings in %.0f ms", added,
		  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return true;
}

/* The ranker with a quick word-weight table from the newest postings, so
 * rankings can start (the one over every open posting follows on the
 * thread). Once, by whoever comes first; 0, or -1 (logged). */
static int start_ranker(struct best_service *svc)
{
	pthread_mutex_lock(&svc->init_mu);
	int rc = 0;
	if (!svc->have_ranker) {
		char err[512];
		if (svc->matcher && matcher_ready(svc->matcher, err, sizeof(err)) == 0)
			scan_ranker_init_with(&svc->rk, svc->matcher);
		else if (svc->matcher || scan_ranker_init(&svc->rk, svc->taxonomy_dir, err, sizeof(err)) != 0)
			rc = -1;
		if (rc == 0) {
			svc->have_ranker = true;
			if (scan_ranker_load_idf(&svc->rk, svc->store, SCAN_RANK_IDF_DOCS) != 0)
				log_event(LOG_WARN, "scan.idf",
					  "reading the postings for word weights failed; using the defaults");
			atomic_store(&svc->ready, true);
		} else
			log_event(LOG_ERROR, "scan.start", "best matches cannot start: taxonomy: %s", err);
	}
	pthread_mutex_unlock(&svc->init_mu);
	return rc;
}

/* Whether to start the ranker: a caller's taxonomy not compiled yet is
 * left so until there is a posting to cache terms of (or a ranking started
 * it), so an instance without postings does not keep it. */
static bool wants_ranker(struct best_service *svc)
{
	if (!svc->matcher || matcher_built(svc->matcher) || atomic_load(&svc->ready))
		return true;
	struct arena a;
	arena_init(&a, 0);
	struct store_posting *rows;
	size_t n = 0;
	int rc = store_posting_changed(svc->store, 0, 0, 1, &a, &rows, &n);
	arena_free(&a);
	return rc != 0 || n > 0;
}

static void *run(void *arg)
{
	struct best_service *svc = arg;
	bool started = false, idf_dirty = false;
	int64_t idf_at = 0, mark_at = 0, mark_id = 0;
	unsigned idle = 0;
	for (bool changed = true;;) {
		/* The taxonomy is compiled here, not in start: serve listens at once. */
		if (!started && wants_ranker(svc)) {
			if (start_ranker(svc) != 0)
				return NULL;
			started = changed = true;
			idf_dirty = !idf_rebuild(svc);
			idf_at = mono_s();
			/* A full pass at start; then only when a posting changed since the last
			 * look (store_posting_changed, an index read), so an idle instance of
			 * 100,000 postings is not checked every few seconds. A change stamped
			 * before the mark but committed after it (an ingest's seen_at is when
			 * the page was fetched) is caught by the next ranking's own fill, or by
			 * the full pass every BEST_FULL_PASS_POLLS polls. */
			mark_at = (int64_t)time(NULL);
		}
		/* the word weights again when postings changed (or the last
		 * build failed), at most every BEST_IDF_REFRESH_S seconds */
		idf_dirty = idf_dirty || changed;
		if (started && idf_dirty && mono_s() - idf_at >= BEST_IDF_REFRESH_S) {
			idf_dirty = !idf_rebuild(svc);
			idf_at = mono_s();
		}
		/* and a full pass now and then for changes stamped before the mark */
		if (started && (changed || ++idle >= BEST_FULL_PASS_POLLS)) {
			fill_logged(svc);
			idle = 0;
		}
		pthread_mutex_lock(&svc->mu);
		if (!svc->stop) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += svc->poll_ms / 1000;
			until.tv_nsec += (long)(svc->poll_ms % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&svc->wake, &svc->mu, &until);
		}
		bool stop = svc->stop;
		pthread_mutex_unlock(&svc->mu);
		if (stop)
			break;
		changed = started && changed_since(svc, &mark_at, &mark_id);
	}
	return NULL;
}

int best_service_start(struct store *store, struct search_service *search, const char *taxonomy_dir,
		       const struct scan_matcher *matcher, int poll_ms, best_resume_text_fn resume_text,
		       void *resume_ctx, struct best_service **out, char *err, size_t errlen)
{
	struct best_service *svc = calloc(1, sizeof(*svc));
	if (!svc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	svc->taxonomy_dir = taxonomy_dir;
	svc->matcher = matcher;
	svc->store = store;
	svc->search = search;
	svc->resume_text = resume_text;
	svc->resume_ctx = resume_ctx;
	svc->poll_ms = poll_ms > 0 ? poll_ms : BEST_POLL_MS;
	pthread_mutex_init(&svc->mu, NULL);
	pthread_mutex_init(&svc->fill_mu, NULL);
	pthread_mutex_init(&svc->init_mu, NULL);
	pthread_cond_init(&svc->wake, NULL);
	int rc = pthread_create(&svc->thread, NULL, run, svc);
	if (rc) {
		snprintf(err, errlen, "cannot start the scan terms thread: %s", strerror(rc));
		pthread_mutex_destroy(&svc->mu);
		pthread_mutex_destroy(&svc->fill_mu);
		pthread_mutex_destroy(&svc->init_mu);
		pthread_cond_destroy(&svc->wake);
		free(svc);
		return -1;
	}
	*out = svc;
	return 0;
}

void best_service_stop(struct best_service *svc)
{
	if (!svc)
		return;
	pthread_mutex_lock(&svc->mu);
	svc->stop = true;
	pthread_cond_signal(&svc->wake);
	pthread_mutex_unlock(&svc->mu);
	pthread_join(svc->thread, NULL);
	pthread_mutex_destroy(&svc->mu);
	pthread_mutex_destroy(&svc->fill_mu);
	pthread_mutex_destroy(&svc->init_mu);
	pthread_cond_destroy(&svc->wake);
	if (svc->have_ranker)
		scan_ranker_free(&svc->rk);
	free(svc);
}

int best_service_rank(struct best_service *svc, const struct best_request *req, struct arena *a,
		      struct best_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	/* With a caller's taxonomy the first ranking starts the ranker when the
	 * thread has not yet (wait_for_postings; or waits for the thread's
	 * start); with its own, the thread is compiling it meanwhile. */
	if (!atomic_load(&svc->ready) && (!svc->matcher || start_ranker(svc) != 0))
		return -EAGAIN;
	if (req->filter && !svc->search)
		return -ENOTSUP;
	const char *text;
	size_t len;
	int rc = svc->resume_text(svc->resume_ctx, req->user_id, req->resume_id, a, &text, &len, err, errlen);
	if (rc)
		return rc;
	size_t done;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = fill(svc, &done);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		return errno_of_store(rc);
	rc = best_rank_text(&svc->rk, svc->store, svc->search, req->filter, text, len, req->limit, req->now_month, 1, a,
			    out);
	out->stats.filled = done;
	out->stats.fill_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return rc;
}

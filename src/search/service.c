#include "search/service.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/metrics.h"
#include "scrape/posting.h"
#include "search/snippet.h"
#include "search/tokenize.h"
#include "store/store.h"

#define PAGE            1000 /* postings per store read, and per write-locked batch */
#define TOKENIZER_CACHE 16   /* idle tokenizers kept for request threads */
#define SOURCES_MAX     8    /* adapter names indexed per posting */
/* Each poll reads again the changes this many seconds (of updated_at) before
 * the watermark: a transaction that stamped its change earlier but
 * committed after a later one was read is still caught. Rows read before
 * are recognised by their version and not put again. */
#define WATERMARK_SLACK 120

/* Postings applied whose updated_at is within the slack of the watermark:
 * id -> version, open addressing (id 0 marks a free slot). */
struct seen {
	int64_t id, version, updated_at;
};
struct seen_set {
	struct seen *slots;
	size_t cap, n; /* cap a power of two, or 0 */
};

struct search_service {
	struct store *store;
	int poll_ms;
	struct search_index *ix;
	struct search_feed feed;      /* put NULL: none */
	struct tokenizer *writer_tok; /* the thread's */
	pthread_rwlock_t lock;        /* searches share, writes exclusive (index.h) */
	atomic_bool ready;

	pthread_t thread;
	pthread_mutex_t mu; /* stop, poked, and the tokenizer pool */
	pthread_cond_t wake;
	bool stop, poked;
	struct tokenizer *idle[TOKENIZER_CACHE];
	size_t nidle;

	int64_t mark_updated_at, mark_id; /* the watermark: the last change applied */
	struct seen_set seen;
	struct metric *latency;
	atomic_llong *docs_gauge;
};

/* ---- tokenizers for request threads --------------------------------------- */

static struct tokenizer *tok_take(struct search_service *svc)
{
	struct tokenizer *t = NULL;
	pthread_mutex_lock(&svc->mu);
	if (svc->nidle)
		t = svc->idle[--svc->nidle];
	pthread_mutex_unlock(&svc->mu);
	return t ? t : tokenizer_new();
}

static void tok_give(struct search_service *svc, struct tokenizer *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&svc->mu);
	if (svc->nidle < TOKENIZER_CACHE) {
		svc->idle[svc->nidle++] = t;
		t = NULL;
	}
	pthread_mutex_unlock(&svc->mu);
	tokenizer_free(t);
}

/* ---- the postings read near the watermark ----------------------------------- */

static struct seen *seen_slot(struct seen *slots, size_t cap, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
	while (slots[i].id && slots[i].id != id)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Whether the posting was applied at this version already. */
static bool seen_has(const struct seen_set *s, int64_t id, int64_t version)
{
	if (!s->cap)
		return false;
	const struct seen *e = seen_slot(s->slots, s->cap, id);
	return e->id == id && e->version == version;
}

/* Rebuilds the table with room for want entries, keeping those updated at
 * or after keep_from. */
static int seen_rebuild(struct seen_set *s, size_t want, int64_t keep_from)
{
	size_t cap = 64;
	while (cap < want * 2)
		cap *= 2;
	struct seen *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].id && s->slots[i].updated_at >= keep_from) {
			*seen_slot(slots, cap, s->slots[i].id) = s->slots[i];
			n++;
		}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	s->n = n;
	return 0;
}

static int seen_put(struct seen_set *s, const struct store_posting *p, int64_t keep_from)
{
	if ((s->n + 1) * 2 > s->cap && seen_rebuild(s, s->n + 1, keep_from))
		return -ENOMEM;
	struct seen *e = seen_slot(s->slots, s->cap, p->id);
	if (!e->id)
		s->n++;
	*e = (struct seen){ p->id, p->version, p->updated_at };
	return 0;
}

/* ---- keeping the index in step ----------------------------------------------- */

static int put_posting(struct search_service *svc, const struct store_posting *p, const struct posting_source_group *g)
{
	const char *sources[SOURCES_MAX];
	size_t ns = 0;
	for (size_t i = 0; g && i < g->n && ns < SOURCES_MAX; i++) {
		const char *name = g->items[i].source;
		bool dup = false;
		for (size_t j = 0; j < ns && !dup; j++)
			dup = strcmp(sources[j], name) == 0;
		if (name && !dup)
			sources[ns++] = name;
	}
	enum workplace w = WORKPLACE_UNKNOWN;
	if (p->workplace && workplace_from_name(p->workplace, &w))
		w = WORKPLACE_UNKNOWN;
	struct search_doc d = {
		.posting_id = p->id,
		.title = p->title,
		.company = p->company,
		.location = p->location_raw,
		.description = p->description_text,
		.workplace = (int)w,
		.country = p->country,
		.city = p->locality,
		.employment_types = p->employment_types,
		.sources = sources,
		.nsources = ns,
		.date_posted = p->date_posted,
		.salary_year_min = p->salary_year_min,
		.salary_year_max = p->salary_year_max,
		.salary_currency = p->salary_currency,
		.closed = p->closed_at != 0,
		.first_seen = p->first_seen,
	};
	return search_index_put(svc->ix, svc->writer_tok, &d);
}

/* Applies one page of changes after *cur, and moves *cur past it; *n says
 * how many rows were read. */
static int apply_page(struct search_service *svc, struct arena *a, int64_t cur[2], size_t *n)
{
	struct store_posting *items;
	int rc = store_posting_changed(svc->store, cur[0], cur[1], PAGE, a, &items, n);
	if (rc || *n == 0)
		return rc ? -EIO : 0;
	cur[0] = items[*n - 1].updated_at;
	cur[1] = items[*n - 1].id;
	/* Rows read again from the slack window and unchanged since are dropped. */
	size_t keep = 0;
	for (size_t i = 0; i < *n; i++)
		if (!seen_has(&svc->seen, items[i].id, items[i].version))
			items[keep++] = items[i];
	if (keep == 0)
		return 0;
	int64_t *ids = arena_alloc(a, keep * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < keep; i++)
		ids[i] = items[i].id;
	struct posting_source_group *groups = NULL;
	if (store_posting_sources_of(svc->store, ids, keep, a, &groups))
		groups = NULL; /* sources are a filter, not the text: index without them rather than stall */
	pthread_rwlock_wrlock(&svc->lock);
	for (size_t i = 0; i < keep && rc == 0; i++)
		rc = put_posting(svc, &items[i], groups ? &groups[i] : NULL);
	if (rc == 0)
		rc = search_index_prepare(svc->ix);
	pthread_rwlock_unlock(&svc->lock);
	if (rc == 0 && svc->feed.put && svc->feed.put(svc->feed.ctx, items, groups, keep))
		log_event(LOG_WARN, "search.feed", "a batch of %zu postings could not be fed on", keep);
	for (size_t i = 0; i < keep && rc == 0; i++) {
		if (items[i].updated_at > svc->mark_updated_at ||
		    (items[i].updated_at == svc->mark_updated_at && items[i].id > svc->mark_id)) {
			svc->mark_updated_at = items[i].updated_at;
			svc->mark_id = items[i].id;
		}
		if (items[i].updated_at >= svc->mark_updated_at - WATERMARK_SLACK)
			rc = seen_put(&svc->seen, &items[i], svc->mark_updated_at - WATERMARK_SLACK);
	}
	return rc;
}

/* Applies every change there is. */
static int catch_up(struct search_service *svc, uint64_t *applied)
{
	struct arena a;
	arena_init(&a, 0);
	int rc = 0;
	int64_t cur[2] = { svc->mark_updated_at - WATERMARK_SLACK, 0 };
	for (;;) {
		size_t n = 0;
		rc = apply_page(svc, &a, cur, &n);
		arena_reset(&a);
		*applied += n;
		if (rc || n < PAGE)
			break;
		pthread_mutex_lock(&svc->mu);
		bool stop = svc->stop;
		pthread_mutex_unlock(&svc->mu);
		if (stop)
			break;
	}
	arena_free(&a);
	if (rc == 0 && svc->seen.n > 4096) /* forget what the window has left behind */
		rc = seen_rebuild(&svc->seen, svc->seen.n, svc->mark_updated_at - WATERMARK_SLACK);
	struct search_stats st;
	pthread_rwlock_rdlock(&svc->lock);
	search_index_stats(svc->ix, &st);
	pthread_rwlock_unlock(&svc->lock);
	if (svc->docs_gauge)
		atomic_store_explicit(svc->docs_gauge, (long long)st.live_docs, memory_order_relaxed);
	return rc;
}

static void *run(void *arg)
{
	struct search_service *svc = arg;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t applied = 0;
	int rc = catch_up(svc, &applied);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		log_event(LOG_ERROR, "search.build", "building the search index failed (%d); retrying", rc);
	else
		log_event(LOG_INFO, "search.build", "search index built: %llu postings in %.0f ms",
			  (unsigned long long)applied,
			  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	for (;;) {
		if (rc == 0)
			atomic_store(&svc->ready, true);
		pthread_mutex_lock(&svc->mu);
		if (!svc->stop && !svc->poked) {
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
		svc->poked = false;
		pthread_mutex_unlock(&svc->mu);
		if (stop)
			break;
		applied = 0;
		rc = catch_up(svc, &applied);
		if (rc)
			log_event(LOG_WARN, "search.update", "updating the search index failed (%d); will retry", rc);
	}
	return NULL;
}

/* ---- lifecycle --------------------------------------------------------------- */

static const double latency_le[] = { 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1 };

int search_service_start(struct store *store, int poll_ms, struct search_service **out)
{
	return search_service_start_fed(store, poll_ms, NULL, out);
}

int search_service_start_fed(struct store *store, int poll_ms, const struct search_feed *feed,
			     struct search_service **out)
{
	struct search_service *svc = calloc(1, sizeof(*svc));
	if (!svc)
		return -ENOMEM;
	svc->store = store;
	if (feed)
		svc->feed = *feed;
	svc->poll_ms = poll_ms > 0 ? poll_ms : SEARCH_SERVICE_POLL_MS;
	svc->ix = search_index_new(NULL);
	svc->writer_tok = tokenizer_new();
	if (!svc->ix || !svc->writer_tok) {
		search_index_free(svc->ix);
		tokenizer_free(svc->writer_tok);
		free(svc);
		return -ENOMEM;
	}
	pthread_rwlock_init(&svc->lock, NULL);
	pthread_mutex_init(&svc->mu, NULL);
	pthread_cond_init(&svc->wake, NULL);
	svc->latency =
	    metrics_histogram("jobtrack_search_seconds", "Time a search took in the index (parse excluded), seconds.",
			      latency_le, sizeof(latency_le) / sizeof(latency_le[0]), 1, NULL, NULL);
	svc->docs_gauge = metrics_gauge("jobtrack_search_postings", "Postings in the search index.");
	int rc = pthread_create(&svc->thread, NULL, run, svc);
	if (rc) {
		pthread_rwlock_destroy(&svc->lock);
		pthread_mutex_destroy(&svc->mu);
		pthread_cond_destroy(&svc->wake);
		search_index_free(svc->ix);
		tokenizer_free(svc->writer_tok);
		free(svc);
		return -rc;
	}
	*out = svc;
	return 0;
}

/* Wakes the thread to stop, or to look for changes now. */
static void wake(struct search_service *svc, bool stop)
{
	pthread_mutex_lock(&svc->mu);
	if (stop)
		svc->stop = true;
	else
		svc->poked = true;
	pthread_cond_signal(&svc->wake);
	pthread_mutex_unlock(&svc->mu);
}

void search_service_stop(struct search_service *svc)
{
	if (!svc)
		return;
	wake(svc, true);
	pthread_join(svc->thread, NULL);
	for (size_t i = 0; i < svc->nidle; i++)
		tokenizer_free(svc->idle[i]);
	pthread_rwlock_destroy(&svc->lock);
	pthread_mutex_destroy(&svc->mu);
	pthread_cond_destroy(&svc->wake);
	search_index_free(svc->ix);
	tokenizer_free(svc->writer_tok);
	free(svc->seen.slots);
	free(svc);
}

bool search_service_ready(struct search_service *svc)
{
	return svc && atomic_load(&svc->ready);
}

void search_service_poke(struct search_service *svc)
{
	if (svc)
		wake(svc, false);
}

/* ---- searching ----------------------------------------------------------------- */

int search_service_parse(struct search_service *svc, const char *text, size_t len, struct arena *a, struct query *q,
			 struct query_error *err)
{
	struct tokenizer *t = tok_take(svc);
	if (!t) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -ENOMEM;
	}
	int rc = query_parse(t, text, len, a, q, err);
	tok_give(svc, t);
	return rc;
}

static int copy_facets(struct arena *a, struct facet_count *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(f[i].value = arena_strdup(a, f[i].value)))
			return -ENOMEM;
	return 0;
}

int search_service_search(struct search_service *svc, const struct search_request *req, struct arena *a,
			  struct search_result *out)
{
	if (!search_service_ready(svc))
		return -EAGAIN;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_rwlock_rdlock(&svc->lock);
	int rc = search_index_search(svc->ix, req, a, out);
	/* Facet values point into the index: copy them before a write may move them. */
	if (rc == 0 && req->facets &&
	    (copy_facets(a, out->facets.source, out->facets.nsource) ||
	     copy_facets(a, out->facets.country, out->facets.ncountry) ||
	     copy_facets(a, out->facets.company, out->facets.ncompany) ||
	     copy_facets(a, out->facets.city, out->facets.ncity)))
		rc = -ENOMEM;
	pthread_rwlock_unlock(&svc->lock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (svc->latency)
		metrics_observe(svc->latency, 0,
				(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return rc;
}

int search_service_snippet(struct search_service *svc, const struct query *q, const char *text, struct buf *out)
{
	struct tokenizer *t = tok_take(svc);
	if (!t)
		return -ENOMEM;
	int rc = search_snippet(t, q, text ? text : "", 0, out);
	tok_give(svc, t);
	return rc;
}

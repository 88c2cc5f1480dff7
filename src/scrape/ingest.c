/* ingest — the postings consumer; see ingest.h. */
#include "scrape/ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/log.h"
#include "bus/bus.h"
#include "scrape/dedupe.h"
#include "scrape/normalize.h"
#include "scrape/postings_topic.h"
#include "scrape/scrape_metrics.h"

/* Records filed per transaction. 64 postings of a few KB rather than 256
 * (about 1 MiB read from the bus, as much again decoded): with the crawl's
 * requests freed once handled, this took the crawl's peak RSS from 23.3-23.6
 * to 22.6-22.9 MiB (BENCHMARKS.md, mem6); either alone moved it by noise,
 * since each left the other as the peak. */
#define POLL_MAX  64
#define MAX_TALLY 64 /* runs whose counts are kept between their postings and their end */

/* New and updated listings seen per run, until its end comes. Lost on a
 * crash (the replayed postings come back unchanged): the counts are then
 * low, never doubled. */
struct run_tally {
	int64_t run_id;
	long new, updated;
};

struct ingest {
	struct store *s;
	struct bus *b;
	struct bus_consumer *c;
	struct run_tally tally[MAX_TALLY];
	size_t next_slot;
};

int ingest_open(struct store *s, struct bus *b, struct ingest **out, char *err, size_t errlen)
{
	struct ingest *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	g->s = s;
	g->b = b;
	int rc = bus_consumer_open(b, POSTINGS_TOPIC, INGEST_GROUP, &g->c);
	if (rc) {
		snprintf(err, errlen,
			 rc == -EBUSY ? "another process (a running `jobtrack serve`?) is ingesting postings"
				      : "cannot read the postings queue: %s",
			 strerror(-rc));
		free(g);
		return rc;
	}
	scrape_metrics_register();
	*out = g;
	return 0;
}

void ingest_close(struct ingest *g)
{
	if (!g)
		return;
	bus_consumer_close(g->c);
	free(g);
}

static struct run_tally *tally_of(struct ingest *g, int64_t run_id, bool make)
{
	for (size_t i = 0; i < MAX_TALLY; i++)
		if (g->tally[i].run_id == run_id)
			return &g->tally[i];
	if (!make)
		return NULL;
	struct run_tally *t = &g->tally[g->next_slot];
	g->next_slot = (g->next_slot + 1) % MAX_TALLY;
	*t = (struct run_tally){ .run_id = run_id };
	return t;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int ingest_prepare(struct arena *a, const struct posting *p, int64_t source_id, int64_t seen_at,
		   struct posting_ingest *out)
{
	char *hash = arena_alloc(a, 33);
	if (!hash)
		return -ENOMEM;
	dedupe_content_hash(p, hash);
	struct posting_ingest in = {
		.posting = {
			.canonical_key = dedupe_canonical_key(a, p),
			.simhash = dedupe_simhash(p->description_text),
			.title = p->title,
			.company = nonempty(p->company),
			.location_raw = nonempty(p->location.raw),
			.locality = nonempty(p->location.locality),
			.region = nonempty(p->location.region),
			.country = nonempty(p->location.country),
			.workplace = workplace_name(p->workplace),
			.employment_types = p->employment_types,
			.date_posted = nonempty(p->date_posted),
			.valid_through = nonempty(p->valid_through),
			.description_html = p->description_html,
			.description_text = p->description_text,
			.apply_url = p->apply_url,
			.url = p->url,
		},
		.source = p->source,
		.external_id = p->external_id,
		.source_id = source_id,
		.content_hash = hash,
		/* dedupe ranks higher-is-better; the store prefers the lower rank. */
		.source_rank = 100 - dedupe_apply_rank(p->source),
		.seen_at = seen_at > 0 ? seen_at : (int64_t)time(NULL),
		.max_distance = DEDUPE_SIMHASH_MAX_DISTANCE,
	};
	if (!in.posting.canonical_key)
		return -ENOMEM;
	if (p->salary.present) {
		in.posting.salary_min = p->salary.min;
		in.posting.salary_max = p->salary.max;
		in.posting.salary_currency = nonempty(p->salary.currency);
		in.posting.salary_period = salary_period_name(p->salary.period);
		in.posting.salary_year_min = salary_yearly(p->salary.min, p->salary.period);
		in.posting.salary_year_max = salary_yearly(p->salary.max, p->salary.period);
	}
	*out = in;
	return 0;
}

static int file_posting(struct ingest *g, struct arena *a, const struct topic_record *r, struct ingest_stats *st)
{
	struct posting_ingest in;
	int rc = ingest_prepare(a, &r->posting, r->source_id, r->seen_at, &in);
	if (rc)
		return rc;
	enum posting_change change;
	rc = store_posting_ingest(g->s, &in, &change, NULL);
	if (rc)
		return rc;
	st->postings++;
	scrape_metrics_ingested(change);
	struct run_tally *t = r->run_id > 0 ? tally_of(g, r->run_id, true) : NULL;
	switch (change) {
	case POSTING_NEW:
		st->new ++;
		break;
	case POSTING_MERGED:
		st->merged++;
		break;
	case POSTING_UPDATED:
		st->updated++;
		break;
	case POSTING_REOPENED:
		st->reopened++;
		break;
	case POSTING_REPOSTED:
		st->reposted++;
		break;
	case POSTING_UNCHANGED:
		st->unchanged++;
		break;
	}
	if (t && (change == POSTING_NEW || change == POSTING_MERGED))
		t->new ++;
	/* A run's record has no column of its own for reposts: to it they are
	 * postings it updated (reopened), not new ones. */
	if (t && (change == POSTING_UPDATED || change == POSTING_REOPENED || change == POSTING_REPOSTED))
		t->updated++;
	return 0;
}

/* The end of a run: finish its record once (a replay finds it finished). */
static int finish_run(struct ingest *g, struct arena *a, const struct topic_record *r, struct ingest_stats *st)
{
	int rc = store_tx_begin(g->s, 0);
	if (rc)
		return rc;
	struct scrape_run run;
	rc = store_run_get(g->s, r->run_id, a, &run);
	if (rc == STORE_NOTFOUND || (rc == 0 && strcmp(run.status, "running") != 0))
		return store_tx_end(g->s, 0); /* its source was deleted, or a replay */
	struct run_tally *t = tally_of(g, r->run_id, false);
	struct run_counts counts = r->counts;
	counts.new = t ? t->new : 0;
	counts.updated = t ? t->updated : 0;
	int64_t now = (int64_t)time(NULL);
	struct missing_counts mc = { 0 };
	if (rc == 0 && r->complete && r->source_id > 0 && strcmp(r->status, "ok") == 0) {
		rc = store_posting_mark_missing(g->s, r->source_id, r->started_at, INGEST_MAX_MISSING, now, &mc);
		counts.closed = mc.closed;
	}
	if (rc == 0)
		rc = store_run_finish(g->s, r->run_id, r->status, &counts, r->message, now);
	rc = store_tx_end(g->s, rc);
	if (rc == 0) {
		st->runs++;
		st->closed += mc.closed;
		if (t)
			t->run_id = 0;
	}
	return rc;
}

static int handle(struct ingest *g, struct arena *a, const struct bus_record *rec, struct ingest_stats *st)
{
	struct topic_record r;
	int rc = topic_decode(a, rec->payload, rec->len, &r);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		st->bad++;
		scrape_metrics_ingest_bad_record();
		log_event(LOG_WARN, "ingest.bad_record", "offset %lld is not a readable postings record: skipped",
			  (long long)rec->offset);
		return 0;
	}
	if (r.type == TOPIC_RUN_END)
		return finish_run(g, a, &r, st);
	return file_posting(g, a, &r, st);
}

static void add_stats(struct ingest_stats *acc, const struct ingest_stats *d)
{
	acc->records += d->records;
	acc->postings += d->postings;
	acc->new += d->new;
	acc->merged += d->merged;
	acc->updated += d->updated;
	acc->reopened += d->reopened;
	acc->reposted += d->reposted;
	acc->unchanged += d->unchanged;
	acc->bad += d->bad;
	acc->runs += d->runs;
	acc->closed += d->closed;
}

/* Files recs[0..n) in one transaction (fast: one commit), or, when that
 * fails (a PostgreSQL deadlock is STORE_BUSY), one by one. */
static int file_batch(struct ingest *g, const struct bus_record *recs, size_t n, struct ingest_stats *st)
{
	struct arena a;
	arena_init(&a, 0);
	struct run_tally saved[MAX_TALLY];
	memcpy(saved, g->tally, sizeof(saved));
	size_t saved_slot = g->next_slot;
	int rc = store_tx_begin(g->s, 0);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = handle(g, &a, &recs[i], st);
	rc = store_tx_end(g->s, rc);
	if (rc) {
		memcpy(g->tally, saved, sizeof(saved));
		g->next_slot = saved_slot;
		*st = (struct ingest_stats){ 0 };
		rc = 0;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			for (int attempt = 0; attempt < 5; attempt++) {
				rc = handle(g, &a, &recs[i], st);
				if (rc != STORE_BUSY)
					break;
				struct timespec ts = { 0, 50000000L << attempt };
				nanosleep(&ts, NULL);
			}
		}
	}
	arena_free(&a);
	return rc;
}

int ingest_step(struct ingest *g, int timeout_ms, size_t *n, struct ingest_stats *acc)
{
	struct bus_record recs[POLL_MAX];
	*n = 0;
	int64_t from = bus_position(g->c);
	int rc = bus_poll(g->c, recs, POLL_MAX, n, timeout_ms);
	if (rc || *n == 0)
		return rc;
	struct ingest_stats st = { .records = (long)*n };
	rc = file_batch(g, recs, *n, &st);
	if (rc == 0)
		rc = bus_commit(g->c);
	if (rc) {
		/* Nothing committed: read the batch again next time. */
		log_event(LOG_WARN, "ingest.retry", "could not file %zu postings records (error %d): will retry", *n,
			  rc);
		bus_seek(g->c, from);
		*n = 0;
		return rc < 0 && rc >= STORE_STALE ? -EIO : rc;
	}
	st.records = (long)*n;
	if (acc)
		add_stats(acc, &st);
	return 0;
}

int ingest_drain(struct ingest *g, struct ingest_stats *acc)
{
	for (;;) {
		size_t n;
		int rc = ingest_step(g, 0, &n, acc);
		if (rc || n == 0)
			return rc;
	}
}

int ingest_lag(struct bus *b, int64_t *pending, double *oldest_s)
{
	struct bus_lag lag;
	*pending = 0;
	*oldest_s = 0;
	int rc = bus_group_lag(b, POSTINGS_TOPIC, INGEST_GROUP, &lag);
	if (rc)
		return rc;
	*pending = lag.depth;
	if (lag.depth > 0 && lag.oldest_ms > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		double now_ms = (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
		*oldest_s = now_ms > (double)lag.oldest_ms ? (now_ms - (double)lag.oldest_ms) / 1000 : 0;
	}
	scrape_metrics_ingest_lag(*pending, *oldest_s);
	return 0;
}

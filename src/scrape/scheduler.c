/* scheduler — scheduled scrapes and ingest inside `jobtrack serve`; see
 * scheduler.h.
 *
 * Each configured source has a task on the runner (base/tasks.h) named
 * "scrape:ID:GEN": its schedule when enabled, on demand only when not. The
 * runner cannot drop or reschedule a task, so a reload adds the source's
 * next generation and the older task, should it fire, sees it is stale and
 * returns. A per-source `running` flag (and the store's one-running-run rule
 * across processes) keeps two runs of a source from overlapping. Ingest is
 * one long task that polls the bus until the stop. */
#include "scrape/scheduler.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/schedule.h"
#include "base/tasks.h"
#include "bus/bus.h"
#include "scrape/browser.h"
#include "scrape/ingest.h"
#include "scrape/robots.h"
#include "scrape/run.h"
#include "scrape/scrape_metrics.h"
#include "scrape/source_settings.h"
#include "scrape/sources_file.h"

#define INGEST_POLL_MS 500
#define LAG_EVERY_MS   5000

struct sched_source {
	struct scrape_scheduler *s;
	int64_t id;
	unsigned gen; /* the current generation; tasks of older ones return at once */
	struct task *task;
	bool running, asked; /* asked: run_now, so a block or a disabled state does not stop it */
	bool gone;
	struct scrape_progress prog;
};

/* What a task is given: its source and the generation it was made for. */
struct gen_arg {
	struct sched_source *src;
	unsigned gen;
};

struct scrape_scheduler {
	struct store *store;
	struct bus *bus;
	struct blob *blob;
	struct tasks *tasks;
	pthread_mutex_t mu;
	struct sched_source **srcs;
	size_t n, cap;
	struct gen_arg **args; /* every task's argument, freed at stop */
	size_t n_args, cap_args;
	atomic_bool stopping;
	struct robots_cache *robots;
	struct fetch_config fetch;
	struct browser_pool *browser; /* shared by every run that renders */
	int render_timeout_ms;
	char *user_agent;
};

static void on_progress(const struct scrape_progress *p, void *ctx)
{
	struct sched_source *src = ctx;
	pthread_mutex_lock(&src->s->mu);
	src->prog = *p;
	pthread_mutex_unlock(&src->s->mu);
}

static int run_source(struct scrape_scheduler *s, struct sched_source *src)
{
	struct arena a;
	arena_init(&a, 0);
	struct scrape_source row;
	int rc = store_source_get(s->store, src->id, &a, &row);
	pthread_mutex_lock(&s->mu);
	bool asked = src->asked;
	src->asked = false;
	pthread_mutex_unlock(&s->mu);
	if (rc == STORE_NOTFOUND) {
		src->gone = true;
		arena_free(&a);
		return -ENOENT;
	}
	int64_t now = (int64_t)time(NULL);
	if (rc || (!asked && (!row.enabled || row.blocked_until > now))) {
		if (rc == 0 && row.blocked_until > now)
			log_event(LOG_INFO, "scrape.skipped", "%s is blocked for %lld s more: scheduled run skipped",
				  row.name, (long long)(row.blocked_until - now));
		arena_free(&a);
		return rc ? -EIO : 0;
	}
	struct source_settings st;
	char err[300];
	if (source_settings_parse(&a, row.config, &st, err, sizeof(err))) {
		log_event(LOG_ERROR, "scrape.config", "%s: %s", row.name, err);
		arena_free(&a);
		return -EINVAL;
	}
	struct scrape_job job = {
		.src = { .name = row.name,
			 .kind = row.kind,
			 .target = row.target,
			 .company = st.company,
			 .options_json = st.options_json,
			 .base_url = st.base_url,
			 .max_pages = st.max_pages },
		.source_id = row.id,
		.delay_ms = st.delay < 0    ? 0
			    : st.delay == 0 ? FETCH_NO_DELAY
					    : (int)(st.delay * 1000),
		.per_host = st.concurrency > 0 ? (unsigned)st.concurrency : 0,
		.proxy = st.proxy,
		.render = st.render,
		.browser = s->browser,
		.render_timeout_ms = s->render_timeout_ms,
		.fetch = &s->fetch,
		.store = s->store,
		.bus = s->bus,
		.blob = s->blob,
		.progress = on_progress,
		.progress_ctx = src,
	};
	struct scrape_report rep;
	rc = scrape_run(&job, &rep);
	if (rc)
		log_event(LOG_WARN, "scrape.not_run", "%s: %s", row.name, rep.message);
	arena_free(&a);
	return rc;
}

static int source_task(struct task_run *run)
{
	struct gen_arg *ga = run->arg;
	struct sched_source *src = ga->src;
	struct scrape_scheduler *s = src->s;
	pthread_mutex_lock(&s->mu);
	bool stale = ga->gen != src->gen || src->gone || src->running;
	if (!stale) {
		src->running = true;
		src->prog = (struct scrape_progress){ .source_id = src->id, .running = true };
	}
	pthread_mutex_unlock(&s->mu);
	if (stale)
		return 0;
	int rc = task_cancelled(run) ? -ECANCELED : run_source(s, src);
	pthread_mutex_lock(&s->mu);
	src->running = false;
	src->prog.running = false;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static struct sched_source *find(struct scrape_scheduler *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->srcs[i]->id == id)
			return s->srcs[i];
	return NULL;
}

/* (Re)reads a source's schedule and gives it a task of a new generation.
 * Called with mu held. */
static int load_source(struct scrape_scheduler *s, int64_t id)
{
	struct arena a;
	arena_init(&a, 0);
	struct scrape_source row;
	int rc = store_source_get(s->store, id, &a, &row);
	struct sched_source *src = find(s, id);
	if (rc == STORE_NOTFOUND) {
		if (src)
			src->gone = true;
		arena_free(&a);
		return -ENOENT;
	}
	if (rc) {
		arena_free(&a);
		return -EIO;
	}
	struct schedule when;
	char err[200];
	bool timed = row.enabled && row.schedule && *row.schedule;
	if (timed && schedule_parse(row.schedule, &when, err, sizeof(err))) {
		log_event(LOG_ERROR, "scrape.schedule", "%s: %s: runs only when asked", row.name, err);
		timed = false;
	}
	/* Writers refuse schedules past a feed's limit; a row written before
	 * that rule, or by hand, is held to it here. */
	if (timed && source_settings_clamp_schedule(row.kind, row.schedule, &when))
		log_event(LOG_WARN, "scrape.schedule", "%s: \"%s\" is more often than %s allows: runs every %lld s",
			  row.name, row.schedule, row.kind, (long long)(when.interval_ms / 1000));
	if (!src) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			struct sched_source **t = realloc(s->srcs, cap * sizeof(*t));
			if (!t)
				goto oom;
			s->srcs = t;
			s->cap = cap;
		}
		if (!(src = calloc(1, sizeof(*src))))
			goto oom;
		src->s = s;
		src->id = id;
		s->srcs[s->n++] = src;
	}
	if (s->n_args == s->cap_args) {
		size_t cap = s->cap_args ? s->cap_args * 2 : 16;
		struct gen_arg **t = realloc(s->args, cap * sizeof(*t));
		if (!t)
			goto oom;
		s->args = t;
		s->cap_args = cap;
	}
	struct gen_arg *ga = calloc(1, sizeof(*ga));
	if (!ga)
		goto oom;
	s->args[s->n_args++] = ga;
	src->gone = false;
	src->gen++;
	*ga = (struct gen_arg){ .src = src, .gen = src->gen };
	char name[TASK_NAME_MAX + 1];
	snprintf(name, sizeof(name), "scrape:%lld:%u", (long long)id, src->gen);
	rc = tasks_add(s->tasks, name, timed ? &when : NULL, source_task, ga, &src->task);
	arena_free(&a);
	return rc;
oom:
	arena_free(&a);
	return -ENOMEM;
}

static int ingest_task(struct task_run *run)
{
	struct scrape_scheduler *s = run->arg;
	struct ingest *g = NULL;
	int64_t last_lag = 0;
	while (!task_cancelled(run)) {
		if (!g) {
			char err[256];
			int rc = ingest_open(s->store, s->bus, &g, err, sizeof(err));
			if (rc) {
				g = NULL;
				log_event(LOG_INFO, "ingest.wait", "%s; trying again in 5 s", err);
				task_sleep(run, 5000);
				continue;
			}
		}
		size_t n;
		struct ingest_stats st = { 0 };
		int rc = ingest_step(g, INGEST_POLL_MS, &n, &st);
		if (rc == -ECANCELED)
			break;
		if (rc)
			task_sleep(run, 1000);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t t = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (t - last_lag >= LAG_EVERY_MS) {
			int64_t pending;
			double oldest;
			ingest_lag(s->bus, &pending, &oldest);
			last_lag = t;
		}
	}
	ingest_close(g);
	return 0;
}

int scrape_scheduler_start(const struct scrape_scheduler_options *o, struct scrape_scheduler **out, char *err,
			   size_t errlen)
{
	struct scrape_scheduler *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->store = o->store;
	s->bus = o->bus;
	s->blob = o->blob;
	pthread_mutex_init(&s->mu, NULL);
	scrape_metrics_register();
	struct arena a;
	arena_init(&a, 0);
	struct source_specs specs = { 0 };
	int rc = 0;
	if (o->sources_file && (rc = sources_file_load(&a, o->sources_file, &specs, err, errlen)))
		goto fail;
	struct source_sync_report sr;
	int64_t now = (int64_t)time(NULL);
	if ((rc = source_settings_sync(s->store, &specs, now, &sr, err, errlen)))
		goto fail;
	if (sr.added + sr.updated + sr.disabled)
		log_event(LOG_INFO, "sources.sync", "%s: %ld added, %ld updated, %ld disabled", o->sources_file,
			  sr.added, sr.updated, sr.disabled);
	/* File what an earlier process queued, so its runs finish properly, then
	 * call the runs nobody is driving any more crashed. */
	struct ingest *g;
	char why[256];
	if (ingest_open(s->store, s->bus, &g, why, sizeof(why)) == 0) {
		ingest_drain(g, NULL);
		ingest_close(g);
	}
	int64_t crashed = 0;
	store_runs_mark_crashed(s->store, now - 60, &crashed);
	/* And those whose process on this host is gone, however fresh their
	 * last heartbeat (killed a moment ago). */
	struct arena ra;
	arena_init(&ra, 0);
	struct scrape_run *recent = NULL;
	size_t n_recent = 0;
	if (store_run_list(s->store, 0, 200, &ra, &recent, &n_recent) == 0)
		for (size_t i = 0; i < n_recent; i++)
			if (strcmp(recent[i].status, "running") == 0 && scrape_run_owner_gone(&recent[i]) &&
			    store_run_crash(s->store, recent[i].id,
					    arena_printf(&ra, "its process (pid %lld on %s) is gone",
							 (long long)recent[i].owner_pid, recent[i].owner_host)) == 0)
				crashed++;
	arena_free(&ra);
	if (crashed)
		log_event(LOG_WARN, "scrape.crashed", "%lld runs of an earlier process were marked crashed",
			  (long long)crashed);
	s->user_agent = o->user_agent ? strdup(o->user_agent) : NULL;
	s->robots = scrape_robots_cache_new(s->user_agent);
	fetch_config_defaults(&s->fetch);
	s->fetch.user_agent = s->user_agent;
	s->fetch.robots_allowed = s->robots ? scrape_robots_hook : NULL;
	s->fetch.robots_ctx = s->robots;
	s->fetch.cancel_flag = &s->stopping;
	struct browser_options bo = { .chromium = o->chromium, .max_concurrent = o->render_browsers };
	s->render_timeout_ms = o->render_timeout_ms;
	if ((rc = browser_pool_new(&bo, &s->browser))) {
		snprintf(err, errlen, "cannot make the browser pool: %s", strerror(-rc));
		goto fail;
	}
	if ((rc = tasks_start(o->workers < 2 ? 2 : o->workers, &s->tasks))) {
		snprintf(err, errlen, "cannot start the task runner: %s", strerror(-rc));
		goto fail;
	}
	struct task *it;
	if ((rc = tasks_add(s->tasks, "ingest", NULL, ingest_task, s, &it)) || (rc = tasks_run_now(s->tasks, it))) {
		snprintf(err, errlen, "cannot start ingest: %s", strerror(-rc));
		goto fail;
	}
	struct scrape_source *all = NULL;
	size_t n = 0;
	if (store_source_list(s->store, &a, &all, &n)) {
		snprintf(err, errlen, "cannot read the sources from the database");
		rc = -EIO;
		goto fail;
	}
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = load_source(s, all[i].id);
	pthread_mutex_unlock(&s->mu);
	if (rc) {
		snprintf(err, errlen, "cannot schedule the sources: %s", strerror(-rc));
		goto fail;
	}
	arena_free(&a);
	*out = s;
	return 0;
fail:
	arena_free(&a);
	scrape_scheduler_stop(s);
	return rc < 0 ? rc : -EINVAL;
}

void scrape_scheduler_stop(struct scrape_scheduler *s)
{
	if (!s)
		return;
	atomic_store(&s->stopping, true);
	if (s->bus)
		bus_shutdown(s->bus);
	if (s->tasks && tasks_stop(s->tasks, 30000) == -ETIMEDOUT) {
		/* A task still runs and holds s: leak it rather than free under it. */
		log_event(LOG_ERROR, "scheduler.stop", "a background task did not stop in 30 s");
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		free(s->srcs[i]);
	for (size_t i = 0; i < s->n_args; i++)
		free(s->args[i]);
	free(s->srcs);
	free(s->args);
	if (s->robots)
		robots_cache_free(s->robots);
	browser_pool_free(s->browser);
	free(s->user_agent);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int scrape_scheduler_run_now(struct scrape_scheduler *s, int64_t source_id, int64_t *run_id)
{
	*run_id = 0;
	if (atomic_load(&s->stopping))
		return -ESHUTDOWN;
	pthread_mutex_lock(&s->mu);
	struct sched_source *src = find(s, source_id);
	int rc = 0;
	if (!src || src->gone)
		rc = load_source(s, source_id);
	if (rc == 0)
		src = find(s, source_id);
	if (rc == 0 && (!src || src->gone))
		rc = -ENOENT;
	if (rc == 0 && src->running)
		rc = -EBUSY;
	if (rc == 0) {
		src->asked = true;
		rc = tasks_run_now(s->tasks, src->task);
		if (rc == -ECANCELED)
			rc = -ESHUTDOWN;
	}
	pthread_mutex_unlock(&s->mu);
	return rc == -EIO ? -EIO : rc;
}

void scrape_scheduler_reload(struct scrape_scheduler *s, int64_t source_id)
{
	if (atomic_load(&s->stopping))
		return;
	pthread_mutex_lock(&s->mu);
	int rc = load_source(s, source_id);
	pthread_mutex_unlock(&s->mu);
	if (rc && rc != -ENOENT)
		log_event(LOG_WARN, "scheduler.reload", "source %lld: %s", (long long)source_id, strerror(-rc));
}

int scrape_scheduler_progress(struct scrape_scheduler *s, int64_t run_id, struct scrape_progress *out)
{
	int rc = -ENOENT;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n && rc; i++)
		if (s->srcs[i]->running && s->srcs[i]->prog.run_id == run_id && run_id > 0) {
			*out = s->srcs[i]->prog;
			rc = 0;
		}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void scrape_scheduler_ingest_lag(struct scrape_scheduler *s, int64_t *pending, double *oldest_s)
{
	if (ingest_lag(s->bus, pending, oldest_s)) {
		*pending = 0;
		*oldest_s = 0;
	}
}

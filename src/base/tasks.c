#include "base/tasks.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Workers look at the clock at least this often, so a changed wall clock
 * (cron times are wall-clock times) is noticed soon. */
#define MAX_WAIT_MS 1000

struct task {
	struct task *next;
	char name[TASK_NAME_MAX + 1];
	bool scheduled;
	struct schedule when;
	task_fn *fn;
	void *arg;
	/* under the runner's lock: */
	bool running, queued;
	int64_t next_ms, last_start_ms, last_end_ms;
	int last_rc;
	uint64_t runs, skipped;
};

struct tasks {
	pthread_mutex_t mu;
	pthread_cond_t wake;   /* a task is due or asked for, a run ended, or stopping */
	pthread_cond_t exited; /* a worker left */
	struct task *list;
	pthread_t *threads;
	int n_threads;
	int alive;     /* workers not yet exited */
	bool stopping; /* no new runs */
	bool orphaned; /* tasks_stop gave up waiting: the last worker frees */
	atomic_bool cancel;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec at_ms(int64_t ms)
{
	return (struct timespec){ .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000 };
}

static void destroy(struct tasks *r)
{
	while (r->list) {
		struct task *t = r->list;
		r->list = t->next;
		free(t);
	}
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->exited);
	pthread_mutex_destroy(&r->mu);
	free(r->threads);
	free(r);
}

/* The task a free worker should run now: one asked for first, then the
 * most overdue. Otherwise NULL, and *wake_at says when to look again. */
static struct task *choose(struct tasks *r, int64_t now, int64_t *wake_at)
{
	struct task *due = NULL;
	*wake_at = now + MAX_WAIT_MS;
	for (struct task *t = r->list; t; t = t->next) {
		if (t->running)
			continue;
		if (t->queued)
			return t;
		if (!t->scheduled || t->next_ms < 0) /* < 0: a schedule that never fires again */
			continue;
		if (t->next_ms <= now) {
			if (!due || t->next_ms < due->next_ms)
				due = t;
		} else if (t->next_ms < *wake_at) {
			*wake_at = t->next_ms;
		}
	}
	return due;
}

static void run_one(struct tasks *r, struct task *t, int64_t now)
{
	t->queued = false;
	if (t->scheduled && t->next_ms <= now)
		t->next_ms = schedule_next(&t->when, now);
	t->running = true;
	t->runs++;
	t->last_start_ms = now;
	pthread_mutex_unlock(&r->mu);

	struct task_run run = { .arg = t->arg, .task = t, .runner = r };
	int rc = t->fn(&run);

	pthread_mutex_lock(&r->mu);
	int64_t end = now_ms();
	t->running = false;
	t->last_end_ms = end;
	t->last_rc = rc;
	if (t->scheduled && t->next_ms >= 0 && t->next_ms <= end) {
		/* Its time came while it ran: skip it rather than run back to back. */
		t->skipped++;
		t->next_ms = schedule_next(&t->when, end);
	}
	pthread_cond_broadcast(&r->wake);
}

static void *worker(void *arg)
{
	struct tasks *r = arg;
	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		int64_t now = now_ms(), wake_at;
		struct task *t = choose(r, now, &wake_at);
		if (t) {
			run_one(r, t, now);
			continue;
		}
		struct timespec until = at_ms(wake_at);
		pthread_cond_timedwait(&r->wake, &r->mu, &until);
	}
	r->alive--;
	pthread_cond_broadcast(&r->exited);
	bool last_out = r->orphaned && r->alive == 0;
	pthread_mutex_unlock(&r->mu);
	if (last_out)
		destroy(r);
	return NULL;
}

int tasks_start(int workers, struct tasks **out)
{
	*out = NULL;
	if (workers < 1 || workers > 64)
		return -EINVAL;
	struct tasks *r = calloc(1, sizeof(*r));
	if (!r || !(r->threads = calloc((size_t)workers, sizeof(pthread_t)))) {
		free(r);
		return -ENOMEM;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->wake, NULL);
	pthread_cond_init(&r->exited, NULL);
	pthread_mutex_lock(&r->mu);
	for (; r->n_threads < workers; r->n_threads++) {
		if (pthread_create(&r->threads[r->n_threads], NULL, worker, r) != 0)
			break;
		r->alive++;
	}
	pthread_mutex_unlock(&r->mu);
	if (r->n_threads < workers) {
		tasks_stop(r, -1);
		return -EAGAIN;
	}
	*out = r;
	return 0;
}

static bool name_ok(const char *name)
{
	size_t n = name ? strnlen(name, TASK_NAME_MAX + 1) : 0;
	if (n == 0 || n > TASK_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}

int tasks_add(struct tasks *r, const char *name, const struct schedule *when, task_fn *fn, void *arg, struct task **out)
{
	if (out)
		*out = NULL;
	if (!name_ok(name) || !fn || (when && when->kind == SCHEDULE_INTERVAL && when->interval_ms <= 0))
		return -EINVAL;
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	memcpy(t->name, name, strlen(name) + 1);
	t->fn = fn;
	t->arg = arg;
	if (when) {
		t->scheduled = true;
		t->when = *when;
	}
	pthread_mutex_lock(&r->mu);
	int rc = r->stopping ? -ECANCELED : 0;
	for (struct task *o = r->list; o && !rc; o = o->next)
		if (strcmp(o->name, name) == 0)
			rc = -EEXIST;
	if (!rc) {
		if (when)
			t->next_ms = schedule_next(when, now_ms());
		t->next = r->list;
		r->list = t;
		pthread_cond_broadcast(&r->wake);
	}
	pthread_mutex_unlock(&r->mu);
	if (rc)
		free(t);
	else if (out)
		*out = t;
	return rc;
}

int tasks_run_now(struct tasks *r, struct task *t)
{
	pthread_mutex_lock(&r->mu);
	int rc = r->stopping ? -ECANCELED : 0;
	if (!rc) {
		t->queued = true;
		pthread_cond_broadcast(&r->wake);
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

struct task *tasks_find(struct tasks *r, const char *name)
{
	pthread_mutex_lock(&r->mu);
	struct task *t = r->list;
	while (t && strcmp(t->name, name) != 0)
		t = t->next;
	pthread_mutex_unlock(&r->mu);
	return t;
}

void tasks_status(struct tasks *r, const struct task *t, struct task_status *out)
{
	pthread_mutex_lock(&r->mu);
	memcpy(out->name, t->name, sizeof(out->name));
	out->running = t->running;
	out->queued = t->queued;
	out->next_ms = t->scheduled && t->next_ms > 0 ? t->next_ms : 0;
	out->last_start_ms = t->last_start_ms;
	out->last_end_ms = t->last_end_ms;
	out->last_rc = t->last_rc;
	out->runs = t->runs;
	out->skipped = t->skipped;
	pthread_mutex_unlock(&r->mu);
}

bool task_cancelled(const struct task_run *run)
{
	return atomic_load_explicit(&run->runner->cancel, memory_order_relaxed);
}

bool task_sleep(const struct task_run *run, int ms)
{
	struct tasks *r = run->runner;
	int64_t until = now_ms() + (ms > 0 ? ms : 0);
	pthread_mutex_lock(&r->mu);
	for (int64_t now; !r->stopping && (now = now_ms()) < until;) {
		struct timespec ts = at_ms(until - now > MAX_WAIT_MS ? now + MAX_WAIT_MS : until);
		pthread_cond_timedwait(&r->wake, &r->mu, &ts);
	}
	pthread_mutex_unlock(&r->mu);
	return task_cancelled(run);
}

int tasks_stop(struct tasks *r, int deadline_ms)
{
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	atomic_store(&r->cancel, true);
	pthread_cond_broadcast(&r->wake);
	int64_t deadline = deadline_ms < 0 ? INT64_MAX : now_ms() + deadline_ms;
	while (r->alive > 0) {
		int64_t now = now_ms();
		if (now >= deadline)
			break;
		struct timespec ts = at_ms(deadline - now > MAX_WAIT_MS ? now + MAX_WAIT_MS : deadline);
		pthread_cond_timedwait(&r->exited, &r->mu, &ts);
	}
	if (r->alive > 0) {
		/* Leave the stragglers to finish; the last one out frees everything. */
		for (int i = 0; i < r->n_threads; i++)
			pthread_detach(r->threads[i]);
		r->orphaned = true;
		pthread_mutex_unlock(&r->mu);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&r->mu);
	for (int i = 0; i < r->n_threads; i++)
		pthread_join(r->threads[i], NULL);
	destroy(r);
	return 0;
}

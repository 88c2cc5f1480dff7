/* tasks — the background work of `jobtrack serve` (scheduled scrapes,
 * ingest, alerts, reminders): a few worker threads that run tasks on a
 * schedule (base/schedule.h) or when asked, and stop cleanly with the server.
 *
 * Rules:
 * - A task never runs twice at once. A scheduled time that comes while the
 *   task is still running is skipped (counted in task_status.skipped; the
 *   next time is reckoned from when the run ended); a run asked for with
 *   tasks_run_now while it runs is queued, once: any number of such asks
 *   make one more run, right after the current one.
 * - Missed times are not made up: after a pause (a long run, a suspended
 *   laptop) a task runs once, then keeps its schedule.
 * - Nothing here blocks the caller: adding a task or asking for a run only
 *   takes a lock for a moment. Task functions run on the workers and may
 *   take as long as they like, but should look at task_cancelled (or wait
 *   with task_sleep) so that a stop is quick.
 * - Times are UTC; an interval counts from the start of the previous run.
 */
#ifndef JT_BASE_TASKS_H
#define JT_BASE_TASKS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/schedule.h"

#define TASK_NAME_MAX 63

struct tasks;
struct task;

/* What a running task sees. */
struct task_run {
	void *arg; /* as given to tasks_add */
	const struct task *task;
	struct tasks *runner;
};

/* A task's work; its return value (0 or a negative errno) is kept as last_rc. */
typedef int task_fn(struct task_run *run);

/* Starts workers threads (1–64). 0 and *out, or a negative errno. */
int tasks_start(int workers, struct tasks **out);

/* Adds a task called name, run on schedule `when` (copied; NULL: only when
 * asked with tasks_run_now), first at its next time from now. *out (may be
 * NULL) is a handle valid until tasks_stop. -ECANCELED after tasks_stop
 * began; -EINVAL for a bad name or schedule. */
int tasks_add(struct tasks *r, const char *name, const struct schedule *when, task_fn *fn, void *arg,
	      struct task **out);
/* Runs the task as soon as a worker is free (see the rules above). */
int tasks_run_now(struct tasks *r, struct task *t);
/* The task called name, or NULL. */
struct task *tasks_find(struct tasks *r, const char *name);

struct task_status {
	char name[TASK_NAME_MAX + 1];
	bool running;
	bool queued;           /* a run asked for with tasks_run_now is waiting */
	int64_t next_ms;       /* next scheduled start, Unix ms; 0 when only on demand */
	int64_t last_start_ms; /* 0 before the first run */
	int64_t last_end_ms;
	int last_rc;
	uint64_t runs, skipped;
};
void tasks_status(struct tasks *r, const struct task *t, struct task_status *out);

/* Inside a task: true once tasks_stop has begun. */
bool task_cancelled(const struct task_run *run);
/* Inside a task: waits ms milliseconds, or less when tasks_stop begins;
 * returns task_cancelled. */
bool task_sleep(const struct task_run *run, int ms);

/* Stops: no new runs start, running tasks see task_cancelled, and waits up
 * to deadline_ms for them to return. 0 when every worker has stopped and
 * everything is freed. -ETIMEDOUT when some task is still running: the
 * workers finish on their own and the last one frees the runner. Either
 * way r and its task handles must not be used again. */
int tasks_stop(struct tasks *r, int deadline_ms);

#endif

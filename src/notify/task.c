#include "notify/task.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/tasks.h"
#include "notify/mail.h"

struct reminder_task {
	struct tasks *runner;
	struct reminder_options opts;
	struct metric *deliveries; /* by outcome, as outcome_names */
	atomic_ullong *ghosted;
};

static const char *const outcome_names[] = { "sent", "retry", "given_up" };

static void outcome_label(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "outcome=\"%s\"", outcome_names[series]);
}

static bool nap(void *ctx, int ms)
{
	return task_sleep(ctx, ms);
}

static int run(struct task_run *r)
{
	struct reminder_task *t = r->arg;
	struct reminder_options o = t->opts;
	o.sleep = nap;
	o.sleep_ctx = r;
	struct reminder_counts counts = { 0 };
	int rc = reminders_run(&o, (int64_t)time(NULL), &counts);
	if (t->deliveries) {
		metrics_add(t->deliveries, 0, (unsigned long long)counts.sent);
		metrics_add(t->deliveries, 1, (unsigned long long)counts.retrying);
		metrics_add(t->deliveries, 2, (unsigned long long)counts.failed);
	}
	if (t->ghosted)
		atomic_fetch_add_explicit(t->ghosted, (unsigned long long)counts.ghosted, memory_order_relaxed);
	if (counts.ghosted || counts.sent || counts.retrying || counts.failed)
		log_event(LOG_INFO, "reminders.run", "ghosted %lld, sent %lld, to retry %lld, given up %lld",
			  (long long)counts.ghosted, (long long)counts.sent, (long long)counts.retrying,
			  (long long)counts.failed);
	return rc ? -EIO : 0;
}

int reminder_task_start(const struct reminder_options *o, int64_t interval_ms, struct reminder_task **out)
{
	struct reminder_task *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->opts = *o;
	t->deliveries = metrics_counter_family("jobtrack_reminder_deliveries_total",
					       "Reminder delivery attempts (e-mail and webhook), by outcome.", 3,
					       outcome_label, NULL);
	t->ghosted = metrics_counter("jobtrack_applications_auto_ghosted_total",
				     "Applications moved to ghosted by the reminder task.");
	int rc = tasks_start(1, &t->runner);
	if (rc == 0) {
		struct schedule every = schedule_every_ms(interval_ms);
		rc = tasks_add(t->runner, "reminders", &every, run, t, NULL);
		if (rc)
			tasks_stop(t->runner, 5000);
	}
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int reminder_mail_smtp(void *ctx, const char *to, const char *subject, const char *text, char *err, size_t errlen)
{
	struct mail_message msg = { .to = to, .subject = subject, .text = text };
	return mail_send(ctx, &msg, err, errlen) ? -1 : 0;
}

void reminder_task_stop(struct reminder_task *t)
{
	if (!t)
		return;
	/* A run past the deadline finishes on its own; t must outlive it. */
	if (tasks_stop(t->runner, 30000) == 0)
		free(t);
}

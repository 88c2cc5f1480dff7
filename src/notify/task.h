/* task — runs the reminders (notify/reminders.h) in `jobtrack serve` on a
 * background thread (base/tasks.h), every interval, never two runs at once,
 * stopping promptly with the server. */
#ifndef JT_NOTIFY_TASK_H
#define JT_NOTIFY_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "notify/reminders.h"

struct reminder_task;

/* Starts the task: the first run comes interval_ms after the start. o is
 * copied (its store must outlive the task; sleep is the task's own). 0 and
 * *out, or a negative errno. */
int reminder_task_start(const struct reminder_options *o, int64_t interval_ms, struct reminder_task **out);
/* A reminder_mail_fn sending through the SMTP server of ctx, a struct
 * mail_config (notify/mail.h) that outlives the task. */
int reminder_mail_smtp(void *ctx, const char *to, const char *subject, const char *text, char *err, size_t errlen);
/* Stops it, waiting for a run in progress to finish (NULL: nothing). */
void reminder_task_stop(struct reminder_task *t);

#endif

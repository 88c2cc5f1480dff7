/* reminders — the reminder task's work, once per run for every user:
 * applications past the user's ghosting period move to "ghosted" (a
 * status change titled "Automatic" on the timeline), and each follow-up
 * due today or earlier (notify/follow_ups.h) goes out by webhook and e-mail
 * as the user configured.
 *
 * Only follow-ups due in the last REMINDER_SEND_WINDOW_DAYS days are sent:
 * older ones (an instance that just got e-mail, a user who just set a
 * webhook, years of imported applications) are shown on the dashboard but
 * do not arrive as a burst of stale messages.
 *
 * Each reminder goes out once per channel: its record (store.h,
 * store_reminder_send_*) is made before the first try and marked sent
 * after it. A failed try is recorded with its error (the user sees it on
 * the dashboard and in GET /api/v1/reminders) and tried again at a later
 * run, after retry_base_s, then twice as long each time, until
 * max_attempts have failed: then it stays "failed". Each attempt first
 * claims the record (store_reminder_send_claim), so processes sharing a
 * store do not both send it; one that dies between delivering and
 * recording leaves it to be sent again after the claim's lease (at least
 * once, not exactly once). */
#ifndef JT_NOTIFY_REMINDERS_H
#define JT_NOTIFY_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define REMINDER_SEND_WINDOW_DAYS 14

/* Sends one reminder by e-mail: 0, or -1 with a sentence in err. */
typedef int reminder_mail_fn(void *ctx, const char *to, const char *subject, const char *text, char *err,
			     size_t errlen);

struct reminder_options {
	struct store *store;
	bool allow_private;      /* webhooks may reach private and loopback addresses */
	long webhook_timeout_ms; /* per try */
	int webhook_tries;       /* tries within one run (>= 1) */
	int64_t retry_base_s;    /* the first retry at a later run comes this long after a failure */
	int max_attempts;        /* failed attempts before a reminder is given up */
	reminder_mail_fn *mail;  /* NULL: e-mail is not configured, only webhooks go out */
	void *mail_ctx;
	const char *public_url;           /* where users open jobtrack, for the link in e-mails ("" or NULL: none) */
	bool (*sleep)(void *ctx, int ms); /* between webhook tries; true: stop (NULL: a plain sleep) */
	void *sleep_ctx;
};

struct reminder_counts {
	int64_t ghosted;  /* applications moved to "ghosted" */
	int64_t sent;     /* reminders delivered on a channel */
	int64_t retrying; /* failed tries to be retried */
	int64_t failed;   /* reminders given up */
};

/* One user's run at now. 0 or a negative enum store_err (what was done
 * before the error stays done). */
int reminders_run_user(const struct reminder_options *o, const struct user *u, int64_t now,
		       struct reminder_counts *counts);
/* Every user's run; a user whose run fails is logged and skipped. 0, or
 * the store error that kept the users from being listed. */
int reminders_run(const struct reminder_options *o, int64_t now, struct reminder_counts *counts);

#endif

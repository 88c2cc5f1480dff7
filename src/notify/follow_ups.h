/* follow_ups — when an application's follow-up reminder is due, and when
 * automation moves it to "ghosted": the rules, and the user's list of due
 * follow-ups that the dashboard, the reminder task and calendar feeds share.
 *
 * The follow-up date of an application is
 * - its follow_up_on date (set by hand, or by a follow-up timeline entry),
 *   unless it is accepted, rejected or withdrawn;
 * - otherwise, while it is "applied" (no response yet) and the user did not
 *   turn its default reminder off, applied_on + follow_up_days (the user's
 *   setting; 0 turns default reminders off).
 * An application "applied" with no change for ghost_days (counted from
 * applied_on, or from its last status change after it was entered when
 * that is later — so a person moving it back starts a new period) moves to
 * "ghosted". Dates are
 * UTC calendar days. */
#ifndef JT_NOTIFY_FOLLOW_UPS_H
#define JT_NOTIFY_FOLLOW_UPS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/timefmt.h"
#include "store/store.h"
#include "tracker/service.h"

/* The follow-up date of r under follow_up_days, or NULL: r->follow_up_on or
 * day (filled). */
const char *follow_up_due_on(const struct follow_up_row *r, int follow_up_days, char day[TIMEFMT_DATE_LEN]);
/* 1 when r is to move to "ghosted" at now under ghost_days (> 0). */
int follow_up_should_ghost(const struct follow_up_row *r, int ghost_days, int64_t now);

struct follow_up_due {
	int64_t app_id;
	const char *company, *position, *status;
	const char *due_on; /* "YYYY-MM-DD" */
	int is_default;     /* 1: from applied_on + follow_up_days, 0: a date set on the application */
	int overdue;        /* due before today */
};

/* The user's follow-ups due on or before until ("YYYY-MM-DD"; NULL: every
 * one with a date), soonest first (then by application id), under the
 * user's settings. Strings live in a. 0 or a negative enum store_err.
 * For calendar feeds and the dashboard alike. */
int follow_ups_due(struct store *s, int64_t user_id, const char *until, int64_t now, struct arena *a,
		   struct follow_up_due **out, size_t *n);

/* A follow-up with how its reminder went on each channel (NULL: not tried). */
struct follow_up_report {
	struct follow_up_due due;
	const struct reminder_send *webhook, *email;
};
/* follow_ups_due with the reminders' records, for the dashboard and API. */
int follow_ups_report(struct store *s, int64_t user_id, const char *until, int64_t now, struct arena *a,
		      struct follow_up_report **out, size_t *n);

/* Sets application app_id's follow-up date to due_on ("YYYY-MM-DD"), or
 * with due_on NULL clears it and turns its default reminder off — both in
 * one of the user's transactions. Setting a date turns the default back on
 * for later. *out (may be NULL) gets the application. TRACKER_INVALID (errs
 * says why) for a bad date; NOTFOUND; a store error. */
int follow_up_set(const struct tracker_call *c, int64_t app_id, const char *due_on, struct application *out,
		  struct field_errors *errs);

#endif

#include "notify/reminders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json_out.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "notify/follow_ups.h"
#include "notify/webhook.h"
#include "tracker/service.h"

#define RETRY_MAX_S   (6 * 3600)
#define CLAIM_LEASE_S 900 /* an attempt is given this long before another process may try it */

/* Moves the user's applications past the ghosting period. */
static int auto_ghost(const struct reminder_options *o, const struct tracker_call *c, int ghost_days,
		      struct reminder_counts *counts)
{
	struct follow_up_row *rows;
	size_t n;
	int rc = store_follow_up_rows(o->store, c->user_id, c->arena, &rows, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!follow_up_should_ghost(&rows[i], ghost_days, c->now))
			continue;
		char body[160];
		snprintf(body, sizeof(body),
			 "No response in %d days: moved by your reminder settings. Move it back to undo; it is not "
			 "moved again until another %d days pass.",
			 ghost_days, ghost_days);
		int moved = 0;
		rc = tracker_app_set_status_if(c, rows[i].app_id, "applied", rows[i].status_changed_at, "ghosted",
					       "Automatic", body, &moved);
		if (rc == STORE_NOTFOUND)
			rc = 0; /* deleted meanwhile */
		if (moved) {
			counts->ghosted++;
			log_event(LOG_INFO, "reminders.ghosted", "user %lld application %lld moved to ghosted",
				  (long long)c->user_id, (long long)rows[i].app_id);
		}
	}
	return rc;
}

/* The event's JSON into b (see notify/webhook.h for the envelope). */
static void webhook_body(struct buf *b, const struct follow_up_due *d, int64_t now, const char *delivery)
{
	char iso[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)now, iso);
	buf_puts(b, "{\"event\":\"follow_up.due\",\"delivery\":");
	json_out_string(b, delivery);
	JSON_OUT_KEY(b, "due_on");
	json_out_string(b, d->due_on);
	JSON_OUT_KEY(b, "overdue");
	json_out_bool(b, d->overdue);
	JSON_OUT_KEY(b, "sent_at");
	json_out_string(b, iso);
	buf_puts(b, ",\"application\":{\"id\":");
	json_out_int(b, d->app_id);
	JSON_OUT_KEY(b, "company");
	json_out_string(b, d->company ? d->company : "");
	JSON_OUT_KEY(b, "position");
	json_out_string(b, d->position ? d->position : "");
	JSON_OUT_KEY(b, "status");
	json_out_string(b, d->status ? d->status : "");
	buf_puts(b, "}}");
}

/* One try of one reminder on one channel: 0 delivered, -1 with err. */
static int deliver(const struct reminder_options *o, const struct user *u, const struct notify_settings *set,
		   const struct follow_up_due *d, const struct reminder_send *rec, int64_t now, char *err,
		   size_t errlen)
{
	if (strcmp(rec->channel, "webhook") == 0) {
		char delivery[32];
		snprintf(delivery, sizeof(delivery), "reminder-%lld", (long long)rec->id);
		struct buf body;
		buf_init(&body, 64 * 1024);
		webhook_body(&body, d, now, delivery);
		if (buf_failed(&body)) {
			buf_free(&body);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		struct webhook_request r = { .url = set->webhook_url,
					     .secret = set->webhook_secret,
					     .event = "follow_up.due",
					     .delivery = delivery,
					     .body = body.data,
					     .len = body.len,
					     .timestamp = now,
					     .allow_private = o->allow_private,
					     .timeout_ms = o->webhook_timeout_ms,
					     .tries = o->webhook_tries,
					     .backoff_ms = 500,
					     .sleep = o->sleep,
					     .sleep_ctx = o->sleep_ctx };
		int rc = webhook_deliver(&r, NULL, err, errlen);
		buf_free(&body);
		return rc;
	}
	char subject[300], text[1600], link[600] = "";
	const char *position = d->position ? d->position : "your application";
	const char *company = d->company ? d->company : "";
	snprintf(subject, sizeof(subject), "Follow up: %s at %s", position, company);
	if (o->public_url && *o->public_url)
		snprintf(link, sizeof(link), "Open it: %s/applications/%lld\n\n", o->public_url, (long long)d->app_id);
	snprintf(text, sizeof(text),
		 "Your follow-up on %s at %s is %s %s.\n\n"
		 "A short, friendly note to the recruiter or hiring manager keeps your application in mind.\n\n"
		 "%sChange when reminders come, or turn them off, in jobtrack's settings.\n",
		 position, company, d->overdue ? "overdue since" : "due on", d->due_on, link);
	return o->mail(o->mail_ctx, u->email, subject, text, err, errlen);
}

/* Sends d on channel unless it went out already or waits for a retry. */
static int send_channel(const struct reminder_options *o, const struct tracker_call *c, const struct user *u,
			const struct notify_settings *set, const struct follow_up_due *d, const char *channel,
			struct reminder_counts *counts)
{
	struct reminder_send rec;
	int rc = store_reminder_send_open(o->store, u->id, d->app_id, d->due_on, channel, c->now, c->arena, &rec);
	if (rc == STORE_NOTFOUND)
		return 0; /* deleted meanwhile */
	if (rc || strcmp(rec.state, "pending") != 0 || rec.next_at > c->now)
		return rc;
	/* Another process running reminders on the same store skips it now. */
	rc = store_reminder_send_claim(o->store, u->id, rec.id, c->now, c->now + CLAIM_LEASE_S);
	if (rc)
		return rc == STORE_STALE || rc == STORE_NOTFOUND ? 0 : rc;
	char err[STORE_NOTIFY_ERROR_MAX] = "";
	if (deliver(o, u, set, d, &rec, c->now, err, sizeof(err)) == 0) {
		rc = store_reminder_send_record(o->store, u->id, rec.id, "sent", NULL, 0, c->now);
		if (rc == 0)
			counts->sent++;
		return rc == STORE_STALE ? 0 : rc;
	}
	int attempts = rec.attempts + 1;
	int give_up = attempts >= o->max_attempts;
	int64_t wait = o->retry_base_s;
	for (int i = 1; i < attempts && wait < RETRY_MAX_S; i++)
		wait *= 2;
	if (wait > RETRY_MAX_S)
		wait = RETRY_MAX_S;
	log_event(LOG_WARN, "reminders.failed", "user %lld %s reminder %lld (attempt %d): %s", (long long)u->id,
		  channel, (long long)rec.id, attempts, err);
	rc = store_reminder_send_record(o->store, u->id, rec.id, give_up ? "failed" : "pending", err,
					give_up ? 0 : c->now + wait, c->now);
	if (rc == 0)
		*(give_up ? &counts->failed : &counts->retrying) += 1;
	return rc == STORE_STALE ? 0 : rc;
}

int reminders_run_user(const struct reminder_options *o, const struct user *u, int64_t now,
		       struct reminder_counts *counts)
{
	struct arena arena;
	arena_init(&arena, 64u << 20);
	struct tracker_call c = { .store = o->store, .user_id = u->id, .now = now, .arena = &arena };
	struct notify_settings set = { 0 };
	int rc = store_notify_settings_get(o->store, u->id, &arena, &set);
	if (rc == 0 && set.ghost_days > 0)
		rc = auto_ghost(o, &c, set.ghost_days, counts);
	int webhook = set.webhook_url && *set.webhook_url && set.webhook_secret && *set.webhook_secret;
	int email = set.email && o->mail && u->email[0];
	if (rc == 0 && (webhook || email)) {
		char today[TIMEFMT_DATE_LEN], oldest[TIMEFMT_DATE_LEN];
		timefmt_date((time_t)now, today);
		timefmt_date((time_t)(now - REMINDER_SEND_WINDOW_DAYS * 86400), oldest);
		struct follow_up_due *due;
		size_t n;
		rc = follow_ups_due(o->store, u->id, today, now, &arena, &due, &n);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (strcmp(due[i].due_on, oldest) < 0)
				continue; /* long past: shown, not sent */
			if (webhook)
				rc = send_channel(o, &c, u, &set, &due[i], "webhook", counts);
			if (rc == 0 && email)
				rc = send_channel(o, &c, u, &set, &due[i], "email", counts);
		}
	}
	arena_free(&arena);
	return rc;
}

struct user_ids {
	struct user *items;
	size_t n, cap;
	int failed;
};

static void collect(const struct user *u, void *ctx)
{
	struct user_ids *ids = ctx;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 64;
		struct user *more = realloc(ids->items, cap * sizeof(*more));
		if (!more) {
			ids->failed = 1;
			return;
		}
		ids->items = more;
		ids->cap = cap;
	}
	ids->items[ids->n++] = *u;
}

int reminders_run(const struct reminder_options *o, int64_t now, struct reminder_counts *counts)
{
	struct user_ids ids = { 0 };
	int rc = store_user_each(o->store, collect, &ids);
	if (rc == 0 && ids.failed)
		rc = STORE_ERROR;
	for (size_t i = 0; rc == 0 && i < ids.n; i++) {
		int urc = reminders_run_user(o, &ids.items[i], now, counts);
		if (urc)
			log_event(LOG_WARN, "reminders.user", "user %lld: reminders stopped with store error %d",
				  (long long)ids.items[i].id, urc);
	}
	free(ids.items);
	return rc;
}

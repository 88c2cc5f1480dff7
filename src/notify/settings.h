/* settings — a user's reminder settings from a form or the API: validated,
 * with a webhook secret made for a new webhook URL. */
#ifndef JT_NOTIFY_SETTINGS_H
#define JT_NOTIFY_SETTINGS_H

#include <jansson.h>

#include "base/arena.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/field_errors.h"

#define NOTIFY_DAYS_MAX 365

/* Applies the values get() returns (NULL: the field stays as it is in *s):
 *   follow_up_days, ghost_days  whole numbers 0–365 (0 turns it off)
 *   email                       "1"/"true"/"on" or "0"/"false"/"off"
 *   webhook_url                 an http(s) URL, or "" for no webhook
 *   webhook_secret              16–128 printable ASCII characters
 *   rotate_secret               "1": a new random secret
 * A webhook URL set without a secret (none given, none kept) gets a random
 * one; removing the URL removes the secret. Strings live in a. Errors go
 * to errs, keyed by field; *s is only partly updated then. */
void notify_settings_apply(struct notify_settings *s, app_value_fn get, void *ctx, struct arena *a,
			   struct field_errors *errs);

/* The same from a JSON object (PUT /api/v1/reminders/settings): the days
 * as integers, email and rotate_secret as booleans, webhook_url and
 * webhook_secret as strings or null (null: none). updated_at is accepted
 * and ignored (a GET can be sent back); any other member, or a member of
 * another type, is an error. */
void notify_settings_apply_json(struct notify_settings *s, const json_t *obj, struct arena *a,
				struct field_errors *errs);

#endif

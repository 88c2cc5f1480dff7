/* event — validating timeline entries that users add (notes, interviews,
 * follow-ups). Status changes and "created" are recorded by the store. */
#ifndef JT_TRACKER_EVENT_H
#define JT_TRACKER_EVENT_H

#include <jansson.h>
#include <time.h>

#include "store/store.h"
#include "tracker/application.h"

extern const char *const event_user_kinds[]; /* "note", "interview", "follow_up", NULL */
const char *event_kind_label(const char *kind);
/* 1 for the kinds people add (and may edit or remove); status changes and
 * "created" are the application's history. */
int event_kind_editable(const char *kind);

/* Fills ev (app_id is the caller's) from a string source; `at` defaults to now. */
void event_from_strings(struct app_event *ev, app_value_fn get, void *ctx, time_t now, struct arena *a,
			struct field_errors *errs);
void event_from_json(struct app_event *ev, const json_t *obj, time_t now, struct arena *a, struct field_errors *errs);
/* A partial update: members present in obj replace ev's; the rest stay. */
void event_patch_json(struct app_event *ev, const json_t *obj, time_t now, struct arena *a, struct field_errors *errs);

#endif

/* event — validating timeline entries that users add (notes, interviews,
 * follow-ups). Status changes and "created" are recorded by the tracker's
 * service (tracker/service.h). */
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
/* Edits the stored entry ev with get()'s values. partial: what get() does not
 * have keeps its stored value (a PATCH); else it is cleared, as a whole form
 * is read. */
void event_edit(struct app_event *ev, app_value_fn get, void *ctx, int partial, time_t now, struct arena *a,
		struct field_errors *errs);
/* Records an error for each member of obj that is not an entry's field or
 * not a string (or null). */
void event_check_json(const json_t *obj, struct arena *a, struct field_errors *errs);

#endif

/* contact — validating the people linked to applications. */
#ifndef JT_TRACKER_CONTACT_H
#define JT_TRACKER_CONTACT_H

#include <jansson.h>

#include "store/store.h"
#include "tracker/application.h"

/* Applies each field get() has (a partial update when ct already holds values). */
void contact_from_strings(struct contact *ct, app_value_fn get, void *ctx, struct arena *a, struct field_errors *errs);
/* Like contact_from_strings over a JSON object; unknown members and non-strings are errors. */
void contact_from_json(struct contact *ct, const json_t *obj, struct arena *a, struct field_errors *errs);

/* Records an error for each member of obj that is not a contact's field or
 * not a string (or null). */
void contact_check_json(const json_t *obj, struct arena *a, struct field_errors *errs);

#endif

/* input — shared checks for text that users type: used by events and
 * contacts (applications have their own richer field table). */
#ifndef JT_TRACKER_INPUT_H
#define JT_TRACKER_INPUT_H

#include <jansson.h>

#include "base/arena.h"
#include "tracker/field_errors.h"

/* Checks that obj has only `allowed` members (NULL-terminated) and that each
 * is a string or null; records an error per offender. */
void input_json_strings(const json_t *obj, const char *const *allowed, struct arena *a, struct field_errors *errs);
/* app_value_fn over a JSON object: the string, "" for null, NULL if absent. */
const char *input_json_get(void *obj, const char *name);
/* Trims raw, checks UTF-8 and length (in characters); a single-line value
 * gets its line breaks and tabs as spaces and may hold no other control
 * character. Stores the copy in *out and returns 0, or records an error and
 * returns -1. */
int input_text(const char *raw, const char *field, size_t max_chars, int multiline, struct arena *a,
	       struct field_errors *errs, char **out);

#endif

/* application — turning untrusted input (JSON, form posts, CSV rows) into a
 * valid struct application, with an error per offending field.
 *
 * The same field table drives all three inputs, so a rule holds everywhere
 * once it holds in one place. Strings are copied into the caller's arena. */
#ifndef JT_TRACKER_APPLICATION_H
#define JT_TRACKER_APPLICATION_H

#include <jansson.h>
#include <time.h>

#include "base/arena.h"
#include "store/store.h"
#include "tracker/field_errors.h"

#define APP_TAGS_MAX    20
#define APP_TAG_LEN_MAX 40

/* A fresh application: status "saved", saved_on today, every text empty. */
void app_init(struct application *app, time_t now);

/* Looks a field up by name in some key/value source (form, CSV row). */
typedef const char *(*app_value_fn)(void *ctx, const char *name);

/* Applies each known field that get() returns non-NULL for. An empty value
 * clears an optional field. Unknown names are simply not asked for. Returns
 * the fields that were there (enum app_field_bit), so that a partial update
 * can write those and no others. */
unsigned app_apply_strings(struct application *app, app_value_fn get, void *ctx, struct arena *a,
			   struct field_errors *errs);
/* Applies a JSON object: unknown members, wrong types and bad values are
 * errors. null clears an optional field. The read-only members a GET sends
 * (id, version, created_at, …) are ignored. Returns the fields present, as
 * app_apply_strings does. */
unsigned app_apply_json(struct application *app, const json_t *obj, struct arena *a, struct field_errors *errs);
/* Whole-record rules: required fields, salary_min ≤ salary_max, and that a
 * status past "saved" (other than "withdrawn", which can happen before
 * applying) has an applied_on date — filled in from today when missing
 * rather than refused. */
void app_validate(struct application *app, time_t now, struct arena *a, struct field_errors *errs);

/* The fields among mask whose values differ between x and y (absent text
 * and "" are the same). */
unsigned app_fields_differ(const struct application *x, const struct application *y, unsigned mask);
/* Copies the fields named in mask from src to dst; strings are shared, not
 * duplicated (they live in whichever arena src's came from). */
void app_copy_fields(struct application *dst, const struct application *src, unsigned mask);
/* "Status" for APP_F_STATUS: the field's name for people. */
const char *app_field_label(unsigned bit);
/* One field's value as a person reads it ("Interviewing", "120000", "a, b"),
 * arena-owned; NULL for long text, which is not worth quoting. */
char *app_field_display(const struct application *app, unsigned bit, struct arena *a);

/* Names of all settable fields, NULL-terminated, in CSV/export order. */
extern const char *const app_field_names[];

/* Tags joined with ", " (for forms and CSV); arena-owned. */
char *app_tags_joined(const struct application *app, struct arena *a);

#endif

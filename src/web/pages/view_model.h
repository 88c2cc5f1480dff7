/* view_model — turning tracker records into the template data that
 * templates/README.md describes. Every function returns a new reference. */
#ifndef JT_WEB_PAGES_VIEW_MODEL_H
#define JT_WEB_PAGES_VIEW_MODEL_H

#include <jansson.h>

#include "base/buf.h"
#include <time.h>

#include "store/store.h"
#include "tracker/field_errors.h"
#include "web/http.h"

/* [{value,label,selected}] over all statuses. */
json_t *vm_status_options(const char *selected);
/* {field: message} (only present when errs has any; else NULL). */
json_t *vm_errors(const struct field_errors *errs);
/* The app_form partial's `form` object. */
json_t *vm_form(const struct application *app, const struct field_errors *errs, const char *action,
		const char *submit_label, struct arena *a);
/* The edit form's `base`: the version and every field's value as the form
 * shows it, sent back as hidden inputs (version, base_company, …) so a save
 * can tell what the person changed from what changed meanwhile. */
json_t *vm_form_base(const struct application *app, struct arena *a);
/* A rejected form must show what the person typed, not the stored value:
 * puts get(field) into form for every field errs names. */
void vm_form_typed(json_t *form, const struct field_errors *errs, const char *(*get)(void *ctx, const char *name),
		   void *ctx);
/* {name: typed value} for each of fields (NULL-terminated) that get() has non-empty. */
json_t *vm_typed(const char *const *fields, const char *(*get)(void *ctx, const char *name), void *ctx);
/* "120,000–150,000 USD / year", or "" when no salary is known. */
void vm_salary(const struct application *app, char *out, size_t outlen);
/* A card / row: id, company, position, location, salary, status, status_label,
 * priority, tags, applied_on, changed_rel, changed_iso, follow_up, follow_up_due. */
json_t *vm_app_summary(const struct application *app, time_t now, int tz_offset_min);
/* "1 application", "3 matching applications": a count in words. */
void vm_set_count(json_t *obj, const char *key, int64_t n, const char *adjective);
/* Appends s percent-encoded for a query string value (unreserved bytes kept). */
void vm_put_query_value(struct buf *b, const char *s);
/* "Chrome on Linux" from a User-Agent header ("Unknown browser" when empty). */
void vm_device(const char *user_agent, char *out, size_t outlen);
/* Puts key → s into obj unless s is NULL or empty (empty strings are truthy in Mustache). */
void vm_set_str(json_t *obj, const char *key, const char *s);
/* A GET form's current values from the query string: key → value for each
 * of keys, and "sel_KEY_VALUE": true for <option selected>. */
json_t *vm_query_form(struct request *req, const char *const *keys, size_t n);

#endif

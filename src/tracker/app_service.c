/* Applications: create, patch, a form's save, board moves, delete. */
#include "tracker/service.h"

#include <assert.h>
#include <string.h>

#include "tracker/service_private.h"

int tracker_app_create(const struct tracker_call *c, struct application *app, struct field_errors *errs)
{
	assert(c && app && errs);
	app_validate(app, service_local_now(c), c->arena, errs);
	if (errs->n)
		return TRACKER_INVALID;
	/* The row, its tags and its "created" entry: one store call (on
	 * PostgreSQL one statement). */
	return store_app_create(c->store, c->user_id, app, c->now);
}

/* The patch itself, inside the caller's transaction: current is the stored
 * row, values/fields what changes. */
static int patch_locked(const struct tracker_call *c, const struct application *current,
			const struct application *values, unsigned fields, struct application *out,
			struct field_errors *errs, unsigned *written, const char *change_title, const char *change_body)
{
	struct application merged = *current;
	app_copy_fields(&merged, values, fields);
	int had_saved_on = merged.saved_on != NULL, had_applied_on = merged.applied_on != NULL;
	app_validate(&merged, service_local_now(c), c->arena, errs);
	if (errs->n)
		return TRACKER_INVALID;
	/* Dates the rules filled in are written too. */
	if (!had_saved_on && merged.saved_on)
		fields |= APP_F_SAVED_ON;
	if (!had_applied_on && merged.applied_on)
		fields |= APP_F_APPLIED_ON;
	fields = app_fields_differ(current, &merged, fields);
	*written = fields;
	*out = merged;
	if (!fields)
		return 0;
	if (fields & APP_F_STATUS) {
		struct app_event change = { .app_id = current->id,
					    .kind = "status_change",
					    .at = c->now,
					    .from_status = current->status,
					    .to_status = merged.status,
					    .title = (char *)change_title,
					    .body = (char *)change_body };
		int rc = store_event_insert(c->store, c->user_id, &change, c->now);
		if (rc)
			return rc;
		merged.status_changed_at = c->now;
	}
	int rc = store_app_update(c->store, c->user_id, &merged, fields, c->now);
	if (rc == 0)
		*out = merged;
	return rc;
}

/* Reads application id inside the transaction and checks its version. */
static int read_current(const struct tracker_call *c, int64_t id, int64_t expected_version, struct application *current)
{
	int rc = store_app_get(c->store, c->user_id, id, c->arena, current);
	if (rc == 0 && expected_version && current->version != expected_version)
		rc = TRACKER_STALE;
	return rc;
}

/* tracker_app_patch, also telling which fields it wrote. */
static int patch_app(const struct tracker_call *c, int64_t id, const struct application *values, unsigned fields,
		     int64_t expected_version, struct application *out, struct field_errors *errs, unsigned *written)
{
	assert(c && values && out && errs && written);
	assert((fields & ~(unsigned)APP_F_ALL) == 0);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct application current;
	rc = read_current(c, id, expected_version, &current);
	if (rc == TRACKER_STALE)
		*out = current;
	if (rc == 0)
		rc = patch_locked(c, &current, values, fields, out, errs, written, NULL, NULL);
	return store_tx_end(c->store, rc);
}

int tracker_app_patch(const struct tracker_call *c, int64_t id, const struct application *values, unsigned fields,
		      int64_t expected_version, struct application *out, struct field_errors *errs)
{
	unsigned written;
	return patch_app(c, id, values, fields, expected_version, out, errs, &written);
}

int tracker_app_save_form(const struct tracker_call *c, int64_t id, const struct application *typed,
			  const struct application *base, unsigned form_fields, int64_t base_version,
			  struct application *out, unsigned *changed, struct field_errors *errs)
{
	assert(c && typed && out && changed && errs);
	*changed = 0;
	if (!base || !base_version)
		return tracker_app_patch(c, id, typed, form_fields, 0, out, errs);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct application current;
	rc = read_current(c, id, 0, &current);
	if (rc == 0 && current.version != base_version) {
		/* A newer version whose form fields are as the form showed them
		 * (its timeline changed, say) takes the edits without a question. */
		*changed = app_fields_differ(base, &current, form_fields);
		if (*changed) {
			*out = current;
			rc = TRACKER_STALE;
		}
	}
	unsigned written;
	if (rc == 0)
		rc = patch_locked(c, &current, typed, app_fields_differ(base, typed, form_fields), out, errs, &written,
				  NULL, NULL);
	return store_tx_end(c->store, rc);
}

int tracker_app_set_status(const struct tracker_call *c, int64_t id, const char *status, int64_t expected_version,
			   struct application *out, int *moved)
{
	struct application values = { .status = (char *)status };
	struct field_errors errs = { .n = 0 };
	unsigned written = 0;
	assert(status && moved);
	int rc = patch_app(c, id, &values, APP_F_STATUS, expected_version, out, &errs, &written);
	*moved = rc == 0 && (written & APP_F_STATUS);
	return rc;
}

int tracker_app_set_status_if(const struct tracker_call *c, int64_t id, const char *from_status, int64_t changed_at,
			      const char *status, const char *title, const char *body, int *moved)
{
	assert(from_status && status && moved);
	*moved = 0;
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct application current, out;
	rc = read_current(c, id, 0, &current);
	if (rc == 0 && strcmp(current.status, from_status) == 0 && current.status_changed_at == changed_at) {
		struct application values = { .status = (char *)status };
		struct field_errors errs = { .n = 0 };
		unsigned written = 0;
		rc = patch_locked(c, &current, &values, APP_F_STATUS, &out, &errs, &written, title, body);
		*moved = rc == 0 && (written & APP_F_STATUS);
	}
	return store_tx_end(c->store, rc);
}

int tracker_app_delete(const struct tracker_call *c, int64_t id, int64_t expected_version)
{
	assert(c);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct application current;
	rc = read_current(c, id, expected_version, &current);
	if (rc == 0)
		rc = store_app_delete(c->store, c->user_id, id);
	return store_tx_end(c->store, rc);
}

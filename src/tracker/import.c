/* CSV import: parse against the user's applications, then store every row
 * that passed in one transaction. */
#include "tracker/service.h"

#include <assert.h>
#include <stdio.h>

#include "tracker/service_private.h"

/* csv_base_fn over the caller's own applications. */
static int own_app(void *ctx, int64_t id, struct arena *a, struct application *out)
{
	const struct tracker_call *c = ctx;
	int rc = store_app_get(c->store, c->user_id, id, a, out);
	return rc == 0 ? 0 : rc == STORE_NOTFOUND ? 1 : -1;
}

/* Stores the parsed rows; the caller holds the transaction. errs gets the
 * reason a row was refused after all. */
static int store_rows(const struct tracker_call *c, struct csv_import *r, struct field_errors *errs)
{
	for (size_t i = 0; i < r->n_apps; i++) {
		struct application *app = &r->apps[i];
		int rc;
		if (app->id > 0) {
			/* Only the file's columns: the rest of the row stays as stored now,
			 * not as it was when the file was parsed. */
			struct application stored;
			rc = tracker_app_patch(c, app->id, app, r->fields[i], 0, &stored, errs);
			if (rc == 0)
				*app = stored;
		} else {
			rc = tracker_app_create(c, app, errs);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int tracker_import(const struct tracker_call *c, const char *data, size_t len, struct csv_import *result, char *err,
		   size_t errlen)
{
	assert(c && data && result && err);
	if (csv_parse_apps_with(data, len, service_local_now(c), c->arena, own_app, (void *)c, result, err, errlen))
		return TRACKER_UNUSABLE;
	return tracker_import_rows(c, result, err, errlen);
}

int tracker_import_rows(const struct tracker_call *c, struct csv_import *result, char *err, size_t errlen)
{
	assert(c && result && err);
	if (!result->n_apps)
		return 0;
	/* Which rows are new, so a rolled-back import leaves no ids behind. */
	unsigned char *fresh = arena_alloc(c->arena, result->n_apps);
	if (!fresh)
		return STORE_ERROR;
	for (size_t i = 0; i < result->n_apps; i++)
		fresh[i] = result->apps[i].id <= 0;
	struct field_errors errs = { .n = 0 };
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc == 0)
		rc = store_tx_end(c->store, store_rows(c, result, &errs));
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < result->n_apps; i++)
		if (fresh[i])
			result->apps[i].id = 0;
	if (rc == TRACKER_INVALID && errs.n)
		/* The application a row updates changed since the file was read. */
		snprintf(err, errlen, "A row no longer fits the application it updates (%s: %s) Nothing was imported.",
			 errs.items[0].field, errs.items[0].message);
	else
		snprintf(err, errlen, "The database could not store the rows; nothing was imported. Try again.");
	return rc;
}

/* service — every change to a user's tracker data, with its rules, in one
 * place that the API, the pages and the CSV import share.
 *
 * The store keeps rows; the rules live here, written once for every backend:
 * - creating an application records its "created" timeline entry;
 * - a status change records one status_change entry (from the status read
 *   inside the transaction) and moves status_changed_at;
 * - a status past "saved" (other than "withdrawn") gets applied_on = today
 *   when it has none; salary_min ≤ salary_max; company and position stay;
 * - follow-up entries move the application's follow-up date (follow_up.h);
 * - status changes and "created" are history: never edited nor removed;
 * - a new contact and its link to an application are one change;
 * - a CSV import is all or nothing.
 *
 * Each operation is one transaction begun with the user's id, so it is
 * serialised with every other write to that user's data: what it reads stays
 * true until it commits. Edits write only the fields named (plus those a
 * rule fills in), never the rest of a row read earlier, so two edits of
 * different fields never undo each other.
 *
 * Row versions: each edit or delete takes an expected version (the ETag an
 * API client sent, the version a form was rendered with); 0 means "don't
 * check". When the row's version differs, nothing changes and the result is
 * TRACKER_STALE.
 *
 * Results: 0, a negative enum store_err, or a negative enum tracker_err.
 * Strings in results live in the call's arena. errs may arrive holding the
 * parser's errors (app_apply_*): the service adds the whole-record rules'
 * own, and any error at all means TRACKER_INVALID with nothing written. */
#ifndef JT_TRACKER_SERVICE_H
#define JT_TRACKER_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/csv.h"
#include "tracker/field_errors.h"

/* The service's own results, below the store's (enum store_err). */
enum tracker_err {
	TRACKER_INVALID = -20, /* the input breaks a rule: errs says which field */
	TRACKER_STALE = -21,   /* the row's version is not the one expected: nothing changed */
	TRACKER_HISTORY = -22, /* a status change or "created" entry: not editable, not removable */
	TRACKER_UNUSABLE = -23 /* an import file that cannot be read at all: err says why */
};

/* Who is asking, and when. */
struct tracker_call {
	struct store *store;
	int64_t user_id;
	int64_t now;
	int tz_offset_min;   /* the person's UTC offset: their calendar's "today" (0 = UTC) */
	struct arena *arena; /* strings of results, and scratch */
};

/* ---- applications (app_service.c) ------------------------------------------ */

/* Validates app (as app_init + app_apply_* left it) and stores it with its
 * "created" entry; fills in id, version and times. */
int tracker_app_create(const struct tracker_call *c, struct application *app, struct field_errors *errs);
/* Writes the fields of values named in `fields` (enum app_field_bit) onto
 * application id, after validating the stored row with them merged in.
 * Fields whose value does not change are not written; when none changes,
 * nothing is (the version stays). *out gets the row as stored (on
 * TRACKER_STALE, the current row). */
int tracker_app_patch(const struct tracker_call *c, int64_t id, const struct application *values, unsigned fields,
		      int64_t expected_version, struct application *out, struct field_errors *errs);
/* A whole edit form's save. base holds the values the form was rendered
 * with at version base_version, typed what the person sent; form_fields
 * names the fields the form has. Writes only the fields the person changed.
 * When the row changed meanwhile (another version), the save goes ahead
 * only if none of the form's fields changed; otherwise TRACKER_STALE, with
 * *changed naming the fields that did and *out the current row. base NULL or
 * base_version 0: every field the form has is written, unchecked. */
int tracker_app_save_form(const struct tracker_call *c, int64_t id, const struct application *typed,
			  const struct application *base, unsigned form_fields, int64_t base_version,
			  struct application *out, unsigned *changed, struct field_errors *errs);
/* Moves the application to status (a board move); nothing else changes
 * (but applied_on, when the move calls for it). *moved is 1 when the status
 * was another one. */
int tracker_app_set_status(const struct tracker_call *c, int64_t id, const char *status, int64_t expected_version,
			   struct application *out, int *moved);
/* A move made by automation (src/notify/): to status, only while the
 * application still has from_status since changed_at (its
 * status_changed_at) — a person's change meanwhile wins. The status_change
 * entry carries title and body (why it moved). *moved says whether it did. */
int tracker_app_set_status_if(const struct tracker_call *c, int64_t id, const char *from_status, int64_t changed_at,
			      const char *status, const char *title, const char *body, int *moved);
/* "Save to tracker" (save_posting.c): the user's application saved from
 * posting_id, made now (status saved, the posting's company, title,
 * location, link and salary; *created = 1) unless the user has one already
 * (*created = 0: that one). NOTFOUND: no such posting. */
int tracker_app_save_posting(const struct tracker_call *c, int64_t posting_id, struct application *out, int *created);
/* Deletes it with its timeline and contact links. */
int tracker_app_delete(const struct tracker_call *c, int64_t id, int64_t expected_version);

/* ---- timeline entries (event_service.c) ------------------------------------ */

/* Adds ev (validated by event_from_*) to application ev->app_id. A follow-up
 * may move the application's follow-up date; ev->tz_offset_min says on whose
 * calendar (event_from_* sets it from an offset in "at"). */
int tracker_event_add(const struct tracker_call *c, struct app_event *ev);
/* Edits entry event_id of app_id with get()'s values (event_edit: partial
 * keeps what get() lacks). TRACKER_HISTORY for a status change or "created".
 * *out gets the entry as stored (on TRACKER_STALE, the current one). */
int tracker_event_edit(const struct tracker_call *c, int64_t app_id, int64_t event_id, app_value_fn get, void *ctx,
		       int partial, int64_t expected_version, struct app_event *out, struct field_errors *errs);
int tracker_event_remove(const struct tracker_call *c, int64_t app_id, int64_t event_id, int64_t expected_version);

/* ---- contacts (contact_service.c) ------------------------------------------ */

/* Stores ct (validated by contact_from_*) and, when link_app_id > 0, links
 * it to that application in the same transaction (NOTFOUND: neither). */
int tracker_contact_add(const struct tracker_call *c, struct contact *ct, int64_t link_app_id);
/* Applies get()'s values to contact id (contact_from_strings: what get()
 * lacks stays). link_app_id > 0: only a contact linked to that application.
 * *out gets the contact as stored (on TRACKER_STALE, the current one). */
int tracker_contact_edit(const struct tracker_call *c, int64_t id, int64_t link_app_id, app_value_fn get, void *ctx,
			 int64_t expected_version, struct contact *out, struct field_errors *errs);
int tracker_contact_delete(const struct tracker_call *c, int64_t id, int64_t expected_version);
/* Links the user's contact to the user's application; *out (may be NULL)
 * gets the contact. */
int tracker_contact_link(const struct tracker_call *c, int64_t app_id, int64_t contact_id, struct contact *out);
int tracker_contact_unlink(const struct tracker_call *c, int64_t app_id, int64_t contact_id);

/* ---- CSV import (import.c) ------------------------------------------------- */

/* Parses a CSV file (csv_parse_apps_with over the user's applications) and
 * stores the rows that passed in one transaction: new rows are created, a
 * row with an id updates the columns the file has of that application. The
 * rejected rows are in result. TRACKER_UNUSABLE (err set) when the file
 * cannot be read; a store error (err set) when nothing could be stored. */
int tracker_import(const struct tracker_call *c, const char *data, size_t len, struct csv_import *result, char *err,
		   size_t errlen);
/* The storing half of tracker_import, for rows parsed already: all of them
 * or, on any failure (an application deleted since, a busy store), none;
 * the new rows' ids are 0 again then. */
int tracker_import_rows(const struct tracker_call *c, struct csv_import *result, char *err, size_t errlen);

#endif

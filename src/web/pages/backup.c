/* The JSON backup from the browser: the settings page links the download
 * (GET /backup.json, the API's handler) and posts a file here to import. */
#include <time.h>

#include "backup/backup.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

/* POST /settings/backup (multipart, field "file") */
void page_settings_backup_import(struct request *req)
{
	const struct kv *file = http_form_file(req, "file");
	if (!file || !file->value_len) {
		session_page_error(req, 400, "Choose a jobtrack backup file (.json) to import.");
		return;
	}
	struct backup_counts c;
	char err[512];
	int rc = backup_import(req->web->store, req->user.id, req->web->backup_files, file->value, file->value_len,
			       (int64_t)time(NULL), &c, err, sizeof(err));
	if (rc == BACKUP_INVALID) {
		session_page_error(req, 400, arena_printf(&req->arena, "Nothing was imported: %s", err));
		return;
	}
	if (rc) {
		session_store_error(req, rc == STORE_BUSY ? STORE_BUSY : STORE_ERROR,
				    "Nothing was imported: the backup could not be written; try again.");
		return;
	}
	json_t *ctx = json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "applications", (json_int_t)c.applications, "events",
	    (json_int_t)c.events, "contacts", (json_int_t)c.contacts, "resumes", (json_int_t)c.resumes,
	    "postings_linked", (json_int_t)c.postings_linked, "saved_searches", (json_int_t)c.saved_searches,
	    "saved_searches_skipped", (json_int_t)c.saved_searches_skipped, "hidden_postings",
	    (json_int_t)c.hidden_postings, "hidden_skipped", (json_int_t)c.hidden_skipped, "blocked_companies",
	    (json_int_t)c.blocked_companies, "reminder_mutes", (json_int_t)c.mutes, "reminders", c.reminders);
	const char *note = backup_secret_note(c.webhook_secret);
	/* What the account had already, left out (so restoring twice doubles nothing);
	 * said only when there was any */
	json_t *already =
	    json_pack("{s:I,s:I,s:I,s:I,s:I}", "applications", (json_int_t)c.applications_already, "contacts",
		      (json_int_t)c.contacts_already, "resumes", (json_int_t)c.resumes_already, "hidden_postings",
		      (json_int_t)c.hidden_already, "blocked_companies", (json_int_t)c.blocked_already);
	size_t n_already =
	    c.applications_already + c.contacts_already + c.resumes_already + c.hidden_already + c.blocked_already;
	if (ctx && already && n_already)
		json_object_set(ctx, "already", already);
	json_decref(already);
	if (ctx && note)
		json_object_set_new(ctx, "webhook_secret_note", json_string(note));
	view_render(req, 200, "backup_result", "Backup imported", ctx);
}

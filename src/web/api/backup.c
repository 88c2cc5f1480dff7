/* A user's whole data as a JSON backup (backup/backup.h) over the API:
 * download it, and import one (all or nothing). Resume files come along
 * when serve gave the server the resume vault (web.h). Responses are
 * buffered, so the API's backups are bounded by the response buffer
 * (64 MiB); `jobtrack backup` streams any size. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backup/backup.h"
#include "base/json_out.h"
#include "base/timefmt.h"
#include "web/handlers.h"
#include "web/web.h"

static int to_response(void *ctx, const char *data, size_t len)
{
	struct buf *out = ctx;
	return buf_append(out, data, len) ? -1 : 0;
}

/* GET /api/v1/backup → the document, as an attachment */
void api_backup_export(struct request *req)
{
	char err[256];
	time_t now = time(NULL);
	int rc = backup_export(req->web->store, req->user.id, req->user.email, req->web->backup_files, to_response,
			       &req->out, (int64_t)now, err, sizeof(err));
	if (rc) {
		if (rc == -EIO && buf_failed(&req->out))
			snprintf(err, sizeof(err), "The backup is too large to send: use `jobtrack backup export`.");
		buf_reset(&req->out);
		if (rc == STORE_BUSY || rc == STORE_ERROR)
			resp_store_error(req, rc);
		else
			resp_error(req, 500, "backup_failed", err, NULL);
		return;
	}
	char date[TIMEFMT_DATE_LEN];
	timefmt_date(now, date);
	char *cd = arena_printf(&req->arena, "attachment; filename=\"jobtrack-backup-%s.json\"", date);
	if (cd)
		resp_header(req, "Content-Disposition", cd);
	resp_header(req, "Cache-Control", "private, no-store");
	resp_json(req, 200);
}

/* POST /api/v1/backup/import (Content-Type: application/json, the document
 * as the body) → {"applications", "events", "contacts", "links", "resumes",
 * "postings_linked", "reminder_mutes", "saved_searches",
 * "saved_searches_skipped", "hidden_postings", "hidden_skipped",
 * "blocked_companies", "blocked_skipped", "applications_already",
 * "contacts_already", "resumes_already", "hidden_already",
 * "blocked_already", "reminders", "webhook_secret",
 * "webhook_secret_note"}; 400 bad_backup naming the first problem, nothing
 * imported. */
void api_backup_import(struct request *req)
{
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		resp_error(req, 415, "unsupported_media_type",
			   "Send the backup file as the body with Content-Type: application/json.", NULL);
		return;
	}
	struct backup_counts c;
	char err[512];
	int rc =
	    backup_import(req->web->store, req->user.id, req->web->backup_files, req->body.data ? req->body.data : "",
			  req->body.len, (int64_t)time(NULL), &c, err, sizeof(err));
	if (rc == BACKUP_INVALID) {
		resp_error(req, 400, "bad_backup", err, NULL);
		return;
	}
	if (rc == STORE_BUSY) {
		resp_store_error(req, rc);
		return;
	}
	if (rc) {
		resp_error(req, rc == -EINVAL || rc == -EFBIG ? 400 : 500,
			   rc == -EINVAL || rc == -EFBIG ? "bad_backup" : "internal", err, NULL);
		return;
	}
	buf_printf(&req->out,
		   "{\"applications\":%zu,\"events\":%zu,\"contacts\":%zu,\"links\":%zu,\"resumes\":%zu,"
		   "\"postings_linked\":%zu,\"reminder_mutes\":%zu,\"saved_searches\":%zu,"
		   "\"saved_searches_skipped\":%zu,\"hidden_postings\":%zu,\"hidden_skipped\":%zu,"
		   "\"blocked_companies\":%zu,\"blocked_skipped\":%zu,\"applications_already\":%zu,"
		   "\"contacts_already\":%zu,\"resumes_already\":%zu,\"hidden_already\":%zu,"
		   "\"blocked_already\":%zu,\"reminders\":%s,\"webhook_secret\":\"%s\"",
		   c.applications, c.events, c.contacts, c.links, c.resumes, c.postings_linked, c.mutes,
		   c.saved_searches, c.saved_searches_skipped, c.hidden_postings, c.hidden_skipped, c.blocked_companies,
		   c.blocked_skipped, c.applications_already, c.contacts_already, c.resumes_already, c.hidden_already,
		   c.blocked_already, c.reminders ? "true" : "false", backup_secret_name(c.webhook_secret));
	json_out_key(&req->out, "webhook_secret_note", 0);
	const char *note = backup_secret_note(c.webhook_secret);
	if (note)
		json_out_string(&req->out, note);
	else
		buf_puts(&req->out, "null");
	buf_putc(&req->out, '}');
	resp_json(req, 200);
}

/* The calendar feed: GET /api/v1/calendar.ics?token= (no session: calendar
 * apps fetch it by its secret URL) and its management, for the API and the
 * settings page. The token is kept only as its SHA-256 (store.h). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "base/json_out.h"
#include "base/timefmt.h"
#include "export/calendar.h"
#include "web/handlers.h"
#include "web/web.h"

#define FEED_PREFIX "jtc_"

int api_calendar_feed_issue(struct request *req, char path[CALENDAR_PATH_MAX])
{
	char secret[TOKEN_TEXT_MAX];
	token_new(FEED_PREFIX, secret);
	uint8_t hash[32];
	token_digest(secret, strlen(secret), hash);
	snprintf(path, CALENDAR_PATH_MAX, "/api/v1/calendar.ics?token=%s", secret);
	return store_calendar_feed_set(req->web->store, req->user.id, hash, (int64_t)time(NULL));
}

/* GET /api/v1/calendar.ics?token=jtc_… → text/calendar. An unknown, revoked
 * or malformed token is a 404 like any other, so a guess learns nothing. */
void api_calendar_feed(struct request *req)
{
	const char *tok = http_query(req, "token");
	size_t len = tok ? strlen(tok) : 0;
	struct user u;
	int rc = STORE_NOTFOUND;
	if (len > strlen(FEED_PREFIX) && len < TOKEN_TEXT_MAX && strncmp(tok, FEED_PREFIX, strlen(FEED_PREFIX)) == 0) {
		uint8_t hash[32];
		token_digest(tok, len, hash);
		rc = store_calendar_feed_user(req->web->store, hash, &u);
	}
	if (rc == STORE_NOTFOUND) {
		resp_error(req, 404, "not_found",
			   "There is no calendar feed at this address (it may have been revoked).", NULL);
		return;
	}
	if (rc == 0)
		rc = calendar_feed_write(req->web->store, u.id, (int64_t)time(NULL), &req->arena, &req->out);
	if (rc) {
		buf_reset(&req->out);
		resp_store_error(req, rc);
		return;
	}
	/* Calendar apps poll: an unchanged feed is a 304. The tag is the
	 * content's hash (the feed's window moves with the clock, so the data
	 * version alone would not do). */
	unsigned char h[16];
	char hex[2 * sizeof(h) + 1], etag[sizeof(hex) + 2];
	crypto_generichash(h, sizeof(h), (const unsigned char *)req->out.data, req->out.len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	resp_header(req, "ETag", etag);
	resp_header(req, "Cache-Control", "private, no-cache");
	const char *inm = http_header(req, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		resp_text(req, 304, NULL, "", 0);
		return;
	}
	resp_header(req, "Content-Disposition", "inline; filename=\"jobtrack.ics\"");
	req->status = 200;
	req->content_type = "text/calendar; charset=utf-8";
	req->responded = 1;
}

/* GET /api/v1/calendar-feed → {"active": bool, "created_at": ISO or null} */
void api_calendar_feed_get(struct request *req)
{
	int64_t at = 0;
	int rc = store_calendar_feed_get(req->web->store, req->user.id, &at);
	if (rc && rc != STORE_NOTFOUND) {
		resp_store_error(req, rc);
		return;
	}
	buf_printf(&req->out, "{\"active\":%s,\"created_at\":", rc ? "false" : "true");
	if (rc) {
		buf_puts(&req->out, "null");
	} else {
		char iso[TIMEFMT_ISO_LEN];
		timefmt_iso((time_t)at, iso);
		json_out_string(&req->out, iso);
	}
	buf_putc(&req->out, '}');
	resp_json(req, 200);
}

/* POST /api/v1/calendar-feed → 201 {"path": "/api/v1/calendar.ics?token=…",
 * "url": the same, absolute as this request reached the server}. Replaces
 * any earlier feed token, which stops working. */
void api_calendar_feed_create(struct request *req)
{
	char path[CALENDAR_PATH_MAX];
	int rc = api_calendar_feed_issue(req, path);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	const char *host = http_header(req, "Host");
	buf_puts(&req->out, "{\"path\":");
	json_out_string(&req->out, path);
	json_out_key(&req->out, "url", 0);
	const char *url = host && *host && !strpbrk(host, "/\\ \"<>")
			      ? arena_printf(&req->arena, "%s://%s%s", req->https ? "https" : "http", host, path)
			      : NULL;
	if (url)
		json_out_string(&req->out, url);
	else
		buf_puts(&req->out, "null");
	buf_putc(&req->out, '}');
	resp_header(req, "Cache-Control", "no-store");
	resp_json(req, 201);
}

/* DELETE /api/v1/calendar-feed → 204; 404 when there is none. */
void api_calendar_feed_delete(struct request *req)
{
	int rc = store_calendar_feed_delete(req->web->store, req->user.id);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	resp_text(req, 204, NULL, "", 0);
}

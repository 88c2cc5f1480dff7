/* store.c — opens a URL with the backend its scheme names and forwards every
 * call to that backend's operations (see store/backend.h). */
#include "store/store.h"

#include <assert.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/url_mask.h"
#include "store/backend.h"
#include "store/rows.h"

static const struct {
	const char *prefix;
	backend_open_fn open;
} backends[] = {
	{ "sqlite:", sqlite_store_open },
	{ "postgres://", postgres_store_open },
	{ "postgresql://", postgres_store_open },
};

static long lock_timeout_ms = STORE_LOCK_TIMEOUT_MS;
static long statement_timeout_ms = STORE_STATEMENT_TIMEOUT_MS;

void store_set_timeouts(long lock_ms, long statement_ms)
{
	lock_timeout_ms = lock_ms > 0 ? lock_ms : STORE_LOCK_TIMEOUT_MS;
	statement_timeout_ms = statement_ms >= 0 ? statement_ms : STORE_STATEMENT_TIMEOUT_MS;
}

long store_lock_timeout_ms(void)
{
	return lock_timeout_ms;
}

long store_statement_timeout_ms(void)
{
	return statement_timeout_ms;
}

void store_newer_schema_message(int version, int latest, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "the database's schema (version %d) is newer than this jobtrack knows (%d): upgrade jobtrack, or "
		 "point it at another database",
		 version, latest);
}

/* Brings a freshly opened store's schema up to date, with a message for a
 * person when it cannot be. */
static int migrate_on_open(struct store *s, char *err, size_t errlen)
{
	int version, latest, from, to;
	if (store_schema_version(s, &version, &latest)) {
		snprintf(err, errlen, "cannot read the database's schema version (the log says why)");
		return STORE_ERROR;
	}
	if (version > latest) {
		store_newer_schema_message(version, latest, err, errlen);
		return STORE_ERROR;
	}
	if (version == latest)
		return 0;
	int rc = store_migrate(s, &from, &to);
	if (rc) {
		snprintf(err, errlen,
			 "migrating the database from schema version %d to %d failed (the log says why); nothing was "
			 "changed",
			 version, latest);
		return rc;
	}
	log_event(LOG_INFO, "store.migrate", "schema migrated from version %d to %d", from, to);
	return 0;
}

static int open_url(const char *url, int migrate, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errlen,
			 "no database URL: use sqlite:PATH or postgres://user:password@host:port/database");
		return STORE_ERROR;
	}
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		size_t n = strlen(backends[i].prefix);
		if (strncmp(url, backends[i].prefix, n) != 0)
			continue;
		int rc = backends[i].open(url, out, err, errlen);
		if (rc == 0 && migrate && (rc = migrate_on_open(*out, err, errlen)) != 0) {
			store_close(*out);
			*out = NULL;
		}
		return rc;
	}
	char shown[256];
	url_mask(url, shown, sizeof(shown));
	snprintf(err, errlen,
		 "unsupported database URL \"%s\": use sqlite:PATH or postgres://user:password@host:port/database",
		 shown);
	return STORE_ERROR;
}

int store_open(const char *url, struct store **out, char *err, size_t errlen)
{
	return open_url(url, 1, out, err, errlen);
}

int store_open_nomigrate(const char *url, struct store **out, char *err, size_t errlen)
{
	return open_url(url, 0, out, err, errlen);
}

void store_close(struct store *s)
{
	if (s)
		s->core->close(s);
}

const char *store_backend_name(const struct store *s)
{
	return s->backend;
}

int store_migrate(struct store *s, int *from, int *to)
{
	return s->core->migrate(s, from, to);
}

int store_schema_version(struct store *s, int *version, int *latest)
{
	return s->core->schema_version(s, version, latest);
}

int store_ping(struct store *s)
{
	return s->core->ping(s);
}

int store_read_only(struct store *s)
{
	return s->core->read_only(s);
}

int store_tx_begin(struct store *s, int64_t user_id)
{
	return s->core->tx_begin(s, user_id);
}

int store_tx_begin_snapshot(struct store *s)
{
	return s->core->tx_begin_snapshot(s);
}

int store_tx_end(struct store *s, int rc)
{
	return s->core->tx_end(s, rc);
}

/* ---- resumes ---- */

int store_resume_insert(struct store *s, int64_t user_id, struct store_resume *r, int64_t now)
{
	return s->resumes->insert(s, user_id, r, now);
}

int store_resume_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_resume *out)
{
	return s->resumes->get(s, user_id, id, a, out);
}

int store_resume_default(struct store *s, int64_t user_id, struct arena *a, struct store_resume *out)
{
	return s->resumes->get_default(s, user_id, a, out);
}

int store_resume_list(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n)
{
	return s->resumes->list(s, user_id, a, out, n);
}

int store_resume_set_default(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	return s->resumes->set_default(s, user_id, id, now);
}

int store_resume_rename(struct store *s, int64_t user_id, int64_t id, const char *name, int64_t now)
{
	return s->resumes->rename(s, user_id, id, name, now);
}

int store_resume_delete(struct store *s, int64_t user_id, int64_t id)
{
	return s->resumes->delete (s, user_id, id);
}

/* ---- reminders and automation ---- */

int store_notify_settings_get(struct store *s, int64_t user_id, struct arena *a, struct notify_settings *out)
{
	return s->notify->settings_get(s, user_id, a, out);
}

int store_notify_settings_set(struct store *s, int64_t user_id, const struct notify_settings *in, int64_t now)
{
	return s->notify->settings_set(s, user_id, in, now);
}

int store_follow_up_rows(struct store *s, int64_t user_id, struct arena *a, struct follow_up_row **out, size_t *n)
{
	return s->notify->follow_up_rows(s, user_id, a, out, n);
}

int store_follow_up_mute(struct store *s, int64_t user_id, int64_t app_id, int muted)
{
	return s->notify->follow_up_mute(s, user_id, app_id, muted);
}

int store_follow_up_muted(struct store *s, int64_t user_id, struct arena *a, int64_t **app_ids, size_t *n)
{
	*n = 0;
	return s->notify->follow_up_muted(s, user_id, a, app_ids, n);
}

int store_reminder_send_open(struct store *s, int64_t user_id, int64_t app_id, const char *due_on, const char *channel,
			     int64_t now, struct arena *a, struct reminder_send *out)
{
	return s->notify->send_open(s, user_id, app_id, due_on, channel, now, a, out);
}

int store_reminder_send_claim(struct store *s, int64_t user_id, int64_t id, int64_t now, int64_t lease_until)
{
	return s->notify->send_claim(s, user_id, id, now, lease_until);
}

int store_reminder_send_record(struct store *s, int64_t user_id, int64_t id, const char *state, const char *error,
			       int64_t next_at, int64_t now)
{
	return s->notify->send_record(s, user_id, id, state, error, next_at, now);
}

int store_reminder_send_list(struct store *s, int64_t user_id, int64_t limit, struct arena *a,
			     struct reminder_send **out, size_t *n)
{
	return s->notify->send_list(s, user_id, limit, a, out, n);
}

int store_resume_set_file(struct store *s, int64_t user_id, int64_t id, const char *type, int64_t size,
			  const char *blob_key, int64_t now)
{
	return s->resumes->set_file(s, user_id, id, type, size, blob_key, now);
}

/* ---- resume scans ---- */

int store_scan_insert(struct store *s, int64_t user_id, struct store_scan *scan, int64_t now)
{
	return s->scans->insert(s, user_id, scan, now);
}

int store_scan_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_scan *out)
{
	return s->scans->get(s, user_id, id, a, out);
}

int store_scan_list(struct store *s, int64_t user_id, int64_t resume_id, int64_t posting_id, int64_t limit,
		    struct arena *a, struct store_scan **out, size_t *n)
{
	return s->scans->list(s, user_id, resume_id, posting_id, limit, a, out, n);
}

int store_scan_previous(struct store *s, int64_t user_id, int64_t resume_id, const char *job_key, int64_t before_id,
			struct arena *a, struct store_scan *out)
{
	return s->scans->previous(s, user_id, resume_id, job_key, before_id, a, out);
}

int store_scan_delete(struct store *s, int64_t user_id, int64_t id)
{
	return s->scans->delete (s, user_id, id);
}

/* ---- saved searches ---- */

int store_saved_search_insert(struct store *s, int64_t user_id, struct saved_search *ss, int64_t now)
{
	return s->saved_searches->insert(s, user_id, ss, now);
}

int store_saved_search_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct saved_search *out)
{
	return s->saved_searches->get(s, user_id, id, a, out);
}

int store_saved_search_list(struct store *s, int64_t user_id, struct arena *a, struct saved_search **out, size_t *n)
{
	return s->saved_searches->list(s, user_id, a, out, n);
}

int store_saved_search_update(struct store *s, int64_t user_id, const struct saved_search *ss, int64_t now)
{
	return s->saved_searches->update(s, user_id, ss, now);
}

int store_saved_search_delete(struct store *s, int64_t user_id, int64_t id)
{
	return s->saved_searches->delete (s, user_id, id);
}

int store_saved_search_looked(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	return s->saved_searches->looked(s, user_id, id, now);
}

int store_saved_search_alerts_due(struct store *s, int64_t now, struct arena *a, struct saved_search **out, size_t *n)
{
	return s->saved_searches->alerts_due(s, now, a, out, n);
}

int store_saved_search_alerted(struct store *s, int64_t user_id, int64_t id, int64_t at)
{
	return s->saved_searches->alerted(s, user_id, id, at);
}

/* ---- settings and limits ---- */

int store_setting_get(struct store *s, const char *key, char *value, size_t valuelen)
{
	return s->settings->setting_get(s, key, value, valuelen);
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	return s->settings->setting_set(s, key, value);
}

int store_limit_hit(struct store *s, const char *key, int64_t limit, int64_t window, int64_t now, int64_t *count,
		    int64_t *window_end)
{
	assert(limit >= 0 && window > 0);
	return s->settings->limit_hit(s, key, limit, window, now, count, window_end);
}

int store_limit_peek(struct store *s, const char *key, int64_t window, int64_t now, int64_t *count)
{
	return s->settings->limit_peek(s, key, window, now, count);
}

int store_limit_reset(struct store *s, const char *key)
{
	return s->settings->limit_reset(s, key);
}

int store_login_address_add(struct store *s, int64_t user_id, const char *address, int64_t now, int64_t keep)
{
	assert(user_id > 0 && keep > 0);
	return s->settings->login_address_add(s, user_id, address, now, keep);
}

int store_login_address_known(struct store *s, int64_t user_id, const char *address, int64_t since, int *known)
{
	return s->settings->login_address_known(s, user_id, address, since, known);
}

/* ---- accounts ---- */

int store_user_create(struct store *s, const char *email, const char *password_hash, int64_t now, struct user *out)
{
	return s->accounts->user_create(s, email, password_hash, now, out);
}

int store_user_by_email(struct store *s, const char *email, struct user *out)
{
	return s->accounts->user_by_email(s, email, out);
}

int store_user_by_id(struct store *s, int64_t id, struct user *out)
{
	return s->accounts->user_by_id(s, id, out);
}

int store_user_count(struct store *s, int64_t *count)
{
	return s->accounts->user_count(s, count);
}

int store_user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	return s->accounts->user_each(s, fn, ctx);
}

int store_user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep_session[32],
			    int64_t now)
{
	return s->accounts->user_set_password(s, id, password_hash, keep_session, now);
}

int store_user_set_admin(struct store *s, int64_t id, int is_admin, int64_t now)
{
	return s->accounts->user_set_admin(s, id, is_admin, now);
}

int store_session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			 const char *user_agent, const char *address)
{
	return s->accounts->session_create(s, user_id, hash, now, expires_at, user_agent, address);
}

int store_session_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	return s->accounts->session_user(s, hash, now, out);
}

int store_session_delete(struct store *s, const uint8_t hash[32])
{
	return s->accounts->session_delete(s, hash);
}

int store_session_list(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
		       struct session_info **out, size_t *n)
{
	return s->accounts->session_list(s, user_id, current, now, a, out, n);
}

int store_session_revoke(struct store *s, int64_t user_id, int64_t session_id)
{
	return s->accounts->session_revoke(s, user_id, session_id);
}

int store_sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32])
{
	return s->accounts->sessions_end_others(s, user_id, keep);
}

int store_token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
		       int64_t now, int64_t *id)
{
	return s->accounts->token_create(s, user_id, name, prefix, hash, now, id);
}

int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	return s->accounts->token_user(s, hash, now, out);
}

int store_token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n)
{
	return s->accounts->token_list(s, user_id, a, out, n);
}

int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id, int64_t now)
{
	return s->accounts->token_revoke(s, user_id, token_id, now);
}

int store_calendar_feed_set(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now)
{
	return s->accounts->calendar_feed_set(s, user_id, hash, now);
}

int store_calendar_feed_get(struct store *s, int64_t user_id, int64_t *created_at)
{
	return s->accounts->calendar_feed_get(s, user_id, created_at);
}

int store_calendar_feed_user(struct store *s, const uint8_t hash[32], struct user *out)
{
	return s->accounts->calendar_feed_user(s, hash, out);
}

int store_calendar_feed_delete(struct store *s, int64_t user_id)
{
	return s->accounts->calendar_feed_delete(s, user_id);
}

/* ---- applications ---- */

int store_app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		   struct application **out, size_t *n, int64_t *total)
{
	if (f->offset < 0) {
		/* Both backends then answer the first page, and count from it. */
		struct app_filter from_start = *f;
		from_start.offset = 0;
		return s->apps->list(s, user_id, &from_start, a, out, n, total);
	}
	return s->apps->list(s, user_id, f, a, out, n, total);
}

int store_app_list_all(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n)
{
	struct application *apps = NULL;
	size_t have = 0;
	for (;;) {
		struct app_filter f = { .sort = APP_SORT_CREATED_ASC,
					.limit = STORE_LIST_MAX,
					.offset = (int64_t)have };
		struct application *page;
		size_t got;
		int64_t total;
		int rc = store_app_list(s, user_id, &f, a, &page, &got, &total);
		if (rc)
			return rc;
		if (!apps) {
			apps = page;
		} else if (got) {
			struct application *all = arena_alloc(a, (have + got) * sizeof(*all));
			if (!all)
				return STORE_ERROR;
			memcpy(all, apps, have * sizeof(*all));
			memcpy(all + have, page, got * sizeof(*all));
			apps = all;
		}
		have += got;
		if (got < STORE_LIST_MAX || (int64_t)have >= total)
			break;
	}
	*out = apps;
	*n = have;
	return 0;
}

int store_app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out)
{
	return s->apps->get(s, user_id, id, a, out);
}

int store_app_insert(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	return s->apps->insert(s, user_id, app, now);
}

int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	return s->apps->create(s, user_id, app, now);
}

int store_app_update(struct store *s, int64_t user_id, struct application *app, unsigned fields, int64_t now)
{
	assert((fields & ~(unsigned)APP_F_ALL) == 0);
	return s->apps->update(s, user_id, app, fields, now);
}

int store_app_touch(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	return s->apps->touch(s, user_id, id, now);
}

int store_app_delete(struct store *s, int64_t user_id, int64_t id)
{
	return s->apps->delete (s, user_id, id);
}

int store_app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			      int64_t *counts)
{
	return s->apps->count_by_status(s, user_id, statuses, n_statuses, counts);
}

int store_app_brief(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n)
{
	return s->apps->brief(s, user_id, a, out, n);
}

int store_app_set_posting(struct store *s, int64_t user_id, int64_t app_id, int64_t posting_id, int64_t now)
{
	assert(posting_id >= 0);
	return s->apps->set_posting(s, user_id, app_id, posting_id, now);
}

int store_app_by_posting(struct store *s, int64_t user_id, int64_t posting_id, struct arena *a, struct application *out)
{
	assert(posting_id > 0);
	return s->apps->by_posting(s, user_id, posting_id, a, out);
}

int store_restore_times(struct store *s, int64_t user_id, enum store_restore_kind kind, int64_t id, int64_t updated_at,
			int64_t status_changed_at)
{
	return s->apps->restore_times(s, user_id, kind, id, updated_at, status_changed_at);
}

/* ---- events ---- */

int store_event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		     size_t *n)
{
	return s->events->list(s, user_id, app_id, a, out, n);
}

int store_event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		    struct app_event *out)
{
	return s->events->get(s, user_id, app_id, event_id, a, out);
}

int store_event_insert(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	return s->events->insert(s, user_id, ev, now);
}

int store_event_update(struct store *s, int64_t user_id, struct app_event *ev)
{
	return s->events->update(s, user_id, ev);
}

int store_event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id)
{
	return s->events->delete (s, user_id, app_id, event_id);
}

int store_interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			     struct app_event **out, size_t *n)
{
	return s->events->interviews_between(s, user_id, from, to, a, out, n);
}

int store_event_history(struct store *s, int64_t user_id, struct arena *a, struct app_event **out, size_t *n)
{
	return s->events->history(s, user_id, a, out, n);
}

/* ---- contacts ---- */

int store_contact_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out,
		       size_t *n)
{
	return s->contacts->list(s, user_id, app_id, a, out, n);
}

int store_contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out)
{
	return s->contacts->get(s, user_id, id, a, out);
}

int store_contact_insert(struct store *s, int64_t user_id, struct contact *c, int64_t now)
{
	return s->contacts->insert(s, user_id, c, now);
}

int store_contact_update(struct store *s, int64_t user_id, struct contact *c, int64_t now)
{
	return s->contacts->update(s, user_id, c, now);
}

int store_contact_delete(struct store *s, int64_t user_id, int64_t id)
{
	return s->contacts->delete (s, user_id, id);
}

int store_contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	return s->contacts->link(s, user_id, app_id, contact_id);
}

int store_contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	return s->contacts->unlink(s, user_id, app_id, contact_id);
}

/* ---- postings ---- */

int store_posting_ingest(struct store *s, const struct posting_ingest *in, enum posting_change *change,
			 int64_t *posting_id)
{
	assert(in->source && in->external_id && in->content_hash && in->posting.canonical_key);
	int64_t ignored;
	return s->postings->ingest(s, in, change, posting_id ? posting_id : &ignored);
}

int store_posting_mark_missing(struct store *s, int64_t source_id, int64_t run_started_at, int max_missing, int64_t now,
			       struct missing_counts *out)
{
	assert(source_id > 0 && max_missing >= 1);
	return s->postings->mark_missing(s, source_id, run_started_at, max_missing, now, out);
}

int store_posting_list(struct store *s, const struct posting_filter *f, struct arena *a, struct store_posting **out,
		       size_t *n, struct posting_cursor *next)
{
	return s->postings->list(s, f, a, out, n, next);
}

int store_posting_count(struct store *s, const struct posting_filter *f, int64_t *count)
{
	return s->postings->count(s, f, count);
}

int store_posting_changed(struct store *s, int64_t since, int64_t after_id, int64_t limit, struct arena *a,
			  struct store_posting **out, size_t *n)
{
	return s->postings->changed(s, since, after_id, rows_page_limit(limit), a, out, n);
}

int store_posting_get(struct store *s, int64_t id, struct arena *a, struct store_posting *out,
		      struct posting_source **sources, size_t *n)
{
	struct posting_source *ignored_sources;
	size_t ignored_n;
	return s->postings->get(s, id, a, out, sources ? sources : &ignored_sources, n ? n : &ignored_n);
}

int store_posting_sources(struct store *s, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n)
{
	return s->postings->sources(s, posting_id, a, out, n);
}

/* The first of n items of size bytes at base, ordered by the int64_t at
 * offset in each, whose key is at least key: n when none is. */
static size_t first_of(const void *base, size_t n, size_t size, size_t offset, int64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t k;
		memcpy(&k, (const char *)base + mid * size + offset, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int store_posting_sources_of(struct store *s, const int64_t *ids, size_t n, struct arena *a,
			     struct posting_source_group **groups)
{
	if (n > STORE_SOURCES_OF_MAX)
		return STORE_ERROR;
	struct posting_source_group *g = arena_alloc(a, (n ? n : 1) * sizeof(*g));
	if (!g)
		return STORE_ERROR;
	struct posting_source *all = NULL;
	size_t n_all = 0;
	int rc = n ? s->postings->sources_of(s, ids, n, a, &all, &n_all) : 0;
	if (rc)
		return rc;
	/* The backend orders by posting id: each posting's run is found by
	 * bisection, whatever order the caller's ids are in. */
	for (size_t i = 0; i < n; i++) {
		size_t at = first_of(all, n_all, sizeof(*all), offsetof(struct posting_source, posting_id), ids[i]);
		size_t end = at;
		while (end < n_all && all[end].posting_id == ids[i])
			end++;
		g[i].items = all ? all + at : NULL;
		g[i].n = end - at;
	}
	*groups = g;
	return 0;
}

int store_posting_get_many(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct store_posting **out,
			   struct posting_source_group **sources)
{
	if (n > STORE_SOURCES_OF_MAX)
		return STORE_ERROR;
	struct store_posting *mine = arena_alloc(a, (n ? n : 1) * sizeof(*mine));
	if (!mine)
		return STORE_ERROR;
	struct store_posting *all = NULL;
	size_t n_all = 0;
	int rc = n ? s->postings->get_many(s, ids, n, a, &all, &n_all) : 0;
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t at = first_of(all, n_all, sizeof(*all), offsetof(struct store_posting, id), ids[i]);
		if (at < n_all && all[at].id == ids[i])
			mine[i] = all[at];
		else
			memset(&mine[i], 0, sizeof(mine[i]));
	}
	if (sources && (rc = store_posting_sources_of(s, ids, n, a, sources)))
		return rc;
	*out = mine;
	return 0;
}

/* ---- hidden postings, blocked companies ---- */

int store_company_key(const char *company, char *out)
{
	const char *s = company ? company : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n > STORE_COMPANY_KEY_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	out[n] = '\0';
	return 0;
}

int store_posting_hide(struct store *s, int64_t user_id, int64_t posting_id, int64_t now)
{
	return s->hidden->hide(s, user_id, posting_id, now);
}

int store_posting_unhide(struct store *s, int64_t user_id, int64_t posting_id)
{
	return s->hidden->unhide(s, user_id, posting_id);
}

int store_company_block(struct store *s, int64_t user_id, const char *company, int64_t now)
{
	char key[STORE_COMPANY_KEY_MAX + 1];
	if (store_company_key(company, key))
		return STORE_ERROR;
	return s->hidden->block(s, user_id, key, company, now);
}

int store_company_unblock(struct store *s, int64_t user_id, const char *company)
{
	char key[STORE_COMPANY_KEY_MAX + 1];
	if (store_company_key(company, key))
		return STORE_NOTFOUND;
	return s->hidden->unblock(s, user_id, key);
}

int store_hidden_list(struct store *s, int64_t user_id, struct arena *a, struct store_hidden *out)
{
	memset(out, 0, sizeof(*out));
	return s->hidden->list(s, user_id, a, out);
}

int store_posting_by_listing(struct store *s, const char *source, const char *external_id, int64_t *posting_id)
{
	*posting_id = 0;
	return s->hidden->by_listing(s, source, external_id, posting_id);
}

int store_posting_terms_put(struct store *s, int64_t posting_id, int64_t version, const char *taxonomy,
			    const void *data, size_t len, int64_t now)
{
	if (!taxonomy || !*taxonomy || (!data && len))
		return STORE_ERROR;
	return s->posting_terms->put(s, posting_id, version, taxonomy, data, len, now);
}

int store_posting_terms_todo(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
			     struct posting_terms_todo **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return taxonomy ? s->posting_terms->todo(s, taxonomy, after_id, rows_page_limit(limit), a, out, n)
			: STORE_ERROR;
}

int store_posting_terms_page(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
			     struct posting_terms **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return taxonomy ? s->posting_terms->page(s, taxonomy, after_id, rows_page_limit(limit), a, out, n)
			: STORE_ERROR;
}

int store_posting_terms_count(struct store *s, const char *taxonomy, int64_t *open, int64_t *cached)
{
	*open = *cached = 0;
	return taxonomy ? s->posting_terms->count(s, taxonomy, open, cached) : STORE_ERROR;
}

/* ---- sources ---- */

int store_source_insert(struct store *s, struct scrape_source *src, int64_t now)
{
	return s->sources->insert(s, src, now);
}

int store_source_get(struct store *s, int64_t id, struct arena *a, struct scrape_source *out)
{
	return s->sources->get(s, id, a, out);
}

int store_source_by_name(struct store *s, const char *name, struct arena *a, struct scrape_source *out)
{
	return s->sources->by_name(s, name, a, out);
}

int store_source_list(struct store *s, struct arena *a, struct scrape_source **out, size_t *n)
{
	return s->sources->list(s, a, out, n);
}

int store_source_update(struct store *s, struct scrape_source *src, int64_t expected_version, int64_t now)
{
	return s->sources->update(s, src, expected_version, now);
}

int store_source_delete(struct store *s, int64_t id, int64_t expected_version)
{
	return s->sources->delete (s, id, expected_version);
}

int store_source_set_blocked(struct store *s, int64_t id, int64_t blocked_until)
{
	return s->sources->set_blocked(s, id, blocked_until);
}

/* ---- runs ---- */

static char owner_host[256];
static pthread_once_t owner_once = PTHREAD_ONCE_INIT;

static void owner_init(void)
{
	if (gethostname(owner_host, sizeof(owner_host) - 1) != 0)
		owner_host[0] = '\0';
	owner_host[sizeof(owner_host) - 1] = '\0';
}

const char *store_run_owner_host(void)
{
	pthread_once(&owner_once, owner_init);
	return owner_host;
}

int store_run_start(struct store *s, int64_t source_id, int64_t now, int64_t stale_before, struct arena *a,
		    struct scrape_run *out)
{
	assert(source_id >= 0);
	/* getpid each time: a forked child is another owner. */
	return s->runs->start(s, source_id, now, stale_before, store_run_owner_host(), (int64_t)getpid(), a, out);
}

int store_run_crash(struct store *s, int64_t id, const char *message)
{
	return s->runs->crash(s, id, message ? message : ROWS_CRASHED_MESSAGE);
}

int store_run_progress(struct store *s, int64_t id, const struct run_counts *counts, int64_t now)
{
	return s->runs->progress(s, id, counts, now);
}

int store_run_finish(struct store *s, int64_t id, const char *status, const struct run_counts *counts,
		     const char *message, int64_t now)
{
	/* "running" and "crashed" are the store's to set, never a finish's. */
	assert(status &&
	       (strcmp(status, "ok") == 0 || strcmp(status, "partial") == 0 || strcmp(status, "failed") == 0 ||
		strcmp(status, "blocked") == 0 || strcmp(status, "cancelled") == 0));
	return s->runs->finish(s, id, status, counts, message ? message : "", now);
}

int store_run_get(struct store *s, int64_t id, struct arena *a, struct scrape_run *out)
{
	return s->runs->get(s, id, a, out);
}

int store_run_list(struct store *s, int64_t source_id, int64_t limit, struct arena *a, struct scrape_run **out,
		   size_t *n)
{
	return s->runs->list(s, source_id, limit, a, out, n);
}

int store_runs_mark_crashed(struct store *s, int64_t stale_before, int64_t *count)
{
	int64_t ignored;
	return s->runs->mark_crashed(s, stale_before, count ? count : &ignored);
}

/* store — everything jobtrack keeps, behind one interface and several backends.
 *
 * No SQL lives outside src/store/. Callers name the backend only through the
 * URL given to store_open(): "sqlite:PATH" (the embedded default) or
 * "postgres://user:pass@host:port/db" (also "postgresql://…" and libpq's
 * "?host=/socket/dir"). store.c picks the backend; each backend is a folder
 * (src/store/sqlite/, src/store/postgres/) behind the table of operations in
 * store/backend.h. Nothing a caller can observe differs between backends:
 * the same contract suite (tests/unit/test_store.c) runs on both.
 *
 * The store keeps rows; rules live above it. Which timeline entry a status
 * change makes, how follow-up dates move, which entries are history — those
 * are the tracker's (src/tracker/service.h), written once for every backend.
 *
 * What every backend guarantees:
 * - Scoping: every call that reads or writes user data takes the user's id
 *   and only ever sees that user's rows. A row of another user is
 *   STORE_NOTFOUND, exactly like a row that does not exist.
 * - data_version: struct user's data_version changes in every transaction
 *   that inserts, updates or deletes any of the user's applications, tags,
 *   timeline events, contacts or contact links, whichever process makes it,
 *   and stays as it is in a transaction that writes none of them. It
 *   moves with the transaction's first such write (a reader inside the
 *   transaction sees it moved at once) and is undone with it. How far it
 *   moves is not promised: PostgreSQL moves it once per transaction, SQLite
 *   once per row written. Caches key on it (web/response_cache.h) and
 *   compare it for equality only.
 * - Row versions: an application, event or contact starts at version 1 and
 *   every update (including store_app_touch) adds one. APIs send it as the
 *   ETag, forms carry it, and writes compare it (If-Match).
 * - Ids are never reused, even after the row with the highest id is deleted
 *   (applications, events, contacts, sessions, tokens; users are never
 *   deleted).
 * - Ordering by company or contact name compares ASCII letters as lower case
 *   and every other byte as it is (so non-ASCII text sorts in UTF-8 byte
 *   order, after "z"), then id; the same on every backend.
 * - Tags are rows of their own (application_tags), kept in the order given;
 *   the tag filter matches a whole tag, ignoring ASCII case.
 * - Dates ("YYYY-MM-DD") compare as text.
 * - Postings, sources and scrape runs belong to the instance, not to a user
 *   (see "postings" below): no user id, no data_version; postings and runs
 *   are written by ingest and the scheduler, sources by administrators.
 *
 * Memory: strings in results are allocated from the arena the caller passes
 * and live as long as it does. Fixed-size results (struct user) are copied.
 *
 * Threads: a store may be used from many threads at once; each thread gets a
 * connection of its own, opened on first use and closed with the thread.
 *
 * Transactions: each call is atomic on its own. A caller that needs several
 * calls to be one change wraps them in store_tx_begin()/store_tx_end(); inside,
 * the calls run on the same connection and see each other's writes.
 *
 * Errors: 0 on success, or a negative enum store_err. */
#ifndef JT_STORE_STORE_H
#define JT_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

enum store_err {
	STORE_OK = 0,
	STORE_NOTFOUND = -1, /* no such row for this user */
	STORE_CONFLICT = -2, /* a unique value already exists (e.g. e-mail) */
	STORE_ERROR = -3,    /* the backend failed; details are logged */
	STORE_BUSY = -4,     /* the database stayed locked past the timeout, or is unreachable */
	STORE_STALE = -5,    /* the row is not in the version or state the caller expected: nothing changed */
};

struct store;

#define STORE_EMAIL_MAX 255
#define STORE_HASH_MAX  160

struct user {
	int64_t id;
	char email[STORE_EMAIL_MAX + 1];
	char password_hash[STORE_HASH_MAX];
	int is_admin;
	int64_t token_version; /* bumps on password change; JWTs carry it */
	int64_t created_at;
	int64_t data_version; /* changes with any change to the user's tracker data (see above) */
};

struct application {
	int64_t id;
	int64_t version;
	char *company, *position, *location, *url, *source;
	int64_t salary_min, salary_max; /* valid when has_salary_min / has_salary_max */
	int has_salary_min, has_salary_max;
	char *salary_currency; /* ISO 4217, "" when unknown */
	char *salary_period;   /* "year" | "month" | "hour" | "" */
	char *status;          /* one of tracker's status names */
	int priority;          /* 0..5 */
	char **tags;
	size_t n_tags;
	char *saved_on, *applied_on, *follow_up_on; /* "YYYY-MM-DD" or NULL */
	char *notes;
	int64_t created_at, updated_at, status_changed_at;
	int64_t posting_id;        /* the posting it was saved from ("Save to tracker"); 0 = none */
	int64_t posting_closed_at; /* read only: when that posting closed at its source; 0 = open or none */
};

/* The fields of an application, as bits: store_app_update writes only those
 * named, so two changes of different fields never undo each other. */
enum app_field_bit {
	APP_F_COMPANY = 1u << 0,
	APP_F_POSITION = 1u << 1,
	APP_F_LOCATION = 1u << 2,
	APP_F_URL = 1u << 3,
	APP_F_SOURCE = 1u << 4,
	APP_F_SALARY_MIN = 1u << 5,
	APP_F_SALARY_MAX = 1u << 6,
	APP_F_SALARY_CURRENCY = 1u << 7,
	APP_F_SALARY_PERIOD = 1u << 8,
	APP_F_STATUS = 1u << 9, /* also writes status_changed_at */
	APP_F_PRIORITY = 1u << 10,
	APP_F_TAGS = 1u << 11,
	APP_F_SAVED_ON = 1u << 12,
	APP_F_APPLIED_ON = 1u << 13,
	APP_F_FOLLOW_UP_ON = 1u << 14,
	APP_F_NOTES = 1u << 15,
	APP_F_ALL = (1u << 16) - 1,
};

struct app_event {
	int64_t id, app_id;
	int64_t version;
	char *kind;                    /* "created" | "status_change" | "interview" | "note" | "follow_up" */
	int64_t at;                    /* when it happened (or will: interviews, follow-ups) */
	char *from_status, *to_status; /* status_change only, else NULL */
	char *title, *body, *interview_kind, *with_whom;
	int64_t created_at;
	int tz_offset_min; /* input only: the writer's UTC offset, for the follow-up's calendar day */
};

struct contact {
	int64_t id;
	int64_t version;
	char *name, *role, *email, *phone, *url, *notes;
	int64_t created_at, updated_at;
};

struct session_info {
	int64_t id;
	int64_t created_at, expires_at;
	char *user_agent, *address;
	int current; /* the session whose hash the caller passed */
};

struct api_token {
	int64_t id;
	char *name, *prefix;
	int64_t created_at, last_used_at; /* last_used_at 0 = never */
};

enum app_sort {
	APP_SORT_UPDATED_DESC,
	APP_SORT_UPDATED_ASC,
	APP_SORT_CREATED_DESC,
	APP_SORT_CREATED_ASC,
	APP_SORT_COMPANY_ASC,
	APP_SORT_COMPANY_DESC,
	APP_SORT_PRIORITY_DESC,
	APP_SORT_PRIORITY_ASC,
	APP_SORT_APPLIED_DESC,
	APP_SORT_APPLIED_ASC,
	APP_SORT_COUNT
};

#define STORE_LIST_MAX 10000 /* most rows one listing returns */

struct app_filter {
	const char *status; /* NULL = any */
	const char *tag;    /* NULL = any; a whole tag, ASCII case ignored */
	const char *q;      /* NULL = any; literal substring (ASCII case ignored) of company, position,
			       location or notes */
	enum app_sort sort;
	int64_t limit; /* rows per page; <= 0 means 50, capped at STORE_LIST_MAX */
	int64_t offset;
};

/* ---- opening, schema, transactions ---------------------------------------- */

/* Opens (creating a SQLite file if needed) the store at url and runs pending
 * migrations. err receives a message fit for a person. */
int store_open(const char *url, struct store **out, char *err, size_t errlen);
/* Process-wide, set once before the first store_open: how long a statement
 * waits for a lock another connection (or process) holds before it gives up
 * with STORE_BUSY (SQLite's busy timeout, PostgreSQL's lock_timeout), and
 * how long one PostgreSQL statement may run before it is cancelled with
 * STORE_BUSY (statement_timeout; 0 = no limit; SQLite has none). Both in
 * milliseconds; the defaults are STORE_LOCK_TIMEOUT_MS and
 * STORE_STATEMENT_TIMEOUT_MS. Schema migrations and store_copy wait and run
 * as long as they need. The statement timeout is far above the heaviest
 * statement a request or task runs (a market figure over 1,000,000 postings
 * takes about 0.15 s; the search index, word weights and ingest read and
 * write in pages and batches), so it only ends a runaway. */
#define STORE_LOCK_TIMEOUT_MS      5000
#define STORE_STATEMENT_TIMEOUT_MS 60000
void store_set_timeouts(long lock_ms, long statement_ms);
/* Opens without migrating (for `jobtrack migrate --status`). */
int store_open_nomigrate(const char *url, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
/* "sqlite" or "postgres". */
const char *store_backend_name(const struct store *s);
/* Applies pending migrations; from and to get the versions before and after.
 * Safe against another process migrating the same database at once. Version
 * N means the same schema on every backend. */
int store_migrate(struct store *s, int *from, int *to);
int store_schema_version(struct store *s, int *version, int *latest);
/* A cheap round trip, for /healthz. Reconnects a connection the database
 * dropped (after a restart), so it is also how health recovers. */
int store_ping(struct store *s);
/* 1 when the database refuses writes (a PostgreSQL standby, or
 * default_transaction_read_only on): known from what the server reported
 * at connect and from writes it refused, without a round trip. Writes meanwhile
 * fail with STORE_BUSY. */
int store_read_only(struct store *s);
/* The message for a database whose schema is newer than this program
 * knows (serve and migrate refuse it alike). */
void store_newer_schema_message(int version, int latest, char *err, size_t errlen);

/* Starts a transaction on this thread's connection. user_id > 0 also
 * serialises it with every other write to that user's data (in any process),
 * so what it reads stays true until store_tx_end. Transactions nest: an inner
 * begin joins the outer one, and only the outermost end commits. */
int store_tx_begin(struct store *s, int64_t user_id);
/* Starts a read-only transaction in which every read sees the database as
 * it was at one moment, whatever other processes commit meanwhile (for
 * reading a whole instance consistently). Ended by store_tx_end. */
int store_tx_begin_snapshot(struct store *s);
/* Ends the innermost begin: rc == 0 keeps its work, anything else undoes the
 * whole transaction (the outer ends then roll back too). Returns rc, or the
 * commit's error when committing failed. */
int store_tx_end(struct store *s, int rc);

/* ---- instance settings, rate limits ---------------------------------------- */

/* Instance settings (e.g. "signup_open"). value gets "" when unset. */
int store_setting_get(struct store *s, const char *key, char *value, size_t valuelen);
int store_setting_set(struct store *s, const char *key, const char *value);

/* Fixed-window attempt counters shared by every process on the store (log-in
 * throttling). Counts one attempt for key at now; *count gets the attempts in
 * the current window including this one, and *window_end when the window
 * closes. At most `limit` attempts are counted per window: past it the count
 * stays at limit + 1 and nothing more is written. Keys come in families,
 * named by what precedes their first ':' ("login:…", "import:…"); every
 * caller of one family uses one window length, and a new window drops the
 * ended rows of its own family only (another family's longer window would
 * otherwise be cut short). */
int store_limit_hit(struct store *s, const char *key, int64_t limit, int64_t window, int64_t now, int64_t *count,
		    int64_t *window_end);
/* The attempts counted for key in its window (0 when none or expired). */
int store_limit_peek(struct store *s, const char *key, int64_t window, int64_t now, int64_t *count);
/* Forgets key (a successful log-in starts the account afresh). */
int store_limit_reset(struct store *s, const char *key);

/* Log-in addresses: where each user signed in from lately (the log-in
 * throttle's address buckets: IPv4, IPv6 /64), which then skip an attacked
 * account's pacing. add records a successful log-in of user_id from address
 * at now and drops every row last used at or before now - keep (keep > 0),
 * so the table holds only what the throttle still reads. */
int store_login_address_add(struct store *s, int64_t user_id, const char *address, int64_t now, int64_t keep);
/* *known gets 1 when user_id signed in from address after since, else 0. */
int store_login_address_known(struct store *s, int64_t user_id, const char *address, int64_t since, int *known);

/* ---- users, sessions, tokens ----------------------------------------------- */

/* Users. The first user ever created becomes admin (decided inside the
 * insert's transaction, so two racing sign-ups cannot both win). E-mails are
 * unique ignoring ASCII case, and found the same way. */
int store_user_create(struct store *s, const char *email, const char *password_hash, int64_t now, struct user *out);
int store_user_by_email(struct store *s, const char *email, struct user *out);
int store_user_by_id(struct store *s, int64_t id, struct user *out);
int store_user_count(struct store *s, int64_t *count);
/* Calls fn for each user in id order. */
int store_user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx);
/* Sets the hash, bumps token_version (old JWTs die) and ends every session
 * except keep_session (NULL: end them all). */
int store_user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep_session[32],
			    int64_t now);
int store_user_set_admin(struct store *s, int64_t id, int is_admin, int64_t now);

/* Browser sessions, known only by the SHA-256 of their token. Creating one
 * also sweeps expired sessions. */
int store_session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			 const char *user_agent, const char *address);
int store_session_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out);
int store_session_delete(struct store *s, const uint8_t hash[32]);
/* The user's live sessions, newest first; `current` marks the one whose
 * hash is given (may be NULL). */
int store_session_list(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
		       struct session_info **out, size_t *n);
/* Ends one of the user's sessions by id. */
int store_session_revoke(struct store *s, int64_t user_id, int64_t session_id);
/* Ends every session of the user except keep (NULL: all). */
int store_sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32]);

/* Personal API tokens, known only by their hash. */
int store_token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
		       int64_t now, int64_t *id);
/* Finds the live token's user and notes the use (at most once a minute). */
int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out);
int store_token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n);
int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id, int64_t now);

/* Calendar feeds: a user's interviews and follow-ups as iCalendar at a
 * secret URL. The store knows the URL's token only by its SHA-256, like API
 * tokens; a user has at most one feed, and setting a new one replaces the
 * old (whose URL stops working at once). */
int store_calendar_feed_set(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now);
/* When the user's feed was made; NOTFOUND when the user has none. */
int store_calendar_feed_get(struct store *s, int64_t user_id, int64_t *created_at);
/* The user whose feed token has this hash; NOTFOUND when none has. */
int store_calendar_feed_user(struct store *s, const uint8_t hash[32], struct user *out);
/* Ends the user's feed; NOTFOUND when there was none. */
int store_calendar_feed_delete(struct store *s, int64_t user_id);

/* ---- applications ------------------------------------------------------------ */

/* One page of the user's applications; *total counts every match. */
int store_app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		   struct application **out, size_t *n, int64_t *total);
/* Every one of the user's applications, oldest first, page by page into a
 * (for whole-account work: analytics, backup import). */
int store_app_list_all(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n);
int store_app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out);
/* Inserts app (every field as given, tags included); fills in id, version 1,
 * and created_at = updated_at = status_changed_at = now. */
int store_app_insert(struct store *s, int64_t user_id, struct application *app, int64_t now);
/* store_app_insert with the application's "created" timeline entry (at =
 * now, to_status = app->status, as store_event_insert would write it), both
 * or neither: what creating an application is. On PostgreSQL one statement
 * (separately, the entry was another statement and round trip per create). */
int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now);
/* Writes the fields named in `fields` (enum app_field_bit) of app->id from
 * app, sets updated_at = now and adds one to the version; APP_F_STATUS also
 * writes app->status_changed_at. app->version and updated_at are set to the
 * stored values. */
int store_app_update(struct store *s, int64_t user_id, struct application *app, unsigned fields, int64_t now);
/* Marks the application changed (updated_at = now, version + 1), e.g. when
 * its timeline changed. */
int store_app_touch(struct store *s, int64_t user_id, int64_t id, int64_t now);
/* Removes it with its tags, timeline and contact links (contacts stay). */
int store_app_delete(struct store *s, int64_t user_id, int64_t id);
/* Per-status counts, in the order of statuses[], for the board and list. */
int store_app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			      int64_t *counts);
/* Every application of the user, by id, with only what analytics reads:
 * id, status, source, applied_on and created_at (the rest 0 or NULL). One
 * read of five columns: the listing's pages sort, count, split tags and
 * look up postings, which the dashboard's figures do not need. */
int store_app_brief(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n);
/* Links the application to a posting (posting_id 0 unlinks): updated_at =
 * now, version + 1. store_app_insert writes app->posting_id too. NOTFOUND
 * unless the application is the user's and the posting exists. */
int store_app_set_posting(struct store *s, int64_t user_id, int64_t app_id, int64_t posting_id, int64_t now);
/* The user's application saved from posting_id (the oldest, should there be
 * several): NOTFOUND when the user has none. "Save to tracker" calls it
 * inside the user's transaction, so saving twice finds the first one. */
int store_app_by_posting(struct store *s, int64_t user_id, int64_t posting_id, struct arena *a,
			 struct application *out);

/* Restoring a backup (src/backup/): sets the times of one of the user's
 * rows back to what they were, and nothing else (the version included):
 * an application's updated_at and status_changed_at, a contact's or a
 * resume's updated_at (status_changed_at ignored), a saved search's
 * updated_at and last_looked_at (given as status_changed_at). Inserting
 * made them "now". NOTFOUND unless the row is the user's. */
enum store_restore_kind { STORE_RESTORE_APP, STORE_RESTORE_CONTACT, STORE_RESTORE_RESUME, STORE_RESTORE_SAVED_SEARCH };
int store_restore_times(struct store *s, int64_t user_id, enum store_restore_kind kind, int64_t id, int64_t updated_at,
			int64_t status_changed_at);

/* ---- timeline events --------------------------------------------------------- */

/* Timeline of one application, newest first (at, then id). */
int store_event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		     size_t *n);
int store_event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		    struct app_event *out);
/* Inserts ev for ev->app_id (STORE_NOTFOUND unless that application is the
 * user's); fills in id, version 1 and created_at = now. */
int store_event_insert(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
/* Rewrites kind, at, title, body, interview_kind and with_whom of ev->id and
 * adds one to its version (ev->version gets the new one). */
int store_event_update(struct store *s, int64_t user_id, struct app_event *ev);
int store_event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id);
/* The history of every application of the user in one read (for analytics):
 * its "created", "status_change" and "interview" entries, without the texts
 * people write (title, body, interview_kind and with_whom are NULL), in no
 * particular order (sorting 20,000 rows in SQLite costs more than the read;
 * callers sort what they need). */
int store_event_history(struct store *s, int64_t user_id, struct arena *a, struct app_event **out, size_t *n);
/* The user's interviews with from <= at < to, soonest first (at most 100). */
int store_interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			     struct app_event **out, size_t *n);

/* ---- contacts ---------------------------------------------------------------- */

/* Contacts belong to a user and link to any number of their applications.
 * Listed by name (see ordering above); app_id > 0 lists only those linked to
 * that application. */
int store_contact_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out,
		       size_t *n);
int store_contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out);
/* Fills in id, version 1, created_at = updated_at = now. */
int store_contact_insert(struct store *s, int64_t user_id, struct contact *c, int64_t now);
/* Rewrites every text field of c->id, updated_at = now, version + 1. */
int store_contact_update(struct store *s, int64_t user_id, struct contact *c, int64_t now);
int store_contact_delete(struct store *s, int64_t user_id, int64_t id);
/* Links both of the user's rows (linking twice is not an error); NOTFOUND
 * unless both the application and the contact are the user's. */
int store_contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);
int store_contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);

/* ---- resumes (per user) ---------------------------------------------------
 *
 * A user's uploaded resumes: several per user, at most one the default. The
 * store keeps their metadata; the file's bytes live in the blob store under
 * blob_key, encrypted (src/resume/vault.h), so nothing here reads them.
 * Every call is scoped to the user: another user's resume is STORE_NOTFOUND.
 * - insert: the user's first resume becomes the default; is_default set on a
 *   later one makes it the default in place of the old one.
 * - set_default: that resume becomes the only default.
 * - delete: when the default goes, the newest remaining one (created_at,
 *   then id) becomes the default.
 * - list: the default first, then newest first. */
#define STORE_RESUME_NAME_MAX 255

struct store_resume {
	int64_t id;
	const char *name;     /* what the user calls it (the uploaded file's name by default) */
	const char *type;     /* resume_type_name(): "pdf", "docx", "text", "markdown" */
	int64_t size;         /* bytes of the file */
	const char *blob_key; /* where its (encrypted) bytes are */
	int is_default;
	int64_t created_at, updated_at;
};

int store_resume_insert(struct store *s, int64_t user_id, struct store_resume *r, int64_t now);
int store_resume_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_resume *out);
/* The user's default resume; STORE_NOTFOUND when the user has none. */
int store_resume_default(struct store *s, int64_t user_id, struct arena *a, struct store_resume *out);
int store_resume_list(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n);
int store_resume_set_default(struct store *s, int64_t user_id, int64_t id, int64_t now);
int store_resume_rename(struct store *s, int64_t user_id, int64_t id, const char *name, int64_t now);
int store_resume_delete(struct store *s, int64_t user_id, int64_t id);
/* The resume's file was replaced: its type, size and blob_key are these now. */
int store_resume_set_file(struct store *s, int64_t user_id, int64_t id, const char *type, int64_t size,
			  const char *blob_key, int64_t now);

/* ---- resume scans (per user) ------------------------------------------------
 *
 * A scan's explained result as the API returned it (result: JSON text),
 * kept for the user's history. job_key names the job scanned, so that a
 * re-scan finds the one before it: "posting:ID", or "text:" and a hash of a
 * pasted description. A resume's scans are deleted with it; a deleted
 * posting leaves posting_id 0 and the job_key as it was.
 * - list: newest first (id descending), at most limit rows, result NULL;
 *   resume_id / posting_id 0 mean any.
 * - previous: the newest scan of the same resume and job_key with an id
 *   below before_id (INT64_MAX: the newest of all), result included. */
struct store_scan {
	int64_t id;
	int64_t resume_id;
	int64_t posting_id; /* 0: a pasted job description */
	const char *job_key;
	const char *job_title;
	int score_tenths; /* 0..1000: the 0–100 score times ten */
	const char *result;
	int64_t created_at;
};

int store_scan_insert(struct store *s, int64_t user_id, struct store_scan *scan, int64_t now);
int store_scan_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_scan *out);
int store_scan_list(struct store *s, int64_t user_id, int64_t resume_id, int64_t posting_id, int64_t limit,
		    struct arena *a, struct store_scan **out, size_t *n);
int store_scan_previous(struct store *s, int64_t user_id, int64_t resume_id, const char *job_key, int64_t before_id,
			struct arena *a, struct store_scan *out);
int store_scan_delete(struct store *s, int64_t user_id, int64_t id);

/* ---- reminders and automation (per user) ----------------------------------
 *
 * What src/notify/ keeps: a user's reminder settings, the applications whose
 * default follow-up reminder the user turned off, and one record per
 * reminder sent (or being retried) on a channel, so each goes out once.
 * Deleting an application deletes its records. */
#define STORE_WEBHOOK_URL_MAX    2048
#define STORE_WEBHOOK_SECRET_MAX 128
#define STORE_NOTIFY_ERROR_MAX   300 /* longest last_error kept */

struct notify_settings {
	int follow_up_days;         /* remind this many days after applying without a response; 0 = never */
	int ghost_days;             /* move to "ghosted" after this many days without one; 0 = never */
	int email;                  /* 1: reminders by e-mail to the account's address */
	const char *webhook_url;    /* "" = no webhook */
	const char *webhook_secret; /* the HMAC-SHA256 key; "" when no webhook */
	int64_t updated_at;         /* 0: never saved, these are the defaults */
};
#define STORE_NOTIFY_DEFAULT_FOLLOW_UP_DAYS 7

/* The user's settings, or the defaults (follow_up_days 7, ghost_days 0,
 * email 1, no webhook, updated_at 0) when the user never saved any. */
int store_notify_settings_get(struct store *s, int64_t user_id, struct arena *a, struct notify_settings *out);
/* Writes every field of in (updated_at = now). */
int store_notify_settings_set(struct store *s, int64_t user_id, const struct notify_settings *in, int64_t now);

/* An application a follow-up reminder or the ghosting rule may concern. */
struct follow_up_row {
	int64_t app_id;
	const char *company, *position, *status;
	const char *applied_on, *follow_up_on; /* "YYYY-MM-DD" or NULL */
	int64_t status_changed_at, created_at;
	int muted;          /* the user turned the default reminder off for it */
	int status_changed; /* its timeline has a status change (not only its creation) */
};
/* The user's applications with status "applied" or a follow_up_on date, by
 * id, at most STORE_LIST_MAX. */
int store_follow_up_rows(struct store *s, int64_t user_id, struct arena *a, struct follow_up_row **out, size_t *n);
/* Turns the default reminder of the user's application off (muted 1) or
 * back on (0). NOTFOUND unless the application is the user's. */
int store_follow_up_mute(struct store *s, int64_t user_id, int64_t app_id, int muted);
/* The ids of the user's applications whose default reminder is off, every
 * one, ascending (for a backup). */
int store_follow_up_muted(struct store *s, int64_t user_id, struct arena *a, int64_t **app_ids, size_t *n);

/* One reminder on one channel: state "pending" (not sent yet, or failed and
 * to be tried again at next_at), "sent" or "failed" (given up). */
struct reminder_send {
	int64_t id, app_id;
	const char *due_on;  /* the follow-up date it reminds of */
	const char *channel; /* "email" | "webhook" */
	const char *state;
	int attempts;
	int64_t next_at, sent_at, created_at, updated_at; /* sent_at 0 until sent */
	const char *last_error;                           /* "" when none */
};
/* The record of (app_id, due_on, channel), made "pending" (next_at = now) if
 * there is none: two callers at once get the same row. NOTFOUND unless the
 * application is the user's. */
int store_reminder_send_open(struct store *s, int64_t user_id, int64_t app_id, const char *due_on, const char *channel,
			     int64_t now, struct arena *a, struct reminder_send *out);
/* Takes record id for one attempt: while it is "pending" and due
 * (next_at <= now), its next_at moves to lease_until, so that another
 * process running reminders at the same time skips it (and a process that
 * dies mid-attempt leaves it to be tried again then). 0 when taken; STALE
 * when it is not pending or not due (someone else has it); NOTFOUND. */
int store_reminder_send_claim(struct store *s, int64_t user_id, int64_t id, int64_t now, int64_t lease_until);
/* Records an attempt on the user's record id: attempts + 1, state, error
 * (NULL: ""), next_at; sent_at = now when state is "sent". STALE when the
 * record is "sent" already (another process sent it). */
int store_reminder_send_record(struct store *s, int64_t user_id, int64_t id, const char *state, const char *error,
			       int64_t next_at, int64_t now);
/* The user's records, last changed first, at most limit (<= 0: 50; capped at
 * STORE_LIST_MAX). */
int store_reminder_send_list(struct store *s, int64_t user_id, int64_t limit, struct arena *a,
			     struct reminder_send **out, size_t *n);

/* ---- saved searches (per user) ---------------------------------------------
 *
 * A user's named postings searches (search/params.h: the query string) with
 * an e-mail alert period and two moments: when the user last looked at the
 * results ("new since you last looked" counts postings first seen after
 * it) and when the last alert digest went out. Every call but alerts_due is
 * scoped to the user: another user's saved search is STORE_NOTFOUND. Names
 * are unique per user (STORE_CONFLICT).
 * - insert: last_looked_at = now, last_alert_at = 0 (no digest yet).
 * - update: name, query and alert; changing the query also sets
 *   last_looked_at = now (the old counts meant another search), and
 *   turning an alert on (from none) sets last_alert_at = now: the first
 *   digest comes a period later with what is new since then, not with
 *   everything since the search was saved.
 * - list: by name, then id.
 * - alerts_due: every user's saved searches with an alert whose period has
 *   passed since last_alert_at (daily 86400 s, weekly 604800 s), by id, at
 *   most STORE_LIST_MAX. */
#define STORE_SAVED_SEARCH_NAME_MAX  120
#define STORE_SAVED_SEARCH_QUERY_MAX 2048
#define STORE_SAVED_SEARCH_DAY       86400
#define STORE_SAVED_SEARCH_WEEK      604800

struct saved_search {
	int64_t id, user_id;
	const char *name;
	const char *query; /* canonical query string, "q=rust&workplace=remote" */
	const char *alert; /* "none", "daily" or "weekly" */
	int64_t last_looked_at, last_alert_at, created_at, updated_at;
};

int store_saved_search_insert(struct store *s, int64_t user_id, struct saved_search *ss, int64_t now);
int store_saved_search_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct saved_search *out);
int store_saved_search_list(struct store *s, int64_t user_id, struct arena *a, struct saved_search **out, size_t *n);
int store_saved_search_update(struct store *s, int64_t user_id, const struct saved_search *ss, int64_t now);
int store_saved_search_delete(struct store *s, int64_t user_id, int64_t id);
/* The user opened its results: last_looked_at = now. */
int store_saved_search_looked(struct store *s, int64_t user_id, int64_t id, int64_t now);
int store_saved_search_alerts_due(struct store *s, int64_t now, struct arena *a, struct saved_search **out, size_t *n);
/* A digest went out (or was due with nothing in it): last_alert_at = at. */
int store_saved_search_alerted(struct store *s, int64_t user_id, int64_t id, int64_t at);

/* ---- postings (instance-wide: every user sees the same) ---------------------
 *
 * A canonical posting is one job however many sources list it; each listing
 * is a posting_source row, unique by (source adapter, external id), pointing
 * at its posting. Ingest calls store_posting_ingest once per scraped posting:
 * - a known (source, external_id) updates its row's last_seen; when its
 *   content_hash differs the row is UPDATED, and the canonical posting's
 *   fields are rewritten from it if this row is the best-ranked open listing
 *   of the posting (lower source_rank wins: an employer's own ATS before an
 *   aggregator). A closed row, or a closed posting, comes back REOPENED.
 * - an unknown one is MERGED into an open posting with the same
 *   canonical_key whose description is a near duplicate (simhash Hamming
 *   distance <= max_distance, or whatever in->pick chooses) and which has no
 *   listing from the same adapter yet; a better-ranked newcomer's fields then
 *   become the posting's.
 * - failing that, it is REPOSTED onto a posting with the same canonical_key
 *   and a near-duplicate description (the same rule) that either closed at
 *   most STORE_REPOST_WINDOW before seen_at (the employer took the job down
 *   and put it up again under a new id), or already has a listing, open or
 *   closed, from the same adapter (the same text under a new id: a re-listing
 *   or a bump to the top of the board). The posting keeps its id and
 *   first_seen, so everything users hung on it (hides, saves, applications)
 *   stays and no "new since" counts it again; it reopens, its reposted_at
 *   becomes seen_at, repost_count goes up by one, and the newcomer's fields
 *   become the posting's unless an open listing of it ranks strictly better
 *   (its date_posted, when stated, does then). Why a same-adapter
 *   near duplicate listed while the old one is still open is one job and not
 *   two openings: to the reader two identical ads are one job to apply to,
 *   boards bump by re-listing, and two postings would show the user who hid
 *   or applied to the first the same job again as new. Two openings stay two
 *   postings when their texts differ beyond max_distance (another team,
 *   other requirements), as they always did. A posting closed longer than the
 *   window ago is another hiring round: the newcomer is NEW.
 * - otherwise a NEW posting is made.
 * - all of it is one transaction, serialised with other ingests of the same
 *   (source, external_id) and the same canonical_key in every process, so
 *   two ingests of one listing at once make one posting.
 * A posting's version and updated_at move when its fields are rewritten, and
 * when it is closed or reopened; last_seen moves with every sighting.
 * store_posting_mark_missing closes listings a configured source stopped
 * showing, and a posting when its last open listing closes. Postings are
 * never deleted, and their ids never reused.
 * Ingesting the same listing twice (a message redelivered) is harmless —
 * UNCHANGED, and last_seen never moves back — so the store keeps no ingest
 * offsets: the bus keeps its own, and replaying from an older one is safe.
 *
 * Text fields are NULL when not known. Salaries are in currency units, 0
 * meaning "not stated" (an open end), as in scrape/posting.h; the yearly
 * figures are the caller's (normalize.h's salary_yearly), kept for filters. */
struct store_posting {
	int64_t id;
	int64_t version;
	const char *canonical_key; /* normalised "company|title|location": the near-duplicate bucket */
	uint64_t simhash;          /* of the description text */
	const char *title, *company;
	const char *location_raw, *locality, *region;
	const char *country;       /* ISO 3166-1 alpha-2 */
	const char *workplace;     /* "onsite" | "hybrid" | "remote" (workplace_name()) */
	unsigned employment_types; /* enum employment_type bits (scrape/posting.h); 0 = not known */
	double salary_min, salary_max;
	const char *salary_currency;                     /* ISO 4217 */
	const char *salary_period;                       /* "HOUR" … "YEAR" (salary_period_name()) */
	double salary_year_min, salary_year_max;         /* the same per year */
	const char *date_posted, *valid_through;         /* "YYYY-MM-DD" */
	const char *description_html, *description_text; /* NULL in listings: store_posting_get has them */
	const char *apply_url, *url;
	int source_rank; /* the rank of the listing whose fields these are */
	int64_t first_seen, last_seen;
	int64_t closed_at; /* 0 while open */
	int64_t created_at, updated_at;
	int64_t reposted_at;  /* the last repost's seen_at; 0 = never reposted */
	int64_t repost_count; /* reposts recognised (see above) */
};

/* One source's listing of a posting. */
struct posting_source {
	int64_t id, posting_id;
	const char *source;      /* adapter name: "greenhouse", "jsonld", … */
	const char *external_id; /* the source's id */
	int64_t source_id;       /* the configured source that last found it; 0 = none (an ad-hoc crawl) */
	const char *url, *apply_url;
	const char *content_hash; /* of the listing's normalised content: tells a change */
	int source_rank;
	int64_t first_seen, last_seen;
	int missing_runs;  /* complete runs of its source in a row that did not see it */
	int64_t closed_at; /* 0 while listed */
};

enum posting_change {
	POSTING_UNCHANGED, /* a known listing, content as before */
	POSTING_UPDATED,   /* a known listing whose content changed */
	POSTING_NEW,       /* a new listing of a new posting */
	POSTING_MERGED,    /* a new listing of a posting already known from elsewhere */
	POSTING_REOPENED,  /* a closed listing (or posting) listed again */
	POSTING_REPOSTED,  /* a new listing of a recently closed or re-listed posting */
};
#define POSTING_CHANGES 6 /* the number of enum posting_change values */

/* How long after a posting closed a new listing of it is still its repost. */
#define STORE_REPOST_WINDOW (90 * 86400)

/* A posting a new listing could be a duplicate of. */
struct posting_candidate {
	int64_t id;
	uint64_t simhash;
	int distance;    /* Hamming distance to the newcomer's simhash */
	int source_rank; /* its best open listing's */
	int64_t first_seen;
	int closed;      /* 1: closed (within STORE_REPOST_WINDOW) */
	int same_source; /* 1: it has a listing, open or closed, from the newcomer's adapter */
};
/* The oldest this many postings of a key (open ones first, then those
 * closed within STORE_REPOST_WINDOW) are considered. */
#define STORE_POSTING_CANDIDATES_MAX 100

struct posting_ingest {
	struct store_posting posting; /* the fields (id, version, source_rank, times, closed_at are ignored) */
	const char *source, *external_id;
	int64_t source_id;        /* 0 = none */
	const char *content_hash; /* required */
	int source_rank;          /* lower is preferred */
	int64_t seen_at;          /* also the time of any change this makes */
	int max_distance;         /* merge when the Hamming distance is at most this; < 0 never merges */
	/* Optional: chooses among candidates (oldest first) instead of
	 * max_distance; returns an index or -1 for "none". Called for the merge
	 * candidates and, when it chose none, again for the repost candidates.
	 * Runs inside the transaction: be quick, and do not call the store. */
	int (*pick)(const struct posting_candidate *c, size_t n, void *ctx);
	void *pick_ctx;
};

/* Files one scraped listing (see above). *change says what happened and
 * *posting_id (may be NULL) which posting it belongs to. On PostgreSQL,
 * several ingests inside one caller transaction may deadlock with another
 * process's: that is STORE_BUSY, and the caller retries. */
int store_posting_ingest(struct store *s, const struct posting_ingest *in, enum posting_change *change,
			 int64_t *posting_id);

struct missing_counts {
	int64_t missed;          /* open listings not seen (missing_runs + 1) */
	int64_t closed;          /* of those, listings closed by this call */
	int64_t postings_closed; /* postings left with no open listing, closed */
};
/* After a complete run of configured source source_id that started at
 * run_started_at: each of its open listings last seen before then counts
 * one more missing run, and closes (closed_at = now) on reaching
 * max_missing (>= 1); a posting closes when none of its listings is open. */
int store_posting_mark_missing(struct store *s, int64_t source_id, int64_t run_started_at, int max_missing, int64_t now,
			       struct missing_counts *out);

/* Keyset pagination: a page continues after the last posting of the one
 * before, so postings ingested meanwhile neither repeat nor shift rows. */
struct posting_cursor {
	int64_t first_seen, id; /* id 0: from the newest */
};
struct posting_filter {
	int include_closed;
	int64_t limit; /* <= 0 means 50, capped at STORE_LIST_MAX */
	struct posting_cursor after;
};
/* Postings newest first (first_seen, then id), without their descriptions.
 * *next is where the following page starts, id 0 when this is the last. */
int store_posting_list(struct store *s, const struct posting_filter *f, struct arena *a, struct store_posting **out,
		       size_t *n, struct posting_cursor *next);
/* How many postings the filter's pages hold in all (the cursor is ignored). */
int store_posting_count(struct store *s, const struct posting_filter *f, int64_t *count);
/* For an index kept in step with the store (search/service.h): postings open
 * and closed, with description_text (description_html is NULL), whose
 * (updated_at, id) comes after (since, after_id), in that order ascending,
 * at most limit (<= 0: 50; capped at STORE_LIST_MAX). Every change of a
 * posting (fields, closing, reopening) moves its updated_at, never back. */
int store_posting_changed(struct store *s, int64_t since, int64_t after_id, int64_t limit, struct arena *a,
			  struct store_posting **out, size_t *n);
/* One posting with every field, and its listings (best rank first; sources
 * and n may be NULL when not wanted). */
int store_posting_get(struct store *s, int64_t id, struct arena *a, struct store_posting *out,
		      struct posting_source **sources, size_t *n);

/* A posting's listings alone, as store_posting_get gives them (best rank
 * first): for listings of postings, without their descriptions. An unknown
 * posting has none. */
int store_posting_sources(struct store *s, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n);

/* The listings of several postings (a page of store_posting_list) in one
 * query instead of one per posting. (*groups)[i] holds ids[i]'s listings
 * as store_posting_sources gives them (none for an unknown posting; an id
 * given twice gets them twice). n is at most STORE_SOURCES_OF_MAX ids
 * (more is STORE_ERROR), and at most STORE_LIST_MAX listings come back in
 * all: a posting past that point gets none. */
#define STORE_SOURCES_OF_MAX 1000
struct posting_source_group {
	const struct posting_source *items;
	size_t n;
};
int store_posting_sources_of(struct store *s, const int64_t *ids, size_t n, struct arena *a,
			     struct posting_source_group **groups);

/* Several postings with every field, in one query instead of one per
 * posting (a page of search hits). (*out)[i] is ids[i]'s posting, id 0 when
 * there is none; (*sources)[i] its listings as store_posting_get gives them
 * (sources may be NULL when not wanted). n is at most STORE_SOURCES_OF_MAX
 * (more is STORE_ERROR). */
int store_posting_get_many(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct store_posting **out,
			   struct posting_source_group **sources);

/* ---- hidden postings and blocked companies (per user) ------------------------
 *
 * What a user hid stays out of that user's search results (search/index.h
 * filters it): one posting, or every posting of a company. Companies are
 * matched by key, the name with ASCII letters lower-cased and outer space
 * trimmed (store_company_key), the way the search index compares company
 * names; the name is kept as the user first blocked it, for showing.
 * Every call is scoped to the user. */
#define STORE_HIDDEN_MAX      5000 /* items of each kind one user may hide */
#define STORE_COMPANY_KEY_MAX 200  /* bytes of a blocked company's name */

struct hidden_posting {
	int64_t posting_id;
	const char *title, *company; /* the posting's, NULL when not known */
	int64_t created_at;
};
struct blocked_company {
	const char *company_key, *company;
	int64_t created_at;
};
struct store_hidden {
	struct hidden_posting *postings; /* by posting id, ascending */
	size_t npostings;
	struct blocked_company *companies; /* by company_key */
	size_t ncompanies;
};

/* The key of a company name into out (size >= STORE_COMPANY_KEY_MAX + 1):
 * 0, or -1 when it is empty or longer than STORE_COMPANY_KEY_MAX bytes. */
int store_company_key(const char *company, char *out);

/* Hides the posting for the user (again is fine: 0). NOTFOUND: no such
 * posting. CONFLICT: the user has STORE_HIDDEN_MAX hidden already. */
int store_posting_hide(struct store *s, int64_t user_id, int64_t posting_id, int64_t now);
/* NOTFOUND when the user had not hidden it. */
int store_posting_unhide(struct store *s, int64_t user_id, int64_t posting_id);
/* Blocks the company (by its key; again is fine, the first name stays).
 * STORE_ERROR for a name store_company_key refuses. CONFLICT: the user has
 * STORE_HIDDEN_MAX blocked already. */
int store_company_block(struct store *s, int64_t user_id, const char *company, int64_t now);
/* NOTFOUND when the user had not blocked it. */
int store_company_unblock(struct store *s, int64_t user_id, const char *company);
/* Everything the user hid, into a. */
int store_hidden_list(struct store *s, int64_t user_id, struct arena *a, struct store_hidden *out);
/* The posting that a listing (source adapter, external id) belongs to, in
 * *posting_id: how a backup finds a hidden posting on another instance.
 * NOTFOUND when this instance has no such listing. */
int store_posting_by_listing(struct store *s, const char *source, const char *external_id, int64_t *posting_id);
/* ---- postings' cached scan terms (instance-wide) -----------------------------
 *
 * What the resume scanner read from a posting (src/scan/terms_codec.h: its
 * skills, keywords, title, degree and years asked), kept so that ranking
 * every open posting for a resume does not read every description again.
 * A row holds the bytes for one posting, stamped with the taxonomy they
 * were read with (scan_ranker's key) and the posting's version then: a
 * posting whose text is rewritten moves its version, and a new taxonomy has
 * a new key, so either makes the row stale, and stale rows are neither
 * returned by _page nor skipped by _todo. The store never reads the bytes.
 * - put: writes (or replaces) the posting's row; NOTFOUND for no posting.
 * - todo: open postings with no current row, id > after_id, by id, with
 *   the text to read them from; for backfills, in pages.
 * - page: the current rows of open postings, id > after_id, by id.
 * - count: open postings, and those with a current row. */
struct posting_terms {
	int64_t posting_id;
	const void *data; /* in the caller's arena */
	size_t len;
};

struct posting_terms_todo {
	int64_t posting_id, version;
	const char *title, *description_text; /* NULL: none */
};

int store_posting_terms_put(struct store *s, int64_t posting_id, int64_t version, const char *taxonomy,
			    const void *data, size_t len, int64_t now);
int store_posting_terms_todo(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
			     struct posting_terms_todo **out, size_t *n);
int store_posting_terms_page(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
			     struct posting_terms **out, size_t *n);
int store_posting_terms_count(struct store *s, const char *taxonomy, int64_t *open, int64_t *cached);

/* ---- configured sources (administrators') ------------------------------------ */

/* A board or site scraped on a schedule. Names are unique (bytes compared
 * as they are). version counts administrators' edits only: blocked_until and
 * last_run_id are the scraper's, and moving them is not an edit. */
struct scrape_source {
	int64_t id, version;
	const char *name;
	const char *kind;     /* adapter name */
	const char *target;   /* board token or URL */
	const char *config;   /* JSON object text: delay, proxy, selectors, … ("{}" when NULL) */
	const char *schedule; /* "every 6h", a cron expression, or "" for by hand */
	int enabled;
	int64_t created_at, updated_at;
	int64_t blocked_until; /* 0 = not blocked */
	int64_t last_run_id;   /* 0 = never ran */
};

/* Fills in id, version 1, created_at = updated_at = now. CONFLICT: the name
 * is taken. */
int store_source_insert(struct store *s, struct scrape_source *src, int64_t now);
int store_source_get(struct store *s, int64_t id, struct arena *a, struct scrape_source *out);
int store_source_by_name(struct store *s, const char *name, struct arena *a, struct scrape_source *out);
/* Every source, by name. */
int store_source_list(struct store *s, struct arena *a, struct scrape_source **out, size_t *n);
/* Rewrites name, kind, target, config, schedule and enabled of src->id,
 * updated_at = now, version + 1 (src->version and updated_at get the new
 * ones). expected_version 0 does not check; else STALE when it differs.
 * CONFLICT: the new name is taken. */
int store_source_update(struct store *s, struct scrape_source *src, int64_t expected_version, int64_t now);
/* Removes it and its runs; its postings' listings stay (source_id 0). */
int store_source_delete(struct store *s, int64_t id, int64_t expected_version);
/* The scraper backs off a source until then (0: no longer). */
int store_source_set_blocked(struct store *s, int64_t id, int64_t blocked_until);

/* ---- scrape runs (administrators') --------------------------------------------- */

struct run_counts {
	int64_t pages, bytes;                /* fetched */
	int64_t found, new, updated, closed; /* postings, by enum posting_change and mark_missing */
	int64_t errors;
	int64_t blocked; /* of the errors, requests the source answered with a block (403/429/999, …) */
};

/* status: "running", then one of "ok", "partial" (some requests failed, but
 * postings were found), "failed", "blocked", "cancelled" — or "crashed" when
 * its process stopped sending heartbeats or is gone. A run was blocked at
 * some point when counts.blocked > 0, whatever its status. */
struct scrape_run {
	int64_t id;
	int64_t source_id;               /* 0 = no configured source (a --seed crawl) */
	int64_t started_at, finished_at; /* finished_at 0 while running */
	const char *status;
	struct run_counts counts;
	const char *message;
	int64_t heartbeat_at;
	const char *owner_host; /* the host name of the process that started it ("" = not known) */
	int64_t owner_pid;      /* and its process id (0 = not known) */
};

/* Starts a run of source_id (0: a seed crawl, never refused) at now. Runs of
 * one source never overlap, in any number of processes: a running run whose
 * heartbeat_at >= stale_before makes this CONFLICT (with *out that run, and
 * its owner); an older one is marked crashed first. The run records the
 * calling process as its owner (host name and pid), so that another process
 * on the same host can tell when it is gone (store_run_crash). Sets the
 * source's last_run_id. NOTFOUND when there is no such source. */
int store_run_start(struct store *s, int64_t source_id, int64_t now, int64_t stale_before, struct arena *a,
		    struct scrape_run *out);
/* Marks running run id crashed, finished at its last heartbeat, with
 * message (NULL: the usual one): its owner is known to be gone, whatever
 * its heartbeat says. STALE when it is not running; NOTFOUND. */
int store_run_crash(struct store *s, int64_t id, const char *message);
/* The calling process as a run's owner: its host name ("" when unknown). */
const char *store_run_owner_host(void);
/* Writes the counters and heartbeat_at = now. STALE when the run is no
 * longer running (it was marked crashed: its process should stop). */
int store_run_progress(struct store *s, int64_t id, const struct run_counts *counts, int64_t now);
/* Ends a running run with status ("ok", "partial", "failed", "blocked", "cancelled"),
 * the counters (NULL keeps them) and message (NULL: ""). STALE when it is
 * not running. */
int store_run_finish(struct store *s, int64_t id, const char *status, const struct run_counts *counts,
		     const char *message, int64_t now);
int store_run_get(struct store *s, int64_t id, struct arena *a, struct scrape_run *out);
/* A source's runs (source_id 0: every run), newest first, at most limit
 * (<= 0 means 50, capped at STORE_LIST_MAX). */
int store_run_list(struct store *s, int64_t source_id, int64_t limit, struct arena *a, struct scrape_run **out,
		   size_t *n);
/* Marks every running run whose heartbeat_at < stale_before crashed
 * (finished at its last heartbeat), e.g. at start-up; *count (may be NULL)
 * gets how many. */
int store_runs_mark_crashed(struct store *s, int64_t stale_before, int64_t *count);

/* ---- copying an instance ----------------------------------------------------- */

/* Copies every row of every table of src into dst, whose schema must be at
 * the same version and whose copied tables must all be empty (else
 * STORE_CONFLICT, err naming the first table with rows): ids, timestamps, row versions and
 * the counters that keep ids from being reused come along. Two things do not:
 * the log-in attempt counters (minutes old at most, meaningless elsewhere),
 * and users' data_version, a cache counter that dst's own bookkeeping moves
 * while the rows go in (it ends different, which is all caches need).
 * progress (may be NULL) is told each table's name and row count as it is
 * done. One transaction on dst, so a failed copy leaves dst empty. */
int store_copy(struct store *src, struct store *dst, void (*progress)(const char *table, int64_t rows, void *ctx),
	       void *ctx, char *err, size_t errlen);

#endif

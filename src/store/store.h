/* store — everything jobtrack keeps, behind one interface.
 *
 * No SQL lives outside src/store/. Callers name the backend only through a
 * URL given to store_open() ("sqlite:PATH" today; "postgres://…" is the next
 * backend and slots in here without any caller changing).
 *
 * Ownership: every call that reads user data takes the user's id and only
 * ever sees that user's rows — there is no call that reads an application,
 * event, contact or token without it. Strings in results are allocated from
 * the arena the caller passes and live as long as it does. Each call that a
 * user sees as one action (create an application and its first timeline
 * event, change a status and record it, import a CSV) is one transaction.
 *
 * Thread safety: a store may be used from many threads at once; each thread
 * gets its own connection.
 *
 * Errors: 0 on success, or a negative enum store_err.
 */
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
	STORE_BUSY = -4,     /* the database stayed locked past the timeout */
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
	int64_t data_version; /* changes with any change to the user's tracker data */
};

struct application {
	int64_t id;
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
};

struct app_event {
	int64_t id, app_id;
	char *kind;                    /* "created" | "status_change" | "interview" | "note" | "follow_up" */
	int64_t at;                    /* when it happened (or will: interviews, follow-ups) */
	char *from_status, *to_status; /* status_change only, else NULL */
	char *title, *body, *interview_kind, *with_whom;
	int64_t created_at;
	int tz_offset_min; /* input only: the writer's UTC offset, for the follow-up's calendar day */
};

struct contact {
	int64_t id;
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
	const char *tag;    /* NULL = any */
	const char *q;      /* NULL = any; substring of company, position, location, notes */
	enum app_sort sort;
	int64_t limit; /* rows per page */
	int64_t offset;
};

/* Opens (creating if needed) the store at url and runs pending migrations.
 * err receives a message fit for a person. */
int store_open(const char *url, struct store **out, char *err, size_t errlen);
/* Opens without migrating (for `jobtrack migrate --status`). */
int store_open_nomigrate(const char *url, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
/* Applies pending migrations; from and to get the versions before and after. */
int store_migrate(struct store *s, int *from, int *to);
int store_schema_version(struct store *s, int *version, int *latest);
/* A cheap round trip, for /healthz. */
int store_ping(struct store *s);

/* Instance settings (e.g. "signup_open"). value gets "" when unset. */
int store_setting_get(struct store *s, const char *key, char *value, size_t valuelen);
int store_setting_set(struct store *s, const char *key, const char *value);

/* Users. The first user ever created becomes admin (decided inside the
 * insert's transaction, so two racing sign-ups cannot both win). */
int store_user_create(struct store *s, const char *email, const char *password_hash, struct user *out);
int store_user_by_email(struct store *s, const char *email, struct user *out);
int store_user_by_id(struct store *s, int64_t id, struct user *out);
int store_user_count(struct store *s, int64_t *count);
/* Calls fn for each user in id order. */
int store_user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx);
/* Sets the hash, bumps token_version (old JWTs die) and ends every session
 * except keep_session (NULL: end them all). */
int store_user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep_session[32]);
int store_user_set_admin(struct store *s, int64_t id, int is_admin);

/* Browser sessions, known only by the SHA-256 of their token. */
int store_session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t expires_at,
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
/* Finds the live token's user and notes the use. */
int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out);
int store_token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n);
int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id);

/* Applications. create/update fill in ids and timestamps of *app. */
int store_app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		   struct application **out, size_t *n, int64_t *total);
int store_app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out);
/* Inserts the application and its "created" timeline event. */
int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now);
/* Replaces every field; when the status changed, records a status_change
 * event (from the stored status, read inside the transaction). */
int store_app_update(struct store *s, int64_t user_id, struct application *app, int64_t now);
int store_app_delete(struct store *s, int64_t user_id, int64_t id);
/* Stores all of apps[0..n) in one transaction, all or nothing: those with
 * id > 0 update that application of the user (as store_app_update), the
 * others are inserted. */
int store_app_import(struct store *s, int64_t user_id, struct application *apps, size_t n, int64_t now);
/* Per-status counts, in tracker status order, for the board and list. */
int store_app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			      int64_t *counts);

/* Timeline events of one application (newest first). */
int store_event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		     size_t *n);
/* Adds a timeline entry. A "follow_up" for today or later becomes the
 * application's follow_up_on unless an earlier one is still ahead; one in
 * the past clears a follow_up_on due by then (the follow-up happened). */
int store_event_create(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
/* One timeline entry of one of the user's applications. */
int store_event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		    struct app_event *out);
/* Rewrites a note, interview or follow-up (kind, at, title, body,
 * interview_kind, with_whom); status changes and "created" are history and
 * give STORE_NOTFOUND. Follow-ups move the follow-up date as on create:
 * the date the entry set before is taken back first (when the application
 * still has it), so a follow-up moved into the past or made a note leaves
 * no stale date behind. */
int store_event_update(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
/* The user's interviews with from <= at < to, soonest first (at most 100). */
int store_interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			     struct app_event **out, size_t *n);
/* Removes a timeline entry; a follow-up takes back the follow-up date it set
 * (when the application still has it). */
int store_event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id);

/* Contacts belong to a user and link to any number of their applications. */
int store_contact_list(struct store *s, int64_t user_id, int64_t app_id /* 0 = all */, struct arena *a,
		       struct contact **out, size_t *n);
int store_contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out);
/* Creates the contact and, when link_app_id > 0, links it — one transaction. */
int store_contact_create(struct store *s, int64_t user_id, struct contact *c, int64_t link_app_id, int64_t now);
int store_contact_update(struct store *s, int64_t user_id, struct contact *c, int64_t now);
int store_contact_delete(struct store *s, int64_t user_id, int64_t id);
int store_contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);
int store_contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);

#endif

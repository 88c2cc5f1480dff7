/* backend — what a storage backend implements (store-internal).
 *
 * store.c parses the URL, asks the backend whose scheme matches to open it,
 * and from then on forwards every store_* call to the backend's operations.
 * A backend is a folder (src/store/sqlite/, src/store/postgres/) with one
 * file per concern; each concern file fills in its group of operations
 * below, and the backend's open function returns a struct store whose ops
 * point at them. The semantics every operation must have are written in
 * store.h; tests/unit/test_store.c checks them on every backend.
 *
 * Adding a backend: write src/store/NAME/ with an open function of type
 * backend_open_fn and the operation groups, add its scheme to the
 * table in store.c, and run the contract suite against a URL of it. */
#ifndef JT_STORE_BACKEND_H
#define JT_STORE_BACKEND_H

#include "store/store.h"

/* Columns of one row of a table, for store_copy: every value is either NULL,
 * an integer or text (bytes with a length: hashes are text of 32 bytes). */
enum copy_type { COPY_NULL, COPY_INT, COPY_TEXT, COPY_BLOB };
struct copy_value {
	enum copy_type type;
	int64_t i;
	const char *text; /* COPY_TEXT, COPY_BLOB */
	size_t len;
};
#define COPY_MAX_COLUMNS 32

/* The tables store_copy moves, in an order that satisfies foreign keys, with
 * their columns. Both backends name tables and columns alike. */
struct copy_table {
	const char *name;
	const char *columns; /* "id, user_id, …" */
	int n_columns;
	int has_id_sequence; /* ids come from a counter that must come along */
};
extern const struct copy_table store_copy_tables[];
extern const size_t store_copy_n_tables;

/* store_set_timeouts' values, for the backends' connections. */
long store_lock_timeout_ms(void);
long store_statement_timeout_ms(void);

struct store_core_ops {
	void (*close)(struct store *s);
	int (*migrate)(struct store *s, int *from, int *to);
	int (*schema_version)(struct store *s, int *version, int *latest);
	int (*ping)(struct store *s);
	int (*read_only)(struct store *s);
	int (*tx_begin)(struct store *s, int64_t user_id);
	/* A read-only transaction whose reads all see one moment (store_copy's source). */
	int (*tx_begin_snapshot)(struct store *s);
	int (*tx_end)(struct store *s, int rc);
	/* store_copy: calls row() for every row of t (in id order where there is
	 * one); values live until row() returns. */
	int (*copy_read)(struct store *s, const struct copy_table *t,
			 int (*row)(const struct copy_value *values, void *ctx), void *ctx);
	/* *has = 1 when t has a row (store_copy's target must be empty). */
	int (*copy_has_rows)(struct store *s, const struct copy_table *t, int *has);
	/* Inserts one row into t inside the caller's transaction; a failure is
	 * logged with the database's message. */
	int (*copy_write)(struct store *s, const struct copy_table *t, const struct copy_value *values);
	/* The id counter of t: the highest id ever handed out (0 if none). */
	int (*copy_id_counter)(struct store *s, const struct copy_table *t, int64_t *value);
	int (*copy_set_id_counter)(struct store *s, const struct copy_table *t, int64_t value);
};

struct store_settings_ops {
	int (*setting_get)(struct store *s, const char *key, char *value, size_t valuelen);
	int (*setting_set)(struct store *s, const char *key, const char *value);
	int (*limit_hit)(struct store *s, const char *key, int64_t limit, int64_t window, int64_t now, int64_t *count,
			 int64_t *window_end);
	int (*limit_peek)(struct store *s, const char *key, int64_t window, int64_t now, int64_t *count);
	int (*limit_reset)(struct store *s, const char *key);
	int (*login_address_add)(struct store *s, int64_t user_id, const char *address, int64_t now, int64_t keep);
	int (*login_address_known)(struct store *s, int64_t user_id, const char *address, int64_t since, int *known);
};

struct store_account_ops {
	int (*user_create)(struct store *s, const char *email, const char *password_hash, int64_t now,
			   struct user *out);
	int (*user_by_email)(struct store *s, const char *email, struct user *out);
	int (*user_by_id)(struct store *s, int64_t id, struct user *out);
	int (*user_count)(struct store *s, int64_t *count);
	int (*user_each)(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx);
	int (*user_set_password)(struct store *s, int64_t id, const char *password_hash, const uint8_t keep[32],
				 int64_t now);
	int (*user_set_admin)(struct store *s, int64_t id, int is_admin, int64_t now);
	int (*session_create)(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			      const char *user_agent, const char *address);
	int (*session_user)(struct store *s, const uint8_t hash[32], int64_t now, struct user *out);
	int (*session_delete)(struct store *s, const uint8_t hash[32]);
	int (*session_list)(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
			    struct session_info **out, size_t *n);
	int (*session_revoke)(struct store *s, int64_t user_id, int64_t session_id);
	int (*sessions_end_others)(struct store *s, int64_t user_id, const uint8_t keep[32]);
	int (*token_create)(struct store *s, int64_t user_id, const char *name, const char *prefix,
			    const uint8_t hash[32], int64_t now, int64_t *id);
	int (*token_user)(struct store *s, const uint8_t hash[32], int64_t now, struct user *out);
	int (*token_list)(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n);
	int (*token_revoke)(struct store *s, int64_t user_id, int64_t token_id, int64_t now);
	int (*calendar_feed_set)(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now);
	int (*calendar_feed_get)(struct store *s, int64_t user_id, int64_t *created_at);
	int (*calendar_feed_user)(struct store *s, const uint8_t hash[32], struct user *out);
	int (*calendar_feed_delete)(struct store *s, int64_t user_id);
};

struct store_app_ops {
	int (*list)(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		    struct application **out, size_t *n, int64_t *total);
	int (*get)(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out);
	int (*insert)(struct store *s, int64_t user_id, struct application *app, int64_t now);
	int (*create)(struct store *s, int64_t user_id, struct application *app, int64_t now);
	int (*update)(struct store *s, int64_t user_id, struct application *app, unsigned fields, int64_t now);
	int (*touch)(struct store *s, int64_t user_id, int64_t id, int64_t now);
	int (*delete)(struct store *s, int64_t user_id, int64_t id);
	int (*count_by_status)(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			       int64_t *counts);
	int (*brief)(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n);
	int (*set_posting)(struct store *s, int64_t user_id, int64_t app_id, int64_t posting_id, int64_t now);
	int (*by_posting)(struct store *s, int64_t user_id, int64_t posting_id, struct arena *a,
			  struct application *out);
	int (*restore_times)(struct store *s, int64_t user_id, enum store_restore_kind kind, int64_t id,
			     int64_t updated_at, int64_t status_changed_at);
};

struct store_event_ops {
	int (*list)(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		    size_t *n);
	int (*get)(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		   struct app_event *out);
	int (*insert)(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
	int (*update)(struct store *s, int64_t user_id, struct app_event *ev);
	int (*delete)(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id);
	int (*interviews_between)(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
				  struct app_event **out, size_t *n);
	int (*history)(struct store *s, int64_t user_id, struct arena *a, struct app_event **out, size_t *n);
};

struct store_contact_ops {
	int (*list)(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out, size_t *n);
	int (*get)(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out);
	int (*insert)(struct store *s, int64_t user_id, struct contact *c, int64_t now);
	int (*update)(struct store *s, int64_t user_id, struct contact *c, int64_t now);
	int (*delete)(struct store *s, int64_t user_id, int64_t id);
	int (*link)(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);
	int (*unlink)(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id);
};

struct store_resume_ops {
	int (*insert)(struct store *s, int64_t user_id, struct store_resume *r, int64_t now);
	int (*get)(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_resume *out);
	int (*get_default)(struct store *s, int64_t user_id, struct arena *a, struct store_resume *out);
	int (*list)(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n);
	int (*set_default)(struct store *s, int64_t user_id, int64_t id, int64_t now);
	int (*rename)(struct store *s, int64_t user_id, int64_t id, const char *name, int64_t now);
	int (*delete)(struct store *s, int64_t user_id, int64_t id);
	int (*set_file)(struct store *s, int64_t user_id, int64_t id, const char *type, int64_t size,
			const char *blob_key, int64_t now);
};

struct store_scan_ops {
	int (*insert)(struct store *s, int64_t user_id, struct store_scan *scan, int64_t now);
	int (*get)(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_scan *out);
	int (*list)(struct store *s, int64_t user_id, int64_t resume_id, int64_t posting_id, int64_t limit,
		    struct arena *a, struct store_scan **out, size_t *n);
	int (*previous)(struct store *s, int64_t user_id, int64_t resume_id, const char *job_key, int64_t before_id,
			struct arena *a, struct store_scan *out);
	int (*delete)(struct store *s, int64_t user_id, int64_t id);
};

struct store_saved_search_ops {
	int (*insert)(struct store *s, int64_t user_id, struct saved_search *ss, int64_t now);
	int (*get)(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct saved_search *out);
	int (*list)(struct store *s, int64_t user_id, struct arena *a, struct saved_search **out, size_t *n);
	int (*update)(struct store *s, int64_t user_id, const struct saved_search *ss, int64_t now);
	int (*delete)(struct store *s, int64_t user_id, int64_t id);
	int (*looked)(struct store *s, int64_t user_id, int64_t id, int64_t now);
	int (*alerts_due)(struct store *s, int64_t now, struct arena *a, struct saved_search **out, size_t *n);
	int (*alerted)(struct store *s, int64_t user_id, int64_t id, int64_t at);
};
struct store_posting_ops {
	int (*ingest)(struct store *s, const struct posting_ingest *in, enum posting_change *change,
		      int64_t *posting_id);
	int (*mark_missing)(struct store *s, int64_t source_id, int64_t run_started_at, int max_missing, int64_t now,
			    struct missing_counts *out);
	int (*list)(struct store *s, const struct posting_filter *f, struct arena *a, struct store_posting **out,
		    size_t *n, struct posting_cursor *next);
	int (*count)(struct store *s, const struct posting_filter *f, int64_t *count);
	int (*changed)(struct store *s, int64_t since, int64_t after_id, int64_t limit, struct arena *a,
		       struct store_posting **out, size_t *n);
	int (*get)(struct store *s, int64_t id, struct arena *a, struct store_posting *out,
		   struct posting_source **sources, size_t *n);
	int (*sources)(struct store *s, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n);
	/* The listings of every posting in ids (n >= 1), ordered by posting_id,
	 * then as sources orders them, at most STORE_LIST_MAX rows. */
	int (*sources_of)(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct posting_source **out,
			  size_t *n_out);
	/* Every field of the postings in ids (n >= 1) that exist, ordered by id. */
	int (*get_many)(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct store_posting **out,
			size_t *n_out);
};

/* Hidden postings and blocked companies; company_key is store_company_key's. */
struct store_hidden_ops {
	int (*hide)(struct store *s, int64_t user_id, int64_t posting_id, int64_t now);
	int (*unhide)(struct store *s, int64_t user_id, int64_t posting_id);
	int (*block)(struct store *s, int64_t user_id, const char *company_key, const char *company, int64_t now);
	int (*unblock)(struct store *s, int64_t user_id, const char *company_key);
	int (*list)(struct store *s, int64_t user_id, struct arena *a, struct store_hidden *out);
	int (*by_listing)(struct store *s, const char *source, const char *external_id, int64_t *posting_id);
};

struct store_posting_terms_ops {
	int (*put)(struct store *s, int64_t posting_id, int64_t version, const char *taxonomy, const void *data,
		   size_t len, int64_t now);
	int (*todo)(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
		    struct posting_terms_todo **out, size_t *n);
	int (*page)(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
		    struct posting_terms **out, size_t *n);
	int (*count)(struct store *s, const char *taxonomy, int64_t *open, int64_t *cached);
};

struct store_source_ops {
	int (*insert)(struct store *s, struct scrape_source *src, int64_t now);
	int (*get)(struct store *s, int64_t id, struct arena *a, struct scrape_source *out);
	int (*by_name)(struct store *s, const char *name, struct arena *a, struct scrape_source *out);
	int (*list)(struct store *s, struct arena *a, struct scrape_source **out, size_t *n);
	int (*update)(struct store *s, struct scrape_source *src, int64_t expected_version, int64_t now);
	int (*delete)(struct store *s, int64_t id, int64_t expected_version);
	int (*set_blocked)(struct store *s, int64_t id, int64_t blocked_until);
};

struct store_run_ops {
	/* owner_host, owner_pid: the calling process, recorded on the run. */
	int (*start)(struct store *s, int64_t source_id, int64_t now, int64_t stale_before, const char *owner_host,
		     int64_t owner_pid, struct arena *a, struct scrape_run *out);
	int (*crash)(struct store *s, int64_t id, const char *message);
	int (*progress)(struct store *s, int64_t id, const struct run_counts *counts, int64_t now);
	int (*finish)(struct store *s, int64_t id, const char *status, const struct run_counts *counts,
		      const char *message, int64_t now);
	int (*get)(struct store *s, int64_t id, struct arena *a, struct scrape_run *out);
	int (*list)(struct store *s, int64_t source_id, int64_t limit, struct arena *a, struct scrape_run **out,
		    size_t *n);
	int (*mark_crashed)(struct store *s, int64_t stale_before, int64_t *count);
};

struct store_notify_ops {
	int (*settings_get)(struct store *s, int64_t user_id, struct arena *a, struct notify_settings *out);
	int (*settings_set)(struct store *s, int64_t user_id, const struct notify_settings *in, int64_t now);
	int (*follow_up_rows)(struct store *s, int64_t user_id, struct arena *a, struct follow_up_row **out, size_t *n);
	int (*follow_up_mute)(struct store *s, int64_t user_id, int64_t app_id, int muted);
	int (*follow_up_muted)(struct store *s, int64_t user_id, struct arena *a, int64_t **app_ids, size_t *n);
	int (*send_open)(struct store *s, int64_t user_id, int64_t app_id, const char *due_on, const char *channel,
			 int64_t now, struct arena *a, struct reminder_send *out);
	int (*send_claim)(struct store *s, int64_t user_id, int64_t id, int64_t now, int64_t lease_until);
	int (*send_record)(struct store *s, int64_t user_id, int64_t id, const char *state, const char *error,
			   int64_t next_at, int64_t now);
	int (*send_list)(struct store *s, int64_t user_id, int64_t limit, struct arena *a, struct reminder_send **out,
			 size_t *n);
};

/* The head of every backend's store: backends embed it first and cast. */
struct store {
	const char *backend; /* "sqlite", "postgres" */
	const struct store_core_ops *core;
	const struct store_settings_ops *settings;
	const struct store_account_ops *accounts;
	const struct store_app_ops *apps;
	const struct store_event_ops *events;
	const struct store_contact_ops *contacts;
	const struct store_posting_ops *postings;
	const struct store_source_ops *sources;
	const struct store_run_ops *runs;
	const struct store_resume_ops *resumes;
	const struct store_hidden_ops *hidden;
	const struct store_notify_ops *notify;
	const struct store_scan_ops *scans;
	const struct store_posting_terms_ops *posting_terms;
	const struct store_saved_search_ops *saved_searches;
};

/* A backend's open: url is the whole URL (the backend parses its own part).
 * It connects and checks what it can; store.c runs the migrations. */
typedef int (*backend_open_fn)(const char *url, struct store **out, char *err, size_t errlen);

int sqlite_store_open(const char *url, struct store **out, char *err, size_t errlen);
int postgres_store_open(const char *url, struct store **out, char *err, size_t errlen);

#endif

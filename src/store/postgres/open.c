/* open.c — opening and closing a PostgreSQL store, and its health check. */
#include "store/postgres/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/listcache.h"

/* "host=… port=… db=… user=…" from what the URL names, for messages a person
 * reads; the password is never among them. */
static int describe_url(const char *url, char *where, size_t len, char *err, size_t errlen)
{
	char *parse_err = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &parse_err);
	if (!opts) {
		/* libpq quotes the piece it could not read, which may be (part
		 * of) the password: its words are kept, the quoted piece never. */
		char msg[256];
		pg_one_line(parse_err ? parse_err : "out of memory", msg, sizeof(msg));
		msg[strcspn(msg, "\"")] = '\0';
		for (size_t n = strlen(msg); n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == ':'); n--)
			msg[n - 1] = '\0';
		snprintf(err, errlen,
			 "invalid PostgreSQL URL (%s; the URL is not shown, it may hold a password): write it as "
			 "postgres://USER:PASSWORD@HOST:PORT/DB, with %% written as %%25 and other special characters "
			 "%%-encoded",
			 msg);
		PQfreemem(parse_err);
		return STORE_ERROR;
	}
	static const struct {
		const char *keyword, *label;
	} shown[] = { { "host", "host" }, { "port", "port" }, { "dbname", "db" }, { "user", "user" } };
	struct buf b;
	buf_init(&b, len > 0 ? len - 1 : 0);
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (strcmp(o->keyword, shown[i].keyword) == 0 && o->val && *o->val)
				buf_printf(&b, "%s%s=%s", b.len ? " " : "", shown[i].label, o->val);
	snprintf(where, len, "%s", b.len && !buf_failed(&b) ? b.data : "libpq defaults");
	buf_free(&b);
	PQconninfoFree(opts);
	return 0;
}

static void pg_close(struct store *s)
{
	struct pg_store *ps = pg_store_of(s);
	pg_cache_stop(ps);
	list_cache_free(ps->lists);
	pg_conns_close(ps);
	pthread_key_delete(ps->key);
	pthread_mutex_destroy(&ps->mu);
	free(ps->url);
	free(ps);
}

/* A round trip; pg_exec resets a dropped connection first, so this is also
 * how health comes back after the database restarts. */
static int pg_ping(struct store *s)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	pg_refresh_read_only(c);
	return pg_exec_done(c, "SELECT 1", NULL);
}

static int pg_read_only(struct store *s)
{
	return __atomic_load_n(&pg_store_of(s)->read_only, __ATOMIC_RELAXED);
}

static const struct store_core_ops core_ops = {
	.close = pg_close,
	.migrate = pg_migrate,
	.schema_version = pg_schema_version,
	.ping = pg_ping,
	.read_only = pg_read_only,
	.tx_begin = pg_store_tx_begin,
	.tx_begin_snapshot = pg_store_tx_begin_snapshot,
	.tx_end = pg_store_tx_end,
	.copy_read = pg_copy_read,
	.copy_has_rows = pg_copy_has_rows,
	.copy_write = pg_copy_write,
	.copy_id_counter = pg_copy_id_counter,
	.copy_set_id_counter = pg_copy_set_id_counter,
};

int postgres_store_open(const char *url, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	struct pg_store *ps = calloc(1, sizeof(*ps));
	if (!ps || !(ps->url = strdup(url))) {
		free(ps);
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	ps->base = (struct store){ .backend = "postgres",
				   .core = &core_ops,
				   .settings = &pg_settings_ops,
				   .accounts = &pg_account_ops,
				   .apps = &pg_app_ops,
				   .events = &pg_event_ops,
				   .contacts = &pg_contact_ops,
				   .postings = &pg_posting_ops,
				   .posting_terms = &pg_posting_terms_ops,
				   .sources = &pg_source_ops,
				   .runs = &pg_run_ops,
				   .resumes = &pg_resume_ops,
				   .hidden = &pg_hidden_ops,
				   .notify = &pg_notify_ops,
				   .scans = &pg_scan_ops,
				   .saved_searches = &pg_saved_search_ops };
	pthread_mutex_init(&ps->mu, NULL);
	pg_conn_init_key(ps);
	struct store *s = &ps->base;
	if (describe_url(url, ps->where, sizeof(ps->where), err, errlen)) {
		pg_close(s);
		return STORE_ERROR;
	}
	struct pg_conn *c = pg_conn(s);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		pg_close(s);
		return STORE_ERROR;
	}
	if (PQstatus(c->db) != CONNECTION_OK) {
		char msg[512];
		pg_one_line(PQerrorMessage(c->db), msg, sizeof(msg));
		/* libpq's own message often asks already. */
		snprintf(err, errlen, "cannot connect to PostgreSQL (%s): %s%s", ps->where, msg,
			 strcasestr(msg, "is the server running") ? "" : "; is the server running and the URL right?");
		pg_close(s);
		/* Not STORE_BUSY: opening is setup, and every failure of it is one
		 * answer (ERROR with err for a person), as on SQLite. */
		return STORE_ERROR;
	}
	if (!(ps->lists = list_cache_new()) || pg_cache_start(ps)) {
		snprintf(err, errlen, "out of memory");
		pg_close(s);
		return STORE_ERROR;
	}
	*out = s;
	return 0;
}

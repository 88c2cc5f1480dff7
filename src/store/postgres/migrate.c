/* migrate.c — brings a PostgreSQL database's schema up to date.
 *
 * The version is the highest row of schema_migrations (0 without the
 * table). Each version runs in a transaction of its own together with its
 * schema_migrations row, so a database is always at exactly some version.
 * Migrators serialise on a transaction-scoped advisory lock: a second
 * process waits, then finds nothing left to do. */
#include "store/postgres/pg.h"

#include "base/log.h"

/* pg_advisory_xact_lock's key for "migrating jobtrack's schema" ("jobtrack" in ASCII). */
static const int64_t migrate_lock_key = 0x6a6f62747261636bLL;

static int read_version(struct pg_conn *c, int *version)
{
	PGresult *res;
	int rc = pg_exec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL", NULL, &res);
	int exists = rc == 0 && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	*version = 0;
	if (rc || !exists)
		return rc;
	rc = pg_exec(c, "SELECT COALESCE(max(version), 0) FROM schema_migrations", NULL, &res);
	int64_t v = 0;
	if (rc == 0 && (PQntuples(res) != 1 || pg_parse_int(PQgetvalue(res, 0, 0), &v) || v < 0 || v > INT32_MAX))
		rc = STORE_ERROR;
	PQclear(res);
	*version = (int)v;
	return rc;
}

int pg_schema_version(struct store *s, int *version, int *latest)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	*latest = pg_migrations_latest();
	return read_version(c, version);
}

static int apply(struct pg_conn *c, int version)
{
	int rc = pg_tx_begin(c, 0);
	if (rc)
		return rc;
	rc = pg_exec_script(c, pg_migration(version));
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, version);
		rc = pg_exec_done(c,
				  "INSERT INTO schema_migrations(version, applied_at) "
				  "VALUES ($1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))",
				  &p);
	}
	rc = pg_tx_end(c, rc);
	if (rc)
		log_event(LOG_ERROR, "store.migrate", "migration to version %d failed: rolled back", version);
	return rc;
}

/* The work done while holding the migration lock; *from gets the version found. */
static int migrate_locked(struct pg_conn *c, int *from)
{
	/* The same columns as SQLite's table, applied_at as "YYYY-MM-DD HH:MM:SS" UTC. */
	int rc = pg_exec_script(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				   "version INTEGER PRIMARY KEY, applied_at TEXT COLLATE \"C\" NOT NULL)");
	int version = 0;
	if (rc == 0)
		rc = read_version(c, &version);
	if (rc)
		return rc;
	*from = version;
	int latest = pg_migrations_latest();
	if (version > latest) {
		log_event(LOG_ERROR, "store.migrate",
			  "database schema version %d is newer than this program knows (%d): upgrade jobtrack", version,
			  latest);
		return STORE_ERROR;
	}
	for (int next = version + 1; rc == 0 && next <= latest; next++)
		rc = apply(c, next);
	return rc;
}

int pg_migrate(struct store *s, int *from, int *to)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->depth > 0) {
		log_event(LOG_ERROR, "store.migrate", "cannot migrate inside a transaction");
		return STORE_ERROR;
	}
	/* One transaction for every pending version, under a lock that ends
	 * with it: a connection lost midway rolls everything back and frees the
	 * lock, so no migrator can ever run without holding it. */
	int rc = pg_tx_begin(c, 0);
	if (rc)
		return rc;
	/* Waiting for another migrator, and rewriting a big table, take as
	 * long as they take: no lock or statement timeout in this transaction. */
	rc = pg_exec_script(c, "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0");
	struct pg_params p = { 0 };
	pg_param_int(&p, migrate_lock_key);
	if (rc == 0)
		rc = pg_exec_done(c, "SELECT pg_advisory_xact_lock($1)", &p);
	int version = 0;
	if (rc == 0)
		rc = migrate_locked(c, &version);
	rc = pg_tx_end(c, rc);
	if (rc)
		return rc;
	*from = version;
	*to = pg_migrations_latest();
	return 0;
}

/* Running the SQLite schema's migrations (the SQL is in migrations.c). */
#include <stdio.h>

#include "base/log.h"
#include "store/sqlite/sqlite.h"

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return STORE_ERROR;
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : STORE_ERROR;
	if (rc == 0)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int sq_schema_version(struct store *s, int *version, int *latest)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	*latest = sqlite_migrations_latest();
	return user_version(c->db, version);
}

/* How many rows refer to a missing row (PRAGMA foreign_key_check), or -1. */
static long foreign_key_violations(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return -1;
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : -1;
}

/* Applies versions v+1..latest; the caller holds the write transaction. */
static int apply_pending(sqlite3 *db, int v, int latest)
{
	int rc = sq_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			     "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
	if (rc || v == latest)
		return rc;
	/* Only references a migration broke are its fault: rows left dangling
	 * earlier (say by a sqlite3 shell, where foreign keys are off) must not
	 * stop every later start or upgrade. */
	long dangling = foreign_key_violations(db);
	if (dangling < 0)
		return STORE_ERROR;
	if (dangling > 0)
		log_event(LOG_WARN, "store.migrate",
			  "%ld rows refer to rows that no longer exist (PRAGMA foreign_key_check)", dangling);
	for (int next = v + 1; rc == 0 && next <= latest; next++) {
		rc = sq_exec(db, sqlite_migration(next));
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO schema_migrations(version, applied_at) VALUES (%d, datetime('now'));"
			 "PRAGMA user_version = %d;",
			 next, next);
		if (rc == 0)
			rc = sq_exec(db, sql);
	}
	if (rc)
		return rc;
	long after = foreign_key_violations(db);
	if (after < 0 || after > dangling) {
		log_event(LOG_ERROR, "store.migrate", "a migration left rows with dangling references: rolled back");
		return STORE_ERROR;
	}
	return 0;
}

/* The migration transaction itself; *from gets the version found. */
static int migrate_locked(sqlite3 *db, int *from)
{
	int rc = sq_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	/* Read the version inside the write lock so two processes cannot both migrate. */
	int v;
	rc = user_version(db, &v);
	int latest = sqlite_migrations_latest();
	if (rc == 0 && v > latest) {
		log_event(LOG_ERROR, "store.migrate",
			  "database schema version %d is newer than this program knows (%d): upgrade jobtrack", v,
			  latest);
		rc = STORE_ERROR;
	}
	if (rc == 0) {
		*from = v;
		rc = apply_pending(db, v, latest);
	}
	if (rc) {
		sq_exec(db, "ROLLBACK");
		return rc;
	}
	return sq_exec(db, "COMMIT");
}

int sq_migrate(struct store *s, int *from, int *to)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	/* Rebuilding a table (new, copy, drop old, rename) must not cascade the
	 * drop into the tables that refer to it: SQLite's documented way is to
	 * switch foreign keys off around the transaction and check them before
	 * committing. The pragma is a no-op inside a transaction, hence here. */
	int rc = sq_exec(c->db, "PRAGMA foreign_keys=OFF");
	if (rc)
		return rc;
	int v = 0;
	rc = migrate_locked(c->db, &v);
	/* This connection stays in use: it must not go on without foreign keys
	 * (deletes would stop cascading). */
	if (sq_exec(c->db, "PRAGMA foreign_keys=ON") && rc == 0)
		rc = STORE_ERROR;
	if (rc)
		return rc;
	*from = v;
	*to = sqlite_migrations_latest();
	return 0;
}

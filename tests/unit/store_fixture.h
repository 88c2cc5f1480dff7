/* store_fixture — a fresh, empty store of the backend under test, for unit
 * suites (test_store.c, test_tracker_service.c, …).
 *
 * The backend comes from the environment variable JT_TEST_STORE_URL:
 * - unset, "" or "sqlite": a SQLite file (jobtrack.db) in a temporary
 *   directory of its own;
 * - "postgres://…" or "postgresql://…": the URL of a maintenance database
 *   (e.g. what scripts/pg-test-cluster.sh prints). Each fixture creates a
 *   database of its own there (jt_test_<pid>_<n>) through libpq and drops it
 *   in store_fixture_destroy.
 * Anything else is refused, so a mistyped URL fails loudly instead of testing
 * SQLite again.
 *
 * Use:
 *	struct store_fixture fx;
 *	if (store_fixture_make(&fx, NULL, 1))   // fresh, migrated, opened: fx.s
 *		return -1;
 *	… store_* calls on fx.s …
 *	store_fixture_destroy(&fx);            // closes fx.s, removes the data
 *
 * make(…, 0) only creates the empty database and fills fx.url (e.g. to test
 * store_open_nomigrate, or a SQLite file prepared by hand at fx.path). The
 * store may be closed and reopened on fx.url any number of times; destroy
 * closes fx.s if it is set. Failures print their reason on stderr. */
#ifndef JT_TESTS_STORE_FIXTURE_H
#define JT_TESTS_STORE_FIXTURE_H

#include "store/store.h"

struct store_fixture {
	char backend[16];     /* "sqlite" or "postgres" */
	char url[1024];       /* the URL the store is (or can be) opened on */
	char dir[64];         /* sqlite: the temporary directory, else "" */
	char path[128];       /* sqlite: the database file, else "" */
	char dbname[64];      /* postgres: the database made for this fixture, else "" */
	char admin_url[1024]; /* postgres: the maintenance database's URL */
	struct store *s;      /* the opened store, or NULL */
};

/* The backend JT_TEST_STORE_URL selects: "sqlite", "postgres", or NULL when
 * the variable holds something else. */
const char *store_fixture_backend(void);

/* Makes a fresh store. base: NULL for JT_TEST_STORE_URL, or "sqlite" / a
 * postgres:// maintenance URL to choose explicitly (store_copy tests make a
 * SQLite source whatever the backend under test). open: 1 to store_open() it
 * into fx->s (migrated), 0 to leave fx->s NULL. Returns 0 or -1. */
int store_fixture_make(struct store_fixture *fx, const char *base, int open);

/* Closes fx->s (if set) and removes the database: the SQLite directory with
 * every file in it, or the PostgreSQL database (connections still open on it
 * are ended). Safe on a zeroed or half-made fixture. */
void store_fixture_destroy(struct store_fixture *fx);

#endif

/* store_fixture — see store_fixture.h. */
#include "store_fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

static int is_postgres_url(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

static const char *configured(void)
{
	const char *v = getenv("JT_TEST_STORE_URL");
	return v ? v : "";
}

const char *store_fixture_backend(void)
{
	const char *v = configured();
	if (!*v || strcmp(v, "sqlite") == 0)
		return "sqlite";
	if (is_postgres_url(v))
		return "postgres";
	return NULL;
}

static int make_sqlite(struct store_fixture *fx)
{
	snprintf(fx->backend, sizeof(fx->backend), "sqlite");
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/jt-store-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		perror("store_fixture: mkdtemp");
		fx->dir[0] = '\0';
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/jobtrack.db", fx->dir);
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s", fx->path);
	return 0;
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* Runs one statement on the maintenance database. */
static int admin_exec(const char *admin_url, const char *sql)
{
	PGconn *c = PQconnectdb(admin_url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "store_fixture: cannot connect to %s: %s", admin_url, PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	PQsetNoticeProcessor(c, quiet, NULL); /* "does not exist, skipping" */
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "store_fixture: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* The URL of database dbname on the server of base: base with its path
 * ("/postgres") replaced, query (?host=…) kept. */
static int url_with_database(const char *base, const char *dbname, char *out, size_t outlen)
{
	const char *auth = strstr(base, "://");
	if (!auth)
		return -1;
	auth += 3;
	size_t head = strcspn(auth, "/?");
	const char *rest = auth + head;
	const char *query = strchr(rest, '?');
	int n = snprintf(out, outlen, "%.*s/%s%s", (int)(rest - base), base, dbname, query ? query : "");
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int make_postgres(struct store_fixture *fx, const char *admin_url)
{
	static int counter;
	int n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	snprintf(fx->backend, sizeof(fx->backend), "postgres");
	if (snprintf(fx->admin_url, sizeof(fx->admin_url), "%s", admin_url) >= (int)sizeof(fx->admin_url)) {
		fprintf(stderr, "store_fixture: URL too long\n");
		return -1;
	}
	snprintf(fx->dbname, sizeof(fx->dbname), "jt_test_%ld_%d", (long)getpid(), n);
	if (url_with_database(admin_url, fx->dbname, fx->url, sizeof(fx->url))) {
		fprintf(stderr, "store_fixture: cannot make a database URL from %s\n", admin_url);
		fx->dbname[0] = '\0';
		return -1;
	}
	char sql[128];
	/* Left over from a crashed run with the same pid: start afresh. */
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", fx->dbname);
	if (admin_exec(admin_url, sql)) {
		fx->dbname[0] = '\0';
		return -1;
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", fx->dbname);
	if (admin_exec(admin_url, sql)) {
		fx->dbname[0] = '\0';
		return -1;
	}
	return 0;
}

int store_fixture_make(struct store_fixture *fx, const char *base, int open)
{
	memset(fx, 0, sizeof(*fx));
	if (!base)
		base = configured();
	int rc;
	if (!*base || strcmp(base, "sqlite") == 0) {
		rc = make_sqlite(fx);
	} else if (is_postgres_url(base)) {
		rc = make_postgres(fx, base);
	} else {
		fprintf(stderr,
			"store_fixture: JT_TEST_STORE_URL must be unset, \"sqlite\" or a postgres:// URL, not \"%s\"\n",
			base);
		return -1;
	}
	if (rc == 0 && open) {
		char err[256] = "";
		if (store_open(fx->url, &fx->s, err, sizeof(err))) {
			fprintf(stderr, "store_fixture: store_open(%s): %s\n", fx->url, err);
			fx->s = NULL;
			rc = -1;
		}
	}
	if (rc)
		store_fixture_destroy(fx);
	return rc;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[512];
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

void store_fixture_destroy(struct store_fixture *fx)
{
	store_close(fx->s);
	fx->s = NULL;
	if (fx->dir[0])
		remove_dir(fx->dir);
	if (fx->dbname[0]) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", fx->dbname);
		admin_exec(fx->admin_url, sql);
	}
	fx->dir[0] = fx->dbname[0] = '\0';
}

/* jobtrack migrate — bring the database schema up to date (serve does this
 * too), or copy a whole instance into another database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack migrate [--status] [options]\n"
		     "       jobtrack migrate --copy-to URL [options]\n\n"
		     "Applies pending schema migrations and prints the version; --status only prints it.\n\n"
		     "--copy-to URL copies this instance (the database of --database-url / --data-dir) into\n"
		     "the empty database at URL, e.g. postgres://jobtrack:secret@db.example:5432/jobtrack:\n"
		     "every row with its id and timestamps, in one transaction on the target. Stop\n"
		     "`jobtrack serve` first, then start it with --database-url URL.\n\n"
		     "options:\n"
		     "  --status                 only print the schema version\n"
		     "  --copy-to URL            copy everything into the empty database at URL\n");
	config_print_some_flags(out, cli_store_flags);
}

static void print_progress(const char *table, int64_t rows, void *ctx)
{
	(void)ctx;
	printf("  %-22s %lld rows\n", table, (long long)rows);
	fflush(stdout);
}

/* Copies the store named by the config into the database at target. */
static int copy_to(const struct config *cfg, const char *target)
{
	struct store *src = NULL, *dst = NULL;
	if (cli_open_existing_store(cfg, &src))
		return 1;
	char err[512] = "";
	if (store_open(target, &dst, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: cannot open the target database: %s\n", err);
		store_close(src);
		return 1;
	}
	printf("copying %s store into %s store\n", store_backend_name(src), store_backend_name(dst));
	int rc = store_copy(src, dst, print_progress, NULL, err, sizeof(err));
	if (rc)
		fprintf(stderr, "jobtrack: copy failed: %s\n", err);
	else
		printf("done: start jobtrack with --database-url pointing at the new database\n");
	store_close(dst);
	store_close(src);
	return rc ? 1 : 0;
}

int cmd_migrate(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	static const char *const extra[] = { "status", NULL };
	int status_only = 0;
	const char *target = NULL;
	/* --copy-to takes a value, which config_load does not know: take both
	 * out of the arguments it sees. */
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int n_rest = 0;
	if (!rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--copy-to") == 0) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr,
					"jobtrack: --copy-to needs a database URL (postgres://… or sqlite:PATH)\n");
				free(rest);
				return 2;
			}
			target = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--copy-to=", 10) == 0) {
			target = argv[i] + 10;
			continue;
		}
		status_only |= strcmp(argv[i], "--status") == 0;
		rest[n_rest++] = argv[i];
	}
	struct config cfg;
	int rc = cli_config(&cfg, n_rest, rest, extra);
	free(rest);
	if (rc)
		return rc;
	if (target) {
		rc = copy_to(&cfg, target);
		config_free(&cfg);
		return rc;
	}
	struct store *s;
	char err[512] = "";
	if (cli_data_dir(&cfg) || store_open_nomigrate(cfg.database_url, &s, err, sizeof(err))) {
		if (*err)
			fprintf(stderr, "jobtrack: %s\n", err);
		config_free(&cfg);
		return 1;
	}
	int version = 0, latest = 0, from = 0, to = 0;
	rc = store_schema_version(s, &version, &latest);
	if (rc) {
		fprintf(stderr, "jobtrack: cannot read the database's schema version (the log above says why)\n");
	} else if (version > latest) {
		store_newer_schema_message(version, latest, err, sizeof(err));
		fprintf(stderr, "jobtrack: %s\n", err);
		rc = STORE_ERROR;
	} else if (status_only) {
		printf("schema version %d of %d%s\n", version, latest, version < latest ? " (migrations pending)" : "");
	} else if (version == latest) {
		printf("schema at version %d (already up to date)\n", version);
	} else if ((rc = store_migrate(s, &from, &to)) != 0) {
		fprintf(stderr,
			"jobtrack: migrating the database from schema version %d to %d failed (the log above says "
			"why); nothing was changed\n",
			version, latest);
	} else if (from == to) { /* another migrator was first */
		printf("schema at version %d (already up to date)\n", to);
	} else {
		printf("schema at version %d (migrated from %d)\n", to, from);
	}
	store_close(s);
	config_free(&cfg);
	return rc ? 1 : 0;
}

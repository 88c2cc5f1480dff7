/* jobtrack migrate — bring the database schema up to date (serve does this too). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_migrate(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: jobtrack migrate [--status] [options]\n\n"
		       "Applies pending schema migrations and prints the version; --status only prints it.\n\n"
		       "options:\n");
		config_print_some_flags(stdout, cli_store_flags);
		return 0;
	}
	static const char *const extra[] = { "status", NULL };
	int status_only = 0;
	for (int i = 0; i < argc; i++)
		status_only |= strcmp(argv[i], "--status") == 0;
	struct config cfg;
	int rc = cli_config(&cfg, argc, argv, extra);
	if (rc)
		return rc;
	struct store *s;
	char err[512];
	if (cli_data_dir(&cfg) || store_open_nomigrate(cfg.database_url, &s, err, sizeof(err))) {
		if (*err)
			fprintf(stderr, "jobtrack: %s\n", err);
		config_free(&cfg);
		return 1;
	}
	int version = 0, latest = 0, from = 0, to = 0;
	rc = store_schema_version(s, &version, &latest);
	if (rc == 0 && !status_only && version < latest)
		rc = store_migrate(s, &from, &to);
	if (rc == 0 && !status_only)
		rc = store_schema_version(s, &version, &latest);
	if (rc)
		fprintf(stderr, "jobtrack: migration failed (see the log above)\n");
	else if (status_only)
		printf("schema version %d of %d%s\n", version, latest, version < latest ? " (migrations pending)" : "");
	else
		printf("schema at version %d (%s)\n", version, from != to ? "migrated" : "already up to date");
	store_close(s);
	config_free(&cfg);
	return rc ? 1 : 0;
}

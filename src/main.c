/* jobtrack — a self-hosted job scraper and application tracker.
 * The command line: one subcommand per file in cli/. */
#include <libxml/parser.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "web/json_arena.h"
#include "version.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "serve", cmd_serve, "run the web UI and API (http://127.0.0.1:8080 by default)" },
	{ "migrate", cmd_migrate, "apply database migrations" },
	{ "user", cmd_user, "add and list users, set passwords, grant admin" },
	{ "backup", cmd_backup, "export one user's data as a JSON backup, or import one" },
	{ "version", cmd_version, "print version information" },
	{ "scrape", cmd_scrape, "run the configured sources now, or crawl a career site (--seed URL)" },
	{ "ingest", cmd_ingest, "file the postings waiting in the queue into the database" },
	{ "robots", cmd_robots, "may a crawler fetch a URL? (robots.txt, and which rule decided)" },
	{ "extract", cmd_extract, "print the job postings one page or payload holds, as JSON" },
	{ "scan", cmd_scan, "score a resume against a job posting (0–100, explained)" },
	{ "taxonomy", cmd_taxonomy, "extend the skills taxonomy (O*NET, ESCO, Stack Overflow); its stats" },
	{ "mail-test", cmd_mail_test, "send a test e-mail with the SMTP settings" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"jobtrack %s — collect job postings and track your applications\n\n"
		"usage: jobtrack <command> [options]\n\ncommands:\n",
		JOBTRACK_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun `jobtrack <command> --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	json_arena_install();
	/* libxml2 sets up its globals here, once, before any thread (serve's
	 * workers, the task runner) parses a page or a feed. */
	xmlInitParser();
	if (sodium_init() < 0) {
		fprintf(stderr, "jobtrack: libsodium failed to initialise\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "jobtrack: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
}

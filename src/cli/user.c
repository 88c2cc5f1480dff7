/* jobtrack user — manage accounts from the command line. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include "auth/account.h"
#include "base/timefmt.h"
#include "cli/cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack user <command> [args] [options]\n\n"
		     "commands:\n"
		     "  add EMAIL [--admin]     create a user (the first user is always admin)\n"
		     "  list                    list users\n"
		     "  set-password EMAIL      set a user's password (signs them out everywhere)\n"
		     "  make-admin EMAIL [--revoke]\n"
		     "                          grant (or with --revoke, take away) admin rights\n\n"
		     "Passwords are read from standard input (one line), with a prompt when it is a terminal.\n\n"
		     "options:\n");
	config_print_some_flags(out, cli_store_flags);
}

static int read_password(char *out, size_t outlen)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "Password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(out, (int)outlen, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!got) {
		fprintf(stderr, "jobtrack: no password given on standard input\n");
		return -1;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static void print_user(const struct user *u, void *ctx)
{
	(void)ctx;
	char date[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)u->created_at, date);
	printf("%-6lld %-40s %-6s %s\n", (long long)u->id, u->email, u->is_admin ? "admin" : "", date);
}

static void count_admin(const struct user *u, void *ctx)
{
	*(int64_t *)ctx += u->is_admin ? 1 : 0;
}

static int report_errors(const struct field_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "jobtrack: %s: %s\n", errs->items[i].field, errs->items[i].message);
	return 1;
}

static int find_user(struct store *s, const char *email, struct user *u)
{
	char norm[STORE_EMAIL_MAX + 1];
	if (account_normalize_email(email, norm)) {
		fprintf(stderr, "jobtrack: the e-mail address is not valid UTF-8\n");
		return 1;
	}
	if (store_user_by_email(s, norm, u) != 0) {
		fprintf(stderr, "jobtrack: no user with e-mail %s (see: jobtrack user list)\n", norm);
		return 1;
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 1 || cli_wants_help(argc, argv)) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	const char *sub = argv[0];
	int needs_email = strcmp(sub, "list") != 0;
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "set-password") && strcmp(sub, "make-admin")) {
		fprintf(stderr, "jobtrack: unknown user command \"%s\"\n\n", sub);
		usage(stderr);
		return 2;
	}
	if (needs_email && (argc < 2 || strncmp(argv[1], "--", 2) == 0)) {
		fprintf(stderr, "jobtrack: user %s needs an e-mail address\n", sub);
		return 2;
	}
	const char *email = needs_email ? argv[1] : NULL;
	int first = needs_email ? 2 : 1;
	static const char *const extra[] = { "admin", "revoke", NULL };
	int flag_admin = 0, flag_revoke = 0;
	for (int i = first; i < argc; i++) {
		flag_admin |= strcmp(argv[i], "--admin") == 0;
		flag_revoke |= strcmp(argv[i], "--revoke") == 0;
	}
	struct config cfg;
	int rc = cli_config(&cfg, argc - first, argv + first, extra);
	if (rc)
		return rc;
	struct store *s;
	int creates = strcmp(sub, "add") == 0;
	if (creates ? cli_open_store(&cfg, &s) : cli_open_existing_store(&cfg, &s)) {
		config_free(&cfg);
		return 1;
	}
	struct user u;
	struct field_errors errs = { .n = 0 };
	char pw[512];
	rc = 0;
	if (strcmp(sub, "list") == 0) {
		printf("%-6s %-40s %-6s %s\n", "ID", "EMAIL", "ROLE", "CREATED");
		rc = store_user_each(s, print_user, NULL) ? 1 : 0;
	} else if (strcmp(sub, "add") == 0) {
		if (read_password(pw, sizeof(pw)))
			rc = 1;
		else {
			enum account_result r = account_signup(s, email, pw, 1, &u, &errs);
			if (r == ACCOUNT_OK) {
				if (flag_admin && !u.is_admin &&
				    store_user_set_admin(s, u.id, 1, (int64_t)time(NULL)) == 0)
					u.is_admin = 1;
				printf("created user %lld <%s>%s\n", (long long)u.id, u.email,
				       u.is_admin ? " (admin)" : "");
			} else {
				rc = errs.n ? report_errors(&errs)
					    : (fprintf(stderr, "jobtrack: could not create the user\n"), 1);
			}
		}
	} else if (strcmp(sub, "set-password") == 0) {
		if (find_user(s, email, &u) || read_password(pw, sizeof(pw)))
			rc = 1;
		else if (account_change_password(s, &u, NULL, pw, NULL, &errs) != ACCOUNT_OK)
			rc = errs.n ? report_errors(&errs) : 1;
		else
			printf("password changed for %s; their sessions and tokens from log-in were ended\n", u.email);
	} else {
		int64_t admins = 0;
		if (find_user(s, email, &u))
			rc = 1;
		else if (flag_revoke && u.is_admin && (store_user_each(s, count_admin, &admins) || admins <= 1)) {
			fprintf(stderr, "jobtrack: %s is the only admin: make someone else admin first\n", u.email);
			rc = 1;
		} else if (store_user_set_admin(s, u.id, !flag_revoke, (int64_t)time(NULL)))
			rc = 1;
		else
			printf("%s is %s an admin\n", u.email, flag_revoke ? "no longer" : "now");
	}
	sodium_memzero(pw, sizeof(pw));
	store_close(s);
	config_free(&cfg);
	return rc;
}

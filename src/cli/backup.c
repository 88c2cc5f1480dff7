/* jobtrack backup — one user's data as a JSON backup (backup/backup.h),
 * written to a file or standard output as it is read, and read back into a
 * user of this instance, all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/account.h"
#include "backup/backup.h"
#include "blob/blob.h"
#include "cli/cli.h"
#include "resume/backup_files.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack backup export --user EMAIL [--file FILE] [options]\n"
		     "       jobtrack backup import --user EMAIL [--file FILE] [options]\n\n"
		     "export writes every application (with its timeline, tags and contacts), every contact and\n"
		     "every resume (metadata and file), the saved searches, hidden postings, blocked companies,\n"
		     "reminder settings and reminder mutes of the user as one JSON document, to FILE or standard\n"
		     "output. import adds such a document to the user (who must exist: see `jobtrack user add`),\n"
		     "from FILE or standard input; it checks the whole document first and then writes it in\n"
		     "one transaction, so either everything is imported or nothing is. Sessions, API tokens,\n"
		     "the calendar feed's address and the reminder webhook's secret are not carried: make new\n"
		     "ones. Hidden postings this server does not have are skipped; resume scan history is not\n"
		     "carried (scan again).\n\n"
		     "options:\n"
		     "  --user EMAIL             whose data\n"
		     "  --file FILE              where to write or read (default: standard output or input)\n");
	static const char *const flags[] = { "data-dir", "database-url", "blob-url", "secret-key", "log-level", NULL };
	config_print_some_flags(out, flags);
}

static int write_file(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* Reads all of f (at most BACKUP_MAX_BYTES + 1, so the limit is told). */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *data = malloc(cap);
	while (data) {
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n > BACKUP_MAX_BYTES)
			break;
		if (n == cap) {
			char *more = realloc(data, cap * 2);
			if (!more) {
				free(data);
				return NULL;
			}
			data = more;
			cap *= 2;
		}
	}
	if (data && ferror(f)) {
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

static void print_counts(const char *email, const struct backup_counts *c)
{
	printf("imported into %s: %zu applications, %zu timeline entries, %zu contacts (%zu links), %zu resumes; "
	       "%zu applications kept their posting\n",
	       email, c->applications, c->events, c->contacts, c->links, c->resumes, c->postings_linked);
	printf("%zu saved searches (%zu skipped: name taken or limit reached), %zu hidden postings (%zu skipped: "
	       "not on this server), %zu blocked companies, %zu applications without a follow-up reminder%s\n",
	       c->saved_searches, c->saved_searches_skipped, c->hidden_postings, c->hidden_skipped,
	       c->blocked_companies, c->mutes, c->reminders ? "; reminder settings replaced" : "");
	printf("left out as already in the account: %zu applications, %zu contacts, %zu resumes (same file), "
	       "%zu hidden postings, %zu blocked companies\n",
	       c->applications_already, c->contacts_already, c->resumes_already, c->hidden_already, c->blocked_already);
	const char *note = backup_secret_note(c->webhook_secret);
	if (note)
		printf("%s\n", note);
}

static int run(const char *sub, const char *email, const char *path, const struct config *cfg)
{
	struct store *s;
	if (cli_open_existing_store(cfg, &s))
		return 1;
	uint8_t secret[32];
	size_t secret_len;
	struct blob *blob = NULL;
	char err[512] = "";
	int rc = 1;
	struct user u;
	char norm[STORE_EMAIL_MAX + 1];
	if (account_normalize_email(email, norm) || store_user_by_email(s, norm, &u)) {
		fprintf(stderr, "jobtrack: no user with e-mail %s (see: jobtrack user list)\n", email);
		store_close(s);
		return 1;
	}
	if (cli_secret(cfg, secret, &secret_len) || blob_open(cfg->blob_url, cfg->data_dir, &blob, err, sizeof(err))) {
		if (*err)
			fprintf(stderr, "jobtrack: %s\n", err);
		store_close(s);
		return 1;
	}
	struct resume_vault vault;
	resume_vault_init(&vault, s, blob, secret, secret_len);
	struct backup_files files;
	resume_backup_files(&vault, &files);
	int64_t now = (int64_t)time(NULL);
	if (strcmp(sub, "export") == 0) {
		FILE *f = path ? fopen(path, "wb") : stdout;
		if (!f) {
			fprintf(stderr, "jobtrack: cannot write %s: %s\n", path, strerror(errno));
		} else {
			int e = backup_export(s, u.id, u.email, &files, write_file, f, now, err, sizeof(err));
			if ((path ? fclose(f) : fflush(f)) && !e) {
				snprintf(err, sizeof(err), "writing %s failed", path ? path : "standard output");
				e = -EIO;
			}
			if (e)
				fprintf(stderr, "jobtrack: %s\n", err);
			else if (path)
				fprintf(stderr, "wrote the backup of %s to %s\n", u.email, path);
			rc = e ? 1 : 0;
		}
	} else {
		FILE *f = path ? fopen(path, "rb") : stdin;
		size_t len = 0;
		char *data = f ? read_all(f, &len) : NULL;
		if (f && path)
			fclose(f);
		if (!data) {
			fprintf(stderr, "jobtrack: cannot read %s%s%s\n", path ? path : "standard input",
				errno ? ": " : "", errno ? strerror(errno) : "");
		} else {
			struct backup_counts c;
			int e = backup_import(s, u.id, &files, data, len, now, &c, err, sizeof(err));
			if (e)
				fprintf(stderr, "jobtrack: %s\n", err);
			else
				print_counts(u.email, &c);
			rc = e ? 1 : 0;
			free(data);
		}
	}
	resume_vault_fini(&vault);
	blob_close(blob);
	store_close(s);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	if (argc < 1 || cli_wants_help(argc, argv)) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	const char *sub = argv[0];
	if (strcmp(sub, "export") && strcmp(sub, "import")) {
		fprintf(stderr, "jobtrack: unknown backup command \"%s\" (export or import)\n\n", sub);
		usage(stderr);
		return 2;
	}
	/* --user and --file take values; the rest are the config's flags. */
	const char *email = NULL, *path = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest)
		return 1;
	int n = 0;
	for (int i = 1; i < argc; i++) {
		const char **to = !strcmp(argv[i], "--user") ? &email : !strcmp(argv[i], "--file") ? &path : NULL;
		if (to) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jobtrack: %s needs a value\n", argv[i]);
				free(rest);
				return 2;
			}
			*to = argv[++i];
		} else if (!strncmp(argv[i], "--user=", 7)) {
			email = argv[i] + 7;
		} else if (!strncmp(argv[i], "--file=", 7)) {
			path = argv[i] + 7;
		} else {
			rest[n++] = argv[i];
		}
	}
	if (!email || !*email) {
		fprintf(stderr, "jobtrack: backup %s needs --user EMAIL\n", sub);
		free(rest);
		return 2;
	}
	struct config cfg;
	int rc = cli_config(&cfg, n, rest, NULL);
	free(rest);
	if (rc)
		return rc;
	rc = run(sub, email, path, &cfg);
	config_free(&cfg);
	return rc;
}

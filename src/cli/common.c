#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/taxonomy_ext.h"

int cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int cli_config(struct config *cfg, int argc, char **argv, const char *const *extra)
{
	char err[512];
	if (config_load(cfg, argc, argv, extra, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
		config_free(cfg);
		return 2;
	}
	store_set_timeouts(cfg->database_lock_timeout, cfg->database_statement_timeout);
	return 0;
}

/* mkdir -p with mode 0700 for the parts we create. */
int cli_data_dir(const struct config *cfg)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", cfg->data_dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "jobtrack: cannot create data directory %s: %s\n", path, strerror(errno));
	return 1;
}

const char *const cli_store_flags[] = {
	"data-dir", "database-url", "database-lock-timeout", "database-statement-timeout", "log-level", NULL
};

int cli_open_existing_store(const struct config *cfg, struct store **out)
{
	const char *url = cfg->database_url;
	struct stat st;
	if (strncmp(url, "sqlite:", 7) == 0 && stat(url + 7, &st) != 0) {
		fprintf(stderr,
			"jobtrack: no database at %s: pass the --data-dir that `jobtrack serve` uses (or set "
			"JOBTRACK_DATA_DIR)\n",
			url + 7);
		return 1;
	}
	return cli_open_store(cfg, out);
}

int cli_open_store(const struct config *cfg, struct store **out)
{
	if (cli_data_dir(cfg))
		return 1;
	char err[512];
	if (store_open(cfg->database_url, out, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
		return 1;
	}
	return 0;
}

int cli_secret(const struct config *cfg, uint8_t *out, size_t *len)
{
	if (*cfg->secret_key) {
		size_t n = strlen(cfg->secret_key);
		if (n < 32) {
			fprintf(stderr, "jobtrack: --secret-key must be at least 32 characters\n");
			return 1;
		}
		/* Hash to a fixed size so any printable secret works. */
		crypto_generichash(out, 32, (const unsigned char *)cfg->secret_key, n, NULL, 0);
		*len = 32;
		return 0;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/secret.key", cfg->data_dir);
	char hex[65] = { 0 };
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(hex, 1, 64, f);
		fclose(f);
		size_t bin_len;
		if (n != 64 || sodium_hex2bin(out, 32, hex, 64, NULL, &bin_len, NULL) || bin_len != 32) {
			fprintf(stderr,
				"jobtrack: %s is damaged: delete it to make a new one (this signs everyone out)\n",
				path);
			return 1;
		}
		*len = 32;
		return 0;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "jobtrack: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	randombytes_buf(out, 32);
	sodium_bin2hex(hex, sizeof(hex), out, 32);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, hex, 64) != 64 || write(fd, "\n", 1) != 1 || close(fd)) {
		fprintf(stderr, "jobtrack: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	*len = 32;
	return 0;
}

int cli_load_taxonomy(struct taxonomy *t, const char *base_dir, const char *data_dir, size_t *conflicts)
{
	char err[1024];
	struct tax_ext_report rep;
	if (taxonomy_load_user(t, base_dir, data_dir, &rep, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: taxonomy: %s\n", err);
		return base_dir || data_dir ? 2 : 1;
	}
	if (conflicts)
		*conflicts = rep.n_conflicts;
	else if (rep.n_conflicts)
		fprintf(stderr,
			"jobtrack: the taxonomy extension in %s/%s has %zu spellings that stand for other skills, "
			"left out (see: jobtrack taxonomy stats --conflicts)\n",
			data_dir, TAXONOMY_EXT_DIR, rep.n_conflicts);
	return 0;
}

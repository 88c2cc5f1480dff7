/* cli/serve_taxonomy — see serve_taxonomy.h. */
#include "cli/serve_taxonomy.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "scan/taxonomy_ext.h"

static void log_loaded(const struct taxonomy *tax, size_t conflicts)
{
	char version[17];
	taxonomy_version_hex(tax, version);
	log_event(LOG_INFO, "taxonomy.load", "%zu skills, version %s: %s", tax->n_skills, version, tax->origin);
	if (conflicts)
		log_event(LOG_WARN, "taxonomy.conflicts",
			  "%zu spellings of the taxonomy extension stand for other skills and were left out "
			  "(jobtrack taxonomy stats --conflicts)",
			  conflicts);
}

/* Whether DATA_DIR/taxonomy/ may hold an extension: a .tsv file in it, or
 * a folder that cannot be read (loading it says why). */
static bool has_extension(const char *data_dir)
{
	char dir[4096];
	if (snprintf(dir, sizeof(dir), "%s/%s", data_dir, TAXONOMY_EXT_DIR) >= (int)sizeof(dir))
		return true;
	DIR *d = opendir(dir);
	if (!d)
		return errno != ENOENT;
	bool any = false;
	struct dirent *e;
	while (!any && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		any = e->d_name[0] != '.' && len > 4 && strcmp(e->d_name + len - 4, ".tsv") == 0;
	}
	closedir(d);
	return any;
}

/* matcher_load_fn: the built-in taxonomy, on first use. */
static int load_builtin(void *ctx, const struct taxonomy **tax, char *err, size_t errlen)
{
	struct serve_taxonomy *st = ctx;
	if (taxonomy_load_user(&st->tax, NULL, NULL, NULL, err, errlen) != 0) {
		log_event(LOG_ERROR, "taxonomy.load", "%s", err);
		return -1;
	}
	st->loaded = true;
	log_loaded(&st->tax, 0);
	*tax = &st->tax;
	return 0;
}

int serve_taxonomy_open(struct serve_taxonomy *st, const char *data_dir)
{
	memset(st, 0, sizeof(*st));
	if (!has_extension(data_dir)) {
		if (matcher_build_lazy(&st->matcher, load_builtin, st) == 0)
			return 0;
		fprintf(stderr, "jobtrack: out of memory\n");
		return 1;
	}
	size_t conflicts = 0;
	int rc = cli_load_taxonomy(&st->tax, NULL, data_dir, &conflicts);
	if (rc != 0)
		return rc;
	st->loaded = true;
	char err[512];
	if (matcher_build(&st->matcher, &st->tax, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		serve_taxonomy_close(st);
		return 1;
	}
	log_loaded(&st->tax, conflicts);
	return 0;
}

void serve_taxonomy_close(struct serve_taxonomy *st)
{
	matcher_free(&st->matcher);
	if (st->loaded)
		taxonomy_free(&st->tax);
	st->loaded = false;
}

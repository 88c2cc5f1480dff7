/* jobtrack taxonomy — the user's extension of the skills taxonomy: import
 * O*NET, ESCO or Stack Overflow lists into DATA_DIR/taxonomy/NAME.tsv
 * (scan/import.h), and show what the taxonomy holds, by source
 * (scan/taxonomy_ext.h). `serve` and `scan` merge the folder on top of the
 * built-in taxonomy when they start. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/fs.h"
#include "base/json_out.h"
#include "base/text.h"
#include "cli/cli.h"
#include "scan/import.h"
#include "scan/taxonomy_ext.h"

#define SO_MIN_COUNT_DEFAULT 1000
#define CONFLICTS_SHOWN      20

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jobtrack taxonomy import (--onet FILE | --esco FILE | --stackoverflow FILE)\n"
		"                         [--name NAME] [--min-count N] [--single-words] [--dry-run] [--data-dir DIR]\n"
		"       jobtrack taxonomy stats [--conflicts] [--json] [--data-dir DIR]\n\n"
		"The skills taxonomy the resume scanner matches is built in; you can extend it with\n"
		"public skill lists. An import writes DATA_DIR/taxonomy/NAME.tsv (the format of the\n"
		"built-in skills.tsv: id, name, type, category, aliases; you may also edit it or add\n"
		"files of your own there), which `jobtrack serve` and `jobtrack scan` merge on top of\n"
		"the built-in taxonomy when they start (restart serve after an import). A listed skill\n"
		"the taxonomy already has gains the new spellings; other skills are added. A spelling\n"
		"that already stands for another skill is left out and reported: an import never\n"
		"changes what a built-in form means.\n\n"
		"import:\n"
		"  --onet FILE           O*NET Technology Skills (Technology Skills.txt, tab-separated)\n"
		"  --esco FILE           an ESCO skills CSV (skills_en.csv, or a collection such as\n"
		"                        transversalSkillsCollection_en.csv)\n"
		"  --stackoverflow FILE  a Stack Overflow tag list (CSV with TagName and Count)\n"
		"  --name NAME           the extension file's name (default: onet, esco or stackoverflow);\n"
		"                        importing under the same name again replaces that file, so give\n"
		"                        a second ESCO collection a name of its own (esco-digital)\n"
		"  --min-count N         Stack Overflow: leave out tags used fewer than N times (%d)\n"
		"  --single-words        also import one-word lower-case names of letters only (\"spring\",\n"
		"                        \"express\", \"chef\", \"design\"): left out by default, as they are\n"
		"                        everyday words in most resumes (\"html5\", \"c++\", \"Slack\" and\n"
		"                        phrases are always imported)\n"
		"  --dry-run             report what would be imported; write nothing\n\n"
		"stats:\n"
		"  --conflicts           list every spelling left out, with its file and line\n"
		"  --json                print one JSON object\n\n"
		"  --data-dir DIR        the data directory (as for `jobtrack serve`)\n\n"
		"exit status: 0 done, 1 failure, 2 usage error or an input file of the wrong format\n",
		SO_MIN_COUNT_DEFAULT);
}

enum { F_ONET, F_ESCO, F_SO, F_N };
static const char *const format_flags[F_N] = { "--onet", "--esco", "--stackoverflow" };
static const char *const format_names[F_N] = { "onet", "esco", "stackoverflow" };
static const char *const format_titles[F_N] = { "O*NET Technology Skills", "ESCO skills", "Stack Overflow tags" };
/* What each source's terms ask of a copy (see ../shared/data/skills/SOURCE.md upstream notes). */
static const char *const format_notices[F_N] = {
	"This file includes information from the O*NET Database by the U.S. Department of Labor, Employment and\n"
	"# Training Administration (USDOL/ETA), used under the CC BY 4.0 license. O*NET is a trademark of USDOL/ETA.",
	"This file uses the ESCO classification of the European Commission.",
	"Stack Overflow tag names (Stack Exchange data, CC BY-SA 4.0): keep this file apart, with this notice.",
};

struct tax_args {
	int format;
	const char *file, *name;
	long min_count;
	int dry_run, conflicts, json, plain_words;
	char **rest;
	int nrest;
};

static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return 0;
	return 1;
}

static int parse_args(int argc, char **argv, struct tax_args *a)
{
	a->format = -1;
	a->min_count = SO_MIN_COUNT_DEFAULT;
	a->rest = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		int f = -1;
		for (int k = 0; k < F_N; k++)
			if (strcmp(arg, format_flags[k]) == 0)
				f = k;
		int takes = f >= 0 || strcmp(arg, "--name") == 0 || strcmp(arg, "--min-count") == 0;
		if (takes && i + 1 >= argc) {
			fprintf(stderr, "jobtrack: %s needs a value (see: jobtrack taxonomy --help)\n", arg);
			return 2;
		}
		if (f >= 0) {
			if (a->format >= 0) {
				fprintf(stderr, "jobtrack: import one file at a time (%s and %s)\n",
					format_flags[a->format], arg);
				return 2;
			}
			a->format = f;
			a->file = argv[++i];
		} else if (strcmp(arg, "--name") == 0) {
			a->name = argv[++i];
			if (!name_ok(a->name)) {
				fprintf(stderr, "jobtrack: --name must be lower-case letters, digits, '-' and '_' "
						"(like esco-digital)\n");
				return 2;
			}
		} else if (strcmp(arg, "--min-count") == 0) {
			if (text_parse_long(argv[++i], 0, LONG_MAX, &a->min_count)) {
				fprintf(stderr, "jobtrack: --min-count needs a whole number\n");
				return 2;
			}
		} else if (strcmp(arg, "--single-words") == 0) {
			a->plain_words = 1;
		} else if (strcmp(arg, "--dry-run") == 0) {
			a->dry_run = 1;
		} else if (strcmp(arg, "--conflicts") == 0) {
			a->conflicts = 1;
		} else if (strcmp(arg, "--json") == 0) {
			a->json = 1;
		} else {
			a->rest[a->nrest++] = argv[i]; /* --data-dir and the other config flags */
		}
	}
	return 0;
}

/* file: the input an import read (the lines are its lines), or NULL for
 * the extension files' own. */
static void print_conflicts(const struct tax_ext_report *rep, size_t max, const char *file)
{
	for (size_t i = 0; i < rep->n_conflicts && i < max; i++) {
		if (file)
			printf("  %s:%u: %s\n", file, rep->conflicts[i].line, rep->conflicts[i].message);
		else
			printf("  %s.tsv:%u: %s\n", rep->conflicts[i].source, rep->conflicts[i].line,
			       rep->conflicts[i].message);
	}
	if (rep->n_conflicts > max)
		printf("  … and %zu more (jobtrack taxonomy stats --conflicts lists them all)\n",
		       rep->n_conflicts - max);
}

/* Writes DIR/taxonomy/NAME.tsv through a temporary file and a rename. */
static int write_extension(const char *data_dir, const char *name, const struct buf *b, char *path, size_t cap)
{
	char dir[4096], tmp[4200];
	snprintf(dir, sizeof(dir), "%s/%s", data_dir, TAXONOMY_EXT_DIR);
	snprintf(path, cap, "%s/%s.tsv", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tsv.tmp", dir, name);
	int rc = fs_make_dirs(dir, 0700);
	if (rc) {
		fprintf(stderr, "jobtrack: cannot create %s: %s\n", dir, strerror(-rc));
		return 1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (rc = fs_write_all(fd, b->data, b->len, -1)) != 0 || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "jobtrack: cannot write %s: %s\n", path, strerror(rc ? -rc : errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return 1;
	}
	return 0;
}

static int cmd_import(const struct tax_args *args, const struct config *cfg)
{
	if (args->format < 0 || !args->file) {
		fprintf(stderr, "jobtrack: import needs --onet FILE, --esco FILE or --stackoverflow FILE\n");
		return 2;
	}
	const char *name = args->name ? args->name : format_names[args->format];
	char err[1024];
	char *text = taxonomy_read_file(args->file, err, sizeof(err));
	if (!text) {
		fprintf(stderr, "jobtrack: %s\n", err);
		return 2;
	}
	struct arena a;
	arena_init(&a, 0);
	struct import_items items = { .plain_words = args->plain_words };
	size_t len = strlen(text);
	int prc = args->format == F_ONET ? import_parse_onet(&a, text, len, &items, err, sizeof(err))
		  : args->format == F_ESCO
		      ? import_parse_esco(&a, text, len, &items, err, sizeof(err))
		      : import_parse_stackoverflow(&a, text, len, args->min_count, &items, err, sizeof(err));
	free(text);
	if (prc != 0) {
		fprintf(stderr, "jobtrack: %s: %s\n", args->file, err);
		arena_free(&a);
		return 2;
	}
	/* The taxonomy as it will be, but for the file this import replaces. */
	struct taxonomy t;
	struct tax_merger mg;
	struct tax_ext_report before = { 0 }, rep = { 0 };
	struct import_summary sum;
	struct buf out;
	buf_init(&out, 256u << 20);
	char dir[4096], path[4200] = "";
	snprintf(dir, sizeof(dir), "%s/%s", cfg->data_dir, TAXONOMY_EXT_DIR);
	int rc = 1;
	if (taxonomy_load_builtin(&t, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		buf_free(&out);
		arena_free(&a);
		return 1;
	}
	if (tax_merger_init(&mg, &t) != 0) {
		fprintf(stderr, "jobtrack: out of memory\n");
		goto done;
	}
	if (tax_merger_extend_dir(&mg, dir, name, &before, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s (fix or remove that file first)\n", err);
		goto done;
	}
	time_t now = time(NULL);
	struct tm tm;
	char day[16];
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&now, &tm));
	buf_printf(&out,
		   "# jobtrack taxonomy extension \"%s\": %s imported from %s on %s by `jobtrack taxonomy import`.\n"
		   "# Format: the built-in skills.tsv (id<TAB>name<TAB>type<TAB>category<TAB>aliases, '|' between\n"
		   "# aliases, '=' for an exact-case form). A line with a built-in id adds spellings to that skill.\n"
		   "# %s\n",
		   name, format_titles[args->format], args->file, day, format_notices[args->format]);
	if (import_merge(&mg, name, &items, &rep, &out, &sum) != 0 || buf_failed(&out)) {
		fprintf(stderr, "jobtrack: out of memory\n");
		goto done;
	}
	printf("%s: %zu rows read, %zu skills named; %zu rows or spellings left out (one-word everyday words, "
	       "employers%s)\n",
	       args->file, items.rows, items.n, items.skipped, args->format == F_SO ? ", rare or generic tags" : "");
	printf("%s%s: %zu new skills; %zu times a skill already there gained spellings (%zu spellings in all)\n",
	       args->dry_run ? "would import as " : "", name, sum.skills_added, sum.skills_extended, sum.forms_added);
	if (rep.n_conflicts) {
		printf("%zu spellings left out, as they already stand for another skill:\n", rep.n_conflicts);
		print_conflicts(&rep, CONFLICTS_SHOWN, args->file);
	}
	if (args->dry_run) {
		rc = 0;
		goto done;
	}
	if (cli_data_dir(cfg) || write_extension(cfg->data_dir, name, &out, path, sizeof(path)))
		goto done;
	/* Read back what serve and scan will read. */
	struct taxonomy check;
	if (taxonomy_load_user(&check, NULL, cfg->data_dir, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: the file written does not load: %s\n", err);
		goto done;
	}
	char version[17];
	taxonomy_version_hex(&check, version);
	printf("wrote %s: the taxonomy now holds %zu skills (version %s); restart `jobtrack serve` to use it\n", path,
	       check.n_skills, version);
	taxonomy_free(&check);
	rc = 0;
done:
	tax_merger_free(&mg);
	taxonomy_free(&t);
	buf_free(&out);
	arena_free(&a);
	return rc;
}

static int cmd_stats(const struct tax_args *args, const struct config *cfg)
{
	struct taxonomy t;
	struct tax_ext_report rep;
	char err[1024];
	if (taxonomy_load_builtin(&t, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		return 1;
	}
	size_t builtin_skills = t.n_skills, builtin_forms = 0, by_type[5] = { 0 };
	for (size_t i = 0; i < t.n_skills; i++) {
		builtin_forms += t.skills[i].nforms;
		by_type[t.skills[i].type]++;
	}
	char origin[512];
	snprintf(origin, sizeof(origin), "%s", t.origin);
	taxonomy_free(&t);
	if (taxonomy_load_user(&t, NULL, cfg->data_dir, &rep, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		return 1;
	}
	size_t forms = 0;
	for (size_t i = 0; i < t.n_skills; i++)
		forms += t.skills[i].nforms;
	char version[17];
	taxonomy_version_hex(&t, version);
	if (args->json) {
		struct buf b;
		buf_init(&b, 64u << 20);
		buf_printf(&b,
			   "{\"version\":\"%s\",\"skills\":%zu,\"forms\":%zu,\"builtin\":{\"skills\":%zu,\"forms\":%zu,"
			   "\"by_type\":{",
			   version, t.n_skills, forms, builtin_skills, builtin_forms);
		for (int k = 0; k < 5; k++)
			buf_printf(&b, "%s\"%s\":%zu", k ? "," : "", skill_type_name((enum skill_type)k), by_type[k]);
		buf_puts(&b, "}},\"extension_dir\":");
		char dir[4200];
		snprintf(dir, sizeof(dir), "%s/%s", cfg->data_dir, TAXONOMY_EXT_DIR);
		json_out_string(&b, dir);
		buf_puts(&b, ",\"sources\":[");
		for (size_t i = 0; i < rep.n_sources; i++) {
			const struct tax_source_stats *s = &rep.sources[i];
			buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
			json_out_string(&b, s->name);
			buf_printf(
			    &b, ",\"skills_added\":%zu,\"skills_extended\":%zu,\"forms_added\":%zu,\"conflicts\":%zu}",
			    s->skills_added, s->skills_extended, s->forms_added, s->conflicts);
		}
		buf_puts(&b, "],\"conflicts\":[");
		for (size_t i = 0; args->conflicts && i < rep.n_conflicts; i++) {
			buf_puts(&b, i ? ",{\"source\":" : "{\"source\":");
			json_out_string(&b, rep.conflicts[i].source);
			buf_printf(&b, ",\"line\":%u,\"message\":", rep.conflicts[i].line);
			json_out_string(&b, rep.conflicts[i].message);
			buf_putc(&b, '}');
		}
		buf_puts(&b, "]}\n");
		if (!buf_failed(&b))
			fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
	} else {
		printf("taxonomy version %s: %zu skills with %zu forms\n", version, t.n_skills, forms);
		printf(
		    "  %-16s %6zu skills (%zu hard, %zu soft, %zu certification, %zu language, %zu tool), %zu forms\n",
		    "built-in", builtin_skills, by_type[SKILL_HARD], by_type[SKILL_SOFT], by_type[SKILL_CERT],
		    by_type[SKILL_LANGUAGE], by_type[SKILL_TOOL], builtin_forms);
		for (size_t i = 0; i < rep.n_sources; i++) {
			const struct tax_source_stats *s = &rep.sources[i];
			printf("  %-16s %6zu new skills, %zu additions to skills already there, %zu forms; %zu "
			       "conflicts\n",
			       s->name, s->skills_added, s->skills_extended, s->forms_added, s->conflicts);
		}
		if (!rep.n_sources)
			printf("  no extension in %s/%s (see: jobtrack taxonomy --help)\n", cfg->data_dir,
			       TAXONOMY_EXT_DIR);
		printf("(built-in: %s; extension: %s/%s)\n", origin, cfg->data_dir, TAXONOMY_EXT_DIR);
		if (rep.n_conflicts) {
			printf("%zu spellings left out, as they already stand for another skill%s\n", rep.n_conflicts,
			       args->conflicts ? ":" : " (--conflicts lists them)");
			if (args->conflicts)
				print_conflicts(&rep, rep.n_conflicts, NULL);
		}
	}
	taxonomy_free(&t);
	return 0;
}

int cmd_taxonomy(int argc, char **argv)
{
	if (argc < 1 || cli_wants_help(argc, argv)) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	int (*run)(const struct tax_args *, const struct config *) = strcmp(argv[0], "import") == 0  ? cmd_import
								     : strcmp(argv[0], "stats") == 0 ? cmd_stats
												     : NULL;
	if (!run) {
		fprintf(stderr,
			"jobtrack: unknown taxonomy command \"%s\" (import, stats; see: jobtrack taxonomy "
			"--help)\n",
			argv[0]);
		return 2;
	}
	struct tax_args args = { 0 };
	int rc = parse_args(argc - 1, argv + 1, &args);
	if (!rc && run == cmd_stats && args.format >= 0) {
		fprintf(stderr, "jobtrack: stats takes no %s\n", format_flags[args.format]);
		rc = 2;
	}
	struct config cfg;
	if (!rc && (rc = cli_config(&cfg, args.nrest, args.rest, NULL)) == 0) {
		rc = run(&args, &cfg);
		config_free(&cfg);
	}
	free(args.rest);
	return rc;
}

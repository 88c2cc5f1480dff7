/* jobtrack scan — how well a resume matches a job posting: a 0–100 score
 * with its breakdown, matched and missing skills and keywords, and
 * suggestions (src/scan/). The posting comes from a file (a saved page,
 * payload or plain text: cli/scan_input.c) or from the store (--posting);
 * the words' IDF weights come from the store's postings when there is a
 * store, else from the built-in default. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/scan_best.h"
#include "cli/scan_extras.h"
#include "cli/scan_input.h"
#include "scan/dates.h"
#include "scan/idf_store.h"
#include "scan/jd.h"
#include "scan/report.h"
#include "scan/resume.h"
#include "scan/score.h"
#include "scan/taxonomy_ext.h"
#include "scan/tfidf.h"

/* What RESUME may be: src/resume reads each of these, told apart by content. */
#define RESUME_FORMATS "PDF, DOCX,\n                  plain text or Markdown, told apart by content"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jobtrack scan RESUME (--job FILE [--source NAME] | --posting ID) [--json] [--taxonomy DIR]\n"
		"       jobtrack scan RESUME --best [--limit N] [FILTERS] [--json] [--taxonomy DIR]\n"
		"       jobtrack scan --fill-terms [--taxonomy DIR]\n"
		"       jobtrack scan --check-taxonomy [DIR]\n\n"
		"Scores how well a resume matches a job posting, 0–100, and explains the score: hard\n"
		"skills, soft skills, other keywords, job title (occupation), education (only when the\n"
		"posting asks for a degree) and years of experience, each with its weight and the points\n"
		"won and lost; the skills and keywords matched and missing, with how often the posting\n"
		"and the resume mention them and whether the posting requires or prefers them; and\n"
		"suggestions; and, apart from the score, the resume's ATS-readability checks (text\n"
		"layer, contact details, headings, dates, tables and columns, file type, length,\n"
		"measurable results). Offline and deterministic: a skills taxonomy, no language model.\n\n"
		"  RESUME          the resume file; \"-\" reads standard input. " RESUME_FORMATS "\n"
		"  --job FILE      the posting: a saved posting page or JSON payload (read like\n"
		"                  `jobtrack extract` reads it: schema.org JobPosting), or the job\n"
		"                  description as plain text, PDF or DOCX (its title: the first\n"
		"                  opening line that names an occupation)\n"
		"  --posting ID    the posting with this id in the store (see --data-dir below)\n"
		"  --source NAME   read --job FILE as this adapter's payload (greenhouse, lever, …;\n"
		"                  see jobtrack extract --help); the first posting in it is scanned\n\n"
		"options:\n"
		"  --json          print one JSON object: \"score\" (0–100) beside \"breakdown\",\n"
		"                  \"matched\", \"missing\", \"suggestions\", \"posting\", \"resume\",\n"
		"                  \"taxonomy\" and \"taxonomy_version\" (which taxonomy scored it),\n"
		"                  \"ats\" (the checks)\n"
		"  --taxonomy DIR  read the skills taxonomy from DIR (skills.tsv, categories.tsv,\n"
		"                  titles.tsv, seniority.tsv) instead of the built-in one; the\n"
		"                  extension in DATA_DIR/taxonomy/ (jobtrack taxonomy --help) is\n"
		"                  merged on top of either\n"
		"  --marked        also print the resume and the posting with the matched terms\n"
		"                  [in brackets] and the missing ones {in braces} (--json: \"marked\",\n"
		"                  byte offsets of each term, as GET /api/v1/scans/{id}/marks)\n"
		"  --baseline      also report the plain TF-IDF cosine similarity (for evaluation)\n"
		"  --now YYYY-MM   the month \"Present\" means in date ranges (default: this month)\n"
		"  --check-taxonomy [DIR]  validate a taxonomy folder (default: the built-in one)\n"
		"                  with the extension in DATA_DIR/taxonomy/ merged on top, and\n"
		"                  print what it holds, its version and each extension file's\n"
		"                  additions and conflicts; errors name the file and line\n\n"
		"best matches (--best): ranks every open posting in the store for RESUME, best\n"
		"first, each with its score, breakdown, and top matched and missing skills.\n"
		"  --limit N       how many to show, 1-200 (default 20)\n"
		"  FILTERS         as the search's: --q TEXT (the search language), --workplace\n"
		"                  remote,hybrid,onsite, --country CC, --city NAME, --min-salary\n"
		"                  YEARLY [--currency XXX], --employment-type FULL_TIME,...,\n"
		"                  --posted-within-days N, --source ADAPTER, --company NAME\n"
		"  --fill-terms    read and cache the scan terms of every open posting that has\n"
		"                  none yet (after an import or a new taxonomy), with progress;\n"
		"                  `serve` does this in the background, --best before it ranks\n\n"
		"The words' weights (IDF) come from the postings in the store when one exists\n"
		"(--data-dir / --database-url, as for `jobtrack serve`), else from a built-in default.\n\n"
		"exit status: 0 scanned, 1 failure, 2 usage error or unreadable input\n");
}

struct scan_args {
	const char *resume, *job, *taxonomy, *source;
	long posting;
	int json, baseline, now_month, marked;
	char **store_argv;
	int store_argc;
};

static int parse_now(const char *s, int *out)
{
	long y, m;
	char ys[5] = { 0 }, ms[3] = { 0 };
	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	memcpy(ys, s, 4);
	memcpy(ms, s + 5, 2);
	if (text_parse_long(ys, 1950, 2100, &y) != 0 || text_parse_long(ms, 1, 12, &m) != 0)
		return -1;
	*out = (int)(y * 12 + m - 1);
	return 0;
}

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	a->store_argv = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->store_argv)
		return 1;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		const char *name = NULL;
		static const char *const with_value[] = {
			"--job", "--posting", "--taxonomy", "--now", "--source", NULL
		};
		for (const char *const *w = with_value; *w; w++) {
			size_t n = strlen(*w);
			if (strcmp(arg, *w) == 0) {
				if (i + 1 >= argc) {
					fprintf(stderr, "jobtrack: %s needs a value\n", arg);
					return 2;
				}
				name = *w;
				value = argv[++i];
			} else if (strncmp(arg, *w, n) == 0 && arg[n] == '=') {
				name = *w;
				value = arg + n + 1;
			}
		}
		if (name && strcmp(name, "--job") == 0) {
			a->job = value;
		} else if (name && strcmp(name, "--source") == 0) {
			a->source = value;
		} else if (name && strcmp(name, "--taxonomy") == 0) {
			a->taxonomy = value;
		} else if (name && strcmp(name, "--posting") == 0) {
			if (text_parse_long(value, 1, LONG_MAX, &a->posting)) {
				fprintf(stderr, "jobtrack: --posting needs a posting id (a positive number)\n");
				return 2;
			}
		} else if (name && strcmp(name, "--now") == 0) {
			if (parse_now(value, &a->now_month)) {
				fprintf(stderr, "jobtrack: --now needs a month as YYYY-MM\n");
				return 2;
			}
		} else if (strcmp(arg, "--json") == 0) {
			a->json = 1;
		} else if (strcmp(arg, "--baseline") == 0) {
			a->baseline = 1;
		} else if (strcmp(arg, "--marked") == 0) {
			a->marked = 1;
		} else if (scan_other_arg(argc, argv, &i, &a->resume, a->store_argv, &a->store_argc)) {
			return 2;
		}
	}
	if (!a->resume) {
		fprintf(stderr, "jobtrack: scan needs a RESUME file (see: jobtrack scan --help)\n");
		return 2;
	}
	if (!a->job == !a->posting) {
		fprintf(stderr, "jobtrack: scan needs one of --job FILE or --posting ID\n");
		return 2;
	}
	return 0;
}

/* The store, when there is one: required for --posting, optional (IDF) for --job. */
static int open_store(const struct config *cfg, struct store **s, int required)
{
	*s = NULL;
	if (!required) {
		struct stat st;
		const char *url = cfg->database_url;
		if (strncmp(url, "sqlite:", 7) == 0 && stat(url + 7, &st) != 0)
			return 0;
		char err[512];
		if (store_open(url, s, err, sizeof(err)) != 0) {
			*s = NULL;
			fprintf(stderr, "jobtrack: the store cannot be opened (%s); using the built-in word weights\n",
				err);
		}
		return 0;
	}
	return cli_open_existing_store(cfg, s) ? 1 : 0;
}

/* --check-taxonomy [DIR] [--data-dir D]: load the taxonomy (DIR's, or the
 * built-in one) with the user's extension merged on top, as serve and
 * scan do, compile it, count. A malformed extension file fails the check
 * (naming the file and line); spellings left out as conflicts are listed. */
static int check_taxonomy(int argc, char **argv)
{
	const char *dir = argc >= 1 && strncmp(argv[0], "--", 2) != 0 ? argv[0] : NULL;
	struct config cfg;
	int rc = cli_config(&cfg, argc - (dir != NULL), argv + (dir != NULL), NULL);
	if (rc)
		return rc;
	struct taxonomy t;
	struct tax_ext_report rep;
	char err[1024];
	if (taxonomy_load_user(&t, dir, cfg.data_dir, &rep, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: taxonomy: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	struct scan_matcher m;
	if (matcher_build(&m, &t, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		taxonomy_free(&t);
		config_free(&cfg);
		return 1;
	}
	size_t forms = 0, by_type[5] = { 0 };
	for (size_t i = 0; i < t.n_skills; i++) {
		forms += t.skills[i].nforms;
		by_type[t.skills[i].type]++;
	}
	printf("%s: %zu skills (%zu hard, %zu soft, %zu certification, %zu language, %zu tool) with %zu forms, "
	       "%zu categories, %zu occupations, %zu seniority words; %zu forms listed twice (the first wins)\n",
	       t.origin, t.n_skills, by_type[SKILL_HARD], by_type[SKILL_SOFT], by_type[SKILL_CERT],
	       by_type[SKILL_LANGUAGE], by_type[SKILL_TOOL], forms, t.n_categories, t.n_titles, t.n_seniority,
	       t.warnings);
	printf("version %s\n", m.version);
	if (!rep.n_sources)
		printf("extension: none in %s/%s\n", cfg.data_dir, TAXONOMY_EXT_DIR);
	for (size_t i = 0; i < rep.n_sources; i++) {
		const struct tax_source_stats *s = &rep.sources[i];
		printf("extension %s/%s/%s.tsv: %zu skills added, %zu extended, %zu spellings added, %zu left out\n",
		       cfg.data_dir, TAXONOMY_EXT_DIR, s->name, s->skills_added, s->skills_extended, s->forms_added,
		       s->conflicts);
	}
	for (size_t i = 0; i < rep.n_conflicts; i++)
		printf("  %s.tsv:%u: %s\n", rep.conflicts[i].source, rep.conflicts[i].line, rep.conflicts[i].message);
	matcher_free(&m);
	taxonomy_free(&t);
	config_free(&cfg);
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 1 && strcmp(argv[0], "--fill-terms") == 0)
		return scan_fill_main(argc - 1, argv + 1);
	if (scan_best_wanted(argc, argv))
		return scan_best_main(argc, argv);
	if (argc >= 1 && strcmp(argv[0], "--check-taxonomy") == 0)
		return check_taxonomy(argc - 1, argv + 1);
	struct scan_args args = { .now_month = dates_month_of(time(NULL)) };
	int rc = parse_args(argc, argv, &args);
	if (rc) {
		free(args.store_argv);
		return rc;
	}
	struct arena a;
	arena_init(&a, 0);
	struct taxonomy tax = { 0 };
	struct scan_matcher m = { 0 };
	struct idf_table idf;
	idf_init(&idf);
	struct config cfg;
	int have_cfg = 0;
	struct store *store = NULL;
	struct resume_text rdoc;
	const char *resume_text, *title = NULL, *jd_text = NULL;
	size_t resume_len, jd_len = 0;
	char err[512];

	if ((rc = cli_config(&cfg, args.store_argc, args.store_argv, NULL)) != 0)
		goto done;
	have_cfg = 1;
	/* The built-in taxonomy (or --taxonomy DIR) with the user's extension. */
	if ((rc = cli_load_taxonomy(&tax, args.taxonomy, cfg.data_dir, NULL)) != 0)
		goto done;
	if (matcher_build(&m, &tax, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s\n", err);
		rc = 1;
		goto done;
	}
	if ((rc = scan_read_resume_doc(&a, args.resume, &rdoc)) != 0)
		goto done;
	resume_text = rdoc.body;
	resume_len = rdoc.body_len;
	if (args.job && (rc = scan_read_posting(&a, args.job, args.source, &title, &jd_text, &jd_len)) != 0)
		goto done;
	rc = open_store(&cfg, &store, args.posting != 0);
	if (rc)
		goto done;
	if (args.posting) {
		struct store_posting p;
		int src = store_posting_get(store, args.posting, &a, &p, NULL, NULL);
		if (src == STORE_NOTFOUND) {
			fprintf(stderr, "jobtrack: no posting %ld in the store\n", args.posting);
			rc = 1;
			goto done;
		}
		if (src) {
			fprintf(stderr, "jobtrack: reading posting %ld failed\n", args.posting);
			rc = 1;
			goto done;
		}
		title = p.title;
		jd_text = p.description_text ? p.description_text : "";
		jd_len = strlen(jd_text);
	}
	if (store) {
		size_t added;
		struct idf_mark mark;
		if (idf_from_store_all(&idf, store, 0, &mark, &added) != 0) {
			fprintf(stderr, "jobtrack: reading the postings for word weights failed; using the defaults\n");
			idf_free(&idf);
			idf_init(&idf);
		}
	}

	struct resume_info r;
	struct jd_terms jd;
	struct scan_result res;
	if (resume_analyse(&a, &m, resume_text, resume_len, args.now_month, &r) != 0 ||
	    jd_extract(&a, &m, &idf, title, jd_text, jd_len, &jd) != 0 || scan_score(&a, &m, &jd, &r, 1, &res) != 0) {
		fprintf(stderr, "jobtrack: out of memory\n");
		rc = 1;
		goto done;
	}
	struct buf out;
	buf_init(&out, 64u << 20);
	if (args.json) {
		report_json(&out, &m, &jd, &r, &res);
		if (args.baseline && out.len >= 2 && !buf_failed(&out)) {
			out.len -= 2; /* "}\n": one more member */
			buf_printf(&out, ",\"baseline_tfidf_cosine\":%.4f}\n",
				   tfidf_cosine(&r.doc.toks, &jd.doc.toks, &idf));
		}
	} else {
		report_text(&out, &m, &jd, &r, &res);
		if (args.baseline)
			buf_printf(&out, "\nBaseline TF-IDF cosine: %.4f\n",
				   tfidf_cosine(&r.doc.toks, &jd.doc.toks, &idf));
		buf_printf(&out, "\n(taxonomy: %s, version %s; word weights: %s)\n", tax.origin, m.version,
			   idf.ndocs >= 20 ? "the store's postings" : "built-in default");
	}
	const struct scan_extras extras = {
		.m = &m, .doc = &rdoc, .r = &r, .jd_text = jd_text, .jd_len = jd_len, .res = &res, .marked = args.marked
	};
	if ((args.json ? scan_extras_json : scan_extras_text)(&out, &a, &extras) != 0)
		out.error = -ENOMEM;
	rc = scan_write_report(&out);
done:
	if (store)
		store_close(store);
	if (have_cfg)
		config_free(&cfg);
	idf_free(&idf);
	matcher_free(&m);
	taxonomy_free(&tax);
	arena_free(&a);
	free(args.store_argv);
	return rc;
}

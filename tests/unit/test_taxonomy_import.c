/* Unit tests for the user's taxonomy extension (scan/taxonomy_ext.h) and
 * the importers (scan/import.h): merging never overrides a form (conflicts
 * reported), new spellings join the skill they belong to, files merge in
 * name order, wrong formats are refused with the line and what was
 * expected, and an import's file loads back to the same taxonomy.
 * argv[1]: the test taxonomy; argv[2]: tests/fixtures/taxonomy_import.
 * JT_SKILLS_DATA may name ../shared/data/skills: the real O*NET, ESCO and
 * Stack Overflow files are then imported too (skipped when absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/import.h"
#include "scan/matcher.h"
#include "scan/taxonomy_ext.h"

static const char *tax_dir, *fx_dir;

static void load_base(struct taxonomy *t)
{
	char err[512];
	if (taxonomy_load_dir(t, tax_dir, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static long skill_of(const struct taxonomy *t, const char *id)
{
	for (size_t i = 0; i < t->n_skills; i++)
		if (strcmp(t->skills[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int has_form(const struct taxonomy *t, const char *id, const char *form)
{
	long i = skill_of(t, id);
	for (uint32_t k = 0; i >= 0 && k < t->skills[i].nforms; k++)
		if (strcmp(t->skills[i].forms[k], form) == 0)
			return 1;
	return 0;
}

/* The skill ids the matcher finds in text, space-separated. */
static const char *matched(struct arena *a, const struct taxonomy *t, const char *text)
{
	struct scan_matcher m;
	char err[256];
	assert_int_equal(matcher_build(&m, t, err, sizeof(err)), 0);
	struct scan_doc d;
	assert_int_equal(scan_doc_init(a, &m, text, strlen(text), &d), 0);
	char *out = arena_strdup(a, "");
	for (size_t i = 0; i < d.n_skills; i++)
		out = arena_printf(a, "%s%s%s", out, i ? " " : "", t->skills[d.skills[i].value].id);
	matcher_free(&m);
	return out;
}

static int conflict_says(const struct tax_ext_report *rep, unsigned line, const char *words)
{
	for (size_t i = 0; i < rep->n_conflicts; i++)
		if (rep->conflicts[i].line == line && strstr(rep->conflicts[i].message, words))
			return 1;
	return 0;
}

static void test_merge_rules(void **state)
{
	(void)state;
	struct taxonomy t;
	load_base(&t);
	size_t before = t.n_skills;
	uint64_t v0 = taxonomy_version(&t);
	struct tax_merger mg;
	assert_int_equal(tax_merger_init(&mg, &t), 0);
	struct tax_ext_report rep = { 0 };
	char err[512];
	const char *ext = "# mine\n"
			  "mine.zorb\tZorb Studio\ttool\tdesign\tzorbstudio|=ZS\n" /* 2: new */
			  "python\tPython\thard\tsoftware\tcpython|python3\n"      /* 3: new alias */
			  "mine.golang2\tGolang Two\thard\tsoftware\tgo|golang2\n" /* 4: "go" is =Go's */
			  "mine.js\tJS\thard\tsoftware\tjs\n"                      /* 5: nothing left */
			  "java\tJava\ttool\tdata\tjava se\n"                      /* 6: type kept */
			  "mine.zorb2\tzorb studio\ttool\tdesign\tZORBSTUDIO\n";   /* 7: case-blind */
	assert_int_equal(tax_merger_extend(&mg, "mine", ext, &rep, err, sizeof(err)), 0);
	tax_merger_free(&mg);
	assert_int_equal(t.n_skills, before + 2);
	assert_true(has_form(&t, "mine.zorb", "Zorb Studio"));
	assert_true(has_form(&t, "mine.zorb", "=ZS"));
	assert_true(has_form(&t, "python", "cpython"));
	assert_true(has_form(&t, "mine.golang2", "golang2"));
	assert_false(has_form(&t, "mine.golang2", "go"));
	assert_int_equal(skill_of(&t, "mine.js"), -1);
	assert_int_equal(t.skills[skill_of(&t, "java")].type, SKILL_HARD);
	assert_true(has_form(&t, "java", "java se"));
	assert_true(conflict_says(&rep, 4, "\"go\" already stands for Go (go)"));
	assert_true(conflict_says(&rep, 5, "not added"));
	assert_true(conflict_says(&rep, 6, "type and category stay"));
	assert_true(conflict_says(&rep, 7, "\"ZORBSTUDIO\" already stands for Zorb Studio"));
	assert_int_equal(rep.n_sources, 1);
	assert_int_equal(rep.sources[0].skills_added, 2);
	assert_int_equal(rep.sources[0].skills_extended, 2);
	assert_int_equal(rep.sources[0].conflicts, 8); /* names count too */
	/* The version follows the change. */
	assert_true(taxonomy_version(&t) != v0);
	/* The matcher sees the merged skills; built-in forms still win. */
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(matched(&a, &t, "Zorb Studio, CPython and Go; ZS too; let's go"),
			    "mine.zorb python go mine.zorb");
	arena_free(&a);
	taxonomy_free(&t);
}

static void test_extension_errors(void **state)
{
	(void)state;
	struct taxonomy t;
	load_base(&t);
	struct tax_merger mg;
	assert_int_equal(tax_merger_init(&mg, &t), 0);
	char err[512];
	assert_int_equal(tax_merger_extend(&mg, "bad", "# c\nx\tX\thardd\tsoftware\t-\n", NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "bad.tsv:2: unknown type \"hardd\" (hard, soft, certification, language, tool)");
	assert_int_equal(tax_merger_extend(&mg, "bad", "x\tX\thard\tnowhere\t-\n", NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "bad.tsv:1: category \"nowhere\" is not in categories.tsv");
	assert_int_equal(tax_merger_extend(&mg, "bad", "x\tX\thard\n", NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "bad.tsv:1: 3 columns, expected 5 (tab-separated)");
	tax_merger_free(&mg);
	taxonomy_free(&t);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_user_dir(void **state)
{
	(void)state;
	char data[] = "/tmp/jt-taxo-XXXXXX", dir[256], path[300];
	assert_non_null(mkdtemp(data));
	struct taxonomy t, base;
	struct tax_ext_report rep;
	char err[512];
	/* No folder: the base alone, unchanged version. */
	assert_int_equal(taxonomy_load_user(&t, tax_dir, data, &rep, err, sizeof(err)), 0);
	load_base(&base);
	assert_int_equal(t.n_skills, base.n_skills);
	assert_true(taxonomy_version(&t) == taxonomy_version(&base));
	assert_int_equal(rep.n_sources, 0);
	taxonomy_free(&t);
	snprintf(dir, sizeof(dir), "%s/%s", data, TAXONOMY_EXT_DIR);
	assert_int_equal(mkdir(dir, 0700), 0);
	/* b.tsv extends a skill a.tsv adds: a merges first. */
	snprintf(path, sizeof(path), "%s/b.tsv", dir);
	write_text(path, "a.blorp\tBlorp DB\ttool\tdata\tblorpdb 2\n");
	snprintf(path, sizeof(path), "%s/a.tsv", dir);
	write_text(path, "a.blorp\tBlorp DB\ttool\tdata\tblorpdb\n");
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	write_text(path, "not a taxonomy file: ignored\n");
	assert_int_equal(taxonomy_load_user(&t, tax_dir, data, &rep, err, sizeof(err)), 0);
	assert_int_equal(t.n_skills, base.n_skills + 1);
	assert_true(has_form(&t, "a.blorp", "blorpdb 2"));
	assert_int_equal(rep.n_sources, 2);
	assert_string_equal(rep.sources[0].name, "a");
	assert_int_equal(rep.n_conflicts, 0);
	assert_non_null(strstr(t.origin, "+ the extension in"));
	taxonomy_free(&t);
	/* A malformed file stops the load, naming file and line. */
	snprintf(path, sizeof(path), "%s/c.tsv", dir);
	write_text(path, "\n\nc.x\tX\thard\tsoftware\n");
	assert_int_equal(taxonomy_load_user(&t, tax_dir, data, &rep, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/c.tsv:3: 4 columns, expected 5"));
	assert_int_equal(rep.n_sources, 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.tsv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.tsv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	unlink(path);
	rmdir(dir);
	rmdir(data);
	taxonomy_free(&base);
}

static char *fixture(const char *name)
{
	char path[512], err[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	char *text = taxonomy_read_file(path, err, sizeof(err));
	if (!text)
		fail_msg("%s", err);
	return text;
}

enum { ONET, ESCO, SO };

static int parse(struct arena *a, int kind, const char *text, struct import_items *items, char *err, size_t errlen)
{
	size_t len = strlen(text);
	return kind == ONET   ? import_parse_onet(a, text, len, items, err, errlen)
	       : kind == ESCO ? import_parse_esco(a, text, len, items, err, errlen)
			      : import_parse_stackoverflow(a, text, len, 1000, items, err, errlen);
}

/* A fixture imported into the test taxonomy. */
struct imported {
	struct arena a;
	struct taxonomy t;
	struct import_items items;
	struct tax_ext_report rep;
	struct import_summary sum;
	const char *lines; /* the extension file's lines */
};

static void import_fixture(struct imported *x, int kind, const char *name)
{
	memset(x, 0, sizeof(*x));
	arena_init(&x->a, 0);
	load_base(&x->t);
	char *text = fixture(name);
	char err[512];
	if (parse(&x->a, kind, text, &x->items, err, sizeof(err)) != 0)
		fail_msg("%s: %s", name, err);
	free(text);
	struct tax_merger mg;
	assert_int_equal(tax_merger_init(&mg, &x->t), 0);
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(import_merge(&mg, "fx", &x->items, &x->rep, &out, &x->sum), 0);
	tax_merger_free(&mg);
	x->lines = arena_strndup(&x->a, out.data ? out.data : "", out.len);
	buf_free(&out);
}

static void imported_free(struct imported *x)
{
	taxonomy_free(&x->t);
	arena_free(&x->a);
}

/* The written lines, loaded onto a fresh base, give the same skills with
 * no conflict. */
static void assert_round_trip(const struct taxonomy *merged, const char *lines)
{
	struct taxonomy t;
	load_base(&t);
	struct tax_merger mg;
	assert_int_equal(tax_merger_init(&mg, &t), 0);
	struct tax_ext_report rep = { 0 };
	char err[512];
	if (tax_merger_extend(&mg, "fx", lines, &rep, err, sizeof(err)) != 0)
		fail_msg("%s in:\n%s", err, lines);
	tax_merger_free(&mg);
	assert_int_equal(rep.n_conflicts, 0);
	assert_int_equal(t.n_skills, merged->n_skills);
	assert_true(taxonomy_version(&t) == taxonomy_version(merged));
	taxonomy_free(&t);
}

static void test_onet(void **state)
{
	(void)state;
	struct imported x;
	import_fixture(&x, ONET, "onet.txt");
	assert_int_equal(x.items.rows, 7);
	/* Facebook is an employer; "go" a lower-case word. */
	assert_int_equal(x.items.skipped, 2);
	/* QuickBooks gains its vendor's spelling; Oracle Java joins Java;
	 * the one-word name is kept as written; the repeat adds nothing. */
	assert_true(has_form(&x.t, "quickbooks", "Intuit QuickBooks"));
	assert_true(has_form(&x.t, "java", "Oracle Java"));
	assert_true(has_form(&x.t, "fx.frobnicator", "=Frobnicator"));
	assert_int_equal(x.t.skills[skill_of(&x.t, "fx.zylotrax-ledger-pro")].type, SKILL_TOOL);
	assert_string_equal(x.t.categories[x.t.skills[skill_of(&x.t, "fx.zylotrax-ledger-pro")].category].id,
			    "accounting");
	assert_int_equal(x.sum.skills_added, 2);
	assert_int_equal(x.sum.skills_extended, 2);
	assert_non_null(strstr(x.lines, "fx.frobnicator\tFrobnicator\ttool\tsoftware\t=Frobnicator\n"));
	assert_non_null(strstr(x.lines, "quickbooks\tQuickBooks\ttool\taccounting\tIntuit QuickBooks\n"));
	assert_round_trip(&x.t, x.lines);
	assert_string_equal(matched(&x.a, &x.t, "Frobnicator and Zylotrax Ledger Pro. frobnicator"),
			    "fx.frobnicator fx.zylotrax-ledger-pro");
	imported_free(&x);
}

static void test_esco(void **state)
{
	(void)state;
	struct imported x;
	import_fixture(&x, ESCO, "esco.csv");
	/* The blank line is no row; the obsolete one is left out. */
	assert_int_equal(x.items.rows, 5);
	long w = skill_of(&x.t, "fx.keep-a-ledger-of-widgets");
	assert_true(w >= 0);
	assert_int_equal(x.t.skills[w].type, SKILL_SOFT);
	assert_true(has_form(&x.t, "fx.keep-a-ledger-of-widgets", "track widgets in a ledger"));
	assert_true(has_form(&x.t, "fx.keep-a-ledger-of-widgets", "maintain widget ledger"));
	long q = skill_of(&x.t, "fx.quuxlang");
	assert_true(q >= 0);
	assert_string_equal(x.t.categories[x.t.skills[q].category].id, "software");
	assert_true(has_form(&x.t, "fx.quuxlang", "=Quuxlang"));
	assert_false(has_form(&x.t, "fx.quuxlang", "quux")); /* one lower-case word */
	/* "js" belongs to JavaScript: the frameworks join it, not a new skill. */
	assert_true(has_form(&x.t, "javascript", "JavaScript frameworks"));
	/* Only everyday words: no skill. */
	assert_int_equal(skill_of(&x.t, "fx.design"), -1);
	assert_round_trip(&x.t, x.lines);
	assert_string_equal(matched(&x.a, &x.t, "We use Quuxlang programming to track widgets in a ledger."),
			    "fx.quuxlang fx.keep-a-ledger-of-widgets");
	imported_free(&x);
}

static void test_stackoverflow(void **state)
{
	(void)state;
	struct imported x;
	import_fixture(&x, SO, "stackoverflow.csv");
	assert_int_equal(x.items.rows, 8);
	/* arrays, for-loop (generic), rare-thing (12 uses), spring (a word). */
	assert_int_equal(x.items.skipped, 4);
	assert_true(has_form(&x.t, "python", "python-3.x")); /* the version joins its skill */
	assert_true(skill_of(&x.t, "fx.zorblatt-framework") >= 0);
	assert_int_equal(skill_of(&x.t, "fx.html5"), -1); /* already html's */
	assert_int_equal(skill_of(&x.t, "fx.spring"), -1);
	assert_round_trip(&x.t, x.lines);
	imported_free(&x);
}

static void assert_refused(int kind, const char *name, const char *want)
{
	struct arena a;
	arena_init(&a, 0);
	struct import_items items = { 0 };
	char err[512] = "";
	char *text = fixture(name);
	assert_int_equal(parse(&a, kind, text, &items, err, sizeof(err)), -1);
	free(text);
	if (!strstr(err, want))
		fail_msg("%s: \"%s\" does not say \"%s\"", name, err, want);
	arena_free(&a);
}

static void test_wrong_formats(void **state)
{
	(void)state;
	assert_refused(ONET, "esco.csv",
		       "line 1: a comma-separated line (ESCO's and Stack Overflow's CSV files go "
		       "with --esco and --stackoverflow); expected O*NET's Technology Skills file");
	assert_refused(ONET, "onet_short_row.txt", "line 2: 5 columns, expected 6 as in the header");
	assert_refused(ONET, "onet_bad_code.txt", "line 2: \"13-2011\" is not an O*NET-SOC code (like 15-1252.00)");
	assert_refused(ESCO, "onet.txt", "line 1: no preferredLabel column (a tab-separated file: O*NET's goes");
	assert_refused(ESCO, "esco_unclosed.csv", "line 2: a quoted field is not closed");
	assert_refused(ESCO, "esco_short_row.csv", "line 3: 2 fields, expected 3 as in the header");
	assert_refused(SO, "so_bad_count.csv", "line 2: Count \"many\" is not a whole number");
	assert_refused(SO, "so_no_tag.csv", "line 1: no TagName column");
	assert_refused(SO, "onet.txt", "no TagName column (a tab-separated file");
	struct arena a;
	arena_init(&a, 0);
	struct import_items items = { 0 };
	char err[256];
	assert_int_equal(import_parse_esco(&a, "", 0, &items, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the file is empty"));
	const char *latin1 = "O*NET-SOC Code\tExample\n\xff\n";
	assert_int_equal(import_parse_onet(&a, latin1, strlen(latin1), &items, err, sizeof(err)), -1);
	assert_string_equal(err, "line 2: not valid UTF-8 (save the file as UTF-8)");
	arena_free(&a);
}

/* The real lists, when ../shared/data/skills is there. */
static void test_real_files(void **state)
{
	(void)state;
	const char *dir = getenv("JT_SKILLS_DATA");
	struct stat st;
	if (!dir || stat(dir, &st) != 0)
		skip();
	static const struct {
		int kind;
		const char *file;
		size_t min_added;
	} files[] = {
		{ ONET, "onet/Technology_Skills.txt", 5000 },
		{ ESCO, "esco/digitalSkillsCollection_en.csv", 500 },
		{ ESCO, "esco/transversalSkillsCollection_en.csv", 30 },
		{ SO, "stackoverflow/stackoverflow_tags_2021-03.csv", 500 },
	};
	struct taxonomy t;
	char err[512];
	assert_int_equal(taxonomy_load_builtin(&t, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
		char *text = taxonomy_read_file(path, err, sizeof(err));
		if (!text) {
			print_message("skipping %s: %s\n", files[i].file, err);
			continue;
		}
		struct arena a;
		arena_init(&a, 0);
		struct import_items items = { 0 };
		if (parse(&a, files[i].kind, text, &items, err, sizeof(err)) != 0)
			fail_msg("%s: %s", files[i].file, err);
		free(text);
		struct tax_merger mg;
		assert_int_equal(tax_merger_init(&mg, &t), 0);
		struct buf out;
		buf_init(&out, 64u << 20);
		struct import_summary sum;
		assert_int_equal(import_merge(&mg, "real", &items, NULL, &out, &sum), 0);
		tax_merger_free(&mg);
		print_message("%s: %zu rows, %zu new skills, %zu extended, %zu conflicts\n", files[i].file, items.rows,
			      sum.skills_added, sum.skills_extended, sum.conflicts);
		assert_true(sum.skills_added >= files[i].min_added);
		buf_free(&out);
		arena_free(&a);
	}
	/* Built-in forms still mean what they meant. */
	struct arena a;
	arena_init(&a, 0);
	const char *ids = matched(&a, &t, "Go and Excel, let's go");
	assert_non_null(strstr(ids, "go"));
	arena_free(&a);
	taxonomy_free(&t);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s TAXONOMY_DIR FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	tax_dir = argv[1];
	fx_dir = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_rules),   cmocka_unit_test(test_extension_errors),
		cmocka_unit_test(test_load_user_dir), cmocka_unit_test(test_onet),
		cmocka_unit_test(test_esco),          cmocka_unit_test(test_stackoverflow),
		cmocka_unit_test(test_wrong_formats), cmocka_unit_test(test_real_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

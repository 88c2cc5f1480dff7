/* Unit tests for the scanner's tokenizer, automaton, taxonomy loader and
 * matcher (src/scan/token, automaton, taxonomy, matcher): C vs C++ vs C#,
 * Go the language vs "go", .NET, node.js, longest-leftmost matches, no
 * match across punctuation, job titles with seniority words stripped, and
 * strict taxonomy errors with file and line. argv[1]: the test taxonomy. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scan/highlight.h"
#include "scan_fixture.h"
#include "scan/token.h"

static const char *fixture_dir;

/* Skill ids matched in text, in order, space-separated. */
static const char *skills_in(struct arena *a, const char *text)
{
	struct scan_doc d;
	assert_int_equal(scan_doc_init(a, &fixture_m, text, strlen(text), &d), 0);
	char *out = arena_strdup(a, "");
	for (size_t i = 0; i < d.n_skills; i++)
		out = arena_printf(a, "%s%s%s", out, i ? " " : "", fixture_tax.skills[d.skills[i].value].id);
	return out;
}

static void test_tokens(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens t;
	const char *text = "C/C++, C#, .NET and node.js; Bachelor's R&D front-end 3.5 e.g.\nNext";
	assert_int_equal(scan_tokenize(&a, text, strlen(text), &t), 0);
	const char *want[] = { "c",   "c++",   "c#",  ".net", "and", "node.js", "bachelor",
			       "r&d", "front", "end", "3.5",  "e.g", "next" };
	assert_int_equal(t.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < t.n; i++) {
		assert_int_equal(t.v[i].len, strlen(want[i]));
		assert_memory_equal(scan_tok_lower(&t, i), want[i], t.v[i].len);
	}
	/* "front-end" does not break a phrase; the comma and the line do. */
	assert_false(t.v[9].flags & TOK_BREAK);
	assert_true(t.v[2].flags & TOK_BREAK);
	assert_true(t.v[12].flags & TOK_LINE_START);
	assert_int_equal(t.v[12].line, 1);
	/* Icon glyphs (private use) and bullets separate words. */
	const char *icons = "\xef\x82\x95jane@x.io \xe2\x80\xa2 Go";
	assert_int_equal(scan_tokenize(&a, icons, strlen(icons), &t), 0);
	assert_int_equal(t.n, 3); /* jane, x.io, go */
	arena_free(&a);
}

static void test_language_names(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(skills_in(&a, "C, C++ and C# with F#"), "c cplusplus csharp fsharp");
	assert_string_equal(skills_in(&a, "Built in Go; go-to person, let's go"), "go");
	assert_string_equal(skills_in(&a, "golang and GO"), "go"); /* "GO" is not the =Go form */
	assert_string_equal(skills_in(&a, "ASP.NET, .NET Core, dotnet"), "dotnet dotnet dotnet");
	assert_string_equal(skills_in(&a, "Node.js, NodeJS, node js"), "nodejs nodejs nodejs");
	assert_string_equal(skills_in(&a, "R and r and Rust"), "r rust");
	assert_string_equal(skills_in(&a, "a c programmer"), ""); /* lower-case c is not =C */
	assert_string_equal(skills_in(&a, "JavaScript, Java Script, Java"), "javascript javascript java");
	arena_free(&a);
}

/* A capitalised word at a sentence start is the ordinary word unless what
 * follows says it is the name (README of data/taxonomy: "Go Cubs!"). */
static void test_sentence_start(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(skills_in(&a, "Go the extra mile for customers."), "");
	assert_string_equal(skills_in(&a, "Fast replies. Go ahead and apply!"), "");
	assert_string_equal(skills_in(&a, "Go developer wanted. We write Go daily."), "go go");
	assert_string_equal(skills_in(&a, "Go, Rust and Python"), "go rust python");
	assert_string_equal(skills_in(&a, "R and Python daily"), "r python");
	assert_string_equal(skills_in(&a, "- Go microservices on kubernetes"), "go microservices kubernetes");
	assert_string_equal(skills_in(&a, "Go"), "go");             /* a skills list line */
	assert_string_equal(skills_in(&a, "Golang is fine"), "go"); /* not an exact-case form */
	arena_free(&a);
}

/* A phrase is found in the other number of its last word too, unless that
 * spelling is another skill's; one-word forms are left as they are. */
static void test_phrase_numbers(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(skills_in(&a, "great team players; a neural network; one user interview"),
			    "teamwork deep_learning user_research");
	assert_string_equal(skills_in(&a, "pythons and javas"), "");
	arena_free(&a);
}

static void test_longest_leftmost(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	/* "react.js" is one token; "spring framework" beats "spring". */
	assert_string_equal(skills_in(&a, "React.js on the Spring framework"), "react spring");
	assert_string_equal(skills_in(&a, "Google Cloud Platform and Google Analytics"), "gcp google_analytics");
	/* A phrase never spans a comma or a line. */
	assert_string_equal(skills_in(&a, "google, cloud platform"), "");
	assert_string_equal(skills_in(&a, "machine\nlearning"), "");
	assert_string_equal(skills_in(&a, "machine-learning and ML"), "machine_learning machine_learning");
	arena_free(&a);
}

static void test_counts_across_professions(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(skills_in(&a, "US GAAP reconciliations, month-end close; CPA"),
			    "gaap reconciliation month_end_close cpa");
	assert_string_equal(skills_in(&a, "BLS and ACLS certified, Epic EHR"), "bls acls ehr ehr");
	assert_string_equal(skills_in(&a, "OSHA 30, forklift certified"), "osha forklift");
	assert_string_equal(skills_in(&a, "Fluent in Español"), "spanish");
	arena_free(&a);
}

static const char *title_of(struct arena *a, const char *text, enum seniority *level)
{
	struct scan_doc d;
	assert_int_equal(scan_doc_init(a, &fixture_m, text, strlen(text), &d), 0);
	struct title_hit th;
	int f = matcher_title(&fixture_m, a, &d, 0, d.toks.n, &th);
	assert_true(f >= 0);
	if (level)
		*level = th.level;
	return f ? fixture_tax.titles[th.occupation].id : "-";
}

static void test_titles(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	enum seniority lv;
	assert_string_equal(title_of(&a, "Senior Staff Accountant", &lv), "accountant");
	assert_int_equal(lv, SEN_SENIOR);
	assert_string_equal(title_of(&a, "Accounting Associate", NULL), "accountant"); /* "associate" kept */
	assert_string_equal(title_of(&a, "Sr. Software Engineer II", &lv), "software_engineer");
	assert_int_equal(lv, SEN_SENIOR);
	assert_string_equal(title_of(&a, "Head of Product Management", NULL), "-");
	assert_string_equal(title_of(&a, "Lead Full-Stack Developer", &lv), "fullstack_engineer");
	assert_int_equal(lv, SEN_LEAD);
	assert_string_equal(title_of(&a, "Jr Front End Developer", NULL), "frontend_engineer");
	assert_string_equal(title_of(&a, "ICU Nurse", NULL), "registered_nurse");
	assert_string_equal(title_of(&a, "Chef", NULL), "-");
	arena_free(&a);
}

static int parse_error(const char *skills, const char *cats, const char *titles, const char *sen, char *err,
		       size_t errlen)
{
	const char *text[TAX_FILES] = { skills, cats, titles, sen };
	struct taxonomy t;
	int rc = taxonomy_parse(&t, text, err, errlen);
	if (rc == 0)
		taxonomy_free(&t);
	return rc;
}

static void test_taxonomy_strict(void **state)
{
	(void)state;
	char err[512];
	const char *cats = "# c\nsoftware\tSoftware\n";
	const char *titles = "dev\tDeveloper\tsoftware\t-\n";
	const char *sen = "sr\tsenior\n";
	assert_int_equal(parse_error("go\tGo\thard\tsoftware\t=Go|golang\n", cats, titles, sen, err, sizeof(err)), 0);
	static const struct {
		const char *skills, *cats, *titles, *sen, *want;
	} bad[] = {
		{ "\n# x\ngo\tGo\thardd\tsoftware\t-\n", NULL, NULL, NULL, "skills.tsv:3: unknown type \"hardd\"" },
		{ "go\tGo\thard\tsoftware\n", NULL, NULL, NULL, "skills.tsv:1: 4 columns, expected 5" },
		{ "go\tGo\thard\tsales\t-\n", NULL, NULL, NULL, "skills.tsv:1: category \"sales\" is not in" },
		{ "Go\tGo\thard\tsoftware\t-\n", NULL, NULL, NULL, "skills.tsv:1: skill id \"Go\" must be" },
		{ "go\tGo\thard\tsoftware\tgolang||go lang\n", NULL, NULL, NULL, "skills.tsv:1: an empty form" },
		{ "go\tGo\thard\tsoftware\t++\n", NULL, NULL, NULL, "skills.tsv:1: \"++\" has no letter" },
		{ "go\tGo\thard\tsoftware\t-\r\n", NULL, NULL, NULL, "skills.tsv:1: CR at the end" },
		{ "go\tGo\thard\tsoftware\t-\ngo\tGo2\thard\tsoftware\t-\n", NULL, NULL, NULL,
		  "skills.tsv:2: id \"go\" is listed twice" },
		{ NULL, "software\tSoftware\nsoftware\tAgain\n", NULL, NULL,
		  "categories.tsv:2: category \"software\" is listed twice" },
		{ NULL, NULL, "dev\tDeveloper\tnope\t-\n", NULL, "titles.tsv:1: category \"nope\"" },
		{ NULL, NULL, NULL, "sr\tboss\n", "seniority.tsv:1: unknown level \"boss\"" },
		{ "go\tGo\thard\tsoftware\t\xff\n", NULL, NULL, NULL, "skills.tsv:1: not valid UTF-8" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse_error(bad[i].skills ? bad[i].skills : "go\tGo\thard\tsoftware\t-\n",
				     bad[i].cats ? bad[i].cats : cats, bad[i].titles ? bad[i].titles : titles,
				     bad[i].sen ? bad[i].sen : sen, err, sizeof(err));
		if (rc == 0 || strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s…\"", i, rc ? err : "(accepted)", bad[i].want);
	}
	/* A form listed by two skills is counted, not refused; the first wins. */
	const char *text[TAX_FILES] = { "a\tA1\thard\tsoftware\tshared\nb\tB1\thard\tsoftware\tshared\n", cats, titles,
					sen };
	struct taxonomy t;
	assert_int_equal(taxonomy_parse(&t, text, err, sizeof(err)), 0);
	assert_int_equal(t.warnings, 1);
	taxonomy_free(&t);
}

static void test_builtin_loads(void **state)
{
	(void)state;
	char err[512];
	struct taxonomy t;
	assert_int_equal(taxonomy_load_builtin(&t, err, sizeof(err)), 0);
	assert_true(t.n_skills > 0 && t.n_titles > 0 && t.n_categories > 0 && t.n_seniority > 0);
	assert_non_null(strstr(t.origin, "built-in"));
	taxonomy_free(&t);
	assert_int_not_equal(taxonomy_load_dir(&t, "/nonexistent-taxonomy", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "skills.tsv"));
}

/* A lazy matcher (serve's): the taxonomy loads on the first
 * matcher_ready only, once however many threads ask at the same time, and
 * then matches as one built at once; a failed load says why on every call. */
struct lazy_load {
	const char *dir;
	struct taxonomy tax;
	int calls;
	int fail;
};

static int lazy_loader(void *ctx, const struct taxonomy **tax, char *err, size_t errlen)
{
	struct lazy_load *l = ctx;
	l->calls++; /* under matcher_ready's lock: a second call is a bug */
	if (l->fail || taxonomy_load_dir(&l->tax, l->dir, err, errlen) != 0) {
		snprintf(err, errlen, "the loader failed");
		return -1;
	}
	*tax = &l->tax;
	return 0;
}

static void *ready_thread(void *arg)
{
	char err[256];
	return (void *)(intptr_t)matcher_ready(arg, err, sizeof(err));
}

static void test_lazy(void **state)
{
	(void)state;
	struct lazy_load l = { .dir = fixture_dir };
	struct scan_matcher m;
	assert_int_equal(matcher_build_lazy(&m, lazy_loader, &l), 0);
	assert_false(matcher_built(&m));
	assert_int_equal(l.calls, 0);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, ready_thread, &m), 0);
	for (int i = 0; i < 4; i++) {
		void *rc;
		pthread_join(t[i], &rc);
		assert_int_equal((intptr_t)rc, 0);
	}
	assert_int_equal(l.calls, 1);
	assert_true(matcher_built(&m));
	assert_string_equal(m.version, fixture_m.version);
	struct arena a;
	arena_init(&a, 0);
	const char *text = "Python and Kubernetes with SQL";
	struct scan_doc d1, d2;
	assert_int_equal(scan_doc_init(&a, &m, text, strlen(text), &d1), 0);
	assert_int_equal(scan_doc_init(&a, &fixture_m, text, strlen(text), &d2), 0);
	assert_true(d1.n_skills > 0);
	assert_int_equal(d1.n_skills, d2.n_skills);
	for (size_t i = 0; i < d1.n_skills; i++)
		assert_int_equal(d1.skills[i].value, d2.skills[i].value);
	arena_free(&a);
	matcher_free(&m);
	taxonomy_free(&l.tax);

	struct lazy_load bad = { .dir = fixture_dir, .fail = 1 };
	assert_int_equal(matcher_build_lazy(&m, lazy_loader, &bad), 0);
	char err[256] = "";
	assert_int_equal(matcher_ready(&m, err, sizeof(err)), -1);
	assert_string_equal(err, "the loader failed");
	err[0] = '\0';
	assert_int_equal(matcher_ready(&m, err, sizeof(err)), -1);
	assert_string_equal(err, "the loader failed");
	assert_int_equal(bad.calls, 1);
	assert_false(matcher_built(&m));
	matcher_free(&m);

	/* matcher_prepare compiles it on a thread of its own, once */
	struct lazy_load warm = { .dir = fixture_dir };
	assert_int_equal(matcher_build_lazy(&m, lazy_loader, &warm), 0);
	matcher_prepare(&m);
	matcher_prepare(&m);
	for (int i = 0; i < 500 && !matcher_built(&m); i++)
		usleep(10000);
	assert_true(matcher_built(&m));
	assert_int_equal(matcher_ready(&m, err, sizeof(err)), 0);
	assert_int_equal(warm.calls, 1);
	matcher_free(&m);
	taxonomy_free(&warm.tax);

	/* one built at once is ready and built */
	assert_true(matcher_built(&fixture_m));
	assert_int_equal(matcher_ready(&fixture_m, err, sizeof(err)), 0);
}

/* A scan's terms located in a text: a skill by any of its forms, a keyword
 * by its stems; a skill wins where both stand; other skills stay unmarked;
 * spans in text order. */
static void test_highlight(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char text[] = "Ran k8s clusters; managed teams. Also C++ and GraphQL\nKubernetes, team managers";
	const struct hl_term terms[] = {
		{ "Kubernetes", 0, 1 }, { "GraphQL", 0, 0 }, { "manage", 1, 1 },
		{ "kubernetes", 1, 0 }, { "Nursing", 0, 0 },
	};
	struct hl_span *sp;
	size_t n;
	assert_int_equal(scan_highlight(&a, &fixture_m, text, strlen(text), terms, 5, &sp, &n), 0);
	const char *want[][2] = { { "k8s", "Kubernetes" },
				  { "managed", "manage" },
				  { "GraphQL", "GraphQL" },
				  { "Kubernetes", "Kubernetes" },
				  { "managers", "manage" } };
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sp[i].len, strlen(want[i][0]));
		assert_memory_equal(text + sp[i].start, want[i][0], sp[i].len);
		assert_string_equal(terms[sp[i].term].name, want[i][1]);
		assert_true(terms[sp[i].term].keyword == (strcmp(want[i][1], "manage") == 0));
		if (i)
			assert_true(sp[i].start >= sp[i - 1].start + sp[i - 1].len);
	}
	/* No terms, or an empty text: nothing marked. */
	assert_int_equal(scan_highlight(&a, &fixture_m, text, strlen(text), terms, 0, &sp, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(scan_highlight(&a, &fixture_m, "", 0, terms, 5, &sp, &n), 0);
	assert_int_equal(n, 0);
	arena_free(&a);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_match TAXONOMY_DIR\n");
		return 2;
	}
	fixture_dir = argv[1];
	scan_fixture_load(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_language_names),
		cmocka_unit_test(test_longest_leftmost),
		cmocka_unit_test(test_counts_across_professions),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_taxonomy_strict),
		cmocka_unit_test(test_builtin_loads),
		cmocka_unit_test(test_sentence_start),
		cmocka_unit_test(test_phrase_numbers),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_lazy),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}

/* Skill-extraction precision and recall of the scanner's matcher against a
 * gold set in CoNLL form ("token TAG" a line, BIO tags, a blank line
 * between sentences), the format of Green et al.'s job-description set
 * (../shared/data/eval/skill-extraction-green2022/testset.txt).
 *
 * Each sentence becomes one line of text (tokens joined by spaces) and the
 * matcher's skill hits are compared with the gold Skill spans:
 * - spans: a hit is right when it overlaps a gold Skill span (precision);
 *   a gold span is found when a hit overlaps it (recall). The gold spans
 *   are phrases ("influence cross functional teams and suppliers") where a
 *   dictionary names a skill inside ("cross functional teams"), so overlap
 *   is the fair unit;
 * - tokens: the words inside hits against the words inside gold spans.
 *
 * Also the tool that reports the figures: run it with JT_SKILL_EVAL set to
 * the gold file (JT_SKILL_EVAL_VERBOSE=1 lists every hit, right or wrong,
 * and every gold span missed; JT_SKILL_EVAL_DATA_DIR=DIR merges DIR's
 * taxonomy extension, `jobtrack taxonomy import`, on top); it prints precision, recall and F1, and fails when they
 * fall under the floors below (a little under what was measured, so a
 * change to the matcher or the taxonomy that costs quality shows).
 * Without that file the gold-set test skips; the evaluator itself is
 * tested on a small set of our own with known figures (argv[1]: the test
 * taxonomy, argv[2]: tests/fixtures/skill_eval). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/matcher.h"
#include "scan/taxonomy.h"
#include "scan/taxonomy_ext.h"

/* Measured on the green2022 test set with the built-in taxonomy (see the
 * report in BENCHMARKS.md); the floors sit a little under. */
#define FLOOR_SPAN_PRECISION 0.69 /* measured 0.715 */
#define FLOOR_SPAN_RECALL    0.44 /* measured 0.460 */

static const char *tax_dir, *fx_dir;

struct gold_tok {
	uint32_t start, end; /* bytes in the joined text */
	int skill;           /* inside a gold Skill span */
	int any;             /* inside any gold entity span */
	uint32_t span;       /* its Skill span's number + 1 (0: none) */
};

struct eval {
	size_t hits, hits_right, hits_lenient;
	size_t spans, spans_found;
	size_t tok_gold, tok_pred, tok_both;
	double p, r, f1, tp, tr, tf1;
};

static double f1(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* Evaluates the matcher on CoNLL text. 0, or -1 when it is not CoNLL. */
static int evaluate(const struct scan_matcher *m, const char *conll, struct eval *ev)
{
	memset(ev, 0, sizeof(*ev));
	struct arena a;
	arena_init(&a, 0);
	struct buf text;
	buf_init(&text, 64u << 20);
	size_t cap = 1024, n = 0;
	struct gold_tok *g = malloc(cap * sizeof(*g));
	int rc = -1, in_line = 0;
	uint32_t span = 0;
	for (const char *p = conll; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		if (len >= sizeof(line))
			goto done;
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl != NULL);
		/* "token TAG", maybe with a space after */
		char *tok = line + strspn(line, " \t\r"), *tag = NULL;
		char *gap = tok + strcspn(tok, " \t\r");
		if (*gap) {
			*gap = '\0';
			tag = gap + 1 + strspn(gap + 1, " \t\r");
			tag[strcspn(tag, " \t\r")] = '\0';
		}
		if (!*tok)
			tok = NULL;
		if (!tok) { /* a sentence ends */
			if (in_line)
				buf_putc(&text, '\n');
			in_line = 0;
			continue;
		}
		if (!tag || !(tag[0] == 'O' || ((tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-')))
			goto done;
		if (n == cap) {
			struct gold_tok *more = realloc(g, (cap *= 2) * sizeof(*g));
			if (!more)
				goto done;
			g = more;
		}
		if (in_line)
			buf_putc(&text, ' ');
		in_line = 1;
		int skill = tag[0] != 'O' && strcmp(tag + 2, "Skill") == 0;
		if (skill && (tag[0] == 'B' || !n || !g[n - 1].skill))
			span++;
		g[n] = (struct gold_tok){ .start = (uint32_t)text.len,
					  .end = (uint32_t)(text.len + strlen(tok)),
					  .skill = skill,
					  .any = tag[0] != 'O',
					  .span = skill ? span : 0 };
		buf_puts(&text, tok);
		n++;
	}
	if (buf_failed(&text) || !n)
		goto done;
	struct scan_doc d;
	if (scan_doc_init(&a, m, text.data, text.len, &d) != 0)
		goto done;
	ev->spans = span;
	uint8_t *found = calloc(span + 1, 1), *pred = calloc(n, 1);
	if (!found || !pred) {
		free(found);
		free(pred);
		goto done;
	}
	/* Gold tokens are in text order: a window walks along the hits. */
	size_t from = 0;
	for (size_t i = 0; i < d.n_skills; i++) {
		const struct scan_token *first = &d.toks.v[d.skills[i].tok];
		const struct scan_token *last = &d.toks.v[d.skills[i].tok + d.skills[i].ntok - 1];
		uint32_t s = first->start, e = last->start + last->len;
		while (from < n && g[from].end <= s)
			from++;
		int right = 0, lenient = 0;
		for (size_t k = from; k < n && g[k].start < e; k++) {
			right |= g[k].skill;
			lenient |= g[k].any;
			pred[k] = 1;
			if (g[k].span)
				found[g[k].span] = 1;
		}
		if (getenv("JT_SKILL_EVAL_VERBOSE"))
			print_message("%s %-12s %.*s\n",
				      right     ? "right"
				      : lenient ? "entity"
						: "wrong",
				      m->tax->skills[d.skills[i].value].id, (int)(e - s), text.data + s);
		ev->hits++;
		ev->hits_right += right;
		ev->hits_lenient += lenient;
	}
	for (uint32_t k = 1; k <= span; k++)
		ev->spans_found += found[k];
	if (getenv("JT_SKILL_EVAL_VERBOSE"))
		for (size_t k = 0; k < n; k++)
			if (g[k].span && !found[g[k].span] && (k == 0 || g[k - 1].span != g[k].span)) {
				size_t e = k;
				while (e + 1 < n && g[e + 1].span == g[k].span)
					e++;
				print_message("missed %.*s\n", (int)(g[e].end - g[k].start), text.data + g[k].start);
			}
	for (size_t k = 0; k < n; k++) {
		ev->tok_gold += g[k].skill;
		ev->tok_pred += pred[k];
		ev->tok_both += g[k].skill && pred[k];
	}
	free(found);
	free(pred);
	ev->p = ev->hits ? (double)ev->hits_right / (double)ev->hits : 0;
	ev->r = ev->spans ? (double)ev->spans_found / (double)ev->spans : 0;
	ev->f1 = f1(ev->p, ev->r);
	ev->tp = ev->tok_pred ? (double)ev->tok_both / (double)ev->tok_pred : 0;
	ev->tr = ev->tok_gold ? (double)ev->tok_both / (double)ev->tok_gold : 0;
	ev->tf1 = f1(ev->tp, ev->tr);
	rc = 0;
done:
	free(g);
	buf_free(&text);
	arena_free(&a);
	return rc;
}

static char *read_text(const char *path)
{
	char err[512];
	char *t = taxonomy_read_file(path, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	return t;
}

static void report(const char *what, const struct eval *ev)
{
	print_message("%s: spans: precision %.3f (%zu of %zu hits on a gold skill; %zu on any gold entity), recall "
		      "%.3f (%zu of %zu gold skills), F1 %.3f\n",
		      what, ev->p, ev->hits_right, ev->hits, ev->hits_lenient, ev->r, ev->spans_found, ev->spans,
		      ev->f1);
	print_message("%s: tokens: precision %.3f, recall %.3f, F1 %.3f (%zu gold, %zu predicted, %zu both)\n", what,
		      ev->tp, ev->tr, ev->tf1, ev->tok_gold, ev->tok_pred, ev->tok_both);
}

/* The evaluator on a set of our own, with the test taxonomy. */
static void test_evaluator(void **state)
{
	(void)state;
	struct taxonomy t;
	struct scan_matcher m;
	char err[512], path[512];
	if (taxonomy_load_dir(&t, tax_dir, err, sizeof(err)) != 0 || matcher_build(&m, &t, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/mini.conll", fx_dir);
	char *conll = read_text(path);
	struct eval ev;
	assert_int_equal(evaluate(&m, conll, &ev), 0);
	free(conll);
	report("mini", &ev);
	/* mini.conll: 4 gold skill spans; the matcher finds Python (in a
	 * span), SQL (in one), Excel (tagged O: a wrong hit) and misses
	 * "negotiate contracts" and "lead a team". */
	assert_int_equal(ev.spans, 4);
	assert_int_equal(ev.hits, 3);
	assert_int_equal(ev.hits_right, 2);
	assert_int_equal(ev.spans_found, 2);
	assert_int_equal(ev.tok_gold, 7);
	assert_int_equal(ev.tok_pred, 3);
	assert_int_equal(ev.tok_both, 2);
	assert_int_equal(evaluate(&m, "Python\n", &ev), -1); /* no tag */
	matcher_free(&m);
	taxonomy_free(&t);
}

/* The gold set with the built-in taxonomy, when it is there. */
static void test_green2022(void **state)
{
	(void)state;
	const char *path = getenv("JT_SKILL_EVAL");
	struct stat st;
	if (!path || stat(path, &st) != 0)
		skip();
	/* JT_SKILL_EVAL_DATA_DIR: measure with that data directory's taxonomy
	 * extension merged on top (reported, not held to the floors). */
	const char *data_dir = getenv("JT_SKILL_EVAL_DATA_DIR");
	struct taxonomy t;
	struct scan_matcher m;
	char err[512];
	if (taxonomy_load_user(&t, NULL, data_dir, NULL, err, sizeof(err)) != 0 ||
	    matcher_build(&m, &t, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	char *conll = read_text(path);
	struct eval ev;
	assert_int_equal(evaluate(&m, conll, &ev), 0);
	free(conll);
	report(data_dir ? "green2022 + extension" : "green2022", &ev);
	if (!data_dir) {
		assert_true(ev.p >= FLOOR_SPAN_PRECISION);
		assert_true(ev.r >= FLOOR_SPAN_RECALL);
	}
	matcher_free(&m);
	taxonomy_free(&t);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: JT_SKILL_EVAL=GOLD.conll %s TEST_TAXONOMY_DIR FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	tax_dir = argv[1];
	fx_dir = argv[2];
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_evaluator), cmocka_unit_test(test_green2022) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}

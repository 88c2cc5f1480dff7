/* The resume scanner's tokenizer, matcher and posting reader (src/scan/)
 * over hostile text: tokens must lie inside the input and in order, skill
 * hits must not overlap, the posting's terms must be sane, and scoring the
 * text against itself as a resume must give 0..100, and the scan's terms
 * marked in the text (scan/highlight) must lie inside it, in order, apart.
 * The built-in taxonomy is compiled once. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "scan/highlight.h"
#include "scan/idf.h"
#include "scan/jd.h"
#include "scan/resume.h"
#include "scan/score.h"
#include "scan/tfidf.h"

static struct taxonomy tax;
static struct scan_matcher m;
static struct idf_table idf;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	if (taxonomy_load_builtin(&tax, err, sizeof(err)) || matcher_build(&m, &tax, err, sizeof(err)))
		abort();
	idf_init(&idf);
	return 0;
}

/* The scan's terms marked in the text: inside it, in order, apart. */
static void check_marks(struct arena *a, const char *text, size_t size, const struct scan_result *res)
{
	struct hl_term *terms = arena_alloc(a, (res->n_terms + 1) * sizeof(*terms));
	if (!terms)
		return;
	for (size_t i = 0; i < res->n_terms; i++)
		terms[i] = (struct hl_term){ .name = res->terms[i].name,
					     .keyword = res->terms[i].kind == TERM_KEYWORD,
					     .matched = res->terms[i].matched };
	struct hl_span *sp;
	size_t n;
	if (scan_highlight(a, &m, text, size, terms, res->n_terms, &sp, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (sp[i].len == 0 || (size_t)sp[i].start + sp[i].len > size || sp[i].term >= res->n_terms ||
		    (i && sp[i].start < sp[i - 1].start + sp[i - 1].len))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	const char *text = (const char *)data;
	struct scan_doc d;
	if (scan_doc_init(&a, &m, text, size, &d) == 0) {
		uint32_t prev_end = 0;
		for (size_t i = 0; i < d.toks.n; i++) {
			const struct scan_token *t = &d.toks.v[i];
			if (t->len == 0 || t->start < prev_end || (size_t)t->start + t->len > size)
				abort();
			prev_end = t->start + t->len;
		}
		for (size_t i = 0; i < d.n_skills; i++) {
			const struct ac_hit *h = &d.skills[i];
			if (h->ntok == 0 || (size_t)h->tok + h->ntok > d.toks.n || h->value < 0 ||
			    (size_t)h->value >= tax.n_skills ||
			    (i && h->tok < d.skills[i - 1].tok + d.skills[i - 1].ntok))
				abort();
		}
		struct title_hit th;
		if (matcher_title(&m, &a, &d, 0, d.toks.n, &th) == 1 &&
		    (th.occupation < 0 || (size_t)th.occupation >= tax.n_titles))
			abort();
	}
	struct jd_terms jd;
	struct resume_info r;
	struct scan_result res;
	if (jd_extract(&a, &m, &idf, NULL, text, size, &jd) == 0) {
		if (jd.n_keywords > JD_KEYWORDS_MAX || jd.years < 0 || jd.years > 20 || jd.edu_level < 0 ||
		    jd.edu_level > 5)
			abort();
		for (size_t i = 0; i < jd.n_skills; i++)
			if (jd.skills[i].count == 0 || jd.skills[i].skill >= tax.n_skills)
				abort();
		if (resume_analyse(&a, &m, text, size, 2026 * 12, &r) == 0 &&
		    scan_score(&a, &m, &jd, &r, 1, &res) == 0) {
			if (res.score < 0 || res.score > 100.0001)
				abort();
			check_marks(&a, text, size, &res);
		}
		double c = tfidf_cosine(&jd.doc.toks, &jd.doc.toks, &idf);
		if (c < 0 || c > 1.0001)
			abort();
	}
	arena_free(&a);
	return 0;
}

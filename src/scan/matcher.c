/* scan/matcher — compiling the taxonomy, matching skills, titles and
 * degrees (see matcher.h). */
#include "scan/matcher.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "scan/education.h"

void matcher_free(struct scan_matcher *m)
{
	matcher_lazy_free(m->lazy);
	ac_free(&m->skills);
	ac_free(&m->titles);
	ac_free(&m->seniority);
	ac_free(&m->education);
	scan_vocab_free(&m->vocab);
	memset(m, 0, sizeof(*m));
}

/* The other number of a phrase's last word ("customer service" ->
 * "customer services", "working at heights" -> "working at height"), in
 * buf; 0 when the form is no plain phrase ending in a lower-case word. */
static int other_number(const char *form, char *buf, size_t cap)
{
	const char *last = strrchr(form, ' ');
	size_t n = strlen(form);
	if (form[0] == '=' || !last || n + 3 > cap)
		return 0;
	size_t w = n - (size_t)(last + 1 - form);
	if (w < 4)
		return 0;
	for (const char *c = last + 1; *c; c++)
		if (*c < 'a' || *c > 'z')
			return 0;
	memcpy(buf, form, n + 1);
	char z = form[n - 1], y = form[n - 2];
	if (z == 's') {
		if (y == 's' || y == 'u' || y == 'i')
			return 0; /* "business", "status", "analysis" */
		buf[n - 1] = '\0';
	} else if (z == 'y' && !strchr("aeiou", y)) {
		memcpy(buf + n - 1, "ies", 4);
	} else if (z == 'x' || z == 'z' || (z == 'h' && (y == 'c' || y == 's'))) {
		memcpy(buf + n, "es", 3);
	} else {
		memcpy(buf + n, "s", 2);
	}
	return 1;
}

/* Every skill form, and the other number of its phrases where no skill
 * has that spelling already (forms are not stemmed: a taxonomy written
 * in the singular still finds the plural, and the other way round). */
static int add_skill_forms(struct scan_matcher *m, const struct taxonomy *tax)
{
	for (size_t i = 0; i < tax->n_skills; i++)
		for (uint32_t k = 0; k < tax->skills[i].nforms; k++)
			if (ac_add(&m->skills, &m->vocab, tax->skills[i].forms[k], (int32_t)i) < 0)
				return -1;
	/* The first skill to ask for a spelling gets it, like the forms. */
	for (size_t i = 0; i < tax->n_skills; i++)
		for (uint32_t k = 0; k < tax->skills[i].nforms; k++) {
			char other[512];
			if (!other_number(tax->skills[i].forms[k], other, sizeof(other)))
				continue;
			int has = ac_has(&m->skills, &m->vocab, other);
			if (has < 0 || (!has && ac_add(&m->skills, &m->vocab, other, (int32_t)i) < 0))
				return -1;
		}
	return 0;
}

int matcher_build(struct scan_matcher *m, const struct taxonomy *tax, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->tax = tax;
	taxonomy_version_hex(tax, m->version);
	if (ac_init(&m->skills) || ac_init(&m->titles) || ac_init(&m->seniority) || ac_init(&m->education))
		goto oom;
	if (add_skill_forms(m, tax) != 0)
		goto oom;
	for (size_t i = 0; i < tax->n_titles; i++)
		for (uint32_t k = 0; k < tax->titles[i].nforms; k++)
			if (ac_add(&m->titles, &m->vocab, tax->titles[i].forms[k], (int32_t)i) < 0)
				goto oom;
	for (size_t i = 0; i < tax->n_seniority; i++)
		if (ac_add(&m->seniority, &m->vocab, tax->seniority[i].word, (int32_t)tax->seniority[i].level) < 0)
			goto oom;
	for (size_t i = 0; i < n_edu_forms; i++)
		if (ac_add(&m->education, &m->vocab, edu_forms[i].form, (int32_t)edu_forms[i].level) < 0)
			goto oom;
	if (ac_build(&m->skills) || ac_build(&m->titles) || ac_build(&m->seniority) || ac_build(&m->education))
		goto oom;
	return 0;
oom:
	snprintf(err, errlen, "out of memory compiling the taxonomy");
	matcher_free(m);
	return -1;
}

/* Words after a language or tool name that say it is meant ("Go
 * developer", "Rust programming", "Swift experience"; "R and Python": a
 * list). */
static int names_a_skill(const char *w, size_t n)
{
	static const char *const words[] = {
		"and",           "or",          "admin",       "administration", "administrator", "api",
		"apis",          "app",         "application", "applications",   "apps",          "backend",
		"certification", "certified",   "code",        "coding",         "consultant",    "developer",
		"developers",    "development", "engineer",    "engineering",    "engineers",     "experience",
		"expert",        "expertise",   "framework",   "frameworks",     "frontend",      "knowledge",
		"language",      "languages",   "libraries",   "library",        "modules",       "programmer",
		"programmers",   "programming", "proficiency", "scripting",      "scripts",       "sdk",
		"skills",        "specialist",  "stack"
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return 1;
	return 0;
}

/* A one-word skill matched only by its exact-case form when that form is a
 * capitalised word ("=Go", "=Swift", "=React", "=R"), at the start of a
 * sentence and followed by a lower-case word, is most often the ordinary
 * word capitalised there ("Go the extra mile", "Swift delivery", "React
 * calmly to"), not the name: unless that next word says it is a skill
 * (or is one: the caller keeps a hit followed by another). */
static int sentence_start_word(const struct scan_matcher *m, const struct scan_tokens *t, const struct ac_hit *h)
{
	const struct scan_token *tk = &t->v[h->tok];
	if (h->ntok != 1 || !(tk->flags & TOK_SENT_START) || h->tok + 1 >= t->n)
		return 0;
	const struct scan_token *next = &t->v[h->tok + 1];
	char c = t->text[next->start];
	if (next->line != tk->line || (next->flags & TOK_BREAK) || c < 'a' || c > 'z' ||
	    names_a_skill(scan_tok_lower(t, h->tok + 1), next->len))
		return 0;
	const char *word = t->text + tk->start;
	const struct tax_skill *s = &m->tax->skills[h->value];
	int exact_only = 0;
	for (uint32_t k = 0; k < s->nforms; k++) {
		const char *f = s->forms[k];
		int exact = f[0] == '=';
		f += exact;
		if (strlen(f) != tk->len || strncasecmp(f, word, tk->len) != 0)
			continue;
		if (!exact)
			return 0; /* a form matched ignoring case: meant as written */
		if (memcmp(f, word, tk->len) != 0)
			continue;
		exact_only = f[0] >= 'A' && f[0] <= 'Z';
		for (uint32_t i = 1; i < tk->len; i++)
			exact_only &= f[i] >= 'a' && f[i] <= 'z';
	}
	return exact_only;
}

int scan_doc_init(struct arena *a, const struct scan_matcher *m, const char *text, size_t len, struct scan_doc *out)
{
	memset(out, 0, sizeof(*out));
	if (scan_tokenize(a, text, len, &out->toks) != 0)
		return -1;
	scan_vocab_assign(&m->vocab, &out->toks);
	long n = ac_match(&m->skills, a, &out->toks, NULL, 0, &out->skills);
	if (n < 0)
		return -1;
	size_t kept = 0;
	for (long i = 0; i < n; i++) {
		/* A skill right after it ("Go microservices") says it is one too. */
		int next_is_skill = i + 1 < n && out->skills[i + 1].tok == out->skills[i].tok + 1;
		if (next_is_skill || !sentence_start_word(m, &out->toks, &out->skills[i]))
			out->skills[kept++] = out->skills[i];
	}
	out->n_skills = kept;
	return 0;
}

int matcher_title(const struct scan_matcher *m, struct arena *a, const struct scan_doc *doc, size_t from, size_t to,
		  struct title_hit *out)
{
	memset(out, 0, sizeof(*out));
	out->occupation = -1;
	if (to <= from)
		return 0;
	size_t n = to - from;
	uint32_t *all = arena_alloc_raw(a, n * sizeof(*all));
	uint32_t *kept = arena_alloc_raw(a, n * sizeof(*kept));
	if (!all || !kept)
		return -1;
	for (size_t i = 0; i < n; i++)
		all[i] = (uint32_t)(from + i);
	struct ac_hit *sen;
	long ns = ac_match(&m->seniority, a, &doc->toks, all, n, &sen);
	if (ns < 0)
		return -1;
	size_t nk = 0, s = 0;
	enum seniority level = SEN_NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t ti = all[i];
		while (s < (size_t)ns && sen[s].tok + sen[s].ntok <= ti)
			s++;
		if (s < (size_t)ns && sen[s].tok <= ti) {
			if ((enum seniority)sen[s].value > level)
				level = (enum seniority)sen[s].value;
			continue;
		}
		kept[nk++] = ti;
	}
	int found = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct ac_hit *hits;
		long nh = ac_match(&m->titles, a, &doc->toks, pass ? kept : all, pass ? nk : n, &hits);
		if (nh < 0)
			return -1;
		for (long i = 0; i < nh; i++) {
			/* Longest wins; a title found as written beats the stripped reading. */
			uint32_t words = hits[i].ntok;
			if (!found || words > out->ntok) {
				out->occupation = hits[i].value;
				out->tok = hits[i].tok;
				out->ntok = words;
				found = 1;
			}
		}
	}
	out->level = level;
	return found;
}

int matcher_education(const struct scan_matcher *m, struct arena *a, const struct scan_doc *doc, size_t from, size_t to,
		      void (*fn)(void *ctx, uint32_t tok, int level), void *ctx)
{
	if (to <= from)
		return 0;
	uint32_t *sel = arena_alloc_raw(a, (to - from) * sizeof(*sel));
	if (!sel)
		return -1;
	for (size_t i = from; i < to; i++)
		sel[i - from] = (uint32_t)i;
	struct ac_hit *hits;
	long nh = ac_match(&m->education, a, &doc->toks, sel, to - from, &hits);
	if (nh < 0)
		return -1;
	for (long i = 0; i < nh; i++)
		fn(ctx, hits[i].tok, hits[i].value);
	return 0;
}

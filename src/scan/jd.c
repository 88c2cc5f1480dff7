/* scan/jd — posting term extraction (see jd.h). Lines are given the need
 * of their section (a heading line sets it until the next heading), unless
 * the line itself says "preferred"/"a plus" or "required"/"must". */
#include "scan/jd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "scan/words.h"

#define TITLE_LINES 6 /* opening lines of a plain-text posting searched for its title */

struct line_info {
	uint32_t start, end; /* bytes */
	uint8_t need;        /* the line's: its own words, else its section's */
	uint8_t section;     /* its section's */
	uint8_t heading;
	uint8_t names; /* a short line of capitalised words only: a name, a place */
};

/* Splits text into lines and gives each its need. */
static struct line_info *lines_of(struct arena *a, const char *text, const char *lower, size_t len, uint32_t nlines,
				  int *sections)
{
	struct line_info *li = arena_alloc(a, (nlines + 1) * sizeof(*li));
	if (!li)
		return NULL;
	enum need current = NEED_NONE;
	size_t start = 0;
	for (uint32_t l = 0; l < nlines; l++) {
		const char *nl = start < len ? memchr(text + start, '\n', len - start) : NULL;
		size_t end = nl ? (size_t)(nl - text) : len;
		li[l].start = (uint32_t)start;
		li[l].end = (uint32_t)end;
		enum jd_section s = sections_jd_heading(text + start, end - start);
		if (s != JD_NONE) {
			li[l].heading = 1;
			current = s == JD_REQUIRED    ? NEED_REQUIRED
				  : s == JD_PREFERRED ? NEED_PREFERRED
				  : s == JD_OTHER     ? NEED_OTHER
						      : NEED_NONE;
			if (s == JD_REQUIRED || s == JD_PREFERRED)
				*sections = 1;
			li[l].need = (uint8_t)current;
			li[l].section = (uint8_t)current;
		} else {
			li[l].section = (uint8_t)current;
			enum need own =
			    current == NEED_OTHER ? NEED_NONE : sections_line_need_lower(lower + start, end - start);
			li[l].need = (uint8_t)(own != NEED_NONE ? own : current);
		}
		start = end + 1;
	}
	return li;
}

/* The need of the clause around byte pos: a sentence or a parenthesis
 * ("Bachelor's degree (MBA preferred)" asks for a bachelor's), else the
 * section's. A full stop ends a clause only before a space ("node.js").
 * With parens 0 a parenthesis does not end it: the whole sentence. */
static void clause_bounds(const char *text, const struct line_info *l, size_t pos, int parens, size_t *from, size_t *to)
{
	size_t a = pos, b = pos;
	while (a > l->start) {
		char c = text[a - 1];
		if (((c == '(' || c == ')') && parens) || c == ';' || c == '!' || c == '?' ||
		    (c == '.' && (text[a] == ' ' || text[a] == '\t')))
			break;
		a--;
	}
	while (b < l->end) {
		char c = text[b];
		if (((c == '(' || c == ')') && parens) || c == ';' || c == '!' || c == '?' ||
		    (c == '.' && (b + 1 >= l->end || text[b + 1] == ' ' || text[b + 1] == '\t')))
			break;
		b++;
	}
	*from = a;
	*to = b;
}

static enum need clause_need(const char *text, const char *lower, const struct line_info *l, size_t pos, int parens)
{
	if (l->section == NEED_OTHER)
		return NEED_OTHER;
	size_t a, b;
	clause_bounds(text, l, pos, parens, &a, &b);
	enum need own = sections_line_need_lower(lower + a, b - a);
	return own != NEED_NONE ? own : (enum need)l->section;
}

/* Does the clause offer a choice ("such as X, Y or Z", "one of", "e.g.")?
 * Its skills are then alternatives: any one of them will do. */
static int clause_alternatives(const char *lower, size_t a, size_t b)
{
	static const char *const marks[] = { "or ",   "such as", "e.g",    "one of",     "any of",
					     "like ", "similar", "either", "equivalent", NULL };
	return sections_holds_any(lower + a, b - a, marks);
}

/* Long enough, mostly letters, not a number. */
static int keyword_shape(const struct scan_tokens *t, size_t i)
{
	const struct scan_token *tk = &t->v[i];
	if (tk->len < 3 || (tk->flags & TOK_DIGIT) || tk->len > 40)
		return 0;
	const char *s = scan_tok_lower(t, i);
	int letters = 0;
	for (uint32_t k = 0; k < tk->len; k++)
		letters += (s[k] >= 'a' && s[k] <= 'z') || (unsigned char)s[k] >= 0x80;
	return letters * 2 >= (int)tk->len;
}

int jd_keyword_token(const struct scan_tokens *t, size_t i)
{
	return keyword_shape(t, i) && !words_is_generic(scan_tok_lower(t, i), t->v[i].len);
}

struct gram {
	uint64_t key;
	uint32_t first;
	uint16_t count;
	uint8_t ntok, need;
};

struct gram_set {
	struct gram *v;
	size_t cap, n;
};

static struct gram *gram_get(struct gram_set *g, uint64_t key)
{
	size_t mask = g->cap - 1;
	for (size_t i = (size_t)(key >> 11) & mask;; i = (i + 1) & mask) {
		if (g->v[i].key == key)
			return &g->v[i];
		if (g->v[i].key == 0) {
			if ((g->n + 1) * 4 > g->cap * 3)
				return NULL; /* full: further grams are not counted */
			g->n++;
			g->v[i].key = key;
			return &g->v[i];
		}
	}
}

struct cand {
	const struct gram *g;
	double weight;
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->g->first < b->g->first ? -1 : a->g->first > b->g->first;
}

static int need_rank_better(enum need a, enum need b)
{
	return a > b;
}

struct edu_ctx {
	const struct jd_terms *jd;
	const struct line_info *li;
	int asked, preferred;
};

static void on_edu(void *ctx, uint32_t tok, int level)
{
	struct edu_ctx *e = ctx;
	const struct scan_token *tk = &e->jd->doc.toks.v[tok];
	enum need need = clause_need(e->jd->doc.toks.text, e->jd->doc.toks.lower, &e->li[tk->line], tk->start, 1);
	if (need == NEED_OTHER)
		return;
	if (need == NEED_PREFERRED) {
		if (!e->preferred || level < e->preferred)
			e->preferred = level;
		return;
	}
	if (!e->asked || level < e->asked)
		e->asked = level;
}

/* "5+ years", "3-5 years", "at least 4 years of experience": the largest
 * number of years a required or plain sentence asks for (at most 20). */
static int years_asked(const struct scan_tokens *t, const struct line_info *li)
{
	int best = 0;
	uint64_t h_year = scan_hash("year", 4), h_years = scan_hash("years", 5), h_yrs = scan_hash("yrs", 3),
		 h_to = scan_hash("to", 2), h_exp = scan_hash("experience", 10);
	for (size_t i = 0; i < t->n; i++) {
		const char *s = scan_tok_lower(t, i);
		uint32_t len = t->v[i].len;
		if (s[0] < '0' || s[0] > '9' || len > 3)
			continue;
		int n = 0;
		uint32_t k = 0;
		for (; k < len && s[k] >= '0' && s[k] <= '9'; k++)
			n = n * 10 + (s[k] - '0');
		if (k < len && s[k] != '+')
			continue;
		size_t j = i + 1;
		if (j + 1 < t->n && t->v[j].hash == h_to && (t->v[j + 1].flags & TOK_DIGIT))
			j += 2; /* "3 to 5 years" */
		else if (j < t->n && (t->v[j].flags & TOK_DIGIT) && !(t->v[j].flags & TOK_BREAK))
			j++; /* "3-5 years" */
		if (j >= t->n || (t->v[j].hash != h_year && t->v[j].hash != h_years && t->v[j].hash != h_yrs))
			continue;
		uint32_t line = t->v[i].line;
		/* The sentence's need, not the line's: "5+ years experience. Go is
		 * a plus." still asks for the years; "(preferred)" after them
		 * makes them preferred. */
		enum need need = clause_need(t->text, t->lower, &li[line], t->v[i].start, 0);
		if (need == NEED_PREFERRED || need == NEED_OTHER)
			continue;
		int exp = 0;
		for (size_t q = j; q < t->n && q < j + 12 && t->v[q].line == line; q++)
			exp |= t->v[q].hash == h_exp;
		for (size_t q = i; q-- > 0 && q + 12 > i && t->v[q].line == line;)
			exp |= t->v[q].hash == h_exp;
		if (exp && n >= 1 && n <= 20 && n > best)
			best = n;
	}
	return best;
}

static int extract(struct arena *a, struct arena *scratch, const struct scan_matcher *m, const struct idf_table *idf,
		   const char *title, const char *text, size_t len, struct jd_terms *out);

int jd_extract(struct arena *a, const struct scan_matcher *m, const struct idf_table *idf, const char *title,
	       const char *text, size_t len, struct jd_terms *out)
{
	/* What only the extraction needs (line table, n-gram counts) lives in
	 * a scratch arena, so a posting's terms keep little memory. */
	struct arena scratch;
	arena_init(&scratch, 0);
	int rc = extract(a, &scratch, m, idf, title, text, len, out);
	arena_free(&scratch);
	return rc;
}

int jd_extract_scratch(struct arena *a, struct arena *scratch, const struct scan_matcher *m,
		       const struct idf_table *idf, const char *title, const char *text, size_t len,
		       struct jd_terms *out)
{
	return extract(a, scratch, m, idf, title, text, len, out);
}

static int extract(struct arena *a, struct arena *scratch, const struct scan_matcher *m, const struct idf_table *idf,
		   const char *title, const char *text, size_t len, struct jd_terms *out)
{
	memset(out, 0, sizeof(*out));
	out->occupation = -1;
	if (scan_doc_init(a, m, text, len, &out->doc) != 0)
		return -1;
	const struct scan_tokens *t = &out->doc.toks;
	struct line_info *li = lines_of(scratch, text, t->lower, len, t->lines, &out->has_sections);
	if (!li)
		return -1;
	/* Each word's class (stop, generic) looked up once. */
	uint8_t *cls = arena_alloc_raw(scratch, t->n + 1);
	if (!cls)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		cls[i] = (t->v[i].flags & TOK_DIGIT) ? 0 : (uint8_t)words_class(scan_tok_lower(t, i), t->v[i].len);
	for (size_t i = 0; i < t->n;) {
		uint32_t l = t->v[i].line;
		size_t words = 0, caps = 0;
		for (; i < t->n && t->v[i].line == l; i++) {
			const char *w = scan_tok_lower(t, i);
			if (t->v[i].flags & TOK_DIGIT)
				continue;
			if (w[0] >= 'a' && w[0] <= 'z' && !(cls[i] & WORD_STOP))
				words++, caps += (t->v[i].flags & TOK_UPPER) != 0;
		}
		li[l].names = words > 0 && words <= 8 && caps == words;
	}

	/* The title: given; else the first of the opening short lines that
	 * names an occupation ("About the job", a company name, a location may
	 * come first in pasted text); else the first short line. */
	uint32_t title_line = UINT32_MAX;
	int found = 0;
	struct title_hit th;
	if (!title || !title[0]) {
		title = "";
		uint32_t looked = 0;
		for (size_t i = 0; i < t->n && looked < TITLE_LINES;) {
			uint32_t l = t->v[i].line;
			size_t from = i;
			while (i < t->n && t->v[i].line == l)
				i++;
			if (li[l].heading || li[l].section == NEED_OTHER)
				continue;
			looked++;
			if (i - from > 12)
				continue;
			int f = matcher_title(m, scratch, &out->doc, from, i, &th);
			if (f < 0)
				return -1;
			if (f || title_line == UINT32_MAX) {
				title_line = l;
				title = arena_strndup(a, text + li[l].start, li[l].end - li[l].start);
				if (!title)
					return -1;
			}
			if (f)
				break;
		}
	}
	out->title = title;
	if (scan_doc_init(a, m, title, strlen(title), &out->title_doc) != 0)
		return -1;
	found = matcher_title(m, scratch, &out->title_doc, 0, out->title_doc.toks.n, &th);
	if (found < 0)
		return -1;
	if (found) {
		out->occupation = th.occupation;
		out->level = th.level;
	}

	/* Skills, by first mention; the strongest need wins. */
	out->skills = arena_alloc(a, (out->doc.n_skills + out->title_doc.n_skills + 1) * sizeof(*out->skills));
	if (!out->skills)
		return -1;
	size_t memo_from = SIZE_MAX, memo_to = 0; /* the last clause looked at */
	int memo_alt = 0;
	enum need memo_need = NEED_NONE;
	for (int pass = 0; pass < 2; pass++) {
		const struct scan_doc *d = pass ? &out->doc : &out->title_doc;
		for (size_t i = 0; i < d->n_skills; i++) {
			uint32_t sk = (uint32_t)d->skills[i].value;
			enum need need = NEED_NONE;
			if (pass) {
				const struct scan_token *tk = &t->v[d->skills[i].tok];
				size_t ca, cb;
				clause_bounds(text, &li[tk->line], tk->start, 1, &ca, &cb);
				if (ca != memo_from || cb != memo_to) {
					memo_from = ca;
					memo_to = cb;
					memo_alt = clause_alternatives(t->lower, ca, cb);
					memo_need = clause_need(text, t->lower, &li[tk->line], tk->start, 1);
				}
				need = memo_need;
			}
			if (pass && li[t->v[d->skills[i].tok].line].heading)
				need = NEED_NONE;
			/* A posting names a few dozen skills: a linear look-up is cheaper
			 * than clearing a table the size of the taxonomy. */
			size_t at = 0;
			while (at < out->n_skills && out->skills[at].skill != sk)
				at++;
			if (at == out->n_skills)
				out->skills[out->n_skills++] =
				    (struct jd_skill){ .skill = sk, .count = 0, .need = need, .in_title = !pass };
			struct jd_skill *s = &out->skills[at];
			if (pass) {
				/* Alternatives: grouped by their clause (its first byte). */
				uint32_t group = memo_alt ? (uint32_t)memo_from + 1 : 0;
				if (s->count == 0)
					s->group = group;
				else if (group == 0)
					s->group = 0;
				s->count++;
				if (need_rank_better(need, s->need) || (s->in_title && s->count == 1))
					s->need = need;
			}
		}
	}
	for (size_t i = 0; i < out->n_skills; i++) {
		if (out->skills[i].count == 0)
			out->skills[i].count = 1; /* named in the title only */
		/* A "group" of one is no choice. */
		size_t members = 0;
		for (size_t k = 0; k < out->n_skills && out->skills[i].group; k++)
			members += out->skills[k].group == out->skills[i].group;
		if (members < 2)
			out->skills[i].group = 0;
	}

	/* Keywords: words and phrases outside skills, headings and "other" sections. */
	uint8_t *covered = arena_alloc(scratch, t->n + 1);
	if (!covered)
		return -1;
	for (size_t i = 0; i < out->doc.n_skills; i++)
		memset(covered + out->doc.skills[i].tok, 1, out->doc.skills[i].ntok);
	size_t words = 0;
	for (size_t i = 0; i < t->n; i++)
		words += !covered[i] && t->v[i].len >= 3 && !(t->v[i].flags & TOK_DIGIT);
	struct gram_set g = { .cap = 64 };
	while (g.cap < words * 4)
		g.cap *= 2;
	g.v = arena_alloc(scratch, g.cap * sizeof(*g.v));
	uint64_t *stem = arena_alloc_raw(scratch, (t->n + 1) * sizeof(*stem));
	if (!g.v || !stem)
		return -1;
	size_t run = 0; /* candidate tokens in a row */
	for (size_t i = 0; i < t->n; i++) {
		const struct line_info *l = &li[t->v[i].line];
		/* The title line is the job title component's, not keywords'. */
		int ok = !covered[i] && !l->heading && !l->names && l->need != NEED_OTHER &&
			 t->v[i].line != title_line && !cls[i] && keyword_shape(t, i);
		if (!ok) {
			run = 0;
			continue;
		}
		if (t->v[i].flags & TOK_BREAK)
			run = 0;
		stem[i] = words_stem_hash(scan_tok_lower(t, i), t->v[i].len) | 1;
		run++;
		for (size_t n = 1; n <= 3 && n <= run; n++) {
			uint64_t key = stem[i - n + 1];
			for (size_t k = i - n + 2; k <= i; k++)
				key = scan_hash_join(key, stem[k]);
			struct gram *gr = gram_get(&g, key | 1);
			if (!gr)
				continue;
			if (gr->count == 0) {
				gr->first = (uint32_t)(i + 1 - n);
				gr->ntok = (uint8_t)n;
				gr->need = l->need;
			} else if (need_rank_better((enum need)l->need, (enum need)gr->need)) {
				gr->need = l->need;
			}
			if (gr->count < UINT16_MAX)
				gr->count++;
		}
	}
	struct cand *cands = arena_alloc_raw(scratch, (g.n + 1) * sizeof(*cands));
	if (!cands)
		return -1;
	size_t nc = 0;
	for (size_t i = 0; i < g.cap; i++) {
		const struct gram *gr = &g.v[i];
		/* Phrases must repeat; so must words, unless a corpus says they are rare. */
		if (!gr->key || ((gr->ntok > 1 || idf->ndocs < 20) && gr->count < 2))
			continue;
		double w = 0;
		for (uint8_t k = 0; k < gr->ntok; k++) {
			size_t ti = gr->first + k;
			w += idf_weight(idf, scan_tok_lower(t, ti), t->v[ti].len, t->v[ti].hash);
		}
		w /= gr->ntok;
		if (w <= 0)
			continue;
		w *= (1.0 + log((double)gr->count)) * (gr->ntok > 1 ? 1.3 : 1.0);
		cands[nc++] = (struct cand){ .g = gr, .weight = w };
	}
	/* Only the heaviest few can be chosen: keep those (sorted), not all. */
	size_t keep = JD_KEYWORDS_MAX * 3;
	if (nc > keep) {
		struct cand *top = arena_alloc_raw(scratch, keep * sizeof(*top));
		if (!top)
			return -1;
		size_t kept = 0;
		for (size_t i = 0; i < nc; i++) {
			if (kept == keep && cand_cmp(&cands[i], &top[keep - 1]) >= 0)
				continue;
			size_t at = kept < keep ? kept++ : keep - 1;
			while (at > 0 && cand_cmp(&cands[i], &top[at - 1]) < 0) {
				top[at] = top[at - 1];
				at--;
			}
			top[at] = cands[i];
		}
		cands = top;
		nc = kept;
	}
	qsort(cands, nc, sizeof(*cands), cand_cmp);
	out->keywords = arena_alloc(a, JD_KEYWORDS_MAX * sizeof(*out->keywords));
	if (!out->keywords)
		return -1;
	for (size_t i = 0; i < nc && out->n_keywords < JD_KEYWORDS_MAX; i++) {
		const struct gram *gr = cands[i].g;
		/* A phrase sharing a word with one already chosen says the same
		 * thing twice. */
		int dup = 0;
		for (size_t k = 0; k < out->n_keywords && !dup; k++)
			for (uint8_t x = 0; x < gr->ntok && !dup; x++)
				for (uint8_t y = 0; y < out->keywords[k].ntok && !dup; y++)
					dup = stem[gr->first + x] == out->keywords[k].stems[y];
		if (dup)
			continue;
		size_t s0 = t->v[gr->first].start,
		       s1 = t->v[gr->first + gr->ntok - 1].start + t->v[gr->first + gr->ntok - 1].len;
		char *txt = arena_strndup(a, t->lower + s0, s1 - s0);
		if (!txt)
			return -1;
		out->keywords[out->n_keywords++] = (struct jd_keyword){ .text = txt,
									.key = gr->key,
									.count = gr->count,
									.ntok = gr->ntok,
									.need = (enum need)gr->need,
									.weight = cands[i].weight };
		for (uint8_t x = 0; x < gr->ntok; x++)
			out->keywords[out->n_keywords - 1].stems[x] = stem[gr->first + x];
	}

	struct edu_ctx e = { .jd = out, .li = li };
	if (matcher_education(m, scratch, &out->doc, 0, t->n, on_edu, &e) != 0)
		return -1;
	out->edu_level = e.asked;
	out->edu_preferred = e.asked ? 0 : e.preferred;
	out->years = years_asked(t, li);
	return 0;
}

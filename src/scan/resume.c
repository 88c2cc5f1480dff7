/* scan/resume — resume analysis (see resume.h). Lines are the unit: a
 * heading line opens a section, a short non-bullet line in the experience
 * section (or the header at the top) is where job titles are looked for,
 * and dates count towards experience unless they sit under education. */
#include "scan/resume.h"

#include <string.h>

#include "base/arena.h"
#include "scan/education.h"
#include "scan/jd.h"
#include "scan/scan_metrics.h"
#include "scan/words.h"

#define TITLE_LINE_TOKENS 14
#define HEADER_LINES      6

struct line {
	uint32_t start, end;
	uint32_t tok_from, tok_to;
};

/* A bullet marker at the start of the line: -, *, +, •, ▪, ◦, ‣, ●, –, or "1." */
static int is_bullet(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n)
		return 0;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && i + 1 < n && s[i + 1] == ' ')
		return 1;
	const unsigned char *u = (const unsigned char *)s + i;
	if (i + 2 < n && u[0] == 0xe2 &&
	    ((u[1] == 0x80 && (u[2] == 0xa2 || u[2] == 0xa3 || u[2] == 0x93)) ||
	     (u[1] == 0x96 && (u[2] == 0xaa || u[2] == 0xb8)) || (u[1] == 0x97 && (u[2] == 0xa6 || u[2] == 0x8f))))
		return 1;
	if (i + 1 < n && s[i] >= '0' && s[i] <= '9' && (s[i + 1] == '.' || s[i + 1] == ')'))
		return 1;
	return 0;
}

/* A number that is not a year, or a %, $, €, £ sign. */
static int measurable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' || c == '$')
			return 1;
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x82 && (unsigned char)s[i + 2] == 0xac)
			return 1; /* € */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa3)
			return 1; /* £ */
		if (c >= '0' && c <= '9' && (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'))) {
			size_t k = i;
			int v = 0;
			while (k < n && s[k] >= '0' && s[k] <= '9') {
				if (v < 100000)
					v = v * 10 + (s[k] - '0');
				k++;
			}
			int year = k - i == 4 && v >= 1950 && v <= 2100;
			int month_part = k < n && (s[k] == '/' || (i > 0 && s[i - 1] == '/'));
			if (!year && !month_part && (v >= 2 || (k < n && s[k] == '+')))
				return 1;
			i = k;
		}
	}
	return 0;
}

static void contact(const char *s, size_t n, struct resume_info *r)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '@' && i > 0 && i + 3 < n && memchr(s + i, '.', n - i > 64 ? 64 : n - i))
			r->has_email = 1;
		if (i + 12 <= n && strncasecmp(s + i, "linkedin.com", 12) == 0)
			r->has_linkedin = 1;
	}
	int digits = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (++digits >= 9) {
				r->has_phone = 1;
				return;
			}
		} else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '+') {
			digits = 0;
		}
	}
}

static void gram_add(struct resume_info *r, uint64_t key)
{
	key |= 1;
	size_t mask = r->gram_cap - 1;
	for (size_t i = (size_t)(key >> 11) & mask;; i = (i + 1) & mask) {
		if (r->gram_key[i] == key) {
			r->gram_count[i]++;
			return;
		}
		if (r->gram_key[i] == 0) {
			r->gram_key[i] = key;
			r->gram_count[i] = 1;
			return;
		}
	}
}

uint32_t resume_gram_count(const struct resume_info *r, uint64_t key)
{
	key |= 1;
	if (!r->gram_cap)
		return 0;
	size_t mask = r->gram_cap - 1;
	for (size_t i = (size_t)(key >> 11) & mask; r->gram_key[i]; i = (i + 1) & mask)
		if (r->gram_key[i] == key)
			return r->gram_count[i];
	return 0;
}

static void on_edu(void *ctx, uint32_t tok, int level)
{
	(void)tok;
	struct resume_info *r = ctx;
	if (level > r->edu_level)
		r->edu_level = level;
}

static int analyse(struct arena *a, const struct scan_matcher *m, const char *text, size_t len, int now_month,
		   struct resume_info *out)
{
	memset(out, 0, sizeof(*out));
	if (scan_doc_init(a, m, text, len, &out->doc) != 0)
		return -1;
	const struct scan_tokens *t = &out->doc.toks;
	uint32_t nl = t->lines;
	out->lines = nl;
	struct line *lines = arena_alloc(a, (nl + 1) * sizeof(*lines));
	out->line_section = arena_alloc(a, nl + 1);
	out->sections = arena_alloc(a, (nl + 1) * sizeof(*out->sections));
	out->skill_count = arena_alloc(a, (m->tax->n_skills + 1) * sizeof(*out->skill_count));
	if (!lines || !out->line_section || !out->sections || !out->skill_count)
		return -1;
	size_t start = 0;
	for (uint32_t l = 0; l < nl; l++) {
		const char *p = start < len ? memchr(text + start, '\n', len - start) : NULL;
		size_t end = p ? (size_t)(p - text) : len;
		lines[l].start = (uint32_t)start;
		lines[l].end = (uint32_t)end;
		start = end + 1;
	}
	for (size_t i = 0, l = 0; l < nl; l++) {
		lines[l].tok_from = (uint32_t)i;
		while (i < t->n && t->v[i].line == l)
			i++;
		lines[l].tok_to = (uint32_t)i;
	}

	/* Sections. Before the first heading: the header (contact details). */
	enum resume_section cur = RS_CONTACT;
	int any_heading = 0;
	for (uint32_t l = 0; l < nl; l++) {
		enum resume_section s = sections_resume_heading(text + lines[l].start, lines[l].end - lines[l].start);
		if (s != RS_NONE) {
			cur = s;
			any_heading = 1;
			if (out->n_sections)
				out->sections[out->n_sections - 1].line_to = l;
			out->sections[out->n_sections++] =
			    (struct resume_section_span){ .kind = s, .line_from = l, .line_to = nl };
		}
		out->line_section[l] = (uint8_t)cur;
		contact(text + lines[l].start, lines[l].end - lines[l].start, out);
	}
	int has_experience = 0;
	for (size_t i = 0; i < out->n_sections; i++)
		has_experience |= out->sections[i].kind == RS_EXPERIENCE;

	/* Titles, dates, bullets, line by line. */
	out->titles = arena_alloc(a, (nl + 1) * sizeof(*out->titles));
	out->dates = arena_alloc(a, (nl * 4 + 1) * sizeof(*out->dates));
	if (!out->titles || !out->dates)
		return -1;
	uint32_t nonempty = 0;
	for (uint32_t l = 0; l < nl; l++) {
		enum resume_section s = (enum resume_section)out->line_section[l];
		const char *ls = text + lines[l].start;
		size_t ll = lines[l].end - lines[l].start;
		uint32_t ntok = lines[l].tok_to - lines[l].tok_from;
		if (ntok)
			nonempty++;
		int bullet = is_bullet(ls, ll);
		int heading = any_heading && out->n_sections && sections_resume_heading(ls, ll) != RS_NONE;
		if (bullet &&
		    (s == RS_EXPERIENCE || s == RS_PROJECTS || s == RS_OTHER || s == RS_SUMMARY || !has_experience)) {
			out->bullets++;
			out->measurable += (uint32_t)measurable(ls, ll);
		}
		int count_dates = has_experience ? s == RS_EXPERIENCE : s != RS_EDUCATION && s != RS_CERTIFICATIONS;
		if (count_dates) {
			size_t n = dates_find(ls, ll, now_month, out->dates + out->n_dates, 4);
			if (n == 0 && l + 1 < nl &&
			    dates_find_split(ls, ll, text + lines[l + 1].start, lines[l + 1].end - lines[l + 1].start,
					     now_month, out->dates + out->n_dates))
				n = 1;
			for (size_t k = 0; k < n; k++)
				out->dates[out->n_dates + k].line = l;
			out->n_dates += n;
		}
		int title_line = !heading && !bullet && ntok > 0 && ntok <= TITLE_LINE_TOKENS &&
				 (s == RS_EXPERIENCE || (s == RS_CONTACT && nonempty <= HEADER_LINES) ||
				  (s == RS_SUMMARY && ntok <= 8));
		if (title_line) {
			struct title_hit th;
			int f = matcher_title(m, a, &out->doc, lines[l].tok_from, lines[l].tok_to, &th);
			if (f < 0)
				return -1;
			if (f) {
				const struct scan_token *t0 = &t->v[th.tok], *t1 = &t->v[th.tok + th.ntok - 1];
				out->titles[out->n_titles++] = (struct resume_title){
					.occupation = th.occupation,
					.level = th.level,
					.line = l,
					.text = arena_strndup(a, text + t0->start, t1->start + t1->len - t0->start),
				};
			}
		}
	}
	/* The total is taken on a copy: out->dates stays in resume order. */
	struct date_range *copy = arena_alloc_raw(a, (out->n_dates + 1) * sizeof(*copy));
	if (!copy)
		return -1;
	memcpy(copy, out->dates, out->n_dates * sizeof(*copy));
	out->months = dates_total_months(copy, out->n_dates);

	if (matcher_education(m, a, &out->doc, 0, t->n, on_edu, out) != 0)
		return -1;
	for (size_t i = 0; i < out->doc.n_skills; i++)
		out->skill_count[out->doc.skills[i].value]++;

	/* Stemmed 1–3-grams of content words, for the posting's keywords. */
	out->gram_cap = 256;
	while (out->gram_cap < t->n * 4)
		out->gram_cap *= 2;
	out->gram_key = arena_alloc(a, out->gram_cap * sizeof(*out->gram_key));
	out->gram_count = arena_alloc(a, out->gram_cap * sizeof(*out->gram_count));
	uint64_t *stem = arena_alloc_raw(a, (t->n + 1) * sizeof(*stem));
	if (!out->gram_key || !out->gram_count || !stem)
		return -1;
	size_t run = 0;
	for (size_t i = 0; i < t->n; i++) {
		const char *s = scan_tok_lower(t, i);
		out->words++;
		if (!jd_keyword_token(t, i) &&
		    !(t->v[i].len >= 3 && words_is_generic(s, t->v[i].len) && !words_is_stop(s, t->v[i].len))) {
			run = 0;
			continue;
		}
		if (t->v[i].flags & TOK_BREAK)
			run = 0;
		stem[i] = words_stem_hash(s, t->v[i].len) | 1;
		run++;
		for (size_t n = 1; n <= 3 && n <= run; n++) {
			uint64_t key = stem[i - n + 1];
			for (size_t k = i - n + 2; k <= i; k++)
				key = scan_hash_join(key, stem[k]);
			gram_add(out, key);
		}
	}
	return 0;
}

int resume_analyse(struct arena *a, const struct scan_matcher *m, const char *text, size_t len, int now_month,
		   struct resume_info *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = analyse(a, m, text, len, now_month, out);
	scan_metrics_observe(SCAN_STAGE_RESUME, &t0);
	return rc;
}

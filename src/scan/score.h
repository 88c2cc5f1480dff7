/* scan/score — the 0–100 match between a resume and a posting, with the
 * breakdown that explains it. Owned by the resume scanner. Deterministic:
 * the same inputs give the same score, terms and suggestions.
 *
 * Components and their nominal weights (percent of the score):
 *   hard skills 35   hard/tool/certification/language skills the posting names
 *   soft skills 10   soft skills the posting names
 *   keywords    15   the posting's distinctive words and phrases (IDF)
 *   job title   25   occupation match: same occupation, else same field,
 *                    else shared title words; blended with how much the
 *                    resume's skills lie in the posting's fields (categories)
 *   education  7.5   only when the posting asks for a degree
 *   experience 7.5   only when the posting asks for years of experience
 * A component the posting gives nothing to judge by (no soft skills named,
 * no degree asked) is dropped and the others' weights scaled up to 100.
 * Within skills and keywords a term weighs by need (required 1, unspecified
 * 0.75, preferred 0.5, benefits/about 0.25) times (1 + 0.25 per extra
 * mention, at most 4), the keywords also by their IDF weight. Skills the
 * posting offers as alternatives ("Python, Ruby or Java") count as one term
 * that any of them satisfies. A list judged on fewer than 4 hard skills, 2
 * soft skills or 6 keywords weighs proportionally less. */
#ifndef JT_SCAN_SCORE_H
#define JT_SCAN_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "scan/jd.h"
#include "scan/resume.h"

enum score_part { SC_HARD, SC_SOFT, SC_KEYWORDS, SC_TITLE, SC_EDUCATION, SC_EXPERIENCE, SC_PARTS };

struct score_component {
	const char *name;   /* "hard_skills", … */
	double weight;      /* nominal, percent */
	double max_points;  /* the weight after re-normalisation: what it can win */
	double ratio;       /* 0..1 of it won */
	double points;      /* won */
	double lost;        /* max_points - points */
	int present;        /* judged (else dropped) */
	const char *detail; /* a sentence for people (detail mode only) */
};

enum term_kind { TERM_SKILL, TERM_KEYWORD };

struct score_term {
	enum term_kind kind;
	const char *name; /* display name */
	const char *type; /* "hard", "soft", …, or "keyword" */
	const char *category;
	enum need need;
	uint32_t jd_count, resume_count;
	double weight;
	int matched;
	const char *via; /* not in the resume, but an alternative the posting offers with it is */
};

struct scan_result {
	double score; /* 0..100, one decimal */
	struct score_component parts[SC_PARTS];
	/* detail mode only: */
	struct score_term *terms; /* skills then keywords, posting order */
	size_t n_terms;
	const char **suggestions;
	size_t n_suggestions;
	int32_t jd_occupation, resume_occupation; /* -1 when none */
	double category_overlap;
};

/* Scores r against jd. detail: also fill terms, details and suggestions
 * (ranking many postings needs only the numbers). 0, or -1 out of memory. */
int scan_score(struct arena *a, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
	       int detail, struct scan_result *out);

const char *score_part_name(enum score_part p);

#endif

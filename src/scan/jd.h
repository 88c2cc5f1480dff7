/* scan/jd — what a job posting asks for: its taxonomy skills (with how
 * often it names each, and whether it is required or preferred), its
 * distinctive words and 2–3-word phrases weighted by IDF, its job title and
 * occupation, the degree and the years of experience it asks for. Owned by
 * the resume scanner; score.h compares a resume against this. */
#ifndef JT_SCAN_JD_H
#define JT_SCAN_JD_H

#include <stddef.h>
#include <stdint.h>

#include "scan/idf.h"
#include "scan/matcher.h"
#include "scan/sections.h"

#define JD_KEYWORDS_MAX 15

struct jd_skill {
	uint32_t skill; /* index in the taxonomy */
	uint32_t count;
	enum need need;
	int in_title;
	uint32_t group; /* alternatives offered together ("Python, Ruby or Java"): same non-zero group */
};

struct jd_keyword {
	const char *text; /* lower case, as the posting first writes it */
	uint64_t key;     /* the stems' n-gram hash (resume.h's resume_gram_count) */
	uint64_t stems[3];
	uint32_t count;
	uint8_t ntok;
	enum need need;
	double weight;
};

struct jd_terms {
	const char *title;  /* the posting's job title, "" when unknown */
	int32_t occupation; /* the title's occupation, -1 when not recognised */
	enum seniority level;
	struct scan_doc doc;
	struct scan_doc title_doc;
	struct jd_skill *skills; /* in order of first mention */
	size_t n_skills;
	struct jd_keyword *keywords; /* heaviest first */
	size_t n_keywords;
	int edu_level;     /* lowest degree asked for outside "preferred"; 0 none */
	int edu_preferred; /* a degree only mentioned as preferred */
	int years;         /* years of experience asked for; 0 none */
	int has_sections;  /* required/preferred sections were recognised */
};

/* Reads the posting (title may be NULL: the first short line is taken).
 * 0, or -1 out of memory. */
int jd_extract(struct arena *a, const struct scan_matcher *m, const struct idf_table *idf, const char *title,
	       const char *text, size_t len, struct jd_terms *out);

/* The same with the caller's scratch arena for the temporaries (reset it
 * between postings when ranking many: no malloc per posting). */
int jd_extract_scratch(struct arena *a, struct arena *scratch, const struct scan_matcher *m,
		       const struct idf_table *idf, const char *title, const char *text, size_t len,
		       struct jd_terms *out);

/* Shared with resume.c: is token i a word worth a keyword (not a stop or
 * generic word, not a number, three bytes or more)? */
int jd_keyword_token(const struct scan_tokens *t, size_t i);

#endif

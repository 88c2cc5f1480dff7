/* corpus — a deterministic, realistic corpus of job postings for the search
 * benchmark: titles over ~50 occupations in ten fields with seniority,
 * ~20,000 companies (a few big employers post much), ~100 cities in 14
 * countries, descriptions of about 300 words (150–450) assembled from each field's
 * duties, requirements and skills (technical tokens for the technical
 * ones), company blurbs, benefits and equal-opportunity boilerplate, and a
 * long tail of product and tool names; salaries by field and country,
 * dates over 120 days, workplaces, employment types and sources. The same
 * seed gives the same corpus byte for byte. */
#ifndef JT_BENCH_SEARCH_CORPUS_H
#define JT_BENCH_SEARCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

struct gen_posting {
	int64_t id;
	char *title, *company, *location, *description; /* in the corpus's storage */
	const char *city, *country, *currency, *source, *source2;
	int workplace;             /* enum workplace */
	unsigned employment_types; /* enum employment_type bits */
	char date_posted[11];
	double salary_min, salary_max; /* yearly; 0 when none */
};

struct corpus {
	struct gen_posting *items;
	size_t n;
	char *text;
	size_t text_len, text_cap;
	uint64_t words; /* in all descriptions */
};

/* n postings with ids 1..n; 0 or -ENOMEM. today: "YYYY-MM-DD" the dates end at. */
int corpus_generate(struct corpus *c, size_t n, uint64_t seed, const char *today);
void corpus_free(struct corpus *c);

#endif

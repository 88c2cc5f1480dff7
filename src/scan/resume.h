/* scan/resume — what a resume (as plain text or Markdown) says: its
 * sections, job titles and their occupations, date ranges and total years
 * of experience (overlaps merged), highest degree, skills, bullets with
 * measurable results, contact details, and its words and phrases (stemmed
 * 1–3-grams) for keyword matching. Owned by the resume scanner; text from
 * PDF and DOCX reaches here through src/resume/ (extract.h). */
#ifndef JT_SCAN_RESUME_H
#define JT_SCAN_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "scan/dates.h"
#include "scan/matcher.h"
#include "scan/sections.h"

struct resume_section_span {
	enum resume_section kind;
	uint32_t line_from, line_to; /* the heading line, and the line after the last */
};

struct resume_title {
	int32_t occupation;
	enum seniority level;
	uint32_t line;
	const char *text; /* the title as written */
};

struct resume_info {
	struct scan_doc doc;
	uint8_t *line_section; /* enum resume_section of each line */
	uint32_t lines;
	struct resume_section_span *sections;
	size_t n_sections;
	struct date_range *dates;
	size_t n_dates;
	int months; /* of experience, overlaps merged */
	struct resume_title *titles;
	size_t n_titles;
	int edu_level;
	uint32_t bullets, measurable; /* bullet lines, and those with a number, % or amount */
	int has_email, has_phone, has_linkedin;
	uint32_t words;
	uint32_t *skill_count; /* per taxonomy skill */
	/* stemmed 1–3-grams of content words: key -> count */
	uint64_t *gram_key;
	uint32_t *gram_count;
	size_t gram_cap;
};

/* now_month: dates_month_of(now), for "Present". 0, or -1 out of memory. */
int resume_analyse(struct arena *a, const struct scan_matcher *m, const char *text, size_t len, int now_month,
		   struct resume_info *out);
/* How often the resume has the n-gram (jd_keyword.key). */
uint32_t resume_gram_count(const struct resume_info *r, uint64_t key);

#endif

/* scan/dates — date ranges in resume lines ("Jan 2019 – Present",
 * "2017-2020", "03/2018 - 06/2021", "March 2015 to June 2016") and the
 * months they cover with overlaps merged. Owned by the resume scanner.
 *
 * Months are counted as y*12 + m (m 0..11). A range given in months counts
 * both ends ("Jan 2019 – Mar 2019" is 3 months); one given in years runs
 * from January to January ("2017-2020" is 3 years, "2019 – 2019" one);
 * "Present" (current, now, today, to date, ongoing) is the month of `now`. */
#ifndef JT_SCAN_DATES_H
#define JT_SCAN_DATES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct date_range {
	int from, to; /* [from, to) in months */
	int present;  /* ends at "Present" */
	uint32_t line;
	uint32_t start, end; /* bytes of the range in its line */
};

/* Finds the ranges in s[0..len), at most max. */
size_t dates_find(const char *s, size_t len, int now, struct date_range *out, size_t max);
/* A range split over two lines by a two-column layout: line1 starts with
 * "June 2020 –" (then other text) and line2 starts with "Present" or a
 * date. 1 with *out filled (start/end relative to line1), else 0. */
int dates_find_split(const char *line1, size_t len1, const char *line2, size_t len2, int now, struct date_range *out);
/* Months covered by the ranges, overlaps counted once (sorts r). */
int dates_total_months(struct date_range *r, size_t n);
/* The month index of t (UTC). */
int dates_month_of(time_t t);

#endif

/* normalize — turning the many ways sources write salaries, dates,
 * locations, employment types and workplace words into the values of
 * struct posting (scrape/posting.h).
 *
 * Every function here reads untrusted text: it never reads past the NUL,
 * never allocates unless it says so, and answers "not known" (a negative
 * return, an unset field) rather than guessing. Implementations live in
 * src/scrape/normalize/, one file per concern.
 */
#ifndef JT_SCRAPE_NORMALIZE_H
#define JT_SCRAPE_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "scrape/posting.h"

struct arena;

/* ---- salary (normalize/salary.c) ---------------------------------------- */

/* Parses free salary text: "$120k–$150k", "€45.000 - 55.000 per year",
 * "£30,000 - £35,000 a year", "USD 100000", "$42.50/hr", "up to 90k",
 * "from 3.750 € brutto/Monat", "80 000 – 95 000 SEK/year", "Competitive".
 * default_currency ("" or ISO 4217) fills in a currency the text leaves out.
 * 0 and *out filled (present = true) when at least one amount was found,
 * -ENOENT when the text states no salary. */
int salary_parse_text(const char *text, const char *default_currency, struct posting_salary *out);

/* An amount given as a string or number by a structured source: "120000",
 * "$100,000", "100.000,00", "85k". 0 and *out, or -EINVAL. */
int salary_parse_amount(const char *text, double *out);

/* An amount in cents (minor units), as Greenhouse's pay ranges write it
 * ("min_cents": 12000000, or the same as text, grouped or not: "12,000,000",
 * "12000000.00"): the amount in currency units (120000). Only a whole,
 * non-negative number of cents under 1e12, with no currency, suffix or other
 * word beside it. 0 and *out, or -EINVAL. */
int salary_parse_cents(const char *text, double *out);

/* A pay range in cents: min_cents and max_cents as salary_parse_cents reads
 * them (NULL or unreadable: an open end; both open: no salary), currency an
 * ISO 4217 code or symbol (NULL: not known), and label any text that may
 * name the period ("Annual base salary", "Hourly pay range"; NULL: none),
 * which is left UNKNOWN when the label names none. A reversed range is put
 * in order. 0 and *out (present), or -ENOENT. */
int salary_from_cents(const char *min_cents, const char *max_cents, const char *currency, const char *label,
		      struct posting_salary *out);

/* Period words of every source: "YEAR", "per-year-salary", "1 YEAR",
 * "yearly", "annual", "month", "per-hour-wage", "hr", "/hour", "p.a.", …
 * 0 and *out, or -ENOENT. */
int salary_period_parse(const char *text, enum salary_period *out);

/* A currency symbol, code or name at the start of text ("$", "US$", "€",
 * "EUR", "£", "CHF", "zł", "kr" …) as ISO 4217: 0 and out[4], or -ENOENT.
 * *used (may be NULL) receives the bytes consumed. "$" alone is USD. */
int currency_parse(const char *text, char out[4], size_t *used);

/* The yearly figure of an amount (HOUR ×2080, DAY ×260, WEEK ×52, MONTH ×12)
 * for comparing salaries; UNKNOWN periods are taken as they are. */
double salary_yearly(double amount, enum salary_period period);

/* ---- dates (normalize/date.c) -------------------------------------------- */

/* Any date a source writes — ISO 8601 with or without time and zone
 * ("2026-09-24T13:34:54-04:00", "2026-5-15", "2026-09-18T16:43:22"),
 * "2026-09-18 13:27:28 UTC", RFC 822/1123 ("Fri, 11 Sep 2026 07:30:48 +0000"),
 * epoch seconds or milliseconds as digits, relative text ("Posted 3 days ago",
 * "Posted Today", "Yesterday", "30+ Days Ago", "2 weeks ago", "just now") —
 * as the calendar date in UTC, written YYYY-MM-DD into out[11].
 * now is the reference for relative dates. 0, or -EINVAL (out untouched). */
int date_parse(const char *text, time_t now, char out[11]);

/* The same for a number that a JSON source gave: epoch seconds, or
 * milliseconds when it is past year 5000 as seconds. */
int date_from_epoch(double epoch, char out[11]);

/* ---- locations (normalize/location.c) ------------------------------------ */

/* Splits raw location text into locality, region and country (ISO 3166-1
 * alpha-2): "San Francisco, CA" → San Francisco / CA / US; "London, England,
 * United Kingdom" → London / England / GB; "Utrecht, Netherlands";
 * "Remote - US"; "Hybrid - Berlin"; "Paris, IDF, France"; "Anywhere in the
 * World" (no country). Workplace words found in the text ("Remote",
 * "Hybrid", "On-site") go to *workplace (may be NULL) and are not part of the
 * locality. raw is kept as given. Strings are copied into the arena. Returns
 * 0 (even when nothing could be recognised), -ENOMEM. */
int location_parse(struct arena *a, const char *raw, struct posting_location *out, enum workplace *workplace);

/* The country of a structured address that names none, from its region:
 * a state, province or territory of the US, Canada or Australia by name or
 * by code in any case ("TX", "tx", "Texas", "ON", "NSW"), as location_parse
 * reads "Austin, TX". The locality (may be NULL) settles codes regions
 * share ("Perth", "WA" is Western Australia) and region fields that write
 * its country instead ("Berlin", "DE"; "Vancouver", "CA"; "Tbilisi",
 * "Georgia"). 0 and out[3], or -ENOENT. */
int location_region_country(const char *locality, const char *region, char out[3]);

/* A country name, alias or code ("Germany", "Deutschland", "USA", "U.S.",
 * "UK", "gb", "Great Britain", "España", "fr") as ISO 3166-1 alpha-2 in
 * out[3]. 0, or -ENOENT. */
int country_code(const char *name, char out[3]);

/* The English name of an ISO 3166-1 alpha-2 code, or NULL. */
const char *country_name(const char *code);

/* ---- employment types and workplace words (normalize/employment.c, workplace.c) */

/* Employment words of every source — "FULL_TIME", "Full-time", "full_time",
 * "FullTime", "fulltime_permanent", "Permanent", "Contract", "Freelance",
 * "Internship", "Trainee", "Temporary", "Part time", "Werkstudent" … — as
 * a set of enum employment_type bits; 0 when none is recognised. */
unsigned employment_parse(const char *text);

/* Workplace words — "remote", "Fully Remote", "TELECOMMUTE", "hybrid",
 * "on-site", "onsite", "Office-based", "In office", "WFH" — as the enum;
 * WORKPLACE_UNKNOWN when none is recognised. */
enum workplace workplace_parse(const char *text);

/* Looks for workplace words inside longer text (a title, a location line,
 * a description's first paragraph): "Senior Engineer (Remote)". Hybrid wins
 * over remote when both appear. WORKPLACE_UNKNOWN when none. */
enum workplace workplace_scan(const char *text);

/* ---- text (normalize/lex.c) ---------------------------------------------- */

/* Collapses every run of white space in s — ASCII blanks and line breaks,
 * no-break, thin, figure and other Unicode spaces — into one ASCII space,
 * and trims both ends, in place. Returns the new length. For titles,
 * company names and location lines before they are stored or compared. */
size_t normalize_text_ws(char *s);

#endif

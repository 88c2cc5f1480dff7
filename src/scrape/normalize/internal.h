/* internal — what the files of src/scrape/normalize/ share beyond lex.h:
 * the scanners one normaliser borrows from another (an amount inside salary
 * text, a period or workplace phrase inside a longer line) and the place
 * tables location.c consults. Not for use outside this folder. */
#ifndef JT_SCRAPE_NORMALIZE_INTERNAL_H
#define JT_SCRAPE_NORMALIZE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "scrape/posting.h"

/* ---- amount.c ---- */

/* One number as a salary writes it, with its thousands grouping and a
 * suffix ("120,000", "45.000,50", "80 000", "1,5k", "2.4M", "12 LPA"). */
struct amount {
	double value;                      /* the suffix applied: "1,5k" → 1500 */
	double multiplier;                 /* what the suffix multiplied by: 1, 1e3, 1e5 (lakh), 1e6, 1e7 (crore) */
	bool valid;                        /* false: digits that are no amount (too many, "1.2.3.4") */
	bool grouped;                      /* thousands separators or a decimal part were read */
	bool spaced_suffix;                /* "90 k": a space before the suffix */
	enum salary_period implied_period; /* "LPA" (lakh per annum) says YEAR */
};

/* Reads a number starting at s (a digit). Returns the bytes read, suffix
 * included; 0 when no digit starts at s. Grouping rules: a separator
 * followed by exactly three digits groups thousands ("3.750", "1,234,567",
 * "80 000" with any space, "100'000"), unless it is the last of two
 * different kinds ("1.234,56" → decimal comma) or followed by one, two or
 * more than three digits ("42.50", "1,5"). Indian grouping ("12,34,567") is
 * read too. An invalid grouping reads the first run of digits only. */
size_t amount_read(const char *s, struct amount *out);

/* ---- period.c ---- */

/* A period phrase at s ("per annum", "/yr", "an hour", "p.a.", "monthly",
 * "1 YEAR", "per-hour-wage", "/Monat" …): bytes matched and *out, or 0.
 * *weak (may be NULL) is set for bare words ("year", "hour", "pa", "mo")
 * that name a period only right after an amount. */
size_t period_phrase_at(const char *s, enum salary_period *out, bool *weak);

/* ---- workplace.c ---- */

/* A workplace phrase at s (as workplace_scan reads them, and the bare
 * words location lines use: "Remote", "Hybrid", "Onsite", "In-Office",
 * "Home Office", "WFH"): bytes matched and *out, or 0. */
size_t workplace_phrase_at(const char *s, enum workplace *out);

/* ---- countries.c ---- */

/* The country a folded key (lex_fold) names: an English or native name or
 * alias, or — when as_written is all upper case, or codes_any_case is set —
 * an ISO 3166-1 alpha-2 or alpha-3 code. 0 and out[3], or -ENOENT. */
int country_lookup(const char *key, const char *as_written, bool codes_any_case, char out[3]);

/* True when the folded key is one of the United Kingdom's four countries
 * ("England", "Scotland", "Wales", "Northern Ireland"): a region of GB. */
bool country_is_gb_nation(const char *key);

/* The tables, entry by entry, for the unit tests that check them whole. */
size_t country_table_size(void);
const char *country_table_alpha2(size_t i);
size_t country_alias_count(void);
const char *country_alias_key(size_t i);

/* ---- regions.c ---- */

/* A state, province or territory of the US, Canada or Australia named by
 * the folded key: by name in any case, by its postal code only when
 * as_written is that code in upper case. prefer ("" or a country) picks among
 * systems that share a code ("WA": Washington, Western Australia); without
 * it the US comes first, then Canada, then Australia. 0 and country[3], or
 * -ENOENT. */
int region_lookup(const char *key, const char *as_written, const char *prefer, char country[3]);

/* The country of a well-known city (folded key), kept only to settle a
 * code that is both a region and a country ("Berlin, DE", "Perth, WA",
 * "Atlanta, Georgia"). 0 and out[3], or -ENOENT. */
int city_country(const char *key, char out[3]);

#endif

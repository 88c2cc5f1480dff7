/* dedupe — what ingest needs to recognise one job seen on several sources:
 * a canonical key (company, title and place, normalised so that "Acme, Inc."
 * / "ACME" and "Senior Engineer (m/w/d)" / "senior engineer" agree), a
 * SimHash of the description (near-duplicate texts differ in few bits), a
 * content hash (did a re-seen posting change?), and which source's apply
 * link to prefer. Pure functions; the store keeps the results. */
#ifndef JT_SCRAPE_DEDUPE_H
#define JT_SCRAPE_DEDUPE_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/posting.h"

struct arena;

/* Near-duplicate threshold: descriptions whose SimHashes differ in at most
 * this many of 64 bits are the same text give or take a paragraph. */
#define DEDUPE_SIMHASH_MAX_DISTANCE 6

/* "acme|senior backend engineer|london,gb" (arena), or NULL on ENOMEM.
 * Postings without a company or title get a key that matches nothing else
 * ("" parts are replaced by the source and external id). */
const char *dedupe_canonical_key(struct arena *a, const struct posting *p);

/* The normalised company or title alone (lower case, legal suffixes, gender
 * markers and punctuation removed, spaces collapsed). */
const char *dedupe_normalize_company(struct arena *a, const char *company);
const char *dedupe_normalize_title(struct arena *a, const char *title);

/* SimHash over word 3-shingles of text (64 bits); 0 for empty text. */
uint64_t dedupe_simhash(const char *text);
int dedupe_distance(uint64_t a, uint64_t b);

/* 32 hex digits over every field of the posting that a user sees. */
void dedupe_content_hash(const struct posting *p, char out[33]);

/* Higher is a better apply link: the employer's own ATS (Greenhouse, Lever,
 * Ashby, Workday, …) and its own career pages beat aggregators and feeds
 * (LinkedIn, Remote OK, Remotive, Hacker News, RSS). */
int dedupe_apply_rank(const char *source);

#endif

/* scan/rank — best matches of a resume over the store's open postings.
 * Owned by the resume scanner.
 *
 * A ranker holds what every ranking shares and only reads: the taxonomy,
 * its compiled matcher, the word weights (IDF) of the store's postings, and
 * the taxonomy's cache key (terms_codec.h). Request threads may share one.
 *
 * Ranking reads each open posting's cached terms (store_posting_terms_page,
 * in pages), scores it against the resume (numbers only), keeps the best
 * `limit`, and scores those again in full (matched and missing terms,
 * suggestions). Postings with no current cached terms are first read and
 * cached (scan_terms_fill): a posting ingested a moment ago, or every
 * posting after a new taxonomy, costs its extraction once.
 *
 * Keywords are weighed with the IDF the ranker had when the posting's terms
 * were cached: a corpus that drifts a lot later is caught by the next
 * taxonomy or extractor change, not by itself. */
#ifndef JT_SCAN_RANK_H
#define JT_SCAN_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "scan/idf.h"
#include "scan/jd.h"
#include "scan/matcher.h"
#include "scan/resume.h"
#include "scan/score.h"
#include "scan/taxonomy.h"
#include "store/store.h"

#define SCAN_RANK_MAX        200  /* most matches one ranking returns */
#define SCAN_RANK_IDF_DOCS   2000 /* newest postings of the quick first word weights */
#define SCAN_TERMS_FILL_PAGE 200  /* postings read and cached per store round trip */

struct scan_ranker {
	const struct scan_matcher *m; /* &own_m, or the caller's (scan_ranker_init_with) */
	struct taxonomy own_tax;
	struct scan_matcher own_m;
	int owns; /* own_tax and own_m are set and freed with the ranker */
	struct idf_table idf;
	char key[40]; /* scan_terms_key of m->tax */
};

/* Loads the taxonomy (dir, or the built-in one when NULL) and compiles it.
 * 0, or -1 with err. */
int scan_ranker_init(struct scan_ranker *rk, const char *taxonomy_dir, char *err, size_t errlen);
/* The same with a loaded taxonomy (the CLI's, with the user's extension):
 * the ranker takes it over (*tax is emptied) and frees it. 0, or -1 with err. */
int scan_ranker_adopt(struct scan_ranker *rk, struct taxonomy *tax, char *err, size_t errlen);
/* The same with a compiled taxonomy the caller owns and keeps alive (serve's,
 * with the user's extension, so best matches and scans agree). */
void scan_ranker_init_with(struct scan_ranker *rk, const struct scan_matcher *m);
/* Word weights from the store's newest max open postings, or every open
 * posting when max is 0 (idf_store.h; before any fill). 0, or a store
 * error / -1 (the built-in default stays). */
int scan_ranker_load_idf(struct scan_ranker *rk, struct store *s, size_t max);
/* Takes over *t as the ranker's word weights (t is left empty). Not while
 * a fill or ranking reads the ranker: best.c swaps under its fill lock. */
void scan_ranker_set_idf(struct scan_ranker *rk, struct idf_table *t);
void scan_ranker_free(struct scan_ranker *rk);

/* Reads and caches the terms of open postings with none current, in pages
 * of SCAN_TERMS_FILL_PAGE, at most max of them (0: all). progress (may be
 * NULL) is called after each page with the postings done so far and how
 * many were waiting at the start. *done gets the count. 0, a store error,
 * or -1 out of memory. */
int scan_terms_fill(const struct scan_ranker *rk, struct store *s, size_t max,
		    void (*progress)(void *ctx, size_t done, int64_t waiting), void *ctx, size_t *done);

struct scan_match {
	int64_t posting_id;
	double score;
	struct jd_terms jd;     /* the posting's cached terms */
	struct scan_result res; /* in full (detail) */
};

struct scan_rank_request {
	const struct resume_info *resume;
	/* Only these postings (ascending ids: a search's matches), when
	 * restrict is set; else every open posting. */
	const int64_t *only;
	size_t n_only;
	int restrict_ids;
	size_t limit; /* 1..SCAN_RANK_MAX */
	int no_fill;  /* the caller has filled the cache (scan_terms_fill) */
};

struct scan_rank_stats {
	size_t filled;      /* postings whose terms were read first */
	size_t scored;      /* postings scored */
	size_t undecodable; /* cached rows that failed to decode (skipped) */
	double fill_ms, rank_ms;
};

/* The best req->limit postings, best first (ties: newer posting first),
 * in a. 0, a store error, or -1 out of memory. */
int scan_rank(const struct scan_ranker *rk, struct store *s, const struct scan_rank_request *req, struct arena *a,
	      struct scan_match **out, size_t *n, struct scan_rank_stats *stats);

/* The names of the skills the result matched (matched = 1) or missed (0),
 * heaviest first, at most max, into names; returns how many. */
size_t scan_match_skills(const struct scan_result *res, int matched, const char **names, size_t max);

#endif

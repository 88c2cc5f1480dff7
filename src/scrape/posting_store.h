/* posting_store — a stored canonical posting read back as the normalised
 * posting (scrape/posting.h), so everything that shows one (the API) writes
 * it with the same writer as `jobtrack extract` and the bus.
 *
 * Ownership: the posting points into the store_posting's and the listing's
 * strings (the caller's arena); the fixed fields are copied.
 */
#ifndef JT_SCRAPE_POSTING_STORE_H
#define JT_SCRAPE_POSTING_STORE_H

#include <stddef.h>

#include "scrape/posting.h"
#include "store/store.h"

/* The listing whose fields the canonical posting carries: the first open one
 * of its rank (sources come best rank first), else the first; NULL when n is 0. */
const struct posting_source *posting_store_best_listing(const struct store_posting *sp,
							const struct posting_source *sources, size_t n);

/* Fills *out from sp; source and external_id come from listing (may be
 * NULL: both null). Values the store does not know stay unknown. */
void posting_from_store(const struct store_posting *sp, const struct posting_source *listing, struct posting *out);

#endif

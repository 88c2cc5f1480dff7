/* scan/idf_store — the IDF table (idf.h) built from the postings in the
 * store, through store.h only (so both backends give the same table). Owned
 * by the resume scanner.
 *
 * Two builds: the newest max open postings (quick: a first table before
 * the full one is ready), and every open posting (the corpus the weights
 * are meant against), streamed in pages so memory holds the table of words
 * and one page of texts, never the corpus. The full build is slow on a big
 * store (seconds at 100,000 postings): servers run it on a background
 * thread and swap the finished table in. */
#ifndef JT_SCAN_IDF_STORE_H
#define JT_SCAN_IDF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/idf.h"
#include "store/store.h"

#define IDF_STORE_PAGE 500 /* postings (with their texts) per round trip of the full build */

/* Where a full build's stream of changes ended (store_posting_changed's
 * (updated_at, id) order): a later change comes after it. */
struct idf_mark {
	int64_t at, id;
};

/* Adds the newest max open postings' descriptions (title included) to t.
 * *added gets how many. 0, or a store error / -1 out of memory. */
int idf_from_store(struct idf_table *t, struct store *s, size_t max, size_t *added);
/* Adds every open posting to t, page postings per round trip (0:
 * IDF_STORE_PAGE); *mark gets where the stream ended. A posting changed
 * during the build may count twice, which moves no weight measurably. 0, or
 * a store error / -1 out of memory. */
int idf_from_store_all(struct idf_table *t, struct store *s, size_t page, struct idf_mark *mark, size_t *added);
/* Whether any posting changed (or opened, or closed) after mark. 0, or a
 * store error. */
int idf_store_changed(struct store *s, const struct idf_mark *mark, bool *changed);

#endif

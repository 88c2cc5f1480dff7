/* scan/idf — inverse document frequencies of words, for weighting a
 * posting's distinctive words against a corpus. Owned by the resume scanner.
 *
 * Built from postings (idf_add_doc per posting; idf_store.h fills it from
 * the store), or empty, in which case a built-in default applies: stop
 * words and the words every posting uses weigh nothing or little, common
 * business words weigh less than the rest. */
#ifndef JT_SCAN_IDF_H
#define JT_SCAN_IDF_H

#include <stddef.h>
#include <stdint.h>

#include "scan/token.h"

struct idf_table {
	uint64_t *hash; /* word hashes (scan_hash of the lower-case token) */
	uint32_t *df;   /* documents holding each */
	size_t cap, count;
	uint32_t ndocs;
};

void idf_init(struct idf_table *t);
void idf_free(struct idf_table *t);
/* Counts each distinct word of the tokens once. 0, or -1 out of memory. */
int idf_add_doc(struct idf_table *t, const struct scan_tokens *toks);
/* The weight of a word (lower-case bytes and their hash): 0 for stop words. */
double idf_weight(const struct idf_table *t, const char *s, size_t n, uint64_t hash);

#endif

/* scan/idf_store — the IDF table (idf.h) built from the postings in the
 * store, through store.h only (so both backends give the same table). Owned
 * by the resume scanner. */
#ifndef JT_SCAN_IDF_STORE_H
#define JT_SCAN_IDF_STORE_H

#include <stddef.h>

#include "scan/idf.h"
#include "store/store.h"

/* Adds the newest max open postings' descriptions (title included) to t.
 * *added gets how many. 0, or a store error / -1 out of memory. */
int idf_from_store(struct idf_table *t, struct store *s, size_t max, size_t *added);

#endif

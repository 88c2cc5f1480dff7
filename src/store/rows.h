/* rows — small pieces both backends use to turn rows into results and
 * filters into parameters (store-internal). */
#ifndef JT_STORE_ROWS_H
#define JT_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

/* Separates tags where a backend returns them as one string. Tags are
 * validated text without control characters, so it cannot occur in one. */
#define STORE_TAG_SEP '\x1f'

/* Makes room for one more item in an arena array of *cap items of size
 * bytes holding count: doubles it when full. Returns the (maybe moved)
 * array, or NULL when out of memory. */
void *rows_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t size);

/* The tag as the filter compares it: ASCII letters lower-cased, the rest as
 * is (so "Remote" and "remote" are one tag). Writes at most outlen bytes. */
void rows_tag_key(const char *tag, char *out, size_t outlen);

/* A LIKE pattern that finds q as a literal substring: %, _ and \ escaped
 * with \ (the statements say ESCAPE '\'). 0, or -1 when out of memory. */
int rows_like_pattern(const char *q, struct buf *out);

/* The page size a filter asks for: 50 when unset, at most STORE_LIST_MAX. */
int64_t rows_list_limit(const struct app_filter *f);

/* Joins tags with STORE_TAG_SEP into out (reset first): the text of the
 * applications.tag_list column. 0, or -1 when out of memory. */
int rows_tags_join(char *const *tags, size_t n, struct buf *out);

/* Splits tags joined with STORE_TAG_SEP into an arena array. */
void rows_tags_split(const char *joined, size_t len, struct arena *a, char ***tags, size_t *n);

#endif

/* listdelta — brings a remembered listing (store/listcache.h) up to date
 * from the rows written since it was read, instead of reading every row
 * again: store_app_list's filters and orders, evaluated in C exactly as the
 * backends' statements evaluate them (store.h's promise on both).
 *
 * A backend that can name the rows written after a data_version (on
 * PostgreSQL, applications.changed_version, migration 19) asks for them and
 * for how many rows match now, in one snapshot; deleted rows cannot be
 * named, and the count gives them away, so a page that lost a row is read
 * again in full. Store-internal. */
#ifndef JT_STORE_LISTDELTA_H
#define JT_STORE_LISTDELTA_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

/* 1 when pages listed with f can be brought up to date here: every filter
 * but the text search q (whose LIKE is left to the database). */
int list_delta_supports(const struct app_filter *f);

/* 1 when app matches f's status and tag (as the statements' WHERE does). */
int list_delta_matches(const struct app_filter *f, const struct application *app);

/* < 0, 0 or > 0 as a comes before, with or after b in sort's order (the
 * statements' ORDER BY; ids break every tie, so only a row equals itself). */
int list_delta_order(enum app_sort sort, const struct application *a, const struct application *b);

/* base[0..n): every row that matched f when the page was read (a page of
 * all of them, from offset 0); changed[0..m): every row of the user written
 * since, whatever it matches; matching: how many rows match f now. Writes
 * the page as f lists it now into *out (in a) and *out_n: 0, or -1 when it
 * cannot be known from these (a row was deleted since, or more rows match
 * than a page holds) or a is full. The rows point at base's and changed's
 * strings. */
int list_delta_apply(const struct app_filter *f, const struct application *base, size_t n,
		     const struct application *changed, size_t m, int64_t matching, struct arena *a,
		     struct application **out, size_t *out_n);

#endif

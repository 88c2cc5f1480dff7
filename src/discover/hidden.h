/* hidden — a user's hidden postings and blocked companies, as the web
 * layer and the search use them (the rows are store.h's "hidden postings
 * and blocked companies").
 *
 * Blocking is by the company's name; blocking "the company of this
 * posting" reads the name from the posting, so a form need not carry it. */
#ifndef JT_DISCOVER_HIDDEN_H
#define JT_DISCOVER_HIDDEN_H

#include <stdint.h>

#include "search/index.h"
#include "store/store.h"
#include "tracker/service.h"

/* Hides / unhides one posting: store_posting_hide / _unhide's results. */
int hidden_posting_hide(const struct tracker_call *c, int64_t posting_id);
int hidden_posting_unhide(const struct tracker_call *c, int64_t posting_id);

/* Blocks company (a name, 1–STORE_COMPANY_KEY_MAX bytes of UTF-8 without
 * control characters: -EINVAL otherwise). */
int hidden_company_block(const struct tracker_call *c, const char *company);
/* Blocks the company of posting_id; *company (may be NULL) gets its name.
 * STORE_NOTFOUND: no such posting; -EINVAL: the posting names no company. */
int hidden_company_block_of(const struct tracker_call *c, int64_t posting_id, const char **company);
int hidden_company_unblock(const struct tracker_call *c, const char *company);

/* Everything the user hid (store_hidden_list). */
int hidden_list(const struct tracker_call *c, struct store_hidden *out);

/* What the user hid as a search exclusion, in c's arena: *out NULL when the
 * user hid nothing (searches then cost nothing more). */
int hidden_search_exclude(const struct tracker_call *c, const struct search_exclude **out);

#endif

/* saved — a user's saved searches with their rules, shared by the API, the
 * pages and the alert digests (notify/digest.h).
 *
 * Rules:
 * - a name is 1–120 characters of text without control characters, unique
 *   among the user's saved searches (STORE_CONFLICT);
 * - the query is a postings search as a query string (search/params.h):
 *   it must parse (q included) and is kept in canonical form, without
 *   paging; an empty one means every open posting;
 * - alert is none, daily or weekly;
 * - a user keeps at most SAVED_SEARCHES_MAX of them (SAVED_FULL).
 * "New since you last looked" counts the postings the search matches that
 * were first seen after last_looked_at; opening a saved search
 * (saved_search_open) resets it.
 *
 * Results: 0, a negative enum store_err, or a negative enum saved_err.
 * Strings in results live in the call's arena. */
#ifndef JT_SEARCH_SAVED_H
#define JT_SEARCH_SAVED_H

#include <stdint.h>

#include "base/arena.h"
#include "search/index.h"
#include "store/store.h"
#include "tracker/field_errors.h"

struct search_service;

#define SAVED_SEARCHES_MAX 50

enum saved_err {
	SAVED_INVALID = -30,  /* errs says which field */
	SAVED_FULL = -31,     /* SAVED_SEARCHES_MAX reached */
	SAVED_NO_INDEX = -32, /* the search index is not ready yet (or off): counts unknown */
};

struct saved_call {
	struct store *store;
	struct search_service *search; /* NULL: counts answer SAVED_NO_INDEX */
	int64_t user_id;
	int64_t now;
	struct arena *arena;
};

/* What a create or update sets; NULL leaves a field as it is (update) or
 * takes the default (create: alert "none"; name and query are required). */
struct saved_input {
	const char *name, *query, *alert;
};

/* The rules above for one saved search outside the store (a backup's):
 * name and query required, alert may be NULL. 0, or SAVED_INVALID with errs
 * set; *query gets the canonical query (arena). Parsed without an index. */
int saved_search_check(const struct saved_input *in, struct arena *a, struct field_errors *errs, const char **query);

int saved_search_create(const struct saved_call *c, const struct saved_input *in, struct field_errors *errs,
			struct saved_search *out);
int saved_search_update(const struct saved_call *c, int64_t id, const struct saved_input *in, struct field_errors *errs,
			struct saved_search *out);
/* The saved search, and marks it looked at now (its new count drops to 0). */
int saved_search_open(const struct saved_call *c, int64_t id, struct saved_search *out);

/* How many postings ss matches that were first seen after since. */
int saved_search_count_new(const struct saved_call *c, const struct saved_search *ss, int64_t since, int64_t *count);
/* The newest (by date posted) up to limit (≤ 200) of them, hits in the
 * arena, and how many there are in all. */
int saved_search_list_new(const struct saved_call *c, const struct saved_search *ss, int64_t since, int limit,
			  struct search_hit **hits, size_t *n, int64_t *total);

/* The user's saved searches by name, each with its new count in counts[i]
 * (-1 when the index cannot say yet). */
int saved_search_list(const struct saved_call *c, struct saved_search **out, int64_t **counts, size_t *n);

/* ---- unsubscribe links -------------------------------------------------------
 *
 * A digest's unsubscribe link works without signing in: its token,
 * "<user id>.<HMAC of the user and the saved search>", is signed with key
 * (token_derive_key(secret, "unsubscribe")), so it turns off that one
 * alert and nothing else. */
#define SAVED_TOKEN_MAX 80

void saved_search_unsubscribe_token(const uint8_t key[32], int64_t user_id, int64_t id, char out[SAVED_TOKEN_MAX]);
/* The saved search id the token is for, into out (c->user_id is ignored):
 * 0, SAVED_INVALID for a token that is not id's (or a user's saved search
 * that is gone: STORE_NOTFOUND), or a store error. */
int saved_search_by_token(const struct saved_call *c, const uint8_t key[32], int64_t id, const char *token,
			  struct saved_search *out);
/* Turns its alert off (alert "none") after saved_search_by_token said yes. */
int saved_search_unsubscribe(const struct saved_call *c, struct saved_search *ss);

#endif

#include "search/saved.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "auth/token.h"
#include "base/text.h"
#include "discover/hidden.h"
#include "search/params.h"
#include "search/service.h"
#include "tracker/service.h"

static int alert_valid(const char *a)
{
	return strcmp(a, "none") == 0 || strcmp(a, "daily") == 0 || strcmp(a, "weekly") == 0;
}

/* Checks in and puts the canonical query into *query (arena). */
static int check_input(const struct saved_call *c, const struct saved_input *in, struct field_errors *errs,
		       const char **query)
{
	if (in->name) {
		size_t len = strlen(in->name);
		size_t chars = text_utf8_valid(in->name, len) ? text_utf8_len(in->name, len) : 0;
		if (chars == 0 || chars > STORE_SAVED_SEARCH_NAME_MAX || text_has_control(in->name) ||
		    strspn(in->name, " ") == len)
			field_errors_add(errs, "name",
					 "Give the search a name of 1 to 120 characters, without line breaks.");
	}
	if (in->alert && !alert_valid(in->alert))
		field_errors_add(errs, "alert", "alert must be none, daily or weekly.");
	*query = NULL;
	if (in->query) {
		const char *qs = in->query[0] == '?' ? in->query + 1 : in->query;
		struct search_params p;
		struct buf canon;
		buf_init(&canon, STORE_SAVED_SEARCH_QUERY_MAX);
		/* Parsed with the index's parser when there is one, so a query the
		 * search would refuse is refused here too. */
		if (search_params_from_string(qs, c->arena, c->search, 20, &p))
			field_errors_add(errs, "query", arena_strdup(c->arena, p.message));
		else if (search_params_canonical_string(qs, c->arena, &canon))
			field_errors_add(errs, "query", "The search is too long to keep.");
		else
			*query = arena_strdup(c->arena, canon.data ? canon.data : "");
		buf_free(&canon);
	}
	return errs->n ? SAVED_INVALID : 0;
}

int saved_search_check(const struct saved_input *in, struct arena *a, struct field_errors *errs, const char **query)
{
	struct saved_call c = { .arena = a };
	if (!in->name || !in->query) {
		field_errors_add(errs, in->name ? "query" : "name", "Required.");
		return SAVED_INVALID;
	}
	return check_input(&c, in, errs, query);
}

int saved_search_create(const struct saved_call *c, const struct saved_input *in, struct field_errors *errs,
			struct saved_search *out)
{
	if (!in->name)
		field_errors_add(errs, "name", "Give the search a name.");
	if (!in->query)
		field_errors_add(errs, "query", "Say which search to save (its query string, such as q=rust).");
	const char *query;
	if (check_input(c, in, errs, &query) || errs->n)
		return SAVED_INVALID;
	struct saved_search *have;
	size_t n;
	int rc = store_saved_search_list(c->store, c->user_id, c->arena, &have, &n);
	if (rc)
		return rc;
	if (n >= SAVED_SEARCHES_MAX)
		return SAVED_FULL;
	*out = (struct saved_search){ .name = in->name, .query = query, .alert = in->alert ? in->alert : "none" };
	return store_saved_search_insert(c->store, c->user_id, out, c->now);
}

int saved_search_update(const struct saved_call *c, int64_t id, const struct saved_input *in, struct field_errors *errs,
			struct saved_search *out)
{
	const char *query;
	if (check_input(c, in, errs, &query))
		return SAVED_INVALID;
	int rc = store_saved_search_get(c->store, c->user_id, id, c->arena, out);
	if (rc)
		return rc;
	if (in->name)
		out->name = in->name;
	if (query)
		out->query = query;
	if (in->alert)
		out->alert = in->alert;
	rc = store_saved_search_update(c->store, c->user_id, out, c->now);
	if (rc == 0)
		rc = store_saved_search_get(c->store, c->user_id, id, c->arena, out);
	return rc;
}

int saved_search_open(const struct saved_call *c, int64_t id, struct saved_search *out)
{
	int rc = store_saved_search_get(c->store, c->user_id, id, c->arena, out);
	if (rc == 0)
		rc = store_saved_search_looked(c->store, c->user_id, id, c->now);
	if (rc == 0)
		out->last_looked_at = c->now;
	return rc;
}

/* Runs ss restricted to postings first seen after since. */
static int run_new(const struct saved_call *c, const struct saved_search *ss, int64_t since, int limit,
		   struct search_result *res)
{
	if (!c->search || !search_service_ready(c->search))
		return SAVED_NO_INDEX;
	struct search_params p;
	if (search_params_from_string(ss->query, c->arena, c->search, limit, &p))
		return SAVED_INVALID; /* kept canonical on write: only a parser that changed since */
	p.req.filter.first_seen_after = since > 0 ? since : 1;
	/* What the user hid is not new to them either (discover/hidden.h). */
	struct tracker_call tc = { .store = c->store, .user_id = c->user_id, .now = c->now, .arena = c->arena };
	if (hidden_search_exclude(&tc, &p.req.filter.exclude))
		return STORE_ERROR;
	p.req.facets = false;
	p.req.offset = 0;
	p.req.after.set = false;
	p.req.limit = limit;
	if (!p.sort_given)
		p.req.sort = SEARCH_SORT_DATE;
	int rc = search_service_search(c->search, &p.req, c->arena, res);
	return rc == -EAGAIN ? SAVED_NO_INDEX : rc ? STORE_ERROR : 0;
}

int saved_search_count_new(const struct saved_call *c, const struct saved_search *ss, int64_t since, int64_t *count)
{
	struct search_result res;
	int rc = run_new(c, ss, since, 1, &res);
	if (rc == 0)
		*count = (int64_t)res.total;
	return rc;
}

int saved_search_list_new(const struct saved_call *c, const struct saved_search *ss, int64_t since, int limit,
			  struct search_hit **hits, size_t *n, int64_t *total)
{
	struct search_result res;
	if (limit < 1 || limit > 200)
		limit = 200;
	int rc = run_new(c, ss, since, limit, &res);
	if (rc)
		return rc;
	*hits = res.hits;
	*n = res.nhits;
	*total = (int64_t)res.total;
	return 0;
}

int saved_search_list(const struct saved_call *c, struct saved_search **out, int64_t **counts, size_t *n)
{
	int rc = store_saved_search_list(c->store, c->user_id, c->arena, out, n);
	if (rc)
		return rc;
	*counts = arena_alloc(c->arena, (*n ? *n : 1) * sizeof(**counts));
	if (!*counts)
		return STORE_ERROR;
	for (size_t i = 0; i < *n; i++)
		if (saved_search_count_new(c, &(*out)[i], (*out)[i].last_looked_at, &(*counts)[i]))
			(*counts)[i] = -1;
	return 0;
}

static void token_message(int64_t user_id, int64_t id, char *msg, size_t len)
{
	snprintf(msg, len, "unsubscribe:%lld:%lld", (long long)user_id, (long long)id);
}

void saved_search_unsubscribe_token(const uint8_t key[32], int64_t user_id, int64_t id, char out[SAVED_TOKEN_MAX])
{
	char msg[64], mac[48];
	token_message(user_id, id, msg, sizeof(msg));
	token_mac(key, msg, strlen(msg), mac);
	snprintf(out, SAVED_TOKEN_MAX, "%lld.%s", (long long)user_id, mac);
}

int saved_search_by_token(const struct saved_call *c, const uint8_t key[32], int64_t id, const char *token,
			  struct saved_search *out)
{
	const char *dot = token ? strchr(token, '.') : NULL;
	char user[24];
	long user_id;
	if (!dot || (size_t)(dot - token) >= sizeof(user))
		return SAVED_INVALID;
	memcpy(user, token, (size_t)(dot - token));
	user[dot - token] = '\0';
	if (text_parse_long(user, 1, INT64_MAX, &user_id))
		return SAVED_INVALID;
	char want[SAVED_TOKEN_MAX];
	saved_search_unsubscribe_token(key, user_id, id, want);
	if (!token_equal(token, want))
		return SAVED_INVALID;
	int rc = store_saved_search_get(c->store, user_id, id, c->arena, out);
	return rc == STORE_NOTFOUND ? SAVED_INVALID : rc;
}

int saved_search_unsubscribe(const struct saved_call *c, struct saved_search *ss)
{
	if (strcmp(ss->alert, "none") == 0)
		return 0;
	ss->alert = "none";
	return store_saved_search_update(c->store, ss->user_id, ss, c->now);
}

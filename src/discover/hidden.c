/* hidden — a user's hidden postings and blocked companies; see hidden.h. */
#include "discover/hidden.h"

#include <errno.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"

int hidden_posting_hide(const struct tracker_call *c, int64_t posting_id)
{
	return store_posting_hide(c->store, c->user_id, posting_id, c->now);
}

int hidden_posting_unhide(const struct tracker_call *c, int64_t posting_id)
{
	return store_posting_unhide(c->store, c->user_id, posting_id);
}

static bool company_valid(const char *company)
{
	char key[STORE_COMPANY_KEY_MAX + 1];
	return company && text_utf8_valid(company, strlen(company)) && !text_has_control(company) &&
	       store_company_key(company, key) == 0;
}

int hidden_company_block(const struct tracker_call *c, const char *company)
{
	if (!company_valid(company))
		return -EINVAL;
	return store_company_block(c->store, c->user_id, company, c->now);
}

int hidden_company_block_of(const struct tracker_call *c, int64_t posting_id, const char **company)
{
	struct store_posting p;
	int rc = store_posting_get(c->store, posting_id, c->arena, &p, NULL, NULL);
	if (rc)
		return rc;
	if (company)
		*company = p.company;
	return hidden_company_block(c, p.company);
}

int hidden_company_unblock(const struct tracker_call *c, const char *company)
{
	if (!company_valid(company))
		return STORE_NOTFOUND;
	return store_company_unblock(c->store, c->user_id, company);
}

int hidden_list(const struct tracker_call *c, struct store_hidden *out)
{
	return store_hidden_list(c->store, c->user_id, c->arena, out);
}

int hidden_search_exclude(const struct tracker_call *c, const struct search_exclude **out)
{
	*out = NULL;
	struct store_hidden h;
	int rc = hidden_list(c, &h);
	if (rc || (!h.npostings && !h.ncompanies))
		return rc;
	struct search_exclude *ex = arena_alloc(c->arena, sizeof(*ex));
	int64_t *ids = arena_alloc(c->arena, (h.npostings + 1) * sizeof(*ids));
	const char **names = arena_alloc(c->arena, (h.ncompanies + 1) * sizeof(*names));
	if (!ex || !ids || !names)
		return STORE_ERROR;
	for (size_t i = 0; i < h.npostings; i++)
		ids[i] = h.postings[i].posting_id;
	/* The key, not the name: both fold as the index folds company names. */
	for (size_t i = 0; i < h.ncompanies; i++)
		names[i] = h.companies[i].company_key;
	*ex = (struct search_exclude){
		.posting_ids = ids, .nposting_ids = h.npostings, .companies = names, .ncompanies = h.ncompanies
	};
	*out = ex;
	return 0;
}

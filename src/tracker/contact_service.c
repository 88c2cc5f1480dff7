/* Contacts: add (and link), edit, delete, link and unlink. */
#include "tracker/service.h"

#include <assert.h>

#include "tracker/contact.h"

int tracker_contact_add(const struct tracker_call *c, struct contact *ct, int64_t link_app_id)
{
	assert(c && ct);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = store_contact_insert(c->store, c->user_id, ct, c->now);
	if (rc == 0 && link_app_id > 0)
		rc = store_contact_link(c->store, c->user_id, link_app_id, ct->id);
	rc = store_tx_end(c->store, rc);
	if (rc)
		ct->id = 0;
	return rc;
}

/* Reads contact id inside the transaction; with link_app_id > 0 only if it
 * is linked to that application. */
static int read_contact(const struct tracker_call *c, int64_t id, int64_t link_app_id, struct contact *out)
{
	if (link_app_id <= 0)
		return store_contact_get(c->store, c->user_id, id, c->arena, out);
	struct contact *linked;
	size_t n;
	int rc = store_contact_list(c->store, c->user_id, link_app_id, c->arena, &linked, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (linked[i].id == id) {
			*out = linked[i];
			return 0;
		}
	return rc ? rc : STORE_NOTFOUND;
}

int tracker_contact_edit(const struct tracker_call *c, int64_t id, int64_t link_app_id, app_value_fn get, void *ctx,
			 int64_t expected_version, struct contact *out, struct field_errors *errs)
{
	assert(c && get && out && errs);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = read_contact(c, id, link_app_id, out);
	if (rc == 0 && expected_version && out->version != expected_version)
		rc = TRACKER_STALE;
	if (rc == 0) {
		contact_from_strings(out, get, ctx, c->arena, errs);
		if (errs->n)
			rc = TRACKER_INVALID;
	}
	if (rc == 0)
		rc = store_contact_update(c->store, c->user_id, out, c->now);
	return store_tx_end(c->store, rc);
}

int tracker_contact_delete(const struct tracker_call *c, int64_t id, int64_t expected_version)
{
	assert(c);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct contact current;
	rc = store_contact_get(c->store, c->user_id, id, c->arena, &current);
	if (rc == 0 && expected_version && current.version != expected_version)
		rc = TRACKER_STALE;
	if (rc == 0)
		rc = store_contact_delete(c->store, c->user_id, id);
	return store_tx_end(c->store, rc);
}

int tracker_contact_link(const struct tracker_call *c, int64_t app_id, int64_t contact_id, struct contact *out)
{
	assert(c);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = store_contact_link(c->store, c->user_id, app_id, contact_id);
	if (rc == 0 && out)
		rc = store_contact_get(c->store, c->user_id, contact_id, c->arena, out);
	return store_tx_end(c->store, rc);
}

int tracker_contact_unlink(const struct tracker_call *c, int64_t app_id, int64_t contact_id)
{
	assert(c);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = store_contact_unlink(c->store, c->user_id, app_id, contact_id);
	return store_tx_end(c->store, rc);
}

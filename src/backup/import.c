/* backup_import: reads the whole document into validated records first
 * (the tracker's own input rules: tracker/application.h, contact.h,
 * event.h), then writes them in one transaction. */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backup/backup.h"
#include "base/text.h"
#include "notify/settings.h"
#include "search/saved.h"
#include "base/timefmt.h"
#include "tracker/application.h"
#include "tracker/contact.h"
#include "tracker/event.h"
#include "tracker/status.h"

struct rec_contact {
	int64_t old_id;
	struct contact c;
};

struct rec_app {
	struct application app;
	int64_t posting_id; /* the exporting instance's, with its key */
	const char *posting_key;
	int64_t *contacts; /* old contact ids */
	size_t n_contacts;
	struct app_event *events; /* in the document's order (newest first) */
	size_t n_events;
	int muted; /* its default follow-up reminder is off */
};

struct rec_listing {
	const char *source, *external_id;
};

struct rec_hidden {
	struct rec_listing *listings;
	size_t n_listings;
	int64_t created_at;
};

struct rec_company {
	const char *name;
	int64_t created_at;
};

struct rec_resume {
	const char *name;
	int is_default;
	int64_t created_at, updated_at;
	unsigned char *data;
	size_t len;
};

struct doc {
	struct rec_contact *contacts;
	size_t n_contacts;
	struct rec_app *apps;
	size_t n_apps;
	struct rec_resume *resumes;
	size_t n_resumes;
	struct saved_search *searches;
	size_t n_searches;
	struct rec_hidden *hidden;
	size_t n_hidden;
	struct rec_company *companies;
	size_t n_companies;
	json_t *reminders; /* the checked members, applied over the user's own settings; NULL: none */
};

/* Every refusal names where: "applications[3].events[0].at: …". */
static int invalid(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int invalid(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return BACKUP_INVALID;
}

/* A time member: an ISO 8601 string (null or absent: *out = 0 when optional). */
static int read_time(const json_t *obj, const char *key, int optional, int64_t *out, const char *where, char *err,
		     size_t errlen)
{
	const json_t *v = json_object_get(obj, key);
	*out = 0;
	if ((!v || json_is_null(v)) && optional)
		return 0;
	time_t t;
	if (!json_is_string(v) || timefmt_parse(json_string_value(v), &t))
		return invalid(err, errlen, "%s.%s: must be a time such as \"2026-01-15T10:00:00Z\"", where, key);
	*out = (int64_t)t;
	return 0;
}

static int read_id(const json_t *obj, const char *where, int64_t *out, char *err, size_t errlen)
{
	const json_t *v = json_object_get(obj, "id");
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return invalid(err, errlen, "%s.id: must be a positive whole number", where);
	*out = json_integer_value(v);
	return 0;
}

/* A shallow copy of obj without the named members, for the tracker's
 * parsers (which refuse members they do not know). */
static json_t *without(const json_t *obj, const char *const *drop)
{
	json_t *copy = json_copy((json_t *)obj);
	for (size_t i = 0; copy && drop[i]; i++)
		json_object_del(copy, drop[i]);
	return copy;
}

static int field_error(const struct field_errors *errs, const char *where, char *err, size_t errlen)
{
	return invalid(err, errlen, "%s.%s: %s", where, errs->items[0].field, errs->items[0].message);
}

static int read_contacts(const json_t *arr, struct arena *a, struct doc *d, char *err, size_t errlen)
{
	static const char *const drop[] = { "id", "created_at", "updated_at", NULL };
	size_t n = json_array_size(arr);
	d->contacts = arena_alloc(a, (n + 1) * sizeof(*d->contacts));
	if (!d->contacts)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		char where[48];
		snprintf(where, sizeof(where), "contacts[%zu]", i);
		struct rec_contact *r = &d->contacts[i];
		memset(r, 0, sizeof(*r));
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", where);
		int rc = read_id(o, where, &r->old_id, err, errlen);
		if (!rc)
			rc = read_time(o, "created_at", 0, &r->c.created_at, where, err, errlen);
		if (!rc)
			rc = read_time(o, "updated_at", 0, &r->c.updated_at, where, err, errlen);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (d->contacts[j].old_id == r->old_id)
				return invalid(err, errlen, "%s.id: %lld appears twice", where, (long long)r->old_id);
		json_t *fields = without(o, drop);
		struct field_errors errs = { .n = 0 };
		if (fields)
			contact_from_json(&r->c, fields, a, &errs);
		json_decref(fields);
		if (!fields)
			return -ENOMEM;
		if (errs.n)
			return field_error(&errs, where, err, errlen);
	}
	d->n_contacts = n;
	return 0;
}

static int read_event(const json_t *o, const char *where, int64_t now, struct arena *a, struct app_event *ev, char *err,
		      size_t errlen)
{
	static const char *const drop[] = { "id", "created_at", "from_status", "to_status", NULL };
	if (!json_is_object(o))
		return invalid(err, errlen, "%s: must be an object", where);
	const char *kind = json_string_value(json_object_get(o, "kind"));
	int history = kind && (!strcmp(kind, "created") || !strcmp(kind, "status_change"));
	if (!kind || (!history && !event_kind_editable(kind)))
		return invalid(err, errlen, "%s.kind: must be created, status_change, note, interview or follow_up",
			       where);
	int64_t created_at;
	int rc = read_time(o, "created_at", 0, &created_at, where, err, errlen);
	if (rc)
		return rc;
	json_t *fields = without(o, drop);
	if (!fields)
		return -ENOMEM;
	/* Every kind has the texts and time of a follow-up, which the tracker's
	 * rules check without a rule of their own (a note with no text, which
	 * the API refuses, may still be stored: it is restored as it was). */
	json_object_set_new(fields, "kind", json_string("follow_up"));
	struct field_errors errs = { .n = 0 };
	memset(ev, 0, sizeof(*ev));
	event_from_json(ev, fields, (time_t)now, a, &errs);
	json_decref(fields);
	if (errs.n)
		return field_error(&errs, where, err, errlen);
	if (!json_is_string(json_object_get(o, "at")))
		return invalid(err, errlen, "%s.at: must be a time such as \"2026-01-15T10:00:00Z\"", where);
	ev->kind = arena_strdup(a, kind);
	ev->created_at = created_at;
	for (int side = 0; side < 2; side++) {
		const char *key = side ? "to_status" : "from_status";
		const json_t *v = json_object_get(o, key);
		const char *st = json_string_value(v);
		if (v && !json_is_null(v) && (!st || status_index(st) < 0))
			return invalid(err, errlen, "%s.%s: not a status", where, key);
		if (st && !history)
			return invalid(err, errlen, "%s.%s: only a status change has one", where, key);
		if (side)
			ev->to_status = st ? arena_strdup(a, st) : NULL;
		else
			ev->from_status = st ? arena_strdup(a, st) : NULL;
	}
	if (!strcmp(kind, "status_change") && !ev->to_status)
		return invalid(err, errlen, "%s.to_status: a status change needs the new status", where);
	return 0;
}

static int has_contact(const struct doc *d, int64_t id)
{
	for (size_t i = 0; i < d->n_contacts; i++)
		if (d->contacts[i].old_id == id)
			return 1;
	return 0;
}

static int read_app(const json_t *o, const char *where, const struct doc *d, int64_t now, struct arena *a,
		    struct rec_app *r, char *err, size_t errlen)
{
	static const char *const drop[] = { "posting", "contacts", "events", "reminder_muted", NULL };
	memset(r, 0, sizeof(*r));
	if (!json_is_object(o))
		return invalid(err, errlen, "%s: must be an object", where);
	int64_t old_id;
	int rc = read_id(o, where, &old_id, err, errlen);
	if (!rc)
		rc = read_time(o, "created_at", 0, &r->app.created_at, where, err, errlen);
	int64_t created = r->app.created_at, updated = 0, changed = 0;
	if (!rc)
		rc = read_time(o, "updated_at", 0, &updated, where, err, errlen);
	if (!rc)
		rc = read_time(o, "status_changed_at", 0, &changed, where, err, errlen);
	if (rc)
		return rc;
	json_t *fields = without(o, drop);
	if (!fields)
		return -ENOMEM;
	struct field_errors errs = { .n = 0 };
	/* Each field by the API's rules (types, lengths, statuses, dates), but
	 * not app_validate's whole-record rules: those fill in dates (today as
	 * applied_on), and a backup restores what was stored, as it was. */
	app_init(&r->app, (time_t)now);
	r->app.saved_on = NULL;
	app_apply_json(&r->app, fields, a, &errs);
	json_decref(fields);
	if (errs.n)
		return field_error(&errs, where, err, errlen);
	r->app.created_at = created;
	r->app.updated_at = updated;
	r->app.status_changed_at = changed;
	const json_t *mute = json_object_get(o, "reminder_muted");
	if (mute && !json_is_boolean(mute))
		return invalid(err, errlen, "%s.reminder_muted: must be true or false", where);
	r->muted = json_is_true(mute);

	const json_t *p = json_object_get(o, "posting");
	if (p && !json_is_null(p)) {
		const json_t *pid = json_object_get(p, "id");
		const char *key = json_string_value(json_object_get(p, "canonical_key"));
		if (!json_is_object(p) || !json_is_integer(pid) || json_integer_value(pid) <= 0 || !key)
			return invalid(err, errlen, "%s.posting: must be null or {\"id\", \"canonical_key\", …}",
				       where);
		r->posting_id = json_integer_value(pid);
		r->posting_key = arena_strdup(a, key);
	}

	const json_t *cs = json_object_get(o, "contacts");
	if (cs && !json_is_array(cs))
		return invalid(err, errlen, "%s.contacts: must be a list of contact ids", where);
	r->n_contacts = json_array_size(cs);
	r->contacts = arena_alloc(a, (r->n_contacts + 1) * sizeof(*r->contacts));
	if (!r->contacts)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_contacts; i++) {
		const json_t *v = json_array_get(cs, i);
		if (!json_is_integer(v) || !has_contact(d, json_integer_value(v)))
			return invalid(err, errlen, "%s.contacts[%zu]: not the id of a contact in this backup", where,
				       i);
		r->contacts[i] = json_integer_value(v);
	}

	const json_t *evs = json_object_get(o, "events");
	if (evs && !json_is_array(evs))
		return invalid(err, errlen, "%s.events: must be a list", where);
	r->n_events = json_array_size(evs);
	r->events = arena_alloc(a, (r->n_events + 1) * sizeof(*r->events));
	if (!r->events)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_events; i++) {
		char ew[96];
		snprintf(ew, sizeof(ew), "%s.events[%zu]", where, i);
		if ((rc = read_event(json_array_get(evs, i), ew, now, a, &r->events[i], err, errlen)))
			return rc;
	}
	return 0;
}

static int read_apps(const json_t *arr, struct arena *a, struct doc *d, int64_t now, char *err, size_t errlen)
{
	size_t n = json_array_size(arr);
	d->apps = arena_alloc(a, (n + 1) * sizeof(*d->apps));
	if (!d->apps)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char where[48];
		snprintf(where, sizeof(where), "applications[%zu]", i);
		int rc = read_app(json_array_get(arr, i), where, d, now, a, &d->apps[i], err, errlen);
		if (rc)
			return rc;
	}
	d->n_apps = n;
	return 0;
}

static int read_resumes(const json_t *arr, const struct backup_files *files, struct arena *a, struct doc *d, char *err,
			size_t errlen)
{
	size_t n = json_array_size(arr);
	if (n && !files)
		return invalid(err, errlen,
			       "resumes: this server cannot store resume files; import with `jobtrack backup import`");
	d->resumes = arena_alloc(a, (n + 1) * sizeof(*d->resumes));
	if (!d->resumes)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		struct rec_resume *r = &d->resumes[i];
		char where[48];
		snprintf(where, sizeof(where), "resumes[%zu]", i);
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", where);
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *b64 = json_string_value(json_object_get(o, "content_base64"));
		const json_t *def = json_object_get(o, "is_default");
		if (!name || !*name || strlen(name) > STORE_RESUME_NAME_MAX || !text_utf8_valid(name, strlen(name)))
			return invalid(err, errlen, "%s.name: must be a name of 1 to %d bytes", where,
				       STORE_RESUME_NAME_MAX);
		if (def && !json_is_boolean(def))
			return invalid(err, errlen, "%s.is_default: must be true or false", where);
		if (!b64)
			return invalid(err, errlen,
				       "%s.content_base64: the file is missing (this backup was made without "
				       "resume files)",
				       where);
		int rc = read_time(o, "created_at", 0, &r->created_at, where, err, errlen);
		if (!rc)
			rc = read_time(o, "updated_at", 0, &r->updated_at, where, err, errlen);
		if (rc)
			return rc;
		size_t b64_len = strlen(b64), cap = b64_len / 4 * 3 + 3;
		r->data = arena_alloc(a, cap);
		if (!r->data)
			return -ENOMEM;
		if (sodium_base642bin(r->data, cap, b64, b64_len, NULL, &r->len, NULL, sodium_base64_VARIANT_ORIGINAL))
			return invalid(err, errlen, "%s.content_base64: not base64", where);
		r->name = arena_strdup(a, name);
		r->is_default = json_is_true(def);
	}
	d->n_resumes = n;
	return 0;
}

/* A string member of 1 to max bytes of UTF-8: the string, or NULL after
 * setting err. */
static const char *read_text(const json_t *o, const char *key, size_t max, const char *where, struct arena *a,
			     char *err, size_t errlen)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || !*v || strlen(v) > max || !text_utf8_valid(v, strlen(v))) {
		invalid(err, errlen, "%s.%s: must be a text of 1 to %zu bytes", where, key, max);
		return NULL;
	}
	return arena_strdup(a, v);
}

static int read_searches(const json_t *arr, struct arena *a, struct doc *d, char *err, size_t errlen)
{
	size_t n = json_array_size(arr);
	if (n > SAVED_SEARCHES_MAX)
		return invalid(err, errlen, "saved_searches: at most %d", SAVED_SEARCHES_MAX);
	d->searches = arena_alloc(a, (n + 1) * sizeof(*d->searches));
	if (!d->searches)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		struct saved_search *r = &d->searches[i];
		char where[48];
		snprintf(where, sizeof(where), "saved_searches[%zu]", i);
		memset(r, 0, sizeof(*r));
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", where);
		struct saved_input in = { json_string_value(json_object_get(o, "name")),
					  json_string_value(json_object_get(o, "query")),
					  json_string_value(json_object_get(o, "alert")) };
		struct field_errors errs = { .n = 0 };
		if (!in.alert)
			return invalid(err, errlen, "%s.alert: must be none, daily or weekly", where);
		if (saved_search_check(&in, a, &errs, &r->query))
			return errs.n ? field_error(&errs, where, err, errlen) : -ENOMEM;
		int rc = read_time(o, "created_at", 0, &r->created_at, where, err, errlen);
		if (!rc)
			rc = read_time(o, "updated_at", 0, &r->updated_at, where, err, errlen);
		if (!rc)
			rc = read_time(o, "last_looked_at", 0, &r->last_looked_at, where, err, errlen);
		if (!rc)
			rc = read_time(o, "last_alert_at", 1, &r->last_alert_at, where, err, errlen);
		if (rc)
			return rc;
		r->name = arena_strdup(a, in.name);
		r->alert = arena_strdup(a, in.alert);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(d->searches[j].name, in.name))
				return invalid(err, errlen, "%s.name: \"%s\" appears twice", where, in.name);
	}
	d->n_searches = n;
	return 0;
}

static int read_listings(const json_t *arr, const char *where, struct arena *a, struct rec_hidden *r, char *err,
			 size_t errlen)
{
	/* An empty list is what a posting without listings exports: skipped. */
	if (!json_is_array(arr))
		return invalid(err, errlen, "%s.listings: must be a list of {\"source\", \"external_id\"}", where);
	r->n_listings = json_array_size(arr);
	r->listings = arena_alloc(a, (r->n_listings + 1) * sizeof(*r->listings));
	if (!r->listings)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_listings; i++) {
		const json_t *o = json_array_get(arr, i);
		char lw[96];
		snprintf(lw, sizeof(lw), "%s.listings[%zu]", where, i);
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", lw);
		if (!(r->listings[i].source = read_text(o, "source", 100, lw, a, err, errlen)) ||
		    !(r->listings[i].external_id = read_text(o, "external_id", 1000, lw, a, err, errlen)))
			return BACKUP_INVALID;
	}
	return 0;
}

/* "hidden": {"postings": [...], "companies": [...]}; absent in version 1. */
static int read_hidden(const json_t *h, struct arena *a, struct doc *d, char *err, size_t errlen)
{
	if (!h)
		return 0;
	const json_t *ps = json_object_get(h, "postings"), *cs = json_object_get(h, "companies");
	if (!json_is_object(h) || !json_is_array(ps) || !json_is_array(cs))
		return invalid(err, errlen, "hidden: must be {\"postings\": [...], \"companies\": [...]}");
	size_t np = json_array_size(ps), nc = json_array_size(cs);
	if (np > STORE_HIDDEN_MAX || nc > STORE_HIDDEN_MAX)
		return invalid(err, errlen, "hidden: at most %d postings and %d companies", STORE_HIDDEN_MAX,
			       STORE_HIDDEN_MAX);
	d->hidden = arena_alloc(a, (np + 1) * sizeof(*d->hidden));
	d->companies = arena_alloc(a, (nc + 1) * sizeof(*d->companies));
	if (!d->hidden || !d->companies)
		return -ENOMEM;
	for (size_t i = 0; i < np; i++) {
		const json_t *o = json_array_get(ps, i);
		char where[48];
		snprintf(where, sizeof(where), "hidden.postings[%zu]", i);
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", where);
		int rc = read_time(o, "created_at", 0, &d->hidden[i].created_at, where, err, errlen);
		if (!rc)
			rc = read_listings(json_object_get(o, "listings"), where, a, &d->hidden[i], err, errlen);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < nc; i++) {
		const json_t *o = json_array_get(cs, i);
		char where[48], key[STORE_COMPANY_KEY_MAX + 1];
		snprintf(where, sizeof(where), "hidden.companies[%zu]", i);
		if (!json_is_object(o))
			return invalid(err, errlen, "%s: must be an object", where);
		const char *name = json_string_value(json_object_get(o, "name"));
		if (!name || !text_utf8_valid(name, strlen(name)) || store_company_key(name, key))
			return invalid(err, errlen, "%s.name: must be a company name of 1 to %d bytes", where,
				       STORE_COMPANY_KEY_MAX);
		d->companies[i].name = arena_strdup(a, name);
		int rc = read_time(o, "created_at", 0, &d->companies[i].created_at, where, err, errlen);
		if (rc)
			return rc;
	}
	d->n_hidden = np;
	d->n_companies = nc;
	return 0;
}

/* "reminders": the settings without the webhook secret, or null. Checked
 * by the settings' own rules now, applied over the importer's at writing. */
static int read_reminders(const json_t *r, struct arena *a, struct doc *d, char *err, size_t errlen)
{
	static const char *const members[] = { "follow_up_days", "ghost_days", "email", "webhook_url", NULL };
	if (!r || json_is_null(r))
		return 0;
	if (!json_is_object(r))
		return invalid(err, errlen, "reminders: must be an object or null");
	int64_t t;
	int rc = read_time(r, "updated_at", 1, &t, "reminders", err, errlen);
	if (rc)
		return rc;
	d->reminders = json_object();
	if (!d->reminders)
		return -ENOMEM;
	for (size_t i = 0; members[i]; i++) {
		json_t *v = json_object_get(r, members[i]);
		if (!v)
			return invalid(err, errlen, "reminders.%s: missing", members[i]);
		json_object_set(d->reminders, members[i], v);
	}
	if (json_object_size(r) != json_object_size(d->reminders) + (json_object_get(r, "updated_at") != NULL))
		return invalid(err, errlen,
			       "reminders: only follow_up_days, ghost_days, email, webhook_url and "
			       "updated_at belong here (the webhook secret is never in a backup)");
	struct notify_settings ns = { .email = 1, .webhook_url = "", .webhook_secret = "" };
	struct field_errors errs = { .n = 0 };
	notify_settings_apply_json(&ns, d->reminders, a, &errs);
	return errs.n ? field_error(&errs, "reminders", err, errlen) : 0;
}

static int read_doc(const char *data, size_t len, const struct backup_files *files, int64_t now, struct arena *a,
		    struct doc *d, char *err, size_t errlen)
{
	if (len > BACKUP_MAX_BYTES)
		return invalid(err, errlen, "the backup is larger than %zu MiB", BACKUP_MAX_BYTES >> 20);
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return invalid(err, errlen, "not JSON (line %d, column %d): %s", je.line, je.column, je.text);
	int rc = 0;
	const json_t *fmt = json_object_get(root, "format"), *ver = json_object_get(root, "version");
	const json_t *cs = json_object_get(root, "contacts"), *as = json_object_get(root, "applications");
	const json_t *rs = json_object_get(root, "resumes"), *ss = json_object_get(root, "saved_searches");
	if (!json_is_object(root) || !json_is_string(fmt) || strcmp(json_string_value(fmt), BACKUP_FORMAT) != 0)
		rc = invalid(err, errlen, "not a jobtrack backup (\"format\" is not \"%s\")", BACKUP_FORMAT);
	else if (!json_is_integer(ver) || json_integer_value(ver) < 1 || json_integer_value(ver) > BACKUP_VERSION)
		rc = invalid(err, errlen, "version: this jobtrack reads backups of versions 1 to %d", BACKUP_VERSION);
	else if (!json_is_array(cs) || !json_is_array(as) || (rs && !json_is_array(rs)) || (ss && !json_is_array(ss)))
		rc = invalid(err, errlen, "contacts, applications, resumes and saved_searches must be lists");
	if (!rc)
		rc = read_contacts(cs, a, d, err, errlen);
	if (!rc)
		rc = read_apps(as, a, d, now, err, errlen);
	if (!rc)
		rc = read_resumes(rs, files, a, d, err, errlen);
	if (!rc)
		rc = read_searches(ss, a, d, err, errlen);
	if (!rc)
		rc = read_hidden(json_object_get(root, "hidden"), a, d, err, errlen);
	if (!rc)
		rc = read_reminders(json_object_get(root, "reminders"), a, d, err, errlen);
	json_decref(root);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory reading the backup");
	return rc;
}

static int64_t new_contact_id(const struct doc *d, const int64_t *new_ids, int64_t old)
{
	for (size_t i = 0; i < d->n_contacts; i++)
		if (d->contacts[i].old_id == old)
			return new_ids[i];
	return 0;
}

/* The posting link, when this instance has the same posting. */
static int64_t local_posting(struct store *s, const struct rec_app *r, struct arena *a)
{
	struct store_posting p;
	if (!r->posting_id || store_posting_get(s, r->posting_id, a, &p, NULL, NULL))
		return 0;
	return p.canonical_key && r->posting_key && strcmp(p.canonical_key, r->posting_key) == 0 ? p.id : 0;
}

/* What the account holds before the import: the identities the import
 * compares against, so that restoring a backup into the account it came
 * from (or twice) adds nothing twice (backup.h says what counts as the
 * same). Only what was there before counts: a document may well hold two
 * alike rows, which it then restores as they were. */
struct have {
	struct application *apps;
	size_t n_apps;
	struct contact *contacts;
	size_t n_contacts;
	unsigned char (*resumes)[crypto_generichash_BYTES]; /* a hash of each file's bytes */
	size_t n_resumes;
	struct store_hidden hidden;
};

static int same_text(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static int load_resumes(struct store *s, int64_t user_id, const struct backup_files *files, struct arena *a,
			struct have *h, char *err, size_t errlen)
{
	struct store_resume *rs;
	size_t n;
	int rc = store_resume_list(s, user_id, a, &rs, &n);
	if (rc)
		return rc;
	if (!(h->resumes = arena_alloc(a, (n + 1) * sizeof(*h->resumes))))
		return -ENOMEM;
	struct arena fa;
	arena_init(&fa, 0);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned char *data;
		size_t len;
		arena_reset(&fa);
		rc = files->read(files->ctx, user_id, rs[i].id, &fa, &data, &len, err, errlen);
		if (rc == 0)
			crypto_generichash(h->resumes[h->n_resumes++], crypto_generichash_BYTES, data, len, NULL, 0);
	}
	arena_free(&fa);
	return rc;
}

static int load_have(struct store *s, int64_t user_id, const struct backup_files *files, const struct doc *d,
		     struct arena *a, struct have *h, char *err, size_t errlen)
{
	int rc = store_app_list_all(s, user_id, a, &h->apps, &h->n_apps);
	if (!rc)
		rc = store_contact_list(s, user_id, 0, a, &h->contacts, &h->n_contacts);
	if (!rc && d->n_resumes)
		rc = load_resumes(s, user_id, files, a, h, err, errlen);
	if (!rc)
		rc = store_hidden_list(s, user_id, a, &h->hidden);
	return rc;
}

static int have_app(const struct have *h, const struct application *app)
{
	for (size_t i = 0; i < h->n_apps; i++)
		if (h->apps[i].created_at == app->created_at && same_text(h->apps[i].company, app->company) &&
		    same_text(h->apps[i].position, app->position))
			return 1;
	return 0;
}

/* The id of the account's contact that is this one, or 0. */
static int64_t have_contact(const struct have *h, const struct contact *c)
{
	for (size_t i = 0; i < h->n_contacts; i++)
		if (h->contacts[i].created_at == c->created_at && same_text(h->contacts[i].name, c->name) &&
		    same_text(h->contacts[i].email, c->email))
			return h->contacts[i].id;
	return 0;
}

static int have_resume(const struct have *h, const struct rec_resume *r)
{
	unsigned char hash[crypto_generichash_BYTES];
	crypto_generichash(hash, sizeof(hash), r->data, r->len, NULL, 0);
	for (size_t i = 0; i < h->n_resumes; i++)
		if (!memcmp(h->resumes[i], hash, sizeof(hash)))
			return 1;
	return 0;
}

static int have_hidden(const struct have *h, int64_t posting_id)
{
	for (size_t i = 0; i < h->hidden.npostings; i++)
		if (h->hidden.postings[i].posting_id == posting_id)
			return 1;
	return 0;
}

static int have_blocked(const struct have *h, const char *company)
{
	char key[STORE_COMPANY_KEY_MAX + 1];
	if (store_company_key(company, key))
		return 0;
	for (size_t i = 0; i < h->hidden.ncompanies; i++)
		if (same_text(h->hidden.companies[i].company_key, key))
			return 1;
	return 0;
}

/* Saved searches the user has by name already are left as they are
 * (skipped), and so are those past SAVED_SEARCHES_MAX. */
static int write_searches(struct store *s, int64_t user_id, struct doc *d, struct arena *a,
			  struct backup_counts *counts)
{
	struct saved_search *have;
	size_t n_have;
	int rc = store_saved_search_list(s, user_id, a, &have, &n_have);
	for (size_t i = 0; rc == 0 && i < d->n_searches; i++) {
		struct saved_search *ss = &d->searches[i];
		int taken = n_have + counts->saved_searches >= SAVED_SEARCHES_MAX;
		for (size_t j = 0; !taken && j < n_have; j++)
			taken = strcmp(have[j].name, ss->name) == 0;
		if (taken) {
			counts->saved_searches_skipped++;
			continue;
		}
		/* insert sets the times to its "now" */
		int64_t updated = ss->updated_at, looked = ss->last_looked_at, alerted = ss->last_alert_at;
		rc = store_saved_search_insert(s, user_id, ss, ss->created_at);
		if (!rc)
			rc = store_restore_times(s, user_id, STORE_RESTORE_SAVED_SEARCH, ss->id, updated, looked);
		if (!rc && alerted)
			rc = store_saved_search_alerted(s, user_id, ss->id, alerted);
		counts->saved_searches++;
	}
	return rc;
}

/* A hidden posting is hidden again when this instance has one of its
 * listings, else skipped; a bound reached (CONFLICT) skips too. What the
 * user hides already (posting or company) is counted as already there. */
static int write_hidden(struct store *s, int64_t user_id, const struct doc *d, const struct have *have,
			struct backup_counts *counts)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < d->n_hidden; i++) {
		const struct rec_hidden *h = &d->hidden[i];
		int64_t pid = 0;
		rc = STORE_NOTFOUND;
		for (size_t l = 0; rc == STORE_NOTFOUND && l < h->n_listings; l++)
			rc = store_posting_by_listing(s, h->listings[l].source, h->listings[l].external_id, &pid);
		if (rc == 0 && have_hidden(have, pid)) {
			counts->hidden_already++;
			continue;
		}
		if (rc == 0)
			rc = store_posting_hide(s, user_id, pid, h->created_at);
		if (rc == STORE_NOTFOUND || rc == STORE_CONFLICT) {
			counts->hidden_skipped++;
			rc = 0;
		} else if (rc == 0) {
			counts->hidden_postings++;
		}
	}
	for (size_t i = 0; rc == 0 && i < d->n_companies; i++) {
		if (have_blocked(have, d->companies[i].name)) {
			counts->blocked_already++;
			continue;
		}
		rc = store_company_block(s, user_id, d->companies[i].name, d->companies[i].created_at);
		if (rc == STORE_CONFLICT) {
			counts->blocked_skipped++;
			rc = 0;
		} else if (rc == 0) {
			counts->blocked_companies++;
		}
	}
	return rc;
}

/* The document's settings over the user's: a webhook URL keeps the
 * importer's secret when it has one, else gets a new one (backups carry
 * no secrets). */
static int write_reminders(struct store *s, int64_t user_id, const struct doc *d, struct arena *a, int64_t now,
			   struct backup_counts *counts)
{
	if (!d->reminders)
		return 0;
	struct notify_settings ns;
	int rc = store_notify_settings_get(s, user_id, a, &ns);
	if (rc)
		return rc;
	int had_secret = ns.webhook_secret && *ns.webhook_secret;
	struct field_errors errs = { .n = 0 };
	notify_settings_apply_json(&ns, d->reminders, a, &errs);
	if (errs.n)
		return -ENOMEM; /* checked when read: only memory can fail here */
	counts->reminders = 1;
	counts->webhook_secret = !*ns.webhook_url ? BACKUP_SECRET_NONE
				 : had_secret     ? BACKUP_SECRET_KEPT
						  : BACKUP_SECRET_NEW;
	return store_notify_settings_set(s, user_id, &ns, now);
}

static int write_doc(struct store *s, int64_t user_id, const struct backup_files *files, struct doc *d, struct arena *a,
		     int64_t now, struct backup_counts *counts, char *err, size_t errlen)
{
	int64_t *contact_ids = arena_alloc(a, (d->n_contacts + 1) * sizeof(*contact_ids));
	if (!contact_ids)
		return -ENOMEM;
	struct have have = { 0 };
	int rc = load_have(s, user_id, files, d, a, &have, err, errlen);
	for (size_t i = 0; rc == 0 && i < d->n_contacts; i++) {
		struct contact *c = &d->contacts[i].c;
		int64_t updated = c->updated_at;
		if ((contact_ids[i] = have_contact(&have, c))) {
			counts->contacts_already++;
			continue;
		}
		rc = store_contact_insert(s, user_id, c, c->created_at);
		if (!rc)
			rc = store_restore_times(s, user_id, STORE_RESTORE_CONTACT, c->id, updated, 0);
		contact_ids[i] = c->id;
		counts->contacts++;
	}
	for (size_t i = 0; rc == 0 && i < d->n_apps; i++) {
		struct rec_app *r = &d->apps[i];
		struct application *app = &r->app;
		int64_t updated = app->updated_at, changed = app->status_changed_at;
		if (have_app(&have, app)) {
			counts->applications_already++;
			continue;
		}
		app->posting_id = local_posting(s, r, a);
		counts->postings_linked += app->posting_id != 0;
		rc = store_app_insert(s, user_id, app, app->created_at);
		/* oldest first, so that entries at the same moment keep their order */
		for (size_t e = r->n_events; rc == 0 && e-- > 0;) {
			struct app_event *ev = &r->events[e];
			ev->app_id = app->id;
			rc = store_event_insert(s, user_id, ev, ev->created_at);
			counts->events++;
		}
		for (size_t c = 0; rc == 0 && c < r->n_contacts; c++) {
			rc = store_contact_link(s, user_id, app->id, new_contact_id(d, contact_ids, r->contacts[c]));
			counts->links++;
		}
		if (!rc && r->muted) {
			rc = store_follow_up_mute(s, user_id, app->id, 1);
			counts->mutes++;
		}
		if (!rc)
			rc = store_restore_times(s, user_id, STORE_RESTORE_APP, app->id, updated, changed);
		counts->applications++;
	}
	if (!rc)
		rc = write_searches(s, user_id, d, a, counts);
	if (!rc)
		rc = write_hidden(s, user_id, d, &have, counts);
	if (!rc)
		rc = write_reminders(s, user_id, d, a, now, counts);
	if (rc) {
		snprintf(err, errlen, "writing to the database failed; nothing was imported");
		return rc;
	}
	/* Oldest first too: the newest stays newest, and the default is set last. */
	for (size_t i = d->n_resumes; rc == 0 && i-- > 0;) {
		struct rec_resume *r = &d->resumes[i];
		int64_t id;
		if (have_resume(&have, r)) {
			counts->resumes_already++;
			continue;
		}
		rc = files->save(files->ctx, user_id, r->name, r->data, r->len, r->is_default, r->created_at, &id, err,
				 errlen);
		if (!rc)
			rc = store_restore_times(s, user_id, STORE_RESTORE_RESUME, id, r->updated_at, 0);
		counts->resumes++;
	}
	return rc;
}

int backup_import(struct store *s, int64_t user_id, const struct backup_files *files, const char *data, size_t len,
		  int64_t now, struct backup_counts *counts, char *err, size_t errlen)
{
	memset(counts, 0, sizeof(*counts));
	*err = 0;
	struct arena a;
	arena_init(&a, 0);
	struct doc d = { 0 };
	int rc = read_doc(data, len, files, now, &a, &d, err, errlen);
	if (rc == 0) {
		rc = store_tx_begin(s, user_id);
		if (rc == 0)
			rc = store_tx_end(s, write_doc(s, user_id, files, &d, &a, now, counts, err, errlen));
		if (rc) {
			memset(counts, 0, sizeof(*counts));
			if (!*err)
				snprintf(err, errlen, "the database failed; nothing was imported");
		}
	}
	json_decref(d.reminders);
	arena_free(&a);
	return rc;
}

int backup_check(const char *data, size_t len, int with_files, int64_t now, char *err, size_t errlen)
{
	static const struct backup_files no_access; /* only its presence is asked */
	*err = 0;
	struct arena a;
	arena_init(&a, 0);
	struct doc d = { 0 };
	int rc = read_doc(data, len, with_files ? &no_access : NULL, now, &a, &d, err, errlen);
	json_decref(d.reminders);
	arena_free(&a);
	return rc;
}

const char *backup_secret_name(enum backup_secret w)
{
	return w == BACKUP_SECRET_NEW ? "new" : w == BACKUP_SECRET_KEPT ? "kept" : "none";
}

const char *backup_secret_note(enum backup_secret w)
{
	if (w == BACKUP_SECRET_NEW)
		return "Backups never carry the webhook secret: a new one was made. Give it to the webhook's "
		       "receiver (Settings, Reminders).";
	if (w == BACKUP_SECRET_KEPT)
		return "Backups never carry the webhook secret: your account's own secret still signs webhooks.";
	return NULL;
}

/* backup_export: the document of backup.h, streamed through a sink. */
#include <errno.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "backup/backup.h"
#include "base/buf.h"
#include "base/json_out.h"
#include "base/timefmt.h"
#include "version.h"

struct out {
	struct buf b;
	backup_sink sink;
	void *ctx;
	int failed;
};

/* Hands what is buffered to the sink once it passes a chunk (or always). */
static int flush(struct out *o, int all)
{
	if (o->failed || buf_failed(&o->b))
		return o->failed = -1;
	if (o->b.len && (all || o->b.len >= BACKUP_CHUNK)) {
		if (o->sink(o->ctx, o->b.data, o->b.len))
			return o->failed = -1;
		buf_reset(&o->b);
	}
	return 0;
}

static void put_time(struct buf *b, const char *key, int64_t t)
{
	json_out_key(b, key, 0);
	if (t <= 0) {
		buf_puts(b, "null");
		return;
	}
	char iso[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)t, iso);
	json_out_string(b, iso);
}

static void put_str(struct buf *b, const char *key, const char *v)
{
	json_out_key(b, key, 0);
	json_out_string(b, v);
}

/* The text members of a row: its struct's char * fields, by offset. */
struct text_member {
	const char *key;
	size_t offset;
};
/* clang-format off */
#define TEXT(type, field) { #field, offsetof(type, field) }
/* clang-format on */

static void put_texts(struct buf *b, const void *row, const struct text_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_str(b, m[i].key, *(char *const *)((const char *)row + m[i].offset));
}

static const struct text_member contact_texts[] = {
	TEXT(struct contact, name),  TEXT(struct contact, role), TEXT(struct contact, email),
	TEXT(struct contact, phone), TEXT(struct contact, url),  TEXT(struct contact, notes),
};
static const struct text_member event_texts[] = {
	TEXT(struct app_event, kind),      TEXT(struct app_event, from_status), TEXT(struct app_event, to_status),
	TEXT(struct app_event, title),     TEXT(struct app_event, body),        TEXT(struct app_event, interview_kind),
	TEXT(struct app_event, with_whom),
};
static const struct text_member app_texts[] = {
	TEXT(struct application, company),       TEXT(struct application, position),
	TEXT(struct application, location),      TEXT(struct application, url),
	TEXT(struct application, source),        TEXT(struct application, salary_currency),
	TEXT(struct application, salary_period), TEXT(struct application, status),
	TEXT(struct application, saved_on),      TEXT(struct application, applied_on),
	TEXT(struct application, follow_up_on),  TEXT(struct application, notes),
};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int write_contacts(struct store *s, int64_t user_id, struct out *o, struct arena *a)
{
	struct contact *cs;
	size_t n;
	int rc = store_contact_list(s, user_id, 0, a, &cs, &n);
	if (rc)
		return rc;
	buf_puts(&o->b, ",\"contacts\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(&o->b, i ? ",{" : "{");
		json_out_key(&o->b, "id", 1);
		json_out_int(&o->b, cs[i].id);
		put_texts(&o->b, &cs[i], contact_texts, N_OF(contact_texts));
		put_time(&o->b, "created_at", cs[i].created_at);
		put_time(&o->b, "updated_at", cs[i].updated_at);
		buf_putc(&o->b, '}');
		flush(o, 0);
	}
	buf_putc(&o->b, ']');
	return 0;
}

static void write_event(struct buf *b, const struct app_event *ev)
{
	buf_putc(b, '{');
	json_out_key(b, "id", 1);
	json_out_int(b, ev->id);
	put_texts(b, ev, event_texts, N_OF(event_texts));
	put_time(b, "at", ev->at);
	put_time(b, "created_at", ev->created_at);
	buf_putc(b, '}');
}

/* The user's muted application ids (ascending), for write_app. */
struct mutes {
	int64_t *ids;
	size_t n;
};

static int muted(const struct mutes *m, int64_t app_id)
{
	for (size_t lo = 0, hi = m->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ids[mid] == app_id)
			return 1;
		if (m->ids[mid] < app_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* One application with its posting, contact ids and timeline. */
static int write_app(struct store *s, int64_t user_id, const struct application *app, const struct mutes *m,
		     struct out *o, struct arena *a)
{
	struct buf *b = &o->b;
	buf_putc(b, '{');
	json_out_key(b, "id", 1);
	json_out_int(b, app->id);
	put_texts(b, app, app_texts, N_OF(app_texts));
	json_out_key(b, "salary_min", 0);
	json_out_int_or_null(b, app->salary_min, !app->has_salary_min);
	json_out_key(b, "salary_max", 0);
	json_out_int_or_null(b, app->salary_max, !app->has_salary_max);
	json_out_key(b, "priority", 0);
	json_out_int(b, app->priority);
	json_out_key(b, "tags", 0);
	buf_putc(b, '[');
	for (size_t t = 0; t < app->n_tags; t++) {
		if (t)
			buf_putc(b, ',');
		json_out_string(b, app->tags[t]);
	}
	buf_putc(b, ']');
	put_time(b, "created_at", app->created_at);
	put_time(b, "updated_at", app->updated_at);
	put_time(b, "status_changed_at", app->status_changed_at);
	json_out_key(b, "reminder_muted", 0);
	json_out_bool(b, muted(m, app->id));

	json_out_key(b, "posting", 0);
	struct store_posting p;
	int rc = app->posting_id ? store_posting_get(s, app->posting_id, a, &p, NULL, NULL) : STORE_NOTFOUND;
	if (rc && rc != STORE_NOTFOUND)
		return rc;
	if (rc == 0) {
		buf_putc(b, '{');
		json_out_key(b, "id", 1);
		json_out_int(b, p.id);
		put_str(b, "canonical_key", p.canonical_key);
		put_str(b, "title", p.title);
		put_str(b, "company", p.company);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}

	struct contact *cs;
	size_t n;
	if ((rc = store_contact_list(s, user_id, app->id, a, &cs, &n)))
		return rc;
	json_out_key(b, "contacts", 0);
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_int(b, cs[i].id);
	}
	buf_putc(b, ']');

	struct app_event *evs;
	if ((rc = store_event_list(s, user_id, app->id, a, &evs, &n)))
		return rc;
	json_out_key(b, "events", 0);
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		write_event(b, &evs[i]);
	}
	buf_puts(b, "]}");
	return 0;
}

static int write_apps(struct store *s, int64_t user_id, struct out *o)
{
	struct app_filter f = { .sort = APP_SORT_CREATED_ASC, .limit = 200 };
	struct arena page, one, ma;
	arena_init(&page, 0);
	arena_init(&one, 0);
	arena_init(&ma, 0);
	struct mutes m;
	int rc = store_follow_up_muted(s, user_id, &ma, &m.ids, &m.n);
	size_t written = 0;
	buf_puts(&o->b, ",\"applications\":[");
	while (rc == 0) {
		struct application *items;
		size_t n;
		int64_t total;
		arena_reset(&page);
		rc = store_app_list(s, user_id, &f, &page, &items, &n, &total);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			arena_reset(&one);
			if (written++)
				buf_putc(&o->b, ',');
			rc = write_app(s, user_id, &items[i], &m, o, &one);
			if (rc == 0 && flush(o, 0))
				rc = -EIO;
		}
		f.offset += (int64_t)n;
		if (rc || n == 0 || f.offset >= total)
			break;
	}
	buf_putc(&o->b, ']');
	arena_free(&ma);
	arena_free(&one);
	arena_free(&page);
	return rc;
}

static int write_saved_searches(struct store *s, int64_t user_id, struct out *o, struct arena *a)
{
	struct saved_search *ss;
	size_t n;
	int rc = store_saved_search_list(s, user_id, a, &ss, &n);
	if (rc)
		return rc;
	buf_puts(&o->b, ",\"saved_searches\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(&o->b, i ? ",{" : "{");
		json_out_key(&o->b, "name", 1);
		json_out_string(&o->b, ss[i].name);
		put_str(&o->b, "query", ss[i].query);
		put_str(&o->b, "alert", ss[i].alert);
		put_time(&o->b, "last_looked_at", ss[i].last_looked_at);
		put_time(&o->b, "last_alert_at", ss[i].last_alert_at);
		put_time(&o->b, "created_at", ss[i].created_at);
		put_time(&o->b, "updated_at", ss[i].updated_at);
		buf_putc(&o->b, '}');
	}
	buf_putc(&o->b, ']');
	return flush(o, 0) ? -EIO : 0;
}

/* Hidden postings go by their listings (source and external id), which
 * another instance scraping the same sources has too; ids would not be. */
static int write_hidden(struct store *s, int64_t user_id, struct out *o, struct arena *a)
{
	struct store_hidden h;
	int rc = store_hidden_list(s, user_id, a, &h);
	if (rc)
		return rc;
	struct buf *b = &o->b;
	buf_puts(b, ",\"hidden\":{\"postings\":[");
	for (size_t i = 0; i < h.npostings; i++) {
		struct posting_source *ls;
		size_t nl;
		if ((rc = store_posting_sources(s, h.postings[i].posting_id, a, &ls, &nl)))
			return rc;
		buf_puts(b, i ? ",{" : "{");
		json_out_key(b, "title", 1);
		json_out_string(b, h.postings[i].title ? h.postings[i].title : "");
		put_str(b, "company", h.postings[i].company ? h.postings[i].company : "");
		put_time(b, "created_at", h.postings[i].created_at);
		json_out_key(b, "listings", 0);
		buf_putc(b, '[');
		for (size_t l = 0; l < nl; l++) {
			buf_puts(b, l ? ",{" : "{");
			json_out_key(b, "source", 1);
			json_out_string(b, ls[l].source);
			put_str(b, "external_id", ls[l].external_id);
			buf_putc(b, '}');
		}
		buf_puts(b, "]}");
		if (flush(o, 0))
			return -EIO;
	}
	buf_puts(b, "],\"companies\":[");
	for (size_t i = 0; i < h.ncompanies; i++) {
		buf_puts(b, i ? ",{" : "{");
		json_out_key(b, "name", 1);
		json_out_string(b, h.companies[i].company);
		put_time(b, "created_at", h.companies[i].created_at);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
	return 0;
}

/* The reminder settings, without the webhook secret (a secret of this
 * instance, as sessions and tokens are); null when never saved. */
static int write_reminders(struct store *s, int64_t user_id, struct out *o, struct arena *a)
{
	struct notify_settings ns;
	int rc = store_notify_settings_get(s, user_id, a, &ns);
	if (rc)
		return rc;
	struct buf *b = &o->b;
	buf_puts(b, ",\"reminders\":");
	if (!ns.updated_at) {
		buf_puts(b, "null");
		return 0;
	}
	buf_putc(b, '{');
	json_out_key(b, "follow_up_days", 1);
	json_out_int(b, ns.follow_up_days);
	json_out_key(b, "ghost_days", 0);
	json_out_int(b, ns.ghost_days);
	json_out_key(b, "email", 0);
	json_out_bool(b, ns.email);
	json_out_key(b, "webhook_url", 0);
	if (ns.webhook_url && *ns.webhook_url)
		json_out_string(b, ns.webhook_url);
	else
		buf_puts(b, "null");
	put_time(b, "updated_at", ns.updated_at);
	buf_putc(b, '}');
	return 0;
}

static int write_resumes(struct store *s, int64_t user_id, const struct backup_files *files, struct out *o, char *err,
			 size_t errlen)
{
	struct arena a;
	arena_init(&a, 0);
	struct store_resume *rs;
	size_t n;
	int rc = store_resume_list(s, user_id, &a, &rs, &n);
	buf_puts(&o->b, ",\"resumes\":[");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct buf *b = &o->b;
		buf_puts(b, i ? ",{" : "{");
		json_out_key(b, "id", 1);
		json_out_int(b, rs[i].id);
		put_str(b, "name", rs[i].name);
		put_str(b, "type", rs[i].type);
		json_out_key(b, "size", 0);
		json_out_int(b, rs[i].size);
		json_out_key(b, "is_default", 0);
		json_out_bool(b, rs[i].is_default);
		put_time(b, "created_at", rs[i].created_at);
		put_time(b, "updated_at", rs[i].updated_at);
		if (files) {
			struct arena fa;
			arena_init(&fa, 0);
			unsigned char *data;
			size_t len;
			rc = files->read(files->ctx, user_id, rs[i].id, &fa, &data, &len, err, errlen);
			if (rc == 0) {
				size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
				char *text = malloc(cap);
				if (text) {
					sodium_bin2base64(text, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
					json_out_key(b, "content_base64", 0);
					json_out_string(b, text);
					free(text);
				} else {
					snprintf(err, errlen, "out of memory encoding a resume");
					rc = -ENOMEM;
				}
			}
			arena_free(&fa);
		}
		buf_putc(b, '}');
		if (rc == 0 && flush(o, 0))
			rc = -EIO;
	}
	buf_putc(&o->b, ']');
	arena_free(&a);
	return rc;
}

int backup_export(struct store *s, int64_t user_id, const char *email, const struct backup_files *files,
		  backup_sink sink, void *sink_ctx, int64_t now, char *err, size_t errlen)
{
	struct out o = { .sink = sink, .ctx = sink_ctx };
	buf_init(&o.b, 64u << 20); /* one application or one resume, with room to spare */
	*err = 0;
	/* One transaction holding the user's lock: the document is one moment of
	 * the user's data, whatever else writes to it meanwhile. */
	int rc = store_tx_begin(s, user_id);
	if (rc) {
		buf_free(&o.b);
		snprintf(err, errlen, "the database is not available");
		return rc;
	}
	buf_printf(&o.b, "{\"format\":\"%s\",\"version\":%d", BACKUP_FORMAT, BACKUP_VERSION);
	put_time(&o.b, "exported_at", now);
	put_str(&o.b, "jobtrack_version", JOBTRACK_VERSION);
	buf_puts(&o.b, ",\"user\":{\"email\":");
	json_out_string(&o.b, email);
	buf_putc(&o.b, '}');
	struct arena a;
	arena_init(&a, 0);
	rc = write_contacts(s, user_id, &o, &a);
	if (rc == 0)
		rc = write_saved_searches(s, user_id, &o, &a);
	if (rc == 0)
		rc = write_hidden(s, user_id, &o, &a);
	if (rc == 0)
		rc = write_reminders(s, user_id, &o, &a);
	arena_free(&a);
	if (rc == 0)
		rc = write_apps(s, user_id, &o);
	if (rc == 0)
		rc = write_resumes(s, user_id, files, &o, err, errlen);
	buf_puts(&o.b, "}\n");
	if (rc == 0 && flush(&o, 1))
		rc = -EIO;
	store_tx_end(s, 0);
	if (rc && !*err)
		snprintf(err, errlen, rc == -EIO ? "writing the backup failed" : "reading the user's data failed");
	buf_free(&o.b);
	return rc;
}

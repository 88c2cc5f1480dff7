/* The backup (backup/backup.h) in process, on the backend JT_TEST_STORE_URL
 * names: what version 2 added (saved searches, hidden postings and blocked
 * companies, reminder settings and mutes) goes from one user's export into
 * another user's import with its times, and an import that fails late (a
 * resume file that cannot be stored, written last) leaves none of it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backup/backup.h"
#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct arena a;
	struct user alice, bob;
	int64_t posting;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a, 0);
	*state = f;
	if (store_fixture_make(&f->sf, NULL, 1))
		return -1;
	f->s = f->sf.s;
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ||
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob))
		return -1;
	struct posting_ingest in = { .source = "greenhouse",
				     .external_id = "b1",
				     .content_hash = "h",
				     .seen_at = 1000,
				     .source_rank = 5,
				     .max_distance = -1 };
	in.posting.canonical_key = "acme|rust engineer|";
	in.posting.title = "Rust Engineer";
	in.posting.company = "Acme";
	in.posting.description_text = "Rust.";
	enum posting_change change;
	return store_posting_ingest(f->s, &in, &change, &f->posting);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

static int to_buf(void *ctx, const char *data, size_t len)
{
	return buf_append(ctx, data, len);
}

/* Alice: one muted application, a saved search looked at and alerted, a
 * hidden posting, a blocked company and reminder settings with a webhook. */
static void fill_alice(struct fx *f)
{
	struct application app = { .company = "Acme",
				   .position = "Engineer",
				   .location = "",
				   .url = "",
				   .source = "",
				   .salary_currency = "",
				   .salary_period = "",
				   .status = "applied",
				   .saved_on = "2026-01-01",
				   .applied_on = "2026-01-02",
				   .notes = "" };
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 2000), STORE_OK);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, app.id, 1), STORE_OK);
	struct saved_search ss = { .name = "Rust", .query = "q=rust", .alert = "weekly" };
	assert_int_equal(store_saved_search_insert(f->s, f->alice.id, &ss, 3000), STORE_OK);
	assert_int_equal(store_saved_search_looked(f->s, f->alice.id, ss.id, 3100), STORE_OK);
	assert_int_equal(store_saved_search_alerted(f->s, f->alice.id, ss.id, 3200), STORE_OK);
	assert_int_equal(store_posting_hide(f->s, f->alice.id, f->posting, 4000), STORE_OK);
	assert_int_equal(store_company_block(f->s, f->alice.id, "Evil Corp", 4100), STORE_OK);
	struct notify_settings ns = { .follow_up_days = 10,
				      .ghost_days = 30,
				      .email = 0,
				      .webhook_url = "https://hooks.example.com/jt",
				      .webhook_secret = "0123456789abcdef0123456789abcdef" };
	assert_int_equal(store_notify_settings_set(f->s, f->alice.id, &ns, 5000), STORE_OK);
}

static void export_alice(struct fx *f, struct buf *doc)
{
	char err[256];
	buf_init(doc, 1u << 20);
	assert_int_equal(
	    backup_export(f->s, f->alice.id, "alice@example.com", NULL, to_buf, doc, 6000, err, sizeof(err)), 0);
	assert_non_null(strstr(doc->data, "\"version\":2"));
	assert_null(strstr(doc->data, "0123456789abcdef")); /* never the secret */
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	fill_alice(f);
	struct buf doc;
	export_alice(f, &doc);
	struct backup_counts c;
	char err[256];
	assert_int_equal(backup_import(f->s, f->bob.id, NULL, doc.data, doc.len, 7000, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mutes, 1);
	assert_int_equal(c.saved_searches, 1);
	assert_int_equal(c.hidden_postings, 1);
	assert_int_equal(c.hidden_skipped, 0);
	assert_int_equal(c.blocked_companies, 1);
	assert_int_equal(c.reminders, 1);
	assert_int_equal(c.webhook_secret, BACKUP_SECRET_NEW);

	struct saved_search *ss;
	size_t n;
	assert_int_equal(store_saved_search_list(f->s, f->bob.id, &f->a, &ss, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ss[0].name, "Rust");
	assert_string_equal(ss[0].query, "q=rust");
	assert_string_equal(ss[0].alert, "weekly");
	assert_int_equal(ss[0].created_at, 3000);
	assert_int_equal(ss[0].last_looked_at, 3100);
	assert_int_equal(ss[0].last_alert_at, 3200);
	struct store_hidden h;
	assert_int_equal(store_hidden_list(f->s, f->bob.id, &f->a, &h), STORE_OK);
	assert_int_equal(h.npostings, 1);
	assert_int_equal(h.postings[0].posting_id, f->posting);
	assert_int_equal(h.postings[0].created_at, 4000);
	assert_int_equal(h.ncompanies, 1);
	assert_string_equal(h.companies[0].company, "Evil Corp");
	assert_int_equal(h.companies[0].created_at, 4100);
	struct notify_settings ns;
	assert_int_equal(store_notify_settings_get(f->s, f->bob.id, &f->a, &ns), STORE_OK);
	assert_int_equal(ns.follow_up_days, 10);
	assert_int_equal(ns.ghost_days, 30);
	assert_int_equal(ns.email, 0);
	assert_string_equal(ns.webhook_url, "https://hooks.example.com/jt");
	assert_int_equal(strlen(ns.webhook_secret), 64);
	assert_string_not_equal(ns.webhook_secret, "0123456789abcdef0123456789abcdef");
	int64_t *muted;
	assert_int_equal(store_follow_up_muted(f->s, f->bob.id, &f->a, &muted, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(c.applications, 1);
	assert_int_equal(c.applications_already + c.hidden_already + c.blocked_already, 0);

	/* Again: nothing doubles (what bob has is left out and counted as
	 * such), the saved search's name is taken (skipped), bob's secret stays. */
	const char *secret = ns.webhook_secret;
	assert_int_equal(backup_import(f->s, f->bob.id, NULL, doc.data, doc.len, 8000, &c, err, sizeof(err)), 0);
	assert_int_equal(c.applications, 0);
	assert_int_equal(c.applications_already, 1);
	assert_int_equal(c.events, 0);
	assert_int_equal(c.mutes, 0);
	assert_int_equal(c.hidden_postings, 0);
	assert_int_equal(c.hidden_already, 1);
	assert_int_equal(c.blocked_companies, 0);
	assert_int_equal(c.blocked_already, 1);
	struct application *apps;
	int64_t total;
	struct app_filter af = { .limit = 10 };
	assert_int_equal(store_app_list(f->s, f->bob.id, &af, &f->a, &apps, &n, &total), STORE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(store_hidden_list(f->s, f->bob.id, &f->a, &h), STORE_OK);
	assert_int_equal(h.npostings + h.ncompanies, 2);
	assert_int_equal(c.saved_searches, 0);
	assert_int_equal(c.saved_searches_skipped, 1);
	assert_int_equal(c.webhook_secret, BACKUP_SECRET_KEPT);
	assert_int_equal(store_notify_settings_get(f->s, f->bob.id, &f->a, &ns), STORE_OK);
	assert_string_equal(ns.webhook_secret, secret);
	buf_free(&doc);
}

/* A hidden posting this store has no listing of is skipped, not an error. */
static void test_hidden_posting_elsewhere(void **state)
{
	struct fx *f = *state;
	static const char doc[] = "{\"format\":\"jobtrack-backup\",\"version\":2,\"contacts\":[],\"applications\":[],"
				  "\"hidden\":{\"postings\":[{\"title\":\"x\",\"company\":\"y\",\"created_at\":"
				  "\"2026-01-01T00:00:00Z\",\"listings\":[{\"source\":\"lever\",\"external_id\":"
				  "\"nope\"}]}],\"companies\":[]}}";
	struct backup_counts c;
	char err[256];
	assert_int_equal(backup_import(f->s, f->bob.id, NULL, doc, strlen(doc), 7000, &c, err, sizeof(err)), 0);
	assert_int_equal(c.hidden_postings, 0);
	assert_int_equal(c.hidden_skipped, 1);
}

static int save_fails(void *ctx, int64_t user_id, const char *name, const void *data, size_t len, int make_default,
		      int64_t now, int64_t *id, char *err, size_t errlen)
{
	(void)ctx, (void)user_id, (void)name, (void)data, (void)len, (void)make_default, (void)now, (void)id;
	snprintf(err, errlen, "the disk is full");
	return -ENOSPC;
}

/* Resumes are written last: one that fails undoes everything before it. */
static void test_late_failure_keeps_nothing(void **state)
{
	struct fx *f = *state;
	fill_alice(f);
	struct buf doc;
	export_alice(f, &doc);
	/* The document with a resume added at the end (the export had no files). */
	static const char resume[] = "\"resumes\":[{\"id\":1,\"name\":\"cv.txt\",\"is_default\":true,\"created_at\":"
				     "\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
				     "\"content_base64\":\"aGk=\"}]";
	char *at = strstr(doc.data, "\"resumes\":[]");
	assert_non_null(at);
	char *text =
	    arena_printf(&f->a, "%.*s%s%s", (int)(at - doc.data), doc.data, resume, at + strlen("\"resumes\":[]"));
	struct backup_files files = { .save = save_fails };
	struct backup_counts c;
	char err[256];
	int rc = backup_import(f->s, f->bob.id, &files, text, strlen(text), 7000, &c, err, sizeof(err));
	assert_int_equal(rc, -ENOSPC);
	assert_string_equal(err, "the disk is full");
	assert_int_equal(c.saved_searches, 0);
	struct saved_search *ss;
	size_t n;
	assert_int_equal(store_saved_search_list(f->s, f->bob.id, &f->a, &ss, &n), STORE_OK);
	assert_int_equal(n, 0);
	struct store_hidden h;
	assert_int_equal(store_hidden_list(f->s, f->bob.id, &f->a, &h), STORE_OK);
	assert_int_equal(h.npostings + h.ncompanies, 0);
	struct notify_settings ns;
	assert_int_equal(store_notify_settings_get(f->s, f->bob.id, &f->a, &ns), STORE_OK);
	assert_int_equal(ns.updated_at, 0);
	int64_t *muted;
	assert_int_equal(store_follow_up_muted(f->s, f->bob.id, &f->a, &muted, &n), STORE_OK);
	assert_int_equal(n, 0);
	buf_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden_posting_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_failure_keeps_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

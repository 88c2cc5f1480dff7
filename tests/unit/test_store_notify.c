/* The store's contract for reminders and automation (store.h, "reminders
 * and automation") and the closed-posting flag on applications — written
 * against store.h alone, so it runs unchanged on every backend
 * (JT_TEST_STORE_URL picks one; see store_fixture.h). Each test gets a
 * fresh store with two users, alice and bob. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "store/store.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct arena a;
	struct user alice, bob;
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
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob)) {
		fprintf(stderr, "setup: creating users failed\n");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

static int64_t add_app(struct fx *f, int64_t user_id, const char *company, const char *status, const char *applied_on,
		       const char *follow_up_on)
{
	struct application app = { .company = (char *)company,
				   .position = "Engineer",
				   .location = "",
				   .url = "",
				   .source = "",
				   .salary_currency = "",
				   .salary_period = "",
				   .status = (char *)status,
				   .saved_on = "2026-01-01",
				   .applied_on = (char *)applied_on,
				   .follow_up_on = (char *)follow_up_on,
				   .notes = "" };
	assert_int_equal(store_app_insert(f->s, user_id, &app, 2000), STORE_OK);
	return app.id;
}

static void test_settings_default_then_saved(void **state)
{
	struct fx *f = *state;
	struct notify_settings s;
	assert_int_equal(store_notify_settings_get(f->s, f->alice.id, &f->a, &s), STORE_OK);
	assert_int_equal(s.follow_up_days, STORE_NOTIFY_DEFAULT_FOLLOW_UP_DAYS);
	assert_int_equal(s.ghost_days, 0);
	assert_int_equal(s.email, 1);
	assert_string_equal(s.webhook_url, "");
	assert_int_equal(s.updated_at, 0);
	struct notify_settings in = { .follow_up_days = 3,
				      .ghost_days = 21,
				      .email = 0,
				      .webhook_url = "https://hooks.example.com/a?b=\xC3\xA9",
				      .webhook_secret = "0123456789abcdef" };
	assert_int_equal(store_notify_settings_set(f->s, f->alice.id, &in, 5000), STORE_OK);
	assert_int_equal(store_notify_settings_get(f->s, f->alice.id, &f->a, &s), STORE_OK);
	assert_int_equal(s.follow_up_days, 3);
	assert_int_equal(s.ghost_days, 21);
	assert_int_equal(s.email, 0);
	assert_string_equal(s.webhook_url, in.webhook_url);
	assert_string_equal(s.webhook_secret, in.webhook_secret);
	assert_int_equal(s.updated_at, 5000);
	/* Saving again replaces every field; bob still has the defaults. */
	in.webhook_url = "";
	in.webhook_secret = "";
	in.email = 1;
	assert_int_equal(store_notify_settings_set(f->s, f->alice.id, &in, 6000), STORE_OK);
	assert_int_equal(store_notify_settings_get(f->s, f->alice.id, &f->a, &s), STORE_OK);
	assert_string_equal(s.webhook_url, "");
	assert_int_equal(s.email, 1);
	assert_int_equal(s.updated_at, 6000);
	assert_int_equal(store_notify_settings_get(f->s, f->bob.id, &f->a, &s), STORE_OK);
	assert_int_equal(s.updated_at, 0);
	assert_int_equal(s.follow_up_days, STORE_NOTIFY_DEFAULT_FOLLOW_UP_DAYS);
}

static void test_follow_up_rows_and_mute(void **state)
{
	struct fx *f = *state;
	int64_t applied = add_app(f, f->alice.id, "Acme", "applied", "2026-02-01", NULL);
	int64_t dated = add_app(f, f->alice.id, "Beta", "interviewing", "2026-02-02", "2026-03-01");
	add_app(f, f->alice.id, "Gamma", "saved", NULL, NULL); /* neither: not listed */
	add_app(f, f->bob.id, "Bob's", "applied", "2026-02-01", NULL);
	struct follow_up_row *rows;
	size_t n;
	assert_int_equal(store_follow_up_rows(f->s, f->alice.id, &f->a, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].app_id, applied);
	assert_string_equal(rows[0].company, "Acme");
	assert_string_equal(rows[0].status, "applied");
	assert_string_equal(rows[0].applied_on, "2026-02-01");
	assert_null(rows[0].follow_up_on);
	assert_int_equal(rows[0].status_changed_at, 2000);
	assert_int_equal(rows[0].created_at, 2000);
	assert_int_equal(rows[0].muted, 0);
	assert_int_equal(rows[0].status_changed, 0); /* only created: no status change on its timeline */
	assert_int_equal(rows[1].app_id, dated);
	assert_string_equal(rows[1].follow_up_on, "2026-03-01");
	/* A status change on the timeline (ghosted and moved back, say) is
	 * told apart from the creation even within the same second. */
	struct app_event ev = { .app_id = applied,
				.kind = "status_change",
				.at = 2000,
				.from_status = "ghosted",
				.to_status = "applied",
				.title = "",
				.body = "" };
	assert_int_equal(store_event_insert(f->s, f->alice.id, &ev, 2000), STORE_OK);
	assert_int_equal(store_follow_up_rows(f->s, f->alice.id, &f->a, &rows, &n), STORE_OK);
	assert_int_equal(rows[0].status_changed, 1);
	assert_int_equal(rows[1].status_changed, 0);

	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, applied, 1), STORE_OK);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, applied, 1), STORE_OK); /* twice is fine */
	assert_int_equal(store_follow_up_rows(f->s, f->alice.id, &f->a, &rows, &n), STORE_OK);
	assert_int_equal(rows[0].muted, 1);
	assert_int_equal(rows[1].muted, 0);
	/* Another user's application is not found, muting or not. */
	assert_int_equal(store_follow_up_mute(f->s, f->bob.id, applied, 0), STORE_NOTFOUND);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, 999999, 1), STORE_NOTFOUND);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, applied, 0), STORE_OK);
	assert_int_equal(store_follow_up_rows(f->s, f->alice.id, &f->a, &rows, &n), STORE_OK);
	assert_int_equal(rows[0].muted, 0);
	/* Deleting the application takes its mute along. */
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, dated, 1), STORE_OK);
	assert_int_equal(store_app_delete(f->s, f->alice.id, dated), STORE_OK);
	assert_int_equal(store_follow_up_rows(f->s, f->alice.id, &f->a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
}

/* Every muted application of the user, listed or not by follow_up_rows
 * (a backup carries them all), ascending, and no one else's. */
static void test_follow_up_muted(void **state)
{
	struct fx *f = *state;
	int64_t gamma = add_app(f, f->alice.id, "Gamma", "saved", NULL, NULL);
	int64_t acme = add_app(f, f->alice.id, "Acme", "applied", "2026-02-01", NULL);
	int64_t plain = add_app(f, f->alice.id, "Plain", "saved", NULL, NULL);
	int64_t bobs = add_app(f, f->bob.id, "Bob's", "applied", "2026-02-01", NULL);
	int64_t *ids;
	size_t n = 99;
	assert_int_equal(store_follow_up_muted(f->s, f->alice.id, &f->a, &ids, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, plain, 1), STORE_OK);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, gamma, 1), STORE_OK);
	assert_int_equal(store_follow_up_mute(f->s, f->bob.id, bobs, 1), STORE_OK);
	assert_int_equal(store_follow_up_muted(f->s, f->alice.id, &f->a, &ids, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], gamma < plain ? gamma : plain);
	assert_int_equal(ids[1], gamma < plain ? plain : gamma);
	assert_int_equal(store_follow_up_muted(f->s, f->bob.id, &f->a, &ids, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], bobs);
	assert_int_equal(store_follow_up_mute(f->s, f->alice.id, gamma, 0), STORE_OK);
	assert_int_equal(store_follow_up_muted(f->s, f->alice.id, &f->a, &ids, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], plain);
	(void)acme;
}

static void test_send_once_retry_and_scope(void **state)
{
	struct fx *f = *state;
	int64_t app = add_app(f, f->alice.id, "Acme", "applied", "2026-02-01", NULL);
	struct reminder_send r, again;
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "webhook", 3000, &f->a, &r),
			 STORE_OK);
	assert_true(r.id > 0);
	assert_int_equal(r.app_id, app);
	assert_string_equal(r.state, "pending");
	assert_string_equal(r.channel, "webhook");
	assert_string_equal(r.due_on, "2026-02-08");
	assert_int_equal(r.attempts, 0);
	assert_int_equal(r.next_at, 3000);
	assert_int_equal(r.sent_at, 0);
	assert_string_equal(r.last_error, "");
	/* Opening again finds the same record, whatever the time. */
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "webhook", 3500, &f->a, &again),
			 STORE_OK);
	assert_int_equal(again.id, r.id);
	assert_int_equal(again.created_at, 3000);
	/* Another channel or date is another record. */
	struct reminder_send mail;
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "email", 3000, &f->a, &mail),
			 STORE_OK);
	assert_true(mail.id != r.id);

	/* Claimed for an attempt: a second claim (another process) is refused. */
	assert_int_equal(store_reminder_send_claim(f->s, f->alice.id, r.id, 3050, 3950), STORE_OK);
	assert_int_equal(store_reminder_send_claim(f->s, f->alice.id, r.id, 3060, 3960), STORE_STALE);
	assert_int_equal(store_reminder_send_claim(f->s, f->bob.id, r.id, 9999, 9999), STORE_NOTFOUND);
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "webhook", 3070, &f->a, &again),
			 STORE_OK);
	assert_int_equal(again.next_at, 3950);
	assert_int_equal(again.attempts, 0);
	/* A failure is recorded with its error and the retry time. */
	assert_int_equal(store_reminder_send_record(f->s, f->alice.id, r.id, "pending", "HTTP 500", 3600, 3100),
			 STORE_OK);
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "webhook", 3200, &f->a, &again),
			 STORE_OK);
	assert_int_equal(again.attempts, 1);
	assert_string_equal(again.last_error, "HTTP 500");
	assert_int_equal(again.next_at, 3600);
	assert_int_equal(again.updated_at, 3100);
	/* Sent: once, and never again. */
	assert_int_equal(store_reminder_send_record(f->s, f->alice.id, r.id, "sent", NULL, 0, 3700), STORE_OK);
	assert_int_equal(store_reminder_send_record(f->s, f->alice.id, r.id, "sent", NULL, 0, 3800), STORE_STALE);
	assert_int_equal(store_reminder_send_record(f->s, f->alice.id, r.id, "pending", "x", 0, 3800), STORE_STALE);
	assert_int_equal(store_reminder_send_claim(f->s, f->alice.id, r.id, 9000, 9900), STORE_STALE);
	assert_int_equal(store_reminder_send_open(f->s, f->alice.id, app, "2026-02-08", "webhook", 3900, &f->a, &again),
			 STORE_OK);
	assert_string_equal(again.state, "sent");
	assert_int_equal(again.attempts, 2);
	assert_int_equal(again.sent_at, 3700);
	assert_string_equal(again.last_error, "");

	/* Bob sees none of it. */
	assert_int_equal(store_reminder_send_record(f->s, f->bob.id, mail.id, "sent", NULL, 0, 3800), STORE_NOTFOUND);
	assert_int_equal(store_reminder_send_open(f->s, f->bob.id, app, "2026-02-08", "webhook", 3000, &f->a, &again),
			 STORE_NOTFOUND);
	struct reminder_send *list;
	size_t n;
	assert_int_equal(store_reminder_send_list(f->s, f->bob.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* Alice's, last changed first. */
	assert_int_equal(store_reminder_send_list(f->s, f->alice.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, r.id);
	assert_int_equal(list[1].id, mail.id);
	assert_int_equal(store_reminder_send_list(f->s, f->alice.id, 1, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* Deleting the application deletes its records. */
	assert_int_equal(store_app_delete(f->s, f->alice.id, app), STORE_OK);
	assert_int_equal(store_reminder_send_list(f->s, f->alice.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void test_closed_posting_flag(void **state)
{
	struct fx *f = *state;
	struct scrape_source src = { .name = "acme", .kind = "greenhouse", .target = "acme", .enabled = 1 };
	assert_int_equal(store_source_insert(f->s, &src, 10), STORE_OK);
	struct posting_ingest in = {
		.posting = { .canonical_key = "acme|engineer|", .title = "Engineer", .company = "Acme" },
		.source = "greenhouse",
		.external_id = "1",
		.source_id = src.id,
		.content_hash = "h1",
		.source_rank = 5,
		.seen_at = 100,
		.max_distance = 3
	};
	enum posting_change change;
	int64_t posting_id;
	assert_int_equal(store_posting_ingest(f->s, &in, &change, &posting_id), STORE_OK);
	int64_t app = add_app(f, f->alice.id, "Acme", "applied", "2026-02-01", NULL);
	assert_int_equal(store_app_set_posting(f->s, f->alice.id, app, posting_id, 2100), STORE_OK);
	struct application got;
	assert_int_equal(store_app_get(f->s, f->alice.id, app, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, posting_id);
	assert_int_equal(got.posting_closed_at, 0);
	struct user before, after;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &before), STORE_OK);
	/* The source stops listing it: the posting closes, the application says so. */
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src.id, 200, 1, 250, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	assert_int_equal(store_app_get(f->s, f->alice.id, app, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_closed_at, 250);
	struct application *list;
	size_t n;
	int64_t total;
	struct app_filter filter = { .sort = APP_SORT_UPDATED_DESC };
	assert_int_equal(store_app_list(f->s, f->alice.id, &filter, &f->a, &list, &n, &total), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].posting_closed_at, 250);
	/* Cached listings must not show it open: the user's data_version moved. */
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &after), STORE_OK);
	assert_true(after.data_version != before.data_version);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_settings_default_then_saved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_up_rows_and_mute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_up_muted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_once_retry_and_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_posting_flag, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Reminders and automation (src/notify): which addresses a webhook may
 * reach, when a follow-up is due and when an application is ghosted, the
 * webhook signature, the settings a user sends, and the reminder run —
 * sent once, retried with growing waits, given up, ghosting reversible —
 * over a real store (JT_TEST_STORE_URL picks the backend). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/address.h"
#include "notify/follow_ups.h"
#include "notify/reminders.h"
#include "notify/settings.h"
#include "notify/webhook.h"
#include "store/store.h"
#include "http_fixture.h"
#include "store_fixture.h"
#include "tracker/service.h"

#define DAY   86400
#define T2026 ((int64_t)1772323200) /* 2026-03-01T00:00:00Z */

static bool is_public(const char *text)
{
	struct sockaddr_storage ss = { 0 };
	if (strchr(text, ':')) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &in->sin_addr), 1);
	}
	return address_is_public((struct sockaddr *)&ss, (unsigned)sizeof(ss));
}

static void test_private_addresses_refused(void **state)
{
	(void)state;
	const char *refused[] = { "127.0.0.1",
				  "127.8.9.10",
				  "10.1.2.3",
				  "172.16.0.1",
				  "172.31.255.255",
				  "192.168.1.1",
				  "169.254.169.254",
				  "100.64.0.1",
				  "0.0.0.0",
				  "224.0.0.1",
				  "255.255.255.255",
				  "::1",
				  "::",
				  "fe80::1",
				  "fd00::1",
				  "fc12::3",
				  "ff02::1",
				  "::ffff:127.0.0.1",
				  "::ffff:10.0.0.1",
				  "64:ff9b::a00:1",
				  "2001:db8::1",
				  "198.18.0.1",
				  "192.0.2.7" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (is_public(refused[i]))
			fail_msg("%s counted as public", refused[i]);
	const char *allowed[] = { "93.184.216.34",   "8.8.8.8",        "172.32.0.1", "100.128.0.1",
				  "2606:4700::1111", "::ffff:8.8.4.4", "11.0.0.1" };
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!is_public(allowed[i]))
			fail_msg("%s counted as private", allowed[i]);
}

static void test_signature_and_url_check(void **state)
{
	(void)state;
	char sig[WEBHOOK_SIG_LEN];
	webhook_signature("0123456789abcdef-secret", 1764979200, "{\"a\":1}", 7, sig);
	/* Python: hmac.new(key, b'1764979200.{"a":1}', sha256).hexdigest() */
	assert_string_equal(sig, "sha256=2fe30cc9f620e75f6cadeb34bacf635dab406b34e7d78db89ecffc29f850b78f");
	char err[200];
	assert_int_equal(webhook_url_check("https://hooks.example.com/x?y=1", err, sizeof(err)), 0);
	assert_int_equal(webhook_url_check("http://127.0.0.1:8080/hook", err, sizeof(err)), 0);
	const char *bad[] = {
		"",          "ftp://example.com/x",   "file:///etc/passwd", "https://user:pw@example.com/",
		"not a url", "https://exa mple.com/", "gopher://x"
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (webhook_url_check(bad[i], err, sizeof(err)) == 0)
			fail_msg("%s accepted", bad[i]);
		assert_true(strlen(err) > 10);
	}
}

/* /ok answers 204, /fail 500, /gone 404, /slow holds the request;
 * every request is counted, and the last signature kept. */
struct hook_log {
	int requests;
	char signature[WEBHOOK_SIG_LEN], delivery[64];
};

static void hook(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	struct hook_log *log = ctx;
	log->requests++;
	hf_header(req, "X-Jobtrack-Signature", log->signature, sizeof(log->signature));
	hf_header(req, "X-Jobtrack-Delivery", log->delivery, sizeof(log->delivery));
	if (strcmp(req->target, "/ok") == 0)
		hf_respond(c, 204, "", "", 0);
	else if (strcmp(req->target, "/fail") == 0)
		hf_respond(c, 500, "", "no", 2);
	else if (strcmp(req->target, "/gone") == 0)
		hf_respond(c, 404, "", "no", 2);
	else
		hf_hold(c, 5000);
}

static void test_webhook_delivery(void **state)
{
	(void)state;
	struct hook_log log = { 0 };
	struct hf_server *srv = hf_start(1, hook, &log);
	assert_non_null(srv);
	char url[128], err[300];
	long status;
	const char *body = "{\"event\":\"follow_up.due\"}";
	struct webhook_request r = { .url = url,
				     .secret = "0123456789abcdef",
				     .event = "follow_up.due",
				     .delivery = "reminder-7",
				     .body = body,
				     .len = strlen(body),
				     .timestamp = 1764979200,
				     .allow_private = true,
				     .timeout_ms = 300,
				     .tries = 3,
				     .backoff_ms = 10 };
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), 0);
	assert_int_equal(status, 204);
	assert_int_equal(log.requests, 1);
	char want[WEBHOOK_SIG_LEN];
	webhook_signature(r.secret, r.timestamp, body, strlen(body), want);
	assert_string_equal(log.signature, want);
	assert_string_equal(log.delivery, "reminder-7");
	/* 5xx is retried, tries times; 404 is final at once. */
	log.requests = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/fail", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), -1);
	assert_int_equal(log.requests, 3);
	assert_string_equal(err, "the receiver answered HTTP 500");
	log.requests = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/gone", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), -1);
	assert_int_equal(log.requests, 1);
	assert_int_equal(status, 404);
	/* A receiver that does not answer: the time-out ends each try. */
	log.requests = 0;
	r.tries = 2;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), -1);
	assert_string_equal(err, "no answer within 300 ms");
	assert_int_equal(log.requests, 2);
	/* Not allowed to reach loopback: nothing is sent. */
	log.requests = 0;
	r.allow_private = false;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "127.0.0.1 is private or loopback"));
	snprintf(url, sizeof(url), "http://localhost:%d/ok", hf_port(srv, 0));
	assert_int_equal(webhook_deliver(&r, &status, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "private or loopback"));
	assert_int_equal(log.requests, 0);
	hf_stop(srv);
}

static void test_due_dates_and_ghosting(void **state)
{
	(void)state;
	char day[TIMEFMT_DATE_LEN];
	struct follow_up_row r = {
		.status = "applied", .applied_on = "2026-03-01", .created_at = T2026, .status_changed_at = T2026
	};
	assert_string_equal(follow_up_due_on(&r, 7, day), "2026-03-08");
	assert_null(follow_up_due_on(&r, 0, day)); /* default reminders off */
	r.muted = 1;
	assert_null(follow_up_due_on(&r, 7, day));
	r.follow_up_on = "2026-03-03"; /* a date set by hand counts, muted or not */
	assert_string_equal(follow_up_due_on(&r, 7, day), "2026-03-03");
	r.status = "rejected";
	assert_null(follow_up_due_on(&r, 7, day));
	r.status = "interviewing";
	assert_string_equal(follow_up_due_on(&r, 7, day), "2026-03-03");
	r.follow_up_on = NULL;
	r.muted = 0;
	assert_null(follow_up_due_on(&r, 7, day)); /* a response: no default */

	/* Ghosting counts from applying... */
	r.status = "applied";
	assert_false(follow_up_should_ghost(&r, 14, T2026 + 14 * DAY - 1));
	assert_true(follow_up_should_ghost(&r, 14, T2026 + 14 * DAY));
	assert_false(follow_up_should_ghost(&r, 0, T2026 + 400 * DAY));
	/* ... also for one entered as applied long after applying ... */
	r.created_at = r.status_changed_at = T2026 + 20 * DAY;
	assert_true(follow_up_should_ghost(&r, 14, T2026 + 20 * DAY));
	/* ... but from a later status change on its timeline (moved back). */
	r.status_changed_at = T2026 + 30 * DAY;
	r.status_changed = 1;
	assert_false(follow_up_should_ghost(&r, 14, T2026 + 43 * DAY));
	assert_true(follow_up_should_ghost(&r, 14, T2026 + 44 * DAY));
	/* Ghosted and moved back within the second it was entered: the times
	 * are equal, the timeline still tells (this once re-ghosted it). */
	r.created_at = r.status_changed_at = T2026 + 30 * DAY;
	assert_false(follow_up_should_ghost(&r, 14, T2026 + 43 * DAY));
	r.status_changed = 0; /* never changed: from applying */
	assert_true(follow_up_should_ghost(&r, 14, T2026 + 43 * DAY));
	r.status = "screening";
	assert_false(follow_up_should_ghost(&r, 14, T2026 + 400 * DAY));
}

static void test_settings_from_json(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct notify_settings s = { .follow_up_days = 7, .email = 1, .webhook_url = "", .webhook_secret = "" };
	struct field_errors errs = { .n = 0 };
	json_t *j = json_loads("{\"follow_up_days\":3,\"ghost_days\":30,\"email\":false,"
			       "\"webhook_url\":\"https://h.example.com/\",\"updated_at\":null}",
			       0, NULL);
	notify_settings_apply_json(&s, j, &a, &errs);
	json_decref(j);
	assert_int_equal(errs.n, 0);
	assert_int_equal(s.follow_up_days, 3);
	assert_int_equal(s.ghost_days, 30);
	assert_int_equal(s.email, 0);
	assert_string_equal(s.webhook_url, "https://h.example.com/");
	assert_int_equal(strlen(s.webhook_secret), 64); /* made at random */
	const char *kept = s.webhook_secret;
	j = json_loads("{\"webhook_secret\":null}", 0, NULL);
	notify_settings_apply_json(&s, j, &a, &errs);
	json_decref(j);
	assert_string_equal(s.webhook_secret, kept);
	j = json_loads("{\"webhook_url\":null}", 0, NULL);
	notify_settings_apply_json(&s, j, &a, &errs);
	json_decref(j);
	assert_string_equal(s.webhook_url, "");
	assert_string_equal(s.webhook_secret, "");

	const char *bad[][2] = {
		{ "{\"follow_up_days\":\"3\"}", "follow_up_days" },
		{ "{\"ghost_days\":366}", "ghost_days" },
		{ "{\"email\":1}", "email" },
		{ "{\"webhook_url\":5}", "webhook_url" },
		{ "{\"webhook_secret\":\"short\"}", "webhook_secret" },
		{ "{\"webhook_secret\":\"has a space in it, sixteen+\"}", "webhook_secret" },
		{ "{\"colour\":\"red\"}", "colour" },
		{ "{\"follow_up_days\":-1}", "follow_up_days" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct field_errors e = { .n = 0 };
		j = json_loads(bad[i][0], 0, NULL);
		assert_non_null(j);
		notify_settings_apply_json(&s, j, &a, &e);
		json_decref(j);
		if (!field_errors_get(&e, bad[i][1]))
			fail_msg("%s: no error on %s", bad[i][0], bad[i][1]);
	}
	arena_free(&a);
}

/* ---- the reminder run over a store --------------------------------------- */

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct arena a;
	struct user u;
	int mail_calls, mail_fail;
	char last_to[128], last_subject[300];
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
	return store_user_create(f->s, "ada@example.com", "hash", 1000, &f->u) ? -1 : 0;
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

static int fake_mail(void *ctx, const char *to, const char *subject, const char *text, char *err, size_t errlen)
{
	struct fx *f = ctx;
	(void)text;
	f->mail_calls++;
	snprintf(f->last_to, sizeof(f->last_to), "%s", to);
	snprintf(f->last_subject, sizeof(f->last_subject), "%s", subject);
	if (f->mail_fail) {
		snprintf(err, errlen, "550 mailbox unavailable");
		return -1;
	}
	return 0;
}

static int64_t add_app(struct fx *f, const char *company, const char *status, const char *applied_on, int64_t now)
{
	struct tracker_call c = { .store = f->s, .user_id = f->u.id, .now = now, .arena = &f->a };
	struct application app = { .company = (char *)company,
				   .position = "Engineer",
				   .location = "",
				   .url = "",
				   .source = "",
				   .salary_currency = "",
				   .salary_period = "",
				   .status = (char *)status,
				   .saved_on = "2026-02-01",
				   .applied_on = (char *)applied_on,
				   .notes = "" };
	struct field_errors errs = { .n = 0 };
	assert_int_equal(tracker_app_create(&c, &app, &errs), 0);
	return app.id;
}

static struct reminder_options options(struct fx *f)
{
	return (struct reminder_options){ .store = f->s,
					  .webhook_timeout_ms = 1000,
					  .webhook_tries = 1,
					  .retry_base_s = 60,
					  .max_attempts = 3,
					  .mail = fake_mail,
					  .mail_ctx = f };
}

static struct reminder_send email_record(struct fx *f, int64_t app_id)
{
	struct reminder_send *list;
	size_t n;
	assert_int_equal(store_reminder_send_list(f->s, f->u.id, 0, &f->a, &list, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		if (list[i].app_id == app_id && strcmp(list[i].channel, "email") == 0)
			return list[i];
	fail_msg("no e-mail record for application %lld", (long long)app_id);
	return list[0];
}

static void test_run_sends_once_retries_and_gives_up(void **state)
{
	struct fx *f = *state;
	struct reminder_options o = options(f);
	int64_t now = T2026 + 10 * DAY;
	int64_t due = add_app(f, "Acme", "applied", "2026-03-01", T2026); /* due 2026-03-08 */
	add_app(f, "Later", "applied", "2026-03-09", T2026);              /* due 2026-03-16 */
	struct reminder_counts c = { 0 };

	f->mail_fail = 1;
	assert_int_equal(reminders_run_user(&o, &f->u, now, &c), 0);
	assert_int_equal(f->mail_calls, 1);
	assert_string_equal(f->last_to, "ada@example.com");
	assert_string_equal(f->last_subject, "Follow up: Engineer at Acme");
	assert_int_equal(c.retrying, 1);
	struct reminder_send r = email_record(f, due);
	assert_string_equal(r.state, "pending");
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.last_error, "550 mailbox unavailable");
	assert_int_equal(r.next_at, now + 60);
	/* Before the wait is over nothing is tried. */
	assert_int_equal(reminders_run_user(&o, &f->u, now + 59, &c), 0);
	assert_int_equal(f->mail_calls, 1);
	/* The second failure waits twice as long; the third gives up. */
	assert_int_equal(reminders_run_user(&o, &f->u, now + 60, &c), 0);
	assert_int_equal(f->mail_calls, 2);
	r = email_record(f, due);
	assert_int_equal(r.next_at, now + 60 + 120);
	assert_int_equal(reminders_run_user(&o, &f->u, now + 180, &c), 0);
	assert_int_equal(f->mail_calls, 3);
	r = email_record(f, due);
	assert_string_equal(r.state, "failed");
	assert_int_equal(c.failed, 1);
	f->mail_fail = 0;
	assert_int_equal(reminders_run_user(&o, &f->u, now + DAY, &c), 0);
	assert_int_equal(f->mail_calls, 3);

	/* A new date is a new reminder: sent, and once. */
	struct tracker_call call = { .store = f->s, .user_id = f->u.id, .now = now, .arena = &f->a };
	struct field_errors errs = { .n = 0 };
	assert_int_equal(follow_up_set(&call, due, "2026-03-11", NULL, &errs), 0);
	assert_int_equal(reminders_run_user(&o, &f->u, T2026 + 11 * DAY, &c), 0);
	assert_int_equal(f->mail_calls, 4);
	assert_int_equal(c.sent, 1);
	assert_int_equal(reminders_run_user(&o, &f->u, T2026 + 12 * DAY, &c), 0);
	assert_int_equal(f->mail_calls, 4);
	/* Long past follow-ups are shown, not sent. */
	add_app(f, "Stale", "applied", "2025-06-01", T2026);
	assert_int_equal(reminders_run_user(&o, &f->u, T2026 + 12 * DAY + 3600, &c), 0);
	assert_int_equal(f->mail_calls, 4);
	/* E-mail turned off: nothing more goes out (the other one is due now). */
	struct notify_settings s;
	assert_int_equal(store_notify_settings_get(f->s, f->u.id, &f->a, &s), 0);
	s.email = 0;
	assert_int_equal(store_notify_settings_set(f->s, f->u.id, &s, now), 0);
	assert_int_equal(reminders_run_user(&o, &f->u, T2026 + 20 * DAY, &c), 0);
	assert_int_equal(f->mail_calls, 4);
}

static void test_run_ghosts_and_respects_moving_back(void **state)
{
	struct fx *f = *state;
	struct reminder_options o = options(f);
	o.mail = NULL;
	int64_t old = add_app(f, "Old", "applied", "2026-03-01", T2026 + DAY);
	int64_t fresh = add_app(f, "Fresh", "applied", "2026-03-10", T2026 + 9 * DAY);
	struct notify_settings s;
	assert_int_equal(store_notify_settings_get(f->s, f->u.id, &f->a, &s), 0);
	s.ghost_days = 14;
	assert_int_equal(store_notify_settings_set(f->s, f->u.id, &s, T2026), 0);
	struct reminder_counts c = { 0 };
	int64_t now = T2026 + 15 * DAY;
	assert_int_equal(reminders_run_user(&o, &f->u, now, &c), 0);
	assert_int_equal(c.ghosted, 1);
	struct application app;
	assert_int_equal(store_app_get(f->s, f->u.id, old, &f->a, &app), 0);
	assert_string_equal(app.status, "ghosted");
	assert_int_equal(store_app_get(f->s, f->u.id, fresh, &f->a, &app), 0);
	assert_string_equal(app.status, "applied");
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->u.id, old, &f->a, &ev, &n), 0);
	assert_string_equal(ev[0].kind, "status_change");
	assert_string_equal(ev[0].to_status, "ghosted");
	assert_string_equal(ev[0].title, "Automatic");
	/* Moved back by the person: not ghosted again for another 14 days. */
	struct tracker_call call = { .store = f->s, .user_id = f->u.id, .now = now + DAY, .arena = &f->a };
	int moved;
	assert_int_equal(tracker_app_set_status(&call, old, "applied", 0, &app, &moved), 0);
	assert_int_equal(reminders_run_user(&o, &f->u, now + 14 * DAY, &c), 0);
	assert_int_equal(store_app_get(f->s, f->u.id, old, &f->a, &app), 0);
	assert_string_equal(app.status, "applied");
	assert_int_equal(reminders_run_user(&o, &f->u, now + 15 * DAY, &c), 0);
	assert_int_equal(store_app_get(f->s, f->u.id, old, &f->a, &app), 0);
	assert_string_equal(app.status, "ghosted");
	/* A person's change between the read and the move wins. */
	int64_t raced = add_app(f, "Raced", "applied", "2026-03-01", T2026 + DAY);
	assert_int_equal(store_app_get(f->s, f->u.id, raced, &f->a, &app), 0);
	call.now = T2026 + 2 * DAY;
	assert_int_equal(tracker_app_set_status_if(&call, raced, "applied", app.status_changed_at - 1, "ghosted",
						   "Automatic", "", &moved),
			 0);
	assert_int_equal(moved, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_addresses_refused),
		cmocka_unit_test(test_signature_and_url_check),
		cmocka_unit_test(test_due_dates_and_ghosting),
		cmocka_unit_test(test_webhook_delivery),
		cmocka_unit_test(test_settings_from_json),
		cmocka_unit_test_setup_teardown(test_run_sends_once_retries_and_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_ghosts_and_respects_moving_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

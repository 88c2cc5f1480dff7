/* Unit tests for the request plumbing in src/web: form fields as MHD's post
 * processor hands them over (http.c), and page rendering (view.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <strings.h>

#include "auth/account.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "resume/service.h"
#include "scan/matcher.h"
#include "scan/service.h"
#include "store_faults.h"
#include "store_fixture.h"
#include "web/api/row_version.h"
#include "web/length_check.h"
#include "web/handlers.h"
#include "web/http.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

/* ---- form fields -------------------------------------------------------- */

/* A 1 MiB upload arriving in 8 KiB pieces (as multipart file data does) must
 * cost memory in proportion to its size: copying the whole value again for
 * every piece once made a 10 MB upload allocate gigabytes before log-in. */
static void test_form_field_in_pieces_grows_linearly(void **state)
{
	(void)state;
	struct request req = { 0 };
	arena_init(&req.arena, 0);
	enum { PIECE = 8192, PIECES = 128 };
	static char piece[PIECE];
	for (size_t i = 0; i < PIECES; i++) {
		memset(piece, 'a' + (int)(i % 26), sizeof(piece));
		assert_int_equal(http_form_add(&req, "file", "a.csv", piece, (uint64_t)i * PIECE, PIECE), 0);
	}
	const struct kv *f = http_form_file(&req, "file");
	assert_non_null(f);
	assert_string_equal(f->filename, "a.csv");
	assert_int_equal(f->value_len, (size_t)PIECE * PIECES);
	for (size_t i = 0; i < PIECES; i++)
		assert_int_equal(f->value[i * PIECE + PIECE - 1], 'a' + (int)(i % 26));
	assert_int_equal(f->value[f->value_len], '\0');
	assert_true(req.arena.used_total < 4 * (size_t)PIECE * PIECES);
	assert_null(http_form(&req, "file")); /* a file part is not a plain field */
	arena_free(&req.arena);
}

static void test_form_fields_join_only_their_own_pieces(void **state)
{
	(void)state;
	struct request req = { 0 };
	arena_init(&req.arena, 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "ab", 0, 2), 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "cd", 2, 2), 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "", 4, 0), 0);
	assert_int_equal(http_form_add(&req, "other", NULL, "x", 0, 1), 0);
	assert_int_equal(http_form_add(&req, "empty", NULL, NULL, 0, 0), 0);
	assert_string_equal(http_form(&req, "name"), "abcd");
	assert_string_equal(http_form(&req, "other"), "x");
	assert_string_equal(http_form(&req, "empty"), "");
	assert_null(http_form(&req, "missing"));
	arena_free(&req.arena);
}

/* ---- page rendering ----------------------------------------------------- */

static struct request *page_request(struct web *w)
{
	struct request *req = calloc(1, sizeof(*req));
	assert_non_null(req);
	req->web = w;
	req->path = "/x";
	req->status = 200;
	snprintf(req->csrf, sizeof(req->csrf), "test-csrf"); /* skips identifying the caller */
	arena_init(&req->arena, 0);
	buf_init(&req->out, 64u << 20); /* the server's bound on a response */
	return req;
}

static void request_free(struct request *req)
{
	buf_free(&req->out);
	arena_free(&req->arena);
	free(req);
}

/* view_render reserves what the last page took; a page near the response
 * bound once made that reservation fail for every page after it (a sticky
 * buffer error), so one user's huge page turned every page into a 500. */
static void test_one_huge_page_does_not_break_later_pages(void **state)
{
	(void)state;
	struct web w = { 0 };
	char err[256] = "";
	assert_int_equal(templates_load(&w.tpl, err, sizeof(err)), 0);

	size_t big = 60u << 20;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, 'a', big);
	text[big] = '\0';
	struct request *huge = page_request(&w);
	view_render(huge, 200, "error", "Huge", json_pack("{s:i,s:s}", "status", 200, "message", text));
	free(text);
	assert_int_equal(huge->status, 200);
	assert_true(huge->out.len > big);
	request_free(huge);

	for (int i = 0; i < 2; i++) {
		struct request *small = page_request(&w);
		view_render(small, 404, "error", "Small",
			    json_pack("{s:i,s:s}", "status", 404, "message", "Not here."));
		assert_int_equal(small->status, 404);
		assert_false(buf_failed(&small->out));
		assert_non_null(strstr(small->out.data, "Not here."));
		request_free(small);
	}
	templates_free(w.tpl);
}

/* ---- a busy or broken store ---------------------------------------------- */

/* Handlers run against a SQLite store whose operations fail on demand. */
struct web_fx {
	struct store_fixture store;
	struct config cfg;
	struct web w;
	struct user u;
};

static int web_setup(void **state)
{
	struct web_fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->store, "sqlite", 1))
		return -1;
	f->cfg.login_limit = f->cfg.address_limit = 1000;
	f->cfg.limit_window = 60;
	f->cfg.session_days = 1;
	f->cfg.jwt_ttl = 60;
	f->w.cfg = &f->cfg;
	f->w.store = f->store.s;
	char err[256] = "";
	if (templates_load(&f->w.tpl, err, sizeof(err)))
		return -1;
	struct field_errors errs = { .n = 0 };
	if (account_signup(f->store.s, "ada@example.com", "correct horse battery", 1, &f->u, &errs) != ACCOUNT_OK)
		return -1;
	*state = f;
	return 0;
}

static int web_teardown(void **state)
{
	struct web_fx *f = *state;
	store_faults_clear(f->store.s);
	templates_free(f->w.tpl);
	store_fixture_destroy(&f->store);
	free(f);
	return 0;
}

static struct request *handler_request(struct web_fx *f, const char *path, int signed_in)
{
	struct request *req = page_request(&f->w);
	req->path = path;
	req->method = HTTP_POST;
	req->client_addr = "192.0.2.1";
	if (signed_in) {
		req->auth = AUTH_SESSION;
		req->user = f->u;
		memset(req->session_hash, 7, sizeof(req->session_hash));
	}
	return req;
}

static const char *header(const struct request *req, const char *name)
{
	for (const struct header *h = req->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* 503 with Retry-After: the person or client only has to try again. */
static void assert_busy(const struct request *req)
{
	assert_int_equal(req->status, 503);
	assert_non_null(header(req, "Retry-After"));
}

static void add_field(struct request *req, const char *key, const char *value)
{
	assert_int_equal(http_form_add(req, key, NULL, value, 0, strlen(value)), 0);
}

static void test_busy_store_at_log_in_is_503(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_USER_BY_EMAIL, STORE_BUSY);

	struct request *req = handler_request(f, "/login", 0);
	add_field(req, "email", "ada@example.com");
	add_field(req, "password", "correct horse battery");
	page_login_post(req);
	assert_busy(req);
	assert_non_null(strstr(req->out.data, "ada@example.com")); /* the form, with what was typed */
	request_free(req);

	req = handler_request(f, "/api/v1/auth/token", 0);
	req->json = json_pack("{s:s,s:s}", "email", "ada@example.com", "password", "correct horse battery");
	api_token(req);
	assert_busy(req);
	assert_non_null(strstr(req->out.data, "\"busy\""));
	json_decref(req->json);
	request_free(req);

	/* A broken one is 500, still not "wrong password". */
	store_fault(f->store.s, FAULT_USER_BY_EMAIL, STORE_ERROR);
	req = handler_request(f, "/api/v1/auth/token", 0);
	req->json = json_pack("{s:s,s:s}", "email", "ada@example.com", "password", "correct horse battery");
	api_token(req);
	assert_int_equal(req->status, 500);
	json_decref(req->json);
	request_free(req);
}

static void test_busy_store_at_password_change_is_503(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_USER_SET_PASSWORD, STORE_BUSY);

	struct request *req = handler_request(f, "/api/v1/me/password", 1);
	req->json =
	    json_pack("{s:s,s:s}", "current_password", "correct horse battery", "new_password", "a new passphrase 7");
	api_me_password(req);
	assert_busy(req);
	json_decref(req->json);
	request_free(req);

	req = handler_request(f, "/settings/password", 1);
	add_field(req, "current_password", "correct horse battery");
	add_field(req, "new_password", "a new passphrase 7");
	page_settings_password(req);
	assert_busy(req);
	request_free(req);
}

/* Sign-up fails closed: when the store cannot say whether it is open, the
 * pages and the API say so (503) and never offer or allow it. */
static void test_sign_up_state_unknown_is_503_not_open(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_SETTING_GET, STORE_BUSY);

	struct request *req = handler_request(f, "/signup", 0);
	req->method = HTTP_GET;
	page_signup(req);
	assert_busy(req);
	request_free(req);

	req = handler_request(f, "/signup", 0);
	add_field(req, "email", "grace@example.com");
	add_field(req, "password", "correct horse battery");
	page_signup_post(req);
	assert_busy(req);
	request_free(req);

	req = handler_request(f, "/api/v1/auth/signup", 0);
	req->json = json_pack("{s:s,s:s}", "email", "grace@example.com", "password", "correct horse battery");
	api_signup(req);
	assert_busy(req);
	json_decref(req->json);
	request_free(req);

	req = handler_request(f, "/api/v1/admin/settings", 1);
	req->method = HTTP_GET;
	api_admin_settings_get(req);
	assert_busy(req);
	request_free(req);

	/* The log-in page just leaves out the sign-up link. */
	req = handler_request(f, "/login", 0);
	req->method = HTTP_GET;
	page_login(req);
	assert_int_equal(req->status, 200);
	assert_null(strstr(req->out.data, "href=\"/signup\""));
	request_free(req);

	int64_t count = -1;
	assert_int_equal(store_user_count(f->store.s, &count), STORE_OK);
	assert_int_equal(count, 1);
}

/* A log-out the store did not record did not happen: the session would
 * still be valid, so the cookie stays and the page says so. */
static void test_log_out_the_store_missed_keeps_you_signed_in(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_SESSION_DELETE, STORE_BUSY);
	struct request *req = handler_request(f, "/logout", 1);
	page_logout(req);
	assert_busy(req);
	assert_null(header(req, "Set-Cookie"));
	assert_non_null(strstr(req->out.data, "still signed in"));
	request_free(req);

	store_fault(f->store.s, FAULT_SESSION_DELETE, 0);
	req = handler_request(f, "/logout", 1);
	page_logout(req);
	assert_int_equal(req->status, 303);
	int cleared = 0;
	for (const struct header *h = req->headers; h; h = h->next)
		if (strcasecmp(h->name, "Set-Cookie") == 0 && strncmp(h->value, SESSION_COOKIE "=;", 12) == 0)
			cleared = strstr(h->value, "Max-Age=0") != NULL;
	assert_true(cleared);
	request_free(req);
}

static void test_busy_store_at_csv_import_page_is_503(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_TX_BEGIN, STORE_BUSY);
	struct request *req = handler_request(f, "/import", 1);
	static const char csv[] = "company,position\nAcme,Dev\n";
	assert_int_equal(http_form_add(req, "file", "apps.csv", csv, 0, sizeof(csv) - 1), 0);
	page_import_csv(req);
	assert_busy(req);
	request_free(req);
}

/* Every page that writes to the store answers a busy one with 503 and
 * Retry-After (session_store_status), never a bare 500. */
static void test_busy_store_on_settings_pages_is_503(void **state)
{
	struct web_fx *f = *state;
	static const struct {
		enum store_fault_op op;
		void (*page)(struct request *);
		const char *path;
	} pages[] = {
		{ FAULT_SESSIONS_END_OTHERS, page_settings_sessions_revoke_others, "/settings/sessions/revoke-others" },
		{ FAULT_SESSION_REVOKE, page_settings_session_revoke, "/settings/sessions/1/revoke" },
		{ FAULT_TOKEN_CREATE, page_settings_token_create, "/settings/tokens" },
		{ FAULT_TOKEN_REVOKE, page_settings_token_revoke, "/settings/tokens/1/revoke" },
		{ FAULT_SETTING_SET, page_settings_signup, "/settings/signup" },
	};
	f->u.is_admin = 1;
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		store_fault(f->store.s, pages[i].op, STORE_BUSY);
		struct request *req = handler_request(f, pages[i].path, 1);
		req->params[0] = 1;
		req->n_params = 1;
		add_field(req, "name", "laptop");
		add_field(req, "signup_open", "1");
		pages[i].page(req);
		assert_busy(req);
		request_free(req);
		/* broken, not busy: 500 and no Retry-After */
		store_fault(f->store.s, pages[i].op, STORE_ERROR);
		req = handler_request(f, pages[i].path, 1);
		req->params[0] = 1;
		req->n_params = 1;
		add_field(req, "name", "laptop");
		pages[i].page(req);
		assert_int_equal(req->status, 500);
		assert_null(header(req, "Retry-After"));
		request_free(req);
		store_fault(f->store.s, pages[i].op, 0);
	}
}

/* The password was right but the session could not be stored. */
static void test_busy_store_at_session_start_is_503(void **state)
{
	struct web_fx *f = *state;
	store_fault(f->store.s, FAULT_SESSION_CREATE, STORE_BUSY);
	struct request *req = handler_request(f, "/login", 0);
	add_field(req, "email", "ada@example.com");
	add_field(req, "password", "correct horse battery");
	page_login_post(req);
	assert_busy(req);
	assert_null(header(req, "Set-Cookie"));
	request_free(req);
}

static void test_busy_store_on_resume_pages_is_503(void **state)
{
	struct web_fx *f = *state;
	static const uint8_t secret[32] = { 1 };
	struct resume_service svc;
	resume_service_init(&svc, f->store.s, NULL, secret, sizeof(secret), NULL);
	/* A scan service over an empty matcher: these pages only ask it to
	 * prepare (a no-op without a lazily compiled taxonomy). */
	static const struct scan_matcher no_taxonomy;
	struct scan_service scans;
	scan_service_init(&scans, f->store.s, &svc, &no_taxonomy);
	f->w.resumes = &svc;
	f->w.scans = &scans;
	store_fault(f->store.s, FAULT_RESUME_LIST, STORE_BUSY);
	void (*pages[])(struct request *) = { page_resumes, page_scan_new };
	for (size_t i = 0; i < 2; i++) {
		struct request *req = handler_request(f, "/resumes", 1);
		req->method = HTTP_GET;
		pages[i](req);
		assert_busy(req);
		request_free(req);
	}
	store_fault(f->store.s, FAULT_RESUME_LIST, 0);
	struct request *req = handler_request(f, "/resumes", 1);
	req->method = HTTP_GET;
	page_resumes(req);
	assert_int_equal(req->status, 200);
	request_free(req);
	f->w.resumes = NULL;
	f->w.scans = NULL;
	scan_service_fini(&scans);
	resume_service_fini(&svc);
}

/* ---- If-Match ----------------------------------------------------------- */

/* RFC 9110 13.1.1: "*" or a list of entity-tags; a weak tag never matches. */
static void test_if_match_lists(void **state)
{
	(void)state;
	struct row_version_list l;
	assert_int_equal(row_version_scan("\"999\", \"2\"", 2, &l), 0);
	assert_int_equal(l.strong, 2);
	assert_int_equal(l.first, 999);
	assert_true(l.has_current);
	assert_int_equal(row_version_scan(" \"7\" ", 7, &l), 0);
	assert_int_equal(l.strong, 1);
	assert_true(l.has_current);
	assert_int_equal(row_version_scan("W/\"2\", \"3\"", 2, &l), 0);
	assert_int_equal(l.strong, 1);
	assert_false(l.has_current);
	assert_int_equal(row_version_scan("W/\"2\"", 2, &l), 0);
	assert_int_equal(l.strong, 0);
	assert_int_equal(row_version_scan(" * ", 5, &l), 0);
	assert_true(l.any);
	assert_int_equal(row_version_scan("\"1\",,\t\"2\",", 2, &l), 0); /* empty elements are ignored */
	assert_true(l.has_current);
	assert_int_equal(row_version_scan("\"x\", \"2\"", 2, &l), 0); /* an opaque tag that is not ours */
	assert_int_equal(l.strong, 1);
	const char *bad[] = { "2", "\"2", "\"2\" \"3\"", "*, \"2\"", "w/\"2\"", "\"2\"x", "garbage" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(row_version_scan(bad[i], 2, &l), -1);
}

/* ---- Content-Length before libmicrohttpd reads it ----------------------- */

static int check(const char *head)
{
	return length_check_head(head, strlen(head));
}

static void test_unreadable_content_length(void **state)
{
	(void)state;
	assert_int_equal(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\nbody"), 0);
	assert_int_equal(check("POST / HTTP/1.1\nContent-length:\t7 \n\n"), 0);
	const char *bad[] = { "4, 5", "4,5", "abc", "-1", "+4", "", "4x", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char head[128];
		snprintf(head, sizeof(head), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %s\r\n\r\n", bad[i]);
		assert_int_equal(check(head), 400);
	}
	assert_int_equal(check("POST / HTTP/1.1\r\nCONTENT-LENGTH: 1234567890123456789\r\n\r\n"), 413);
	assert_int_equal(check("POST / HTTP/1.1\r\nContent-Length: 123456789012345678\r\n\r\n"), 0);
	/* an incomplete head, or the same bytes in the body, are left alone */
	assert_int_equal(check("POST / HTTP/1.1\r\nContent-Length: abc\r\n"), 0);
	assert_int_equal(check("POST / HTTP/1.1\r\nContent-Length: 20\r\n\r\nContent-Length: abc\r\n\r\n"), 0);
	/* not this header for MHD (the name is refused later) */
	assert_int_equal(check("POST / HTTP/1.1\r\nX-Content-Length: abc\r\n\r\n"), 0);
}

#define W(fn) cmocka_unit_test_setup_teardown(fn, web_setup, web_teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_field_in_pieces_grows_linearly),
		cmocka_unit_test(test_form_fields_join_only_their_own_pieces),
		cmocka_unit_test(test_one_huge_page_does_not_break_later_pages),
		cmocka_unit_test(test_if_match_lists),
		cmocka_unit_test(test_unreadable_content_length),
		W(test_busy_store_at_log_in_is_503),
		W(test_busy_store_at_password_change_is_503),
		W(test_sign_up_state_unknown_is_503_not_open),
		W(test_log_out_the_store_missed_keeps_you_signed_in),
		W(test_busy_store_at_csv_import_page_is_503),
		W(test_busy_store_on_settings_pages_is_503),
		W(test_busy_store_at_session_start_is_503),
		W(test_busy_store_on_resume_pages_is_503),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

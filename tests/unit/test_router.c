/* Unit tests for the route table (src/web/routes.c) and its matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "web/route.h"

static const char *method_name(enum http_method m)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };
	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

/* The pattern with its k-th {…} replaced by ids[k]. */
static void fill_pattern(const char *pattern, const char *const *ids, char *out, size_t outlen)
{
	size_t k = 0, n = 0;
	for (const char *p = pattern; *p && n + 1 < outlen;) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			assert_non_null(close);
			n += (size_t)snprintf(out + n, outlen - n, "%s", ids[k++]);
			p = close + 1;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
}

static size_t count_params(const char *pattern)
{
	size_t n = 0;
	for (const char *p = pattern; *p; p++)
		n += *p == '{';
	return n;
}

struct match {
	const struct route *r;
	int64_t params[4];
	size_t n;
	int known;
};

static struct match match(enum http_method m, const char *path)
{
	struct match x = { .known = -1 };
	x.r = route_match(m, path, x.params, &x.n, &x.known);
	return x;
}

/* Expects method + path to reach the route registered as method + pattern. */
static const struct route *expect_route(enum http_method m, const char *path, enum http_method route_method,
					const char *pattern)
{
	struct match x = match(m, path);
	if (!x.r)
		fail_msg("%s %s: no route (path_known=%d), want %s", method_name(m), path, x.known, pattern);
	if (strcmp(x.r->pattern, pattern) || x.r->method != route_method)
		fail_msg("%s %s: matched %s %s, want %s %s", method_name(m), path, method_name(x.r->method),
			 x.r->pattern, method_name(route_method), pattern);
	return x.r;
}

static void expect_404(enum http_method m, const char *path)
{
	struct match x = match(m, path);
	if (x.r)
		fail_msg("%s %s: matched %s, want no route", method_name(m), path, x.r->pattern);
	if (x.known != 0)
		fail_msg("%s %s: path_known=%d, want 0 (404)", method_name(m), path, x.known);
}

static void expect_405(enum http_method m, const char *path)
{
	struct match x = match(m, path);
	if (x.r)
		fail_msg("%s %s: matched %s %s, want 405", method_name(m), path, method_name(x.r->method),
			 x.r->pattern);
	if (x.known != 1)
		fail_msg("%s %s: path_known=%d, want 1 (405)", method_name(m), path, x.known);
}

/* ---- the table ------------------------------------------------------------ */

static void test_table_is_sane(void **state)
{
	(void)state;
	assert_true(n_routes > 0);
	for (size_t i = 0; i < n_routes; i++) {
		const struct route *r = &routes[i];
		assert_non_null(r->handler);
		assert_int_equal(r->pattern[0], '/');
		assert_true(count_params(r->pattern) <= 4);
		assert_true(r->method != HTTP_HEAD && r->method != HTTP_OTHER);
		/* Bodies only where a body is sent. */
		if (r->method == HTTP_GET || r->method == HTTP_DELETE)
			assert_int_equal(r->body, BODY_NONE);
		/* No two routes share method and pattern. */
		for (size_t j = 0; j < i; j++)
			if (routes[j].method == r->method && strcmp(routes[j].pattern, r->pattern) == 0)
				fail_msg("duplicate route %s %s", method_name(r->method), r->pattern);
	}
}

static void test_every_route_matches_its_own_pattern(void **state)
{
	(void)state;
	static const char *const samples[][2] = { { "1", "2" }, { "42", "7" }, { "999999999999999999", "123456789" } };
	for (size_t i = 0; i < n_routes; i++) {
		const struct route *r = &routes[i];
		for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
			char path[256];
			fill_pattern(r->pattern, samples[s], path, sizeof(path));
			struct match x = match(r->method, path);
			if (x.r != r)
				fail_msg("%s %s (from %s) matched %s", method_name(r->method), path, r->pattern,
					 x.r ? x.r->pattern : "nothing");
			assert_int_equal(route_index(x.r), i);
			size_t np = count_params(r->pattern);
			assert_int_equal(x.n, np);
			for (size_t k = 0; k < np; k++) {
				long long want = 0;
				for (const char *d = samples[s][k]; *d; d++)
					want = want * 10 + (*d - '0');
				assert_int_equal(x.params[k], want);
			}
		}
	}
}

static void test_head_matches_get_routes(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_routes; i++) {
		const struct route *r = &routes[i];
		if (r->method != HTTP_GET)
			continue;
		static const char *const ids[] = { "5", "6" };
		char path[256];
		fill_pattern(r->pattern, ids, path, sizeof(path));
		expect_route(HTTP_HEAD, path, HTTP_GET, r->pattern);
	}
	/* HEAD of a path that only takes POST is a 405, not a match. */
	expect_405(HTTP_HEAD, "/logout");
	expect_405(HTTP_HEAD, "/api/v1/auth/token");
}

static void test_wrong_method_is_405(void **state)
{
	(void)state;
	/* For every route, each method the path does not take is reported as known. */
	static const enum http_method methods[] = { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };
	for (size_t i = 0; i < n_routes; i++) {
		static const char *const ids[] = { "3", "4" };
		char path[256];
		fill_pattern(routes[i].pattern, ids, path, sizeof(path));
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			struct match x = match(methods[m], path);
			if (x.r) {
				assert_int_equal(x.r->method, methods[m]);
				continue;
			}
			if (x.known != 1)
				fail_msg("%s %s: no route and path_known=%d, want 405", method_name(methods[m]), path,
					 x.known);
		}
	}
	expect_405(HTTP_PUT, "/api/v1/applications/12");
	expect_405(HTTP_DELETE, "/healthz");
	expect_405(HTTP_GET, "/logout");
	expect_404(HTTP_POST, "/api/v1/applications/12/events/3/delete"); /* pages have it, not the API */
	expect_405(HTTP_GET, "/applications/12/events/3/delete");
}

static void test_unknown_paths_are_404(void **state)
{
	(void)state;
	expect_404(HTTP_GET, "/nope");
	expect_404(HTTP_GET, "");
	expect_404(HTTP_GET, "/board/");
	expect_404(HTTP_GET, "//board");
	expect_404(HTTP_GET, "/BOARD");
	expect_404(HTTP_GET, "/api/v1/applications/");
	expect_404(HTTP_GET, "/api/v1/applications//events");
	expect_404(HTTP_GET, "/api/v1/applications/1/events/");
	expect_404(HTTP_GET, "/api/v1/applications/1/extra");
	expect_404(HTTP_GET, "/api/v1/applications.json");
	expect_404(HTTP_GET, "/healthz?x=1");
	expect_404(HTTP_GET, "/api/v2/applications");
}

/* ---- {id} segments ---------------------------------------------------------- */

static void test_id_accepts_positive_integers(void **state)
{
	(void)state;
	struct match x = match(HTTP_GET, "/api/v1/applications/1");
	assert_non_null(x.r);
	assert_int_equal(x.params[0], 1);
	x = match(HTTP_GET, "/api/v1/applications/999999999999999999"); /* 18 digits */
	assert_non_null(x.r);
	assert_int_equal(x.params[0], 999999999999999999LL);
	x = match(HTTP_DELETE, "/api/v1/applications/10/events/20");
	assert_non_null(x.r);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.params[0], 10);
	assert_int_equal(x.params[1], 20);
}

static void test_id_rejects_non_canonical_numbers(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"0",
		"00",
		"007",
		"01",
		"-1",
		"+1",
		"1a",
		"a1",
		"abc",
		"1.5",
		"1e3",
		" 1",
		"1 ",
		"0x10",
		"1000000000000000000",  /* 19 digits */
		"9223372036854775807",  /* INT64_MAX, 19 digits */
		"99999999999999999999", /* 20 digits */
		"123456789012345678901234567890",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/api/v1/applications/%s", bad[i]);
		expect_404(HTTP_GET, path);
		snprintf(path, sizeof(path), "/api/v1/applications/5/events/%s", bad[i]);
		expect_404(HTTP_DELETE, path);
		snprintf(path, sizeof(path), "/applications/%s/status", bad[i]);
		expect_404(HTTP_POST, path);
	}
}

/* ---- literal routes beside {id} routes ------------------------------------- */

static void test_literals_win_over_ids(void **state)
{
	(void)state;
	expect_route(HTTP_GET, "/applications/new", HTTP_GET, "/applications/new");
	expect_route(HTTP_GET, "/applications/7", HTTP_GET, "/applications/{id}");
	expect_route(HTTP_POST, "/applications/7", HTTP_POST, "/applications/{id}");
	expect_route(HTTP_GET, "/api/v1/applications.csv", HTTP_GET, "/api/v1/applications.csv");
	expect_route(HTTP_POST, "/api/v1/applications/import", HTTP_POST, "/api/v1/applications/import");
	expect_405(HTTP_GET, "/api/v1/applications/import");
	expect_404(HTTP_PATCH, "/applications/new/x");
	expect_route(HTTP_GET, "/", HTTP_GET, "/");
	expect_route(HTTP_POST, "/api/v1/tokens", HTTP_POST, "/api/v1/tokens");
	expect_route(HTTP_GET, "/api/v1/tokens", HTTP_GET, "/api/v1/tokens");
	expect_route(HTTP_DELETE, "/api/v1/tokens/3", HTTP_DELETE, "/api/v1/tokens/{id}");
}

static void test_auth_and_body_kinds(void **state)
{
	(void)state;
	/* Spot checks that the table says who may call what. */
	assert_int_equal(expect_route(HTTP_GET, "/healthz", HTTP_GET, "/healthz")->auth, AUTH_PUBLIC);
	assert_int_equal(expect_route(HTTP_POST, "/login", HTTP_POST, "/login")->auth, AUTH_PUBLIC);
	assert_int_equal(expect_route(HTTP_POST, "/logout", HTTP_POST, "/logout")->auth, AUTH_PAGE);
	const struct route *r =
	    expect_route(HTTP_PATCH, "/api/v1/applications/9", HTTP_PATCH, "/api/v1/applications/{id}");
	assert_int_equal(r->auth, AUTH_API);
	assert_int_equal(r->body, BODY_JSON);
	r = expect_route(HTTP_POST, "/import", HTTP_POST, "/import");
	assert_int_equal(r->auth, AUTH_PAGE);
	assert_int_equal(r->body, BODY_UPLOAD);
	/* The calendar feed is fetched by calendar apps: its secret is the token
	 * in its URL, checked by the handler, not a session or a bearer token. */
	assert_int_equal(expect_route(HTTP_GET, "/api/v1/calendar.ics", HTTP_GET, "/api/v1/calendar.ics")->auth,
			 AUTH_PUBLIC);
	for (size_t i = 0; i < n_routes; i++) {
		if (strncmp(routes[i].pattern, "/api/", 5) == 0 && strncmp(routes[i].pattern, "/api/v1/auth/", 13) &&
		    strcmp(routes[i].pattern, "/api/v1/openapi.json") &&
		    strcmp(routes[i].pattern, "/api/v1/calendar.ics"))
			if (routes[i].auth != AUTH_API)
				fail_msg("%s %s should need API auth", method_name(routes[i].method),
					 routes[i].pattern);
		/* Pages that change state are POSTs with a form (CSRF-checked) or an upload. */
		if (routes[i].auth == AUTH_PAGE && routes[i].method == HTTP_POST)
			assert_true(routes[i].body == BODY_FORM || routes[i].body == BODY_UPLOAD);
	}
}

/* ---- Allow header ------------------------------------------------------------ */

static void test_allowed_methods(void **state)
{
	(void)state;
	char out[128];
	route_allowed("/api/v1/applications/5", out, sizeof(out));
	assert_string_equal(out, "GET, HEAD, PATCH, DELETE");
	route_allowed("/api/v1/tokens", out, sizeof(out));
	assert_string_equal(out, "GET, HEAD, POST");
	route_allowed("/logout", out, sizeof(out));
	assert_string_equal(out, "POST");
	route_allowed("/nope", out, sizeof(out));
	assert_string_equal(out, "");
	route_allowed("/api/v1/applications/0", out, sizeof(out));
	assert_string_equal(out, "");
	/* A short buffer is cut, never overrun. */
	char tiny[8];
	route_allowed("/api/v1/applications/5", tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
	assert_true(strncmp(tiny, "GET", 3) == 0);
}

static void test_allowed_agrees_with_match(void **state)
{
	(void)state;
	/* For every route's path, a method is listed exactly when it matches. */
	static const enum http_method methods[] = { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE };
	for (size_t i = 0; i < n_routes; i++) {
		static const char *const ids[] = { "8", "9" };
		char path[256], allowed[128];
		fill_pattern(routes[i].pattern, ids, path, sizeof(path));
		route_allowed(path, allowed, sizeof(allowed));
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			const char *name = method_name(methods[m]);
			int listed = 0;
			for (const char *p = allowed; (p = strstr(p, name)) != NULL; p += strlen(name))
				if ((p == allowed || p[-1] == ' ') &&
				    (p[strlen(name)] == ',' || p[strlen(name)] == '\0'))
					listed = 1;
			int matches = match(methods[m], path).r != NULL;
			if (listed != matches)
				fail_msg("%s %s: Allow \"%s\" but route_match %s", name, path, allowed,
					 matches ? "matches" : "does not match");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_sane),
		cmocka_unit_test(test_every_route_matches_its_own_pattern),
		cmocka_unit_test(test_head_matches_get_routes),
		cmocka_unit_test(test_wrong_method_is_405),
		cmocka_unit_test(test_unknown_paths_are_404),
		cmocka_unit_test(test_id_accepts_positive_integers),
		cmocka_unit_test(test_id_rejects_non_canonical_numbers),
		cmocka_unit_test(test_literals_win_over_ids),
		cmocka_unit_test(test_auth_and_body_kinds),
		cmocka_unit_test(test_allowed_methods),
		cmocka_unit_test(test_allowed_agrees_with_match),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}

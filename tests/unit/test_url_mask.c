/* url_mask: no part of a password survives, wherever the URL hides it, and
 * everything else is shown as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/url_mask.h"

static void expect_masked(const char *url, const char *want)
{
	char out[512];
	url_mask(url, out, sizeof(out));
	if (strcmp(out, want) != 0)
		fail_msg("url_mask(%s) = %s, expected %s", url, out, want);
}

static void test_passwords_in_the_user_info_are_masked(void **state)
{
	(void)state;
	expect_masked("postgres://jt:jtpass@db.example:5432/jt", "postgres://jt:********@db.example:5432/jt");
	/* Only the first '@' before a '/' ends the user-info, as libpq reads it. */
	expect_masked("postgres://jt:p@ss@db/jt", "postgres://jt:********@ss@db/jt");
	expect_masked("postgres://jt@db/jt?user=a@b", "postgres://jt@db/jt?user=a@b");
	expect_masked("postgres://db:5432/jt", "postgres://db:5432/jt");
}

static void test_password_query_parameters_are_masked_whatever_their_spelling(void **state)
{
	(void)state;
	expect_masked("postgres:///jt1?host=/tmp/x&user=jt&password=jtpass",
		      "postgres:///jt1?host=/tmp/x&user=jt&password=********");
	expect_masked("postgres:///jt1?password=jt%ZZpass&host=/tmp/x",
		      "postgres:///jt1?password=********&host=/tmp/x");
	/* libpq decodes names too: pass%77ord is password. */
	expect_masked("postgres:///jt?pass%77ord=s3cret", "postgres:///jt?pass%77ord=********");
	expect_masked("postgres:///jt?sslpassword=k&PASSWORD=x",
		      "postgres:///jt?sslpassword=********&PASSWORD=********");
	/* A name that does not decode may be anything: masked. */
	expect_masked("postgres:///jt?pass%7=x&user=jt", "postgres:///jt?pass%7=********&user=jt");
	expect_masked("postgres://u:p@h/jt?password=q", "postgres://u:********@h/jt?password=********");
	expect_masked("sqlite:/var/lib/jobtrack/jobtrack.db", "sqlite:/var/lib/jobtrack/jobtrack.db");
}

/* Cut short, the output is a prefix of the masked URL: never a piece of a
 * password. */
static void test_a_short_buffer_never_shows_a_password(void **state)
{
	(void)state;
	const char *url = "postgres://jt:abcdefgh@db/jt?password=ijklmnop";
	for (size_t len = 1; len < 60; len++) {
		char out[64];
		memset(out, 'Z', sizeof(out));
		url_mask(url, out, len);
		assert_true(strlen(out) < len);
		assert_null(strstr(out, "abc"));
		assert_null(strstr(out, "ijk"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwords_in_the_user_info_are_masked),
		cmocka_unit_test(test_password_query_parameters_are_masked_whatever_their_spelling),
		cmocka_unit_test(test_a_short_buffer_never_shows_a_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

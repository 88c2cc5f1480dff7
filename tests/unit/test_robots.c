/* Unit tests for src/scrape/robots*: parsing robots.txt, choosing the
 * agent's groups, longest-match precedence, wildcards and "$", percent-
 * encoding, what an HTTP status means, URL splitting, and the per-host
 * cache. The matching cases are RFC 9309's examples and the ones Google
 * documents for its crawler, written out here as a specification. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "scrape/robots.h"

static struct robots *parse(const char *text)
{
	struct robots *r = NULL;
	assert_int_equal(robots_parse(text, strlen(text), &r), 0);
	assert_non_null(r);
	return r;
}

/* One expectation: agent asks for path; allowed or not, decided by the
 * rule on `line` (0: no rule decided). */
struct expect {
	const char *agent, *path;
	bool allowed;
	unsigned line;
};

static void check_all(const char *text, const struct expect *cases, size_t n)
{
	struct robots *r = parse(text);
	for (size_t i = 0; i < n; i++) {
		struct robots_decision d;
		assert_int_equal(robots_check(r, cases[i].agent, cases[i].path, &d), 0);
		if (d.allowed != cases[i].allowed || d.line != cases[i].line)
			fail_msg("%s %s: expected %s by line %u, got %s by line %u (%s)", cases[i].agent, cases[i].path,
				 cases[i].allowed ? "allowed" : "disallowed", cases[i].line,
				 d.allowed ? "allowed" : "disallowed", d.line, robots_reason_name(d.reason));
		assert_true((d.reason == ROBOTS_RULE) == (d.line != 0));
		assert_true((d.rule != NULL) == (d.line != 0));
	}
	robots_release(r);
}

#define CHECK_ALL(text, cases) check_all(text, cases, sizeof(cases) / sizeof(cases[0]))

static struct robots_decision decide(const char *text, const char *agent, const char *path)
{
	struct robots *r = parse(text);
	struct robots_decision d;
	assert_int_equal(robots_check(r, agent, path, &d), 0);
	/* The strings of d live in r: keep r alive for the test's lifetime by
	 * leaking nothing — copy what the tests look at into statics. */
	static char rule[256], group[256];
	snprintf(rule, sizeof(rule), "%s", d.rule ? d.rule : "");
	snprintf(group, sizeof(group), "%s", d.group ? d.group : "");
	d.rule = d.rule ? rule : NULL;
	d.group = d.group ? group : NULL;
	robots_release(r);
	return d;
}

/* ---- RFC 9309 ------------------------------------------------------------ */

static const char rfc_simple[] = "User-Agent: *\n"
				 "Disallow: *.gif$\n"
				 "Disallow: /example/\n"
				 "Allow: /publications/\n"
				 "\n"
				 "User-Agent: foobot\n"
				 "Disallow:/\n"
				 "Allow:/example/page.html\n"
				 "Allow:/example/allowed.gif\n"
				 "\n"
				 "User-Agent: barbot\n"
				 "User-Agent: bazbot\n"
				 "Disallow: /example/page.html\n"
				 "\n"
				 "User-Agent: quxbot\n"
				 "\n"
				 "EOF\n";

/* RFC 9309 §5.1. */
static void test_rfc_simple_example(void **state)
{
	(void)state;
	static const struct expect cases[] = {
		/* foobot may fetch page.html and allowed.gif, nothing else */
		{ "foobot", "/example/page.html", true, 8 },
		{ "foobot", "/example/allowed.gif", true, 9 },
		{ "foobot", "/example/other.html", false, 7 },
		{ "foobot", "/publications/x", false, 7 },
		{ "foobot", "/", false, 7 },
		/* barbot and bazbot share one group: only page.html is off limits */
		{ "barbot", "/example/page.html", false, 13 },
		{ "bazbot", "/example/page.html", false, 13 },
		{ "barbot", "/example/other.html", true, 0 },
		{ "bazbot", "/picture.gif", true, 0 },
		/* quxbot's group is empty: everything is allowed, * does not apply */
		{ "quxbot", "/example/page.html", true, 0 },
		{ "quxbot", "/picture.gif", true, 0 },
		/* everyone else follows * */
		{ "otherbot", "/picture.gif", false, 2 },
		{ "otherbot", "/picture.gif?x=1", true, 0 }, /* $ ends the match: the query is part of the path */
		{ "otherbot", "/example/", false, 3 },
		{ "otherbot", "/example/page.html", false, 3 },
		{ "otherbot", "/publications/2024", true, 4 },
		{ "otherbot", "/elsewhere", true, 0 },
	};
	CHECK_ALL(rfc_simple, cases);
}

/* RFC 9309 §5.2: the longest match wins, whatever the order. */
static void test_rfc_longest_match(void **state)
{
	(void)state;
	static const struct expect cases[] = {
		{ "foobot", "/example/page/", true, 2 },
		{ "foobot", "/example/page/disallowed.gif", false, 3 },
		{ "foobot", "/example/page/allowed.gif", true, 2 },
	};
	CHECK_ALL("User-Agent: foobot\n"
		  "Allow: /example/page/\n"
		  "Disallow: /example/page/disallowed.gif\n",
		  cases);
	static const struct expect reversed[] = {
		{ "foobot", "/example/page/", true, 3 },
		{ "foobot", "/example/page/disallowed.gif", false, 2 },
	};
	CHECK_ALL("User-Agent: foobot\n"
		  "Disallow: /example/page/disallowed.gif\n"
		  "Allow: /example/page/\n",
		  reversed);
}

/* RFC 9309 §2.2.1: groups for the same agent are combined. */
static void test_rfc_groups_for_one_agent_merge(void **state)
{
	(void)state;
	static const struct expect cases[] = {
		{ "ExampleBot", "/foo", false, 2 },
		{ "ExampleBot", "/bar", false, 3 },
		{ "examplebot", "/baz", false, 6 },
		{ "ExampleBot", "/qux", true, 0 },
	};
	CHECK_ALL("user-agent: ExampleBot\n"
		  "disallow: /foo\n"
		  "disallow: /bar\n"
		  "\n"
		  "user-agent: ExampleBot\n"
		  "disallow: /baz\n",
		  cases);
}

/* ---- Google's documented path matching --------------------------------- */

/* pattern must match every path in yes and none in no. */
static void check_pattern(const char *pattern, const char *const *yes, const char *const *no)
{
	char text[256];
	snprintf(text, sizeof(text), "User-agent: *\nDisallow: %s\n", pattern);
	struct robots *r = parse(text);
	for (; *yes; yes++) {
		struct robots_decision d;
		assert_int_equal(robots_check(r, "jobtrack", *yes, &d), 0);
		if (d.allowed || d.line != 2)
			fail_msg("pattern %s should match %s", pattern, *yes);
	}
	for (; *no; no++) {
		struct robots_decision d;
		assert_int_equal(robots_check(r, "jobtrack", *no, &d), 0);
		if (!d.allowed || d.reason != ROBOTS_NO_RULE)
			fail_msg("pattern %s should not match %s", pattern, *no);
	}
	robots_release(r);
}

#define PATHS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_google_path_examples(void **state)
{
	(void)state;
	check_pattern("/", PATHS("/", "/any", "/any/thing?x=1"), PATHS(NULL));
	check_pattern("/*", PATHS("/", "/any", "/any/thing?x=1"), PATHS(NULL));
	check_pattern("/$", PATHS("/"), PATHS("/page.htm", "/?x=1"));
	check_pattern("/fish",
		      PATHS("/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
			    "/fish.php?id=anything"),
		      PATHS("/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"));
	check_pattern("/fish*",
		      PATHS("/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
			    "/fish.php?id=anything"),
		      PATHS("/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"));
	check_pattern("/fish/", PATHS("/fish/", "/fish/?id=anything", "/fish/salmon.htm"),
		      PATHS("/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp"));
	check_pattern("/*.php",
		      PATHS("/index.php", "/filename.php", "/folder/filename.php", "/folder/filename.php?parameters",
			    "/folder/any.php.file.html", "/filename.php/"),
		      PATHS("/", "/windows.PHP"));
	check_pattern("/*.php$", PATHS("/filename.php", "/folder/filename.php"),
		      PATHS("/filename.php?parameters", "/filename.php/", "/filename.php5", "/windows.PHP"));
	check_pattern("/fish*.php", PATHS("/fish.php", "/fishheads/catfish.php?parameters"), PATHS("/Fish.PHP"));
	/* more than one wildcard, wildcards that must backtrack, and $ after * */
	check_pattern("/a*b*c", PATHS("/abc", "/aXbYc", "/abbbc/d", "/a/b/b/c"), PATHS("/ab", "/acb", "/bc"));
	check_pattern("/*a*$", PATHS("/a", "/xxa", "/axx"), PATHS("/b", "/"));
	check_pattern("/x**y$", PATHS("/xy", "/x--y"), PATHS("/xy/", "/x"));
	check_pattern("*.gif$", PATHS("/a.gif", "/b/c.gif"), PATHS("/a.gifx", "/a.gif?x"));
	/* a $ inside a pattern is a plain character */
	check_pattern("/a$b", PATHS("/a$b", "/a$bc"), PATHS("/a", "/ab"));
	/* the query is part of what is matched */
	check_pattern("/*?sessionid=", PATHS("/page?sessionid=1", "/a/b?sessionid="), PATHS("/page?x=1&sessionid=1"));
	check_pattern("/*sessionid=", PATHS("/page?x=1&sessionid=1"), PATHS("/page"));
	/* a pattern without its leading slash is still a path */
	check_pattern("private", PATHS("/private", "/private/x"), PATHS("/x/private"));
}

/* The reference the matcher is held to: plain dynamic programming over
 * pattern × path, written for clarity, not speed. */
static bool reference_match(const char *pat, const char *path)
{
	size_t pn = strlen(pat), sn = strlen(path);
	bool anchored = pn && pat[pn - 1] == '$';
	if (anchored)
		pn--;
	/* ok[j]: pat[0..i) can match path[0..j) */
	bool ok[64] = { true }, next[64];
	for (size_t i = 0; i < pn; i++) {
		for (size_t j = 0; j <= sn; j++)
			next[j] = pat[i] == '*' ? ok[j] || (j && next[j - 1]) : j && ok[j - 1] && pat[i] == path[j - 1];
		memcpy(ok, next, sizeof(ok));
	}
	if (anchored)
		return ok[sn];
	for (size_t j = 0; j <= sn; j++)
		if (ok[j])
			return true;
	return false;
}

static void test_wildcards_agree_with_a_reference(void **state)
{
	(void)state;
	unsigned seed = 12345;
	for (int round = 0; round < 5000; round++) {
		char pat[24] = "/", path[40] = "/";
		size_t pn = 1 + (size_t)(rand_r(&seed) % 12), sn = 1 + (size_t)(rand_r(&seed) % 30);
		for (size_t i = 1; i < pn; i++)
			pat[i] = "ab/**"[rand_r(&seed) % 5];
		pat[pn] = '\0';
		if (rand_r(&seed) % 3 == 0)
			pat[pn] = '$', pat[pn + 1] = '\0';
		for (size_t i = 1; i < sn; i++)
			path[i] = "ab/"[rand_r(&seed) % 3];
		path[sn] = '\0';
		char text[64];
		snprintf(text, sizeof(text), "User-agent: *\nDisallow: %s\n", pat);
		struct robots *r = parse(text);
		struct robots_decision d;
		assert_int_equal(robots_check(r, "x", path, &d), 0);
		if (d.allowed == reference_match(pat, path))
			fail_msg("pattern %s, path %s: matcher says %s", pat, path, d.allowed ? "no match" : "match");
		robots_release(r);
	}
}

/* A hostile file cannot make a check slow: long pieces after a star against
 * a long path that almost matches them everywhere. */
static void test_wildcards_stay_linear(void **state)
{
	(void)state;
	struct buf text;
	buf_init(&text, ROBOTS_MAX_BYTES);
	buf_puts(&text, "User-agent: *\n");
	while (text.len < ROBOTS_MAX_BYTES - 2000) {
		/* a long piece after a star that matches everywhere but at its end */
		buf_puts(&text, "Disallow: /*");
		for (int i = 0; i < 300; i++)
			buf_putc(&text, 'a');
		buf_puts(&text, "b\n");
	}
	assert_int_equal(buf_failed(&text), 0);
	struct robots *r;
	assert_int_equal(robots_parse(text.data, text.len, &r), 0);
	char *path = malloc(ROBOTS_PATH_MAX + 1);
	path[0] = '/';
	memset(path + 1, 'a', ROBOTS_PATH_MAX - 1);
	path[ROBOTS_PATH_MAX] = '\0';
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct robots_decision d;
	assert_int_equal(robots_check(r, "x", path, &d), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(d.allowed);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (ms > 2000)
		fail_msg("one check took %.0f ms", ms);
	free(path);
	robots_release(r);
	buf_free(&text);
}

/* Google's order-of-precedence table. */
static void test_google_precedence(void **state)
{
	(void)state;
	static const struct expect longer_allow[] = { { "x", "/page", true, 2 } };
	CHECK_ALL("user-agent: *\nallow: /p\ndisallow: /\n", longer_allow);
	static const struct expect tie[] = { { "x", "/folder/page", true, 2 } };
	CHECK_ALL("user-agent: *\nallow: /folder\ndisallow: /folder\n", tie);
	static const struct expect tie_reversed[] = { { "x", "/folder/page", true, 3 } };
	CHECK_ALL("user-agent: *\ndisallow: /folder\nallow: /folder\n", tie_reversed);
	static const struct expect wildcard_longer[] = { { "x", "/page.htm", false, 3 } };
	CHECK_ALL("user-agent: *\nallow: /page\ndisallow: /*.htm\n", wildcard_longer);
	static const struct expect wildcard_tie[] = { { "x", "/page.php5", true, 2 } };
	CHECK_ALL("user-agent: *\nallow: /page\ndisallow: /*.ph\n", wildcard_tie);
	static const struct expect root_only[] = { { "x", "/", true, 2 }, { "x", "/page.htm", false, 3 } };
	CHECK_ALL("user-agent: *\nallow: /$\ndisallow: /\n", root_only);
}

/* ---- agents -------------------------------------------------------------- */

static void test_agent_selection(void **state)
{
	(void)state;
	static const char text[] = "User-agent: *\n"
				   "Disallow: /\n"
				   "\n"
				   "User-agent: JobTrack\n"
				   "Disallow: /private\n"
				   "\n"
				   "User-agent: Googlebot/2.1 (its version is not part of the token)\n"
				   "Disallow: /g\n"
				   "\n"
				   "User-agent: foobot-news\n"
				   "Disallow: /news\n";
	static const struct expect cases[] = {
		/* case-insensitive; a whole User-Agent string counts by its product token */
		{ "jobtrack", "/jobs", true, 0 },
		{ "JOBTRACK", "/private/x", false, 5 },
		{ "jobtrack/0.1 (+https://example.com/bot)", "/private", false, 5 },
		{ "  jobtrack", "/private", false, 5 },
		/* the file's value is cut to its token too */
		{ "googlebot", "/g", false, 8 },
		{ "Googlebot/2.1", "/jobs", true, 0 },
		/* tokens compare whole: foobot is not foobot-news, nor the reverse */
		{ "foobot", "/news", false, 2 },
		{ "foobot-news", "/news", false, 11 },
		{ "foobot-news", "/other", true, 0 },
		{ "jobtrackX", "/jobs", false, 2 },
		/* no token at all: only * applies */
		{ "", "/jobs", false, 2 },
		{ "*", "/jobs", false, 2 },
		{ "123bot", "/jobs", false, 2 },
	};
	CHECK_ALL(text, cases);

	struct robots_decision d = decide(text, "jobtrack/1.0", "/private");
	assert_int_equal(d.reason, ROBOTS_RULE);
	assert_string_equal(d.group, "JobTrack");
	assert_string_equal(d.rule, "Disallow: /private");
	d = decide(text, "otherbot", "/x");
	assert_string_equal(d.group, "*");
	d = decide(text, "jobtrack", "/x");
	assert_int_equal(d.reason, ROBOTS_NO_RULE);
	assert_string_equal(d.group, "JobTrack");
}

static void test_no_group_and_no_star(void **state)
{
	(void)state;
	struct robots_decision d = decide("User-agent: foobot\nDisallow: /\n", "jobtrack", "/x");
	assert_true(d.allowed);
	assert_int_equal(d.reason, ROBOTS_NO_GROUP);
	assert_null(d.group);
	d = decide("", "jobtrack", "/x");
	assert_true(d.allowed);
	assert_int_equal(d.reason, ROBOTS_NO_GROUP);
	/* rules before any user-agent line belong to no group */
	d = decide("Disallow: /\nAllow: /x\n", "jobtrack", "/");
	assert_int_equal(d.reason, ROBOTS_NO_GROUP);
}

/* Several user-agent lines share the rules after them; a user-agent line
 * after a rule starts a new group; blank lines, sitemap, crawl-delay and
 * unknown lines do neither. */
static void test_group_boundaries(void **state)
{
	(void)state;
	static const struct expect cases[] = {
		{ "a", "/x", false, 5 }, { "b", "/x", false, 5 }, { "c", "/x", false, 5 },
		{ "d", "/y", false, 8 }, { "d", "/x", true, 0 },  { "a", "/y", true, 0 },
	};
	CHECK_ALL("User-agent: a\n"
		  "\n"
		  "User-agent: b\n"
		  "User-agent: c\n"
		  "Disallow: /x\n"
		  "User-agent: d\n"
		  "Sitemap: https://example.com/s.xml\n"
		  "Disallow: /y\n",
		  cases);
	static const struct expect delay[] = {
		{ "a", "/x", false, 6 },
		{ "b", "/x", false, 6 },
		{ "c", "/x", false, 6 },
	};
	CHECK_ALL("User-agent: a\n"
		  "Crawl-delay: 5\n"
		  "User-agent: b\n"
		  "Unknown-field: whatever\n"
		  "User-agent: c\n"
		  "Disallow: /x\n",
		  delay);
}

/* ---- percent-encoding ------------------------------------------------------ */

static void test_percent_encoding(void **state)
{
	(void)state;
	/* RFC 9309 §2.2.2's table: non-ASCII is compared encoded, unreserved
	 * characters decoded, hex case does not matter. */
	check_pattern("/foo/bar?baz=quz", PATHS("/foo/bar?baz=quz"), PATHS("/foo/bar?baz=qux"));
	check_pattern("/foo/bar/\xe3\x83\x84",
		      PATHS("/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84", "/foo/bar/\xe3\x83\x84"),
		      PATHS("/foo/bar/%E3%83"));
	check_pattern("/foo/bar/%E3%83%84", PATHS("/foo/bar/\xe3\x83\x84", "/foo/bar/%e3%83%84"), PATHS("/foo/bar/"));
	check_pattern("/foo/bar/%62%61%7A", PATHS("/foo/bar/baz", "/foo/bar/%62az"), PATHS("/foo/bar/ba"));
	check_pattern("/foo/bar/baz", PATHS("/foo/bar/%62%61%7a"), PATHS("/foo/bar/%2562az"));
	/* reserved characters stay encoded: %2F is not a path separator */
	check_pattern("/a%2fb", PATHS("/a%2Fb", "/a%2fb/c"), PATHS("/a/b"));
	check_pattern("/a/b", PATHS("/a/b"), PATHS("/a%2Fb"));
	check_pattern("/%7Euser", PATHS("/~user", "/%7euser/x"), PATHS("/user"));
	/* a space, a lone % and a bad escape are compared encoded */
	check_pattern("/a b", PATHS("/a%20b", "/a b"), PATHS("/ab"));
	check_pattern("/100%", PATHS("/100%", "/100%25"), PATHS("/100"));
	check_pattern("/%zz", PATHS("/%25zz"), PATHS("/zz"));
	/* the longest match counts normalised octets */
	static const struct expect cases[] = { { "x", "/abc", true, 2 } };
	CHECK_ALL("user-agent: *\nallow: /%61bc\ndisallow: /ab\n", cases);
}

/* ---- the special cases ------------------------------------------------------ */

static void test_empty_disallow_allows_all(void **state)
{
	(void)state;
	struct robots_decision d = decide("User-agent: *\nDisallow:\n", "jobtrack", "/anything");
	assert_true(d.allowed);
	assert_int_equal(d.reason, ROBOTS_NO_RULE);
	/* an empty Disallow still ends the group's user-agent lines */
	static const struct expect cases[] = { { "a", "/x", true, 0 }, { "b", "/x", false, 4 } };
	CHECK_ALL("User-agent: a\nDisallow:\nUser-agent: b\nDisallow: /x\n", cases);
}

static void test_robots_txt_always_allowed(void **state)
{
	(void)state;
	struct robots_decision d = decide("User-agent: *\nDisallow: /\n", "jobtrack", "/robots.txt");
	assert_true(d.allowed);
	assert_int_equal(d.reason, ROBOTS_SELF);
	d = decide("User-agent: *\nDisallow: /\n", "jobtrack", "/robots.txt?x=1");
	assert_int_equal(d.reason, ROBOTS_SELF);
	d = decide("User-agent: *\nDisallow: /\n", "jobtrack", "/robots.txt.bak");
	assert_false(d.allowed);
	struct robots *r;
	assert_int_equal(robots_from_response(503, NULL, 0, &r), 0);
	assert_int_equal(robots_check(r, "jobtrack", "/robots.txt", &d), 0);
	assert_true(d.allowed);
	robots_release(r);
}

static void test_paths_given_loosely(void **state)
{
	(void)state;
	static const char text[] = "User-agent: *\nDisallow: /$\nDisallow: /a\n";
	struct robots_decision d = decide(text, "x", "");
	assert_false(d.allowed); /* "" is "/" */
	d = decide(text, "x", "a/b");
	assert_false(d.allowed); /* "a/b" is "/a/b" */
	d = decide(text, "x", "/b#/a");
	assert_true(d.allowed); /* the fragment is not sent, so not matched */
	struct robots *r = parse(text);
	char *longest = malloc(ROBOTS_PATH_MAX + 2);
	memset(longest, 'a', ROBOTS_PATH_MAX + 1);
	longest[0] = '/';
	longest[ROBOTS_PATH_MAX + 1] = '\0';
	assert_int_equal(robots_check(r, "x", longest, &d), -EINVAL);
	longest[ROBOTS_PATH_MAX] = '\0';
	assert_int_equal(robots_check(r, "x", longest, &d), 0);
	assert_false(d.allowed);
	free(longest);
	robots_release(r);
}

/* ---- what the fetch's status means ----------------------------------------- */

static void test_status_rules(void **state)
{
	(void)state;
	static const struct {
		int status;
		bool allowed;
		enum robots_reason reason;
	} cases[] = {
		{ 200, false, ROBOTS_RULE },        { 203, false, ROBOTS_RULE },
		{ 404, true, ROBOTS_UNAVAILABLE },  { 410, true, ROBOTS_UNAVAILABLE },
		{ 401, true, ROBOTS_UNAVAILABLE },  { 403, true, ROBOTS_UNAVAILABLE },
		{ 301, true, ROBOTS_UNAVAILABLE }, /* a redirect still unresolved after five hops */
		{ 429, false, ROBOTS_UNREACHABLE }, { 500, false, ROBOTS_UNREACHABLE },
		{ 503, false, ROBOTS_UNREACHABLE }, { 0, false, ROBOTS_UNREACHABLE },
		{ 100, false, ROBOTS_UNREACHABLE }, { 999, false, ROBOTS_UNREACHABLE },
	};
	static const char body[] = "User-agent: *\nDisallow: /private\n";
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct robots *r;
		assert_int_equal(robots_from_response(cases[i].status, body, strlen(body), &r), 0);
		struct robots_decision d;
		assert_int_equal(robots_check(r, "jobtrack", "/private/x", &d), 0);
		if (d.allowed != cases[i].allowed || d.reason != cases[i].reason)
			fail_msg("status %d: got %s", cases[i].status, robots_reason_name(d.reason));
		assert_int_equal(robots_http_status(r), cases[i].status);
		assert_int_equal(robots_unreachable(r), cases[i].reason == ROBOTS_UNREACHABLE);
		robots_release(r);
	}
}

/* ---- malformed and odd files ------------------------------------------------ */

static void test_tolerant_parsing(void **state)
{
	(void)state;
	/* BOM, CRLF, comments, no space after the colon, no colon at all,
	 * odd case, misspelt keys, spaces around the colon, tabs */
	static const struct expect crlf[] = {
		{ "a", "/x", false, 2 }, { "a", "/y", false, 3 }, { "a", "/z", false, 4 }, { "a", "/w", false, 5 },
		{ "a", "/v", false, 6 }, { "a", "/ok", true, 8 }, { "a", "/u", false, 9 }, { "a", "/c", true, 0 },
	};
	CHECK_ALL("\xEF\xBB\xBFUser-agent: a # the only group\r\n"
		  "Disallow:/x\r\n"
		  "disallow /y\r\n"
		  "DISALLOW : /z\r\n"
		  "Dissallow: /w\r\n"
		  "\tDisallow:\t/v\t# tabs\r\n"
		  "# a comment line\r\n"
		  "Allow: /ok\r\n"
		  "Disallow: /u#/c\r\n",
		  crlf);
	/* old Mac line ends (CR alone), and a mix */
	static const struct expect cr[] = { { "b", "/x", false, 2 }, { "b", "/y", false, 3 }, { "b", "/z", false, 5 } };
	CHECK_ALL("useragent: b\rDisallow: /x\rDisallow: /y\r\n\nDisallow: /z", cr);
	/* unknown lines, lines without a value, garbage and NUL bytes are skipped */
	static const char junk[] = "<html><body>Not a robots.txt</body></html>\n"
				   "User-agent: *\n"
				   "Noindex: /x\n"
				   "Disallow: /a\0b\n"
				   ":::\n"
				   "just words\n"
				   "\xff\xfe\x80\n"
				   "Host: example.com\n"
				   "Disallow: /c\n";
	struct robots *r;
	assert_int_equal(robots_parse(junk, sizeof(junk) - 1, &r), 0);
	struct robots_decision d;
	assert_int_equal(robots_check(r, "x", "/x", &d), 0);
	assert_true(d.allowed);
	assert_int_equal(robots_check(r, "x", "/c", &d), 0);
	assert_false(d.allowed);
	assert_int_equal(d.line, 9);
	assert_int_equal(robots_check(r, "x", "/a%00b", &d), 0); /* the NUL is compared encoded */
	assert_false(d.allowed);
	assert_int_equal(d.line, 4);
	robots_release(r);
	/* an HTML page served as robots.txt says nothing */
	d = decide("<!doctype html><html><p>Disallow: /</p></html>", "x", "/");
	assert_true(d.allowed);
}

static void test_long_files_are_cut_at_a_line(void **state)
{
	(void)state;
	size_t size = ROBOTS_MAX_BYTES + 4096;
	char *body = malloc(size);
	static const char head[] = "User-agent: *\nDisallow: /early\n";
	memcpy(body, head, sizeof(head) - 1);
	memset(body + sizeof(head) - 1, '\n', size - (sizeof(head) - 1));
	/* a line that the cut falls in: read alone it would allow everything */
	static const char cut[] = "Allow: /public-only\n";
	memcpy(body + ROBOTS_MAX_BYTES - 8, cut, sizeof(cut) - 1);
	static const char late[] = "Disallow: /late\n";
	memcpy(body + size - sizeof(late), late, sizeof(late) - 1);
	struct robots *r;
	assert_int_equal(robots_parse(body, size, &r), 0);
	assert_true(robots_truncated(r));
	struct robots_decision d;
	assert_int_equal(robots_check(r, "x", "/early", &d), 0);
	assert_false(d.allowed);
	assert_int_equal(robots_check(r, "x", "/late", &d), 0);
	assert_true(d.allowed); /* past the limit: not read */
	assert_int_equal(robots_check(r, "x", "/public", &d), 0);
	assert_int_equal(d.reason, ROBOTS_NO_RULE); /* the cut line is dropped, not read as "Allow: /pub" */
	robots_release(r);
	/* a line that ends exactly at the limit is kept */
	memset(body + sizeof(head) - 1, '\n', size - (sizeof(head) - 1));
	memcpy(body + ROBOTS_MAX_BYTES - 13, "Allow: /early", 13);
	assert_int_equal(robots_parse(body, size, &r), 0);
	assert_int_equal(robots_check(r, "x", "/early", &d), 0);
	assert_true(d.allowed); /* the tie goes to Allow */
	robots_release(r);
	/* exactly the limit is not a cut */
	assert_int_equal(robots_parse(body, ROBOTS_MAX_BYTES, &r), 0);
	assert_false(robots_truncated(r));
	robots_release(r);
	free(body);
}

static void test_sitemaps_and_crawl_delay(void **state)
{
	(void)state;
	struct robots *r = parse("Sitemap: https://example.com/a.xml\n"
				 "User-agent: *\n"
				 "Crawl-delay: 2\n"
				 "Disallow: /x\n"
				 "site-map: https://example.com/b.xml # a second one\n"
				 "User-agent: slowbot\n"
				 "Crawl-delay: 1.5\n"
				 "Disallow: /a\n"
				 "User-agent: slowbot\n"
				 "Crawl-delay: 10\n"
				 "Disallow: /b\n"
				 "User-agent: badbot\n"
				 "Crawl-delay: soon\n"
				 "Disallow: /c\n"
				 "Sitemap:\n");
	assert_int_equal(robots_sitemap_count(r), 2);
	assert_string_equal(robots_sitemap(r, 0), "https://example.com/a.xml");
	assert_string_equal(robots_sitemap(r, 1), "https://example.com/b.xml");
	assert_null(robots_sitemap(r, 2));
	double s = 0;
	assert_int_equal(robots_crawl_delay(r, "jobtrack", &s), 0);
	assert_true(s == 2);
	assert_int_equal(robots_crawl_delay(r, "slowbot", &s), 0);
	assert_true(s == 10); /* the largest of the merged groups */
	assert_int_equal(robots_crawl_delay(r, "badbot", &s), -ENOENT);
	robots_release(r);
	r = parse("User-agent: *\nDisallow: /\n");
	assert_int_equal(robots_crawl_delay(r, "x", &s), -ENOENT);
	assert_int_equal(robots_sitemap_count(r), 0);
	robots_release(r);
	/* a NUL ends a sitemap URL; one that is empty before it is no URL (found by fuzzing) */
	static const char nul[] = "Sitemap: \0https://example.com/x.xml\nSitemap: https://example.com/y.xml\0z\n";
	assert_int_equal(robots_parse(nul, sizeof(nul) - 1, &r), 0);
	assert_int_equal(robots_sitemap_count(r), 1);
	assert_string_equal(robots_sitemap(r, 0), "https://example.com/y.xml");
	robots_release(r);
}

static void test_references(void **state)
{
	(void)state;
	struct robots *r = parse("User-agent: *\nDisallow: /a\n");
	assert_ptr_equal(robots_retain(r), r);
	robots_release(r);
	struct robots_decision d;
	assert_int_equal(robots_check(r, "x", "/a", &d), 0); /* still alive: one reference left */
	assert_string_equal(d.rule, "Disallow: /a");
	robots_release(r);
	robots_release(NULL);
}

/* ---- URLs ------------------------------------------------------------------- */

static void test_url_split(void **state)
{
	(void)state;
	static const struct {
		const char *url, *origin, *path;
	} good[] = {
		{ "https://Example.COM/Jobs/?Page=2#top", "https://example.com", "/Jobs/?Page=2" },
		{ "http://example.com", "http://example.com", "/" },
		{ "http://example.com?x=1", "http://example.com", "/?x=1" },
		{ "HTTP://example.com:80/a", "http://example.com", "/a" },
		{ "https://example.com:443/a", "https://example.com", "/a" },
		{ "https://example.com:8443/a", "https://example.com:8443", "/a" },
		{ "http://user:pw@example.com:8080/a", "http://example.com:8080", "/a" },
		{ "http://[::1]:8080/robots.txt", "http://[::1]:8080", "/robots.txt" },
		{ "http://127.0.0.1:/x", "http://127.0.0.1", "/x" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char origin[128], path[128];
		if (robots_url_split(good[i].url, origin, sizeof(origin), path, sizeof(path)))
			fail_msg("refused %s", good[i].url);
		assert_string_equal(origin, good[i].origin);
		assert_string_equal(path, good[i].path);
	}
	static const char *const bad[] = {
		"ftp://example.com/", "example.com/x",      "http://",        "http:///x",
		"http://a b/",        "http://host:99999/", "http://host:0/", "http://host:x/",
		"http://[::1/",       "http://[::1]x/",     "mailto:a@b",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char origin[128], path[128];
		if (robots_url_split(bad[i], origin, sizeof(origin), path, sizeof(path)) != -EINVAL)
			fail_msg("accepted %s", bad[i]);
	}
	char small[8], path[128];
	assert_int_equal(robots_url_split("https://example.com/", small, sizeof(small), path, sizeof(path)), -E2BIG);
}

/* ---- the cache -------------------------------------------------------------- */

struct fake_host {
	pthread_mutex_t lock;
	int status; /* what the next fetch answers */
	const char *body;
	int fetches; /* how many fetches ran */
	int in_flight, max_in_flight;
	useconds_t delay; /* each fetch takes this long */
	char last_url[256];
	char last_proxy[64]; /* "(none)" for NULL */
	time_t now;
};

static int fake_fetch(void *ctx, const char *robots_url, const char *proxy, struct buf *body, int *http_status)
{
	struct fake_host *h = ctx;
	pthread_mutex_lock(&h->lock);
	h->fetches++;
	h->in_flight++;
	if (h->in_flight > h->max_in_flight)
		h->max_in_flight = h->in_flight;
	snprintf(h->last_url, sizeof(h->last_url), "%s", robots_url);
	snprintf(h->last_proxy, sizeof(h->last_proxy), "%s", proxy ? proxy : "(none)");
	int status = h->status;
	const char *text = h->body;
	pthread_mutex_unlock(&h->lock);
	if (h->delay)
		usleep(h->delay);
	if (text)
		buf_puts(body, text);
	*http_status = status;
	pthread_mutex_lock(&h->lock);
	h->in_flight--;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

static time_t fake_now(void *ctx)
{
	return ((struct fake_host *)ctx)->now;
}

static struct robots_cache *fake_cache(struct fake_host *h, size_t max_entries)
{
	pthread_mutex_init(&h->lock, NULL);
	struct robots_cache_options opt = {
		.max_entries = max_entries, .fetch = fake_fetch, .fetch_ctx = h, .now = fake_now, .now_ctx = h
	};
	struct robots_cache *c;
	assert_int_equal(robots_cache_new(&opt, &c), 0);
	return c;
}

static void test_cache_keeps_an_answer_for_a_day(void **state)
{
	(void)state;
	struct fake_host h = { .status = 200, .body = "User-agent: *\nDisallow: /private\n", .now = 1000000 };
	struct robots_cache *c = fake_cache(&h, 0);
	assert_int_equal(robots_cache_allows(c, "https://Example.com/private/x", "jobtrack"), 0);
	assert_string_equal(h.last_url, "https://example.com/robots.txt");
	assert_int_equal(robots_cache_allows(c, "https://example.com/public", "jobtrack"), 1);
	assert_int_equal(robots_cache_allows(c, "https://example.com:443/private", "jobtrack"), 0);
	assert_int_equal(h.fetches, 1);
	h.now += 24 * 3600 - 1;
	assert_int_equal(robots_cache_allows(c, "https://example.com/private", "jobtrack"), 0);
	assert_int_equal(h.fetches, 1);
	h.body = "User-agent: *\nDisallow:\n";
	h.now += 1; /* a day has passed: asked again, and the new answer holds */
	assert_int_equal(robots_cache_allows(c, "https://example.com/private", "jobtrack"), 1);
	assert_int_equal(h.fetches, 2);
	/* another port is another host */
	assert_int_equal(robots_cache_allows(c, "https://example.com:8443/private", "jobtrack"), 1);
	assert_int_equal(h.fetches, 3);
	assert_int_equal(robots_cache_size(c), 2);
	assert_int_equal(robots_cache_allows(c, "ftp://example.com/", "jobtrack"), -EINVAL);
	robots_cache_free(c);
	pthread_mutex_destroy(&h.lock);
}

/* A source behind a proxy asks through it: a host may answer its proxy
 * otherwise (or only it), so each proxy has its own answer. */
static void test_cache_asks_through_the_requests_proxy(void **state)
{
	(void)state;
	struct fake_host h = { .status = 200, .body = "User-agent: *\nDisallow: /x\n", .now = 1000 };
	struct robots_cache *c = fake_cache(&h, 0);
	assert_int_equal(robots_cache_allows_via(c, "http://a.test/x", "jobtrack", "http://127.0.0.1:3128"), 0);
	assert_string_equal(h.last_proxy, "http://127.0.0.1:3128");
	assert_int_equal(h.fetches, 1);
	h.body = "User-agent: *\nDisallow:\n";
	assert_int_equal(robots_cache_allows_via(c, "http://a.test/x", "jobtrack", "socks5h://127.0.0.1:1080"), 1);
	assert_string_equal(h.last_proxy, "socks5h://127.0.0.1:1080");
	assert_int_equal(robots_cache_allows(c, "http://a.test/x", "jobtrack"), 1);
	assert_string_equal(h.last_proxy, "(none)");
	assert_int_equal(h.fetches, 3);
	/* each answer is kept under its own proxy */
	assert_int_equal(robots_cache_allows_via(c, "http://a.test/y/x", "jobtrack", "http://127.0.0.1:3128"), 1);
	assert_int_equal(robots_cache_allows_via(c, "http://a.test/x", "jobtrack", "http://127.0.0.1:3128"), 0);
	assert_int_equal(h.fetches, 3);
	assert_int_equal(robots_cache_size(c), 3);
	robots_cache_free(c);
	pthread_mutex_destroy(&h.lock);
}

static void test_cache_status_rules_and_stale_copy(void **state)
{
	(void)state;
	struct fake_host h = { .status = 404, .now = 1000 };
	struct robots_cache *c = fake_cache(&h, 0);
	assert_int_equal(robots_cache_allows(c, "http://a.test/x", "jobtrack"), 1); /* 404: all allowed */
	h.status = 503;
	assert_int_equal(robots_cache_allows(c, "http://b.test/x", "jobtrack"), 0); /* 503: all disallowed */
	/* an unreachable answer is asked again after the error TTL, not a day */
	h.status = 200;
	h.body = "User-agent: *\nDisallow: /x\n";
	h.now += 599;
	assert_int_equal(robots_cache_allows(c, "http://b.test/y", "jobtrack"), 0);
	h.now += 1;
	assert_int_equal(robots_cache_allows(c, "http://b.test/y", "jobtrack"), 1);
	assert_int_equal(robots_cache_allows(c, "http://b.test/x", "jobtrack"), 0);
	/* when the host then fails, its last robots.txt still stands in */
	h.status = 500;
	h.now += 24 * 3600;
	int before = h.fetches;
	assert_int_equal(robots_cache_allows(c, "http://b.test/y", "jobtrack"), 1);
	assert_int_equal(h.fetches, before + 1);
	assert_int_equal(robots_cache_allows(c, "http://b.test/x", "jobtrack"), 0);
	assert_int_equal(h.fetches, before + 1); /* and is not asked again until the error TTL passes */
	/* but not for ever: after 30 days unreachable means disallow */
	h.now += 31L * 24 * 3600;
	assert_int_equal(robots_cache_allows(c, "http://b.test/y", "jobtrack"), 0);
	robots_cache_free(c);
	pthread_mutex_destroy(&h.lock);
}

static void test_cache_is_bounded(void **state)
{
	(void)state;
	struct fake_host h = { .status = 200, .body = "User-agent: *\nDisallow: /x\n", .now = 1000 };
	struct robots_cache *c = fake_cache(&h, 4);
	char url[64];
	for (int i = 0; i < 20; i++) {
		snprintf(url, sizeof(url), "http://h%d.test/x", i);
		assert_int_equal(robots_cache_allows(c, url, "jobtrack"), 0);
		assert_true(robots_cache_size(c) <= 4);
		/* h0 is used all the time, so it is never the least recently used */
		assert_int_equal(robots_cache_allows(c, "http://h0.test/x", "jobtrack"), 0);
	}
	assert_int_equal(robots_cache_size(c), 4);
	assert_int_equal(h.fetches, 20); /* h0 was fetched once */
	/* a reference outlives its entry's eviction */
	struct robots *r;
	assert_int_equal(robots_cache_get(c, "http://h19.test", &r), 0);
	for (int i = 20; i < 30; i++) {
		snprintf(url, sizeof(url), "http://h%d.test/x", i);
		assert_int_equal(robots_cache_allows(c, url, "jobtrack"), 0);
	}
	struct robots_decision d;
	assert_int_equal(robots_check(r, "jobtrack", "/x", &d), 0);
	assert_string_equal(d.rule, "Disallow: /x");
	robots_release(r);
	robots_cache_free(c);
	pthread_mutex_destroy(&h.lock);
}

struct asker {
	struct robots_cache *c;
	const char *url;
	int allowed;
};

static void *ask(void *arg)
{
	struct asker *a = arg;
	a->allowed = robots_cache_allows(a->c, a->url, "jobtrack");
	return NULL;
}

/* Many threads asking about one host cause one fetch; different hosts are
 * fetched side by side. */
static void test_cache_fetches_each_host_once_across_threads(void **state)
{
	(void)state;
	struct fake_host h = { .status = 200, .body = "User-agent: *\nDisallow: /x\n", .now = 1000, .delay = 200000 };
	struct robots_cache *c = fake_cache(&h, 0);
	enum { N = 16 };
	pthread_t threads[N];
	struct asker askers[N];
	static const char *const urls[] = { "http://one.test/x", "http://two.test/y" };
	for (int i = 0; i < N; i++) {
		askers[i] = (struct asker){ .c = c, .url = urls[i % 2], .allowed = -1 };
		assert_int_equal(pthread_create(&threads[i], NULL, ask, &askers[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < N; i++)
		assert_int_equal(askers[i].allowed, i % 2 ? 1 : 0);
	assert_int_equal(h.fetches, 2);
	assert_int_equal(h.max_in_flight, 2);
	robots_cache_free(c);
	pthread_mutex_destroy(&h.lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_simple_example),
		cmocka_unit_test(test_rfc_longest_match),
		cmocka_unit_test(test_rfc_groups_for_one_agent_merge),
		cmocka_unit_test(test_google_path_examples),
		cmocka_unit_test(test_google_precedence),
		cmocka_unit_test(test_wildcards_agree_with_a_reference),
		cmocka_unit_test(test_wildcards_stay_linear),
		cmocka_unit_test(test_agent_selection),
		cmocka_unit_test(test_no_group_and_no_star),
		cmocka_unit_test(test_group_boundaries),
		cmocka_unit_test(test_percent_encoding),
		cmocka_unit_test(test_empty_disallow_allows_all),
		cmocka_unit_test(test_robots_txt_always_allowed),
		cmocka_unit_test(test_paths_given_loosely),
		cmocka_unit_test(test_status_rules),
		cmocka_unit_test(test_tolerant_parsing),
		cmocka_unit_test(test_long_files_are_cut_at_a_line),
		cmocka_unit_test(test_sitemaps_and_crawl_delay),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_url_split),
		cmocka_unit_test(test_cache_keeps_an_answer_for_a_day),
		cmocka_unit_test(test_cache_asks_through_the_requests_proxy),
		cmocka_unit_test(test_cache_status_rules_and_stale_copy),
		cmocka_unit_test(test_cache_is_bounded),
		cmocka_unit_test(test_cache_fetches_each_host_once_across_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/scrape/sources_file: the sources configuration file,
 * its detection of adapters from careers URLs, and messages that say which
 * line is wrong and what to write instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scrape/sources_file.h"

static int parse(struct arena *a, const char *text, struct source_specs *out, char *err)
{
	return sources_file_parse(a, "sources.conf", text, strlen(text), out, err, 512);
}

static void test_reads_sections(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char err[512] = "";
	struct source_specs s;
	const char *text = "# my sources\n"
			   "[source vercel]\n"
			   "url = https://boards.greenhouse.io/vercel   # detected\n"
			   "schedule = every 6h\n"
			   "\n"
			   "[source remote-rust]\r\n"
			   "kind = rss\r\n"
			   "target = https://example.com/jobs.rss\r\n"
			   "enabled = false\r\n"
			   "delay = 2.5\n"
			   "max_pages = 7\n"
			   "options = {\"workplace\": \"a # inside JSON stays\"}\n"
			   "[source spotify.eu]\n"
			   "url = https://jobs.eu.lever.co/spotify\n"
			   "company = Spotify\n";
	if (parse(&a, text, &s, err) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.count, 3);
	assert_string_equal(s.items[0].name, "vercel");
	assert_string_equal(s.items[0].kind, "greenhouse");
	assert_string_equal(s.items[0].target, "vercel");
	assert_string_equal(s.items[0].schedule, "every 6h");
	assert_true(s.items[0].enabled);
	assert_true(s.items[0].delay < 0);
	assert_string_equal(s.items[1].kind, "rss");
	assert_string_equal(s.items[1].target, "https://example.com/jobs.rss");
	assert_false(s.items[1].enabled);
	assert_true(s.items[1].delay == 2.5);
	assert_int_equal(s.items[1].max_pages, 7);
	assert_string_equal(s.items[1].options_json, "{\"workplace\": \"a # inside JSON stays\"}");
	assert_string_equal(s.items[2].kind, "lever");
	assert_string_equal(s.items[2].target, "eu:spotify");
	assert_string_equal(s.items[2].company, "Spotify");
	assert_int_equal(s.items[2].line, 13);
	arena_free(&a);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "[source a]\nshedule = every 6h\n",
		  "sources.conf:2: unknown key \"shedule\" (did you mean schedule?)" },
		{ "kind = lever\n", "sources.conf:1: settings must follow a [source NAME] line" },
		{ "[source a]\nkind = monster\n", "sources.conf:1: source \"a\": unknown kind \"monster\"" },
		{ "[source a]\ntarget = x\n", "sources.conf:1: source \"a\" needs kind =" },
		{ "[source a b]\n", "sources.conf:1: a section is written [source NAME]" },
		{ "[source a/b]\n", "sources.conf:1: source names use letters" },
		{ "[source a]\nkind=lever\ntarget=x\n[source a]\n",
		  "sources.conf:4: source \"a\" is already defined on line 1" },
		{ "[source a]\nkind = lever\nenabled = maybe\n", "sources.conf:3: enabled must be true or false" },
		{ "[source a]\nkind = lever\ndelay = -1\n", "sources.conf:3: delay must be" },
		{ "[source a]\nkind = lever\noptions = [1]\n", "sources.conf:3: options must be a JSON object" },
		{ "[source a]\nkind = lever\noptions = {oops\n", "sources.conf:3: options must be a JSON object" },
		{ "[source a]\nurl = ftp://example.com/\n", "sources.conf:2: url must be an http://" },
		{ "[source a]\nkind lever\n", "sources.conf:2: expected key = value" },
		/* The options' keys: the adapter's own (of their types) and the driver's. */
		{ "[source a]\nurl = https://example.com/careers\noptions = {\"crawll\": true}\n",
		  "sources.conf:1: source \"a\": unknown key \"crawll\" for jsonld (its keys: crawl, sitemap, "
		  "company," },
		{ "[source a]\nkind = lever\ntarget = x\noptions = {\"details\": true}\n",
		  "sources.conf:1: source \"a\": unknown key \"details\" for lever" },
		{ "[source a]\nurl = https://example.com/careers\noptions = {\"crawl\": \"often\"}\n",
		  "sources.conf:1: source \"a\": \"crawl\" must be true or false" },
		{ "[source a]\nkind = workday\ntarget = x\noptions = {\"search\": 3}\n",
		  "source \"a\": \"search\" must be a string" },
		{ "[source a]\nkind = lever\ntarget = x\noptions = {\"concurrency\": \"two\"}\n",
		  "source \"a\": \"concurrency\" must be a number from 0 to 256" },
		{ "[source a]\nkind = lever\ntarget = x\nproxy = localhost:3128\n",
		  "source \"a\": \"proxy\" must be a URL such as" },
		{ "[source a]\nkind = lever\ntarget = x\noptions = {\"base_url\": \"file:///etc\"}\n",
		  "source \"a\": \"base_url\" must be an http:// or https:// URL" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		arena_init(&a, 0);
		char err[512] = "";
		struct source_specs s;
		if (parse(&a, cases[i].text, &s, err) == 0)
			fail_msg("accepted: %s", cases[i].text);
		if (!strstr(err, cases[i].message))
			fail_msg("for %s: got \"%s\", wanted \"%s\"", cases[i].text, err, cases[i].message);
		arena_free(&a);
	}
	/* Any other careers page is the schema.org adapter's, with the page as target. */
	struct arena a;
	arena_init(&a, 0);
	char err[512] = "";
	struct source_specs s;
	assert_int_equal(parse(&a, "[source a]\nurl = https://example.com/careers\n", &s, err), 0);
	assert_string_equal(s.items[0].kind, "jsonld");
	assert_string_equal(s.items[0].target, "https://example.com/careers");
	/* Known options of the right types pass, the driver's keys too. */
	assert_int_equal(parse(&a,
			       "[source b]\nurl = https://example.com/jobs\nproxy = socks5h://127.0.0.1:1080\n"
			       "options = {\"crawl\": true, \"sitemap\": \"no\", \"concurrency\": 2}\n"
			       "[source c]\nkind = xpath\ntarget = https://example.com/\n"
			       "options = {\"item\": \"//li\", \"title\": \"./a\"}\n",
			       &s, err),
			 0);
	assert_int_equal(s.count, 2);
	arena_free(&a);
}

/* The rules the admin pages apply hold for the file too: a source whose
 * terms forbid scraping runs only with accept_terms, and a feed's stated
 * limit bounds its schedule. */
static void test_terms_and_feed_limits_as_on_the_admin_page(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char err[1024] = "";
	struct source_specs s;
	assert_true(parse(&a, "[source li]\nkind = linkedin\ntarget = rust\n", &s, err) < 0);
	assert_non_null(strstr(err, "sources.conf:1: source \"li\": LinkedIn"));
	assert_non_null(strstr(err, "write \"accept_terms = true\" in its [source li] section"));
	assert_non_null(strstr(err, "User Agreement forbids scraping")); /* the terms, quoted */
	if (parse(&a, "[source li]\nkind = linkedin\ntarget = rust\naccept_terms = true\n", &s, err))
		fail_msg("%s", err);
	assert_true(s.items[0].accept_terms);
	assert_true(s.items[0].enabled);
	/* Disabled, it needs nothing (jobtrack scrape --source asks then). */
	assert_int_equal(parse(&a, "[source li]\nkind = linkedin\ntarget = rust\nenabled = false\n", &s, err), 0);
	assert_false(s.items[0].accept_terms);
	assert_true(parse(&a, "[source li]\nkind = linkedin\ntarget = x\naccept_terms = sure\n", &s, err) < 0);
	assert_non_null(strstr(err, "sources.conf:4: accept_terms must be true or false"));

	assert_true(parse(&a, "[source r]\nkind = remotive\ntarget = software-dev\nschedule = every 1m\n", &s, err) <
		    0);
	assert_non_null(strstr(err, "sources.conf:1: source \"r\": Remotive"));
	assert_non_null(strstr(err, "at most every 6h; \"every 1m\" runs as often as every 1m. Use \"every 6h\""));
	assert_true(parse(&a, "[source r]\nkind = remoteok\ntarget = x\nschedule = */30 * * * *\n", &s, err) < 0);
	assert_non_null(strstr(err, "at most every 1h"));
	assert_true(parse(&a, "[source r]\nkind = lever\ntarget = x\nschedule = every often\n", &s, err) < 0);
	assert_non_null(strstr(err, "sources.conf:1: source \"r\": "));
	/* At the limit, or without a schedule (the default every 6 h), is fine. */
	assert_int_equal(parse(&a,
			       "[source r]\nkind = remotive\ntarget = software-dev\nschedule = every 6h\n"
			       "[source q]\nkind = remotive\ntarget = devops\n"
			       "[source o]\nkind = remoteok\ntarget = x\nschedule = @hourly\n",
			       &s, err),
			 0);
	arena_free(&a);
}

static void test_bad_bytes(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char err[512] = "";
	struct source_specs s;
	assert_true(sources_file_parse(&a, "sources.conf", "[source a]\nkind = \xff\n", 20, &s, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "UTF-8"));
	assert_true(parse(&a, "[source a]\nkind = lever\ncompany = A\x01 B\n", &s, err) < 0);
	assert_non_null(strstr(err, "control characters"));
	/* A missing file is no sources, not an error. */
	assert_int_equal(sources_file_load(&a, "/nonexistent/sources.conf", &s, err, sizeof(err)), 0);
	assert_int_equal(s.count, 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_sections),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_terms_and_feed_limits_as_on_the_admin_page),
		cmocka_unit_test(test_bad_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

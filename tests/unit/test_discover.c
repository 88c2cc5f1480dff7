/* discover: which addresses an imported URL may reach, what a page shows
 * when no posting is found in it, and which posting of a board a URL names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/address.h"
#include "discover/import.h"
#include "discover/page_facts.h"
#include "http_fixture.h"
#include "store_fixture.h"

static void test_public_and_private_addresses(void **state)
{
	(void)state;
	static const char *const public[] = { "93.184.216.34", "8.8.8.8",     "100.63.255.255", "172.32.0.1",
					      "2606:4700::1",  "2001:4860::", "::ffff:8.8.8.8", "192.0.3.1" };
	static const char *const private[] = {
		"127.0.0.1",       "127.255.255.254", "10.1.2.3",       "172.16.0.1",    "172.31.255.255",
		"192.168.1.1",     "169.254.169.254", "100.64.0.1",     "0.0.0.0",       "224.0.0.1",
		"255.255.255.255", "192.0.2.10",      "198.18.0.1",     "::1",           "::",
		"fe80::1",         "fd00::1",         "fc00::1",        "ff02::1",       "::ffff:127.0.0.1",
		"::ffff:10.0.0.1", "::127.0.0.1",     "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1",
		"fec0::1",
	};
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (!address_text_is_public(public[i]))
			fail_msg("%s should be public", public[i]);
	for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		if (address_text_is_public(private[i]))
			fail_msg("%s should not be public", private[i]);
	assert_false(address_text_is_public("localhost"));
	assert_false(address_text_is_public(NULL));
	assert_false(address_is_public(NULL, 0));
}

static void test_page_facts(void **state)
{
	(void)state;
	static const char page[] =
	    "<!DOCTYPE html><html><head><TITLE>  Careers at\n\t Acme &amp; Co </TITLE>"
	    "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"Organization\"},"
	    "{\"@type\":[\"http://schema.org/WebSite\",\"Organization\"]}]}</script>"
	    "<script type='application/ld+json'>{not json at all</script>"
	    "</head><body><div itemscope itemtype=\"https://schema.org/Person\"></div></body></html>";
	struct page_facts f;
	page_facts_read(page, sizeof(page) - 1, &f);
	assert_string_equal(f.title, "Careers at Acme &amp; Co");
	assert_int_equal(f.jsonld_blocks, 2);
	assert_int_equal(f.ntypes, 2);
	assert_string_equal(f.types[0], "Organization");
	assert_string_equal(f.types[1], "WebSite");
	assert_true(f.microdata);
	assert_true(f.html);
	/* Not HTML; no title; invalid UTF-8 and controls cleaned; a title that never closes. */
	page_facts_read("{\"a\":1}", 7, &f);
	assert_false(f.html);
	assert_string_equal(f.title, "");
	assert_int_equal(f.jsonld_blocks, 0);
	static const char odd[] = "<title>Bad \xff\xfe bytes\x01 and a very long";
	page_facts_read(odd, sizeof(odd) - 1, &f);
	assert_string_equal(f.title, "Bad ?? bytes and a very long");
	/* A long title is cut at a character boundary. */
	char big[1024] = "<title>";
	for (size_t i = strlen(big); i + 2 < 600; i += 2)
		memcpy(big + i, "\xc3\xa9", 2); /* é */
	page_facts_read(big, strlen(big), &f);
	assert_true(strlen(f.title) <= PAGE_FACTS_TITLE_MAX);
	assert_int_equal(strlen(f.title) % 2, 0);
	page_facts_read(NULL, 0, &f);
	assert_string_equal(f.title, "");
}

static void test_which_posting_a_url_names(void **state)
{
	(void)state;
	struct posting list[3];
	memset(list, 0, sizeof(list));
	list[0].url = "https://boards.greenhouse.io/acme/jobs/111";
	list[0].external_id = "111";
	list[1].url = "https://boards.greenhouse.io/acme/jobs/222";
	list[1].external_id = "222";
	list[2].url = "https://jobs.lever.co/acme/0b7c9f1e-aaaa-4bbb-8ccc-123456789abc";
	list[2].apply_url = "https://jobs.lever.co/acme/0b7c9f1e-aaaa-4bbb-8ccc-123456789abc/apply";
	list[2].external_id = "0b7c9f1e-aaaa-4bbb-8ccc-123456789abc";
	/* The page itself: scheme and host in any case, query, fragment and a final '/' aside. */
	assert_int_equal(import_pick(list, 3, "HTTPS://Boards.Greenhouse.io/acme/jobs/222/?gh_src=x#apply", false), 1);
	/* Another host of the same board: not the same page, but the id is a segment of its path. */
	assert_int_equal(import_pick(list, 3, "https://job-boards.greenhouse.io/acme/jobs/111", false), 0);
	assert_int_equal(
	    import_pick(list, 3, "https://jobs.lever.co/acme/0b7c9f1e-aaaa-4bbb-8ccc-123456789abc/apply", false), 2);
	/* A board, or a job the board does not list: none. */
	assert_int_equal(import_pick(list, 3, "https://boards.greenhouse.io/acme", false), -1);
	assert_int_equal(import_pick(list, 3, "https://boards.greenhouse.io/acme/jobs/1111", false), -1);
	/* An id only counts as a whole segment, not in the host or the query. */
	assert_int_equal(import_pick(list, 3, "https://111.example/jobs?id=222", false), -1);
	/* A page's only posting is its own even when it names another URL. */
	assert_int_equal(import_pick(list, 1, "https://careers.acme.example/rust", true), 0);
	assert_int_equal(import_pick(list, 2, "https://careers.acme.example/rust", true), -1);
	assert_int_equal(import_pick(list, 0, "https://careers.acme.example/rust", true), -1);
}

/* ---- a Greenhouse job URL, read through the board's API ---------------- */

static const char board_json[] =
    "{\"jobs\":[{\"id\":111,\"title\":\"Rust Engineer\",\"company_name\":\"Acme\","
    "\"location\":{\"name\":\"Berlin\"},\"content\":\"&lt;p&gt;Rust.&lt;/p&gt;\","
    "\"absolute_url\":\"https://boards.greenhouse.io/acme/jobs/111\",\"updated_at\":\"2026-11-01T00:00:00Z\"},"
    "{\"id\":222,\"title\":\"Go Developer\",\"company_name\":\"Acme\",\"location\":{\"name\":\"Remote\"},"
    "\"content\":\"&lt;p&gt;Go.&lt;/p&gt;\",\"absolute_url\":\"https://boards.greenhouse.io/acme/jobs/222\","
    "\"updated_at\":\"2026-11-02T00:00:00Z\"}]}";

static void ats_handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	(void)ctx;
	if (strncmp(req->target, "/v1/boards/acme/jobs?", 21) == 0)
		hf_respond(c, 200, "Content-Type: application/json\r\n", board_json, sizeof(board_json) - 1);
	else
		hf_respond(c, 404, "", "no", 2); /* robots.txt too: everything allowed */
}

static void test_an_ats_job_url_is_read_through_the_board_api(void **state)
{
	(void)state;
	struct hf_server *srv = hf_start(1, ats_handler, NULL);
	assert_non_null(srv);
	struct store_fixture sf;
	assert_int_equal(store_fixture_make(&sf, NULL, 1), 0);
	struct user u;
	assert_int_equal(store_user_create(sf.s, "ats@example.com", "hash", 1000, &u), STORE_OK);
	struct arena a;
	arena_init(&a, 0);
	struct tracker_call call = { .store = sf.s, .user_id = u.id, .now = 1780000000, .arena = &a };
	char base[64];
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", hf_port(srv, 0));
	struct import_options opt = { .allow_private = true, .ats_base_url = base };
	struct import_result r;
	assert_int_equal(import_url(&call, "https://boards.greenhouse.io/acme/jobs/222?gh_src=feed", &opt, &r), 0);
	if (r.status != IMPORT_OK)
		fail_msg("status %d: %s", r.status, r.message);
	assert_string_equal(r.adapter, "greenhouse");
	assert_int_equal(r.postings_found, 2);
	assert_true(r.app_created);
	assert_string_equal(r.app.position, "Go Developer");
	assert_string_equal(r.app.company, "Acme");
	struct store_posting p;
	assert_int_equal(store_posting_get(sf.s, r.posting_id, &a, &p, NULL, NULL), STORE_OK);
	assert_string_equal(p.url, "https://boards.greenhouse.io/acme/jobs/222");
	/* The board itself names no one job. */
	assert_int_equal(import_url(&call, "https://boards.greenhouse.io/acme", &opt, &r), 0);
	assert_int_equal(r.status, IMPORT_NO_POSTING);
	assert_int_equal(r.postings_found, 2);
	assert_non_null(strstr(r.message, "none of them is the one this URL names"));
	arena_free(&a);
	store_fixture_destroy(&sf);
	hf_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_and_private_addresses),
		cmocka_unit_test(test_page_facts),
		cmocka_unit_test(test_which_posting_a_url_names),
		cmocka_unit_test(test_an_ats_job_url_is_read_through_the_board_api),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

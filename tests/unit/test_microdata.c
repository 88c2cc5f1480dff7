/* Unit tests for src/scrape/extract/microdata.c: when a page is looked at,
 * the property-value rules of HTML microdata, nesting, repeated properties,
 * and the JSON shape shared with JSON-LD. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "scrape/extract/jsonld.h"
#include "scrape/extract/microdata.h"

static json_t *items_of(const char *page, int want_count)
{
	json_t *out = json_array();
	assert_non_null(out);
	int n = microdata_job_postings(page, strlen(page), out);
	if (n != want_count)
		fail_msg("page: %.300s\nwant %d postings, got %d", page, want_count, n);
	assert_int_equal(json_array_size(out), (size_t)want_count);
	return out;
}

/* Compares v with the JSON text want (key order ignored). */
static void assert_json(const json_t *v, const char *want)
{
	json_error_t err;
	json_t *w = json_loads(want, 0, &err);
	if (!w)
		fail_msg("bad expected JSON at %d: %s", err.position, err.text);
	if (!json_equal(v, w)) {
		char *got = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
		char *exp = json_dumps(w, JSON_SORT_KEYS | JSON_COMPACT);
		fail_msg("want %s\ngot  %s", exp, got);
	}
	json_decref(w);
}

static void test_present_needs_itemtype_and_job_posting(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"<div itemscope itemtype=\"https://schema.org/JobPosting\">",
		"<div itemScope itemType=\"http://schema.org/JobPosting\">",
		"<DIV ITEMSCOPE ITEMTYPE=\"HTTP://SCHEMA.ORG/JOBPOSTING\">",
	};
	static const char *const no[] = {
		"<div itemscope itemtype=\"https://schema.org/Organization\">JobPosting in text</div>",
		"<p>JobPosting</p>",
		"<script type=\"application/ld+json\">{\"@type\":\"JobPosting\"}</script>",
		"",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(microdata_present(yes[i], strlen(yes[i])));
	/* The first "no" holds both words: present says maybe, the parse says no. */
	assert_true(microdata_present(no[0], strlen(no[0])));
	json_decref(items_of(no[0], 0));
	for (size_t i = 1; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_false(microdata_present(no[i], strlen(no[i])));
		json_decref(items_of(no[i], 0));
	}
}

static void test_full_posting(void **state)
{
	(void)state;
	static const char page[] =
	    "<html><body><nav>menu</nav>"
	    "<div itemscope itemtype=\"https://schema.org/JobPosting\" itemid=\"https://jobs.example/42\">"
	    "<h1 itemprop=\"title\">  Senior\n  Engineer </h1>"
	    "<div itemprop=\"hiringOrganization\" itemscope itemtype=\"https://schema.org/Organization\">"
	    "<span itemprop=\"name\">Acme</span><a itemprop=\"sameAs url\" href=\"https://acme.example\">site</a>"
	    "<img itemprop=\"logo\" src=\"https://acme.example/logo.png\" alt=\"\"></div>"
	    "<div itemprop=\"jobLocation\" itemscope itemtype=\"https://schema.org/Place\">"
	    "<div itemprop=\"address\" itemscope itemtype=\"https://schema.org/PostalAddress\">"
	    "<span itemprop=\"addressLocality\">Berlin</span><meta itemprop=\"addressCountry\" "
	    "content=\"DE\"></div></div>"
	    "<time itemprop=\"datePosted\" datetime=\"2026-03-01\">1 March</time>"
	    "<span itemprop=\"validThrough\" content=\"2026-04-01T00:00\">in a month</span>"
	    "<span itemprop=\"employmentType\">FULL_TIME</span><span itemprop=\"employmentType\">CONTRACTOR</span>"
	    "<div itemprop=\"baseSalary\" itemscope itemtype=\"https://schema.org/MonetaryAmount\">"
	    "<meta itemprop=\"currency\" content=\"EUR\">"
	    "<div itemprop=\"value\" itemscope itemtype=\"https://schema.org/QuantitativeValue\">"
	    "<data itemprop=\"minValue\" value=\"60000\">60k</data><data itemprop=\"maxValue\" "
	    "value=\"80000\">80k</data>"
	    "<meta itemprop=\"unitText\" content=\"YEAR\"></div></div>"
	    "<link itemprop=\"url\" href=\"https://jobs.example/42\">"
	    "<div itemprop=\"description\"><p>Build <b>things</b> at café &amp; co.</p><script>x()</script></div>"
	    "<p>Not a property <span>at all</span></p>"
	    "</div></body></html>";
	json_t *items = items_of(page, 1);
	assert_json(
	    json_array_get(items, 0),
	    "{\"@type\":\"JobPosting\",\"@id\":\"https://jobs.example/42\",\"title\":\"Senior Engineer\","
	    "\"hiringOrganization\":{\"@type\":\"Organization\",\"name\":\"Acme\",\"sameAs\":\"https://acme.example\","
	    "\"url\":\"https://acme.example\",\"logo\":\"https://acme.example/logo.png\"},"
	    "\"jobLocation\":{\"@type\":\"Place\",\"address\":{\"@type\":\"PostalAddress\",\"addressLocality\":"
	    "\"Berlin\","
	    "\"addressCountry\":\"DE\"}},"
	    "\"datePosted\":\"2026-03-01\",\"validThrough\":\"2026-04-01T00:00\","
	    "\"employmentType\":[\"FULL_TIME\",\"CONTRACTOR\"],"
	    "\"baseSalary\":{\"@type\":\"MonetaryAmount\",\"currency\":\"EUR\",\"value\":{\"@type\":"
	    "\"QuantitativeValue\","
	    "\"minValue\":\"60000\",\"maxValue\":\"80000\",\"unitText\":\"YEAR\"}},"
	    "\"url\":\"https://jobs.example/42\","
	    "\"description\":\"<p>Build <b>things</b> at café &amp; co.</p><script>x()</script>\"}");
	/* The same shape JSON-LD gives: the JSON-LD side recognises it. */
	assert_true(jsonld_is_job_posting(json_array_get(items, 0)));
	json_decref(items);
}

static void test_nesting_and_scope(void **state)
{
	(void)state;
	/* Postings inside a list item are found; a nested item's properties are its own. */
	static const char page[] =
	    "<ul itemscope itemtype=\"https://schema.org/ItemList\">"
	    "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/JobPosting\">"
	    "<span itemprop=\"title\">One</span>"
	    "<div itemprop=\"hiringOrganization\" itemscope itemtype=\"https://schema.org/Organization\">"
	    "<span itemprop=\"name\">Inner</span></div></li>"
	    "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/JobPosting "
	    "https://schema.org/Thing\">"
	    "<span itemprop=\"https://schema.org/title\">Two</span><span itemprop=\"@type\">Evil</span></li></ul>"
	    "<div itemscope itemtype=\"http://schema.org/JobPosting\"><span itemprop=\"title\">Three</span></div>";
	json_t *items = items_of(page, 3);
	assert_json(json_array_get(items, 0), "{\"@type\":\"JobPosting\",\"title\":\"One\",\"hiringOrganization\":{\"@"
					      "type\":\"Organization\",\"name\":\"Inner\"}}");
	assert_json(json_array_get(items, 1), "{\"@type\":[\"JobPosting\",\"Thing\"],\"title\":\"Two\"}");
	assert_json(json_array_get(items, 2), "{\"@type\":\"JobPosting\",\"title\":\"Three\"}");
	json_decref(items);
}

static void test_value_rules(void **state)
{
	(void)state;
	static const char page[] = "<div itemscope itemtype=\"https://schema.org/JobPosting\">"
				   "<a itemprop=\"a\" href=\"/apply\">apply</a><area itemprop=\"area\" href=\"/x\">"
				   "<iframe itemprop=\"frame\" src=\"https://v.example\"></iframe><object "
				   "itemprop=\"obj\" data=\"d.pdf\"></object>"
				   "<meter itemprop=\"m\" value=\"0.5\">half</meter><time itemprop=\"t\">Tuesday</time>"
				   "<meta itemprop=\"empty\"><span itemprop=\"blank\">   </span>"
				   "<b itemprop=\"x\">one</b><i itemprop=\"x\">two</i><u itemprop=\"x\">three</u>"
				   "</div>";
	json_t *items = items_of(page, 1);
	assert_json(json_array_get(items, 0),
		    "{\"@type\":\"JobPosting\",\"a\":\"/apply\",\"area\":\"/x\",\"frame\":\"https://"
		    "v.example\",\"obj\":\"d.pdf\","
		    "\"m\":\"0.5\",\"t\":\"Tuesday\",\"empty\":\"\",\"blank\":\"\",\"x\":[\"one\",\"two\",\"three\"]}");
	json_decref(items);
}

static void test_limits(void **state)
{
	(void)state;
	/* Items nested past MICRODATA_DEPTH_MAX are read as text. */
	char page[4096] = "<div itemscope itemtype=\"https://schema.org/JobPosting\">";
	size_t pl = strlen(page);
	for (int i = 0; i < 12; i++)
		pl += (size_t)snprintf(page + pl, sizeof(page) - pl, "%s",
				       "<div itemprop=\"p\" itemscope itemtype=\"https://schema.org/Thing\">");
	snprintf(page + pl, sizeof(page) - pl, "deep");
	json_t *items = items_of(page, 1);
	json_t *v = json_array_get(items, 0);
	int depth = 0;
	while (json_is_object(json_object_get(v, "p"))) {
		v = json_object_get(v, "p");
		depth++;
	}
	assert_int_equal(depth, MICRODATA_DEPTH_MAX);
	assert_string_equal(json_string_value(json_object_get(v, "p")), "deep");
	json_decref(items);

	json_t *out = json_array();
	char *huge = calloc(1, MICRODATA_PAGE_MAX + 2);
	assert_non_null(huge);
	memset(huge, ' ', MICRODATA_PAGE_MAX + 1);
	memcpy(huge, page, strlen(page));
	assert_int_equal(microdata_job_postings(huge, MICRODATA_PAGE_MAX + 1, out), -E2BIG);
	free(huge);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present_needs_itemtype_and_job_posting),
		cmocka_unit_test(test_full_posting),
		cmocka_unit_test(test_nesting_and_scope),
		cmocka_unit_test(test_value_rules),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/scrape/extract/jsonld*.c: finding ld+json scripts in
 * page bytes, the JSON shapes JobPostings hide in, the malformed JSON pages
 * publish, @id references, and inputs built to be slow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "scrape/extract/jsonld.h"
#include "scrape/sanitize.h"

/* The postings of page, checked to be an array of JobPosting objects. */
static json_t *postings(const char *page, struct jsonld_stats *st)
{
	json_t *list = jsonld_job_postings(page, strlen(page), st);
	assert_non_null(list);
	assert_true(json_is_array(list));
	size_t i;
	json_t *p;
	json_array_foreach (list, i, p)
		assert_true(jsonld_is_job_posting(p));
	return list;
}

/* The titles of the page's postings joined with "|" ("" for none). */
static void expect_titles(const char *page, const char *want)
{
	struct jsonld_stats st;
	json_t *list = postings(page, &st);
	char got[512] = "";
	size_t i;
	json_t *p;
	json_array_foreach (list, i, p) {
		const char *t = json_string_value(json_object_get(p, "title"));
		size_t n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "%s%s", i ? "|" : "", t ? t : "(no title)");
	}
	if (strcmp(got, want) != 0)
		fail_msg("page: %.400s\nwant titles: %s\ngot:         %s", page, want, got);
	assert_int_equal(st.postings, json_array_size(list));
	json_decref(list);
}

#define JP(title) "{\"@context\":\"https://schema.org\",\"@type\":\"JobPosting\",\"title\":\"" title "\"}"
#define LD(body)  "<script type=\"application/ld+json\">" body "</script>"

/* ---- finding the scripts ---------------------------------------------------- */

static void test_scan_tag_and_attribute_forms(void **state)
{
	(void)state;
	expect_titles("<html><head>" LD(JP("plain")) "</head></html>", "plain");
	expect_titles("<SCRIPT TYPE=\"APPLICATION/LD+JSON\">" JP("upper") "</SCRIPT>", "upper");
	expect_titles("<script type='application/ld+json'>" JP("single") "</script>", "single");
	expect_titles("<script type=application/ld+json>" JP("unquoted") "</script>", "unquoted");
	expect_titles(
	    "<script\n  id=\"jp\" data-x='>' type = \"application/ld+json\"\n nonce=abc>" JP("extra") "</script>",
	    "extra");
	expect_titles("<script type=\"application/ld+json; charset=utf-8\">" JP("params") "</script>", "params");
	expect_titles("<script type=\" application/ld+json \">" JP("spaces") "</script >", "spaces");
	expect_titles("<script type=\"application/ld+json\">" JP("end tag case") "</ScRiPt\n>", "end tag case");
	expect_titles(
	    "<script type=\"application/ld+json\" type=\"text/javascript\">" JP("first type wins") "</script>",
	    "first type wins");
	expect_titles("<script async type=\"application/ld+json\"/>" JP("self-closing slash") "</script>",
		      "self-closing slash");
	/* Not ld+json: other types, no type, a look-alike attribute or tag. */
	expect_titles(
	    "<script type=\"text/javascript\">" JP(
		"js") "</script>"
		      "<script>" JP("no type") "</script>"
					       "<script data-type=\"application/ld+json\">" JP(
						   "data-type") "</script>"
								"<scripts type=\"application/ld+json\">" JP(
								    "scripts") "</scripts>"
									       "<script type=\"application/json\">" JP(
										   "json") "</script>",
	    "");
}

static void test_scan_skips_what_browsers_skip(void **state)
{
	(void)state;
	expect_titles("<!-- " LD(JP("commented out")) " -->" LD(JP("live")), "live");
	expect_titles("<!-->" LD(JP("after abrupt comment")), "after abrupt comment");
	expect_titles("<!--->" LD(JP("after abrupt comment 2")), "after abrupt comment 2");
	expect_titles("<!-- never closed " LD(JP("inside")), "");
	expect_titles("<script>var s = '<script type=\"application/ld+json\">" JP("in js") "';</script>" LD(JP("real")),
		      "real");
	expect_titles("<style>/* <script type=\"application/ld+json\">" JP("in css") " */</style>" LD(JP("real")),
		      "real");
	expect_titles(
	    "<textarea>" LD(JP("in textarea")) "</textarea><title>" LD(JP("in title")) "</title>" LD(JP("real")),
	    "real");
	expect_titles("<p>a < b</p><x-a><!doctype html><![CDATA[ x ]]>" LD(JP("after oddities")), "after oddities");
	/* A script that never ends runs to the end of the page. */
	expect_titles("<p>x</p><script type=\"application/ld+json\">" JP("to the end"), "to the end");
	expect_titles("<script type=\"application/ld+json\"", "");
	expect_titles("<script type=\"application/ld+json", "");
}

static int count_body(const char *body, size_t len, void *ctx)
{
	(void)body;
	(void)len;
	++*(int *)ctx;
	return 0;
}

static void test_scan_counts_and_no_json_ld(void **state)
{
	(void)state;
	static const char page[] = "<html><head><title>Jobs</title><script src=app.js></script>"
				   "<style>body{}</style></head><body><h1>Careers</h1><p>No data.</p></body></html>";
	int calls = 0;
	assert_int_equal(jsonld_scan(page, strlen(page), count_body, &calls), 0);
	assert_int_equal(calls, 0);
	struct jsonld_stats st;
	json_t *list = postings(page, &st);
	assert_int_equal(json_array_size(list), 0);
	assert_int_equal(st.scripts, 0);
	json_decref(list);
	assert_int_equal(jsonld_scan("", 0, count_body, &calls), 0);
	assert_int_equal(jsonld_scan("<", 1, count_body, &calls), 0);
}

/* ---- where JobPostings are -------------------------------------------------- */

static void test_shapes(void **state)
{
	(void)state;
	expect_titles(LD("[" JP("a") "," JP("b") "]"), "a|b");
	expect_titles(
	    LD("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"W\"}," JP("g") "]}"),
	    "g");
	expect_titles(LD("{\"@type\":[\"Thing\",\"JobPosting\"],\"title\":\"arr\"}"), "arr");
	expect_titles(LD("{\"@type\":\"schema:JobPosting\",\"title\":\"curie\"}"), "curie");
	expect_titles(LD("{\"@type\":\"http://schema.org/JobPosting\",\"title\":\"http\"}"), "http");
	expect_titles(LD("{\"@type\":\"https://schema.org/JobPosting\",\"title\":\"https\"}"), "https");
	expect_titles(LD("{\"@type\":\"jobposting\",\"title\":\"lower\"}"), "lower");
	expect_titles(LD("{\"@type\":\"jobPosting\",\"title\":\"camel\"}"), "camel");
	expect_titles(
	    LD("{\"@type\":\"ItemList\",\"itemListElement\":[{\"@type\":\"ListItem\",\"position\":1,\"item\":" JP(
		"i1") "},{\"@type\":\"ListItem\",\"position\":2,\"item\":" JP("i2") "}]}"),
	    "i1|i2");
	expect_titles(LD("{\"@type\":\"WebPage\",\"mainEntity\":" JP("main") "}"), "main");
	/* An Organization block, then the posting, each in its own script. */
	expect_titles(
	    LD("{\"@context\":\"https://schema.org\",\"@type\":\"Organization\",\"name\":\"Acme\",\"url\":\"https://"
	       "acme.example\"}") "<p>text</p>" LD(JP("second script"))
		LD("{\"@type\":\"BreadcrumbList\",\"itemListElement\":[]}"),
	    "second script");
	/* Not JobPostings. */
	expect_titles(LD("{\"@type\":\"JobPostingX\",\"title\":\"x\"}")
			  LD("{\"@type\":\"https://example.com/JobPosting\",\"title\":\"y\"}")
			      LD("{\"type\":\"JobPosting\",\"title\":\"z\"}") LD("\"JobPosting\"") LD("42") LD("null"),
		      "");
	/* A posting is not searched for more postings. */
	expect_titles(LD("{\"@type\":\"JobPosting\",\"title\":\"outer\",\"x\":" JP("inner") "}"), "outer");
}

static void test_description_left_escaped(void **state)
{
	(void)state;
	static const char page[] =
	    LD("{\"@type\":\"JobPosting\",\"title\":\"t\","
	       "\"description\":\"&lt;p&gt;We &amp;amp; you&lt;/p&gt;\\u003cb\\u003eraw\\u003c/b\\u003e\"}");
	json_t *list = postings(page, NULL);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "description")),
			    "&lt;p&gt;We &amp;amp; you&lt;/p&gt;<b>raw</b>");
	json_decref(list);
}

static void test_references_resolved(void **state)
{
	(void)state;
	static const char page[] =
	    LD("{\"@context\":\"https://schema.org\",\"@graph\":["
	       "{\"@type\":\"Organization\",\"@id\":\"https://acme.example/#org\",\"name\":\"Acme\"},"
	       "{\"@type\":\"Place\",\"@id\":\"#berlin\",\"address\":{\"addressLocality\":\"Berlin\"}},"
	       "{\"@type\":\"JobPosting\",\"@id\":\"#job1\",\"title\":\"one\","
	       "\"hiringOrganization\":{\"@id\":\"https://acme.example/#org\"},"
	       "\"jobLocation\":[{\"@id\":\"#berlin\"},{\"@id\":\"#nowhere\"}],"
	       "\"sameAs\":{\"@id\":\"#job2\"},\"self\":{\"@id\":\"#job1\"}},"
	       "{\"@type\":\"JobPosting\",\"@id\":\"#job2\",\"title\":\"two\",\"hiringOrganization\":{\"@id\":\"https:/"
	       "/acme.example/#org\"}}]}");
	json_t *list = postings(page, NULL);
	assert_int_equal(json_array_size(list), 2);
	json_t *one = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(one, "hiringOrganization"), "name")),
			    "Acme");
	json_t *loc = json_object_get(one, "jobLocation");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(json_array_get(loc, 0), "address"), "addressLocality")),
	    "Berlin");
	/* Unknown targets and other postings stay references. */
	assert_int_equal(json_object_size(json_array_get(loc, 1)), 1);
	assert_int_equal(json_object_size(json_object_get(one, "sameAs")), 1);
	assert_int_equal(json_object_size(json_object_get(one, "self")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(json_array_get(list, 1), "hiringOrganization"), "name")),
	    "Acme");
	/* Copies, not shared nodes: the result serialises (no cycle). */
	char *dump = json_dumps(list, 0);
	assert_non_null(dump);
	free(dump);
	json_decref(list);
}

/* A career page as sites write them: tag managers whose JavaScript holds
 * markup, an old block left in a comment, an Organization and a breadcrumb
 * block, then the posting, its description entity-escaped; the description
 * then goes through the sanitiser as the adapter will send it. */
static void test_career_page_end_to_end(void **state)
{
	(void)state;
	static const char page[] =
	    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backend Engineer – Acme</title>\n"
	    "<script>(function(w,d){var s=d.createElement('script');s.type='application/ld+json';"
	    "s.text='<script "
	    "type=\"application/ld+json\">{\"@type\":\"JobPosting\"}</'+'script>';})(window,document);</script>\n"
	    "<!-- old markup, kept by the CMS:\n<script "
	    "type=\"application/ld+json\">{\"@type\":\"JobPosting\",\"title\":\"Old\"}</script>\n-->\n"
	    "<script type=\"application/ld+json\" "
	    "class=\"yoast-schema-graph\">{\"@context\":\"https://schema.org\",\"@graph\":["
	    "{\"@type\":\"Organization\",\"@id\":\"https://acme.example/#organization\",\"name\":\"Acme GmbH\"},"
	    "{\"@type\":\"BreadcrumbList\",\"itemListElement\":[{\"@type\":\"ListItem\",\"position\":1,\"name\":"
	    "\"Jobs\"}]}]}</script>\n"
	    "<style>.job>h1{font-size:2em}</style></head><body><header><nav><a href=\"/\">Home</a></nav></header>\n"
	    "<main><h1>Backend Engineer</h1><p>Apply below.</p></main>\n"
	    "<script "
	    "type=\"application/ld+json\">\n//<![CDATA[\n{\"@context\":\"https://schema.org/"
	    "\",\"@type\":\"JobPosting\","
	    "\"title\":\"Backend Engineer (m/f/d)\",\"datePosted\":\"2026-5-15\","
	    "\"hiringOrganization\":{\"@type\":\"Organization\",\"name\":\"Acme "
	    "GmbH\",\"sameAs\":\"https://acme.example\"},"
	    "\"jobLocation\":{\"@type\":\"Place\",\"address\":{\"@type\":\"PostalAddress\",\"addressLocality\":"
	    "\"Köln\","
	    "\"addressCountry\":\"DE\"}},\"employmentType\":\"FULL_TIME\","
	    "\"description\":\"&lt;h2&gt;Your tasks&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;APIs in C &amp;amp; SQL&lt;/li&gt;"
	    "&lt;li&gt;On-call&lt;/li&gt;&lt;/ul&gt;&lt;p onclick=&quot;x()&quot;&gt;Apply at "
	    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;this link&lt;/a&gt;.&lt;/p&gt;\",}\n//]]>\n</script>\n"
	    "<footer>&copy; Acme</footer></body></html>\n";
	struct jsonld_stats st;
	json_t *list = postings(page, &st);
	assert_int_equal(st.scripts, 2);  /* the graph and the posting; not the one in JS, nor the commented one */
	assert_int_equal(st.skipped, 1);  /* the graph holds no JobPosting */
	assert_int_equal(st.repaired, 1); /* the trailing comma */
	assert_int_equal(json_array_size(list), 1);
	json_t *p = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Backend Engineer (m/f/d)");
	const char *description = json_string_value(json_object_get(p, "description"));
	assert_non_null(description);

	struct arena a;
	arena_init(&a, 0);
	struct sanitized out;
	assert_int_equal(sanitize_html(&a, description, strlen(description), &out), 0);
	assert_true(out.unescaped);
	assert_string_equal(out.html, "<h3>Your tasks</h3><ul><li>APIs in C &amp; SQL</li><li>On-call</li></ul>"
				      "<p>Apply at this link.</p>");
	assert_string_equal(out.text, "Your tasks\n\n- APIs in C & SQL\n- On-call\n\nApply at this link.");
	arena_free(&a);
	json_decref(list);
}

/* ---- malformed JSON --------------------------------------------------------- */

static void expect_repaired(const char *page, const char *want_title)
{
	struct jsonld_stats st;
	json_t *list = postings(page, &st);
	if (json_array_size(list) != 1)
		fail_msg("page: %s\nwant one posting, got %zu (failed %u)", page, json_array_size(list), st.failed);
	const char *t = json_string_value(json_object_get(json_array_get(list, 0), "title"));
	if (!t || strcmp(t, want_title) != 0)
		fail_msg("page: %s\nwant title %s, got %s", page, want_title, t ? t : "(none)");
	json_decref(list);
}

static void test_malformed_wrappers(void **state)
{
	(void)state;
	expect_repaired(LD("\n//<![CDATA[\n" JP("cdata") "\n//]]>\n"), "cdata");
	expect_repaired(LD("/*<![CDATA[*/" JP("cdata2") "/*]]>*/"), "cdata2");
	expect_repaired(LD("<![CDATA[" JP("cdata3") "]]>"), "cdata3");
	expect_repaired(LD("<!--\n" JP("html comment") "\n-->"), "html comment");
	expect_repaired(LD("<!--\n" JP("js-closed comment") "\n//-->"), "js-closed comment");
	expect_repaired(LD("\xEF\xBB\xBF" JP("bom")), "bom");
	expect_repaired(LD("  \n\t" JP("whitespace") "\n  "), "whitespace");
}

static void test_malformed_json(void **state)
{
	(void)state;
	expect_repaired(
	    LD("{\n// a comment\n\"@type\":\"JobPosting\", /* block */ \"title\":\"js comments\" // end\n}"),
	    "js comments");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"trailing commas\",\"x\":[1,2,],}"),
			"trailing commas");
	expect_repaired(LD(JP("extra brace") "}"), "extra brace");
	expect_repaired(LD(JP("extra braces and junk") "}}\n;"), "extra braces and junk");
	expect_repaired(
	    LD("{\"@type\":\"JobPosting\",\"title\":\"raw\tcontrol\",\"description\":\"line 1\nline 2\r\n\"}"),
	    "raw\tcontrol");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"it\\'s\",\"d\":\"\\x \\d \\/ok\"}"), "it's");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"The \"best\" job\",\"d\":\"x\"}"),
			"The \"best\" job");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"Say \"hi\", then go\",\"d\":\"x\"}"),
			"Say \"hi\", then go");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"cut off\",\"description\":\"<p>Long"), "cut off");
	expect_repaired(LD("{&quot;@type&quot;:&quot;JobPosting&quot;,&quot;title&quot;:&quot;entity quotes&quot;}"),
			"entity quotes");
	expect_repaired(LD("{\"@type\":\"JobPosting\",\"title\":\"mismatched\",\"a\":[1,2}"), "mismatched");

	/* The description's raw newline survives as a newline. */
	json_t *list = postings(LD("{\"@type\":\"JobPosting\",\"title\":\"t\",\"description\":\"a\nb\"}"), NULL);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "description")), "a\nb");
	json_decref(list);
}

/* What templates and hand-edited pages write instead of JSON: several
 * values in one block, Python's dict syntax, JavaScript's quotes. */
static void test_recoverable_not_json(void **state)
{
	(void)state;
	/* Two postings written one after the other: both, whether or not the
	 * first alone parses, and however they are separated. */
	expect_titles(LD(JP("first") JP("second")), "first|second");
	expect_titles(LD(JP("first") "\n\n" JP("second")), "first|second");
	expect_titles(LD(JP("first") ",\n" JP("second") ";"), "first|second");
	expect_titles(LD("[" JP("a") "," JP("b") "]" JP("c")), "a|b|c");
	expect_titles(LD(JP("first") "{\"@type\":\"JobPosting\",\"title\":\"second, trailing comma\",}"),
		      "first|second, trailing comma");
	expect_titles(LD("{\"@type\":\"JobPosting\",\"title\":\"comma\",}" JP("after a broken one")),
		      "comma|after a broken one");
	expect_titles(LD("{\"@type\":\"Organization\",\"name\":\"Acme\"}\n" JP("after an organization")),
		      "after an organization");
	expect_titles(LD(JP("then junk") "}; var x = 1;"), "then junk");
	/* A reference from the second value to a node of the first resolves. */
	json_t *list =
	    postings(LD("{\"@type\":\"Organization\",\"@id\":\"#org\",\"name\":\"Acme\"}"
			"{\"@type\":\"JobPosting\",\"title\":\"t\",\"hiringOrganization\":{\"@id\":\"#org\"}}"),
		     NULL);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(json_array_get(list, 0), "hiringOrganization"), "name")),
	    "Acme");
	json_decref(list);

	/* Single quotes and Python literals (a dict printed with str()). */
	expect_repaired(LD("{'@type': 'JobPosting', 'title': 'single quotes'}"), "single quotes");
	expect_repaired(LD("{'@type': 'JobPosting', 'title': 'We\\'re hiring \"now\"', 'x': 1}"),
			"We're hiring \"now\"");
	expect_repaired(LD("{'@type': 'JobPosting', 'title': 'It's open', 'description': 'x'}"), "It's open");
	expect_repaired(LD("{\"@type\": 'JobPosting', 'title': \"mixed\", \"remote\": True}"), "mixed");
	list = postings(LD("{'@type': 'JobPosting', 'title': 'py', 'directApply': True, 'remote': False, "
			   "'validThrough': None, 'salary': undefined, 'note': 'True stays text'}"),
			NULL);
	assert_int_equal(json_array_size(list), 1);
	json_t *p = json_array_get(list, 0);
	assert_true(json_is_true(json_object_get(p, "directApply")));
	assert_true(json_is_false(json_object_get(p, "remote")));
	assert_true(json_is_null(json_object_get(p, "validThrough")));
	assert_true(json_is_null(json_object_get(p, "salary")));
	assert_string_equal(json_string_value(json_object_get(p, "note")), "True stays text");
	json_decref(list);
	expect_titles(LD("{'@type': 'JobPosting', 'title': 'py one'}{'@type': 'JobPosting', 'title': 'py two'}"),
		      "py one|py two");
}

static void test_valid_and_invalid_blocks(void **state)
{
	(void)state;
	struct jsonld_stats st;
	json_t *list = postings(LD("{{{ not JobPosting json") LD("") LD(JP("valid"))
				    LD("{\"@type\":\"JobPosting\" \"title\" \"x\"}") LD("[" JP("valid2") ",]"),
				&st);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(st.scripts, 5);
	/* The empty body is not parsed (no JobPosting in it); the garbage
	 * fails; the missing commas are "repaired" into a string @type that is
	 * no JobPosting, and ",]" into a posting. */
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.repaired, 2);
	assert_int_equal(st.postings, 2);
	json_decref(list);
}

static void test_repair_output(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "{\"a\":1,}", "{\"a\":1}" },
		{ "[1, 2 ,\n]", "[1, 2 \n]" },
		{ "{\"a\":\"x\ty\"}", "{\"a\":\"x\\ty\"}" },
		{ "{\"a\":\"\x01\"}", "{\"a\":\"\\u0001\"}" },
		{ "{\"a\":\"\\'\"}", "{\"a\":\"'\"}" },
		{ "{\"a\":\"\\u00e9\\u12\"}", "{\"a\":\"\\u00e9u12\"}" },
		{ "{\"a\":\"say \"hi\" now\"}", "{\"a\":\"say \\\"hi\\\" now\"}" },
		{ "{\"a\":1}}}", "{\"a\":1}" },
		{ "{\"a\":[1,{\"b\":\"c", "{\"a\":[1,{\"b\":\"c\"}]}" },
		{ "{\"a\":1,", "{\"a\":1}" },
		{ "]}{\"a\":1}", "{\"a\":1}" },
		{ "{\"a\" /* c */ : // d\n 1}", "{\"a\"   :  \n 1}" },
		{ "{\"url\":\"http://x//y\"}", "{\"url\":\"http://x//y\"}" },
		{ "[1,\x01 2\x7f]", "[1, 2\x7f]" },
		{ "{\"a\":1}{\"b\":2}", "[{\"a\":1},{\"b\":2}]" },
		{ "{\"a\":1} ,\n[2]; {\"c\":3", "[{\"a\":1},[2],{\"c\":3}]" },
		{ "{\"a\":1}}{\"b\":2}", "{\"a\":1}" },
		{ "{'a': 'it\\'s \"x\"'}", "{\"a\": \"it's \\\"x\\\"\"}" },
		{ "{'a': True, 'b': [False, None, undefined, Truely, 1e5]}",
		  "{\"a\": true, \"b\": [false, null, null, Truely, 1e5]}" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;
		char *got = jsonld_repair(cases[i].in, strlen(cases[i].in), &n);
		assert_non_null(got);
		assert_int_equal(n, strlen(got));
		if (strcmp(got, cases[i].out) != 0)
			fail_msg("repair(%s) = %s, want %s", cases[i].in, got, cases[i].out);
		free(got);
	}
}

static void test_type_matches(void **state)
{
	(void)state;
	assert_true(jsonld_type_matches("JobPosting", "JobPosting"));
	assert_true(jsonld_type_matches("schema:JobPosting", "JobPosting"));
	assert_true(jsonld_type_matches("http://schema.org/JobPosting", "JobPosting"));
	assert_true(jsonld_type_matches("https://www.schema.org/JobPosting", "JobPosting"));
	assert_true(jsonld_type_matches("JOBPOSTING", "JobPosting"));
	assert_false(jsonld_type_matches("JobPostings", "JobPosting"));
	assert_false(jsonld_type_matches("https://schema.org/Organization", "JobPosting"));
	assert_false(jsonld_type_matches("https://evil.example/JobPosting", "JobPosting"));
	assert_false(jsonld_type_matches("", "JobPosting"));
}

/* ---- hostile input ---------------------------------------------------------- */

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* A page of one script whose body is prefix, piece repeated to about size
 * bytes, then suffix. */
static char *script_of(const char *prefix, const char *piece, const char *suffix, size_t size)
{
	size_t pl = strlen(piece), times = size / pl;
	static const char open[] = "<script type=\"application/ld+json\">";
	char *page = malloc(sizeof(open) + strlen(prefix) + pl * times + strlen(suffix) + 16);
	assert_non_null(page);
	size_t o = 0;
	memcpy(page, open, sizeof(open) - 1);
	o += sizeof(open) - 1;
	memcpy(page + o, prefix, strlen(prefix));
	o += strlen(prefix);
	for (size_t i = 0; i < times; i++, o += pl)
		memcpy(page + o, piece, pl);
	snprintf(page + o, strlen(suffix) + 16, "%s</script>", suffix);
	return page;
}

static void test_adversarial_inputs_stay_linear(void **state)
{
	(void)state;
	static const struct {
		const char *prefix, *piece, *suffix;
	} cases[] = {
		{ "", "[", "" },
		{ "", "{", "" },
		{ "", "{\"a\":", "" },
		{ "", "\"", "" },
		{ "", "\\", "" },
		{ "", ",", "" },
		{ "", "}", "" },
		{ "", "]", "" },
		{ "", "/*", "" },
		{ "", "//\n", "" },
		{ "", "\"x\" \"", "" },
		{ "", "&quot;", "" },
		{ "", "<!--", "" },
		{ "", "[{\"@type\":\"JobPosting\",\"title\":\"t\",\"x\":", "" },
		/* Inside a string, every quote looks ahead past comments to decide
		 * whether it ends the string: each must not search the rest anew. */
		{ "{\"a\":\"", "\"/*", "*/x" },
		{ "{\"a\":\"", "\"//", "\nx" },
		{ "{\"a\":\"", "\",/*", "*/x" },
		{ "{\"a\":\"", "\" ", "x" },
		{ "[", ",/*", "*/1]" },
		/* Values one after another: read up to a bound, each once. */
		{ "", "{}", "" },
		{ "", "[]{", "" },
		{ "", "{\"@type\":\"JobPosting\",\"title\":\"t\"}", "" },
		{ "", "{'@type':'JobPosting','title':'t'}", "" },
		{ "", "'", "" },
		{ "", "True", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *page = script_of(cases[i].prefix, cases[i].piece, cases[i].suffix, 1u << 20);
		struct timespec start;
		clock_gettime(CLOCK_MONOTONIC, &start);
		struct jsonld_stats st;
		json_t *list = jsonld_job_postings(page, strlen(page), &st);
		assert_non_null(list);
		double took = seconds_since(&start);
		if (took > 10.0) /* quadratic would take minutes; allow a busy machine under ASan */
			fail_msg("1 MiB of \"%s\" took %.2f s", cases[i].piece, took);
		json_decref(list);
		free(page);
	}
	/* Many tags and comment starts: the scanner stays a memchr pass. */
	size_t n = 1u << 21;
	char *tags = malloc(n + 1);
	assert_non_null(tags);
	for (size_t i = 0; i < n; i++)
		tags[i] = "<s<!-<scrip"[i % 11];
	tags[n] = '\0';
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	json_t *list = jsonld_job_postings(tags, n, NULL);
	assert_true(seconds_since(&start) < 10.0);
	json_decref(list);
	free(tags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_tag_and_attribute_forms),
		cmocka_unit_test(test_scan_skips_what_browsers_skip),
		cmocka_unit_test(test_scan_counts_and_no_json_ld),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_description_left_escaped),
		cmocka_unit_test(test_references_resolved),
		cmocka_unit_test(test_career_page_end_to_end),
		cmocka_unit_test(test_malformed_wrappers),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_recoverable_not_json),
		cmocka_unit_test(test_valid_and_invalid_blocks),
		cmocka_unit_test(test_repair_output),
		cmocka_unit_test(test_type_matches),
		cmocka_unit_test(test_adversarial_inputs_stay_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

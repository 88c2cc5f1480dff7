/* Unit tests for src/scrape/sanitize*.c: the HTML allowlist (XSS vectors in
 * the style of OWASP's filter evasion cheat sheet, and structure), the plain
 * text, entity decoding and its detection rule, URLs, and the limits. Every
 * output is also checked by sanitize_invariant (a tokenizer and a second
 * parse that know the allowlist independently). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/text.h"
#include "sanitize_invariant.h"
#include "scrape/sanitize.h"

static struct arena arena;

static int arena_setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int arena_teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

/* Sanitises in[0..n), checks both outputs against the invariant, returns them. */
static struct sanitized clean_n(const char *in, size_t n)
{
	struct sanitized out;
	assert_int_equal(sanitize_html(&arena, in, n, &out), 0);
	assert_non_null(out.html);
	assert_non_null(out.text);
	assert_int_equal(strlen(out.html), out.html_len);
	assert_int_equal(strlen(out.text), out.text_len);
	char why[256];
	if (sanitize_invariant(out.html, out.html_len, why, sizeof(why)))
		fail_msg("invariant broken: %s\ninput:  %.300s\noutput: %.300s", why, in, out.html);
	if (!text_utf8_valid(out.text, out.text_len))
		fail_msg("text is not valid UTF-8 for input %.300s", in);
	return out;
}

static struct sanitized clean(const char *in)
{
	return clean_n(in, strlen(in));
}

struct html_case {
	const char *in;
	const char *html; /* expected output */
};

static void check_cases(const struct html_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sanitized out = clean(cases[i].in);
		if (strcmp(out.html, cases[i].html) != 0)
			fail_msg("case %zu\ninput:  %s\nwant:   %s\ngot:    %s", i, cases[i].in, cases[i].html,
				 out.html);
	}
}

#define CHECK_CASES(c) check_cases((c), sizeof(c) / sizeof((c)[0]))

/* ---- XSS vectors ----------------------------------------------------------- */

static void test_xss_event_handlers_and_active_elements(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "<img src=x onerror=alert(1)>ok", "ok" },
		{ "<IMG SRC=\"javascript:alert('XSS');\">ok", "ok" },
		{ "<svg onload=alert(1)><circle r=1/></svg>after", "after" },
		{ "<svg><script>alert(1)</script></svg>after", "after" },
		{ "<body onload=alert(1)>b</body>", "b" },
		{ "<p onclick=\"alert(1)\" onmouseover=alert(1)>p</p>", "<p>p</p>" },
		{ "<details open ontoggle=alert(1)><summary>s</summary>d</details>", "<div><div>s</div>d</div>" },
		{ "<video><source onerror=\"alert(1)\"></video>v", "v" },
		{ "<audio src=x onerror=alert(1)>a</audio>z", "z" },
		{ "<marquee onstart=alert(1)>m</marquee>", "m" },
		{ "<object data=\"javascript:alert(1)\">o</object>z", "z" },
		{ "<embed src=\"javascript:alert(1)\">z", "z" },
		{ "<applet code=x>a</applet>z", "z" },
		{ "<iframe src=\"javascript:alert(1)\"></iframe>z", "z" },
		{ "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>i", "i" },
		{ "<frameset onload=alert(1)><frame src=x></frameset>z", "z" },
		{ "<isindex action=javascript:alert(1) type=image>z", "z" },
		{ "<canvas id=c>fallback</canvas>z", "z" },
		{ "<template><script>alert(1)</script><b>t</b></template>z", "z" },
	};
	CHECK_CASES(cases);
}

static void test_xss_script_and_style(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "<script>alert(1)</script>x", "x" },
		{ "<SCRIPT SRC=//evil.example/x.js></SCRIPT>x", "x" },
		{ "<ScRiPt>alert(1)</sCrIpT>x", "x" },
		{ "<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)" },
		{ "<div><<script>script>alert(1)//<</script>/script></div>", "<div>&lt;/script&gt;</div>" },
		{ "<script>document.write('<b>')</script>z", "z" },
		{ "<style>@import 'javascript:alert(1)';</style>s", "s" },
		{ "<div style=\"background:url(javascript:alert(1))\">d</div>", "<div>d</div>" },
		{ "<p style=\"width: expression(alert(1))\">p</p>", "<p>p</p>" },
		{ "<span style=\"behavior:url(x.htc)\">s</span>", "s" },
		{ "<link rel=stylesheet href=\"javascript:alert(1)\">z", "z" },
		{ "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "" },
		{ "<xmp><script>alert(1)</script></xmp>x", "x" },
		{ "<textarea><script>alert(1)</script></textarea>t", "t" },
		{ "<title><script>alert(1)</script></title>t", "t" },
		{ "<plaintext><b>x", "<b>x</b>" },
	};
	CHECK_CASES(cases);
}

static void test_xss_link_schemes(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "<a href=\"javascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"jav&#x0D;ascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"jav\tascript:alert(1)\">x</a>", "x" },
		{ "<a href=\" javascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"&#14; javascript:alert(1)\">x</a>", "x" },
		{ "<A HREF=\"JAVASCRIPT:alert(1)\">x</A>", "x" },
		{ "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>", "x" },
		{ "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>", "x" },
		{ "<a href=\"javascript&colon;alert(1)\">x</a>", "x" },
		{ "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", "x" },
		{ "<a href=\"vbscript:msgbox(1)\">x</a>", "x" },
		{ "<a href=\"//evil.example/\">x</a>", "x" },
		{ "<a href=\"/relative/path\">x</a>", "x" },
		{ "<a href=\"http:evil.example\">x</a>", "x" },
		{ "<a href=\"https:\\\\evil.example\">x</a>", "x" },
		{ "<a href=\"https:///evil.example\">x</a>", "x" },
		{ "<a href=\"file:///etc/passwd\">x</a>", "x" },
		{ "<a>no href</a>", "no href" },
		{ "<a href=\"https://ok.example/\" onclick=\"alert(1)\" target=\"_blank\" style=\"x\">ok</a>",
		  "<a href=\"https://ok.example/\" rel=\"nofollow noopener noreferrer\">ok</a>" },
		{ "<a href=\"https://x.example/&quot;onmouseover=alert(1)\">q</a>",
		  "<a href=\"https://x.example/&quot;onmouseover=alert(1)\" rel=\"nofollow noopener "
		  "noreferrer\">q</a>" },
		{ "<a href=\"HTTPS://Ex.Example/A b?x=1&amp;y='2'\">m</a>",
		  "<a href=\"https://Ex.Example/A%20b?x=1&amp;y=&#39;2&#39;\" rel=\"nofollow noopener "
		  "noreferrer\">m</a>" },
		{ "<a href=\" mailto:jobs@example.com \">mail</a>",
		  "<a href=\"mailto:jobs@example.com\" rel=\"nofollow noopener noreferrer\">mail</a>" },
		{ "<a href=\"http://ex.example\" rel=\"opener\">r</a>",
		  "<a href=\"http://ex.example\" rel=\"nofollow noopener noreferrer\">r</a>" },
	};
	CHECK_CASES(cases);
}

static void test_xss_forms_meta_base(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "<form action=\"javascript:alert(1)\"><input type=submit></form>f", "f" },
		{ "<form><button formaction=\"javascript:alert(1)\">X</button></form>f", "f" },
		{ "<input type=image formaction=javascript:alert(1) src=x>f", "f" },
		{ "<button onclick=alert(1)>b</button>f", "f" },
		{ "<select><option>o</option></select>f", "f" },
		{ "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">m", "m" },
		{ "<base href=\"javascript:alert(1)//\"><a href=\"/x\">rel</a>", "rel" },
		{ "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>m", "m" },
		{ "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>c</maction></math>m", "m" },
		{ "<p title=\"</p><script>alert(1)</script>\">t</p>", "<p>t</p>" },
		{ "<p id=x class=y data-x=z lang=en dir=rtl>a</p>", "<p>a</p>" },
	};
	CHECK_CASES(cases);
}

static void test_xss_comments_cdata_and_nul(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "a<!-- c -->b", "ab" },
		{ "<!--><script>alert(1)</script>-->", "" },
		{ "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->z", "z" },
		{ "<!-- --!><script>alert(1)</script>q", "q" },
		{ "<![CDATA[<script>alert(1)</script>]]>", "&lt;![CDATA[]]&gt;" },
		{ "a<?php echo 1 ?>b", "ab" },
		{ "<!DOCTYPE html><p>d</p>", "<p>d</p>" },
	};
	CHECK_CASES(cases);

	/* NUL bytes become U+FFFD before parsing: no tag name is split by one. */
	static const char nul_script[] = "<scr\0ipt>alert(1)</scr\0ipt>";
	struct sanitized out = clean_n(nul_script, sizeof(nul_script) - 1);
	assert_null(strstr(out.html, "<scr"));
	static const char nul_href[] = "<a href=\"java\0script:alert(1)\">x</a>";
	out = clean_n(nul_href, sizeof(nul_href) - 1);
	assert_string_equal(out.html, "x");
}

static void test_xss_escaped_payloads(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		/* Escaped once or twice, decoded, then sanitised like any HTML. */
		{ "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;b&lt;/b&gt;", "<b>b</b>" },
		{ "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;ok", "ok" },
		{ "&lt;img src=x onerror=alert(1)&gt;", "" },
		{ "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;", "x" },
		/* Escaped markup inside real markup is text and stays text. */
		{ "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" },
		{ "<p>&amp;lt;b&amp;gt;</p>", "<p>&amp;lt;b&amp;gt;</p>" },
	};
	CHECK_CASES(cases);
	/* Escaped three times: decoded at most SANITIZE_UNESCAPE_ROUNDS times. */
	struct sanitized out = clean("&amp;amp;lt;b&amp;amp;gt;x");
	assert_true(out.unescaped);
	assert_string_equal(out.html, "<b>x</b>");
}

/* ---- structure ------------------------------------------------------------- */

static void test_structure_allowlist(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "Hello <b>world</b>", "Hello <b>world</b>" },
		{ "<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>",
		  "<h3>A</h3><h3>B</h3><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>" },
		{ "<p>a<br>b</p><hr><blockquote>q</blockquote>", "<p>a<br>b</p><hr><blockquote>q</blockquote>" },
		{ "<ul><li>one</li><li>two</li></ul><ol><li>x</li></ol>",
		  "<ul><li>one</li><li>two</li></ul><ol><li>x</li></ol>" },
		{ "<strong>s</strong><em>e</em><i>i</i><u>u</u><s>s</s><sub>1</sub><sup>2</sup>",
		  "<strong>s</strong><em>e</em><i>i</i><u>u</u><s>s</s><sub>1</sub><sup>2</sup>" },
		{ "<pre><code>int x;</code></pre>", "<pre><code>int x;</code></pre>" },
		{ "<dl><dt>t</dt><dd>d</dd></dl>", "<dl><dt>t</dt><dd>d</dd></dl>" },
		{ "<span class=x>s</span><div class=y id=z>d</div>", "s<div>d</div>" },
		{ "<section><article><header>h</header>body<footer>f</footer></article></section>",
		  "<div><div><div>h</div>body<div>f</div></div></div>" },
		{ "<strike>a</strike><del>b</del><ins>c</ins><tt>d</tt><kbd>e</kbd><cite>f</cite>",
		  "<s>a</s><s>b</s><u>c</u><code>d</code><code>e</code><i>f</i>" },
		{ "<custom-tag x=1>kept <b>children</b></custom-tag>", "kept <b>children</b>" },
		{ "<font color=red size=7>big</font><center>c</center>", "big<div>c</div>" },
		{ "<html><head><title>T</title><style>p{}</style></head><body><p>b</p></body></html>", "<p>b</p>" },
	};
	CHECK_CASES(cases);
}

static void test_structure_tables(void **state)
{
	(void)state;
	static const struct html_case cases[] = {
		{ "<table border=1 style=x><thead><tr><th scope=col>h</th></tr></thead>"
		  "<tbody><tr><td colspan=\"2\" rowspan=3 "
		  "width=9>a</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
		  "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan=\"2\" "
		  "rowspan=\"3\">a</td></tr></tbody>"
		  "<tbody><tr><td>f</td></tr></tbody></table>" },
		{ "<table><tr><td colspan=0>a</td><td colspan=1001>b</td><td colspan=\"2x\">c</td>"
		  "<td rowspan=\"-1\">d</td><td colspan=\" 7 \">e</td></tr></table>",
		  "<table><tr><td>a</td><td>b</td><td>c</td><td>d</td><td colspan=\"7\">e</td></tr></table>" },
		{ "<table><caption>cap</caption><colgroup><col span=2></colgroup><tr><td>x</td></tr></table>",
		  "<table>cap<tr><td>x</td></tr></table>" },
	};
	CHECK_CASES(cases);
}

static void test_structure_depth_is_flattened(void **state)
{
	(void)state;
	char in[200 * 5 + 16] = "";
	size_t n = 0;
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "<div>");
	snprintf(in + n, sizeof(in) - n, "deep");
	struct sanitized out = clean(in);
	size_t opened = 0;
	for (const char *p = out.html; (p = strstr(p, "<div>")); p++)
		opened++;
	assert_int_equal(opened, SANITIZE_DEPTH_MAX);
	assert_non_null(strstr(out.html, "deep"));
	assert_string_equal(out.text, "deep");
}

static void test_structure_entities_and_utf8(void **state)
{
	(void)state;
	struct sanitized out = clean("<p>caf&eacute;&nbsp;&mdash; &#x1F600; &amp; &lt;tag&gt; &quot;q&quot; &#39;</p>");
	assert_string_equal(out.html, "<p>café\xC2\xA0— 😀 &amp; &lt;tag&gt; &quot;q&quot; &#39;</p>");
	assert_string_equal(out.text, "café — 😀 & <tag> \"q\" '");

	/* Invalid UTF-8 and control characters never reach the output. */
	static const char bad[] = "<p>a\xFF\xFE b \xC3\x28 c \xED\xA0\x80 d\x01\x7F e</p>";
	out = clean_n(bad, sizeof(bad) - 1);
	assert_string_equal(out.text,
			    "a\xEF\xBF\xBD\xEF\xBF\xBD b \xEF\xBF\xBD( c \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD d e");
}

static void test_structure_empty_and_plain(void **state)
{
	(void)state;
	struct sanitized out = clean("");
	assert_string_equal(out.html, "");
	assert_string_equal(out.text, "");
	out = clean("   ");
	assert_string_equal(out.text, "");
	out = clean("Just text & more <3");
	assert_string_equal(out.html, "Just text &amp; more &lt;3");
	assert_string_equal(out.text, "Just text & more <3");
	assert_false(out.unescaped);
}

/* Well-formed sanitiser output goes through again unchanged. */
static void test_structure_output_is_a_fixed_point(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"<h1>Role</h1><p>We <b>build</b> <a href=\"https://ex.example/a?b=1&c=2\">things</a>.</p>"
		"<ul><li>one</li><li>two<ol><li>x</li></ol></li></ul><table><tr><td colspan=2>t</td></tr></table>",
		"&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;About&lt;/h2&gt;&lt;p&gt;Text &amp;amp; "
		"more&lt;/p&gt;&lt;/div&gt;",
		"<pre>  keep\n  this</pre><blockquote><p>q</p></blockquote><dl><dt>a</dt><dd>b</dd></dl>",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct sanitized once = clean(inputs[i]);
		struct sanitized twice = clean(once.html);
		assert_string_equal(twice.html, once.html);
		assert_string_equal(twice.text, once.text);
	}
}

/* ---- plain text ------------------------------------------------------------ */

static void test_text_blocks_lists_and_whitespace(void **state)
{
	(void)state;
	struct sanitized out = clean("<h2>  About   us </h2>\n<p>We\tbuild\n things.</p><p>Second<br>line</p>"
				     "<ul><li>one</li><li> two <ul><li>inner</li></ul></li><li></li></ul>"
				     "<div>div</div><span>a</span><span>b</span>");
	assert_string_equal(out.text,
			    "About us\n\nWe build things.\n\nSecond\nline\n\n- one\n- two\n  - inner\n\ndiv\nab");

	out = clean("a<br><br>b<br><br><br>c");
	assert_string_equal(out.text, "a\n\nb\n\nc");
	out = clean("<table><tr><th>Name</th><th>Level</th></tr><tr><td>C</td><td>senior</td></tr></table>after");
	assert_string_equal(out.text, "Name Level\nC senior\n\nafter");
	out = clean("<pre>  two  spaces\r\n\tand a tab</pre>next");
	assert_string_equal(out.text, "  two  spaces\n\tand a tab\n\nnext");
	out = clean("<ol><li><p>para in item</p></li><li>second</li></ol>");
	assert_string_equal(out.text, "- para in item\n\n- second");
	out = clean("<script>var x = 1;</script><style>p{}</style>only this");
	assert_string_equal(out.text, "only this");
}

/* ---- entities and the detection rule -------------------------------------- */

static void test_looks_escaped(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "&lt;p&gt;hi&lt;/p&gt;", 1 },
		{ "&amp;lt;p&amp;gt;", 1 },
		{ "&amp;amp;lt;br&amp;amp;gt;", 1 },
		{ "&LT;B&GT;x", 1 },
		{ "&#60;p&#62;", 1 },
		{ "&#x3C;/p&#x3E;", 1 },
		{ "text &lt;/div&gt;", 1 },
		{ "<p>&lt;p&gt;</p>", 0 }, /* real tags: HTML already */
		{ "&lt;p&gt; then <br>", 0 },
		{ "a < b and c > d", 0 },       /* neither */
		{ "x &lt; 3 and y &gt; 2", 0 }, /* an escaped less-than, not a tag */
		{ "&lt;3", 0 },
		{ "Tom &amp; Jerry", 0 },
		{ "<!-- c -->", 0 },
		{ "", 0 },
		{ "&lt;", 0 },
		{ "&", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sanitize_looks_escaped(cases[i].s, strlen(cases[i].s)) != cases[i].want)
			fail_msg("sanitize_looks_escaped(\"%s\") != %d", cases[i].s, cases[i].want);
}

static void test_unescape_entities(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "&lt;p&gt;", "<p>" },
		{ "&amp;lt;", "&lt;" }, /* once only */
		{ "&quot;&apos;&#39;&nbsp;&eacute;&mdash;&euro;&hellip;", "\"''\xC2\xA0é—€…" },
		{ "&#65;&#x42;&#X43;&#068", "ABCD" },
		{ "&#146;&#150;&#128;", "’–€" }, /* Windows-1252 code points as browsers read them */
		{ "&#0;&#xD800;&#x110000;&#99999999999;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "&#x1F600;", "😀" },
		{ "&AMP;&LT;&GT;&QUOT;", "&<>\"" },
		{ "&unknown; &amp &lt &; &#; &#x; &", "&unknown; &amp &lt &; &#; &#x; &" },
		{ "&verylongentityname;", "&verylongentityname;" },
		{ "no refs at all", "no refs at all" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = 0;
		char *got = sanitize_unescape_entities(&arena, cases[i].in, strlen(cases[i].in), &n);
		assert_non_null(got);
		assert_int_equal(n, strlen(got));
		if (strcmp(got, cases[i].out) != 0)
			fail_msg("unescape(\"%s\") = \"%s\", want \"%s\"", cases[i].in, got, cases[i].out);
		assert_true(n <= strlen(cases[i].in));
	}
}

/* A description as Greenhouse's board API sends it (content=true): the
 * whole HTML entity-escaped once, with &amp;amp; where the HTML had &amp;. */
static void test_greenhouse_style_content(void **state)
{
	(void)state;
	static const char content[] =
	    "&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;About Acme:&lt;/h2&gt;\n"
	    "&lt;p&gt;&lt;span data-sheets-root=&quot;1&quot;&gt;We ship what&#39;s next. R&amp;amp;D "
	    "first.&lt;/span&gt;&lt;/p&gt;"
	    "&lt;/div&gt;&lt;ul&gt;&lt;li&gt;Own &lt;strong&gt;pipelines&lt;/strong&gt;&lt;/li&gt;"
	    "&lt;li&gt;Apply &lt;a href=&quot;https://acme.example/jobs?id=1&amp;amp;src=gh&quot; "
	    "target=&quot;_blank&quot;&gt;here&lt;/a&gt;&lt;/li&gt;&lt;/ul&gt;";
	struct sanitized out = clean(content);
	assert_true(out.unescaped);
	assert_string_equal(out.html, "<div><h3>About Acme:</h3>\n<p>We ship what&#39;s next. R&amp;D first.</p></div>"
				      "<ul><li>Own <strong>pipelines</strong></li><li>Apply <a "
				      "href=\"https://acme.example/jobs?id=1&amp;src=gh\" "
				      "rel=\"nofollow noopener noreferrer\">here</a></li></ul>");
	assert_string_equal(out.text,
			    "About Acme:\n\nWe ship what's next. R&D first.\n\n- Own pipelines\n- Apply here");
}

/* ---- URLs ------------------------------------------------------------------ */

static void test_url_rules(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
		{ "https://example.com/x", "https://example.com/x" },
		{ "HTTP://EXAMPLE.COM/", "http://EXAMPLE.COM/" },
		{ "  https://e.example/a b \n", "https://e.example/a%20b" },
		{ "ht\ttp\ns://e.example/", "https://e.example/" },
		{ "mailto:a@b.example", "mailto:a@b.example" },
		{ "MailTo:a@b.example?subject=Job", "mailto:a@b.example?subject=Job" },
		{ "https://例え.jp/パス", "https://例え.jp/パス" },
		{ "javascript:alert(1)", NULL },
		{ "JaVaScRiPt:alert(1)", NULL },
		{ "java\tscript:alert(1)", NULL },
		{ "data:text/html,x", NULL },
		{ "vbscript:x", NULL },
		{ "//evil.example", NULL },
		{ "/path", NULL },
		{ "path/only", NULL },
		{ "?q=1", NULL },
		{ "#frag", NULL },
		{ "http:/x", NULL },
		{ "http:", NULL },
		{ "https://", NULL },
		{ "https:\\\\evil", NULL },
		{ "mailto:", NULL },
		{ "https://e.example/\x01x", NULL },
		{ "https://e.example/\x7Fx", NULL },
		{ "\x01https://e.example/\x02", "https://e.example/" },
		{ "", NULL },
		{ " \t ", NULL },
		{ "ftp://x.example/", NULL },
		{ "1http://x", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		int rc = sanitize_url(cases[i].in, strlen(cases[i].in), out, sizeof(out));
		if (!cases[i].out) {
			if (rc != -EINVAL)
				fail_msg("sanitize_url(\"%s\") = %d, want -EINVAL", cases[i].in, rc);
			continue;
		}
		if (rc != 0 || strcmp(out, cases[i].out) != 0)
			fail_msg("sanitize_url(\"%s\") = %d \"%s\", want \"%s\"", cases[i].in, rc, rc ? "" : out,
				 cases[i].out);
		char again[256];
		assert_int_equal(sanitize_url(out, strlen(out), again, sizeof(again)), 0);
		assert_string_equal(again, out);
	}

	char small[8];
	assert_int_equal(sanitize_url("https://example.com/", 20, small, sizeof(small)), -E2BIG);
	char *huge = malloc(SANITIZE_URL_MAX + 18);
	assert_non_null(huge);
	memcpy(huge, "https://e.example/", 18);
	memset(huge + 18, 'a', SANITIZE_URL_MAX);
	char *out = malloc(3 * (SANITIZE_URL_MAX + 16) + 1);
	assert_non_null(out);
	assert_int_equal(sanitize_url(huge, SANITIZE_URL_MAX + 18, out, 3 * (SANITIZE_URL_MAX + 16) + 1), -EINVAL);
	free(huge);
	free(out);
}

/* ---- limits ---------------------------------------------------------------- */

static char *repeat(const char *piece, size_t times, size_t *len)
{
	size_t pl = strlen(piece);
	char *s = malloc(pl * times + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * pl, piece, pl);
	s[pl * times] = '\0';
	*len = pl * times;
	return s;
}

static void test_limits_input_is_cut(void **state)
{
	(void)state;
	size_t len;
	char *big = repeat("<p>é word</p>", SANITIZE_INPUT_MAX / 8, &len);
	assert_true(len > SANITIZE_INPUT_MAX);
	struct sanitized out = clean_n(big, len);
	assert_true(out.truncated);
	assert_true(out.html_len <= SANITIZE_HTML_MAX);
	assert_true(out.text_len <= SANITIZE_TEXT_MAX);
	assert_int_equal(strncmp(out.html, "<p>é word</p>", 14), 0);
	/* The text stops after a whole word, with no separator left dangling. */
	assert_true(out.text_len > SANITIZE_TEXT_MAX - 16);
	const char *end = out.text + out.text_len;
	assert_true(strcmp(end - 4, "word") == 0 || strcmp(end - 4, "\n\né") == 0);
	free(big);
}

static void test_limits_output_is_bounded_and_closed(void **state)
{
	(void)state;
	/* Each quote grows sixfold when escaped: the output limit is reached
	 * before the input's, inside open elements, which are still closed. */
	size_t len;
	char *quotes = repeat("\"", SANITIZE_INPUT_MAX - 64, &len);
	char *in = malloc(len + 64);
	assert_non_null(in);
	int n = snprintf(in, len + 64, "<div><ul><li><b>%s</b></li></ul></div>", quotes);
	struct sanitized out = clean_n(in, (size_t)n);
	assert_true(out.truncated);
	assert_true(out.html_len <= SANITIZE_HTML_MAX + 64);
	assert_true(out.html_len > SANITIZE_HTML_MAX - 8 * 1024);
	static const char tail[] = "&quot;</b></li></ul></div>";
	assert_string_equal(out.html + out.html_len - (sizeof(tail) - 1), tail);
	free(quotes);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xss_event_handlers_and_active_elements, arena_setup,
						arena_teardown),
		cmocka_unit_test_setup_teardown(test_xss_script_and_style, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_xss_link_schemes, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_xss_forms_meta_base, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_xss_comments_cdata_and_nul, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_xss_escaped_payloads, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_allowlist, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_tables, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_depth_is_flattened, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_entities_and_utf8, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_empty_and_plain, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_structure_output_is_a_fixed_point, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_text_blocks_lists_and_whitespace, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_looks_escaped, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_unescape_entities, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_greenhouse_style_content, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_url_rules, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_limits_input_is_cut, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_limits_output_is_bounded_and_closed, arena_setup, arena_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

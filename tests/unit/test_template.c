/* Unit tests for web/template.
 *
 * Usage: test_template SPEC_DIR
 *
 * SPEC_DIR holds the official Mustache spec files (comments.json, ...). Every
 * case in them becomes its own cmocka test, built at run time, so a failure
 * names the case. The spec files are read where they are and never copied
 * into the project. Without SPEC_DIR only the hand-written tests run.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/buf.h"
#include "web/template.h"

#define OUT_MAX (1u << 20)

/* ---- helpers ----------------------------------------------------------- */

/* Prints s with control characters made visible, so whitespace diffs show. */
static void show(const char *label, const char *s, size_t len)
{
	printf("    %s: \"", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n')
			fputs("\\n", stdout);
		else if (ch == '\r')
			fputs("\\r", stdout);
		else if (ch == '\t')
			fputs("\\t", stdout);
		else if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	fputs("\"\n", stdout);
}

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("bad test JSON: %s: %s", jerr.text, text);
	return v;
}

/* Renders src with ctx (JSON text) and partials; checks rc and, when rc is 0,
 * the output. Everything is freed before any assertion can jump away. */
static void check_render(const struct tpl_set *partials, const char *src, const char *ctx, int want_rc,
			 const char *want)
{
	json_t *data = parse(ctx);
	struct buf out;
	buf_init(&out, OUT_MAX);
	char err[256];
	int rc = tpl_render_string(partials, src, strlen(src), data, &out, err, sizeof(err));
	bool ok =
	    rc == want_rc && (rc || (out.len == strlen(want) && !memcmp(out.data ? out.data : "", want, out.len)));
	if (!ok) {
		printf("    rc %d (want %d) %s\n", rc, want_rc, err);
		show("template", src, strlen(src));
		show("expected", want, strlen(want));
		show("actual  ", out.data ? out.data : "", out.len);
	}
	buf_free(&out);
	json_decref(data);
	assert_true(ok);
}

/* ---- spec cases -------------------------------------------------------- */

static void spec_case(void **state)
{
	json_t *tc = *state;
	const char *name = json_string_value(json_object_get(tc, "name"));
	const char *tmpl = json_string_value(json_object_get(tc, "template"));
	const char *want = json_string_value(json_object_get(tc, "expected"));
	json_t *partials = json_object_get(tc, "partials");
	assert_non_null(tmpl);
	assert_non_null(want);

	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	char err[256] = "";
	int rc = 0;
	const char *key;
	json_t *p;
	json_object_foreach (partials, key, p) {
		rc = tpl_set_add(set, key, json_string_value(p), json_string_length(p), err, sizeof(err));
		if (rc)
			break;
	}
	struct buf out;
	buf_init(&out, OUT_MAX);
	if (!rc)
		rc = tpl_render_string(set, tmpl, strlen(tmpl), json_object_get(tc, "data"), &out, err, sizeof(err));
	size_t want_len = json_string_length(json_object_get(tc, "expected"));
	bool ok = !rc && out.len == want_len && !memcmp(out.data ? out.data : "", want, want_len);
	if (!ok) {
		printf("    case \"%s\": rc %d %s\n", name, rc, err);
		show("template", tmpl, strlen(tmpl));
		show("expected", want, want_len);
		show("actual  ", out.data ? out.data : "", out.len);
	}
	buf_free(&out);
	tpl_set_free(set);
	if (!ok)
		fail_msg("spec case \"%s\" rendered wrongly", name);
}

/* The required spec modules; the optional ~lambdas etc. are not supported. */
static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
};
#define NFILES (sizeof(spec_files) / sizeof(spec_files[0]))

/* Runs every spec case in dir as its own test; returns the number that failed. */
static int run_spec(const char *dir)
{
	json_t *roots[NFILES] = { 0 };
	size_t total = 0;
	int failed = 0;
	for (size_t i = 0; i < NFILES; i++) {
		char path[4096];
		json_error_t jerr;
		snprintf(path, sizeof(path), "%s/%s.json", dir, spec_files[i]);
		roots[i] = json_load_file(path, 0, &jerr);
		json_t *tests = json_object_get(roots[i], "tests");
		if (!json_is_array(tests)) {
			/* A missing or broken file must not pass silently. */
			printf("spec file %s unusable: %s\n", path, roots[i] ? "no tests" : jerr.text);
			failed++;
			continue;
		}
		total += json_array_size(tests);
	}

	if (total) {
		/* cmocka_run_group_tests_name() counts its array with sizeof, so the
		 * heap array is typed as a pointer to an array of `total` tests. */
		struct CMUnitTest(*cases)[total] = calloc(1, sizeof(*cases));
		char **names = calloc(total, sizeof(*names));
		size_t n = 0;
		if (!cases || !names) {
			printf("out of memory\n");
			failed++;
			goto out;
		}
		for (size_t i = 0; i < NFILES; i++) {
			size_t k;
			json_t *tc;
			json_array_foreach (json_object_get(roots[i], "tests"), k, tc) {
				const char *cname = json_string_value(json_object_get(tc, "name"));
				size_t len = strlen(spec_files[i]) + strlen(cname ? cname : "") + 3;
				names[n] = malloc(len);
				if (!names[n]) {
					printf("out of memory\n");
					failed++;
					goto out_free;
				}
				snprintf(names[n], len, "%s: %s", spec_files[i], cname ? cname : "");
				(*cases)[n] = (struct CMUnitTest){
					.name = names[n],
					.test_func = spec_case,
					.initial_state = tc,
				};
				n++;
			}
		}
		printf("mustache spec: %zu cases from %s\n", total, dir);
		failed += cmocka_run_group_tests_name("mustache spec", *cases, NULL, NULL);
	out_free:
		for (size_t i = 0; i < n; i++)
			free(names[i]);
	out:
		free(names);
		free(cases);
	}
	for (size_t i = 0; i < NFILES; i++)
		json_decref(roots[i]);
	return failed;
}

/* ---- hand-written tests ------------------------------------------------ */

static void test_escape_by_default(void **state)
{
	(void)state;
	check_render(NULL, "<p>{{x}}</p>", "{\"x\": \"a & b < c > d \\\" e ' f\"}", 0,
		     "<p>a &amp; b &lt; c &gt; d &quot; e &#39; f</p>");
	check_render(NULL, "{{#l}}{{.}}{{/l}}", "{\"l\": [\"<\", \"'\"]}", 0, "&lt;&#39;");
}

static void test_raw(void **state)
{
	(void)state;
	check_render(NULL, "{{{x}}}|{{&x}}|{{{ x }}}|{{& x }}", "{\"x\": \"<b>&'\\\"</b>\"}", 0,
		     "<b>&'\"</b>|<b>&'\"</b>|<b>&'\"</b>|<b>&'\"</b>");
	check_render(NULL, "{{=<% %>=}}<%{x}%>", "{\"x\": \"<i>\"}", 0, "<i>");
}

static void test_values(void **state)
{
	(void)state;
	check_render(NULL, "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}} {{j}}",
		     "{\"a\": 1.21, \"b\": 0.30000000000000004, \"c\": -42, \"d\": 3.0,"
		     " \"e\": 1e300, \"f\": 9007199254740993, \"g\": true, \"h\": false,"
		     " \"i\": -9223372036854775808, \"j\": 0}",
		     0,
		     "1.21 0.30000000000000004 -42 3 1e+300 9007199254740993 true false"
		     " -9223372036854775808 0");
	check_render(NULL, "[{{n}}{{o}}{{a}}]", "{\"n\": null, \"o\": {\"x\": 1}, \"a\": [1]}", 0, "[]");
	/* Strings may hold NUL bytes; they are copied, not cut. */
	json_t *ctx = json_pack("{s:s%}", "x", "a\0b", (size_t)3);
	struct buf out;
	buf_init(&out, 64);
	int rc = tpl_render_string(NULL, "{{x}}", 5, ctx, &out, NULL, 0);
	bool ok = rc == 0 && out.len == 3 && !memcmp(out.data, "a\0b", 3);
	buf_free(&out);
	json_decref(ctx);
	assert_true(ok);
}

static void test_truthiness(void **state)
{
	(void)state;
	/* Only missing, null, false and [] are falsy; "" , 0 and {} are truthy. */
	check_render(NULL,
		     "{{#s}}s{{/s}}{{#z}}z{{/z}}{{#o}}o{{/o}}{{#e}}e{{/e}}{{#n}}n{{/n}}"
		     "{{#f}}f{{/f}}{{#m}}m{{/m}}|{{^e}}E{{/e}}{{^n}}N{{/n}}{{^f}}F{{/f}}"
		     "{{^m}}M{{/m}}{{^s}}S{{/s}}",
		     "{\"s\": \"\", \"z\": 0, \"o\": {}, \"e\": [], \"n\": null, \"f\": false}", 0, "szo|ENFM");
}

static void test_null_context(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 64);
	const char *src = "a{{x}}{{.}}{{#x}}no{{/x}}{{^x}}b{{/x}}";
	int rc = tpl_render_string(NULL, src, strlen(src), NULL, &out, NULL, 0);
	assert_int_equal(rc, 0);
	assert_string_equal(out.data, "ab");
	buf_free(&out);
}

static void test_nested_sections_parent_lookup(void **state)
{
	(void)state;
	const char *src = "{{#columns}}\n"
			  "<h2>{{label}} ({{count}})</h2>\n"
			  "{{#cards}}\n"
			  "  <a href=\"/a/{{id}}\">{{company}} in {{label}} on {{title}}"
			  "{{#tags}} #{{.}}{{/tags}}{{^tags}} -{{/tags}}</a>\n"
			  "{{/cards}}\n"
			  "{{^cards}}\n"
			  "  <p>none in {{label}}</p>\n"
			  "{{/cards}}\n"
			  "{{/columns}}\n";
	const char *ctx = "{\"title\": \"Board\", \"label\": \"outer\", \"columns\": ["
			  "{\"label\": \"Saved\", \"count\": 2, \"cards\": ["
			  "{\"id\": 1, \"company\": \"A&B\", \"tags\": [\"x\", \"y\"]},"
			  "{\"id\": 2, \"company\": \"C\", \"tags\": []}]},"
			  "{\"label\": \"Applied\", \"count\": 0, \"cards\": []}]}";
	check_render(NULL, src, ctx, 0,
		     "<h2>Saved (2)</h2>\n"
		     "  <a href=\"/a/1\">A&amp;B in Saved on Board #x #y</a>\n"
		     "  <a href=\"/a/2\">C in Saved on Board -</a>\n"
		     "<h2>Applied (0)</h2>\n"
		     "  <p>none in Applied</p>\n");
	/* A key that is present but null hides the same key further out. */
	check_render(NULL, "{{#inner}}[{{x}}]{{/inner}}", "{\"x\": \"outer\", \"inner\": {\"x\": null}}", 0, "[]");
}

/* Each bad template and the line its message must name. */
static const struct {
	const char *src;
	int line;
	const char *what;
} bad_templates[] = {
	{ "a\n{{#s}}\nb\n", 2, "unclosed section" },
	{ "{{#a}}\n\n{{/b}}", 3, "does not match" },
	{ "x\ny\n{{/a}}", 3, "without an open section" },
	{ "x\n\n\n{{y", 4, "unclosed tag" },
	{ "x\n{{{y}}", 2, "unclosed tag" },
	{ "x\n{{", 2, "unclosed tag" },
	{ "x\n{{=<% %>}}", 2, "unclosed tag" },
	{ "\n{{=<%%>=}}", 2, "bad delimiter" },
	{ "\n\n{{=a b c=}}", 3, "bad delimiter" },
	{ "{{}}", 1, "bad tag name" },
	{ "\n{{a b}}", 2, "bad tag name" },
	{ "{{a..b}}", 1, "bad tag name" },
	{ "{{#}}{{/}}", 1, "bad tag name" },
	{ "{{>}}", 1, "bad partial name" },
	{ "{{#a}}{{#b}}\n{{/a}}{{/b}}", 2, "does not match" },
};

static void test_syntax_errors(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	for (size_t i = 0; i < sizeof(bad_templates) / sizeof(bad_templates[0]); i++) {
		const char *src = bad_templates[i].src;
		char err[200], want[32];
		int rc = tpl_set_add(set, "page", src, strlen(src), err, sizeof(err));
		snprintf(want, sizeof(want), "line %d:", bad_templates[i].line);
		bool ok = rc == -EINVAL && strstr(err, want) && strstr(err, bad_templates[i].what) &&
			  !strncmp(err, "page: ", 6);
		if (!ok) {
			show("template", src, strlen(src));
			printf("    rc %d, err \"%s\"; want %s ... %s\n", rc, err, want, bad_templates[i].what);
		}
		assert_true(ok);
	}
	assert_false(tpl_set_has(set, "page"));

	/* A short err is truncated but terminated; NULL err is allowed with 0. */
	char small[8];
	memset(small, 'X', sizeof(small));
	assert_int_equal(tpl_set_add(set, "p", "{{#a}}", 6, small, sizeof(small)), -EINVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(tpl_set_add(set, "p", "{{#a}}", 6, NULL, 0), -EINVAL);

	/* tpl_render_string reports the line without a template name. */
	char err[200];
	struct buf out;
	buf_init(&out, 64);
	assert_int_equal(tpl_render_string(NULL, "\n\n{{/x}}", 8, NULL, &out, err, sizeof(err)), -EINVAL);
	assert_true(!strncmp(err, "line 3:", 7));
	buf_free(&out);

	/* Sections nested absurdly deep are refused rather than risking the stack. */
	struct buf deep;
	buf_init(&deep, 1 << 16);
	for (int i = 0; i <= TPL_MAX_NESTING; i++)
		buf_puts(&deep, "{{#a}}");
	for (int i = 0; i <= TPL_MAX_NESTING; i++)
		buf_puts(&deep, "{{/a}}");
	assert_int_equal(buf_failed(&deep), 0);
	int rc = tpl_set_add(set, "deep", deep.data, deep.len, err, sizeof(err));
	buf_free(&deep);
	assert_int_equal(rc, -EINVAL);
	tpl_set_free(set);
}

static void test_set_add_replace_has(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	char err[128];
	struct buf out;
	buf_init(&out, 256);

	/* The source need not be NUL-terminated: only len bytes count. */
	const char src[] = { 'h', 'i', ' ', '{', '{', 'x', '}', '}', '!', '!' };
	assert_int_equal(tpl_set_add(set, "a", src, 9, err, sizeof(err)), 0);
	assert_true(tpl_set_has(set, "a"));
	assert_false(tpl_set_has(set, "b"));
	json_t *ctx = parse("{\"x\": \"you\"}");
	assert_int_equal(tpl_render(set, "a", ctx, &out), 0);
	assert_string_equal(out.data, "hi you!");

	/* Replacing works; a failed replacement keeps the old template. */
	assert_int_equal(tpl_set_add(set, "a", "bye {{x}}", 9, err, sizeof(err)), 0);
	assert_int_equal(tpl_set_add(set, "a", "{{#x}}", 6, err, sizeof(err)), -EINVAL);
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "a", ctx, &out), 0);
	assert_string_equal(out.data, "bye you");

	/* An empty template is fine and renders nothing. */
	assert_int_equal(tpl_set_add(set, "empty", NULL, 0, err, sizeof(err)), 0);
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "empty", ctx, &out), 0);
	assert_int_equal(out.len, 0);

	json_decref(ctx);
	buf_free(&out);
	tpl_set_free(set);
}

static void test_unknown_template(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	struct buf out;
	buf_init(&out, 64);
	assert_int_equal(tpl_render(set, "nope", NULL, &out), -ENOENT);
	assert_int_equal(tpl_render(NULL, "nope", NULL, &out), -ENOENT);
	assert_int_equal(out.len, 0);
	/* A missing partial, by contrast, renders as nothing. */
	assert_int_equal(tpl_set_add(set, "p", "[{{>nope}}]", 11, NULL, 0), 0);
	assert_int_equal(tpl_render(set, "p", NULL, &out), 0);
	assert_string_equal(out.data, "[]");
	buf_free(&out);
	tpl_set_free(set);
}

static void test_partial_recursion_bomb(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	/* Straight self-recursion stops at the depth limit. */
	assert_int_equal(tpl_set_add(set, "self", "x{{>self}}", 10, NULL, 0), 0);
	/* Mutual recursion, doubling at every level: without a budget on the
	 * number of expansions this would take 2^32 steps. */
	assert_int_equal(tpl_set_add(set, "a", "{{>b}}{{>b}}", 12, NULL, 0), 0);
	assert_int_equal(tpl_set_add(set, "b", "{{>a}}{{>a}}", 12, NULL, 0), 0);

	struct buf out;
	buf_init(&out, OUT_MAX);
	assert_int_equal(tpl_render(set, "self", NULL, &out), 0);
	assert_int_equal(out.len, TPL_MAX_PARTIAL_DEPTH + 1);
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "a", NULL, &out), 0);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	tpl_set_free(set);
}

static void test_partial_indentation(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	const char *outer = "<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n";
	const char *item = "<li>\n  {{>label}}\n</li>\n";
	const char *label = "{{#b}}<b>{{/b}}{{name}}\n{{name}}{{! c }}\n{{! c }}{{name}}\n";
	assert_int_equal(tpl_set_add(set, "outer", outer, strlen(outer), NULL, 0), 0);
	assert_int_equal(tpl_set_add(set, "item", item, strlen(item), NULL, 0), 0);
	assert_int_equal(tpl_set_add(set, "label", label, strlen(label), NULL, 0), 0);
	json_t *ctx = parse("{\"items\": [{\"name\": \"a\\nb\"}, {\"name\": \"c\", \"b\": 1}]}");
	struct buf out;
	buf_init(&out, 4096);
	assert_int_equal(tpl_render(set, "outer", ctx, &out), 0);
	/* Lines of nested standalone partials carry both indents; interpolated
	 * newlines ("a\nb") are data and are not indented. */
	const char *want = "<ul>\n"
			   "  <li>\n"
			   "    a\nb\n"
			   "    a\nb\n"
			   "    a\nb\n"
			   "  </li>\n"
			   "  <li>\n"
			   "    <b>c\n"
			   "    c\n"
			   "    c\n"
			   "  </li>\n"
			   "</ul>\n";
	bool ok = !strcmp(out.data, want);
	if (!ok) {
		show("expected", want, strlen(want));
		show("actual  ", out.data, out.len);
	}
	buf_free(&out);
	json_decref(ctx);
	tpl_set_free(set);
	assert_true(ok);
}

static void test_buf_limit(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	assert_int_equal(tpl_set_add(set, "t", "0123456789{{x}}{{#l}}{{.}}{{/l}}", 32, NULL, 0), 0);
	json_t *ctx = parse("{\"x\": \"<<<<\", \"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
	struct buf out;
	/* Fails in plain text, in escaped output, and inside a section loop. */
	const size_t limits[] = { 5, 12, 30 };
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		buf_init(&out, limits[i]);
		int rc = tpl_render(set, "t", ctx, &out);
		size_t len = out.len;
		buf_free(&out);
		assert_int_equal(rc, -E2BIG);
		assert_true(len <= limits[i]);
	}
	buf_init(&out, 64);
	assert_int_equal(tpl_render(set, "t", ctx, &out), 0);
	assert_string_equal(out.data, "0123456789&lt;&lt;&lt;&lt;12345678910");
	buf_free(&out);
	json_decref(ctx);
	tpl_set_free(set);
}

struct thread_arg {
	const struct tpl_set *set;
	const json_t *ctx;
	const char *want;
	int bad;
};

static void *render_many(void *p)
{
	struct thread_arg *a = p;
	struct buf out;
	buf_init(&out, 1 << 16);
	for (int i = 0; i < 500; i++) {
		buf_reset(&out);
		if (tpl_render(a->set, "page", a->ctx, &out) || strcmp(out.data, a->want))
			a->bad++;
	}
	buf_free(&out);
	return NULL;
}

static void test_concurrent_render(void **state)
{
	(void)state;
	struct tpl_set *set = tpl_set_new();
	assert_non_null(set);
	const char *page = "{{>head}}\n{{#cards}}\n  {{>card}}\n{{/cards}}";
	const char *card = "<div>{{company}} {{#tags}}[{{.}}]{{/tags}}</div>\n";
	assert_int_equal(tpl_set_add(set, "page", page, strlen(page), NULL, 0), 0);
	assert_int_equal(tpl_set_add(set, "card", card, strlen(card), NULL, 0), 0);
	assert_int_equal(tpl_set_add(set, "head", "<h1>{{title}}</h1>\n", 19, NULL, 0), 0);
	json_t *ctx = parse("{\"title\": \"T\", \"cards\": ["
			    "{\"company\": \"A\", \"tags\": [\"x\"]}, {\"company\": \"B\"}]}");
	const char *want = "<h1>T</h1>\n  <div>A [x]</div>\n  <div>B </div>\n";
	struct thread_arg args[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .set = set, .ctx = ctx, .want = want };
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &args[i]), 0);
	}
	int bad = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		bad += args[i].bad;
	}
	json_decref(ctx);
	tpl_set_free(set);
	assert_int_equal(bad, 0);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	struct stat st;
	int failed = 0;
	/* cmocka reports failures on stderr; unbuffered stdout keeps our diffs next to them. */
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!dir || stat(dir, &st) || !S_ISDIR(st.st_mode))
		printf("skipped: mustache spec not found at %s\n", dir ? dir : "(no path given)");
	else
		failed += run_spec(dir);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_by_default),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_null_context),
		cmocka_unit_test(test_nested_sections_parent_lookup),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_set_add_replace_has),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_partial_recursion_bomb),
		cmocka_unit_test(test_partial_indentation),
		cmocka_unit_test(test_buf_limit),
		cmocka_unit_test(test_concurrent_render),
	};
	failed += cmocka_run_group_tests_name("template", tests, NULL, NULL);
	return failed ? 1 : 0;
}

/* Unit tests for src/base/json_read.c: the fast reader returns jansson's own
 * value to the last detail (types, key order, reals) or leaves the input to
 * jansson: every input jansson refuses, and the few it does not handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/json_read.h"

/* Whether two values are the same to the last detail: type, key order, and
 * the bits of every real (dumped at full precision). */
static int identical(json_t *a, json_t *b)
{
	if (!json_equal(a, b))
		return 0;
	char *da = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
	char *db = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
	int same = da && db && strcmp(da, db) == 0;
	free(da);
	free(db);
	return same;
}

static void test_reader_agrees_with_jansson(void **state)
{
	(void)state;
	/* answers: 1 when the fast reader must answer itself (jansson accepts
	 * it and it is nothing the reader leaves alone), 0 when it must leave it. */
	static const struct {
		const char *in;
		size_t len; /* 0: strlen */
		int answers;
	} cases[] = {
		{ "{\"@type\":\"JobPosting\",\"title\":\"t\"}", 0, 1 },
		{ "  \r\n\t[1, -0, 0, 12345678901234, -9223372036854775808, 9223372036854775807]", 0, 1 },
		{ "[1.5, -0.0, 1e3, 1E+3, 2e-2, 0.1, 1.7976931348623157e308, 4.9e-324, 1e-400]", 0, 1 },
		{ "[true,false,null,\"\"]", 0, 1 },
		{ "\"top-level string\" trailing garbage", 0, 1 },
		{ "42}", 0, 1 },
		{ "true1", 0, 1 },
		{ "{\"a\":1}}}", 0, 1 },
		{ "{\"a\":1,\"a\":2,\"b\":3,\"a\":4}", 0, 1 },
		{ "{\"z\":1,\"y\":2,\"x\":{\"w\":[{},[]]}}", 0, 1 },
		{ "{\"d\":\"&lt;p&gt;caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \x7F\"}", 0, 1 },
		{ "{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00<\\/p>\"}", 0, 1 },
		{ "{\"k\\u00e9y\\n\":\"v\",\"\\u0041\":[\"\\/\"]}", 0, 1 },
		{ "{\"long\":\"0123456789012345678901234567890123456789 plain run past sixteen bytes\\n and more\"}", 0,
		  1 },
		/* What jansson refuses: the reader leaves it to jansson. */
		{ "", 0, 0 },
		{ "   ", 0, 0 },
		{ "{\"a\":1,}", 0, 0 },
		{ "[1,]", 0, 0 },
		{ "[,1]", 0, 0 },
		{ "{\"a\" 1}", 0, 0 },
		{ "{'a':1}", 0, 0 },
		{ "{\"a\":01}", 0, 0 },
		{ "[-]", 0, 0 },
		{ "[1.]", 0, 0 },
		{ "[1.e5]", 0, 0 },
		{ "[1e]", 0, 0 },
		{ "[+1]", 0, 0 },
		{ "[.5]", 0, 0 },
		{ "[1e999]", 0, 0 },
		{ "[9223372036854775808]", 0, 0 },
		{ "[truex]", 0, 0 },
		{ "[True]", 0, 0 },
		{ "[nul]", 0, 0 },
		{ "\"tab\there\"", 0, 0 },
		{ "\"new\nline\"", 0, 0 },
		{ "\"\\u0000\"", 0, 0 },
		{ "\"\\x41\"", 0, 0 },
		{ "\"\\'\"", 0, 0 },
		{ "\"\\u12\"", 0, 0 },
		{ "\"\\ud83d\"", 0, 0 },
		{ "\"\\ud83d\\u0041\"", 0, 0 },
		{ "\"\\ude00\"", 0, 0 },
		{ "\"unterminated", 0, 0 },
		{ "\"\xC3\"", 0, 0 },
		{ "\"\xC0\x80\"", 0, 0 },
		{ "\"\xE0\x80\x80\"", 0, 0 },
		{ "\"\xED\xA0\x80\"", 0, 0 },
		{ "\"\xF4\x90\x80\x80\"", 0, 0 },
		{ "\"\xF5\x80\x80\x80\"", 0, 0 },
		{ "\"\x80\"", 0, 0 },
		{ "[1\xC3\xA9]", 0, 0 },
		{ "{\"a\":1\f}", 0, 0 },
		{ "[1,2", 0, 0 },
		{ "{\"a\":", 0, 0 },
		{ "\"a\0b\"", 5, 0 },
		{ "[\"a\"\0]", 6, 0 },
		/* What jansson accepts but the reader leaves to it. */
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
		  "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		  0, 0 },
		{ "[1.00000000000000000000000000000000000000000000000000000000000000000001]", 0, 0 },
		{ "{\"\\u00e9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":1}",
		  0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *in = cases[i].in;
		size_t len = cases[i].len ? cases[i].len : strlen(in);
		json_t *slow = json_loadb(in, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, NULL);
		json_t *fast = json_read(in, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK);
		if (!!fast != cases[i].answers)
			fail_msg("case %zu (%.60s): reader %s, want it to %s", i, in, fast ? "answered" : "left it",
				 cases[i].answers ? "answer" : "leave it to jansson");
		if (!cases[i].answers && !strchr("[{", in[0]))
			assert_null(slow); /* the refusals above are jansson's too */
		if (fast && (!slow || !identical(fast, slow)))
			fail_msg("case %zu (%.60s): the reader's value differs from jansson's", i, in);
		json_decref(fast);
		json_decref(slow);
	}
	/* A string longer than the reader's buffer on the stack, full of escapes. */
	size_t n = 100000;
	char *big = malloc(n + 3);
	assert_non_null(big);
	big[0] = '"';
	for (size_t i = 1; i <= n; i++)
		big[i] = (i % 7 == 1 && i + 1 <= n) ? '\\' : (i % 7 == 2 ? 'n' : 'x');
	big[n + 1] = '"';
	big[n + 2] = '\0';
	json_t *slow = json_loadb(big, n + 2, JSON_DECODE_ANY, NULL);
	json_t *fast = json_read(big, n + 2, JSON_DECODE_ANY);
	assert_non_null(slow);
	assert_non_null(fast);
	assert_true(identical(fast, slow));
	json_decref(fast);
	json_decref(slow);
	free(big);
}

/* Without JSON_DECODE_ANY the value must be an object or an array; without
 * JSON_DISABLE_EOF_CHECK nothing but whitespace may follow it; other flags
 * are jansson's business. */
static void test_reader_flags(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t flags;
		int answers;
	} cases[] = {
		{ "{\"a\":1}", 0, 1 },
		{ " \n[1,2]\r\n\t ", 0, 1 },
		{ "{\"a\":1} x", 0, 0 },
		{ "{\"a\":1}}", 0, 0 },
		{ "[1]\f", 0, 0 },
		{ "\"s\"", 0, 0 },
		{ "42", 0, 0 },
		{ "42", JSON_DECODE_ANY, 1 },
		{ "42 ", JSON_DECODE_ANY, 1 },
		{ "42x", JSON_DECODE_ANY, 0 },
		{ "42x", JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, 1 },
		{ "{\"a\":1} x", JSON_DISABLE_EOF_CHECK, 1 },
		{ "{\"a\":1,\"a\":2}", JSON_REJECT_DUPLICATES, 0 },
		{ "{\"a\":1}", JSON_REJECT_DUPLICATES, 0 },
		{ "[1]", JSON_DECODE_INT_AS_REAL, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *in = cases[i].in;
		size_t len = strlen(in);
		json_t *slow = json_loadb(in, len, cases[i].flags, NULL);
		json_t *fast = json_read(in, len, cases[i].flags);
		if (!!fast != cases[i].answers)
			fail_msg("case %zu (%s, flags %zx): reader %s", i, in, cases[i].flags,
				 fast ? "answered" : "left it to jansson");
		if (fast && (!slow || !identical(fast, slow)))
			fail_msg("case %zu (%s): the reader's value differs from jansson's", i, in);
		json_t *either = json_read_or_load(in, len, cases[i].flags, NULL);
		assert_true(!!either == !!slow);
		if (either)
			assert_true(identical(either, slow));
		json_decref(either);
		json_decref(fast);
		json_decref(slow);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_agrees_with_jansson),
		cmocka_unit_test(test_reader_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

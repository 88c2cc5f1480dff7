/* Unit tests for src/search/tokenize: folding and lower-casing, technical
 * tokens kept whole, what separates words, stemming of ordinary words only,
 * byte offsets and positions, bad UTF-8 and over-long words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "search/tokenize.h"

struct collected {
	char joined[1024]; /* terms separated by '|' */
	size_t len;
	struct token last;
	uint32_t count;
};

static int collect(void *ctx, const struct token *tok)
{
	struct collected *c = ctx;
	int n = snprintf(c->joined + c->len, sizeof(c->joined) - c->len, "%s%s", c->len ? "|" : "", tok->term);
	if (n > 0 && (size_t)n < sizeof(c->joined) - c->len)
		c->len += (size_t)n;
	assert_int_equal(strlen(tok->term), tok->len);
	assert_int_equal(tok->pos, c->count);
	c->count++;
	c->last = *tok;
	return 0;
}

static const char *terms(struct tokenizer *t, const char *text, unsigned flags, struct collected *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(tokenize(t, text, strlen(text), flags, collect, c), 0);
	return c->joined;
}

static void test_folding(void **state)
{
	struct tokenizer *t = *state;
	struct collected c;
	assert_string_equal(terms(t, "Zürich Straße CAFÉ Œuvre naïve Łódź", 0, &c),
			    "zurich|strasse|cafe|oeuvre|naive|lodz");
	assert_string_equal(terms(t, "ÀÉÎÕÜ ñ ç ø å æ", 0, &c), "aeiou|n|c|o|a|ae");
	/* Greek and Cyrillic lower-cased, CJK kept. */
	assert_string_equal(terms(t, "ΑΘΗΝΑ МОСКВА 東京", 0, &c), "αθηνα|москва|東京");
	/* A combining accent is dropped, not a separator. */
	assert_string_equal(terms(t, "Cafe\xcc\x81 ok", 0, &c), "cafe|ok");
}

/* Whole values (city, company filters) folded as words, runs of the rest one space. */
static void test_fold_whole(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(tokenizer_fold("Zürich", strlen("Zürich"), out, sizeof(out)), 6);
	assert_string_equal(out, "zurich");
	tokenizer_fold("  São--Paulo! ", 14, out, sizeof(out));
	assert_string_equal(out, "sao paulo");
	tokenizer_fold("Nestlé S.A.", strlen("Nestlé S.A."), out, sizeof(out));
	assert_string_equal(out, "nestle s a");
	assert_int_equal(tokenizer_fold("-- !", 4, out, sizeof(out)), 0);
	assert_int_equal(tokenizer_fold("abcdefghijklmnopqrstuvwxyz", 26, out, 8), 7); /* cut to fit */
	assert_string_equal(out, "abcdefg");
}

static void test_technical_tokens(void **state)
{
	struct tokenizer *t = *state;
	struct collected c;
	assert_string_equal(terms(t, "C++ C# F# .NET Node.js ASP.NET", TOK_STEM, &c), "c++|c#|f#|.net|node.js|asp.net");
	assert_string_equal(terms(t, "CI/CD, A/B testing; TCP/IP and R&D", TOK_STEM, &c),
			    "ci/cd|a/b|test|tcp/ip|and|r&d");
	assert_string_equal(terms(t, "Python 3.11, Vue.js. g++", 0, &c), "python|3.11|vue.js|g++");
	/* Long parts around '/' are two words; a sentence end is not a join. */
	assert_string_equal(terms(t, "frontend/backend", 0, &c), "frontend|backend");
	assert_string_equal(terms(t, "experience.We want", 0, &c), "experience|we|want");
	assert_string_equal(terms(t, "Done. Next", 0, &c), "done|next");
	/* "5+" is 5; '#' only after a single letter; "a+b" is two words. */
	assert_string_equal(terms(t, "5+ years #hashtag ab# a+b", 0, &c), "5|years|hashtag|ab|a|b");
	assert_int_equal(c.last.technical, false);
	terms(t, "node.js", TOK_STEM, &c);
	assert_true(c.last.technical);
	/* ".5" is just 5; a lone '.' or '/' makes nothing. */
	assert_string_equal(terms(t, ". / .5 ..", 0, &c), "5");
}

static void test_separators(void **state)
{
	struct tokenizer *t = *state;
	struct collected c;
	assert_string_equal(terms(t, "full-time, company's team_lead (m/w/d)!", 0, &c),
			    "full|time|company|s|team|lead|m/w/d");
	assert_string_equal(terms(t,
				  "a\xe2\x80\x94"
				  "b\xc2\xa0"
				  "c \xe2\x80\x9cquoted\xe2\x80\x9d",
				  0, &c),
			    "a|b|c|quoted");
	assert_string_equal(terms(t, "", 0, &c), "");
	assert_int_equal(c.count, 0);
}

static void test_stemming(void **state)
{
	struct tokenizer *t = *state;
	struct collected c;
	assert_string_equal(terms(t, "Engineering engineers managed management running", TOK_STEM, &c),
			    "engin|engin|manag|manag|run");
	/* Digits and technical tokens are not stemmed; without TOK_STEM nothing is. */
	assert_string_equal(terms(t, "k8s b2b services", TOK_STEM, &c), "k8s|b2b|servic");
	assert_string_equal(terms(t, "services", 0, &c), "services");
	/* The cache gives the same answer the second time and beyond its growth. */
	char word[16], out[TOK_TERM_MAX + 1];
	for (int i = 0; i < 10000; i++) {
		snprintf(word, sizeof(word), "word%c%c%c", 'a' + i % 26, 'a' + (i / 26) % 26, 'a' + (i / 676) % 26);
		tokenizer_stem(t, word, strlen(word), out, sizeof(out));
	}
	assert_int_equal(tokenizer_stem(t, "running", 7, out, sizeof(out)), 3);
	assert_string_equal(out, "run");
	assert_int_equal(tokenizer_stem(t, "running", 7, out, 3), 2);
	assert_string_equal(out, "ru");
}

static void test_offsets_and_limits(void **state)
{
	struct tokenizer *t = *state;
	struct collected c;
	const char *text = "Senior  Zürich-based";
	terms(t, text, 0, &c);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.last.start, 16); /* "ü" is two bytes */
	assert_int_equal(c.last.end, strlen(text));
	/* Bad UTF-8 separates; a truncated sequence at the end too. */
	assert_string_equal(terms(t,
				  "ab\xff"
				  "cd\xc3(\xe2\x82",
				  0, &c),
			    "ab|cd");
	/* An over-long word is cut at TOK_TERM_MAX bytes on a character boundary. */
	char longw[300];
	memset(longw, 'x', 99);
	memcpy(longw + 99, "\xc3\xa9", 2);
	memset(longw + 101, 'y', 100);
	longw[201] = '\0';
	terms(t, longw, 0, &c);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.last.len, TOK_TERM_MAX);
	memset(longw, 'x', TOK_TERM_MAX - 1);
	memcpy(longw + TOK_TERM_MAX - 1, "\xce\xb1z", 4);
	terms(t, longw, 0, &c);
	assert_int_equal(c.last.len, TOK_TERM_MAX - 1);
}

static int stop_at_two(void *ctx, const struct token *tok)
{
	(void)tok;
	return ++*(int *)ctx == 2 ? 7 : 0;
}

static void test_callback_stops(void **state)
{
	int seen = 0;
	assert_int_equal(tokenize(*state, "one two three", 13, 0, stop_at_two, &seen), 7);
	assert_int_equal(seen, 2);
}

static int setup(void **state)
{
	*state = tokenizer_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	tokenizer_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folding),          cmocka_unit_test(test_fold_whole),
		cmocka_unit_test(test_technical_tokens), cmocka_unit_test(test_separators),
		cmocka_unit_test(test_stemming),         cmocka_unit_test(test_offsets_and_limits),
		cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests for src/search/query: each construct of the query language as
 * the tree it makes (query_describe), and malformed queries as messages
 * with the offset they point at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "search/query.h"
#include "search/tokenize.h"

struct fixture {
	struct tokenizer *tok;
	struct arena a;
	struct buf b;
};

/* The tree of text, or "error@OFFSET: message". */
static const char *parse(struct fixture *f, const char *text)
{
	struct query q;
	struct query_error err;
	buf_reset(&f->b);
	int rc = query_parse(f->tok, text, strlen(text), &f->a, &q, &err);
	if (rc) {
		assert_int_equal(rc, -EINVAL);
		assert_true(err.message[0] != '\0');
		buf_printf(&f->b, "error@%zu: %s", err.offset, err.message);
	} else {
		query_describe(&q, &f->b);
	}
	return f->b.data;
}

static void test_words_and_phrases(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse(f, "rust"), "rust");
	assert_string_equal(parse(f, "Senior Engineers"), "(and senior engin)");
	assert_string_equal(parse(f, "rust AND backend"), "(and rust backend)");
	assert_string_equal(parse(f, "\"Site Reliability\" engineer"), "(and \"site reliabl\" engin)");
	/* A hyphenated word is a phrase of its parts; a one-word phrase is a word. */
	assert_string_equal(parse(f, "full-time"), "\"full time\"");
	assert_string_equal(parse(f, "\"rust\""), "rust");
	/* Technical tokens come through whole and unstemmed. */
	assert_string_equal(parse(f, "C++ c# .NET node.js ci/cd"), "(and c++ c# .net node.js ci/cd)");
	/* Words of punctuation only are dropped; an empty query is "everything". */
	assert_string_equal(parse(f, "rust & go"), "(and rust go)");
	assert_string_equal(parse(f, "   "), "(all)");
	assert_string_equal(parse(f, ""), "(all)");
	assert_string_equal(parse(f, "- rust -"), "rust");
}

static void test_operators(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse(f, "rust OR go"), "(or rust go)");
	assert_string_equal(parse(f, "rust go OR python"), "(or (and rust go) python)");
	assert_string_equal(parse(f, "(rust OR go) remote"), "(and (or rust go) remot)");
	assert_string_equal(parse(f, "rust -java -\"big data\""), "(and rust -java -\"big data\")");
	/* only exclusions: the whole query is every posting without them */
	assert_string_equal(parse(f, "-java"), "-java");
	assert_string_equal(parse(f, "  -java -\"big data\" "), "(and -java -\"big data\")");
	assert_string_equal(parse(f, "engineer -(java OR php)"), "(and engin -(or java php))");
	/* Operators in any case; quoted, the word itself. */
	assert_string_equal(parse(f, "this or that"), "(or this that)");
	assert_string_equal(parse(f, "rust or python"), "(or rust python)");
	assert_string_equal(parse(f, "rust and go"), "(and rust go)");
	assert_string_equal(parse(f, "rust \"or\" go"), "(and rust or go)");
	/* | and || as OR, as other search boxes take them */
	assert_string_equal(parse(f, "rust | go"), "(or rust go)");
	assert_string_equal(parse(f, "rust || go python"), "(or rust (and go python))");
	/* NOT as the minus */
	assert_string_equal(parse(f, "NOT rust"), "-rust");
	assert_string_equal(parse(f, "rust NOT go"), "(and rust -go)");
	assert_string_equal(parse(f, "rust not \"big data\""), "(and rust -\"big data\")");
	assert_string_equal(parse(f, "rust AND NOT go"), "(and rust -go)");
	assert_string_equal(parse(f, "dev* Kube*"), "(and dev* kube*)");
	assert_string_equal(parse(f, "developer*"), "develop*");
	assert_string_equal(parse(f, "((rust))"), "rust");
}

static void test_fields(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse(f, "title:rust"), "title:rust");
	assert_string_equal(parse(f, "Company:\"Acme Corp\" location:berlin"),
			    "(and company:\"acm corp\" location:berlin)");
	assert_string_equal(parse(f, "title:dev* -company:acme"), "(and title:dev* -company:acm)");
	assert_string_equal(parse(f, "location:São-Paulo"), "location:\"sao paulo\"");
	/* a minus after the field excludes the word in that field */
	assert_string_equal(parse(f, "engineer title:-rust"), "(and engin -title:rust)");
	assert_string_equal(parse(f, "title:-\"big data\""), "-title:\"big data\"");
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse(f, "rust \"big data"), "error@5: the quote opened here is not closed");
	assert_string_equal(parse(f, "a (b OR c"), "error@2: the parenthesis opened here is not closed");
	assert_string_equal(parse(f, "a b)"), "error@3: this ) has no ( before it");
	assert_string_equal(parse(f, "OR rust"), "error@0: OR needs something to search for on both sides");
	assert_string_equal(parse(f, "rust OR"), "error@5: OR needs something to search for on both sides");
	assert_string_equal(parse(f, "a OR OR b"), "error@5: OR needs something to search for on both sides");
	assert_string_equal(parse(f, "rust OR -java"), "error@8: exclusions (-word) inside parentheses or beside OR "
						       "need a word to search for with them");
	assert_string_equal(parse(f, "-java OR rust"), "error@0: exclusions (-word) inside parentheses or beside OR "
						       "need a word to search for with them");
	assert_string_equal(parse(f, "rust (-java)"), "error@6: exclusions (-word) inside parentheses or beside OR "
						      "need a word to search for with them");
	assert_string_equal(parse(f, "salary:100k"),
			    "error@0: unknown field \"salary\": use title:, company: or location:");
	assert_string_equal(parse(f, "x title: rust"), "error@2: title: needs a word or a \"phrase\" right after it");
	assert_string_equal(parse(f, "title:(a b)"),
			    "error@0: a field applies to one word or a \"phrase\", not to parentheses");
	assert_string_equal(parse(f, "a*b"), "error@1: * may only end a word (a prefix: dev*)");
	assert_string_equal(parse(f, "r*"), "error@0: a prefix (*) needs at least 2 letters before the *");
	assert_string_equal(parse(f, "full-ti*"), "error@0: a prefix (*) applies to one word");
	assert_string_equal(parse(f, "AND"), "error@0: AND needs something to search for on both sides");
	assert_string_equal(parse(f, "rust AND"), "error@5: AND needs something to search for on both sides");
	assert_string_equal(parse(f, "AND rust"), "error@0: AND needs something to search for on both sides");
	assert_string_equal(parse(f, "or"), "error@0: OR needs something to search for on both sides");
	assert_string_equal(parse(f, "rust |"), "error@5: OR needs something to search for on both sides");
	assert_string_equal(parse(f, "rust NOT"),
			    "error@5: NOT needs a word or a \"phrase\" after it (NOT java, or -java)");
	assert_string_equal(parse(f, "NOT -rust"),
			    "error@0: NOT needs a word or a \"phrase\" after it (NOT java, or -java)");
	assert_string_equal(parse(f, "-title:-rust"), "error@0: exclude once: -title:rust or title:-rust, not both");
	assert_string_equal(parse(f, "title:- rust"), "error@0: title:- needs a word or a \"phrase\" right after it");
	assert_string_equal(parse(f, "rust^2"),
			    "error@4: ^ (a boost) is not supported: remove it and the number after it");
	assert_string_equal(parse(f, "rust~"), "error@4: ~ (fuzzy or proximity search) is not supported: remove it");
	assert_string_equal(parse(f, "&& !!"), "error@0: the query has no words to search for (only punctuation)");
	assert_string_equal(parse(f, "()"), "error@0: the query has no words to search for (only punctuation)");
}

static void test_bounds(void **state)
{
	struct fixture *f = *state;
	char text[QUERY_MAX_BYTES + 8];
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_string_equal(parse(f, text), "error@1024: a query may be at most 1024 bytes long");
	/* 33 words */
	size_t n = 0;
	for (int i = 0; i <= QUERY_MAX_TERMS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "w%d ", i);
	assert_string_equal(parse(f, text), "error@118: a query may have at most 32 words");
	n = 0;
	for (int i = 0; i <= QUERY_MAX_DEPTH; i++)
		text[n++] = '(';
	text[n++] = 'x';
	text[n] = '\0';
	assert_string_equal(parse(f, text), "error@8: parentheses may nest at most 8 deep");
	memset(text, 0, sizeof(text));
	text[0] = '"';
	for (int i = 0; i <= QUERY_MAX_PHRASE; i++)
		memcpy(text + 1 + 2 * i, "w ", 2);
	text[1 + 2 * (QUERY_MAX_PHRASE + 1)] = '"';
	assert_string_equal(parse(f, text), "error@1: a phrase may have at most 16 words");
	struct query q;
	struct query_error err;
	assert_int_equal(query_parse(f->tok, "a\0b", 3, &f->a, &q, &err), -EINVAL);
	assert_int_equal(err.offset, 1);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || !(f->tok = tokenizer_new()))
		return -1;
	arena_init(&f->a, 0);
	buf_init(&f->b, 1 << 16);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tokenizer_free(f->tok);
	arena_free(&f->a);
	buf_free(&f->b);
	free(f);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_phrases),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

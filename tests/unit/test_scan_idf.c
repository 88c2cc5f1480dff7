/* Unit tests for the scanner's word weights (src/scan/idf, idf_store): the
 * built-in default by word class, a table built from documents, and the
 * same table built from postings in a real store (SQLite, or PostgreSQL
 * when JT_TEST_STORE_URL names it), which then decides which of a
 * posting's words are keywords; from the newest postings, or from every
 * open one. */
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scan/idf.h"
#include "scan/idf_store.h"
#include "scan/jd.h"
#include "scan_fixture.h"
#include "store_fixture.h"

static double w(const struct idf_table *t, const char *word)
{
	return idf_weight(t, word, strlen(word), scan_hash(word, strlen(word)));
}

static void test_default_weights(void **state)
{
	(void)state;
	struct idf_table t;
	idf_init(&t);
	assert_true(w(&t, "the") == 0);
	assert_true(w(&t, "experience") < w(&t, "customers"));
	assert_true(w(&t, "customers") < w(&t, "reconciliation"));
	idf_free(&t);
}

static void add_text(struct idf_table *t, struct arena *a, const char *text)
{
	struct scan_tokens toks;
	assert_int_equal(scan_tokenize(a, text, strlen(text), &toks), 0);
	assert_int_equal(idf_add_doc(t, &toks), 0);
}

static void test_table_from_documents(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct idf_table t;
	idf_init(&t);
	for (int i = 0; i < 40; i++)
		add_text(&t, &a, i % 10 == 0 ? "kafka kafka platform" : "platform team");
	assert_int_equal(t.ndocs, 40);
	/* counted once per document; rarer is heavier */
	assert_true(fabs(w(&t, "kafka") - (log(41.0 / 5.0) + 1)) < 1e-9);
	assert_true(w(&t, "platform") < w(&t, "kafka"));
	assert_true(w(&t, "unseen") > w(&t, "kafka"));
	idf_free(&t);
	arena_free(&a);
}

/* Posting i of the store, first seen at 1000 + i (newer the higher). */
static void ingest(struct store_fixture *fx, int i, const char *text)
{
	struct posting_ingest in = { 0 };
	char id[16], key[32], hash[16];
	snprintf(id, sizeof(id), "%d", i);
	snprintf(key, sizeof(key), "acme|job %d|berlin", i);
	snprintf(hash, sizeof(hash), "h%d", i);
	in.posting.canonical_key = key;
	in.posting.title = "Engineer";
	in.posting.company = "Acme";
	in.posting.description_text = text;
	in.posting.description_html = text;
	in.source = "test";
	in.external_id = id;
	in.content_hash = hash;
	in.seen_at = 1000 + i;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change ch;
	assert_int_equal(store_posting_ingest(fx->s, &in, &ch, NULL), STORE_OK);
}

static void test_table_from_store(void **state)
{
	(void)state;
	struct store_fixture fx;
	assert_int_equal(store_fixture_make(&fx, NULL, 1), 0);
	struct arena a;
	arena_init(&a, 0);
	for (int i = 0; i < 30; i++)
		ingest(&fx, i,
		       i < 3 ? "We build with Zookeeper and care about widgets"
			     : "We build software and care about widgets");
	struct idf_table t;
	idf_init(&t);
	size_t added;
	assert_int_equal(idf_from_store(&t, fx.s, 1000, &added), 0);
	assert_int_equal(added, 30);
	assert_int_equal(t.ndocs, 30);
	assert_true(w(&t, "zookeeper") > w(&t, "widgets"));
	/* the bound holds */
	struct idf_table few;
	idf_init(&few);
	assert_int_equal(idf_from_store(&few, fx.s, 7, &added), 0);
	assert_int_equal(added, 7);
	/* With the store's weights, a word only this posting uses is a keyword
	 * even once; words every posting uses are not. */
	const char *text = "Engineer\nWe build with Zookeeper and care about widgets.\n";
	struct jd_terms jd;
	assert_int_equal(jd_extract(&a, &fixture_m, &t, NULL, text, strlen(text), &jd), 0);
	assert_true(jd.n_keywords >= 1);
	assert_string_equal(jd.keywords[0].text, "zookeeper");
	idf_free(&few);
	idf_free(&t);
	arena_free(&a);
	store_fixture_destroy(&fx);
}

/* A word every OLD posting uses (beyond the newest few a quick table
 * reads, here 24) weighs little in the table over every open posting: the whole
 * corpus counts, read in pages smaller than it. */
static void test_table_from_whole_store(void **state)
{
	(void)state;
	struct store_fixture fx;
	assert_int_equal(store_fixture_make(&fx, NULL, 1), 0);
	for (int i = 0; i < 60; i++)
		ingest(&fx, i, i < 36 ? "Mainframe work in Cobol for the bank" : "Kubernetes work for the shop");
	struct idf_table newest, all;
	idf_init(&newest);
	idf_init(&all);
	size_t added;
	assert_int_equal(idf_from_store(&newest, fx.s, 24, &added), 0);
	assert_int_equal(added, 24);
	struct idf_mark mark;
	assert_int_equal(idf_from_store_all(&all, fx.s, 7, &mark, &added), 0);
	assert_int_equal(added, 60);
	assert_int_equal(all.ndocs, 60);
	assert_true(mark.id != 0);
	/* the newest 24 never say cobol: a rare word to them */
	assert_true(w(&newest, "cobol") > w(&newest, "kubernetes"));
	/* 36 of all 60 do */
	assert_true(w(&all, "cobol") < w(&newest, "cobol"));
	assert_true(w(&all, "cobol") < w(&all, "kubernetes"));
	assert_true(fabs(w(&all, "cobol") - (log(61.0 / 37.0) + 1)) < 1e-9);
	/* nothing changed since the build; a new posting is a change */
	bool changed = true;
	assert_int_equal(idf_store_changed(fx.s, &mark, &changed), 0);
	assert_false(changed);
	ingest(&fx, 60, "Cobol again");
	assert_int_equal(idf_store_changed(fx.s, &mark, &changed), 0);
	assert_true(changed);
	idf_free(&newest);
	idf_free(&all);
	store_fixture_destroy(&fx);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_idf TAXONOMY_DIR\n");
		return 2;
	}
	scan_fixture_load(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_weights),
		cmocka_unit_test(test_table_from_documents),
		cmocka_unit_test(test_table_from_store),
		cmocka_unit_test(test_table_from_whole_store),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}

/* Unit tests for src/scrape/dedupe: canonical keys that agree across
 * sources, SimHash distances that separate near-duplicates from different
 * texts, content hashes that move with every visible field, and the apply
 * link preference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scrape/dedupe.h"

static struct posting make(const char *company, const char *title, const char *locality, const char *country)
{
	struct posting p = { .company = company, .title = title, .source = "lever", .external_id = "1" };
	p.location.locality = locality;
	if (country)
		snprintf(p.location.country, sizeof(p.location.country), "%s", country);
	return p;
}

static void test_company_names_agree(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	static const char *const same[][2] = {
		{ "Acme, Inc.", "ACME" },    { "Acme Corp", "acme" },     { "The Acme Company", "Acme" },
		{ "Zalando SE", "zalando" }, { "Spotify AB", "Spotify" }, { "Foo GmbH & Co. KG", "foo" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(dedupe_normalize_company(&a, same[i][0]), dedupe_normalize_company(&a, same[i][1]));
	/* A legal word that is the name itself stays. */
	assert_string_equal(dedupe_normalize_company(&a, "AB InBev"), "ab inbev");
	assert_string_not_equal(dedupe_normalize_company(&a, "Acme"), dedupe_normalize_company(&a, "Acme Labs"));
	arena_free(&a);
}

static void test_titles_agree(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	static const char *const same[][2] = {
		{ "Senior Backend Engineer (m/w/d)", "senior backend engineer" },
		{ "Sr. Backend Engineer", "Senior Backend Engineer" },
		{ "Backend Engineer - Remote", "Backend Engineer" },
		{ "Backend Engineer [Berlin]", "Backend Engineer" },
		{ "Software Engineer II", "Software Engineer 2" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(dedupe_normalize_title(&a, same[i][0]), dedupe_normalize_title(&a, same[i][1]));
	/* Technical tokens keep their identity. */
	assert_string_not_equal(dedupe_normalize_title(&a, "C++ Developer"), dedupe_normalize_title(&a, "C Developer"));
	assert_string_not_equal(dedupe_normalize_title(&a, "C# Developer"), dedupe_normalize_title(&a, "C Developer"));
	assert_string_not_equal(dedupe_normalize_title(&a, "Senior Engineer"), dedupe_normalize_title(&a, "Engineer"));
	arena_free(&a);
}

static void test_canonical_key(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct posting gh = make("Acme, Inc.", "Senior Engineer", "London", NULL);
	struct posting li = make("ACME", "Sr Engineer", "London", "GB");
	li.source = "linkedin";
	assert_string_equal(dedupe_canonical_key(&a, &gh), dedupe_canonical_key(&a, &li));
	assert_string_equal(dedupe_canonical_key(&a, &gh), "acme|senior engineer|london");
	struct posting paris = make("Acme", "Senior Engineer", "Paris", "FR");
	assert_string_not_equal(dedupe_canonical_key(&a, &gh), dedupe_canonical_key(&a, &paris));
	struct posting country_only = make("Acme", "Senior Engineer", NULL, "DE");
	assert_string_equal(dedupe_canonical_key(&a, &country_only), "acme|senior engineer|de");
	struct posting remote = make("Acme", "Senior Engineer", NULL, NULL);
	remote.workplace = WORKPLACE_REMOTE;
	assert_string_equal(dedupe_canonical_key(&a, &remote), "acme|senior engineer|remote");
	/* No company: a key no other posting can share. */
	struct posting anon = make(NULL, "Engineer", NULL, NULL);
	struct posting anon2 = make(NULL, "Engineer", NULL, NULL);
	anon2.external_id = "2";
	assert_string_not_equal(dedupe_canonical_key(&a, &anon), dedupe_canonical_key(&a, &anon2));
	arena_free(&a);
}

static const char base_text[] =
    "We are looking for a senior backend engineer to design, build and operate the services behind our "
    "payments platform. You will work with Go and PostgreSQL, own features end to end, review code, mentor "
    "colleagues and take part in an on-call rotation. You have five or more years of experience building "
    "distributed systems, you care about reliability and observability, and you write clearly. We offer a "
    "competitive salary, equity, thirty days of holiday, a learning budget and flexible working hours.";

static void test_simhash_near_duplicates(void **state)
{
	(void)state;
	uint64_t h = dedupe_simhash(base_text);
	assert_int_not_equal(h, 0);
	assert_int_equal(dedupe_distance(h, dedupe_simhash(base_text)), 0);
	/* Case, punctuation and spacing do not matter. */
	char shouted[sizeof(base_text)];
	for (size_t i = 0; i < sizeof(base_text); i++)
		shouted[i] = (char)(base_text[i] >= 'a' && base_text[i] <= 'z' ? base_text[i] - 32 : base_text[i]);
	assert_int_equal(dedupe_distance(h, dedupe_simhash(shouted)), 0);
	/* The same text with an aggregator's sentence added stays near. */
	char more[1024];
	snprintf(more, sizeof(more), "%s Apply via our careers page.", base_text);
	assert_true(dedupe_distance(h, dedupe_simhash(more)) <= DEDUPE_SIMHASH_MAX_DISTANCE);
	/* A different job is far. */
	uint64_t other = dedupe_simhash(
	    "Our bakery in the city centre needs a pastry chef for early shifts. You bake bread, croissants and "
	    "cakes, keep the kitchen clean and order ingredients. Experience in a professional kitchen and a food "
	    "hygiene certificate are required; weekend work is part of the rota and paid at a higher rate.");
	assert_true(dedupe_distance(h, other) > DEDUPE_SIMHASH_MAX_DISTANCE * 2);
	assert_int_equal(dedupe_simhash(""), 0);
	assert_int_equal(dedupe_simhash(NULL), 0);
}

/* SimHashes are stored with every posting: a faster dedupe_simhash must
 * give the very bits of the plain one below (one ±1 per bit per shingle). */
static uint64_t reference_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int reference_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static uint64_t reference_simhash(const char *text)
{
	int weights[64] = { 0 };
	uint64_t word_hash[3] = { 0 };
	size_t words = 0, shingles = 0;
	const char *p = text, *end = text + strnlen(text, 200000);
	while (p < end) {
		while (p < end && !reference_word_byte((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t wl = 0;
		for (; p < end && reference_word_byte((unsigned char)*p); p++)
			if (wl++ < 64) {
				unsigned char c = (unsigned char)*p;
				h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 0x100000001b3ULL;
			}
		word_hash[0] = word_hash[1];
		word_hash[1] = word_hash[2];
		word_hash[2] = h;
		if (++words < 3)
			continue;
		uint64_t s = reference_mix(word_hash[0] ^ reference_mix(word_hash[1] ^ reference_mix(word_hash[2])));
		for (int b = 0; b < 64; b++)
			weights[b] += (s >> b) & 1 ? 1 : -1;
		shingles++;
	}
	if (shingles == 0)
		return words ? reference_mix(word_hash[2] ^ reference_mix(word_hash[1])) : 0;
	uint64_t out = 0;
	for (int b = 0; b < 64; b++)
		if (weights[b] > 0)
			out |= 1ULL << b;
	return out;
}

static void test_simhash_bits_are_stable(void **state)
{
	(void)state;
	/* Values stored by earlier versions. */
	assert_true(dedupe_simhash(base_text) == reference_simhash(base_text));
	assert_true(dedupe_simhash("one") == reference_simhash("one"));
	assert_true(dedupe_simhash("one two") == reference_simhash("one two"));
	assert_true(dedupe_simhash("Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
				   "e!") == reference_simhash("Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
							      "e!"));
	/* Random texts of every length up to past the 200 KB bound: words of
	 * one to 80 bytes (past the 64 that count), ASCII and UTF-8 bytes,
	 * punctuation, and thousands of shingles. */
	static const char alphabet[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_\n\t()\xc3\xa9";
	size_t max = 210000;
	char *text = malloc(max + 1);
	assert_non_null(text);
	uint32_t x = 12345;
	for (int round = 0; round < 60; round++) {
		size_t n = round < 40 ? (size_t)round * round * 7 : max - (size_t)(59 - round) * 3000;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = (x >> 8) % 1000;
			text[i] = r < 150 ? ' ' : r < 160 ? ',' : alphabet[(x >> 12) % (sizeof(alphabet) - 1)];
		}
		if (round % 10 == 9) /* a long word */
			memset(text + n / 3, 'q', n / 3 > 90 ? 90 : n / 3);
		text[n] = '\0';
		uint64_t want = reference_simhash(text), got = dedupe_simhash(text);
		if (want != got)
			fail_msg("round %d (%zu bytes): simhash %016llx, want %016llx", round, n,
				 (unsigned long long)got, (unsigned long long)want);
	}
	/* One shingle over and over: every counter runs as high as it can. */
	for (size_t i = 0; i < 6000; i++)
		memcpy(text + 5 * i, "same ", 5);
	text[30000] = '\0';
	assert_true(dedupe_simhash(text) == reference_simhash(text));
	free(text);
}

static void test_content_hash_moves_with_fields(void **state)
{
	(void)state;
	struct posting p = make("Acme", "Engineer", "London", "GB");
	p.description_html = "<p>Hello</p>";
	char h1[33], h2[33];
	dedupe_content_hash(&p, h1);
	assert_int_equal(strlen(h1), 32);
	dedupe_content_hash(&p, h2);
	assert_string_equal(h1, h2);
	p.salary.present = true;
	p.salary.min = 100000;
	dedupe_content_hash(&p, h2);
	assert_string_not_equal(h1, h2);
	p.salary.present = false;
	p.salary.min = 0;
	dedupe_content_hash(&p, h2);
	assert_string_equal(h1, h2);
	/* Field boundaries count: "ab"+"c" is not "a"+"bc". */
	struct posting x = make("ab", "c", NULL, NULL), y = make("a", "bc", NULL, NULL);
	dedupe_content_hash(&x, h1);
	dedupe_content_hash(&y, h2);
	assert_string_not_equal(h1, h2);
}

static void test_apply_rank(void **state)
{
	(void)state;
	assert_true(dedupe_apply_rank("greenhouse") > dedupe_apply_rank("remoteok"));
	assert_true(dedupe_apply_rank("jsonld") > dedupe_apply_rank("linkedin"));
	assert_true(dedupe_apply_rank("lever") > dedupe_apply_rank("hackernews"));
	assert_true(dedupe_apply_rank("unknown-source") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_company_names_agree),
		cmocka_unit_test(test_titles_agree),
		cmocka_unit_test(test_canonical_key),
		cmocka_unit_test(test_simhash_near_duplicates),
		cmocka_unit_test(test_simhash_bits_are_stable),
		cmocka_unit_test(test_content_hash_moves_with_fields),
		cmocka_unit_test(test_apply_rank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for auth: password hashing and policy, random tokens and their
 * digests, HS256 JWTs, the throttle's device cookies, and the account flows
 * built on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/account.h"
#include "auth/device.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/token.h"
#include "base/text.h"
#include "store/store.h"
#include "store_faults.h"
#include "store_fixture.h"

static const char header_hs256[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/* 0x01, 0x02, ..., 0x20 */
static void test_key(uint8_t key[32])
{
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(i + 1);
}

static void b64url(const void *data, size_t len, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A token with any header and payload, correctly signed with key: what an
 * attacker holding the key (or a buggy issuer) could produce. */
static void forge(const uint8_t key[32], const char *header_b64, const char *payload, char *out, size_t outlen)
{
	char body[1024];
	b64url(payload, strlen(payload), body, sizeof(body));
	int m = snprintf(out, outlen, "%s.%s", header_b64, body);
	assert_true(m > 0 && (size_t)m + 45 <= outlen);
	char sig[48];
	token_mac(key, out, (size_t)m, sig);
	snprintf(out + m, outlen - (size_t)m, ".%s", sig);
}

static int is_b64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

/* ---- password ------------------------------------------------------------- */

static void test_password_policy(void **state)
{
	(void)state;
	assert_null(password_policy_error("lantern 8765 horses"));
	/* a number sequence and a word: cracklib finds it too systematic */
	assert_non_null(password_policy_error("87654321 horses"));
	assert_null(password_policy_error("correct horse battery staple"));
	assert_non_null(password_policy_error(""));
	assert_non_null(password_policy_error("1234567"));
	/* Characters, not bytes: seven two-byte letters are too short, eight are enough. */
	assert_string_equal(password_policy_error("éàèùâêî"), "Use at least 8 characters.");
	assert_null(password_policy_error("éàèùâêîô"));
	assert_non_null(password_policy_error("abcdefg\xff"));
	assert_non_null(password_policy_error("abcdefgh\xed\xa0\x80")); /* a surrogate */

	/* A long passphrase (one letter repeated would be refused as too simple). */
	char pw[PASSWORD_MAX_BYTES + 2];
	static const char phrase[] = "drowsy lantern orbit maple ";
	for (size_t i = 0; i < PASSWORD_MAX_BYTES; i++)
		pw[i] = phrase[i % (sizeof(phrase) - 1)];
	pw[PASSWORD_MAX_BYTES] = '\0';
	assert_null(password_policy_error(pw));
	pw[PASSWORD_MAX_BYTES] = 'p';
	pw[PASSWORD_MAX_BYTES + 1] = '\0';
	assert_non_null(password_policy_error(pw));
}

static void test_password_common_ones_are_refused(void **state)
{
	(void)state;
	static const char msg[] =
	    "This password is on lists of common passwords that attackers try first; choose another.";
	/* From the top of the list, and further down; letters in any case. */
	static const char *const common[] = {
		"12345678", "password1", "PassWord1", "iloveyou", "baseball", "QWERTYUIOP"
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		assert_true(password_is_common(common[i]));
		assert_string_equal(password_policy_error(common[i]), msg);
	}
	/* Near misses, and what the tests sign up with, are fine. */
	assert_false(password_is_common("password12x"));
	assert_false(password_is_common(" password1"));
	assert_false(password_is_common("correct horse battery"));
	assert_null(password_policy_error("correct horse battery"));
	/* Too short says so, not "common". */
	assert_string_equal(password_policy_error("1234"), "Use at least 8 characters.");
}

/* Not on the built-in list, but a dictionary word with a small change:
 * cracklib (Debian's dictionary) finds those, with the same message. */
static void test_password_dictionary_words_with_changes_are_refused(void **state)
{
	(void)state;
	static const char *const changed[] = { "password123", "letmein123", "Password12x", "dragon99", "zxcvbnm1" };
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		assert_false(password_is_common(changed[i]));
		assert_string_equal(password_policy_error(changed[i]), PASSWORD_COMMON_MESSAGE);
	}
	/* Too simple or repetitive gets its own sentence. */
	assert_non_null(strstr(password_policy_error("aaaaaaaaaaaa"), "easy to guess"));
	assert_non_null(strstr(password_policy_error("abcdefghij"), "easy to guess"));
	/* A passphrase of unrelated words passes. */
	assert_null(password_policy_error("drowsy lantern orbit maple"));
	assert_null(password_cracklib_verdict("drowsy lantern orbit maple"));
}

static void test_password_hash_verify(void **state)
{
	(void)state;
	char h1[STORE_HASH_MAX], h2[STORE_HASH_MAX];
	assert_int_equal(password_hash("hunter2hunter2", h1, sizeof(h1)), 0);
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	assert_true(strlen(h1) < 128);
	assert_true(password_verify(h1, "hunter2hunter2"));
	assert_false(password_verify(h1, "hunter2hunter3"));
	assert_false(password_verify(h1, ""));
	assert_false(password_verify(h1, "hunter2hunter2 "));
	/* Salted: the same password hashes differently each time. */
	assert_int_equal(password_hash("hunter2hunter2", h2, sizeof(h2)), 0);
	assert_string_not_equal(h1, h2);
	assert_true(password_verify(h2, "hunter2hunter2"));
	/* Garbage is never a match. */
	assert_false(password_verify("", "x"));
	assert_false(password_verify("$argon2id$v=19$garbage", "x"));
	/* An output buffer that is too small is refused, not overrun. */
	char tiny[16];
	assert_int_equal(password_hash("hunter2hunter2", tiny, sizeof(tiny)), -1);
}

static void test_password_dummy_hash(void **state)
{
	(void)state;
	const char *d = password_dummy_hash();
	assert_non_null(d);
	assert_true(strncmp(d, "$argon2id$", 10) == 0);
	assert_ptr_equal(password_dummy_hash(), d);
	assert_false(password_verify(d, "password"));
}

/* ---- token ---------------------------------------------------------------- */

static void test_token_new_format(void **state)
{
	(void)state;
	char t[TOKEN_TEXT_MAX];
	token_new("jt_", t);
	assert_int_equal(strlen(t), 3 + 43);
	assert_true(strncmp(t, "jt_", 3) == 0);
	assert_true(is_b64url(t + 3));
	token_new("", t);
	assert_int_equal(strlen(t), 43);
	assert_true(is_b64url(t));
	/* An over-long prefix is cut to 16 characters and still fits. */
	token_new("a-very-long-prefix-indeed_", t);
	assert_int_equal(strlen(t), 16 + 43);
	assert_true(strncmp(t, "a-very-long-pref", 16) == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_token_new_is_unique(void **state)
{
	(void)state;
	enum { N = 2000 };
	char(*t)[TOKEN_TEXT_MAX] = calloc(N, TOKEN_TEXT_MAX);
	assert_non_null(t);
	for (int i = 0; i < N; i++)
		token_new("s_", t[i]);
	qsort(t, N, TOKEN_TEXT_MAX, cmp_str);
	int dups = 0;
	for (int i = 1; i < N; i++)
		dups += strcmp(t[i - 1], t[i]) == 0;
	free(t);
	assert_int_equal(dups, 0);
}

static void test_token_digest_is_sha256(void **state)
{
	(void)state;
	static const uint8_t abc[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
					 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
					 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	uint8_t d[32], again[32];
	token_digest("abc", 3, d);
	assert_memory_equal(d, abc, 32);
	/* Stable: stored digests must keep matching across runs and releases. */
	token_digest("jt_token", 8, d);
	token_digest("jt_token", 8, again);
	assert_memory_equal(d, again, 32);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), d, 32);
	assert_string_equal(hex, "56f1e9c1a4d9dc11a7c71b4f53348b43f7b12d307a2371b5d7c8fd6488854e3f");
	/* Only len bytes count. */
	token_digest("abcdef", 3, d);
	assert_memory_equal(d, abc, 32);
}

static void test_token_mac_and_equal(void **state)
{
	(void)state;
	uint8_t key[32], other[32];
	test_key(key);
	test_key(other);
	other[31] ^= 1;
	char mac[48], mac2[48];
	token_mac(key, "Hi There", 8, mac);
	assert_string_equal(mac, "RRMa8kItZDrtMbBe-LvwhUgjVAXpAM3TMIBHq7vKtjk");
	token_mac(other, "Hi There", 8, mac2);
	assert_string_not_equal(mac, mac2);

	assert_true(token_equal("abc", "abc"));
	assert_true(token_equal("", ""));
	assert_false(token_equal("abc", "abd"));
	assert_false(token_equal("abc", "abcd"));
	assert_false(token_equal("abcd", "abc"));
}

static void test_token_derive_key(void **state)
{
	(void)state;
	uint8_t master[32], jwt[32], jwt2[32], csrf[32];
	test_key(master);
	token_derive_key(master, 32, "jwt", jwt);
	token_derive_key(master, 32, "jwt", jwt2);
	token_derive_key(master, 32, "csrf", csrf);
	assert_memory_equal(jwt, jwt2, 32);
	assert_memory_not_equal(jwt, csrf, 32);
	/* Pinned: changing the derivation would log everybody out. */
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), jwt, 32);
	assert_string_equal(hex, "028fc7aa3f357734ed27738ebaa0d4fb914baad7fb3c7347c6c2674ae9502602");
	master[0] ^= 1;
	token_derive_key(master, 32, "jwt", jwt2);
	assert_memory_not_equal(jwt, jwt2, 32);
}

/* ---- jwt ------------------------------------------------------------------ */

static const struct jwt_claims claims = { .sub = 42, .ver = 3, .iat = 1000, .exp = 2000 };
static const char known_jwt[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
				"eyJzdWIiOiI0MiIsInZlciI6MywiaWF0IjoxMDAwLCJleHAiOjIwMDB9."
				"HAifDkHCCJ0obtPsJN2Ag_XsyYXrfKvlk-I7ceqqgzo";

static void test_jwt_sign_verify_round_trip(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	char tok[JWT_MAX];
	assert_int_equal(jwt_sign(key, &claims, tok, sizeof(tok)), 0);
	assert_string_equal(tok, known_jwt);
	struct jwt_claims got = { 0 };
	assert_int_equal(jwt_verify(key, tok, 1500, &got), 0);
	assert_int_equal(got.sub, 42);
	assert_int_equal(got.ver, 3);
	assert_int_equal(got.iat, 1000);
	assert_int_equal(got.exp, 2000);

	struct jwt_claims big = { .sub = INT64_MAX, .ver = INT64_MAX, .iat = INT64_MAX - 1, .exp = INT64_MAX };
	assert_int_equal(jwt_sign(key, &big, tok, sizeof(tok)), 0);
	assert_int_equal(jwt_verify(key, tok, 0, &got), 0);
	assert_int_equal(got.sub, INT64_MAX);
}

static void test_jwt_sign_needs_room(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	char tok[JWT_MAX];
	size_t need = strlen(known_jwt) + 1;
	assert_int_equal(jwt_sign(key, &claims, tok, need), 0);
	assert_string_equal(tok, known_jwt);
	assert_int_equal(jwt_sign(key, &claims, tok, need - 1), -1);
	assert_int_equal(jwt_sign(key, &claims, tok, 10), -1);
}

static void test_jwt_expiry(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	struct jwt_claims got;
	assert_int_equal(jwt_verify(key, known_jwt, 0, &got), 0);
	assert_int_equal(jwt_verify(key, known_jwt, 1999, &got), 0);
	assert_int_equal(jwt_verify(key, known_jwt, 2000, &got), -1);
	assert_int_equal(jwt_verify(key, known_jwt, 999999, &got), -1);
}

static void test_jwt_wrong_key(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	key[0] ^= 0x80;
	struct jwt_claims got;
	assert_int_equal(jwt_verify(key, known_jwt, 1500, &got), -1);
}

static void test_jwt_tampered_payload(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	struct jwt_claims got;
	/* The payload of a token for sub 1, spliced into sub 42's token. */
	char payload[200];
	const char *json = "{\"sub\":\"1\",\"ver\":3,\"iat\":1000,\"exp\":2000}";
	b64url(json, strlen(json), payload, sizeof(payload));
	const char *sig = strrchr(known_jwt, '.');
	char tok[JWT_MAX + 8];
	snprintf(tok, sizeof(tok), "%s.%s%s", header_hs256, payload, sig);
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	/* Every single-character change of the payload is caught. */
	char copy[sizeof(known_jwt)];
	size_t start = sizeof(header_hs256), end = (size_t)(sig - known_jwt);
	for (size_t i = start; i < end; i++) {
		memcpy(copy, known_jwt, sizeof(known_jwt));
		copy[i] = copy[i] == 'A' ? 'B' : 'A';
		if (jwt_verify(key, copy, 1500, &got) == 0)
			fail_msg("changing byte %zu was not noticed: %s", i, copy);
	}
}

static void test_jwt_tampered_signature(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	struct jwt_claims got;
	char tok[JWT_MAX + 8];
	size_t len = strlen(known_jwt);

	memcpy(tok, known_jwt, len + 1);
	tok[len - 1] = tok[len - 1] == 'o' ? 'p' : 'o';
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	memcpy(tok, known_jwt, len + 1);
	tok[len - 1] = '\0'; /* truncated */
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	snprintf(tok, sizeof(tok), "%sA", known_jwt); /* extended */
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	memcpy(tok, known_jwt, len + 1);
	*(strrchr(tok, '.') + 1) = '\0'; /* no signature at all */
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	snprintf(tok, sizeof(tok), "%s.", known_jwt); /* a fourth segment */
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	assert_int_equal(jwt_verify(key, "", 1500, &got), -1);
	assert_int_equal(jwt_verify(key, "a.b", 1500, &got), -1);
	assert_int_equal(jwt_verify(key, "..", 1500, &got), -1);
}

static void test_jwt_other_algorithms_refused(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	struct jwt_claims got;
	const char *payload = "{\"sub\":\"42\",\"ver\":3,\"iat\":1000,\"exp\":2000}";
	char body[200], tok[JWT_MAX];
	b64url(payload, strlen(payload), body, sizeof(body));

	/* alg "none", unsigned. */
	const char *none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; /* {"alg":"none","typ":"JWT"} */
	snprintf(tok, sizeof(tok), "%s.%s.", none, body);
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);
	/* ... or even signed with the right key. */
	forge(key, none, payload, tok, sizeof(tok));
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);
	/* HS512, and the same header spelt differently, are refused too. */
	forge(key, "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9", payload, tok, sizeof(tok));
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);
	const char *spaced = "{\"alg\": \"HS256\", \"typ\": \"JWT\"}";
	char hdr[100];
	b64url(spaced, strlen(spaced), hdr, sizeof(hdr));
	forge(key, hdr, payload, tok, sizeof(tok));
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);

	/* The forger itself is sound: the issued header passes. */
	forge(key, header_hs256, payload, tok, sizeof(tok));
	assert_string_equal(tok, known_jwt);
	assert_int_equal(jwt_verify(key, tok, 1500, &got), 0);
}

static void test_jwt_claims_must_be_well_formed(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	static const char *const bad[] = {
		"{\"sub\":42,\"ver\":3,\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"0\",\"ver\":3,\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"-5\",\"ver\":3,\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"42x\",\"ver\":3,\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"\",\"ver\":3,\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"42\",\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"42\",\"ver\":3,\"iat\":1000}",
		"{\"sub\":\"42\",\"ver\":3,\"iat\":1000,\"exp\":\"2000\"}",
		"{\"sub\":\"42\",\"ver\":3,\"iat\":1000,\"exp\":2000.5}",
		"{\"sub\":\"42\",\"ver\":\"3\",\"iat\":1000,\"exp\":2000}",
		"{\"sub\":\"42\",\"ver\":3,\"exp\":2000}",
		"[1,2,3]",
		"not json",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char tok[JWT_MAX];
		struct jwt_claims got;
		forge(key, header_hs256, bad[i], tok, sizeof(tok));
		if (jwt_verify(key, tok, 1500, &got) == 0)
			fail_msg("accepted claims %s", bad[i]);
	}
}

static void test_jwt_length_limit(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	/* Correctly signed but longer than JWT_MAX: refused before any work. */
	char payload[400];
	int n = snprintf(payload, sizeof(payload), "{\"sub\":\"42\",\"ver\":3,\"iat\":1000,\"exp\":2000,\"pad\":\"");
	memset(payload + n, 'x', 300);
	snprintf(payload + n + 300, sizeof(payload) - (size_t)n - 300, "\"}");
	char tok[1024];
	forge(key, header_hs256, payload, tok, sizeof(tok));
	assert_true(strlen(tok) > JWT_MAX);
	struct jwt_claims got;
	assert_int_equal(jwt_verify(key, tok, 1500, &got), -1);
}

/* ---- device cookie -------------------------------------------------------- */

static void test_device_cookie_round_trip(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	char a[DEVICE_COOKIE_MAX], b[DEVICE_COOKIE_MAX];
	assert_int_equal(device_cookie_sign(key, 42, 5000, a), 0);
	assert_int_equal(device_cookie_sign(key, 42, 5000, b), 0);
	assert_string_not_equal(a, b); /* each log-in names a new device */
	assert_true(strncmp(a, "42.5000.", 8) == 0);
	struct device_claims d;
	assert_int_equal(device_cookie_verify(key, a, 4999, &d), 0);
	assert_int_equal(d.uid, 42);
	assert_int_equal(d.exp, 5000);
	assert_int_equal(strlen(d.id), 22);
	assert_true(strncmp(a + 8, d.id, 22) == 0);
	/* Only cookie-safe characters: it goes into Set-Cookie as it is. */
	for (const char *p = a; *p; p++)
		assert_non_null(strchr("0123456789.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", *p));
	/* The largest ids and times it writes still read back. */
	assert_int_equal(device_cookie_sign(key, 999999999999999999LL, 999999999999999999LL, a), 0);
	assert_int_equal(device_cookie_verify(key, a, 0, &d), 0);
	assert_int_equal(d.uid, 999999999999999999LL);
	assert_int_equal(device_cookie_sign(key, 0, 5000, a), -1);
	assert_int_equal(device_cookie_sign(key, 1, 0, a), -1);
	assert_int_equal(device_cookie_sign(key, 1000000000000000000LL, 5000, a), -1);
}

static void test_device_cookie_expiry(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	char c[DEVICE_COOKIE_MAX];
	struct device_claims d;
	assert_int_equal(device_cookie_sign(key, 7, 2000, c), 0);
	assert_int_equal(device_cookie_verify(key, c, 1999, &d), 0);
	assert_int_equal(device_cookie_verify(key, c, 2000, &d), -1);
	assert_int_equal(device_cookie_verify(key, c, 999999, &d), -1);
	assert_int_equal(d.uid, 0); /* nothing to rely on after a refusal */
}

/* Every change of a signed cookie is refused: another account's id, a later
 * expiry, another device id, another MAC, another key. */
static void test_device_cookie_tampered(void **state)
{
	(void)state;
	uint8_t key[32], other[32];
	test_key(key);
	test_key(other);
	other[0] ^= 1;
	char c[DEVICE_COOKIE_MAX], t[DEVICE_COOKIE_MAX + 8];
	struct device_claims d;
	assert_int_equal(device_cookie_sign(key, 7, 2000, c), 0);
	assert_int_equal(device_cookie_verify(other, c, 1000, &d), -1);
	/* Each character changed in turn, to another valid one of its kind. */
	for (size_t i = 0; c[i]; i++) {
		if (c[i] == '.')
			continue;
		memcpy(t, c, sizeof(c));
		t[i] = c[i] == '8' ? '9' : c[i] >= '0' && c[i] <= '9' ? '8' : c[i] == 'A' ? 'B' : 'A';
		assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	}
	/* The same device and MAC under another account's id. */
	snprintf(t, sizeof(t), "8%s", strchr(c, '.'));
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	/* Re-signing by anyone without the key: a MAC of the text under another key. */
	assert_int_equal(device_cookie_sign(other, 8, 2000, t), 0);
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
}

static void test_device_cookie_malformed(void **state)
{
	(void)state;
	uint8_t key[32];
	test_key(key);
	char c[DEVICE_COOKIE_MAX], t[2 * DEVICE_COOKIE_MAX];
	struct device_claims d;
	assert_int_equal(device_cookie_sign(key, 7, 2000, c), 0);
	const char *mac = strrchr(c, '.') + 1;
	const char *id = strchr(strchr(c, '.') + 1, '.') + 1;
	assert_int_equal(device_cookie_verify(key, NULL, 1000, &d), -1);
	assert_int_equal(device_cookie_verify(key, "", 1000, &d), -1);
	assert_int_equal(device_cookie_verify(key, "7.2000", 1000, &d), -1);
	/* Numbers are plain digits: no sign, no leading zero, no white space. */
	static const char *const prefixes[] = { "07.2000.", "+7.2000.", "-7.2000.", " 7.2000.", "7.02000.",
						"7.+2000.", "7..",      ".2000.",   "7.2000 ." };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		snprintf(t, sizeof(t), "%s%s", prefixes[i], id);
		assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	}
	/* Extra or missing characters at the end, and a short device id. */
	snprintf(t, sizeof(t), "%s=", c);
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	snprintf(t, sizeof(t), "%.*s", (int)strlen(c) - 1, c);
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	snprintf(t, sizeof(t), "7.2000.%.21s.%s", id, mac);
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	/* Over-long: 19 digits would overflow the reading; so would any length. */
	snprintf(t, sizeof(t), "1234567890123456789.2000.%s", id);
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
	memset(t, '7', sizeof(t) - 1);
	t[sizeof(t) - 1] = '\0';
	assert_int_equal(device_cookie_verify(key, t, 1000, &d), -1);
}

/* ---- account -------------------------------------------------------------- */

/* A fresh store of the backend under test (JT_TEST_STORE_URL, store_fixture.h). */
struct acct_fx {
	struct store_fixture fx;
	struct store *s;
};

static int acct_setup(void **state)
{
	struct acct_fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->fx, NULL, 1))
		return -1;
	f->s = f->fx.s;
	*state = f;
	return 0;
}

static int acct_teardown(void **state)
{
	struct acct_fx *f = *state;
	store_fixture_destroy(&f->fx);
	free(f);
	return 0;
}

static void test_account_normalize_email(void **state)
{
	(void)state;
	char out[STORE_EMAIL_MAX + 1];
	account_normalize_email("  Ada@Example.COM \n", out);
	assert_string_equal(out, "ada@example.com");
	account_normalize_email("", out);
	assert_string_equal(out, "");
	char longer[400];
	memset(longer, 'A', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(account_normalize_email(longer, out), 0);
	assert_int_equal(strlen(out), STORE_EMAIL_MAX);
	assert_int_equal(out[0], 'a');

	/* 254 ASCII bytes and a two-byte "É": cut before it, never inside it,
	 * and only ASCII letters are lower-cased. */
	memset(longer, 'A', 254);
	memcpy(longer + 254, "\xc3\x89@example.com", 15);
	assert_int_equal(account_normalize_email(longer, out), 0);
	assert_int_equal(strlen(out), 254);
	assert_true(text_utf8_valid(out, strlen(out)));
	assert_int_equal(account_normalize_email(" Zo\xc3\xab@Example.com", out), 0);
	assert_string_equal(out, "zo\xc3\xab@example.com");

	/* Not UTF-8: refused, with out empty. */
	assert_int_equal(account_normalize_email("ada\xff@example.com", out), -1);
	assert_string_equal(out, "");
	assert_int_equal(account_normalize_email("ada\xc3@example.com", out), -1);
}

/* One convention across modules: 0, or a negative code. */
static void test_account_results_are_zero_or_negative(void **state)
{
	(void)state;
	static const enum account_result failures[] = { ACCOUNT_INVALID,         ACCOUNT_EXISTS, ACCOUNT_CLOSED,
							ACCOUNT_BAD_CREDENTIALS, ACCOUNT_ERROR,  ACCOUNT_UNAVAILABLE };
	assert_int_equal(ACCOUNT_OK, 0);
	for (size_t i = 0; i < sizeof(failures) / sizeof(failures[0]); i++)
		assert_true(failures[i] < 0);
}

static void test_account_signup_and_login(void **state)
{
	struct acct_fx *f = *state;
	struct user u;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_signup(f->s, "  Ada@Example.com ", "correct horse", 0, &u, &errs), ACCOUNT_OK);
	assert_string_equal(u.email, "ada@example.com");
	assert_true(u.is_admin);
	assert_string_not_equal(u.password_hash, "correct horse");

	memset(&errs, 0, sizeof(errs));
	assert_int_equal(account_signup(f->s, "ADA@example.com", "another password", 0, &u, &errs), ACCOUNT_EXISTS);
	assert_non_null(field_errors_get(&errs, "email"));

	struct user got;
	assert_int_equal(account_login(f->s, "ada@EXAMPLE.com ", "correct horse", &got), ACCOUNT_OK);
	assert_string_equal(got.email, "ada@example.com");
	assert_int_equal(account_login(f->s, "ada@example.com", "wrong horse", &got), ACCOUNT_BAD_CREDENTIALS);
	assert_int_equal(account_login(f->s, "nobody@example.com", "correct horse", &got), ACCOUNT_BAD_CREDENTIALS);
	assert_int_equal(account_login(f->s, "ada@example.com", NULL, &got), ACCOUNT_BAD_CREDENTIALS);
	assert_int_equal(account_login(f->s, "ada\xff@example.com", "correct horse", &got), ACCOUNT_BAD_CREDENTIALS);
}

static void test_account_signup_validation(void **state)
{
	struct acct_fx *f = *state;
	struct user u;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_signup(f->s, "not-an-email", "short", 0, &u, &errs), ACCOUNT_INVALID);
	assert_non_null(field_errors_get(&errs, "email"));
	assert_non_null(field_errors_get(&errs, "password"));
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(account_signup(f->s, "a@example.com", NULL, 0, &u, &errs), ACCOUNT_INVALID);
	assert_non_null(field_errors_get(&errs, "password"));
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(account_signup(f->s, "a\xe9@example.com", "plum tree 42", 0, &u, &errs), ACCOUNT_INVALID);
	assert_non_null(strstr(field_errors_get(&errs, "email"), "UTF-8"));
	int64_t count = -1;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 0);
}

static void test_account_signup_closed(void **state)
{
	struct acct_fx *f = *state;
	assert_true(account_signup_open(f->s));
	assert_int_equal(account_set_signup_open(f->s, 0), 0);
	assert_false(account_signup_open(f->s));
	struct user u;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_signup(f->s, "a@example.com", "plum tree 42", 0, &u, &errs), ACCOUNT_CLOSED);
	/* The CLI is trusted. */
	assert_int_equal(account_signup(f->s, "a@example.com", "plum tree 42", 1, &u, &errs), ACCOUNT_OK);
	assert_int_equal(account_set_signup_open(f->s, 1), 0);
	assert_true(account_signup_open(f->s));
}

static void test_account_change_password(void **state)
{
	struct acct_fx *f = *state;
	struct user u;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_signup(f->s, "a@example.com", "old password", 1, &u, &errs), ACCOUNT_OK);
	uint8_t keep[32], other[32];
	memset(keep, 1, 32);
	memset(other, 2, 32);
	int64_t far = 4000000000;
	assert_int_equal(store_session_create(f->s, u.id, keep, 0, far, NULL, NULL), STORE_OK);
	assert_int_equal(store_session_create(f->s, u.id, other, 0, far, NULL, NULL), STORE_OK);

	assert_int_equal(account_change_password(f->s, &u, "wrong", "new password", keep, &errs), ACCOUNT_INVALID);
	assert_non_null(field_errors_get(&errs, "current_password"));
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(account_change_password(f->s, &u, "old password", "short", keep, &errs), ACCOUNT_INVALID);
	assert_non_null(field_errors_get(&errs, "new_password"));
	struct user got;
	assert_int_equal(store_session_user(f->s, other, 0, &got), STORE_OK);

	memset(&errs, 0, sizeof(errs));
	assert_int_equal(account_change_password(f->s, &u, "old password", "new password", keep, &errs), ACCOUNT_OK);
	assert_int_equal(store_session_user(f->s, keep, 0, &got), STORE_OK);
	assert_int_equal(got.token_version, u.token_version + 1);
	assert_int_equal(store_session_user(f->s, other, 0, &got), STORE_NOTFOUND);
	assert_int_equal(account_login(f->s, "a@example.com", "old password", &got), ACCOUNT_BAD_CREDENTIALS);
	assert_int_equal(account_login(f->s, "a@example.com", "new password", &got), ACCOUNT_OK);
}

/* An invite-only instance stays closed while the store cannot say: any
 * failure reading the setting is "closed" to sign-up, and tells why. */
static void test_account_signup_fails_closed(void **state)
{
	struct acct_fx *f = *state;
	struct user u;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_set_signup_open(f->s, 0), 0);
	store_fault(f->s, FAULT_SETTING_GET, STORE_BUSY);
	assert_int_equal(account_signup_open(f->s), STORE_BUSY);
	assert_int_equal(account_signup(f->s, "a@example.com", "plum tree 42", 0, &u, &errs), ACCOUNT_UNAVAILABLE);
	assert_int_equal(account_store_error(ACCOUNT_UNAVAILABLE), STORE_BUSY);
	store_fault(f->s, FAULT_SETTING_GET, STORE_ERROR);
	assert_int_equal(account_signup_open(f->s), STORE_ERROR);
	assert_int_equal(account_signup(f->s, "a@example.com", "plum tree 42", 0, &u, &errs), ACCOUNT_ERROR);
	assert_int_equal(account_store_error(ACCOUNT_ERROR), STORE_ERROR);
	/* The CLI does not ask. */
	assert_int_equal(account_signup(f->s, "a@example.com", "plum tree 42", 1, &u, &errs), ACCOUNT_OK);
	store_faults_clear(f->s);
	int64_t count = -1;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 1);
}

/* A busy store is not a wrong password, nor a plain error: it says "try again". */
static void test_account_busy_store_is_unavailable(void **state)
{
	struct acct_fx *f = *state;
	struct user u, got;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(account_signup(f->s, "a@example.com", "old password", 1, &u, &errs), ACCOUNT_OK);
	store_fault(f->s, FAULT_USER_BY_EMAIL, STORE_BUSY);
	assert_int_equal(account_login(f->s, "a@example.com", "old password", &got), ACCOUNT_UNAVAILABLE);
	store_fault(f->s, FAULT_USER_BY_EMAIL, STORE_ERROR);
	assert_int_equal(account_login(f->s, "a@example.com", "old password", &got), ACCOUNT_ERROR);
	store_fault(f->s, FAULT_USER_BY_EMAIL, 0);
	store_fault(f->s, FAULT_USER_SET_PASSWORD, STORE_BUSY);
	assert_int_equal(account_change_password(f->s, &u, "old password", "new password", NULL, &errs),
			 ACCOUNT_UNAVAILABLE);
	store_faults_clear(f->s);
	assert_int_equal(account_login(f->s, "a@example.com", "old password", &got), ACCOUNT_OK);
}

#define A(fn) cmocka_unit_test_setup_teardown(fn, acct_setup, acct_teardown)

int main(void)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "sodium_init failed\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_password_common_ones_are_refused),
		cmocka_unit_test(test_password_dictionary_words_with_changes_are_refused),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_dummy_hash),
		cmocka_unit_test(test_token_new_format),
		cmocka_unit_test(test_token_new_is_unique),
		cmocka_unit_test(test_token_digest_is_sha256),
		cmocka_unit_test(test_token_mac_and_equal),
		cmocka_unit_test(test_token_derive_key),
		cmocka_unit_test(test_jwt_sign_verify_round_trip),
		cmocka_unit_test(test_jwt_sign_needs_room),
		cmocka_unit_test(test_jwt_expiry),
		cmocka_unit_test(test_device_cookie_round_trip),
		cmocka_unit_test(test_device_cookie_expiry),
		cmocka_unit_test(test_device_cookie_tampered),
		cmocka_unit_test(test_device_cookie_malformed),
		cmocka_unit_test(test_jwt_wrong_key),
		cmocka_unit_test(test_jwt_tampered_payload),
		cmocka_unit_test(test_jwt_tampered_signature),
		cmocka_unit_test(test_jwt_other_algorithms_refused),
		cmocka_unit_test(test_jwt_claims_must_be_well_formed),
		cmocka_unit_test(test_jwt_length_limit),
		cmocka_unit_test(test_account_normalize_email),
		cmocka_unit_test(test_account_results_are_zero_or_negative),
		A(test_account_signup_and_login),
		A(test_account_signup_validation),
		A(test_account_signup_closed),
		A(test_account_change_password),
		A(test_account_signup_fails_closed),
		A(test_account_busy_store_is_unavailable),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}

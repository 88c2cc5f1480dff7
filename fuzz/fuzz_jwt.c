/* Bearer tokens (jwt_verify with a fixed key). The first byte picks what the
 * rest is: a token as sent; or a payload that the harness signs with the
 * key, so that the claims' parsing is reached behind a valid signature; or
 * claims to sign with jwt_sign, which must verify to the same claims. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/token.h"
#include "fuzz_support.h"

#define NOW 1764979200

static const uint8_t key[32] = "jobtrack-fuzz-key-0123456789abc";

/* "<our header>.<base64url(payload)>.<mac>" for any payload bytes. */
static char *signed_token(struct arena *a, const uint8_t *payload, size_t len)
{
	static const char header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.";
	size_t b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *t = arena_alloc(a, sizeof(header) + b64 + 48);
	if (!t)
		return NULL;
	memcpy(t, header, sizeof(header) - 1);
	sodium_bin2base64(t + sizeof(header) - 1, b64, payload, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t n = strlen(t);
	t[n] = '.';
	token_mac(key, t, n, t + n + 1);
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct jwt_claims c;
	uint8_t mode = data[0] % 3;
	data++;
	size--;
	if (mode == 0) {
		char *token = fuzz_str(&a, data, size);
		if (token)
			(void)jwt_verify(key, token, NOW, &c);
	} else if (mode == 1) {
		char *token = signed_token(&a, data, size);
		if (token && jwt_verify(key, token, NOW, &c) == 0 && (c.sub <= 0 || c.exp <= NOW))
			abort();
	} else {
		struct jwt_claims in = { 0 };
		memcpy(&in, data, size < sizeof(in) ? size : sizeof(in));
		char token[JWT_MAX + 1];
		if (jwt_sign(key, &in, token, sizeof(token)) == 0) {
			int ok = jwt_verify(key, token, NOW, &c) == 0;
			if (ok != (in.sub > 0 && in.exp > NOW))
				abort();
			if (ok && (c.sub != in.sub || c.ver != in.ver || c.iat != in.iat || c.exp != in.exp))
				abort();
		}
	}
	arena_free(&a);
	return 0;
}

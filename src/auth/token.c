#include "auth/token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void token_new(const char *prefix, char out[TOKEN_TEXT_MAX])
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	randombytes_buf(rnd, sizeof(rnd));
	size_t plen = strlen(prefix);
	if (plen > 16)
		plen = 16;
	memcpy(out, prefix, plen);
	sodium_bin2base64(out + plen, TOKEN_TEXT_MAX - plen, rnd, sizeof(rnd),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void token_digest(const char *token, size_t len, uint8_t out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, len);
}

void token_mac(const uint8_t key[32], const char *msg, size_t len, char out[48])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, 48, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

void token_derive_key(const uint8_t *master, size_t master_len, const char *purpose, uint8_t out[32])
{
	char ctx[64];
	int n = snprintf(ctx, sizeof(ctx), "jobtrack-%s-v1", purpose);
	crypto_generichash(out, 32, (const unsigned char *)ctx, (size_t)n, master, master_len);
}

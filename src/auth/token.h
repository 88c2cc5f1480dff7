/* token — random secrets handed to clients (session cookies, personal API
 * tokens) and the SHA-256 digests under which the server keeps them. The
 * server never stores a token itself, only its digest. */
#ifndef JT_AUTH_TOKEN_H
#define JT_AUTH_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_RANDOM_BYTES 32
/* base64url of 32 bytes is 43 characters; prefixes such as "jt_" add a few. */
#define TOKEN_TEXT_MAX     64

/* Writes prefix + base64url(32 random bytes) to out. */
void token_new(const char *prefix, char out[TOKEN_TEXT_MAX]);
void token_digest(const char *token, size_t len, uint8_t out[32]);

/* Keyed MAC (HMAC-SHA256) of msg as base64url text (43 chars + NUL). */
void token_mac(const uint8_t key[32], const char *msg, size_t len, char out[48]);
/* Constant-time comparison of two NUL-terminated strings. */
int token_equal(const char *a, const char *b);

/* Derives a 32-byte key for one purpose ("jwt", "csrf") from the master secret. */
void token_derive_key(const uint8_t *master, size_t master_len, const char *purpose, uint8_t out[32]);

#endif

/* jwt — the signed bearer tokens of POST /api/v1/auth/token: HS256 JWTs
 * carrying the user id (sub), the user's token version (ver), iat and exp.
 * Only HS256 is accepted; "none" and every other alg are refused. */
#ifndef JT_AUTH_JWT_H
#define JT_AUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#define JWT_MAX 512

struct jwt_claims {
	int64_t sub;
	int64_t ver;
	int64_t iat;
	int64_t exp;
};

/* Writes the compact token to out. 0, or -1 when out is too small. */
int jwt_sign(const uint8_t key[32], const struct jwt_claims *c, char *out, size_t outlen);
/* 0 and the claims when the signature is valid and now < exp; -1 otherwise. */
int jwt_verify(const uint8_t key[32], const char *token, int64_t now, struct jwt_claims *out);

#endif

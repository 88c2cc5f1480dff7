/* device — the "known client" cookie of the log-in throttle (web/throttle.h):
 * proof that this client has signed into an account before, so that the
 * pacing of an attacked account does not keep its owner out.
 *
 * The value is "UID.EXP.ID.MAC": the account's user id, the expiry (Unix
 * seconds), a random id naming this device (its failed log-ins are counted
 * under it, so a stolen cookie cannot guess unpaced for long) and the
 * HMAC-SHA256 (base64url) of "UID.EXP.ID" under a key derived from the
 * instance's secret. Nothing in it is secret but the MAC; verification
 * compares the MAC in constant time and refuses anything that is not
 * exactly this shape (the value comes from any client). */
#ifndef JT_AUTH_DEVICE_H
#define JT_AUTH_DEVICE_H

#include <stdint.h>

/* 19 + 1 + 19 + 1 + 22 + 1 + 43 + NUL, rounded up. */
#define DEVICE_COOKIE_MAX 112
/* base64url of 16 random bytes, and its NUL. */
#define DEVICE_ID_MAX     23

struct device_claims {
	int64_t uid;
	int64_t exp;
	char id[DEVICE_ID_MAX];
};

/* A new cookie value for uid (> 0) expiring at exp (> 0), with a fresh
 * random device id. 0, or -1 when uid or exp is out of range. */
int device_cookie_sign(const uint8_t key[32], int64_t uid, int64_t exp, char out[DEVICE_COOKIE_MAX]);
/* 0 and the claims when value is well formed, its MAC is key's and
 * now < exp; -1 otherwise (out then holds nothing to rely on). */
int device_cookie_verify(const uint8_t key[32], const char *value, int64_t now, struct device_claims *out);

#endif

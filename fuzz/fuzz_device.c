/* The log-in throttle's device cookie (the jt_device value any client can
 * send): device_cookie_verify with a fixed key. The first byte picks what
 * the rest is: a cookie as sent; a "UID.EXP.ID" text that the harness signs
 * with the key, so that what follows the MAC check is reached; or an id and
 * expiry to device_cookie_sign, which must verify to themselves. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/device.h"
#include "auth/token.h"
#include "fuzz_support.h"

#define NOW 1764979200

static const uint8_t key[32] = "jobtrack-fuzz-device-0123456789";

/* An accepted cookie names a real account, is unexpired, and is exactly
 * the text its claims print to, followed by its MAC. */
static void check_accepted(const char *value, const struct device_claims *d)
{
	char text[DEVICE_COOKIE_MAX];
	int n = snprintf(text, sizeof(text), "%lld.%lld.%s.", (long long)d->uid, (long long)d->exp, d->id);
	if (d->uid <= 0 || d->exp <= NOW || strlen(d->id) != 22 || n < 0 || strncmp(value, text, (size_t)n) != 0 ||
	    strlen(value) != (size_t)n + 43)
		abort();
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
	struct device_claims d;
	uint8_t mode = data[0] % 3;
	data++;
	size--;
	if (mode == 0) {
		char *value = fuzz_str(&a, data, size);
		if (value && device_cookie_verify(key, value, NOW, &d) == 0)
			check_accepted(value, &d);
	} else if (mode == 1) {
		char *text = fuzz_str(&a, data, size);
		size_t n = text ? strlen(text) : 0;
		char *value = text ? arena_alloc(&a, n + 1 + 48) : NULL;
		if (value) {
			memcpy(value, text, n);
			value[n] = '.';
			token_mac(key, text, n, value + n + 1);
			if (device_cookie_verify(key, value, NOW, &d) == 0)
				check_accepted(value, &d);
		}
	} else {
		int64_t in[2] = { 0, 0 };
		memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
		char value[DEVICE_COOKIE_MAX];
		if (device_cookie_sign(key, in[0], in[1], value) == 0) {
			int ok = device_cookie_verify(key, value, NOW, &d) == 0;
			if (ok != (in[1] > NOW))
				abort();
			if (ok) {
				check_accepted(value, &d);
				if (d.uid != in[0] || d.exp != in[1])
					abort();
			}
		} else if (in[0] > 0 && in[1] > 0 && in[0] < 1000000000000000000LL && in[1] < 1000000000000000000LL) {
			abort(); /* refused a cookie it can write */
		}
	}
	arena_free(&a);
	return 0;
}

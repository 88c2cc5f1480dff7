#include "auth/device.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/token.h"

#define ID_BYTES 16
#define ID_LEN   22 /* base64url of ID_BYTES, no padding */
#define MAC_LEN  43 /* base64url of 32 bytes, no padding */

static int is_b64url(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A positive decimal without sign or leading zero, at most 18 digits (so
 * it cannot overflow), ending at '.'; *p moves past the dot. */
static int read_number(const char **p, int64_t *out)
{
	const char *s = *p;
	int64_t v = 0;
	size_t n = 0;
	if (*s == '0')
		return -1;
	while (s[n] >= '0' && s[n] <= '9' && n < 18)
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || s[n] != '.')
		return -1;
	*out = v;
	*p = s + n + 1;
	return 0;
}

int device_cookie_sign(const uint8_t key[32], int64_t uid, int64_t exp, char out[DEVICE_COOKIE_MAX])
{
	/* What verify reads back: at most 18 digits each. */
	if (uid <= 0 || exp <= 0 || uid > 999999999999999999LL || exp > 999999999999999999LL)
		return -1;
	unsigned char rnd[ID_BYTES];
	char id[DEVICE_ID_MAX];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(id, sizeof(id), rnd, sizeof(rnd), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	int n = snprintf(out, DEVICE_COOKIE_MAX, "%lld.%lld.%s", (long long)uid, (long long)exp, id);
	if (n < 0 || (size_t)n + 1 + MAC_LEN + 1 > DEVICE_COOKIE_MAX)
		return -1;
	out[n] = '.';
	token_mac(key, out, (size_t)n, out + n + 1);
	return 0;
}

int device_cookie_verify(const uint8_t key[32], const char *value, int64_t now, struct device_claims *out)
{
	memset(out, 0, sizeof(*out));
	if (!value || strnlen(value, DEVICE_COOKIE_MAX) >= DEVICE_COOKIE_MAX)
		return -1;
	const char *p = value;
	int64_t uid, exp;
	if (read_number(&p, &uid) || read_number(&p, &exp))
		return -1;
	for (size_t i = 0; i < ID_LEN; i++)
		if (!is_b64url(p[i]))
			return -1;
	if (p[ID_LEN] != '.')
		return -1;
	const char *mac = p + ID_LEN + 1;
	if (strlen(mac) != MAC_LEN)
		return -1;
	char want[48];
	token_mac(key, value, (size_t)(mac - 1 - value), want);
	if (!token_equal(want, mac) || now >= exp)
		return -1;
	out->uid = uid;
	out->exp = exp;
	memcpy(out->id, p, ID_LEN);
	out->id[ID_LEN] = '\0';
	return 0;
}

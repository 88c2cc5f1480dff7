/* retry_after — the two forms of Retry-After; see retry_after.h. */
#include "scrape/retry_after.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

/* Digits only, as delta-seconds is 1*DIGIT; clamps instead of overflowing. */
static int parse_delta(const char *s, size_t len, long *seconds)
{
	long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v < RETRY_AFTER_MAX_S)
			v = v * 10 + (s[i] - '0');
	}
	*seconds = v < RETRY_AFTER_MAX_S ? v : RETRY_AFTER_MAX_S;
	return 0;
}

int retry_after_parse(const char *value, time_t now, long *seconds)
{
	while (*value == ' ' || *value == '\t')
		value++;
	size_t len = strlen(value);
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (len == 0 || len > 64) /* the longest date form is 29 characters */
		return -EINVAL;
	if (value[0] >= '0' && value[0] <= '9' && parse_delta(value, len, seconds) == 0)
		return 0;
	/* An HTTP-date names a weekday first; curl_getdate alone would also take
	 * "12" or "tomorrow"-like fragments that no server means as a date. */
	if (!((value[0] >= 'A' && value[0] <= 'Z') || (value[0] >= 'a' && value[0] <= 'z')))
		return -EINVAL;
	char copy[65];
	memcpy(copy, value, len);
	copy[len] = '\0';
	time_t when = curl_getdate(copy, NULL);
	if (when == (time_t)-1)
		return -EINVAL;
	double delta = difftime(when, now);
	*seconds = delta <= 0 ? 0 : delta >= RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (long)delta;
	return 0;
}

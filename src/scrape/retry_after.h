/* retry_after — reading an HTTP Retry-After value (RFC 9110 §10.2.3), which
 * a server sends with 429 and 503 to say when to come back: either
 * delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT",
 * and the obsolete RFC 850 and asctime forms). */
#ifndef JT_SCRAPE_RETRY_AFTER_H
#define JT_SCRAPE_RETRY_AFTER_H

#include <time.h>

/* Longest wait the parser reports; larger values are clamped to it, so a
 * caller comparing against its own cap never sees an overflow. */
#define RETRY_AFTER_MAX_S (400L * 86400)

/* Parses value (surrounding spaces allowed) relative to now. 0 and *seconds
 * (0 for a date in the past, at most RETRY_AFTER_MAX_S), or -EINVAL when the
 * value is neither form (negative numbers, fractions and junk included). */
int retry_after_parse(const char *value, time_t now, long *seconds);

#endif

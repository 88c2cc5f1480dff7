/* url_mask — a URL as it may be shown to a person or written to a log:
 * every password in it replaced by ********.
 *
 * Passwords hide in two places of a postgres:// URL (and of the URLs of
 * other services): the user-info (scheme://user:PASSWORD@host) and query
 * parameters whose name has "password" in it (?password=…, sslpassword=…),
 * names percent-decoded as libpq decodes them. A name that does not decode
 * cleanly is masked too: nothing of a password is ever shown. */
#ifndef JT_BASE_URL_MASK_H
#define JT_BASE_URL_MASK_H

#include <stddef.h>

/* Writes url with its passwords masked into out (always terminated;
 * truncated to outlen). */
void url_mask(const char *url, char *out, size_t outlen);

#endif

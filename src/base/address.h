/* address — which network addresses a URL that a user typed may reach.
 *
 * "Add a job by URL" (discover/import.c) and users' webhooks
 * (notify/webhook.c) connect from inside the server's network to an address
 * a user chose. Left alone, that lets any user reach the server's loopback
 * services, the cloud metadata endpoint (169.254.169.254) or the office
 * intranet (SSRF). So both refuse every address that is not on the public
 * internet, checked on the address actually connected to (after DNS,
 * redirects included), unless the admin allows private addresses. */
#ifndef JT_BASE_ADDRESS_H
#define JT_BASE_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

/* True for a public unicast address. False for IPv4 0/8, 10/8, 100.64/10,
 * 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24, 192.168/16,
 * 198.18/15, 198.51.100/24, 203.0.113/24, 224/4 and 240/4; IPv6 ::, ::1,
 * fc00::/7, fe80::/10, fec0::/10, ff00::/8, 2001:db8::/32, and IPv4 inside
 * IPv6 (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96, 2002::/16) judged as the
 * IPv4 address it carries; any other family. */
bool address_is_public(const struct sockaddr *sa, unsigned len);

/* The same for a numeric address in text ("10.0.0.1", "::1"); false for
 * anything that is not one. */
bool address_text_is_public(const char *text);

#endif

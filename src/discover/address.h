/* address — which network addresses a URL that someone typed may reach.
 *
 * "Add a job by URL" fetches what a user gives it from inside the server's
 * network. Left alone, that lets any user read the server's loopback
 * services, the cloud metadata endpoint (169.254.169.254) or the office
 * intranet. So the fetch refuses every address that is not on the public
 * internet, checked on each connection the fetch engine opens (after DNS,
 * redirects included: scrape/fetch.h's address_allowed), unless the admin
 * allows private addresses (an intranet's job pages, tests on loopback). */
#ifndef JT_DISCOVER_ADDRESS_H
#define JT_DISCOVER_ADDRESS_H

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

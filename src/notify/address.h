/* address — whether an address is one a webhook may reach from the server:
 * not loopback, private, link-local, shared (CGN), multicast, reserved or
 * unspecified, in IPv4 or IPv6 (IPv4-mapped IPv6 is judged as IPv4). A
 * webhook URL is the user's input: without this check a user could make
 * the server call services only it can reach (SSRF). */
#ifndef JT_NOTIFY_ADDRESS_H
#define JT_NOTIFY_ADDRESS_H

#include <stdbool.h>
#include <sys/socket.h>

/* true when sa (AF_INET or AF_INET6) is a public unicast address. */
bool address_is_public(const struct sockaddr *sa);

#endif

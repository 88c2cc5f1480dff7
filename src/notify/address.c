#include "notify/address.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

static bool v4_public(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} blocked[] = {
		{ 0x00000000, 0xff000000 }, /* 0/8 "this network" */
		{ 0x0a000000, 0xff000000 }, /* 10/8 */
		{ 0x64400000, 0xffc00000 }, /* 100.64/10 shared (CGN) */
		{ 0x7f000000, 0xff000000 }, /* 127/8 loopback */
		{ 0xa9fe0000, 0xffff0000 }, /* 169.254/16 link-local (cloud metadata) */
		{ 0xac100000, 0xfff00000 }, /* 172.16/12 */
		{ 0xc0000000, 0xffffff00 }, /* 192.0.0/24 protocol assignments */
		{ 0xc0000200, 0xffffff00 }, /* 192.0.2/24 documentation */
		{ 0xc0a80000, 0xffff0000 }, /* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 }, /* 198.18/15 benchmarking */
		{ 0xc6336400, 0xffffff00 }, /* 198.51.100/24 documentation */
		{ 0xcb007100, 0xffffff00 }, /* 203.0.113/24 documentation */
		{ 0xe0000000, 0xe0000000 }, /* 224/3 multicast, reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++)
		if ((a & blocked[i].mask) == blocked[i].net)
			return false;
	return true;
}

bool address_is_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return v4_public(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family != AF_INET6)
		return false;
	const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(b, mapped, 12) == 0)
		return v4_public((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	static const uint8_t zero[15] = { 0 };
	if (memcmp(b, zero, 15) == 0)
		return false; /* :: and ::1 */
	if ((b[0] & 0xfe) == 0xfc)
		return false; /* fc00::/7 unique local */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return false; /* fe80::/10 link-local */
	if (b[0] == 0xff)
		return false; /* multicast */
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return false; /* 2001:db8::/32 documentation */
	if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
		return false; /* 64:ff9b::/96 NAT64: could reach any IPv4 address */
	return true;
}

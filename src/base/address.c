/* address — public and non-public addresses; see address.h. */
#include "base/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

static bool ipv4_is_public(const uint8_t a[4])
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	static const struct {
		uint32_t net;
		int bits;
	} blocked[] = {
		{ 0x00000000, 8 },  /* "this network" */
		{ 0x0A000000, 8 },  /* private */
		{ 0x64400000, 10 }, /* shared address space (carrier NAT) */
		{ 0x7F000000, 8 },  /* loopback */
		{ 0xA9FE0000, 16 }, /* link-local, cloud metadata */
		{ 0xAC100000, 12 }, /* private */
		{ 0xC0000000, 24 }, /* IETF protocol assignments */
		{ 0xC0000200, 24 }, /* documentation */
		{ 0xC0A80000, 16 }, /* private */
		{ 0xC6120000, 15 }, /* benchmarking */
		{ 0xC6336400, 24 }, /* documentation */
		{ 0xCB007100, 24 }, /* documentation */
		{ 0xE0000000, 4 },  /* multicast */
		{ 0xF0000000, 4 },  /* reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++) {
		uint32_t mask = ~(uint32_t)0 << (32 - blocked[i].bits);
		if ((v & mask) == blocked[i].net)
			return false;
	}
	return true;
}

static bool ipv6_is_public(const uint8_t a[16])
{
	static const uint8_t zero[12] = { 0 };
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* IPv4 carried inside: mapped, compatible (and :: and ::1, which
	 * 0.0.0.0/8 covers), NAT64, 6to4. */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, zero, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return ipv4_is_public(a + 12);
	if (a[0] == 0x20 && a[1] == 0x02)
		return ipv4_is_public(a + 2);
	if ((a[0] & 0xfe) == 0xfc) /* unique local */
		return false;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* link-local */
		return false;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) /* site-local (deprecated, still routed inside sites) */
		return false;
	if (a[0] == 0xff) /* multicast */
		return false;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) /* documentation */
		return false;
	return true;
}

bool address_is_public(const struct sockaddr *sa, unsigned len)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		uint8_t a[4];
		memcpy(a, &in->sin_addr, 4);
		return ipv4_is_public(a);
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		uint8_t a[16];
		memcpy(a, &in6->sin6_addr, 16);
		return ipv6_is_public(a);
	}
	return false;
}

bool address_text_is_public(const char *text)
{
	uint8_t a[16];
	if (!text)
		return false;
	if (inet_pton(AF_INET, text, a) == 1)
		return ipv4_is_public(a);
	if (inet_pton(AF_INET6, text, a) == 1)
		return ipv6_is_public(a);
	return false;
}

#include "web/throttle.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/account.h"
#include "auth/ratelimit.h"
#include "web/web.h"

/* The address bucket: IPv4 as is; IPv6 by its /64, since one host
 * usually owns a whole /64 and could otherwise hop between addresses. */
static void address_key(const char *addr, char *out, size_t outlen)
{
	struct in6_addr a6;
	if (strchr(addr, ':') && inet_pton(AF_INET6, addr, &a6) == 1) {
		memset(a6.s6_addr + 8, 0, 8);
		char net[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &a6, net, sizeof(net));
		snprintf(out, outlen, "addr:%s/64", net);
		return;
	}
	snprintf(out, outlen, "addr:%s", addr);
}

static void account_key(const char *email, char *out, size_t outlen)
{
	char norm[STORE_EMAIL_MAX + 1];
	account_normalize_email(email ? email : "", norm);
	snprintf(out, outlen, "acct:%s", norm);
}

int64_t throttle_login(struct request *req, const char *email)
{
	char key[STORE_EMAIL_MAX + 8];
	account_key(email, key, sizeof(key));
	int64_t now = (int64_t)time(NULL);
	char addr[80];
	address_key(req->client_addr, addr, sizeof(addr));
	int64_t a = ratelimit_hit(req->web->rl_address, addr, now);
	int64_t b = ratelimit_hit(req->web->rl_account, key, now);
	return a > b ? a : b;
}

void throttle_login_ok(struct request *req, const char *email)
{
	char key[STORE_EMAIL_MAX + 8];
	account_key(email, key, sizeof(key));
	ratelimit_reset(req->web->rl_account, key);
}

int64_t throttle_signup(struct request *req)
{
	char addr[80];
	address_key(req->client_addr, addr, sizeof(addr));
	return ratelimit_hit(req->web->rl_address, addr, (int64_t)time(NULL));
}

void throttle_refuse(struct request *req, int64_t wait)
{
	char secs[24];
	snprintf(secs, sizeof(secs), "%lld", (long long)wait);
	resp_header(req, "Retry-After", secs);
	char *msg = arena_printf(&req->arena, "Too many attempts: wait %lld seconds and try again.", (long long)wait);
	resp_error(req, 429, "rate_limited", msg ? msg : "Too many attempts.", NULL);
}

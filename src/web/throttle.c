#include "web/throttle.h"

#include <stdio.h>
#include <time.h>

#include "auth/account.h"
#include "auth/ratelimit.h"
#include "web/web.h"

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
	snprintf(addr, sizeof(addr), "addr:%s", req->client_addr);
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
	snprintf(addr, sizeof(addr), "addr:%s", req->client_addr);
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

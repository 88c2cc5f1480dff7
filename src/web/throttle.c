#include "web/throttle.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/account.h"
#include "auth/device.h"
#include "base/log.h"
#include "web/session.h"
#include "web/web.h"

#define KEY_MAX               (STORE_EMAIL_MAX + 128)
#define ADDR_MAX              64
/* The longest pacing slot: what the account's owner may have to wait. */
#define PACE_MAX_SECONDS      30
/* The account-wide count only sets the pace; it never refuses on its own. */
#define UNCAPPED              ((int64_t)1 << 40)
/* How long an address that signed into an account stays a known client of it. */
#define KNOWN_ADDRESS_SECONDS ((int64_t)30 * 24 * 60 * 60)
/* How long a device cookie lasts; every log-in hands out a fresh one. */
#define DEVICE_SECONDS        ((int64_t)365 * 24 * 60 * 60)

/* The address bucket: IPv4 as is; IPv6 by its /64, since one host
 * usually owns a whole /64 and could otherwise hop between addresses. */
static void address_key(const char *addr, char out[ADDR_MAX])
{
	struct in6_addr a6;
	if (strchr(addr, ':') && inet_pton(AF_INET6, addr, &a6) == 1) {
		memset(a6.s6_addr + 8, 0, 8);
		char net[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &a6, net, sizeof(net));
		snprintf(out, ADDR_MAX, "%s/64", net);
		return;
	}
	snprintf(out, ADDR_MAX, "%s", addr);
}

/* Every key shares --limit-window: the store sweeps ended windows by the
 * window of the key being counted, so keys with other lengths would be
 * swept early. */
static int64_t window(const struct request *req)
{
	return req->web->cfg->limit_window;
}

static int64_t seconds_until(int64_t end, int64_t now)
{
	return end - now > 1 ? end - now : 1;
}

/* Counts one attempt on key; *wait > 0 when that makes more than limit. */
static int count_attempt(struct request *req, const char *key, int64_t limit, int64_t now, int64_t *wait)
{
	int64_t count, end;
	int rc = store_limit_hit(req->web->store, key, limit, window(req), now, &count, &end);
	*wait = 0;
	if (rc)
		return rc;
	if (count > limit)
		*wait = seconds_until(end, now);
	return 0;
}

/* Refuses, without counting, when key already holds `limit` failures. Two
 * attempts at once from one address may both pass before either fails:
 * the per-address limit bounds that. */
static int check_failures(struct request *req, const char *key, int64_t limit, int64_t now, int64_t *wait)
{
	int64_t count;
	*wait = 0;
	int rc = store_limit_peek(req->web->store, key, window(req), now, &count);
	if (rc || count < limit)
		return rc;
	/* Already over: this hit writes nothing new and says when the window ends. */
	return count_attempt(req, key, limit, now, wait);
}

/* One attempt per pacing slot once the account has `limit` failures from
 * anywhere; the slot doubles with each failure past that, up to 30 s. */
static int check_pace(struct request *req, const char *email, int64_t now, int64_t *wait)
{
	char key[KEY_MAX];
	int64_t failures, limit = req->web->cfg->login_limit;
	*wait = 0;
	snprintf(key, sizeof(key), "acct:%s", email);
	int rc = store_limit_peek(req->web->store, key, window(req), now, &failures);
	if (rc || failures < limit)
		return rc;
	int64_t over = failures - limit;
	int64_t slot_len = over >= 5 ? PACE_MAX_SECONDS : (int64_t)1 << over;
	int64_t slot = now / slot_len;
	snprintf(key, sizeof(key), "pace:%s|%lld|%lld", email, (long long)slot_len, (long long)slot);
	int64_t count, end;
	rc = store_limit_hit(req->web->store, key, 1, window(req), now, &count, &end);
	if (rc)
		return rc;
	if (count > 1)
		*wait = seconds_until((slot + 1) * slot_len, now);
	return 0;
}

/* "login:EMAIL|ADDRESS" for the account named by a client's e-mail. */
static void login_pair_key(const struct request *req, const char *norm_email, char key[KEY_MAX])
{
	char addr[ADDR_MAX];
	address_key(req->client_addr, addr);
	snprintf(key, KEY_MAX, "login:%s|%s", norm_email, addr);
}

/* Counting after the fact cannot refuse anything; a store failure here
 * only loses one count, so it is logged and the answer goes out. */
static void count_failure(struct request *req, const char *key, int64_t limit)
{
	int64_t wait;
	if (count_attempt(req, key, limit, (int64_t)time(NULL), &wait))
		log_event(LOG_WARN, "throttle.count", "could not count a failed attempt");
}

/* The device cookie the client sent, when it is one of ours and unexpired
 * (whichever account it names). */
static int device_of(struct request *req, struct device_claims *d)
{
	const char *v = http_cookie(req, DEVICE_COOKIE);
	return v && device_cookie_verify(req->web->device_key, v, (int64_t)time(NULL), d) == 0;
}

/* "device:ID": the failed log-ins of one device cookie, wherever it is used from. */
static void device_key(const struct device_claims *d, char key[KEY_MAX])
{
	snprintf(key, KEY_MAX, "device:%s", d->id);
}

/* Whether the client has signed into the account named by norm_email
 * before: it sent a device cookie naming that account whose failures are
 * under --login-limit this window, or it comes from an address that signed
 * in within KNOWN_ADDRESS_SECONDS. *known gets 1 or 0. */
static int known_client(struct request *req, const char *norm_email, int64_t now, int *known)
{
	*known = 0;
	struct user u;
	int rc = store_user_by_email(req->web->store, norm_email, &u);
	if (rc)
		return rc == STORE_NOTFOUND ? 0 : rc;
	struct device_claims d;
	if (device_of(req, &d) && d.uid == u.id) {
		char key[KEY_MAX];
		int64_t failures;
		device_key(&d, key);
		rc = store_limit_peek(req->web->store, key, window(req), now, &failures);
		if (rc || failures < req->web->cfg->login_limit) {
			*known = rc == 0;
			return rc;
		}
	}
	char addr[ADDR_MAX];
	address_key(req->client_addr, addr);
	return store_login_address_known(req->web->store, u.id, addr, now - KNOWN_ADDRESS_SECONDS, known);
}

int throttle_login(struct request *req, const char *email, int64_t *wait)
{
	const struct config *cfg = req->web->cfg;
	int64_t now = (int64_t)time(NULL);
	char norm[STORE_EMAIL_MAX + 1], addr[ADDR_MAX], key[KEY_MAX];
	account_normalize_email(email ? email : "", norm);
	address_key(req->client_addr, addr);
	snprintf(key, sizeof(key), "addr:%s", addr);
	int rc = count_attempt(req, key, cfg->address_limit, now, wait);
	if (rc || *wait)
		return rc;
	login_pair_key(req, norm, key);
	rc = check_failures(req, key, cfg->login_limit, now, wait);
	if (rc || *wait)
		return rc;
	int known;
	rc = known_client(req, norm, now, &known);
	if (rc || known)
		return rc;
	return check_pace(req, norm, now, wait);
}

void throttle_login_failed(struct request *req, const char *email)
{
	char norm[STORE_EMAIL_MAX + 1], key[KEY_MAX];
	account_normalize_email(email ? email : "", norm);
	login_pair_key(req, norm, key);
	count_failure(req, key, req->web->cfg->login_limit);
	snprintf(key, sizeof(key), "acct:%s", norm);
	count_failure(req, key, UNCAPPED);
	/* A device cookie's failures count wherever it is sent from: a stolen
	 * one skips the pacing for --login-limit guesses a window at most. */
	struct device_claims d;
	if (device_of(req, &d)) {
		device_key(&d, key);
		count_failure(req, key, req->web->cfg->login_limit);
	}
}

/* The account-wide count stays: the owner signing in must not hand an
 * attacker elsewhere a fresh run of unpaced guesses. The client becomes a
 * known one: its address is remembered and it gets a new device cookie. */
void throttle_login_ok(struct request *req, const struct user *u)
{
	char norm[STORE_EMAIL_MAX + 1], key[KEY_MAX], addr[ADDR_MAX];
	int64_t now = (int64_t)time(NULL);
	account_normalize_email(u->email, norm);
	login_pair_key(req, norm, key);
	if (store_limit_reset(req->web->store, key))
		log_event(LOG_WARN, "throttle.reset", "could not reset a log-in count");
	address_key(req->client_addr, addr);
	if (store_login_address_add(req->web->store, u->id, addr, now, KNOWN_ADDRESS_SECONDS))
		log_event(LOG_WARN, "throttle.known", "could not remember a log-in address");
	char cookie[DEVICE_COOKIE_MAX];
	if (device_cookie_sign(req->web->device_key, u->id, now + DEVICE_SECONDS, cookie) == 0)
		session_set_cookie(req, DEVICE_COOKIE, cookie, (long)DEVICE_SECONDS);
}

static void password_pair_key(const struct request *req, char key[KEY_MAX])
{
	char addr[ADDR_MAX];
	assert(req->user.id > 0);
	address_key(req->client_addr, addr);
	snprintf(key, KEY_MAX, "password:%lld|%s", (long long)req->user.id, addr);
}

/* "password:ID": wrong current passwords of one account from anywhere. */
static void password_account_key(const struct request *req, char key[KEY_MAX])
{
	assert(req->user.id > 0);
	snprintf(key, KEY_MAX, "password:%lld", (long long)req->user.id);
}

int throttle_password_check(struct request *req, int64_t *wait)
{
	char key[KEY_MAX];
	int64_t now = (int64_t)time(NULL);
	password_pair_key(req, key);
	int rc = check_failures(req, key, req->web->cfg->login_limit, now, wait);
	if (rc || *wait)
		return rc;
	password_account_key(req, key);
	return check_failures(req, key, req->web->cfg->login_limit, now, wait);
}

void throttle_password_failed(struct request *req)
{
	char key[KEY_MAX];
	password_pair_key(req, key);
	count_failure(req, key, req->web->cfg->login_limit);
	password_account_key(req, key);
	count_failure(req, key, req->web->cfg->login_limit);
}

/* Only the pair starts afresh: the account-wide count is what stops
 * guesses spread over many addresses, and a right password ends every
 * session anyway. */
void throttle_password_ok(struct request *req)
{
	char key[KEY_MAX];
	password_pair_key(req, key);
	if (store_limit_reset(req->web->store, key))
		log_event(LOG_WARN, "throttle.reset", "could not reset a password-check count");
}

int throttle_signup(struct request *req, int64_t *wait)
{
	char addr[ADDR_MAX], key[KEY_MAX];
	address_key(req->client_addr, addr);
	snprintf(key, sizeof(key), "addr:%s", addr);
	return count_attempt(req, key, req->web->cfg->address_limit, (int64_t)time(NULL), wait);
}

void throttle_refuse(struct request *req, int64_t wait)
{
	char secs[24];
	snprintf(secs, sizeof(secs), "%lld", (long long)wait);
	resp_header(req, "Retry-After", secs);
	char *msg = arena_printf(&req->arena, "Too many attempts: wait %lld seconds and try again.", (long long)wait);
	resp_error(req, 429, "rate_limited", msg ? msg : "Too many attempts.", NULL);
}

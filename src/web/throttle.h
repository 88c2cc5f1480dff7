/* throttle — how often a client may try a password (log-in, the current
 * password on a password change) or sign up.
 *
 * The counters live in the store (store_limit_*, store_login_address_*), so
 * every `jobtrack serve` on the same database enforces the limits together.
 * All of them count in fixed windows of --limit-window seconds:
 *
 * - per address (--address-limit): every log-in and sign-up attempt. Over
 *   it: 429 with Retry-After until the window ends.
 * - per account and address (--login-limit): failed log-ins, or wrong
 *   current passwords, from one address. Over it: 429 until the window ends.
 *   A success starts that pair afresh.
 * - per account, from anywhere, for log-ins: failures never lock the
 *   account (that would let anyone lock its owner out). Past --login-limit
 *   of them the account is paced for clients it does not know: one attempt
 *   per slot of 2^(failures - limit) seconds, at most 30 s. Others in the
 *   slot get 429 with Retry-After.
 * - known clients skip that pacing (OWASP's "device cookies"): a client
 *   that sends a jt_device cookie (auth/device.h) naming the account, or
 *   one from an address (IPv4, IPv6 /64) that signed into the account
 *   within 30 days. Every successful log-in (form, token endpoint, the
 *   sign-up page's) remembers the address and hands out a new cookie. A
 *   known client still counts per address and per account and address,
 *   and a cookie's failures count under its device id from any address:
 *   past --login-limit of them in the window it is no longer known, so a
 *   stolen cookie buys at most --login-limit unpaced guesses a window.
 * - per account, from anywhere, for current passwords (--login-limit):
 *   past it, that account's password checks get 429 until the window ends.
 *   This only blocks changing the password (the caller is signed in
 *   already); signing in is not affected.
 *
 * What the owner can be kept from, and what not. Signing in from a known
 * client (their browser's cookie, or an address they used within 30 days)
 * cannot be stopped from elsewhere: the only limits that apply count that
 * client's own address or cookie. Sharing the owner's address (the same NAT
 * or IPv6 /64), an attacker can use up its --address-limit or that pair's
 * --login-limit and refuse it until the window ends; holding a copy of the
 * cookie, one can spend its failures and turn it back into an unknown
 * client. A client the owner has never signed in from (a new device and
 * address, or cleared cookies) is only paced: an attacker who takes every
 * slot keeps it waiting for as long as the attack lasts; it is slowed, never
 * locked, and gets in once the attack stops or from a known client. And
 * anyone who has the owner's session can block the owner's password change
 * for a window by guessing wrong, but not their log-in.
 *
 * Why pacing and not a delay: a sleeping handler holds one of a handful of
 * worker threads, so an attacker could stall the whole server with a few
 * slow log-ins; a refusal costs no thread and no password hash. Short slots
 * keep the wait to seconds, while an attacker spread over many addresses
 * gets at most one guess per slot (about 30 a window of 900 s).
 *
 * Each check returns 0 or a negative store error (the caller answers 503);
 * *wait gets 0 when the attempt may go ahead, else the seconds to wait. */
#ifndef JT_WEB_THROTTLE_H
#define JT_WEB_THROTTLE_H

#include <stdint.h>

#include "web/http.h"

/* Before checking a log-in's password for email. */
int throttle_login(struct request *req, const char *email, int64_t *wait);
/* After a wrong password (or unknown e-mail): counts for the pair and the account. */
void throttle_login_failed(struct request *req, const char *email);
/* After a right password (or a sign-up that signs in): the pair (this
 * account, this address) starts afresh, the address becomes known to u's
 * account and the client gets a new device cookie. */
void throttle_login_ok(struct request *req, const struct user *u);

/* Before checking the signed-in user's current password (password change). */
int throttle_password_check(struct request *req, int64_t *wait);
void throttle_password_failed(struct request *req);
void throttle_password_ok(struct request *req);

/* Before a sign-up: counts against the address. */
int throttle_signup(struct request *req, int64_t *wait);

/* Answers 429 with Retry-After (JSON for the API). */
void throttle_refuse(struct request *req, int64_t wait);

#endif

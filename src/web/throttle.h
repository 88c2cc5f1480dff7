/* throttle — how often a client may try a password (log-in, the current
 * password on a password change) or sign up.
 *
 * The counters live in the store (store_limit_*), so every `jobtrack serve`
 * on the same database enforces the limits together. All of them count in
 * fixed windows of --limit-window seconds:
 *
 * - per address (--address-limit): every log-in and sign-up attempt. Over
 *   it: 429 with Retry-After until the window ends.
 * - per account and address (--login-limit): failed log-ins, or wrong
 *   current passwords, from one address. Over it: 429 until the window ends.
 *   A success starts that pair afresh.
 * - per account, from anywhere: failed log-ins never lock the account (that
 *   would let anyone lock its owner out). Past --login-limit of them the
 *   account is only paced: one attempt per slot of 2^(failures - limit)
 *   seconds, at most 30 s. Others in the slot get 429 with Retry-After.
 *
 * Why pacing and not a delay: a sleeping handler holds one of a handful of
 * worker threads, so an attacker could stall the whole server with a few
 * slow log-ins; a refusal costs no thread and no password hash. Short slots
 * keep the owner's wait to seconds, while an attacker spread over many
 * addresses gets at most one guess per slot (about 30 a window of 900 s).
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

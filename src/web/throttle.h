/* throttle — the log-in and sign-up rate limits, per account and per address. */
#ifndef JT_WEB_THROTTLE_H
#define JT_WEB_THROTTLE_H

#include <stdint.h>

#include "web/http.h"

/* Count one log-in attempt; returns seconds to wait when over a limit, else 0. */
int64_t throttle_login(struct request *req, const char *email);
/* A successful log-in clears the account's count. */
void throttle_login_ok(struct request *req, const char *email);
int64_t throttle_signup(struct request *req);
/* Answers 429 with Retry-After (JSON for the API). */
void throttle_refuse(struct request *req, int64_t wait);

#endif

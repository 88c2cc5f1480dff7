/* account — sign-up, log-in and password changes, shared by the web pages,
 * the API and the CLI. Rate limiting is the caller's (it knows addresses).
 * Results are 0 or a negative enum account_result, like every error here. */
#ifndef JT_AUTH_ACCOUNT_H
#define JT_AUTH_ACCOUNT_H

#include <stdint.h>

#include "store/store.h"
#include "tracker/field_errors.h"

enum account_result {
	ACCOUNT_OK = 0,
	ACCOUNT_INVALID = -1,         /* see the field errors */
	ACCOUNT_EXISTS = -2,          /* e-mail taken */
	ACCOUNT_CLOSED = -3,          /* sign-up is invite-only */
	ACCOUNT_BAD_CREDENTIALS = -4, /* wrong e-mail or password (never says which) */
	ACCOUNT_ERROR = -5,           /* the store (or hashing) failed */
	ACCOUNT_UNAVAILABLE = -6,     /* the store is busy or unreachable: try again */
};

/* The store error to answer a failed result with (resp_store_error,
 * session_store_error): STORE_BUSY for ACCOUNT_UNAVAILABLE, else STORE_ERROR. */
int account_store_error(enum account_result r);

/* Trims an e-mail, lower-cases its ASCII letters and cuts it to
 * STORE_EMAIL_MAX bytes on a character boundary, into out (STORE_EMAIL_MAX+1
 * bytes). 0, or -1 with out "" when it is not valid UTF-8. */
int account_normalize_email(const char *in, char *out);
/* 1 unless an admin closed sign-up, 0 when closed, or a negative store error
 * when the store could not say (never "open": an invite-only instance stays
 * closed while its database is away). */
int account_signup_open(struct store *s);
int account_set_signup_open(struct store *s, int open);

/* Creates a user. `cli` skips the open-sign-up check (the CLI is trusted). */
enum account_result account_signup(struct store *s, const char *email, const char *password, int cli, struct user *out,
				   struct field_errors *errs);
/* Checks credentials; takes as long for an unknown e-mail as for a wrong password. */
enum account_result account_login(struct store *s, const char *email, const char *password, struct user *out);
/* Verifies current (unless NULL, for the CLI), checks the policy, stores the
 * new hash and ends every session but keep_session (NULL: all of them). A
 * wrong current password is ACCOUNT_INVALID with a "current_password" field
 * error, so that it shows beside the field like the policy's errors. */
enum account_result account_change_password(struct store *s, const struct user *u, const char *current,
					    const char *new_password, const uint8_t keep_session[32],
					    struct field_errors *errs);

#endif

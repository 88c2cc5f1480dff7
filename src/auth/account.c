#include "auth/account.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "base/text.h"

int account_normalize_email(const char *in, char *out)
{
	assert(in && out);
	out[0] = '\0';
	while (isspace((unsigned char)*in))
		in++;
	size_t n = strnlen(in, STORE_EMAIL_MAX + 1);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	/* Cut on a character boundary: half a character is not UTF-8, and
	 * PostgreSQL refuses what SQLite would store. */
	if (n > STORE_EMAIL_MAX) {
		n = STORE_EMAIL_MAX;
		while (n && ((unsigned char)in[n] & 0xc0) == 0x80)
			n--;
	}
	if (!text_utf8_valid(in, n))
		return -1;
	/* Only ASCII letters change: tolower() of a byte of a multi-byte
	 * character could break it in a single-byte locale. */
	for (size_t i = 0; i < n; i++)
		out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
	out[n] = '\0';
	return 0;
}

/* A failed store call as a result: busy or unreachable is worth a retry. */
static enum account_result store_failure(int store_rc)
{
	return store_rc == STORE_BUSY ? ACCOUNT_UNAVAILABLE : ACCOUNT_ERROR;
}

int account_store_error(enum account_result r)
{
	return r == ACCOUNT_UNAVAILABLE ? STORE_BUSY : STORE_ERROR;
}

int account_signup_open(struct store *s)
{
	char v[8];
	int rc = store_setting_get(s, "signup_open", v, sizeof(v));
	if (rc)
		return rc < 0 ? rc : STORE_ERROR;
	return strcmp(v, "0") != 0;
}

int account_set_signup_open(struct store *s, int open)
{
	return store_setting_set(s, "signup_open", open ? "1" : "0");
}

enum account_result account_signup(struct store *s, const char *email, const char *password, int cli, struct user *out,
				   struct field_errors *errs)
{
	assert(errs && errs->n == 0);
	int open = cli ? 1 : account_signup_open(s);
	if (open < 0)
		return store_failure(open);
	if (!open)
		return ACCOUNT_CLOSED;
	char norm[STORE_EMAIL_MAX + 1];
	if (account_normalize_email(email ? email : "", norm))
		field_errors_add(errs, "email", "The e-mail address is not valid UTF-8 text.");
	else if (!text_email_plausible(norm))
		field_errors_add(errs, "email", "Enter an e-mail address such as ada@example.com.");
	const char *perr = password ? password_policy_error(password) : "Choose a password.";
	if (perr)
		field_errors_add(errs, "password", perr);
	if (errs->n)
		return ACCOUNT_INVALID;
	char hash[STORE_HASH_MAX];
	if (password_hash(password, hash, sizeof(hash)))
		return ACCOUNT_ERROR;
	int rc = store_user_create(s, norm, hash, (int64_t)time(NULL), out);
	if (rc == STORE_CONFLICT) {
		field_errors_add(errs, "email", "An account with this e-mail already exists.");
		return ACCOUNT_EXISTS;
	}
	return rc ? store_failure(rc) : ACCOUNT_OK;
}

enum account_result account_login(struct store *s, const char *email, const char *password, struct user *out)
{
	char norm[STORE_EMAIL_MAX + 1];
	/* No account has an address that is not UTF-8: asking the store would
	 * only make PostgreSQL refuse the query. */
	if (account_normalize_email(email ? email : "", norm) || !password || strlen(password) > PASSWORD_MAX_BYTES) {
		password_verify(password_dummy_hash(), "x");
		return ACCOUNT_BAD_CREDENTIALS;
	}
	int rc = store_user_by_email(s, norm, out);
	if (rc == STORE_NOTFOUND) {
		password_verify(password_dummy_hash(), password);
		return ACCOUNT_BAD_CREDENTIALS;
	}
	if (rc)
		return store_failure(rc);
	return password_verify(out->password_hash, password) ? ACCOUNT_OK : ACCOUNT_BAD_CREDENTIALS;
}

enum account_result account_change_password(struct store *s, const struct user *u, const char *current,
					    const char *new_password, const uint8_t keep_session[32],
					    struct field_errors *errs)
{
	assert(u && errs && errs->n == 0);
	if (current && !password_verify(u->password_hash, current))
		field_errors_add(errs, "current_password", "That is not your current password.");
	const char *perr = new_password ? password_policy_error(new_password) : "Choose a new password.";
	if (perr)
		field_errors_add(errs, "new_password", perr);
	if (errs->n)
		return ACCOUNT_INVALID;
	char hash[STORE_HASH_MAX];
	if (password_hash(new_password, hash, sizeof(hash)))
		return ACCOUNT_ERROR;
	int rc = store_user_set_password(s, u->id, hash, keep_session, (int64_t)time(NULL));
	return rc ? store_failure(rc) : ACCOUNT_OK;
}

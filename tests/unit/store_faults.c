#include "store_faults.h"

#include <string.h>

#include "store/backend.h"

static struct store *faulty;
static int fault_rc[FAULT_N];
static const struct store_core_ops *real_core;
static const struct store_settings_ops *real_settings;
static const struct store_account_ops *real_accounts;
static const struct store_resume_ops *real_resumes;
static struct store_core_ops core;
static struct store_settings_ops settings;
static struct store_account_ops accounts;
static struct store_resume_ops resumes;

static int setting_get(struct store *s, const char *key, char *value, size_t valuelen)
{
	return fault_rc[FAULT_SETTING_GET] ? fault_rc[FAULT_SETTING_GET]
					   : real_settings->setting_get(s, key, value, valuelen);
}

static int user_by_email(struct store *s, const char *email, struct user *out)
{
	return fault_rc[FAULT_USER_BY_EMAIL] ? fault_rc[FAULT_USER_BY_EMAIL]
					     : real_accounts->user_by_email(s, email, out);
}

static int user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep[32],
			     int64_t now)
{
	return fault_rc[FAULT_USER_SET_PASSWORD] ? fault_rc[FAULT_USER_SET_PASSWORD]
						 : real_accounts->user_set_password(s, id, password_hash, keep, now);
}

static int session_delete(struct store *s, const uint8_t hash[32])
{
	return fault_rc[FAULT_SESSION_DELETE] ? fault_rc[FAULT_SESSION_DELETE] : real_accounts->session_delete(s, hash);
}

static int tx_begin(struct store *s, int64_t user_id)
{
	return fault_rc[FAULT_TX_BEGIN] ? fault_rc[FAULT_TX_BEGIN] : real_core->tx_begin(s, user_id);
}

static int setting_set(struct store *s, const char *key, const char *value)
{
	return fault_rc[FAULT_SETTING_SET] ? fault_rc[FAULT_SETTING_SET] : real_settings->setting_set(s, key, value);
}

static int session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			  const char *user_agent, const char *address)
{
	return fault_rc[FAULT_SESSION_CREATE]
		   ? fault_rc[FAULT_SESSION_CREATE]
		   : real_accounts->session_create(s, user_id, hash, now, expires_at, user_agent, address);
}

static int session_revoke(struct store *s, int64_t user_id, int64_t session_id)
{
	return fault_rc[FAULT_SESSION_REVOKE] ? fault_rc[FAULT_SESSION_REVOKE]
					      : real_accounts->session_revoke(s, user_id, session_id);
}

static int sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32])
{
	return fault_rc[FAULT_SESSIONS_END_OTHERS] ? fault_rc[FAULT_SESSIONS_END_OTHERS]
						   : real_accounts->sessions_end_others(s, user_id, keep);
}

static int token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
			int64_t now, int64_t *id)
{
	return fault_rc[FAULT_TOKEN_CREATE] ? fault_rc[FAULT_TOKEN_CREATE]
					    : real_accounts->token_create(s, user_id, name, prefix, hash, now, id);
}

static int token_revoke(struct store *s, int64_t user_id, int64_t token_id, int64_t now)
{
	return fault_rc[FAULT_TOKEN_REVOKE] ? fault_rc[FAULT_TOKEN_REVOKE]
					    : real_accounts->token_revoke(s, user_id, token_id, now);
}

static int resume_list(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n)
{
	return fault_rc[FAULT_RESUME_LIST] ? fault_rc[FAULT_RESUME_LIST] : real_resumes->list(s, user_id, a, out, n);
}

void store_fault(struct store *s, enum store_fault_op op, int rc)
{
	if (faulty != s) {
		store_faults_clear(faulty);
		faulty = s;
		real_core = s->core;
		real_settings = s->settings;
		real_accounts = s->accounts;
		real_resumes = s->resumes;
		core = *s->core;
		settings = *s->settings;
		accounts = *s->accounts;
		resumes = *s->resumes;
		core.tx_begin = tx_begin;
		settings.setting_get = setting_get;
		accounts.user_by_email = user_by_email;
		accounts.user_set_password = user_set_password;
		accounts.session_delete = session_delete;
		settings.setting_set = setting_set;
		accounts.session_create = session_create;
		accounts.session_revoke = session_revoke;
		accounts.sessions_end_others = sessions_end_others;
		accounts.token_create = token_create;
		accounts.token_revoke = token_revoke;
		resumes.list = resume_list;
		s->core = &core;
		s->settings = &settings;
		s->accounts = &accounts;
		s->resumes = &resumes;
	}
	fault_rc[op] = rc;
}

void store_faults_clear(struct store *s)
{
	if (!s || s != faulty)
		return;
	s->core = real_core;
	s->settings = real_settings;
	s->accounts = real_accounts;
	s->resumes = real_resumes;
	faulty = NULL;
	memset(fault_rc, 0, sizeof(fault_rc));
}

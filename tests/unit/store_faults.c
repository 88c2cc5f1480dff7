#include "store_faults.h"

#include <string.h>

#include "store/backend.h"

static struct store *faulty;
static int fault_rc[FAULT_N];
static const struct store_core_ops *real_core;
static const struct store_settings_ops *real_settings;
static const struct store_account_ops *real_accounts;
static struct store_core_ops core;
static struct store_settings_ops settings;
static struct store_account_ops accounts;

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

void store_fault(struct store *s, enum store_fault_op op, int rc)
{
	if (faulty != s) {
		store_faults_clear(faulty);
		faulty = s;
		real_core = s->core;
		real_settings = s->settings;
		real_accounts = s->accounts;
		core = *s->core;
		settings = *s->settings;
		accounts = *s->accounts;
		core.tx_begin = tx_begin;
		settings.setting_get = setting_get;
		accounts.user_by_email = user_by_email;
		accounts.user_set_password = user_set_password;
		accounts.session_delete = session_delete;
		s->core = &core;
		s->settings = &settings;
		s->accounts = &accounts;
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
	faulty = NULL;
	memset(fault_rc, 0, sizeof(fault_rc));
}

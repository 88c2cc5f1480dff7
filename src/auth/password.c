#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stddef.h> /* crack.h uses size_t without including it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <crack.h>

#include "base/log.h"
#include "base/text.h"

/* tools/embed_wordlist.py writes these at build time: lower-case, sorted by
 * strcmp, no duplicates. */
extern const char *const common_passwords[];
extern const size_t n_common_passwords;

static int compare_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int password_is_common(const char *pw)
{
	char lower[PASSWORD_MAX_BYTES + 1];
	size_t len = strlen(pw);
	if (len > PASSWORD_MAX_BYTES)
		return 0;
	/* ASCII letters only, as the list was lower-cased: other bytes of UTF-8
	 * stay as they are. */
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] - 'A' + 'a' : pw[i]);
	return bsearch(lower, common_passwords, n_common_passwords, sizeof(common_passwords[0]), compare_word) != NULL;
}

/* cracklib keeps one dictionary open at a time in static state. */
static pthread_mutex_t crack_lock = PTHREAD_MUTEX_INITIALIZER;

const char *password_cracklib_verdict(const char *pw)
{
	const char *dict = GetDefaultCracklibDict();
	char pwd[512];
	snprintf(pwd, sizeof(pwd), "%s.pwd", dict);
	/* Without its dictionary cracklib ends the process (Debian #682735). */
	if (access(pwd, R_OK) != 0) {
		static int warned;
		if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
			log_event(LOG_WARN, "password.cracklib",
				  "%s is missing (install cracklib-runtime): only the built-in list is checked", pwd);
		return NULL;
	}
	/* A user name of our own, so that the server's own account name and
	 * GECOS (which FascistCheck would use) play no part. */
	pthread_mutex_lock(&crack_lock);
	const char *msg = FascistCheckUser(pw, dict, "jobtrack-user", NULL);
	pthread_mutex_unlock(&crack_lock);
	return msg;
}

const char *password_policy_error(const char *pw)
{
	size_t len = strlen(pw);
	if (len > PASSWORD_MAX_BYTES)
		return "Use at most 256 characters.";
	if (!text_utf8_valid(pw, len))
		return "The password must be valid UTF-8 text.";
	if (text_utf8_len(pw, len) < PASSWORD_MIN_CHARS)
		return "Use at least 8 characters.";
	if (password_is_common(pw))
		return PASSWORD_COMMON_MESSAGE;
	const char *verdict = password_cracklib_verdict(pw);
	if (!verdict)
		return NULL;
	/* "it is based on a (reversed) dictionary word": a common password with
	 * small changes (digits appended, letters swapped for digits). */
	if (strstr(verdict, "dictionary word"))
		return PASSWORD_COMMON_MESSAGE;
	return "This password is easy to guess (it is too simple or repetitive); choose another, such as a few "
	       "unrelated words.";
}

int password_hash(const char *pw, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	/* The interactive limits keep a log-in well under 100 ms on a laptop. */
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	return 0;
}

int password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	unsigned char rnd[16];
	char pw[33];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(pw, sizeof(pw), rnd, sizeof(rnd));
	if (password_hash(pw, dummy, sizeof(dummy)))
		dummy[0] = '\0';
}

const char *password_dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
}

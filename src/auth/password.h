/* password — argon2id hashing (libsodium) and the password policy (length,
 * UTF-8, not a common password: the built-in list, then cracklib's
 * FascistCheck over Debian's dictionary, which also finds dictionary words
 * with digits appended and other small changes). */
#ifndef JT_AUTH_PASSWORD_H
#define JT_AUTH_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_BYTES 256

#define PASSWORD_COMMON_MESSAGE \
	"This password is on lists of common passwords that attackers try first; choose another."

/* NULL when pw is acceptable, else a sentence saying what to change. */
const char *password_policy_error(const char *pw);
/* 1 when pw, ignoring ASCII case, is on the built-in list of common
 * passwords (John the Ripper's password.lst, embedded at build time). */
int password_is_common(const char *pw);
/* cracklib's reason to refuse pw ("it is based on a dictionary word", …),
 * or NULL when it has none or its dictionary is not installed (logged once). */
const char *password_cracklib_verdict(const char *pw);
/* Writes an encoded argon2id hash (≤ 128 bytes incl. NUL) to out. 0 or -1 (out of memory). */
int password_hash(const char *pw, char *out, size_t outlen);
/* 1 when pw matches the encoded hash. Takes the same time for a wrong password. */
int password_verify(const char *hash, const char *pw);
/* A hash of a random password, to verify against when the e-mail is unknown
 * so that a log-in takes as long for a missing account as for a wrong password. */
const char *password_dummy_hash(void);

#endif

/* resume/vault — a user's resume files at rest.
 *
 * The file's bytes are encrypted with libsodium's secretbox (XSalsa20-
 * Poly1305) and kept in the blob store under
 *   resumes/user=<id>/<32 random hex digits>.bin
 * and a row in the store (store_resume_*) says whose it is, its name, type
 * and size. The key is derived from the instance secret (token_derive_key,
 * purpose "resume-files"), and each file has a subkey of its own, bound to
 * its blob key, so a blob copied under another name, or to another user's
 * folder, no longer opens. An object is "JTR1", a 24-byte nonce, and the
 * sealed bytes (16-byte tag, then the file).
 *
 * Only the owner reads a file: every call takes the user's id and the
 * store's rows are scoped to it (another user's resume is -ENOENT, as one
 * that does not exist). The type is decided by content
 * (resume_detect_type), never by the name.
 *
 * Errors are negative errno values with a sentence in err: -EINVAL (not a
 * resume we read: empty, an image, an old .doc …), -EFBIG (over the size
 * limit), -ENOENT (no such resume for this user), -EBADMSG (the stored
 * object does not decrypt: tampered, or another instance's secret), -EBUSY
 * (the store is busy: try again), -EIO (the blob store or the store
 * failed). */
#ifndef JT_RESUME_VAULT_H
#define JT_RESUME_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "blob/blob.h"
#include "store/store.h"

struct resume_vault {
	struct store *store;
	struct blob *blob;
	uint8_t key[32];
	size_t max_bytes; /* largest file accepted (RESUME_MAX_BYTES_DEFAULT) */
};

void resume_vault_init(struct resume_vault *v, struct store *store, struct blob *blob, const uint8_t *secret,
		       size_t secret_len);
/* Wipes the key. */
void resume_vault_fini(struct resume_vault *v);

/* Stores a new resume of user_id; name is what the user calls it (cut to
 * STORE_RESUME_NAME_MAX bytes). make_default as in store_resume_insert.
 * *out (may be NULL) gets the row, its strings in a. */
int resume_vault_save(struct resume_vault *v, int64_t user_id, const char *name, const void *data, size_t len,
		      int make_default, int64_t now, struct arena *a, struct store_resume *out, char *err,
		      size_t errlen);
/* Puts data in place of the file of the user's resume id (a new object;
 * the old one is removed once the row names the new one): the resume keeps
 * its id, name, default and scans. *out (may be NULL) gets the row. */
int resume_vault_replace(struct resume_vault *v, int64_t user_id, int64_t id, const void *data, size_t len, int64_t now,
			 struct arena *a, struct store_resume *out, char *err, size_t errlen);
/* The file of the user's resume id, decrypted into a (*data, *len); *meta
 * (may be NULL) gets its row. */
int resume_vault_read(struct resume_vault *v, int64_t user_id, int64_t id, struct arena *a, struct store_resume *meta,
		      unsigned char **data, size_t *len, char *err, size_t errlen);
/* Removes the row, then the object (a missing object is no error). */
int resume_vault_delete(struct resume_vault *v, int64_t user_id, int64_t id, char *err, size_t errlen);

#endif

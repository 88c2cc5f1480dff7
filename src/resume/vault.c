/* resume/vault — see vault.h: encryption at rest, blob keys, and the order
 * of writes (object first, then the row; a row never names a missing
 * object, and an object whose row failed is removed). */
#include "resume/vault.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/token.h"
#include "base/buf.h"
#include "resume/extract.h"

#define MAGIC     "JTR1"
#define MAGIC_LEN 4
#define HEAD      (MAGIC_LEN + crypto_secretbox_NONCEBYTES)

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

void resume_vault_init(struct resume_vault *v, struct store *store, struct blob *blob, const uint8_t *secret,
		       size_t secret_len)
{
	memset(v, 0, sizeof(*v));
	v->store = store;
	v->blob = blob;
	v->max_bytes = RESUME_MAX_BYTES_DEFAULT;
	token_derive_key(secret, secret_len, "resume-files", v->key);
}

void resume_vault_fini(struct resume_vault *v)
{
	sodium_memzero(v->key, sizeof(v->key));
}

/* The key of one object: the vault key and the blob key hashed together. */
static void file_key(const struct resume_vault *v, const char *blob_key, uint8_t out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)blob_key, strlen(blob_key), v->key, sizeof(v->key));
}

static int store_errno(int rc)
{
	return rc == STORE_NOTFOUND ? -ENOENT : rc == STORE_BUSY ? -EBUSY : -EIO;
}

/* Checks data, encrypts it and puts it in the blob store under a new key
 * (key[128]); *type gets what it is. 0, or a negative errno with err set. */
static int put_object(struct resume_vault *v, int64_t user_id, const void *data, size_t len, char *key,
		      enum resume_type *type, char *err, size_t errlen)
{
	if (len == 0)
		return fail(err, errlen, -EINVAL, "the file is empty");
	if (len > v->max_bytes)
		return fail(err, errlen, -EFBIG, "the file is %zu bytes; the limit is %zu", len, v->max_bytes);
	const char *why;
	*type = resume_detect_type(data, len, &why);
	if (*type == RESUME_TYPE_UNKNOWN)
		return fail(err, errlen, -EINVAL, "this is %s", why ? why : "not a resume file");

	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof(rnd));
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(key, 128, "resumes/user=%lld/%s.bin", (long long)user_id, hex);

	struct buf obj;
	buf_init(&obj, len + HEAD + crypto_secretbox_MACBYTES + 1);
	if (buf_reserve(&obj, len + HEAD + crypto_secretbox_MACBYTES) != 0)
		return fail(err, errlen, -EIO, "out of memory");
	unsigned char *o = (unsigned char *)obj.data;
	memcpy(o, MAGIC, MAGIC_LEN);
	randombytes_buf(o + MAGIC_LEN, crypto_secretbox_NONCEBYTES);
	uint8_t fk[32];
	file_key(v, key, fk);
	crypto_secretbox_easy(o + HEAD, data, len, o + MAGIC_LEN, fk);
	sodium_memzero(fk, sizeof(fk));
	int rc = blob_put(v->blob, key, o, len + HEAD + crypto_secretbox_MACBYTES);
	buf_free(&obj);
	if (rc != 0)
		return fail(err, errlen, -EIO, "the file could not be stored (%s)", strerror(-rc));
	return 0;
}

int resume_vault_save(struct resume_vault *v, int64_t user_id, const char *name, const void *data, size_t len,
		      int make_default, int64_t now, struct arena *a, struct store_resume *out, char *err,
		      size_t errlen)
{
	char key[128];
	enum resume_type type;
	int rc = put_object(v, user_id, data, len, key, &type, err, errlen);
	if (rc != 0)
		return rc;

	char shortname[STORE_RESUME_NAME_MAX + 1];
	snprintf(shortname, sizeof(shortname), "%s", name && *name ? name : "resume");
	/* A cut name ends on a whole UTF-8 character. */
	size_t sl = strlen(shortname);
	if (sl == STORE_RESUME_NAME_MAX) {
		size_t k = sl;
		while (k > 0 && ((unsigned char)shortname[k - 1] & 0xC0) == 0x80)
			k--;
		unsigned char lead = k > 0 ? (unsigned char)shortname[k - 1] : 0;
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (k > 0 && sl - (k - 1) < need)
			shortname[k - 1] = '\0';
	}
	struct store_resume r = { .name = shortname,
				  .type = resume_type_name(type),
				  .size = (int64_t)len,
				  .blob_key = key,
				  .is_default = make_default };
	rc = store_resume_insert(v->store, user_id, &r, now);
	if (rc != 0) {
		blob_delete(v->blob, key);
		return fail(err, errlen, store_errno(rc), "the resume could not be saved");
	}
	if (out) {
		*out = r;
		out->name = arena_strdup(a, shortname);
		out->blob_key = arena_strdup(a, key);
		if (!out->name || !out->blob_key)
			return fail(err, errlen, -EIO, "out of memory");
	}
	return 0;
}

int resume_vault_replace(struct resume_vault *v, int64_t user_id, int64_t id, const void *data, size_t len, int64_t now,
			 struct arena *a, struct store_resume *out, char *err, size_t errlen)
{
	struct store_resume old;
	int rc = store_resume_get(v->store, user_id, id, a, &old);
	if (rc != 0)
		return fail(err, errlen, store_errno(rc), rc == STORE_NOTFOUND ? "no such resume" : "the store failed");
	char key[128];
	enum resume_type type;
	if ((rc = put_object(v, user_id, data, len, key, &type, err, errlen)) != 0)
		return rc;
	rc = store_resume_set_file(v->store, user_id, id, resume_type_name(type), (int64_t)len, key, now);
	if (rc != 0) {
		blob_delete(v->blob, key);
		return fail(err, errlen, store_errno(rc), rc == STORE_NOTFOUND ? "no such resume" : "the store failed");
	}
	/* The row names the new object: the old one is unreachable now. */
	blob_delete(v->blob, old.blob_key);
	if (out) {
		rc = store_resume_get(v->store, user_id, id, a, out);
		if (rc != 0)
			return fail(err, errlen, store_errno(rc), "the store failed");
	}
	return 0;
}

int resume_vault_read(struct resume_vault *v, int64_t user_id, int64_t id, struct arena *a, struct store_resume *meta,
		      unsigned char **data, size_t *len, char *err, size_t errlen)
{
	struct store_resume r;
	int rc = store_resume_get(v->store, user_id, id, a, &r);
	if (rc != 0)
		return fail(err, errlen, store_errno(rc), rc == STORE_NOTFOUND ? "no such resume" : "the store failed");
	struct buf obj;
	buf_init(&obj, v->max_bytes + HEAD + crypto_secretbox_MACBYTES);
	rc = blob_get(v->blob, r.blob_key, &obj);
	if (rc != 0) {
		buf_free(&obj);
		return fail(err, errlen,
			    rc == -ENOENT  ? -EIO
			    : rc == -EFBIG ? -EBADMSG
					   : -EIO,
			    "the resume's file could not be read (%s)", strerror(-rc));
	}
	if (obj.len < HEAD + crypto_secretbox_MACBYTES || memcmp(obj.data, MAGIC, MAGIC_LEN) != 0) {
		buf_free(&obj);
		return fail(err, errlen, -EBADMSG, "the resume's file is damaged");
	}
	size_t n = obj.len - HEAD - crypto_secretbox_MACBYTES;
	unsigned char *plain = arena_alloc_raw(a, n + 1);
	uint8_t fk[32];
	file_key(v, r.blob_key, fk);
	const unsigned char *o = (const unsigned char *)obj.data;
	rc = plain ? crypto_secretbox_open_easy(plain, o + HEAD, obj.len - HEAD, o + MAGIC_LEN, fk) : -1;
	sodium_memzero(fk, sizeof(fk));
	buf_free(&obj);
	if (!plain)
		return fail(err, errlen, -EIO, "out of memory");
	if (rc != 0)
		return fail(err, errlen, -EBADMSG, "the resume's file does not decrypt (damaged, or another key)");
	plain[n] = 0;
	if ((int64_t)n != r.size)
		return fail(err, errlen, -EBADMSG, "the resume's file is not the size recorded");
	*data = plain;
	*len = n;
	if (meta)
		*meta = r;
	return 0;
}

int resume_vault_delete(struct resume_vault *v, int64_t user_id, int64_t id, char *err, size_t errlen)
{
	struct arena a;
	arena_init(&a, 0);
	struct store_resume r;
	int rc = store_resume_get(v->store, user_id, id, &a, &r);
	if (rc == 0)
		rc = store_resume_delete(v->store, user_id, id);
	if (rc != 0) {
		arena_free(&a);
		return fail(err, errlen, store_errno(rc), rc == STORE_NOTFOUND ? "no such resume" : "the store failed");
	}
	/* The row is gone: the object is unreachable now; a failure here only
	 * leaves an orphan that names no user data. */
	blob_delete(v->blob, r.blob_key);
	arena_free(&a);
	return 0;
}

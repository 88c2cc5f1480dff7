/* resume/service — see service.h. An upload is read through once before it
 * is stored: what cannot be read now cannot be scanned later, and the user
 * learns why at once. */
#include "resume/service.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void resume_service_init(struct resume_service *svc, struct store *store, struct blob *blob, const uint8_t *secret,
			 size_t secret_len, resume_extract_fn extract)
{
	memset(svc, 0, sizeof(*svc));
	resume_vault_init(&svc->vault, store, blob, secret, secret_len);
	svc->extract = extract;
	svc->has_blob = blob != NULL;
}

void resume_service_fini(struct resume_service *svc)
{
	resume_vault_fini(&svc->vault);
}

static enum resume_svc_status from_errno(int rc)
{
	switch (rc) {
	case 0:
		return RESUME_SVC_OK;
	case -ENOENT:
		return RESUME_SVC_NOTFOUND;
	case -EFBIG:
		return RESUME_SVC_TOO_LARGE;
	case -EINVAL:
		return RESUME_SVC_UNSUPPORTED;
	case -EBUSY:
		return RESUME_SVC_BUSY;
	default:
		return RESUME_SVC_ERROR;
	}
}

static enum resume_svc_status from_extract(enum resume_error e)
{
	switch (e) {
	case RESUME_OK:
		return RESUME_SVC_OK;
	case RESUME_ERR_TOO_LARGE:
		return RESUME_SVC_TOO_LARGE;
	case RESUME_ERR_UNSUPPORTED:
		return RESUME_SVC_UNSUPPORTED;
	case RESUME_ERR_NOMEM:
		return RESUME_SVC_ERROR;
	default:
		return RESUME_SVC_UNREADABLE;
	}
}

static enum resume_svc_status read_through(struct resume_service *svc, const void *data, size_t len, struct arena *a,
					   struct resume_doc *out, char *err, size_t errlen)
{
	struct resume_limits lim;
	resume_limits_default(&lim);
	lim.max_bytes = svc->vault.max_bytes;
	enum resume_error e = svc->extract(data, len, &lim, a, &out->text, err, errlen);
	if (e != RESUME_OK) {
		out->error_code = resume_error_name(e);
		if (!err[0])
			snprintf(err, errlen, "the file cannot be read (%s)", resume_error_name(e));
	}
	return from_extract(e);
}

/* What an upload must pass before it is kept: read through whole. */
static enum resume_svc_status check_upload(struct resume_service *svc, const void *data, size_t len, struct arena *a,
					   struct resume_doc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if (!svc->extract || !svc->has_blob) {
		snprintf(err, errlen, "resumes cannot be stored on this server (no file store or reader)");
		return RESUME_SVC_UNAVAILABLE;
	}
	if (len > svc->vault.max_bytes) {
		snprintf(err, errlen, "the file is %zu bytes; the limit is %zu bytes", len, svc->vault.max_bytes);
		return RESUME_SVC_TOO_LARGE;
	}
	return read_through(svc, data, len, a, out, err, errlen);
}

enum resume_svc_status resume_upload(struct resume_service *svc, int64_t user_id, const char *name, const void *data,
				     size_t len, int make_default, int64_t now, struct arena *a, struct resume_doc *out,
				     char *err, size_t errlen)
{
	enum resume_svc_status st = check_upload(svc, data, len, a, out, err, errlen);
	if (st != RESUME_SVC_OK)
		return st;
	int rc =
	    resume_vault_save(&svc->vault, user_id, name, data, len, make_default, now, a, &out->meta, err, errlen);
	return from_errno(rc);
}

enum resume_svc_status resume_replace(struct resume_service *svc, int64_t user_id, int64_t id, const void *data,
				      size_t len, int64_t now, struct arena *a, struct resume_doc *out, char *err,
				      size_t errlen)
{
	enum resume_svc_status st = check_upload(svc, data, len, a, out, err, errlen);
	if (st != RESUME_SVC_OK)
		return st;
	return from_errno(resume_vault_replace(&svc->vault, user_id, id, data, len, now, a, &out->meta, err, errlen));
}

enum resume_svc_status resume_file(struct resume_service *svc, int64_t user_id, int64_t id, struct arena *a,
				   struct store_resume *meta, unsigned char **data, size_t *len, char *err,
				   size_t errlen)
{
	err[0] = '\0';
	if (!svc->has_blob) {
		snprintf(err, errlen, "resume files cannot be read on this server (no file store)");
		return RESUME_SVC_UNAVAILABLE;
	}
	if (id == 0) {
		struct store_resume d;
		int rc = store_resume_default(svc->vault.store, user_id, a, &d);
		if (rc == STORE_NOTFOUND) {
			snprintf(err, errlen, "you have no resume yet: upload one first");
			return RESUME_SVC_NOTFOUND;
		}
		if (rc != STORE_OK)
			return RESUME_SVC_ERROR;
		id = d.id;
	}
	return from_errno(resume_vault_read(&svc->vault, user_id, id, a, meta, data, len, err, errlen));
}

enum resume_svc_status resume_open(struct resume_service *svc, int64_t user_id, int64_t id, struct arena *a,
				   struct resume_doc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!svc->extract) {
		snprintf(err, errlen, "resumes cannot be read on this server (no reader)");
		return RESUME_SVC_UNAVAILABLE;
	}
	unsigned char *data;
	size_t len;
	enum resume_svc_status st = resume_file(svc, user_id, id, a, &out->meta, &data, &len, err, errlen);
	if (st != RESUME_SVC_OK)
		return st;
	return read_through(svc, data, len, a, out, err, errlen);
}

static enum resume_svc_status from_store(int rc)
{
	switch (rc) {
	case STORE_OK:
		return RESUME_SVC_OK;
	case STORE_NOTFOUND:
		return RESUME_SVC_NOTFOUND;
	case STORE_BUSY:
		return RESUME_SVC_BUSY;
	default:
		return RESUME_SVC_ERROR;
	}
}

enum resume_svc_status resume_list(struct resume_service *svc, int64_t user_id, struct arena *a,
				   struct store_resume **out, size_t *n)
{
	return from_store(store_resume_list(svc->vault.store, user_id, a, out, n));
}

enum resume_svc_status resume_update(struct resume_service *svc, int64_t user_id, int64_t id, const char *name,
				     int make_default, int64_t now, char *err, size_t errlen)
{
	err[0] = '\0';
	struct store *s = svc->vault.store;
	if (name) {
		size_t n = strlen(name);
		if (n == 0 || n > STORE_RESUME_NAME_MAX) {
			snprintf(err, errlen, "the name must be 1 to %d bytes", STORE_RESUME_NAME_MAX);
			return RESUME_SVC_INVALID;
		}
		enum resume_svc_status st = from_store(store_resume_rename(s, user_id, id, name, now));
		if (st != RESUME_SVC_OK)
			return st;
	}
	if (make_default)
		return from_store(store_resume_set_default(s, user_id, id, now));
	if (!name) {
		struct arena a;
		arena_init(&a, 0);
		struct store_resume r;
		enum resume_svc_status st = from_store(store_resume_get(s, user_id, id, &a, &r));
		arena_free(&a);
		return st;
	}
	return RESUME_SVC_OK;
}

enum resume_svc_status resume_remove(struct resume_service *svc, int64_t user_id, int64_t id, char *err, size_t errlen)
{
	return from_errno(resume_vault_delete(&svc->vault, user_id, id, err, errlen));
}

int resume_svc_http_status(enum resume_svc_status st)
{
	static const int status[] = { 200, 413, 415, 422, 422, 404, 503, 500, 503 };
	return status[st];
}

const char *resume_svc_code(enum resume_svc_status st)
{
	static const char *const code[] = { "ok",        "too_large",   "unsupported", "unreadable", "invalid",
					    "not_found", "unavailable", "internal",    "busy" };
	return code[st];
}

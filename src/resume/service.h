/* resume/service — a user's resumes, for the web API and pages: upload
 * (the file is read through before it is kept, so a corrupt, encrypted,
 * empty or image-only file is refused with what to do), list, one resume's
 * text, sections and ATS facts, its file, rename, make default, delete.
 *
 * The text extraction (src/resume/extract.c: MuPDF, libzip) is handed in
 * by whoever links it (serve), so the server's code links without it;
 * with none, reading a resume answers RESUME_SVC_UNAVAILABLE.
 *
 * Every call is scoped to user_id: another user's resume is NOTFOUND.
 * Strings returned are in the caller's arena. Thread-safe (the vault and
 * store are; the service itself holds no mutable state). */
#ifndef JT_RESUME_SERVICE_H
#define JT_RESUME_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "blob/blob.h"
#include "resume/extract.h"
#include "resume/vault.h"
#include "store/store.h"

typedef enum resume_error (*resume_extract_fn)(const void *data, size_t len, const struct resume_limits *lim,
					       struct arena *a, struct resume_text *out, char *err, size_t errlen);

/* What went wrong, each with its HTTP answer (resume_svc_http_status). */
enum resume_svc_status {
	RESUME_SVC_OK = 0,
	RESUME_SVC_TOO_LARGE,   /* 413 */
	RESUME_SVC_UNSUPPORTED, /* 415: not PDF, DOCX, text or Markdown */
	RESUME_SVC_UNREADABLE,  /* 422: empty, corrupt, encrypted, no text layer, too complex */
	RESUME_SVC_INVALID,     /* 422: a bad name or field */
	RESUME_SVC_NOTFOUND,    /* 404 */
	RESUME_SVC_UNAVAILABLE, /* 503: no extractor or blob store */
	RESUME_SVC_ERROR,       /* 500 */
	RESUME_SVC_BUSY,        /* 503 with Retry-After: the store is busy */
};

struct resume_service {
	struct resume_vault vault;
	resume_extract_fn extract;
	int has_blob;
};

/* blob or extract may be NULL: the calls that need them answer UNAVAILABLE. */
void resume_service_init(struct resume_service *svc, struct store *store, struct blob *blob, const uint8_t *secret,
			 size_t secret_len, resume_extract_fn extract);
void resume_service_fini(struct resume_service *svc);

/* A resume read through: its row, the extracted text and facts. */
struct resume_doc {
	struct store_resume meta;
	struct resume_text text;
	const char *error_code; /* on UNREADABLE: resume_error_name() */
};

/* Reads data as a resume and keeps it (encrypted). name: the file's name,
 * or NULL ("resume"). *out gets the row. err: a sentence for the user. */
enum resume_svc_status resume_upload(struct resume_service *svc, int64_t user_id, const char *name, const void *data,
				     size_t len, int make_default, int64_t now, struct arena *a, struct resume_doc *out,
				     char *err, size_t errlen);
/* Reads data as a resume and puts it in place of resume id's file (an
 * edited version): the resume keeps its id, name, default and scan
 * history, so a re-scan shows the change. */
enum resume_svc_status resume_replace(struct resume_service *svc, int64_t user_id, int64_t id, const void *data,
				      size_t len, int64_t now, struct arena *a, struct resume_doc *out, char *err,
				      size_t errlen);
/* The user's resume id (0: the default one), decrypted and read. */
enum resume_svc_status resume_open(struct resume_service *svc, int64_t user_id, int64_t id, struct arena *a,
				   struct resume_doc *out, char *err, size_t errlen);
/* The file as uploaded. */
enum resume_svc_status resume_file(struct resume_service *svc, int64_t user_id, int64_t id, struct arena *a,
				   struct store_resume *meta, unsigned char **data, size_t *len, char *err,
				   size_t errlen);
enum resume_svc_status resume_list(struct resume_service *svc, int64_t user_id, struct arena *a,
				   struct store_resume **out, size_t *n);
/* name (NULL: unchanged; 1..STORE_RESUME_NAME_MAX bytes), make_default (1:
 * this one becomes the default; 0: unchanged). */
enum resume_svc_status resume_update(struct resume_service *svc, int64_t user_id, int64_t id, const char *name,
				     int make_default, int64_t now, char *err, size_t errlen);
enum resume_svc_status resume_remove(struct resume_service *svc, int64_t user_id, int64_t id, char *err, size_t errlen);

int resume_svc_http_status(enum resume_svc_status st);
/* A stable machine name: "too_large", "unsupported", "not_found", … */
const char *resume_svc_code(enum resume_svc_status st);

#endif

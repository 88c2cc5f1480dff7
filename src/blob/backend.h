/* backend — what a blob backend implements (blob-internal).
 *
 * blob.c checks every key and prefix once for all backends, picks the
 * backend by the URL's scheme and forwards each call to its operations,
 * which may take keys as valid. A backend is a file or folder
 * (src/blob/dir.c, later src/blob/s3/) whose open function returns a
 * struct blob (embedded first in its own struct).
 *
 * Adding a backend: write its open function and operations, add its scheme
 * to the table in blob.c, and run tests/unit/test_blob.c's contract cases
 * against it. */
#ifndef JT_BLOB_BACKEND_H
#define JT_BLOB_BACKEND_H

#include "blob/blob.h"

struct blob_ops {
	void (*close)(struct blob *b);
	/* data is what to store: already gzip-compressed for a ".gz" key */
	int (*put)(struct blob *b, const char *key, const void *data, size_t len);
	/* Appends the stored bytes (still compressed for ".gz") to out, -EFBIG past its bound. */
	int (*get_stored)(struct blob *b, const char *key, struct buf *out);
	int (*exists)(struct blob *b, const char *key);
	int (*delete)(struct blob *b, const char *key);
	int (*list)(struct blob *b, const char *prefix, const char *start_after, size_t max, struct blob_list *out);
};

struct blob {
	const struct blob_ops *ops;
	const char *backend; /* static name */
};

typedef int (*blob_open_fn)(const char *url, const char *data_dir, struct blob **out, char *err, size_t errlen);

int dir_blob_open(const char *url, const char *data_dir, struct blob **out, char *err, size_t errlen);

/* Takes back what a failed call appended to out, so the caller finds it as
 * it was (errors included: a get that fails leaves no sticky error). */
void blob_buf_restore(struct buf *out, size_t len);

/* gzip.c: one gzip member of data, appended to out. */
int blob_gzip(const void *data, size_t len, struct buf *out);
/* blob.c: stores gz, already one or more gzip members, under key (which
 * must end in ".gz"): the blob_put of a caller that compressed itself. */
int blob_put_gzipped(struct blob *b, const char *key, const void *gz, size_t len);
/* gzip.c: the uncompressed bytes of gz (one or more gzip members), appended
 * to out: -EFBIG past out's bound, -EBADMSG for anything but whole gzip. */
int blob_gunzip(const void *gz, size_t len, struct buf *out);

#endif

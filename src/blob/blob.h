/* blob — whole objects under keys: the raw archive of what the scraper
 * fetched, resumes, exports.
 *
 * blob_open(url) picks the backend by the URL's scheme:
 *   file:            a directory, DATA_DIR/blobs (the default)
 *   file:/some/dir   another directory (file:///some/dir works too)
 *   s3://…           (later) S3-compatible storage through libcurl + SigV4
 * The model is S3's: flat keys that merely look like paths, objects written
 * whole and atomically, listings in key order with a start-after cursor.
 *
 * Keys are relative paths such as
 *   raw/source=greenhouse/date=2026-12-06/1765000000-3.json.gz
 * (the key=value folders are the Hive layout Spark and DuckDB read as
 * columns). A key is 1–BLOB_KEY_MAX bytes of [A-Za-z0-9._=-] in components
 * separated by single '/', each component 1–255 bytes starting with a
 * letter, digit or '_' (so never "." or ".." or a hidden name), at most
 * BLOB_DEPTH_MAX components, no leading or trailing '/'. Every call checks
 * its key first: no key can leave the backend's directory or bucket prefix.
 *
 * Compression is the caller's choice, made in the key: a key ending in
 * ".gz" is stored gzip-compressed (a real gzip file, readable by zcat,
 * Spark and DuckDB) and blob_get gives back the uncompressed bytes.
 *
 * Thread-safe: any thread may call anything on an open blob store; several
 * processes may share one directory. Errors are negative errno values:
 * -EINVAL (a bad key or prefix), -ENOENT (no such object), -EFBIG (larger
 * than the caller's bound), -EBADMSG (a .gz object that is not valid gzip),
 * others from the disk or network. */
#ifndef JT_BLOB_BLOB_H
#define JT_BLOB_BLOB_H

#include <stddef.h>

#include "base/buf.h"

#define BLOB_KEY_MAX   1024
#define BLOB_DEPTH_MAX 16

struct blob;

/* Opens the store url names; data_dir resolves "file:" without a path.
 * 0 and *out, or a negative errno with a sentence for a person in err. */
int blob_open(const char *url, const char *data_dir, struct blob **out, char *err, size_t errlen);
/* NULL is a no-op. */
void blob_close(struct blob *b);
/* "file", "s3". */
const char *blob_backend_name(const struct blob *b);

/* 1 when key is a valid key (see above). */
int blob_key_valid(const char *key);

/* Stores len bytes under key, replacing any object there. Atomic: a reader
 * sees the old object or the new one, never part of one; once it returns 0
 * the object is durable. */
int blob_put(struct blob *b, const char *key, const void *data, size_t len);
/* ---- a ".gz" object built piece by piece ------------------------------------
 * For an object made of many pieces (the scraper's archive bundle of many
 * responses): each piece is compressed as it is added, so only compressed
 * bytes are held, not the whole raw object; what is stored is one gzip
 * member, as blob_put writes it. Not thread-safe: one writer, one thread. */
struct blob_gz_writer;

/* A new empty writer compressing at zlib's level (1 fastest … 9 smallest;
 * anything else is zlib's default, 6, as blob_put uses), or NULL when out
 * of memory. */
struct blob_gz_writer *blob_gz_writer_new(int level);
/* Compresses len more bytes onto the object. 0, or a negative errno; after
 * a failure the object is spoilt and blob_gz_writer_put refuses to store it. */
int blob_gz_writer_add(struct blob_gz_writer *w, const void *data, size_t len);
/* The uncompressed bytes added since the writer was made or last put. */
size_t blob_gz_writer_size(const struct blob_gz_writer *w);
/* Finishes the object and stores it under key (a key ending in ".gz") as
 * blob_put would; then the writer is empty again, whatever the outcome. */
int blob_gz_writer_put(struct blob_gz_writer *w, struct blob *b, const char *key);
/* NULL is a no-op. */
void blob_gz_writer_free(struct blob_gz_writer *w);

/* Appends the object's bytes (uncompressed) to out; out's bound (buf_init's
 * max) is the largest object the caller accepts: -EFBIG past it, with out
 * left as it was. */
int blob_get(struct blob *b, const char *key, struct buf *out);
/* 1 when the object exists, 0 when not, or a negative errno. */
int blob_exists(struct blob *b, const char *key);
/* Removes the object: 0, or -ENOENT when there was none. */
int blob_delete(struct blob *b, const char *key);

/* Keys in ascending byte order. */
struct blob_list {
	char **keys; /* owned: blob_list_free */
	size_t count;
	int truncated; /* 1 when more keys follow: list again with start_after = the last key */
};
/* The keys that begin with prefix ("" for all; a prefix may end inside a
 * component, as in S3) and sort after start_after (NULL or "" for the
 * start), at most max of them (1–10000). */
int blob_list(struct blob *b, const char *prefix, const char *start_after, size_t max, struct blob_list *out);
void blob_list_free(struct blob_list *l);

#endif

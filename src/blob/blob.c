/* blob.c — opens a URL with the backend its scheme names, checks every key
 * and prefix once for all backends, and does the ".gz" compression so each
 * backend only moves bytes (see blob/backend.h). */
#include "blob/blob.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/backend.h"

static const struct {
	const char *prefix;
	blob_open_fn open;
} backends[] = {
	{ "file:", dir_blob_open },
};

int blob_open(const char *url, const char *data_dir, struct blob **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!url || !*url || strcmp(url, "file") == 0)
		url = "file:";
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strncmp(url, backends[i].prefix, strlen(backends[i].prefix)) == 0)
			return backends[i].open(url, data_dir, out, err, errlen);
	snprintf(err, errlen, "unsupported blob URL \"%.200s\": use file: or file:/path/to/dir", url);
	return -EINVAL;
}

void blob_close(struct blob *b)
{
	if (b)
		b->ops->close(b);
}

const char *blob_backend_name(const struct blob *b)
{
	return b->backend;
}

static int key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-' || c == '=';
}

static int component_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The key rules of blob.h; a prefix may also be empty, end with '/', or
 * end inside a component. */
static int check_path(const char *s, int is_prefix)
{
	if (!s)
		return 0;
	size_t len = strnlen(s, BLOB_KEY_MAX + 1);
	if (len > BLOB_KEY_MAX || (len == 0 && !is_prefix))
		return 0;
	size_t depth = 0, comp = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '/') {
			if (comp == 0)
				return 0; /* leading '/' or "//" */
			comp = 0;
			continue;
		}
		if (!key_char(c))
			return 0;
		if (comp == 0) {
			if (!component_start(c) || ++depth > BLOB_DEPTH_MAX)
				return 0;
		}
		if (++comp > 255)
			return 0;
	}
	return is_prefix || comp > 0; /* a key does not end with '/' */
}

int blob_key_valid(const char *key)
{
	return check_path(key, 0);
}

/* A bound for the gzip form of n bytes: above deflate's worst case. */
static size_t gz_bound(size_t n)
{
	return n > (SIZE_MAX - 4096) / 2 ? SIZE_MAX : n + n / 64 + 4096;
}

static int is_gz(const char *key)
{
	size_t n = strlen(key);
	return n > 3 && strcmp(key + n - 3, ".gz") == 0;
}

int blob_put(struct blob *b, const char *key, const void *data, size_t len)
{
	if (!blob_key_valid(key) || (len && !data))
		return -EINVAL;
	if (!is_gz(key))
		return b->ops->put(b, key, data, len);
	struct buf gz;
	buf_init(&gz, gz_bound(len));
	int rc = blob_gzip(data, len, &gz);
	if (!rc)
		rc = b->ops->put(b, key, gz.data ? gz.data : "", gz.len);
	buf_free(&gz);
	return rc;
}

int blob_put_gzipped(struct blob *b, const char *key, const void *gz, size_t len)
{
	if (!blob_key_valid(key) || !is_gz(key) || !gz || !len)
		return -EINVAL;
	return b->ops->put(b, key, gz, len);
}

int blob_get(struct blob *b, const char *key, struct buf *out)
{
	if (!blob_key_valid(key))
		return -EINVAL;
	if (!is_gz(key))
		return b->ops->get_stored(b, key, out);
	/* What we store never grows by more than deflate's worst case; a larger
	 * file cannot be ours to decompress within the bound. */
	struct buf gz;
	buf_init(&gz, gz_bound(out->max - out->len));
	int rc = b->ops->get_stored(b, key, &gz);
	if (!rc)
		rc = blob_gunzip(gz.data ? gz.data : "", gz.len, out);
	buf_free(&gz);
	return rc;
}

int blob_exists(struct blob *b, const char *key)
{
	return blob_key_valid(key) ? b->ops->exists(b, key) : -EINVAL;
}

int blob_delete(struct blob *b, const char *key)
{
	return blob_key_valid(key) ? b->ops->delete (b, key) : -EINVAL;
}

int blob_list(struct blob *b, const char *prefix, const char *start_after, size_t max, struct blob_list *out)
{
	memset(out, 0, sizeof(*out));
	if (!prefix)
		prefix = "";
	if (!start_after)
		start_after = "";
	if (!check_path(prefix, 1) || strlen(start_after) > BLOB_KEY_MAX || max == 0 || max > 10000)
		return -EINVAL;
	int rc = b->ops->list(b, prefix, start_after, max, out);
	if (rc)
		blob_list_free(out);
	return rc;
}

void blob_buf_restore(struct buf *out, size_t len)
{
	out->len = len;
	if (out->data)
		out->data[len] = '\0';
	out->error = 0;
}

void blob_list_free(struct blob_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->keys[i]);
	free(l->keys);
	memset(l, 0, sizeof(*l));
}

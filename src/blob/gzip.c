/* gzip.c — the ".gz" half of the blob contract: compressing an object before
 * it is stored (whole, or piece by piece through a blob_gz_writer) and
 * decompressing it, within the caller's bound, when read. zlib does the
 * work; this file keeps the bounds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "blob/backend.h"

/* zlib counts in uInt: feed it at most this much at once. */
#define ZCHUNK (1u << 30)

/* Hands zlib the next piece of input once it has used up the last. */
static void feed(z_stream *z, const unsigned char **in, size_t *left)
{
	if (z->avail_in == 0 && *left) {
		z->next_in = (unsigned char *)*in;
		z->avail_in = (uInt)(*left > ZCHUNK ? ZCHUNK : *left);
		*in += z->avail_in;
		*left -= z->avail_in;
	}
}

/* windowBits 15 + 16: a gzip header and trailer, not a bare zlib stream. */
static int gzip_init(z_stream *z, int level)
{
	memset(z, 0, sizeof(*z));
	return deflateInit2(z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -ENOMEM;
}

int blob_gzip(const void *data, size_t len, struct buf *out)
{
	z_stream z;
	if (gzip_init(&z, Z_DEFAULT_COMPRESSION))
		return -ENOMEM;
	size_t start = out->len;
	int rc = buf_reserve(out, deflateBound(&z, len > ZCHUNK ? ZCHUNK : (uLong)len) + 64);
	const unsigned char *in = data;
	size_t left = len;
	unsigned char chunk[64 << 10];
	int zrc = Z_OK;
	while (!rc && zrc != Z_STREAM_END) {
		feed(&z, &in, &left);
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zrc = deflate(&z, left || z.avail_in ? Z_NO_FLUSH : Z_FINISH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			rc = -EIO;
		else
			rc = buf_append(out, chunk, sizeof(chunk) - z.avail_out);
	}
	deflateEnd(&z);
	if (rc)
		blob_buf_restore(out, start);
	return rc;
}

int blob_gunzip(const void *gz, size_t len, struct buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -ENOMEM;
	size_t start = out->len;
	const unsigned char *in = gz;
	size_t left = len;
	unsigned char chunk[64 << 10];
	int rc = 0, zrc = Z_OK;
	while (!rc) {
		feed(&z, &in, &left);
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zrc = inflate(&z, Z_NO_FLUSH);
		size_t got = sizeof(chunk) - z.avail_out;
		if (got > out->max - out->len)
			rc = -EFBIG; /* checked before appending: a gzip bomb stops here */
		else if (got)
			rc = buf_append(out, chunk, got);
		if (rc)
			break;
		if (zrc == Z_STREAM_END) {
			if (!z.avail_in && !left)
				break;
			/* Another member follows (concatenated gzip files are one file). */
			if (inflateReset(&z) != Z_OK)
				rc = -EBADMSG;
			continue;
		}
		if (zrc == Z_BUF_ERROR && !z.avail_in && !left)
			rc = -EBADMSG; /* cut short */
		else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			rc = zrc == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
	}
	inflateEnd(&z);
	if (rc)
		blob_buf_restore(out, start);
	return rc;
}

/* ---- the piece-by-piece writer ------------------------------------------------ */

/* Pieces are gathered up to this much before deflate runs over them: small
 * pieces interleaved with the caller's own work would make deflate start
 * each time with its tables out of the cache (a crawl spent 15 % more CPU). */
#define GZ_STAGE_BYTES (256u << 10)

struct blob_gz_writer {
	z_stream z;           /* one deflate state for the writer's life, reset per object */
	unsigned char *stage; /* GZ_STAGE_BYTES of pieces not yet compressed */
	size_t staged;
	struct buf out; /* the compressed object so far */
	size_t in;      /* uncompressed bytes added */
	int error;      /* the first failure since the last put */
};

/* Runs deflate over the staged bytes with flush, appending its output to w->out. */
static int gz_drain(struct blob_gz_writer *w, int flush)
{
	unsigned char chunk[16 << 10];
	w->z.next_in = w->stage;
	w->z.avail_in = (uInt)w->staged;
	w->staged = 0;
	for (;;) {
		w->z.next_out = chunk;
		w->z.avail_out = sizeof(chunk);
		int zrc = deflate(&w->z, flush);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			return -EIO;
		int rc = buf_append(&w->out, chunk, sizeof(chunk) - w->z.avail_out);
		if (rc)
			return rc;
		if (zrc == Z_STREAM_END || (flush == Z_NO_FLUSH && w->z.avail_in == 0 && w->z.avail_out != 0))
			return 0;
	}
}

struct blob_gz_writer *blob_gz_writer_new(int level)
{
	if (level < 1 || level > 9)
		level = Z_DEFAULT_COMPRESSION;
	struct blob_gz_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->stage = malloc(GZ_STAGE_BYTES);
	if (!w->stage || gzip_init(&w->z, level)) {
		free(w->stage);
		free(w);
		return NULL;
	}
	buf_init(&w->out, (size_t)1 << 40);
	return w;
}

int blob_gz_writer_add(struct blob_gz_writer *w, const void *data, size_t len)
{
	const unsigned char *in = data;
	while (!w->error && len) {
		size_t n = GZ_STAGE_BYTES - w->staged;
		if (n > len)
			n = len;
		memcpy(w->stage + w->staged, in, n);
		w->staged += n;
		w->in += n;
		in += n;
		len -= n;
		if (w->staged == GZ_STAGE_BYTES)
			w->error = gz_drain(w, Z_NO_FLUSH);
	}
	return w->error;
}

size_t blob_gz_writer_size(const struct blob_gz_writer *w)
{
	return w->in;
}

int blob_gz_writer_put(struct blob_gz_writer *w, struct blob *b, const char *key)
{
	int rc = w->error ? w->error : gz_drain(w, Z_FINISH);
	if (!rc)
		rc = blob_put_gzipped(b, key, w->out.data, w->out.len);
	deflateReset(&w->z);
	buf_reset(&w->out);
	w->staged = 0;
	w->in = 0;
	w->error = 0;
	return rc;
}

void blob_gz_writer_free(struct blob_gz_writer *w)
{
	if (!w)
		return;
	deflateEnd(&w->z);
	free(w->stage);
	buf_free(&w->out);
	free(w);
}

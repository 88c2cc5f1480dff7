/* record.c — the embedded bus's record format: encoding a record, reading
 * one back with every check that tells it from garbage, and finding the
 * next good record after damaged bytes. The format is in embedded.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "bus/embedded/embedded.h"

/* Bytes read ahead at once; records are usually far smaller. */
#define READ_CHUNK (256u << 10)

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void rec_reader_init(struct rec_reader *r, int fd)
{
	r->fd = fd;
	rec_reader_drop(r);
}

void rec_reader_drop(struct rec_reader *r)
{
	r->len = 0;
	r->start = 0;
}

void rec_reader_free(struct rec_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/* Makes the file's bytes [pos, pos + n) available, reading ahead no further
 * than limit (which the caller has checked pos + n against). */
static int reader_get(struct rec_reader *r, uint64_t pos, size_t n, uint64_t limit, const unsigned char **out)
{
	if (pos >= r->start && pos + n <= r->start + r->len) {
		*out = r->buf + (pos - r->start);
		return 0;
	}
	size_t want = n > READ_CHUNK ? n : READ_CHUNK;
	if (want > limit - pos)
		want = (size_t)(limit - pos);
	if (want > r->cap) {
		unsigned char *grown = realloc(r->buf, want);
		if (!grown)
			return -ENOMEM;
		r->buf = grown;
		r->cap = want;
	}
	r->start = pos;
	r->len = 0;
	while (r->len < want) {
		ssize_t got = pread(r->fd, r->buf + r->len, want - r->len, (off_t)(pos + r->len));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			r->len = 0;
			return e;
		}
		if (got == 0)
			break;
		r->len += (size_t)got;
	}
	if (r->len < n)
		return -EBADMSG; /* the file ends before the limit the caller believed in */
	*out = r->buf;
	return 0;
}

size_t rec_encoded_size(const struct bus_message *m)
{
	return REC_MIN + m->key_len + m->len;
}

void rec_encode(unsigned char *dst, int64_t offset, int64_t timestamp_ms, const struct bus_message *m)
{
	size_t body = REC_BODY_FIXED + m->key_len + m->len;
	unsigned char *b = dst + REC_HEAD;
	put64(b, (uint64_t)offset);
	put64(b + 8, (uint64_t)timestamp_ms);
	put32(b + 16, (uint32_t)m->key_len);
	if (m->key_len)
		memcpy(b + REC_BODY_FIXED, m->key, m->key_len);
	if (m->len)
		memcpy(b + REC_BODY_FIXED + m->key_len, m->payload, m->len);
	put32(dst, (uint32_t)body);
	put32(dst + 4, (uint32_t)crc32_z(0, b, body));
}

int rec_read(struct rec_reader *r, uint64_t pos, uint64_t limit, int64_t lo, int64_t hi, size_t max_body,
	     struct rec_view *v)
{
	if (pos >= limit)
		return 0;
	if (limit - pos < REC_MIN)
		return -EBADMSG;
	const unsigned char *p;
	int rc = reader_get(r, pos, REC_MIN, limit, &p);
	if (rc)
		return rc;
	uint32_t body = get32(p), crc = get32(p + 4);
	int64_t offset = (int64_t)get64(p + REC_HEAD);
	uint32_t key_len = get32(p + REC_HEAD + 16);
	/* The cheap checks first: resync calls this at every byte position. */
	if (body < REC_BODY_FIXED || body > max_body || body > limit - pos - REC_HEAD || offset < lo || offset > hi ||
	    key_len > body - REC_BODY_FIXED || key_len > BUS_KEY_MAX)
		return -EBADMSG;
	if ((rc = reader_get(r, pos, REC_HEAD + (size_t)body, limit, &p)) != 0)
		return rc;
	const unsigned char *b = p + REC_HEAD;
	if ((uint32_t)crc32_z(0, b, body) != crc)
		return -EBADMSG;
	v->offset = offset;
	v->timestamp_ms = (int64_t)get64(b + 8);
	v->key_len = key_len;
	v->key = b + REC_BODY_FIXED;
	v->payload = v->key + key_len;
	v->len = body - REC_BODY_FIXED - key_len;
	v->next_pos = pos + REC_HEAD + body;
	return 1;
}

int rec_resync(struct rec_reader *r, uint64_t pos, uint64_t limit, int64_t expected, size_t max_body, uint64_t *found,
	       struct rec_view *v)
{
	for (uint64_t q = pos + 1; q < limit && limit - q >= REC_MIN; q++) {
		/* Damaged bytes may have held no record at all, so `expected` itself
		 * can come next; at most one record can hide in every REC_MIN bytes. */
		int64_t hi = expected + (int64_t)((q - pos) / REC_MIN);
		int rc = rec_read(r, q, limit, expected, hi, max_body, v);
		if (rc == 1) {
			*found = q;
			return 1;
		}
		if (rc != -EBADMSG)
			return rc;
	}
	return 0;
}

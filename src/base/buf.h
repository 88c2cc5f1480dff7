/* buf — a growable byte buffer with a hard upper bound.
 *
 * The caller picks the bound at init; an append that would pass it fails
 * with -E2BIG instead of growing. Failures are sticky: once an append fails
 * every later one fails too and buf_failed() says so, which lets a renderer
 * append many pieces and check once at the end. The buffer is always
 * NUL-terminated after a successful append (the NUL is not counted in len).
 */
#ifndef JT_BASE_BUF_H
#define JT_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NULL until the first append */
	size_t len; /* bytes in use, excluding the trailing NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* hard limit on len */
	int error;  /* 0, or the first negative errno an append hit */
};

void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer can be reused after buf_init. */
void buf_free(struct buf *b);
/* Empties the buffer, keeping its storage and clearing the error. */
void buf_reset(struct buf *b);

/* Makes room for extra more bytes up front (a hint for big outputs). */
int buf_reserve(struct buf *b, size_t extra);

/* Each returns 0, -ENOMEM, or -E2BIG (bound reached); see the sticky rule. */
int buf_append_slow(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);

/* Inline fast paths: renderers call these millions of times a second. */
static inline int buf_append(struct buf *b, const void *data, size_t len)
{
	if (!b->error && b->len + len < b->cap && len <= b->max - b->len) {
		__builtin_memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_slow(b, data, len);
}

static inline int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Appends s with the five HTML-significant characters escaped
 * (& < > " ' become entities), safe in element text and quoted attributes. */
int buf_put_html(struct buf *b, const char *s, size_t len);

/* Returns the first error an append hit, or 0. */
static inline int buf_failed(const struct buf *b)
{
	return b->error;
}

/* Hands the storage to the caller (free() it) and re-initialises b.
 * Returns an empty string, never NULL, when nothing was appended;
 * returns NULL only when that allocation fails. */
char *buf_detach(struct buf *b, size_t *len_out);

#endif

#include "store/rows.h"

#include <string.h>

void *rows_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t size)
{
	if (!items || count < *cap)
		return items;
	void *bigger = arena_alloc_raw(a, *cap * 2 * size);
	if (bigger)
		memcpy(bigger, items, *cap * size);
	*cap *= 2;
	return bigger;
}

void rows_tag_key(const char *tag, char *out, size_t outlen)
{
	size_t i = 0;
	for (; tag[i] && i + 1 < outlen; i++) {
		char ch = tag[i];
		out[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	if (outlen)
		out[i] = '\0';
}

int rows_like_pattern(const char *q, struct buf *out)
{
	buf_reset(out);
	buf_putc(out, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_putc(out, '%');
	return buf_failed(out) ? -1 : 0;
}

int64_t rows_list_limit(const struct app_filter *f)
{
	if (f->limit <= 0)
		return 50;
	return f->limit < STORE_LIST_MAX ? f->limit : STORE_LIST_MAX;
}

void rows_tags_split(const char *joined, size_t len, struct arena *a, char ***tags, size_t *n)
{
	*tags = NULL;
	*n = 0;
	if (!joined || len == 0)
		return;
	size_t count = 1;
	for (size_t i = 0; i < len; i++)
		count += joined[i] == STORE_TAG_SEP;
	char **out = arena_alloc(a, count * sizeof(char *));
	if (!out)
		return;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || joined[i] == STORE_TAG_SEP) {
			out[k++] = arena_strndup(a, joined + start, i - start);
			start = i + 1;
		}
	}
	*tags = out;
	*n = k;
}

int rows_tags_join(char *const *tags, size_t n, struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, STORE_TAG_SEP);
		buf_puts(out, tags[i]);
	}
	return buf_failed(out) ? -1 : 0;
}

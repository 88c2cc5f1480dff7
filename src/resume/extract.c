/* resume/extract — resume_extract_text(): the bounds, the type decided by
 * content, the reader for it, and the tidy result. The readers live in
 * pdf.c, docx.c and plain.c; the characters they write in normalize.c. */
#include "resume/extract.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "resume/internal.h"

double rx_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool rx_out_of_time(const struct rx *x)
{
	return rx_now() - x->start > x->lim.max_seconds;
}

enum resume_error rx_fail(struct rx *x, enum resume_error code, const char *fmt, ...)
{
	if (x->code != RESUME_OK)
		return x->code;
	x->code = code;
	if (x->err && x->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

void rx_add_font(struct rx *x, const char *name)
{
	struct resume_facts *f = x->facts;
	if (!name || !*name || f->n_fonts >= RESUME_FONTS_MAX)
		return;
	/* Subset fonts are named "ABCDEF+Calibri": the tag says nothing. */
	const char *plus = strchr(name, '+');
	if (plus && plus - name == 6)
		name = plus + 1;
	for (size_t i = 0; i < f->n_fonts; i++)
		if (strcmp(f->fonts[i], name) == 0)
			return;
	char *copy = arena_strndup(x->a, name, strnlen(name, 80));
	if (copy)
		f->fonts[f->n_fonts++] = copy;
}

static void merge_limits(struct resume_limits *lim, const struct resume_limits *given)
{
	resume_limits_default(lim);
	if (!given)
		return;
	if (given->max_bytes)
		lim->max_bytes = given->max_bytes;
	if (given->max_pages > 0)
		lim->max_pages = given->max_pages;
	if (given->max_text)
		lim->max_text = given->max_text;
	if (given->max_unpacked)
		lim->max_unpacked = given->max_unpacked;
	if (given->max_memory)
		lim->max_memory = given->max_memory;
	if (given->max_seconds > 0)
		lim->max_seconds = given->max_seconds;
}

static enum resume_error finish(struct rx *x, struct resume_text *out)
{
	if (buf_failed(&x->body.b) || buf_failed(&x->hf.b))
		return rx_fail(x, RESUME_ERR_TOO_LARGE, "the document holds more than %zu bytes of text",
			       x->lim.max_text);
	out->body = rx_tidy(&x->body, x->a, &out->body_len);
	out->header_footer = rx_tidy(&x->hf, x->a, &out->header_footer_len);
	if (!out->body || !out->header_footer)
		return rx_fail(x, RESUME_ERR_NOMEM, "out of memory");
	out->facts.words = rx_count_words(out->body, out->body_len);
	out->facts.header_footer = out->header_footer_len > 0;
	if (out->body_len == 0 && out->header_footer_len == 0)
		return rx_fail(x, RESUME_ERR_EMPTY, "the %s file has no text in it", resume_type_name(out->facts.type));
	return RESUME_OK;
}

enum resume_error resume_extract_text(const void *data, size_t len, const struct resume_limits *lim, struct arena *a,
				      struct resume_text *out, char *err, size_t errlen)
{
	struct rx x = { .a = a, .err = err, .errlen = errlen, .start = rx_now() };
	memset(out, 0, sizeof(*out));
	merge_limits(&x.lim, lim);
	x.facts = &out->facts;
	if (err && errlen)
		err[0] = '\0';
	if (len == 0)
		return rx_fail(&x, RESUME_ERR_EMPTY, "the file is empty");
	if (len > x.lim.max_bytes)
		return rx_fail(&x, RESUME_ERR_TOO_LARGE, "the file is %zu bytes; the limit is %zu", len,
			       x.lim.max_bytes);
	const char *why;
	enum resume_type type = resume_detect_type(data, len, &why);
	out->facts.type = type;
	if (type == RESUME_TYPE_UNKNOWN) {
		if (why == rx_why_encrypted)
			return rx_fail(&x, RESUME_ERR_ENCRYPTED, "%s", why);
		return rx_fail(&x, RESUME_ERR_UNSUPPORTED, "this is %s", why);
	}
	rx_out_init(&x.body, x.lim.max_text, &out->facts.icon_glyphs);
	rx_out_init(&x.hf, x.lim.max_text, &out->facts.icon_glyphs);
	enum resume_error rc;
	switch (type) {
	case RESUME_TYPE_PDF:
		rc = rx_pdf(&x, data, len);
		break;
	case RESUME_TYPE_DOCX:
		rc = rx_docx(&x, data, len);
		break;
	default:
		rc = rx_plain(&x, data, len, type == RESUME_TYPE_MARKDOWN);
		break;
	}
	if (rc == RESUME_OK)
		rc = finish(&x, out);
	buf_free(&x.body.b);
	buf_free(&x.hf.b);
	return rc;
}

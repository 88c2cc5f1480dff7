/* resume/pdf — the text of a PDF resume, through MuPDF.
 *
 * MuPDF's structured text gives glyphs grouped into lines with their
 * boxes, fonts and sizes (ligatures expanded, since FZ_STEXT_PRESERVE_
 * LIGATURES is off); this file cuts those lines at wide gaps into
 * fragments and hands them to layout.c, which decides the reading order,
 * headers and footers, and hyphenation. It also learns the ATS facts:
 * pages, a text layer or not (pages of images only are a scan), fonts, and
 * icon glyphs (an icon font's characters, or private-use code points).
 *
 * A PDF is hostile input. Every MuPDF call runs under fz_try; MuPDF's
 * allocations go through an allocator capped at lim.max_memory; a
 * watchdog thread sets the cookie's abort flag at lim.max_seconds, which
 * the content-stream interpreter checks as it goes (a page of nested
 * forms can otherwise take hours); pages are bounded by lim.max_pages.
 * MuPDF's warnings ("repairing PDF document") are silenced: the error we
 * return says what the user needs to know. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "resume/internal.h"
#include "resume/layout.h"

/* ---- a capped allocator ---- */

struct cap {
	_Atomic size_t used;
	size_t limit;
};

/* Each block carries its size in front (16 bytes keep malloc's alignment). */
#define HDR 16

static void *cap_malloc(void *user, size_t size)
{
	struct cap *c = user;
	if (size > c->limit || atomic_fetch_add(&c->used, size) + size > c->limit) {
		if (size <= c->limit)
			atomic_fetch_sub(&c->used, size);
		return NULL;
	}
	unsigned char *p = malloc(size + HDR);
	if (!p) {
		atomic_fetch_sub(&c->used, size);
		return NULL;
	}
	memcpy(p, &size, sizeof(size));
	return p + HDR;
}

static void cap_free(void *user, void *ptr)
{
	struct cap *c = user;
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HDR;
	size_t size;
	memcpy(&size, p, sizeof(size));
	atomic_fetch_sub(&c->used, size);
	free(p);
}

static void *cap_realloc(void *user, void *ptr, size_t size)
{
	struct cap *c = user;
	if (!ptr)
		return cap_malloc(user, size);
	if (size == 0) {
		cap_free(user, ptr);
		return NULL;
	}
	unsigned char *p = (unsigned char *)ptr - HDR;
	size_t old;
	memcpy(&old, p, sizeof(old));
	if (size > old) {
		size_t more = size - old;
		if (more > c->limit || atomic_fetch_add(&c->used, more) + more > c->limit) {
			if (more <= c->limit)
				atomic_fetch_sub(&c->used, more);
			return NULL;
		}
	} else {
		atomic_fetch_sub(&c->used, old - size);
	}
	unsigned char *q = realloc(p, size + HDR);
	if (!q) {
		if (size > old)
			atomic_fetch_sub(&c->used, size - old);
		else
			atomic_fetch_add(&c->used, old - size);
		return NULL;
	}
	memcpy(q, &size, sizeof(size));
	return q + HDR;
}

static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;
}

/* ---- a watchdog for the time bound ---- */

struct watchdog {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done, started;
	struct timespec deadline;
	fz_cookie *cookie;
};

static void *watch(void *arg)
{
	struct watchdog *w = arg;
	pthread_mutex_lock(&w->mu);
	while (!w->done) {
		if (pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline) == ETIMEDOUT) {
			__atomic_store_n(&w->cookie->abort, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void watchdog_start(struct watchdog *w, fz_cookie *cookie, double seconds)
{
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	w->done = false;
	w->cookie = cookie;
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	long long ns = (long long)(seconds * 1e9);
	w->deadline.tv_sec += (time_t)(ns / 1000000000LL);
	w->deadline.tv_nsec += (long)(ns % 1000000000LL);
	if (w->deadline.tv_nsec >= 1000000000L) {
		w->deadline.tv_sec++;
		w->deadline.tv_nsec -= 1000000000L;
	}
	w->started = pthread_create(&w->thread, NULL, watch, w) == 0;
}

static void watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->started)
		pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
}

/* ---- pages to fragments ---- */

struct frags {
	struct buf text; /* every fragment's UTF-8, all pages */
	struct rx_line *lines;
	size_t n, cap;
	bool failed;
};

static bool icon_font(const char *name)
{
	static const char *const icons[] = { "FontAwesome", "Font Awesome", "Wingdings", "Webdings", "Symbol",
					     "Material",    "Icons",        "icomoon",   "Dingbats", "fontello" };
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(icons) / sizeof(icons[0]); i++)
		if (strcasestr(name, icons[i]))
			return true;
	return false;
}

static struct rx_line *frag_open(struct frags *f, size_t max_lines)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		if (cap > max_lines) {
			f->failed = true;
			return NULL;
		}
		struct rx_line *l = realloc(f->lines, cap * sizeof(*l));
		if (!l) {
			f->failed = true;
			return NULL;
		}
		f->lines = l;
		f->cap = cap;
	}
	struct rx_line *l = &f->lines[f->n];
	memset(l, 0, sizeof(*l));
	l->off = f->text.len;
	l->x0 = l->y0 = 1e9f;
	l->x1 = l->y1 = -1e9f;
	return l;
}

static void frag_close(struct frags *f, struct rx_line *l)
{
	/* Spaces at either end say nothing. */
	while (f->text.len > l->off && f->text.data[f->text.len - 1] == ' ')
		f->text.len--;
	if (f->text.data)
		f->text.data[f->text.len] = '\0';
	l->len = f->text.len - l->off;
	size_t lead = 0;
	while (lead < l->len && f->text.data[l->off + lead] == ' ')
		lead++;
	l->off += lead;
	l->len -= lead;
	if (l->len && l->x1 > l->x0)
		f->n++;
}

struct pdf_job {
	struct rx *x;
	struct frags f;
	int text_chars;     /* visible characters over all pages */
	fz_font *last_font; /* the font of the previous glyph, and its verdict */
	bool last_icon;
};

static void read_line(fz_context *ctx, struct pdf_job *j, fz_stext_line *line, size_t max_lines)
{
	struct frags *f = &j->f;
	struct rx_line *l = NULL;
	float last_x1 = 0;
	for (fz_stext_char *ch = line->first_char; ch; ch = ch->next) {
		fz_rect r = fz_rect_from_quad(ch->quad);
		bool space = ch->c == ' ';
		float size = ch->size > 0 ? ch->size : 10;
		/* A gap wider than 1.5 em is not a word space: a new fragment
		 * (a column, or a date set apart from a title). */
		if (l && !space && r.x0 - last_x1 > 1.5f * size) {
			frag_close(f, l);
			l = NULL;
		}
		if (!l) {
			if (space)
				continue;
			l = frag_open(f, max_lines);
			if (!l)
				return;
		}
		uint32_t c = (uint32_t)ch->c;
		if (ch->font != j->last_font) {
			j->last_font = ch->font;
			const char *name = fz_font_name(ctx, ch->font);
			j->last_icon = icon_font(name);
			rx_add_font(j->x, name);
		}
		if (j->last_icon && c > ' ')
			c = 0xE000; /* an icon: counted and dropped by the writer */
		rx_encode_utf8(&f->text, c);
		if (!space) {
			j->text_chars++;
			l->x0 = fminf(l->x0, r.x0);
			l->x1 = fmaxf(l->x1, r.x1);
			l->y0 = fminf(l->y0, r.y0);
			l->y1 = fmaxf(l->y1, r.y1);
			l->size = fmaxf(l->size, size);
			last_x1 = r.x1;
		}
	}
	if (l)
		frag_close(f, l);
}

/* The pages' fragments, laid out (layout.c) into the job's outputs. */
static void lay_out(struct pdf_job *j, const size_t *page_start, const float *wh, int n_pages)
{
	struct rx *x = j->x;
	struct arena scratch;
	arena_init(&scratch, 0);
	struct rx_page *pages = arena_alloc(&scratch, (size_t)(n_pages + 1) * sizeof(*pages));
	if (!pages) {
		arena_free(&scratch);
		return;
	}
	for (int p = 0; p < n_pages; p++) {
		pages[p].lines = j->f.lines + page_start[p];
		pages[p].n = page_start[p + 1] - page_start[p];
		pages[p].w = wh[2 * p];
		pages[p].h = wh[2 * p + 1];
	}
	const char *text = j->f.text.data ? j->f.text.data : "";
	rx_layout_mark_hf(pages, (size_t)n_pages, text, &scratch);
	for (int p = 0; p < n_pages; p++) {
		unsigned seen = rx_layout_body(&pages[p], text, &x->body, &scratch);
		if (seen & RX_LAYOUT_COLUMNS)
			x->facts->columns = true;
		if (seen & RX_LAYOUT_TABLES)
			x->facts->tables = true;
		rx_put_str(&x->body, "\n\n");
	}
	rx_layout_hf(pages, (size_t)n_pages, text, &x->hf, &scratch);
	arena_free(&scratch);
}

enum resume_error rx_pdf(struct rx *x, const unsigned char *data, size_t len)
{
	struct cap cap = { .limit = x->lim.max_memory };
	fz_alloc_context alloc = { &cap, cap_malloc, cap_realloc, cap_free };
	fz_context *ctx = fz_new_context(&alloc, NULL, 16u << 20);
	if (!ctx)
		return rx_fail(x, RESUME_ERR_NOMEM, "out of memory");
	fz_set_warning_callback(ctx, quiet, NULL);
	fz_set_error_callback(ctx, quiet, NULL);

	struct pdf_job j = { .x = x };
	buf_init(&j.f.text, x->lim.max_text);
	/* One fragment per 4 bytes of text at most is plenty. */
	size_t max_lines = x->lim.max_text / 4 + 256;
	fz_cookie cookie = { 0 };
	struct watchdog wd;
	watchdog_start(&wd, &cookie, x->lim.max_seconds);

	fz_stream *volatile stm = NULL;
	pdf_document *volatile doc = NULL;
	fz_page *volatile page = NULL;
	fz_stext_page *volatile st = NULL;
	fz_device *volatile dev = NULL;
	size_t *volatile page_start = NULL;
	float *volatile wh = NULL;
	volatile int n_read = 0;
	volatile enum resume_error rc = RESUME_OK;
	fz_try(ctx)
	{
		stm = fz_open_memory(ctx, data, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, "")) {
			rc = rx_fail(x, RESUME_ERR_ENCRYPTED,
				     "the PDF is protected by a password: remove it and upload the file again");
			fz_throw(ctx, FZ_ERROR_GENERIC, "encrypted");
		}
		int n = pdf_count_pages(ctx, doc);
		x->facts->pages = n;
		if (n <= 0) {
			rc = rx_fail(x, RESUME_ERR_CORRUPT, "the PDF has no pages that can be read");
			fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
		}
		if (n > x->lim.max_pages) {
			rc = rx_fail(x, RESUME_ERR_TOO_COMPLEX, "the PDF has %d pages; at most %d are read", n,
				     x->lim.max_pages);
			fz_throw(ctx, FZ_ERROR_GENERIC, "pages");
		}
		page_start = calloc((size_t)n + 1, sizeof(*page_start));
		wh = calloc((size_t)n * 2 + 2, sizeof(*wh));
		if (!page_start || !wh)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		fz_stext_options opts = { .flags = FZ_STEXT_PRESERVE_IMAGES };
		for (int p = 0; p < n; p++) {
			page_start[p] = j.f.n;
			page = (fz_page *)pdf_load_page(ctx, doc, p);
			fz_rect r = fz_bound_page(ctx, page);
			/* Fragments are kept in page space with the origin at the top-left. */
			fz_matrix ctm = fz_translate(-r.x0, -r.y0);
			wh[2 * p] = r.x1 - r.x0;
			wh[2 * p + 1] = r.y1 - r.y0;
			st = fz_new_stext_page(ctx, fz_transform_rect(r, ctm));
			dev = fz_new_stext_device(ctx, st, &opts);
			fz_run_page(ctx, page, dev, ctm, &cookie);
			fz_close_device(ctx, dev);
			fz_drop_device(ctx, dev);
			dev = NULL;
			if (__atomic_load_n(&cookie.abort, __ATOMIC_RELAXED) || rx_out_of_time(x)) {
				rc = rx_fail(x, RESUME_ERR_TOO_COMPLEX, "the PDF took more than %g s to read",
					     x->lim.max_seconds);
				fz_throw(ctx, FZ_ERROR_GENERIC, "time");
			}
			int before = j.text_chars;
			bool images = false;
			for (fz_stext_block *b = st->first_block; b; b = b->next) {
				if (b->type == FZ_STEXT_BLOCK_IMAGE) {
					images = true;
					continue;
				}
				for (fz_stext_line *line = b->u.t.first_line; line; line = line->next)
					read_line(ctx, &j, line, max_lines);
			}
			if (images)
				x->facts->images = true;
			if (images && j.text_chars == before)
				x->facts->pages_without_text++;
			fz_drop_stext_page(ctx, st);
			st = NULL;
			fz_drop_page(ctx, page);
			page = NULL;
			n_read = p + 1;
			if (j.f.failed || buf_failed(&j.f.text)) {
				rc = rx_fail(x, RESUME_ERR_TOO_LARGE, "the PDF holds more than %zu bytes of text",
					     x->lim.max_text);
				fz_throw(ctx, FZ_ERROR_GENERIC, "text");
			}
		}
		page_start[n] = j.f.n;
	}
	fz_always(ctx)
	{
		fz_drop_device(ctx, dev);
		fz_drop_stext_page(ctx, st);
		fz_drop_page(ctx, page);
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
	{
		if (rc == RESUME_OK) {
			if (fz_caught(ctx) == FZ_ERROR_MEMORY)
				rc = rx_fail(x, RESUME_ERR_TOO_COMPLEX,
					     "the PDF needs more memory than allowed to read");
			else
				rc = rx_fail(x, RESUME_ERR_CORRUPT, "the PDF is damaged and cannot be read (%.120s)",
					     fz_caught_message(ctx));
		}
	}
	watchdog_stop(&wd);
	fz_drop_context(ctx);

	if (rc == RESUME_OK) {
		x->facts->text_layer = j.text_chars > 0;
		if (j.text_chars == 0) {
			if (x->facts->images)
				rc =
				    rx_fail(x, RESUME_ERR_NO_TEXT_LAYER,
					    "the PDF is made of images only (a scan): there is no text to read; export "
					    "the resume from the program it was written in, or run OCR on it first");
			else
				rc = rx_fail(x, RESUME_ERR_EMPTY, "the PDF has no text in it");
		} else {
			lay_out(&j, page_start, wh, n_read);
		}
	}
	free(page_start);
	free(wh);
	free(j.f.lines);
	buf_free(&j.f.text);
	return rc;
}

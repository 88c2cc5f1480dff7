/* resume/internal — what the format readers of resume/ share: one
 * extraction job (its bounds, clock, output and error) and the writer that
 * normalises every character they produce. Not for use outside resume/. */
#ifndef JT_RESUME_INTERNAL_H
#define JT_RESUME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "resume/extract.h"

/* Where a reader writes text: a buffer and what normalising learnt. */
struct rx_out {
	struct buf b;
	int *icon_glyphs; /* counter shared by body and header/footer */
	uint32_t last;    /* last code point written (for CR LF) */
};

struct rx {
	struct resume_limits lim;
	double start; /* monotonic seconds */
	struct arena *a;
	struct rx_out body, hf;
	struct resume_facts *facts;
	enum resume_error code;
	char *err;
	size_t errlen;
};

/* Records the failure (the first one wins) and returns code. */
enum resume_error rx_fail(struct rx *x, enum resume_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True once the job is over its time bound. */
bool rx_out_of_time(const struct rx *x);
double rx_now(void);
/* Adds a font name to the facts (deduplicated, bounded). */
void rx_add_font(struct rx *x, const char *name);

/* The writer (normalize.c). Each code point goes through the same rules:
 * ligatures expanded, exotic spaces made plain, soft hyphens, zero-width
 * and control characters dropped, private-use glyphs (icon fonts) counted
 * and dropped, CR LF and CR made LF. */
void rx_out_init(struct rx_out *o, size_t max, int *icon_glyphs);
void rx_put_cp(struct rx_out *o, uint32_t cp);
/* Appends cp to b as UTF-8, as it is (no rules). */
void rx_encode_utf8(struct buf *b, uint32_t cp);
/* Appends UTF-8 text through rx_put_cp (invalid bytes become U+FFFD). */
void rx_put_utf8(struct rx_out *o, const char *s, size_t len);
void rx_put_str(struct rx_out *o, const char *s);
/* Text already written ends with "\n" (or nothing was written)? */
bool rx_at_line_start(const struct rx_out *o);
/* Final tidy into the arena: spaces at a line's ends cut and runs of them
 * made one, at most one empty line in a row, none at either end. Sets *len; NULL when out of memory. */
char *rx_tidy(const struct rx_out *o, struct arena *a, size_t *len);
/* Words in tidy text (runs of non-space). */
size_t rx_count_words(const char *s, size_t len);
/* Decodes one UTF-8 sequence at s (len > 0): the code point, or U+FFFD
 * for an invalid one; *n gets the bytes used (≥ 1). */
uint32_t rx_utf8_next(const char *s, size_t len, size_t *n);

/* detect.c: the *why of resume_detect_type for an encrypted Office file;
 * rx_markdown_like: text with Markdown structure; rx_skip_spaces: the
 * index of the first byte from i that is no blank; rx_heading_mark: for a
 * "# Title" line, the index after its marks, else 0. */
extern const char rx_why_encrypted[];
bool rx_markdown_like(const unsigned char *d, size_t len);
size_t rx_skip_spaces(const char *s, size_t i, size_t n);
size_t rx_heading_mark(const char *s, size_t n);

/* The readers: each fills x->body, x->hf and x->facts, or fails. */
enum resume_error rx_pdf(struct rx *x, const unsigned char *data, size_t len);
enum resume_error rx_docx(struct rx *x, const unsigned char *data, size_t len);
enum resume_error rx_plain(struct rx *x, const unsigned char *data, size_t len, bool markdown);

#endif

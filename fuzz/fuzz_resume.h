/* fuzz_resume — what the resume extraction harnesses check after each
 * resume_extract_text() call. Header-only: each harness includes it once. */
#ifndef JT_FUZZ_RESUME_H
#define JT_FUZZ_RESUME_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "resume/extract.h"

static void fuzz_resume_tidy(const char *s, size_t len, size_t max)
{
	if (strlen(s) != len || len > max || !text_utf8_valid(s, len))
		abort();
	if (memchr(s, '\r', len) || memmem(s, len, "\n\n\n", 3) || (len && (s[0] == '\n' || s[len - 1] == '\n')))
		abort();
	if (memmem(s, len, "\xEF\xAC\x81", 3) || memmem(s, len, "\xEF\xAC\x82", 3) || memmem(s, len, "\xEE\x80\x80", 3))
		abort(); /* ligatures fi, fl; the icon stand-in U+E000 */
}

/* want: the type the input must be detected as, or RESUME_TYPE_UNKNOWN
 * for any. */
static void fuzz_resume_check(const uint8_t *data, size_t size, enum resume_type want)
{
	struct resume_limits lim = { .max_seconds = 3, .max_memory = 256u << 20, .max_text = 256u << 10 };
	struct arena a;
	arena_init(&a, 0);
	struct resume_text t;
	char err[256];
	enum resume_error rc = resume_extract_text(data, size, &lim, &a, &t, err, sizeof(err));
	if (want != RESUME_TYPE_UNKNOWN && t.facts.type != want)
		abort();
	if (rc == RESUME_OK) {
		fuzz_resume_tidy(t.body, t.body_len, lim.max_text);
		fuzz_resume_tidy(t.header_footer, t.header_footer_len, lim.max_text);
		if (t.body_len == 0 && t.header_footer_len == 0)
			abort(); /* empty is an error */
		if (t.facts.n_fonts > RESUME_FONTS_MAX)
			abort();
	} else if (!err[0] || strlen(err) >= sizeof(err)) {
		abort();
	}
	arena_free(&a);
}

#endif

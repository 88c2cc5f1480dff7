/* The description sanitiser (scrape/sanitize.c) on any bytes: the output
 * must keep the invariant that tests/unit/sanitize_invariant.c checks (a
 * tokenizer and a libxml2 reparse that know the allowlist independently),
 * both outputs must be valid UTF-8 within their limits, and sanitising the
 * output again must keep the invariant too. The first line also goes
 * through sanitize_url: a URL it keeps cleans to itself. Any violation
 * aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "sanitize_invariant.h"
#include "scrape/sanitize.h"

static void check(const struct sanitized *out)
{
	char why[256];
	if (sanitize_invariant(out->html, out->html_len, why, sizeof(why))) {
		fprintf(stderr, "invariant: %s\noutput: %.500s\n", why, out->html);
		abort();
	}
	if (!text_utf8_valid(out->text, out->text_len) || out->text_len > SANITIZE_TEXT_MAX ||
	    out->html_len > SANITIZE_HTML_MAX + SANITIZE_DEPTH_MAX * 16)
		abort();
}

static void check_url(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	size_t len = nl ? (size_t)(nl - s) : n;
	char out[3 * SANITIZE_URL_MAX + 1], again[3 * SANITIZE_URL_MAX + 1];
	if (sanitize_url(s, len, out, sizeof(out)) != 0)
		return;
	if (sanitize_url(out, strlen(out), again, sizeof(again)) != 0 || strcmp(out, again) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	struct sanitized out;
	if (sanitize_html(&a, (const char *)data, size, &out) == 0) {
		check(&out);
		struct sanitized again;
		if (sanitize_html(&a, out.html, out.html_len, &again) == 0)
			check(&again);
	}
	check_url((const char *)data, size);
	arena_free(&a);
	return 0;
}

/* The checks every input boundary uses (base/text.c): UTF-8 validity and
 * length, control characters, whole numbers, e-mail and URL plausibility;
 * input_text, which trims and checks typed text; and the password policy
 * with its common-password lookup. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "base/text.h"
#include "fuzz_support.h"
#include "tracker/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (text_utf8_valid((const char *)data, size)) {
		size_t chars = text_utf8_len((const char *)data, size);
		if (chars > size || (size && !chars))
			abort();
	}
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	if (s) {
		(void)text_has_control(s);
		long n;
		if (text_parse_long(s, -1000, 1000000, &n) == 0 && (n < -1000 || n > 1000000))
			abort();
		(void)text_parse_long(s, 1, LONG_MAX, &n);
		if (text_email_plausible(s) && (!strchr(s, '@') || strlen(s) > 254))
			abort();
		(void)text_http_url(s);
		struct field_errors errs = { .n = 0 };
		char *out = NULL;
		if (input_text(s, "title", 200, 0, &a, &errs, &out) == 0 && (!out || text_has_control(out)))
			abort(); /* a single-line value keeps no control character */
		(void)input_text(s, "notes", 20000, 1, &a, &errs, &out);
		(void)password_policy_error(s);
	}
	arena_free(&a);
	return 0;
}

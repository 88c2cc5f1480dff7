/* account_normalize_email, which sign-up and log-in run on the e-mail typed:
 * what it returns must be valid UTF-8 within STORE_EMAIL_MAX bytes, and
 * normalising an address that was not cut again must change nothing. */
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "base/text.h"
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	char out[STORE_EMAIL_MAX + 1], again[STORE_EMAIL_MAX + 1];
	if (s && account_normalize_email(s, out) == 0) {
		size_t len = strlen(out);
		if (len > STORE_EMAIL_MAX || !text_utf8_valid(out, len))
			abort();
		/* Cutting a long address can leave whitespace at its end, which
		 * a second pass trims: only an address that was never cut (the input
		 * fit) is a fixed point. */
		if (strlen(s) <= STORE_EMAIL_MAX &&
		    (account_normalize_email(out, again) != 0 || strcmp(out, again) != 0))
			abort();
		(void)text_email_plausible(out);
	}
	arena_free(&a);
	return 0;
}

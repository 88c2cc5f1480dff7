/* A database (or bus, blob, SMTP) URL as an operator writes it, printed by
 * `serve --print-config` and the serve.start log line through url_mask.
 * Checks: the output is terminated within its buffer, and no byte of a
 * password the harness plants survives — neither in the user-info nor in a
 * password= query parameter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url_mask.h"
#include "fuzz_support.h"

/* Marks the harness plants: no such run may appear in the output. */
#define SECRET "QZXJVK"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *url = fuzz_str(&a, data, size);
	if (url && !strstr(url, SECRET)) {
		/* The input as it is, in a buffer sized by byte 0 (cuts). */
		size_t len = size ? (size_t)data[0] + 1 : 1;
		char *out = malloc(len);
		if (!out)
			abort();
		url_mask(url, out, len);
		if (strlen(out) >= len)
			abort();
		free(out);
		/* The input's host and path after a planted password, both ways. */
		size_t big = strlen(url) + 64;
		char *planted = malloc(big);
		char *masked = malloc(big * 2 + 64);
		if (!planted || !masked)
			abort();
		snprintf(planted, big, "postgres://u:" SECRET "@%s", url);
		url_mask(planted, masked, big * 2 + 64);
		if (strstr(masked, SECRET))
			abort();
		snprintf(planted, big, "postgres:///db?%s&password=" SECRET, url);
		url_mask(planted, masked, big * 2 + 64);
		if (strstr(masked, SECRET))
			abort();
		free(planted);
		free(masked);
	}
	arena_free(&a);
	return 0;
}

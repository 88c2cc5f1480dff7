/* Reminder settings a user sends (PUT /api/v1/reminders/settings and the
 * settings form's webhook URL): notify_settings_apply_json over the body,
 * webhook_url_check over the raw bytes as a URL. Checks: a refusal always
 * has a message; accepted days stay within 0–365; a webhook URL that was
 * accepted passes webhook_url_check and comes with a secret of 16–128
 * printable characters; no URL means no secret. */
#include <string.h>

#include "fuzz_support.h"
#include "notify/settings.h"
#include "notify/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char err[200];
	const char *url = fuzz_str(&a, data, size);
	if (url && webhook_url_check(url, err, sizeof(err)) && !err[0])
		__builtin_trap();

	json_t *body = fuzz_json(data, size);
	if (body && json_is_object(body)) {
		struct notify_settings s = { .follow_up_days = 7, .email = 1, .webhook_url = "", .webhook_secret = "" };
		struct field_errors errs = { .n = 0 };
		notify_settings_apply_json(&s, body, &a, &errs);
		for (size_t i = 0; i < errs.n; i++)
			if (!errs.items[i].field || !errs.items[i].message || !*errs.items[i].message)
				__builtin_trap();
		if (!errs.n) {
			if (s.follow_up_days < 0 || s.follow_up_days > 365 || s.ghost_days < 0 || s.ghost_days > 365)
				__builtin_trap();
			if (*s.webhook_url) {
				size_t n = strlen(s.webhook_secret);
				if (webhook_url_check(s.webhook_url, err, sizeof(err)) || n < 16 || n > 128)
					__builtin_trap();
				for (size_t i = 0; i < n; i++)
					if (s.webhook_secret[i] <= 0x20 || s.webhook_secret[i] >= 0x7f)
						__builtin_trap();
			} else if (*s.webhook_secret) {
				__builtin_trap();
			}
		}
	}
	json_decref(body);
	arena_free(&a);
	return 0;
}

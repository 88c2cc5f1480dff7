#include "notify/settings.h"

#include <string.h>

#include <sodium.h>

#include "base/text.h"
#include "notify/webhook.h"

static int parse_flag(const char *v, int *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off") || !*v)
		*out = 0;
	else
		return -1;
	return 0;
}

static void days(const char *v, const char *field, int *out, struct field_errors *errs)
{
	long n;
	if (!v)
		return;
	if (text_parse_long(v, 0, NOTIFY_DAYS_MAX, &n))
		field_errors_add(errs, field, "Give a whole number of days from 0 (off) to 365.");
	else
		*out = (int)n;
}

static const char *fresh_secret(struct arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	char *hex = arena_alloc(a, sizeof(raw) * 2 + 1);
	if (hex)
		sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	return hex;
}

void notify_settings_apply(struct notify_settings *s, app_value_fn get, void *ctx, struct arena *a,
			   struct field_errors *errs)
{
	days(get(ctx, "follow_up_days"), "follow_up_days", &s->follow_up_days, errs);
	days(get(ctx, "ghost_days"), "ghost_days", &s->ghost_days, errs);
	const char *v = get(ctx, "email");
	if (v && parse_flag(v, &s->email))
		field_errors_add(errs, "email", "Say true or false.");
	v = get(ctx, "webhook_url");
	if (v) {
		char err[200];
		if (*v && webhook_url_check(v, err, sizeof(err)))
			field_errors_add(errs, "webhook_url", arena_strdup(a, err) ? arena_strdup(a, err) : "Bad URL.");
		else
			s->webhook_url = arena_strdup(a, v);
	}
	v = get(ctx, "webhook_secret");
	if (v && *v) {
		size_t n = strlen(v);
		int printable = 1;
		for (size_t i = 0; i < n; i++)
			printable &= v[i] > 0x20 && v[i] < 0x7f;
		if (n < 16 || n > STORE_WEBHOOK_SECRET_MAX || !printable)
			field_errors_add(errs, "webhook_secret",
					 "Give a secret of 16 to 128 letters, digits or symbols (no spaces), or leave "
					 "it empty for a random one.");
		else
			s->webhook_secret = arena_strdup(a, v);
	}
	int rotate = 0;
	v = get(ctx, "rotate_secret");
	if (v && parse_flag(v, &rotate))
		field_errors_add(errs, "rotate_secret", "Say true or false.");
	if (!s->webhook_url || !*s->webhook_url)
		s->webhook_secret = "";
	else if (rotate || !s->webhook_secret || !*s->webhook_secret)
		s->webhook_secret = fresh_secret(a);
	if (!s->webhook_url || !s->webhook_secret)
		field_errors_add(errs, "webhook_url", "Out of memory: try again.");
}

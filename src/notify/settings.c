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

/* The JSON members, their types, and what each reads as for
 * notify_settings_apply. */
static const struct {
	const char *name;
	json_type type; /* JSON_TRUE: either boolean; JSON_STRING: a string or null */
	const char *message;
} json_members[] = {
	{ "follow_up_days", JSON_INTEGER, "Give a whole number of days from 0 (off) to 365." },
	{ "ghost_days", JSON_INTEGER, "Give a whole number of days from 0 (off) to 365." },
	{ "email", JSON_TRUE, "Say true or false." },
	{ "rotate_secret", JSON_TRUE, "Say true or false." },
	{ "webhook_url", JSON_STRING, "Give a URL as a string, or null for no webhook." },
	{ "webhook_secret", JSON_STRING, "Give the secret as a string, or null to keep the one there is." },
	{ "updated_at", JSON_NULL, NULL },
};
#define N_JSON_MEMBERS (sizeof(json_members) / sizeof(json_members[0]))

struct json_ctx {
	const json_t *obj;
	struct arena *a;
};

/* A member checked by notify_settings_apply_json as the text the form
 * would send. */
static const char *json_text(void *ctx, const char *name)
{
	struct json_ctx *c = ctx;
	const json_t *m = json_object_get(c->obj, name);
	if (!m)
		return NULL;
	if (json_is_integer(m))
		return arena_printf(c->a, "%lld", (long long)json_integer_value(m));
	if (json_is_boolean(m))
		return json_is_true(m) ? "1" : "0";
	return json_is_string(m) ? json_string_value(m) : "";
}

void notify_settings_apply_json(struct notify_settings *s, const json_t *obj, struct arena *a,
				struct field_errors *errs)
{
	const char *key;
	json_t *val;
	json_object_foreach ((json_t *)obj, key, val) {
		size_t i = 0;
		while (i < N_JSON_MEMBERS && strcmp(json_members[i].name, key) != 0)
			i++;
		if (i == N_JSON_MEMBERS) {
			const char *field = arena_strdup(a, key);
			field_errors_add(errs, field ? field : "body", "Unknown field.");
			continue;
		}
		json_type t = json_members[i].type;
		int ok = t == JSON_NULL || (t == JSON_INTEGER && json_is_integer(val)) ||
			 (t == JSON_TRUE && json_is_boolean(val)) ||
			 (t == JSON_STRING && (json_is_string(val) || json_is_null(val)));
		if (!ok)
			field_errors_add(errs, json_members[i].name, json_members[i].message);
	}
	if (errs->n)
		return;
	struct json_ctx c = { obj, a };
	notify_settings_apply(s, json_text, &c, a, errs);
}

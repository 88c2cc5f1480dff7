#include "tracker/input.h"

#include <ctype.h>
#include <string.h>

#include "base/text.h"

void input_json_strings(const json_t *obj, const char *const *allowed, struct arena *a, struct field_errors *errs)
{
	const char *key;
	json_t *val;
	json_object_foreach ((json_t *)obj, key, val) {
		int known = 0;
		for (const char *const *p = allowed; *p; p++)
			if (strcmp(*p, key) == 0)
				known = 1;
		if (!known)
			field_errors_add(errs, arena_strdup(a, key), "Unknown field.");
		else if (!json_is_string(val) && !json_is_null(val))
			field_errors_add(errs, arena_strdup(a, key), "Must be a string.");
	}
}

const char *input_json_get(void *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	if (!v)
		return NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

int input_text(const char *raw, const char *field, size_t max_chars, int multiline, struct arena *a,
	       struct field_errors *errs, char **out)
{
	if (!text_utf8_valid(raw, strlen(raw))) {
		field_errors_add(errs, field, "Must be valid UTF-8 text.");
		return -1;
	}
	while (*raw && isspace((unsigned char)*raw))
		raw++;
	size_t len = strlen(raw);
	while (len && isspace((unsigned char)raw[len - 1]))
		len--;
	if (text_utf8_len(raw, len) > max_chars) {
		field_errors_add(errs, field, arena_printf(a, "Too long: keep it under %zu characters.", max_chars));
		return -1;
	}
	char *s = arena_strndup(a, raw, len);
	if (!s) {
		field_errors_add(errs, field, "Out of memory.");
		return -1;
	}
	if (!multiline) {
		for (char *p = s; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		if (text_has_control(s)) {
			field_errors_add(errs, field, "Must not contain control characters.");
			return -1;
		}
	}
	*out = s;
	return 0;
}

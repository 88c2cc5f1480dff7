#include "tracker/contact.h"

#include <string.h>

#include "base/text.h"
#include "tracker/input.h"

static const char *const contact_fields[] = { "name", "role", "email", "phone", "url", "notes", NULL };

void contact_from_strings(struct contact *ct, app_value_fn get, void *ctx, struct arena *a, struct field_errors *errs)
{
	struct {
		const char *name;
		size_t max;
		int multiline;
		char **dst;
	} texts[] = {
		{ "name", 200, 0, &ct->name },  { "role", 200, 0, &ct->role }, { "email", 254, 0, &ct->email },
		{ "phone", 50, 0, &ct->phone }, { "url", 2048, 0, &ct->url },  { "notes", 5000, 1, &ct->notes },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *v = get(ctx, texts[i].name);
		if (!*texts[i].dst)
			*texts[i].dst = (char *)"";
		if (v)
			input_text(v, texts[i].name, texts[i].max, texts[i].multiline, a, errs, texts[i].dst);
	}
	if (!*ct->name)
		field_errors_add(errs, "name", "Enter the contact's name.");
	if (*ct->email && !text_email_plausible(ct->email))
		field_errors_add(errs, "email", "Enter an e-mail address such as ada@example.com.");
	if (*ct->url && !text_http_url(ct->url))
		field_errors_add(errs, "url", "Enter a full web address starting with https:// or http://.");
}

void contact_from_json(struct contact *ct, const json_t *obj, struct arena *a, struct field_errors *errs)
{
	contact_check_json(obj, a, errs);
	contact_from_strings(ct, input_json_get, (void *)obj, a, errs);
}

void contact_check_json(const json_t *obj, struct arena *a, struct field_errors *errs)
{
	input_json_strings(obj, contact_fields, a, errs);
}

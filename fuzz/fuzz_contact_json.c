/* POST (contact_from_json) and PATCH (contact_check_json, then a partial
 * contact_from_strings over the JSON) bodies of /api/v1/contacts. */
#include <jansson.h>

#include "fuzz_support.h"
#include "tracker/contact.h"
#include "tracker/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = fuzz_json(data, size);
	if (!body)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct field_errors errs = { .n = 0 };
	struct contact ct = { .id = 0 };
	contact_from_json(&ct, body, &a, &errs);

	errs.n = 0;
	contact_check_json(body, &a, &errs);
	if (!errs.n && json_is_object(body)) {
		struct contact stored = { .id = 3, .version = 1, .name = arena_strdup(&a, "Dana Smith") };
		contact_from_strings(&stored, input_json_get, body, &a, &errs);
	}
	json_decref(body);
	arena_free(&a);
	return 0;
}

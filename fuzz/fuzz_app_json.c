/* POST/PATCH /api/v1/applications bodies: arbitrary bytes through jansson
 * (as http_json_body reads them), then app_apply_json and app_validate, and
 * the displays a change summary shows. */
#include <jansson.h>

#include "fuzz_support.h"
#include "tracker/application.h"
#include "tracker/status.h"

#define NOW ((time_t)1764979200)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = fuzz_json(data, size);
	if (!body)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct application app, before;
	app_init(&app, NOW);
	before = app;
	struct field_errors errs = { .n = 0 };
	unsigned fields = app_apply_json(&app, body, &a, &errs);
	app_validate(&app, NOW, &a, &errs);
	unsigned changed = app_fields_differ(&before, &app, fields);
	for (unsigned bit = 1; bit && bit <= changed; bit <<= 1)
		if (changed & bit) {
			(void)app_field_label(bit);
			(void)app_field_display(&app, bit, &a);
		}
	(void)app_tags_joined(&app, &a);
	json_decref(body);
	arena_free(&a);
	return 0;
}

/* Form posts (application, timeline entry and contact forms): the body as
 * url-encoded fields, through app_apply_strings + app_validate,
 * event_from_strings and contact_from_strings. */
#include "fuzz_support.h"
#include "tracker/application.h"
#include "tracker/contact.h"
#include "tracker/event.h"

#define NOW ((time_t)1764979200)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	struct fuzz_kvs form;
	fuzz_kv_split(data, size, &a, &form);

	struct application app;
	app_init(&app, NOW);
	struct field_errors errs = { .n = 0 };
	(void)app_apply_strings(&app, fuzz_kv_get, &form, &a, &errs);
	app_validate(&app, NOW, &a, &errs);

	errs.n = 0;
	struct app_event ev = { .app_id = 1, .tz_offset_min = -300 };
	event_from_strings(&ev, fuzz_kv_get, &form, NOW, &a, &errs);

	errs.n = 0;
	struct contact ct = { .id = 0 };
	contact_from_strings(&ct, fuzz_kv_get, &form, &a, &errs);
	arena_free(&a);
	return 0;
}

/* Timeline entry bodies: POST (event_from_json) and PATCH (event_check_json,
 * then event_edit over the JSON as tracker_event_edit does it) of
 * /api/v1/applications/{id}/events. */
#include <jansson.h>
#include <string.h>

#include "fuzz_support.h"
#include "tracker/event.h"
#include "tracker/input.h"

#define NOW ((time_t)1764979200)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = fuzz_json(data, size);
	if (!body)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct field_errors errs = { .n = 0 };
	struct app_event ev = { .app_id = 1, .tz_offset_min = 60 };
	event_from_json(&ev, body, NOW, &a, &errs);
	if (!errs.n)
		(void)event_kind_label(ev.kind);

	errs.n = 0;
	event_check_json(body, &a, &errs);
	if (!errs.n && json_is_object(body)) {
		struct app_event stored = {
			.id = 5,
			.app_id = 1,
			.version = 2,
			.kind = arena_strdup(&a, "interview"),
			.at = NOW - 3600,
			.title = arena_strdup(&a, "Phone screen"),
			.interview_kind = arena_strdup(&a, "phone"),
			.with_whom = arena_strdup(&a, "Dana"),
		};
		event_edit(&stored, input_json_get, body, 1, NOW, &a, &errs);
		if (!errs.n) /* as tracker_event_edit: an invalid kind is left NULL */
			(void)event_kind_editable(stored.kind);
	}
	json_decref(body);
	arena_free(&a);
	return 0;
}

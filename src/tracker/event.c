#include "tracker/event.h"

#include <string.h>

#include "base/timefmt.h"
#include "tracker/input.h"

const char *const event_user_kinds[] = { "note", "interview", "follow_up", NULL };

static const char *const event_fields[] = { "kind", "at", "title", "body", "interview_kind", "with_whom", NULL };

int event_kind_editable(const char *kind)
{
	for (const char *const *k = event_user_kinds; *k; k++)
		if (strcmp(kind, *k) == 0)
			return 1;
	return 0;
}

const char *event_kind_label(const char *kind)
{
	static const char *const names[][2] = {
		{ "created", "Added" },       { "status_change", "Status changed" }, { "note", "Note" },
		{ "interview", "Interview" }, { "follow_up", "Follow-up" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(kind, names[i][0]) == 0)
			return names[i][1];
	return kind;
}

void event_from_strings(struct app_event *ev, app_value_fn get, void *ctx, time_t now, struct arena *a,
			struct field_errors *errs)
{
	const char *kind = get(ctx, "kind");
	ev->kind = NULL;
	for (const char *const *k = event_user_kinds; kind && *k; k++)
		if (strcmp(kind, *k) == 0)
			ev->kind = (char *)*k;
	if (!ev->kind)
		field_errors_add(errs, "kind", "Choose note, interview or follow_up.");

	const char *at = get(ctx, "at");
	ev->at = now;
	if (at && *at) {
		time_t t;
		if (timefmt_parse_tz(at, &t, &ev->tz_offset_min) != 0)
			field_errors_add(errs, "at", "Enter a date and time such as 2026-12-01T14:30.");
		else
			ev->at = t;
	} else if (ev->kind && strcmp(ev->kind, "interview") == 0) {
		field_errors_add(errs, "at", "Enter when the interview takes place.");
	}

	struct {
		const char *name;
		size_t max;
		int multiline;
		char **dst;
	} texts[] = {
		{ "title", 200, 0, &ev->title },
		{ "body", 20000, 1, &ev->body },
		{ "interview_kind", 60, 0, &ev->interview_kind },
		{ "with_whom", 200, 0, &ev->with_whom },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *v = get(ctx, texts[i].name);
		*texts[i].dst = (char *)"";
		if (v)
			input_text(v, texts[i].name, texts[i].max, texts[i].multiline, a, errs, texts[i].dst);
	}
	if (ev->kind && strcmp(ev->kind, "note") == 0 && !*ev->title && !*ev->body)
		field_errors_add(errs, "body", "Write something in the note.");
}

struct patch_source {
	app_value_fn get;
	void *ctx;
	const struct app_event *old;
	char at[TIMEFMT_ISO_LEN];
};

/* The value sent, else the stored one. */
static const char *patch_get(void *ctx, const char *name)
{
	struct patch_source *p = ctx;
	const char *sent = p->get(p->ctx, name);
	if (sent)
		return sent;
	if (strcmp(name, "kind") == 0)
		return p->old->kind;
	if (strcmp(name, "at") == 0)
		return p->at;
	if (strcmp(name, "title") == 0)
		return p->old->title;
	if (strcmp(name, "body") == 0)
		return p->old->body;
	if (strcmp(name, "interview_kind") == 0)
		return p->old->interview_kind;
	if (strcmp(name, "with_whom") == 0)
		return p->old->with_whom;
	return NULL;
}

void event_edit(struct app_event *ev, app_value_fn get, void *ctx, int partial, time_t now, struct arena *a,
		struct field_errors *errs)
{
	if (!partial) {
		event_from_strings(ev, get, ctx, now, a, errs);
		return;
	}
	struct app_event old = *ev;
	struct patch_source src = { .get = get, .ctx = ctx, .old = &old };
	/* The stored time goes back through the parser as UTC: keep the offset
	 * the caller set for the follow-up's calendar day. */
	int tz = ev->tz_offset_min;
	timefmt_iso((time_t)old.at, src.at);
	event_from_strings(ev, patch_get, &src, now, a, errs);
	if (!get(ctx, "at"))
		ev->tz_offset_min = tz;
}

void event_check_json(const json_t *obj, struct arena *a, struct field_errors *errs)
{
	input_json_strings(obj, event_fields, a, errs);
}

void event_from_json(struct app_event *ev, const json_t *obj, time_t now, struct arena *a, struct field_errors *errs)
{
	input_json_strings(obj, event_fields, a, errs);
	event_from_strings(ev, input_json_get, (void *)obj, now, a, errs);
}

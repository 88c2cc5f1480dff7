#include "web/pages/view_model.h"

#include <stdio.h>
#include <string.h>

#include "base/timefmt.h"
#include "tracker/application.h"
#include "tracker/status.h"

void vm_set_str(json_t *obj, const char *key, const char *s)
{
	if (s && *s)
		json_object_set_new(obj, key, json_string(s));
}

void vm_set_count(json_t *obj, const char *key, int64_t n, const char *adjective)
{
	char text[64];
	snprintf(text, sizeof(text), "%lld %s%s%s", (long long)n, adjective ? adjective : "", adjective ? " " : "",
		 n == 1 ? "application" : "applications");
	json_object_set_new(obj, key, json_string(text));
}

void vm_put_query_value(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.' || *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_append(b, esc, 3);
		}
	}
}

void vm_device(const char *ua, char *out, size_t outlen)
{
	static const char *const browsers[][2] = {
		{ "Edg/", "Edge" },      { "Firefox/", "Firefox" }, { "Chromium/", "Chromium" },
		{ "Chrome/", "Chrome" }, { "Safari/", "Safari" },   { "curl/", "curl" },
		{ "node", "Node.js" },
	};
	static const char *const systems[][2] = {
		{ "Android", "Android" }, { "iPhone", "iPhone" },  { "iPad", "iPad" },
		{ "Windows", "Windows" }, { "Mac OS X", "macOS" }, { "Linux", "Linux" },
	};
	const char *browser = NULL, *system = NULL;
	for (size_t i = 0; ua && !browser && i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (strstr(ua, browsers[i][0]))
			browser = browsers[i][1];
	for (size_t i = 0; ua && !system && i < sizeof(systems) / sizeof(systems[0]); i++)
		if (strstr(ua, systems[i][0]))
			system = systems[i][1];
	if (browser && system)
		snprintf(out, outlen, "%s on %s", browser, system);
	else if (browser || system)
		snprintf(out, outlen, "%s", browser ? browser : system);
	else if (ua && *ua)
		snprintf(out, outlen, "%.40s", ua);
	else
		snprintf(out, outlen, "Unknown browser");
}

json_t *vm_status_options(const char *selected)
{
	json_t *arr = json_array();
	for (int i = 0; i < STATUS_COUNT; i++) {
		json_t *o = json_pack("{s:s,s:s}", "value", status_names[i], "label", status_labels[i]);
		if (selected && strcmp(selected, status_names[i]) == 0)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *vm_errors(const struct field_errors *errs)
{
	if (!errs || !errs->n)
		return NULL;
	json_t *o = json_object();
	for (size_t i = 0; i < errs->n; i++)
		json_object_set_new(o, errs->items[i].field, json_string(errs->items[i].message));
	return o;
}

static void group_thousands(int64_t v, char *out, size_t outlen)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < outlen; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

void vm_salary(const struct application *app, char *out, size_t outlen)
{
	char lo[32] = "", hi[32] = "";
	if (app->has_salary_min)
		group_thousands(app->salary_min, lo, sizeof(lo));
	if (app->has_salary_max)
		group_thousands(app->salary_max, hi, sizeof(hi));
	if (!*lo && !*hi) {
		out[0] = '\0';
		return;
	}
	const char *cur = app->salary_currency && *app->salary_currency ? app->salary_currency : "";
	const char *per = app->salary_period && *app->salary_period ? app->salary_period : "";
	snprintf(out, outlen, "%s%s%s%s%s%s%s", *lo ? lo : "", *lo && *hi ? "–" : "", *hi ? hi : "", *cur ? " " : "",
		 cur, *per ? " / " : "", per);
}

static json_t *options(const char *const *values, const char *const *labels, size_t n, const char *selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s}", "value", values[i], "label", labels[i]);
		if (selected && strcmp(selected, values[i]) == 0)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *vm_form(const struct application *app, const struct field_errors *errs, const char *action,
		const char *submit_label, struct arena *a)
{
	static const char *const periods[] = { "", "year", "month", "hour" };
	static const char *const period_labels[] = { "—", "per year", "per month", "per hour" };
	static const char *const prios[] = { "0", "1", "2", "3", "4", "5" };
	/* Words, not star glyphs: a screen reader would read "black star" five times. */
	static const char *const prio_labels[] = { "None", "1 — low", "2", "3 — medium", "4", "5 — top" };
	json_t *f = json_object();
	vm_set_str(f, "action", action);
	vm_set_str(f, "submit_label", submit_label);
	vm_set_str(f, "company", app->company);
	vm_set_str(f, "position", app->position);
	vm_set_str(f, "location", app->location);
	vm_set_str(f, "url", app->url);
	vm_set_str(f, "source", app->source);
	char num[24];
	if (app->has_salary_min) {
		snprintf(num, sizeof(num), "%lld", (long long)app->salary_min);
		vm_set_str(f, "salary_min", num);
	}
	if (app->has_salary_max) {
		snprintf(num, sizeof(num), "%lld", (long long)app->salary_max);
		vm_set_str(f, "salary_max", num);
	}
	vm_set_str(f, "salary_currency", app->salary_currency);
	json_object_set_new(f, "period_options", options(periods, period_labels, 4, app->salary_period));
	json_object_set_new(f, "status_options", vm_status_options(app->status));
	char prio[4];
	snprintf(prio, sizeof(prio), "%d", app->priority);
	json_object_set_new(f, "priority_options", options(prios, prio_labels, 6, prio));
	vm_set_str(f, "tags", app_tags_joined(app, a));
	vm_set_str(f, "saved_on", app->saved_on);
	vm_set_str(f, "applied_on", app->applied_on);
	vm_set_str(f, "follow_up_on", app->follow_up_on);
	vm_set_str(f, "notes", app->notes);
	json_t *e = vm_errors(errs);
	if (e)
		json_object_set_new(f, "errors", e);
	return f;
}

/* Puts key → s, "" when absent: a hidden input must never fall back to an
 * outer value of the same name. */
static void set_str_always(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, json_string(s ? s : ""));
}

json_t *vm_form_base(const struct application *app, struct arena *a)
{
	json_t *b = json_object();
	json_object_set_new(b, "version", json_integer(app->version));
	const struct {
		const char *name;
		const char *value;
	} texts[] = {
		{ "company", app->company },
		{ "position", app->position },
		{ "location", app->location },
		{ "url", app->url },
		{ "source", app->source },
		{ "salary_currency", app->salary_currency },
		{ "salary_period", app->salary_period },
		{ "status", app->status },
		{ "saved_on", app->saved_on },
		{ "applied_on", app->applied_on },
		{ "follow_up_on", app->follow_up_on },
		{ "notes", app->notes },
		{ "tags", app_tags_joined(app, a) },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		set_str_always(b, texts[i].name, texts[i].value);
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)app->salary_min);
	set_str_always(b, "salary_min", app->has_salary_min ? num : "");
	snprintf(num, sizeof(num), "%lld", (long long)app->salary_max);
	set_str_always(b, "salary_max", app->has_salary_max ? num : "");
	snprintf(num, sizeof(num), "%d", app->priority);
	set_str_always(b, "priority", num);
	return b;
}

void vm_form_typed(json_t *form, const struct field_errors *errs, const char *(*get)(void *ctx, const char *name),
		   void *ctx)
{
	for (size_t i = 0; errs && i < errs->n; i++) {
		const char *v = get(ctx, errs->items[i].field);
		json_object_del(form, errs->items[i].field);
		vm_set_str(form, errs->items[i].field, v);
	}
}

json_t *vm_typed(const char *const *fields, const char *(*get)(void *ctx, const char *name), void *ctx)
{
	json_t *o = json_object();
	for (; *fields; fields++)
		vm_set_str(o, *fields, get(ctx, *fields));
	return o;
}

json_t *vm_app_summary(const struct application *app, time_t now, int tz_offset_min)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(app->id));
	vm_set_str(o, "company", app->company);
	vm_set_str(o, "position", app->position);
	vm_set_str(o, "location", app->location);
	char salary[96];
	vm_salary(app, salary, sizeof(salary));
	vm_set_str(o, "salary", salary);
	vm_set_str(o, "status", app->status);
	vm_set_str(o, "status_label", status_label(app->status));
	if (app->priority > 0)
		json_object_set_new(o, "priority", json_integer(app->priority));
	if (app->n_tags) {
		/* Each tag links to the list filtered by it. */
		json_t *tags = json_array();
		struct buf url;
		buf_init(&url, 512);
		for (size_t i = 0; i < app->n_tags; i++) {
			buf_reset(&url);
			buf_puts(&url, "/applications?tag=");
			vm_put_query_value(&url, app->tags[i]);
			json_array_append_new(tags, json_pack("{s:s,s:s}", "name", app->tags[i], "url",
							      buf_failed(&url) ? "/applications" : url.data));
		}
		buf_free(&url);
		json_object_set_new(o, "tags", tags);
	}
	vm_set_str(o, "applied_on", app->applied_on);
	char rel[48], iso[TIMEFMT_ISO_LEN];
	timefmt_relative((time_t)app->updated_at, now, rel, sizeof(rel));
	timefmt_iso((time_t)app->updated_at, iso);
	vm_set_str(o, "changed_rel", rel);
	vm_set_str(o, "changed_iso", iso);
	/* Follow-ups matter only while the application is still open. */
	int closed = status_index(app->status) >= status_index("accepted");
	if (app->follow_up_on && !closed) {
		char today[TIMEFMT_DATE_LEN], label[48];
		timefmt_date(now + (time_t)tz_offset_min * 60, today); /* the person's calendar day */
		int cmp = strcmp(app->follow_up_on, today);
		if (cmp < 0)
			snprintf(label, sizeof(label), "Overdue · %s", app->follow_up_on);
		else if (cmp == 0)
			snprintf(label, sizeof(label), "Due today");
		else
			snprintf(label, sizeof(label), "Follow up %s", app->follow_up_on);
		vm_set_str(o, "follow_up", app->follow_up_on);
		vm_set_str(o, "follow_up_label", label);
		if (cmp <= 0)
			json_object_set_new(o, "follow_up_due", json_true());
	}
	if (app->posting_closed_at) {
		char date[TIMEFMT_DATE_LEN];
		timefmt_date((time_t)app->posting_closed_at + (time_t)tz_offset_min * 60, date);
		vm_set_str(o, "posting_closed_on", date);
	}
	return o;
}

json_t *vm_query_form(struct request *req, const char *const *keys, size_t n)
{
	json_t *form = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *v = http_query(req, keys[i]);
		vm_set_str(form, keys[i], v);
		if (v && *v) {
			/* "sel_workplace_remote": true, for <option selected>. */
			char key[96];
			snprintf(key, sizeof(key), "sel_%s_%s", keys[i], v);
			if (strlen(v) < 40)
				json_object_set_new(form, key, json_true());
		}
	}
	return form;
}

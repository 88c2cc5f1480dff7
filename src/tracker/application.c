#include "tracker/application.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "tracker/status.h"

enum field_kind { F_TEXT, F_LONGTEXT, F_URL, F_MONEY, F_CURRENCY, F_PERIOD, F_STATUS, F_PRIORITY, F_TAGS, F_DATE };

struct app_field {
	const char *name;
	enum field_kind kind;
	size_t max_chars;  /* for text kinds */
	size_t offset;     /* of the char * (or int64_t for money) in struct application */
	size_t has_offset; /* money: offset of the has_ flag */
	int required;
};

#define TXT(n, max, req) \
	{ \
#n, F_TEXT, max, offsetof(struct application, n), 0, req \
	}
static const struct app_field fields[] = {
	TXT(company, 200, 1),
	TXT(position, 200, 1),
	TXT(location, 200, 0),
	{ "url", F_URL, 2048, offsetof(struct application, url), 0, 0 },
	TXT(source, 100, 0),
	{ "salary_min", F_MONEY, 0, offsetof(struct application, salary_min),
	  offsetof(struct application, has_salary_min), 0 },
	{ "salary_max", F_MONEY, 0, offsetof(struct application, salary_max),
	  offsetof(struct application, has_salary_max), 0 },
	{ "salary_currency", F_CURRENCY, 3, offsetof(struct application, salary_currency), 0, 0 },
	{ "salary_period", F_PERIOD, 5, offsetof(struct application, salary_period), 0, 0 },
	{ "status", F_STATUS, 20, offsetof(struct application, status), 0, 1 },
	{ "priority", F_PRIORITY, 0, 0, 0, 0 },
	{ "tags", F_TAGS, 0, 0, 0, 0 },
	{ "saved_on", F_DATE, 10, offsetof(struct application, saved_on), 0, 0 },
	{ "applied_on", F_DATE, 10, offsetof(struct application, applied_on), 0, 0 },
	{ "follow_up_on", F_DATE, 10, offsetof(struct application, follow_up_on), 0, 0 },
	{ "notes", F_LONGTEXT, 20000, offsetof(struct application, notes), 0, 0 },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))
/* fields[i] is the field of bit 1 << i in enum app_field_bit. */
_Static_assert(N_FIELDS == 16 && APP_F_ALL == (1u << 16) - 1, "field table and app_field_bit agree");

const char *const app_field_names[] = {
	"company",    "position",        "location",      "url",    "source",   "salary_min",
	"salary_max", "salary_currency", "salary_period", "status", "priority", "tags",
	"saved_on",   "applied_on",      "follow_up_on",  "notes",  NULL,
};

static char **str_at(struct application *app, const struct app_field *f)
{
	return (char **)((char *)app + f->offset);
}

void app_init(struct application *app, time_t now)
{
	static char empty[] = "";
	static char saved[] = "saved";
	memset(app, 0, sizeof(*app));
	app->company = app->position = app->location = app->url = app->source = empty;
	app->salary_currency = app->salary_period = app->notes = empty;
	app->status = saved;
	/* saved_on is filled by app_validate from `now`: keep init allocation-free. */
	(void)now;
}

/* Copies s without leading/trailing whitespace; single-line fields also lose
 * inner newlines (a CSV cell or a pasted title can carry them). */
static char *clean_text(const char *s, int multiline, struct arena *a)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *out = arena_strndup(a, s, len);
	if (out && !multiline)
		for (char *p = out; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
	return out;
}

static void set_tags_from_list(struct application *app, const char **items, size_t n, struct arena *a,
			       struct field_errors *errs)
{
	char **tags = arena_alloc(a, (n ? n : 1) * sizeof(char *));
	size_t k = 0;
	if (!tags) {
		field_errors_add(errs, "tags", "Out of memory while reading tags.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *t = clean_text(items[i], 0, a);
		if (!t || !*t)
			continue;
		if (strchr(t, ',')) {
			field_errors_add(errs, "tags", "A tag cannot contain a comma.");
			return;
		}
		/* The store reads tags back joined with U+001F: such a tag would come back as two. */
		if (text_has_control(t)) {
			field_errors_add(errs, "tags", "A tag cannot contain control characters.");
			return;
		}
		if (text_utf8_len(t, strlen(t)) > APP_TAG_LEN_MAX) {
			field_errors_add(errs, "tags", "Each tag can be at most 40 characters.");
			return;
		}
		int dup = 0;
		/* "Remote" and "remote" are one tag: the first spelling stays. */
		for (size_t j = 0; j < k; j++)
			if (strcasecmp(tags[j], t) == 0)
				dup = 1;
		if (!dup)
			tags[k++] = t;
	}
	if (k > APP_TAGS_MAX) {
		field_errors_add(errs, "tags", "Use at most 20 tags.");
		return;
	}
	app->tags = tags;
	app->n_tags = k;
}

/* Splits "a, b ,c" on commas. */
static void set_tags_from_string(struct application *app, const char *s, struct arena *a, struct field_errors *errs)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	const char **items = arena_alloc(a, n * sizeof(char *));
	if (!items)
		return;
	size_t k = 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == ',' || *p == '\0') {
			items[k++] = arena_strndup(a, start, (size_t)(p - start));
			if (!*p)
				break;
			start = p + 1;
		}
	}
	set_tags_from_list(app, items, k, a, errs);
}

/* The words other trackers and people use for our stages ("Interview",
 * "Phone screen", "Offered"); anything else is returned unchanged. */
static const char *status_from_word(const char *v)
{
	static const char *const words[][2] = {
		{ "interview", "interviewing" }, { "interviews", "interviewing" }, { "screen", "screening" },
		{ "phone screen", "screening" }, { "offered", "offer" },           { "declined", "withdrawn" },
		{ "wishlist", "saved" },         { "bookmarked", "saved" },        { "no response", "ghosted" },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(v, words[i][0]) == 0)
			return words[i][1];
	return v;
}

static void set_from_string(struct application *app, const struct app_field *f, const char *raw, struct arena *a,
			    struct field_errors *errs)
{
	if (!text_utf8_valid(raw, strlen(raw))) {
		field_errors_add(errs, f->name, "Must be valid UTF-8 text.");
		return;
	}
	char *v = clean_text(raw, f->kind == F_LONGTEXT, a);
	if (!v) {
		field_errors_add(errs, f->name, "Out of memory.");
		return;
	}
	if (f->kind == F_TEXT && text_has_control(v)) {
		field_errors_add(errs, f->name, "Must not contain control characters.");
		return;
	}
	switch (f->kind) {
	case F_TEXT:
	case F_LONGTEXT:
		if (text_utf8_len(v, strlen(v)) > f->max_chars) {
			field_errors_add(errs, f->name,
					 f->kind == F_LONGTEXT ? "Too long: keep it under 20,000 characters."
							       : "Too long: keep it under 200 characters.");
			return;
		}
		*str_at(app, f) = v;
		return;
	case F_URL:
		if (*v && (strlen(v) > f->max_chars || !text_http_url(v))) {
			field_errors_add(errs, f->name, "Enter a full web address starting with https:// or http://.");
			return;
		}
		*str_at(app, f) = v;
		return;
	case F_MONEY: {
		int64_t *val = (int64_t *)((char *)app + f->offset);
		int *has = (int *)((char *)app + f->has_offset);
		if (!*v) {
			*has = 0;
			*val = 0;
			return;
		}
		/* People type "120,000" or "120 000": drop the grouping. */
		char digits[32];
		size_t k = 0;
		const char *p = v;
		for (; *p && k + 1 < sizeof(digits); p++)
			if (*p != ',' && *p != ' ' && *p != '_')
				digits[k++] = *p;
		digits[k] = '\0';
		long n;
		if (*p || text_parse_long(digits, 0, 1000000000L, &n)) {
			field_errors_add(errs, f->name, "Enter a whole number from 0 to 1,000,000,000.");
			return;
		}
		*val = n;
		*has = 1;
		return;
	}
	case F_CURRENCY:
		for (char *p = v; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (*v && (strlen(v) != 3 || !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1]) ||
			   !isalpha((unsigned char)v[2]))) {
			field_errors_add(errs, f->name, "Use a three-letter currency code such as USD or EUR.");
			return;
		}
		*str_at(app, f) = v;
		return;
	case F_PERIOD:
		if (*v && strcmp(v, "year") && strcmp(v, "month") && strcmp(v, "hour")) {
			field_errors_add(errs, f->name, "Choose year, month or hour.");
			return;
		}
		*str_at(app, f) = v;
		return;
	case F_STATUS:
		if (!*v)
			return; /* an empty cell keeps the default ("saved") */
		for (char *p = v; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		v = (char *)status_from_word(v);
		if (status_index(v) < 0) {
			field_errors_add(errs, f->name,
					 "Choose one of: saved, applied, screening, interviewing, "
					 "offer, accepted, rejected, withdrawn, ghosted.");
			return;
		}
		*str_at(app, f) = v;
		return;
	case F_PRIORITY: {
		long n = 0;
		if (*v && text_parse_long(v, 0, 5, &n)) {
			field_errors_add(errs, f->name, "Choose a priority from 0 to 5.");
			return;
		}
		app->priority = (int)n;
		return;
	}
	case F_TAGS:
		set_tags_from_string(app, v, a, errs);
		return;
	case F_DATE: {
		if (!*v) {
			*str_at(app, f) = NULL;
			return;
		}
		char why[120];
		if (timefmt_date_problem(v, why, sizeof(why))) {
			const char *msg = arena_strndup(a, why, strlen(why));
			field_errors_add(errs, f->name, msg ? msg : "Enter a date as YYYY-MM-DD.");
			return;
		}
		*str_at(app, f) = v;
		return;
	}
	}
}

unsigned app_apply_strings(struct application *app, app_value_fn get, void *ctx, struct arena *a,
			   struct field_errors *errs)
{
	unsigned present = 0;
	for (size_t i = 0; i < N_FIELDS; i++) {
		const char *v = get(ctx, fields[i].name);
		if (v) {
			set_from_string(app, &fields[i], v, a, errs);
			present |= 1u << i;
		}
	}
	return present;
}

static const struct app_field *find_field(const char *name)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

unsigned app_apply_json(struct application *app, const json_t *obj, struct arena *a, struct field_errors *errs)
{
	const char *key;
	json_t *val;
	unsigned present = 0;
	json_object_foreach ((json_t *)obj, key, val) {
		const struct app_field *f = find_field(key);
		if (!f) {
			/* Read-only fields are accepted back unchanged so a GET can be PUT back. */
			if (!strcmp(key, "id") || !strcmp(key, "version") || !strcmp(key, "created_at") ||
			    !strcmp(key, "updated_at") || !strcmp(key, "status_changed_at") ||
			    !strcmp(key, "posting_id") || !strcmp(key, "posting_closed") ||
			    !strcmp(key, "posting_closed_at"))
				continue;
			field_errors_add(errs, arena_strdup(a, key), "Unknown field.");
			continue;
		}
		present |= 1u << (unsigned)(f - fields);
		if (json_is_null(val)) {
			if (f->required) {
				field_errors_add(errs, f->name, "This field is required.");
				continue;
			}
			set_from_string(app, f, "", a, errs);
			continue;
		}
		if (f->kind == F_MONEY || f->kind == F_PRIORITY) {
			if (!json_is_integer(val)) {
				field_errors_add(errs, f->name, "Must be a whole number.");
				continue;
			}
			char num[32];
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(val));
			set_from_string(app, f, num, a, errs);
			continue;
		}
		if (f->kind == F_TAGS) {
			if (!json_is_array(val)) {
				field_errors_add(errs, f->name, "Must be an array of strings.");
				continue;
			}
			size_t n = json_array_size(val);
			if (n > APP_TAGS_MAX * 4) {
				field_errors_add(errs, f->name, "Use at most 20 tags.");
				continue;
			}
			const char **items = arena_alloc(a, (n ? n : 1) * sizeof(char *));
			int ok = items != NULL;
			for (size_t i = 0; ok && i < n; i++) {
				json_t *t = json_array_get(val, i);
				if (!json_is_string(t))
					ok = 0;
				else
					items[i] = json_string_value(t);
			}
			if (!ok) {
				field_errors_add(errs, f->name, "Must be an array of strings.");
				continue;
			}
			set_tags_from_list(app, items, n, a, errs);
			continue;
		}
		if (!json_is_string(val)) {
			field_errors_add(errs, f->name, "Must be a string.");
			continue;
		}
		set_from_string(app, f, json_string_value(val), a, errs);
	}
	return present;
}

void app_validate(struct application *app, time_t now, struct arena *a, struct field_errors *errs)
{
	if (!app->company || !*app->company)
		field_errors_add(errs, "company", "Enter the company's name.");
	if (!app->position || !*app->position)
		field_errors_add(errs, "position", "Enter the position's title.");
	if (app->has_salary_min && app->has_salary_max && app->salary_min > app->salary_max)
		field_errors_add(errs, "salary_max", "The maximum salary must not be below the minimum.");
	char today[TIMEFMT_DATE_LEN];
	timefmt_date(now, today);
	if (!app->saved_on)
		app->saved_on = arena_strdup(a, today);
	if (!app->applied_on && status_index(app->status) > 0 && strcmp(app->status, "withdrawn") != 0)
		app->applied_on = arena_strdup(a, today);
}

char *app_tags_joined(const struct application *app, struct arena *a)
{
	size_t len = 1;
	for (size_t i = 0; i < app->n_tags; i++)
		len += strlen(app->tags[i]) + 2;
	char *out = arena_alloc(a, len);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < app->n_tags; i++) {
		size_t n = strlen(app->tags[i]);
		if (i) {
			memcpy(out + k, ", ", 2);
			k += 2;
		}
		memcpy(out + k, app->tags[i], n);
		k += n;
	}
	out[k] = '\0';
	return out;
}

/* Absent and "" are the same text, and so are CRLF and LF line breaks:
 * browsers send a textarea's lines with CRLF whatever the stored text has. */
static int text_equal(const char *x, const char *y)
{
	x = x ? x : "";
	y = y ? y : "";
	for (;;) {
		if (x[0] == '\r' && x[1] == '\n')
			x++;
		if (y[0] == '\r' && y[1] == '\n')
			y++;
		if (*x != *y)
			return 0;
		if (!*x)
			return 1;
		x++;
		y++;
	}
}

static int field_equal(const struct application *x, const struct application *y, const struct app_field *f)
{
	switch (f->kind) {
	case F_MONEY: {
		int hx = *(const int *)((const char *)x + f->has_offset);
		int hy = *(const int *)((const char *)y + f->has_offset);
		int64_t vx = *(const int64_t *)((const char *)x + f->offset);
		int64_t vy = *(const int64_t *)((const char *)y + f->offset);
		return hx == hy && (!hx || vx == vy);
	}
	case F_PRIORITY:
		return x->priority == y->priority;
	case F_TAGS:
		if (x->n_tags != y->n_tags)
			return 0;
		for (size_t i = 0; i < x->n_tags; i++)
			if (strcmp(x->tags[i], y->tags[i]) != 0)
				return 0;
		return 1;
	default:
		return text_equal(*(char *const *)((const char *)x + f->offset),
				  *(char *const *)((const char *)y + f->offset));
	}
}

unsigned app_fields_differ(const struct application *x, const struct application *y, unsigned mask)
{
	unsigned differ = 0;
	for (size_t i = 0; i < N_FIELDS; i++)
		if ((mask & (1u << i)) && !field_equal(x, y, &fields[i]))
			differ |= 1u << i;
	return differ;
}

void app_copy_fields(struct application *dst, const struct application *src, unsigned mask)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		if (!(mask & (1u << i)))
			continue;
		const struct app_field *f = &fields[i];
		switch (f->kind) {
		case F_MONEY:
			*(int64_t *)((char *)dst + f->offset) = *(const int64_t *)((const char *)src + f->offset);
			*(int *)((char *)dst + f->has_offset) = *(const int *)((const char *)src + f->has_offset);
			break;
		case F_PRIORITY:
			dst->priority = src->priority;
			break;
		case F_TAGS:
			dst->tags = src->tags;
			dst->n_tags = src->n_tags;
			break;
		default:
			*str_at(dst, f) = *(char *const *)((const char *)src + f->offset);
			break;
		}
	}
}

const char *app_field_label(unsigned bit)
{
	static const char *const labels[] = {
		"Company",   "Position",   "Location",      "Posting URL", "Source",   "Salary from",
		"Salary to", "Currency",   "Salary period", "Status",      "Priority", "Tags",
		"Saved on",  "Applied on", "Follow up on",  "Notes",
	};
	_Static_assert(sizeof(labels) / sizeof(labels[0]) == N_FIELDS, "a label per field");
	for (size_t i = 0; i < N_FIELDS; i++)
		if (bit == 1u << i)
			return labels[i];
	return "";
}

char *app_field_display(const struct application *app, unsigned bit, struct arena *a)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		if (bit != 1u << i)
			continue;
		const struct app_field *f = &fields[i];
		switch (f->kind) {
		case F_LONGTEXT:
			return NULL;
		case F_MONEY:
			if (!*(const int *)((const char *)app + f->has_offset))
				return arena_strdup(a, "");
			return arena_printf(a, "%lld", (long long)*(const int64_t *)((const char *)app + f->offset));
		case F_PRIORITY:
			return arena_printf(a, "%d", app->priority);
		case F_TAGS:
			return app_tags_joined(app, a);
		case F_STATUS:
			return arena_strdup(a, status_label(app->status));
		default: {
			const char *v = *(char *const *)((const char *)app + f->offset);
			return arena_strdup(a, v ? v : "");
		}
		}
	}
	return NULL;
}

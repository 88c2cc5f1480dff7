/* posting — names on the wire and the JSON shape of a normalised posting. */
#include "scrape/posting.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/json_out.h"

struct posting *posting_list_add(struct arena *a, struct posting_list *list)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct posting *items = arena_alloc_raw(a, cap * sizeof(*items));
		if (!items)
			return NULL;
		if (list->count)
			memcpy(items, list->items, list->count * sizeof(*items));
		list->items = items; /* the old block stays in the arena until it is freed */
		list->cap = cap;
	}
	struct posting *p = &list->items[list->count++];
	memset(p, 0, sizeof(*p));
	return p;
}

static const char *const workplace_names[] = {
	[WORKPLACE_ONSITE] = "onsite",
	[WORKPLACE_HYBRID] = "hybrid",
	[WORKPLACE_REMOTE] = "remote",
};

const char *workplace_name(enum workplace w)
{
	if (w <= WORKPLACE_UNKNOWN || w > WORKPLACE_REMOTE)
		return NULL;
	return workplace_names[w];
}

int workplace_from_name(const char *name, enum workplace *out)
{
	for (int w = WORKPLACE_ONSITE; w <= WORKPLACE_REMOTE; w++)
		if (name && strcmp(name, workplace_names[w]) == 0) {
			*out = (enum workplace)w;
			return 0;
		}
	return -EINVAL;
}

static const char *const employment_names[EMPLOYMENT_TYPE_COUNT] = {
	"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER",
};

const char *employment_type_name(enum employment_type t)
{
	for (int i = 0; i < EMPLOYMENT_TYPE_COUNT; i++)
		if ((unsigned)t == 1u << i)
			return employment_names[i];
	return NULL;
}

void employment_types_to_json(unsigned types, struct buf *out)
{
	buf_putc(out, '[');
	int first = 1;
	for (int i = 0; i < EMPLOYMENT_TYPE_COUNT; i++)
		if (types & (1u << i)) {
			if (!first)
				buf_putc(out, ',');
			json_out_string(out, employment_names[i]);
			first = 0;
		}
	buf_putc(out, ']');
}

unsigned employment_types_from_names(const char *const *names, size_t n)
{
	unsigned set = 0;
	for (size_t k = 0; k < n; k++)
		for (int i = 0; i < EMPLOYMENT_TYPE_COUNT; i++)
			if (names[k] && strcmp(names[k], employment_names[i]) == 0)
				set |= 1u << i;
	return set;
}

static const char *const period_names[] = {
	[SALARY_PERIOD_HOUR] = "HOUR",   [SALARY_PERIOD_DAY] = "DAY",   [SALARY_PERIOD_WEEK] = "WEEK",
	[SALARY_PERIOD_MONTH] = "MONTH", [SALARY_PERIOD_YEAR] = "YEAR",
};

const char *salary_period_name(enum salary_period p)
{
	if (p <= SALARY_PERIOD_UNKNOWN || p > SALARY_PERIOD_YEAR)
		return NULL;
	return period_names[p];
}

int salary_period_from_name(const char *name, enum salary_period *out)
{
	for (int p = SALARY_PERIOD_HOUR; p <= SALARY_PERIOD_YEAR; p++)
		if (name && strcmp(name, period_names[p]) == 0) {
			*out = (enum salary_period)p;
			return 0;
		}
	return -EINVAL;
}

/* Amounts are whole units in every source we know but hourly rates
 * ("$42.50"): print integers without a fraction, others with up to two. */
static void out_amount(struct buf *b, double v)
{
	char num[64];
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(num, sizeof(num), "%.0f", v);
	else
		snprintf(num, sizeof(num), "%.2f", v);
	buf_puts(b, num);
}

static void out_string_or_null(struct buf *b, const char *s)
{
	json_out_string(b, s && *s ? s : NULL);
}

void posting_json_members(const struct posting *p, unsigned flags, struct buf *out)
{
	buf_puts(out, "\"title\":");
	out_string_or_null(out, p->title);
	JSON_OUT_KEY(out, "company");
	out_string_or_null(out, p->company);
	JSON_OUT_KEY(out, "location");
	buf_puts(out, "{\"raw\":");
	out_string_or_null(out, p->location.raw);
	JSON_OUT_KEY(out, "locality");
	out_string_or_null(out, p->location.locality);
	JSON_OUT_KEY(out, "region");
	out_string_or_null(out, p->location.region);
	JSON_OUT_KEY(out, "country");
	out_string_or_null(out, p->location.country);
	buf_putc(out, '}');
	JSON_OUT_KEY(out, "workplace");
	json_out_string(out, workplace_name(p->workplace));
	JSON_OUT_KEY(out, "employment_type");
	employment_types_to_json(p->employment_types, out);
	JSON_OUT_KEY(out, "salary");
	if (p->salary.present) {
		buf_puts(out, "{\"min\":");
		if (p->salary.min > 0)
			out_amount(out, p->salary.min);
		else
			buf_puts(out, "null");
		JSON_OUT_KEY(out, "max");
		if (p->salary.max > 0)
			out_amount(out, p->salary.max);
		else
			buf_puts(out, "null");
		JSON_OUT_KEY(out, "currency");
		out_string_or_null(out, p->salary.currency);
		JSON_OUT_KEY(out, "period");
		json_out_string(out, salary_period_name(p->salary.period));
		buf_putc(out, '}');
	} else {
		buf_puts(out, "null");
	}
	JSON_OUT_KEY(out, "date_posted");
	out_string_or_null(out, p->date_posted);
	JSON_OUT_KEY(out, "valid_through");
	out_string_or_null(out, p->valid_through);
	if (flags & POSTING_JSON_DESCRIPTION) {
		JSON_OUT_KEY(out, "description_html");
		out_string_or_null(out, p->description_html);
		JSON_OUT_KEY(out, "description_text");
		out_string_or_null(out, p->description_text);
	}
	JSON_OUT_KEY(out, "apply_url");
	out_string_or_null(out, p->apply_url);
	JSON_OUT_KEY(out, "url");
	out_string_or_null(out, p->url);
	JSON_OUT_KEY(out, "source");
	out_string_or_null(out, p->source);
	JSON_OUT_KEY(out, "external_id");
	out_string_or_null(out, p->external_id);
}

void posting_to_json(const struct posting *p, struct buf *out)
{
	buf_putc(out, '{');
	posting_json_members(p, POSTING_JSON_DESCRIPTION, out);
	buf_putc(out, '}');
}

static const char *json_str(struct arena *a, json_t *obj, const char *key, int *failed)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (!v || !*v)
		return NULL;
	char *copy = arena_strdup(a, v);
	if (!copy)
		*failed = 1;
	return copy;
}

static void json_fixed(json_t *obj, const char *key, char *out, size_t size)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (v && strlen(v) < size)
		memcpy(out, v, strlen(v) + 1);
}

int posting_from_json(struct arena *a, json_t *obj, struct posting *p)
{
	if (!json_is_object(obj))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	int failed = 0;
	p->title = json_str(a, obj, "title", &failed);
	p->company = json_str(a, obj, "company", &failed);
	json_t *loc = json_object_get(obj, "location");
	if (json_is_object(loc)) {
		p->location.raw = json_str(a, loc, "raw", &failed);
		p->location.locality = json_str(a, loc, "locality", &failed);
		p->location.region = json_str(a, loc, "region", &failed);
		json_fixed(loc, "country", p->location.country, sizeof(p->location.country));
	}
	(void)workplace_from_name(json_string_value(json_object_get(obj, "workplace")), &p->workplace);
	size_t i;
	json_t *t;
	json_array_foreach (json_object_get(obj, "employment_type"), i, t) {
		const char *name = json_string_value(t);
		p->employment_types |= employment_types_from_names(&name, 1);
	}
	json_t *sal = json_object_get(obj, "salary");
	if (json_is_object(sal)) {
		p->salary.present = true;
		json_t *min = json_object_get(sal, "min"), *max = json_object_get(sal, "max");
		p->salary.min = json_is_number(min) ? json_number_value(min) : 0;
		p->salary.max = json_is_number(max) ? json_number_value(max) : 0;
		json_fixed(sal, "currency", p->salary.currency, sizeof(p->salary.currency));
		(void)salary_period_from_name(json_string_value(json_object_get(sal, "period")), &p->salary.period);
	}
	json_fixed(obj, "date_posted", p->date_posted, sizeof(p->date_posted));
	json_fixed(obj, "valid_through", p->valid_through, sizeof(p->valid_through));
	p->description_html = json_str(a, obj, "description_html", &failed);
	p->description_text = json_str(a, obj, "description_text", &failed);
	p->apply_url = json_str(a, obj, "apply_url", &failed);
	p->url = json_str(a, obj, "url", &failed);
	p->source = json_str(a, obj, "source", &failed);
	p->external_id = json_str(a, obj, "external_id", &failed);
	return failed ? -ENOMEM : 0;
}

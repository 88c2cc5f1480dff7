/* sources/schema_salary — a schema.org JobPosting's pay: baseSalary, else
 * estimatedSalary. See schema.h.
 *
 * The forms met on career pages, all read:
 *   {"@type":"MonetaryAmount","currency":"USD","value":{"@type":"QuantitativeValue",
 *     "minValue":100000,"maxValue":150000,"unitText":"YEAR"}}
 *   {"currency":"EUR","value":52000,"unitText":"YEAR"}   (unit beside the value)
 *   {"currency":"GBP","value":{"value":"45,000"}}          (numbers as text)
 *   {"currency":"USD","value":"$90k - $105k"}              (a range as text)
 *   "€45.000 - 55.000 per year" or 52000                   (baseSalary as text or a number)
 *   estimatedSalary: a MonetaryAmountDistribution (median, percentile10/90,
 *     duration "P1Y") or an array of them
 * salaryCurrency on the posting fills in a missing currency. Amounts of 0
 * and below are treated as not stated. */
#include <math.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/sources/schema.h"

/* A currency written as a code, symbol or name ("USD", "$", "€"). */
static void currency_of(json_t *v, char out[4])
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (json_is_object(v))
		v = json_object_get(v, "@value");
	char cc[4];
	if (json_is_string(v) && currency_parse(json_string_value(v), cc, NULL) == 0)
		memcpy(out, cc, sizeof(cc));
}

/* unitText ("YEAR", "per hour", "MONTH") or an ISO 8601 duration ("P1Y", "PT1H"). */
static void period_of(json_t *v, enum salary_period *out)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (!json_is_string(v) || *out != SALARY_PERIOD_UNKNOWN)
		return;
	const char *s = json_string_value(v);
	static const struct {
		const char *iso;
		enum salary_period p;
	} iso[] = {
		{ "P1Y", SALARY_PERIOD_YEAR }, { "P1M", SALARY_PERIOD_MONTH }, { "P1W", SALARY_PERIOD_WEEK },
		{ "P1D", SALARY_PERIOD_DAY },  { "PT1H", SALARY_PERIOD_HOUR },
	};
	for (size_t i = 0; i < sizeof(iso) / sizeof(iso[0]); i++)
		if (strcmp(s, iso[i].iso) == 0) {
			*out = iso[i].p;
			return;
		}
	enum salary_period p;
	if (salary_period_parse(s, &p) == 0)
		*out = p;
}

static bool positive(json_t *v, double *out)
{
	return schema_number(v, out) && *out > 0 && *out < 1e12;
}

/* min/max/one value of a QuantitativeValue or distribution into s. */
static bool amounts(json_t *q, struct posting_salary *s)
{
	double lo = 0, hi = 0, one = 0;
	bool has_lo = positive(json_object_get(q, "minValue"), &lo);
	bool has_hi = positive(json_object_get(q, "maxValue"), &hi);
	if (!has_lo)
		has_lo = positive(json_object_get(q, "percentile10"), &lo) ||
			 positive(json_object_get(q, "percentile25"), &lo);
	if (!has_hi)
		has_hi = positive(json_object_get(q, "percentile90"), &hi) ||
			 positive(json_object_get(q, "percentile75"), &hi);
	if (!has_lo && !has_hi) {
		if (!positive(json_object_get(q, "value"), &one) && !positive(json_object_get(q, "median"), &one))
			return false;
		lo = hi = one;
	} else if (!has_lo) {
		lo = 0; /* "up to" */
	} else if (!has_hi) {
		hi = 0; /* "from" */
	}
	s->min = lo;
	s->max = hi;
	s->present = true;
	return true;
}

/* Free salary text, keeping what the structure already said. */
static bool from_text(const char *text, struct posting_salary *s)
{
	struct posting_salary t;
	if (!text || salary_parse_text(text, s->currency, &t) != 0)
		return false;
	if (s->period != SALARY_PERIOD_UNKNOWN && t.period == SALARY_PERIOD_UNKNOWN)
		t.period = s->period;
	*s = t;
	return true;
}

/* One MonetaryAmount (or distribution, number, text) into s. */
static bool amount(json_t *m, struct posting_salary *s)
{
	if (json_is_string(m))
		return from_text(json_string_value(m), s);
	if (json_is_number(m)) {
		double d;
		if (!positive(m, &d))
			return false;
		s->min = s->max = d;
		s->present = true;
		return true;
	}
	if (!json_is_object(m))
		return false;
	currency_of(json_object_get(m, "currency"), s->currency);
	period_of(json_object_get(m, "unitText"), &s->period);
	period_of(json_object_get(m, "duration"), &s->period);
	json_t *value = json_object_get(m, "value");
	if (json_is_array(value))
		value = json_array_get(value, 0);
	if (json_is_object(value)) {
		period_of(json_object_get(value, "unitText"), &s->period);
		if (json_object_get(value, "@value") && !json_object_get(value, "minValue"))
			return amount(json_object_get(value, "@value"), s);
		if (amounts(value, s))
			return true;
	} else if (json_is_string(value)) {
		double d;
		/* "120000" is one figure; "$90k - $105k" is a range in text. */
		if (positive(value, &d)) {
			s->min = s->max = d;
			s->present = true;
			return true;
		}
		return from_text(json_string_value(value), s);
	} else if (json_is_number(value)) {
		double d;
		if (positive(value, &d)) {
			s->min = s->max = d;
			s->present = true;
			return true;
		}
	}
	return amounts(m, s); /* minValue/maxValue, median … on the amount itself */
}

void schema_salary(json_t *posting, struct posting *p)
{
	static const char *const keys[] = { "baseSalary", "estimatedSalary" };
	for (size_t k = 0; k < 2; k++) {
		json_t *v = json_object_get(posting, keys[k]);
		for (size_t i = 0; i < schema_count(v); i++) {
			struct posting_salary s = { .present = false };
			currency_of(json_object_get(posting, "salaryCurrency"), s.currency);
			if (amount(schema_item(v, i), &s) && s.present) {
				if (s.min > 0 && s.max > 0 && s.min > s.max) {
					double t = s.min;
					s.min = s.max;
					s.max = t;
				}
				p->salary = s;
				return;
			}
		}
	}
}

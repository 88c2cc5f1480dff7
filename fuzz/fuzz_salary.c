/* Salary text as sources write it (Remotive's "salary", an HN header's pay
 * field, a structured amount or period): salary_parse_text with each kind
 * of default currency, salary_parse_amount, salary_parse_cents,
 * salary_from_cents (the input cut in two at a comma), salary_period_parse,
 * currency_parse, employment_parse and normalize_text_ws. A parsed salary
 * is present, finite, non-negative, bounded, ordered (min ≤ max unless max
 * is an open end) and carries a well-formed currency code. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "scrape/normalize.h"

static bool code_ok(const char *code)
{
	if (!code[0])
		return true;
	if (strlen(code) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	return true;
}

static bool amount_ok(double v)
{
	return isfinite(v) && v >= 0 && v <= 1e10;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const defaults[] = { "", "EUR", "NOK", "xx" };
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	if (s) {
		struct posting_salary sal;
		int rc = salary_parse_text(s, defaults[size % 4], &sal);
		if (rc != 0 && rc != -ENOENT)
			abort();
		if (rc == 0) {
			if (!sal.present || !amount_ok(sal.min) || !amount_ok(sal.max))
				abort();
			if (sal.max != 0 && sal.min > sal.max)
				abort();
			if (sal.min == 0 && sal.max == 0)
				abort();
			if (!code_ok(sal.currency) || sal.period < SALARY_PERIOD_UNKNOWN ||
			    sal.period > SALARY_PERIOD_YEAR)
				abort();
		}
		double v;
		if (salary_parse_amount(s, &v) == 0 && (!isfinite(v) || v < 0))
			abort();
		if (salary_parse_cents(s, &v) == 0 && !amount_ok(v))
			abort();
		char *comma = strchr(s, ',');
		const char *max_text = comma ? comma + 1 : NULL;
		if (comma)
			*comma = '\0';
		if (salary_from_cents(s, max_text, max_text, s, &sal) == 0 &&
		    (!sal.present || !amount_ok(sal.min) || !amount_ok(sal.max) || (sal.min == 0 && sal.max == 0) ||
		     (sal.max != 0 && sal.min > sal.max) || !code_ok(sal.currency)))
			abort();
		if (comma)
			*comma = ',';
		enum salary_period p;
		if (salary_period_parse(s, &p) == 0 && (p < SALARY_PERIOD_HOUR || p > SALARY_PERIOD_YEAR))
			abort();
		char code[4];
		size_t used;
		if (currency_parse(s, code, &used) == 0 &&
		    (!code_ok(code) || !code[0] || used == 0 || used > strlen(s)))
			abort();
		if (employment_parse(s) >= 1u << EMPLOYMENT_TYPE_COUNT)
			abort();
		(void)salary_yearly(size, (enum salary_period)(size % 6));

		/* normalize_text_ws: no space at either end, none doubled, and a fixed point. */
		size_t n = normalize_text_ws(s);
		if (n != strlen(s) || (n && (s[0] == ' ' || s[n - 1] == ' ')) || strstr(s, "  "))
			abort();
		char *again = arena_strdup(&a, s);
		if (again && (normalize_text_ws(again) != n || strcmp(again, s)))
			abort();
	}
	arena_free(&a);
	return 0;
}

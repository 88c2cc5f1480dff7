/* Unit tests for src/scrape/normalize: salaries, amounts, periods and
 * currencies; dates; locations and countries; employment types and
 * workplace words. Each table is a specification: one row, one way a
 * source writes a value (the recorded payloads of every source in
 * docs/sources.md §17 and the messier variants of the open web), and what it
 * must become. A table reports every row that fails, then fails once. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/text.h"
#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

#define NOW      ((time_t)1790337600) /* 2026-09-25T12:00:00Z */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define Y    SALARY_PERIOD_YEAR
#define MO   SALARY_PERIOD_MONTH
#define W    SALARY_PERIOD_WEEK
#define D    SALARY_PERIOD_DAY
#define H    SALARY_PERIOD_HOUR
#define U    SALARY_PERIOD_UNKNOWN
#define NONE (-ENOENT)

static int failures;

static void failed(const char *what, const char *input, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void failed(const char *what, const char *input, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "  %s(\"%s\"): ", what, input);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

static bool near(double a, double b)
{
	return fabs(a - b) < 0.001;
}

/* ---- salary text ----------------------------------------------------------- */

struct salary_case {
	const char *text;
	const char *default_currency;
	int rc;
	double min, max;
	const char *currency;
	enum salary_period period;
};

static const struct salary_case salary_cases[] = {
	/* recorded: Remotive, fourdayweek, HN, breezy, Ashby summaries */
	{ "$90k - $105k", "", 0, 90000, 105000, "USD", U },
	{ "$244k - $279k", "", 0, 244000, 279000, "USD", U },
	{ "€75k–110k", "", 0, 75000, 110000, "EUR", U },
	{ "$150 - 210K USD + equity", "", 0, 150000, 210000, "USD", U },
	{ "$81K – $87K • 0.5% – 1.75%", "", 0, 81000, 87000, "USD", U },
	{ "$0.05 – $0.06 / hour", "", NONE, 0, 0, "", U },
	{ "$1 – $5 / year", "", NONE, 0, 0, "", U },
	{ "", "", NONE, 0, 0, "", U },
	/* the header's examples */
	{ "$120k–$150k", "", 0, 120000, 150000, "USD", U },
	{ "€45.000 - 55.000 per year", "", 0, 45000, 55000, "EUR", Y },
	{ "£30,000 - £35,000 a year", "", 0, 30000, 35000, "GBP", Y },
	{ "USD 100000", "", 0, 100000, 100000, "USD", U },
	{ "$42.50/hr", "", 0, 42.5, 42.5, "USD", H },
	{ "up to 90k", "", 0, 0, 90000, "", U },
	{ "from 3.750 € brutto/Monat", "", 0, 3750, 0, "EUR", MO },
	{ "80 000 – 95 000 SEK/year", "", 0, 80000, 95000, "SEK", Y },
	{ "Competitive", "", NONE, 0, 0, "", U },
	/* separators and spaces */
	{ "80\u00a0000 – 95\u00a0000 kr", "", 0, 80000, 95000, "SEK", U },
	{ "80\u202f000 - 95\u202f000 EUR", "", 0, 80000, 95000, "EUR", U },
	{ "CHF 100'000 – 120'000", "", 0, 100000, 120000, "CHF", U },
	{ "$120,000.00 - $150,000.00 USD per year", "", 0, 120000, 150000, "USD", Y },
	{ "45.000,50 € p.a.", "", 0, 45000.5, 45000.5, "EUR", Y },
	{ "1.234.567 VND", "", 0, 1234567, 1234567, "VND", U },
	{ "₹12,00,000 - ₹18,00,000 per annum", "", 0, 1200000, 1800000, "INR", Y },
	{ "€3.5k-4k/month", "", 0, 3500, 4000, "EUR", MO },
	{ "1,5k € pro Monat", "", 0, 1500, 1500, "EUR", MO },
	/* suffix on one figure only */
	{ "$120-150k", "", 0, 120000, 150000, "USD", U },
	{ "100k-120 USD", "", 0, 100000, 120000, "USD", U },
	{ "12-18 LPA", "INR", 0, 1200000, 1800000, "INR", Y },
	{ "€1.2M - €1.5M", "", 0, 1200000, 1500000, "EUR", U },
	/* currency after the figure */
	{ "45.000 €", "", 0, 45000, 45000, "EUR", U },
	{ "3750 EUR", "", 0, 3750, 3750, "EUR", U },
	{ "5000 zł brutto miesięcznie", "", 0, 5000, 5000, "PLN", MO },
	{ "100 000 kr/mån", "", 0, 100000, 100000, "SEK", MO },
	{ "45k€", "", 0, 45000, 45000, "EUR", U },
	/* range words */
	{ "$80k to $100k", "", 0, 80000, 100000, "USD", U },
	{ "Between $80k and $100k", "", 0, 80000, 100000, "USD", U },
	{ "von 50.000 bis 60.000 € im Jahr", "", 0, 50000, 60000, "EUR", Y },
	{ "de 40k à 50k € par an", "", 0, 40000, 50000, "EUR", Y },
	{ "R$ 8.000 a R$ 10.000 por mês", "", 0, 8000, 10000, "BRL", MO },
	{ "100k~150k JPY", "", 0, 100000, 150000, "JPY", U },
	/* periods */
	{ "£50k pa", "", 0, 50000, 50000, "GBP", Y },
	{ "£400 - £500 per day", "", 0, 400, 500, "GBP", D },
	{ "$25 an hour", "", 0, 25, 25, "USD", H },
	{ "$30 hourly", "", 0, 30, 30, "USD", H },
	{ "€1,200 per week", "", 0, 1200, 1200, "EUR", W },
	{ "$65-$75/hr", "", 0, 65, 75, "USD", H },
	{ "Annual salary: $100k", "", 0, 100000, 100000, "USD", Y },
	{ "45.000 €/a", "", 0, 45000, 45000, "EUR", Y },
	{ "£55,000 per annum + benefits", "", 0, 55000, 55000, "GBP", Y },
	{ "$50K-$70K/yr + equity", "", 0, 50000, 70000, "USD", Y },
	/* open ends */
	{ "$100k+", "", 0, 100000, 0, "USD", U },
	{ "Up to £60,000", "", 0, 0, 60000, "GBP", U },
	{ "bis 60.000 €", "", 0, 0, 60000, "EUR", U },
	{ "Starting at $70,000", "", 0, 70000, 0, "USD", U },
	{ "$80,000 + bonus", "", 0, 80000, 80000, "USD", U },
	/* no salary stated */
	{ "DOE", "", NONE, 0, 0, "", U },
	{ "Negotiable", "USD", NONE, 0, 0, "", U },
	{ "Competitive salary + 401k", "", NONE, 0, 0, "", U },
	{ "Competitive + 401(k) match", "", NONE, 0, 0, "", U },
	{ "2026", "", NONE, 0, 0, "", U },
	{ "5+ years experience", "", NONE, 0, 0, "", U },
	{ "40 hours per week", "", NONE, 0, 0, "", U },
	{ "4 day week", "", NONE, 0, 0, "", U },
	{ "0.5% – 1.75% equity", "", NONE, 0, 0, "", U },
	{ "Top 10 company", "", NONE, 0, 0, "", U },
	{ "6m contract", "", NONE, 0, 0, "", U },
	{ "$0", "", NONE, 0, 0, "", U },
	{ "0", "", NONE, 0, 0, "", U },
	{ "99999999999999999999", "", NONE, 0, 0, "", U },
	/* not salaries, then a salary */
	{ "Posted 2026-09-18, pay $95k", "", 0, 95000, 95000, "USD", U },
	{ "2026: €60k", "", 0, 60000, 60000, "EUR", U },
	{ "401k plus $120k base", "", 0, 120000, 120000, "USD", U },
	/* the default currency and "kr" */
	{ "100000", "EUR", 0, 100000, 100000, "EUR", U },
	{ "50,000 - 60,000", "", 0, 50000, 60000, "", U },
	{ "45 000 kr", "NOK", 0, 45000, 45000, "NOK", U },
	{ "45 000 kr", "", 0, 45000, 45000, "SEK", U },
	{ "$90k", "EUR", 0, 90000, 90000, "USD", U },
	{ "90k", "xx", 0, 90000, 90000, "", U },
	/* several currencies: the first */
	{ "€50k (~$55k)", "", 0, 50000, 50000, "EUR", U },
	{ "Salary (EUR): 50.000 - 60.000", "", 0, 50000, 60000, "EUR", U },
	/* reversed ranges, absurd values */
	{ "$150k - $120k", "", 0, 120000, 150000, "USD", U },
	{ "$999999999999", "", NONE, 0, 0, "", U },
	{ "€2 per month", "", NONE, 0, 0, "", U },
	/* other currencies */
	{ "¥5,000,000", "", 0, 5000000, 5000000, "JPY", U },
	{ "A$120k", "", 0, 120000, 120000, "AUD", U },
	{ "C$95,000", "", 0, 95000, 95000, "CAD", U },
	{ "R 50 000 per month", "", 0, 50000, 50000, "ZAR", MO },
	{ "25,000,000 - 35,000,000 VND/month", "", 0, 25000000, 35000000, "VND", MO },
	{ "usd 120k", "", 0, 120000, 120000, "USD", U },
	{ "120000 dollars a year", "", 0, 120000, 120000, "USD", Y },
	{ "¥5,000,000~¥8,000,000/年", "", 0, 5000000, 8000000, "JPY", Y },
	/* job-board phrasing */
	{ "USD$100,000.00 to USD$120,000.00 per annum", "", 0, 100000, 120000, "USD", Y },
	{ "1 234 567,89 €", "", 0, 1234567.89, 1234567.89, "EUR", U },
	{ "80k - 100k (DOE)", "", 0, 80000, 100000, "", U },
	{ "$20 - $25 per hour, 40 hours per week", "", 0, 20, 25, "USD", H },
	{ "€45.000,- brutto", "", 0, 45000, 45000, "EUR", U },
	{ "Gehalt: 55.000 - 65.000 EUR", "", 0, 55000, 65000, "EUR", U },
	{ "65.000€ - 75.000€", "", 0, 65000, 75000, "EUR", U },
	{ "£350-£450/day outside IR35", "", 0, 350, 450, "GBP", D },
	{ "10 000 - 15 000 PLN netto B2B", "", 0, 10000, 15000, "PLN", U },
	{ "$150k OTE", "", 0, 150000, 150000, "USD", U },
	{ "1.5 lakh per month", "INR", 0, 150000, 150000, "INR", MO },
	{ "INR 25 LPA", "", 0, 2500000, 2500000, "INR", Y },
	{ "$90k-$110k, 3 weeks PTO", "", 0, 90000, 110000, "USD", U },
	{ "Salary 2026: competitive", "", NONE, 0, 0, "", U },
	{ "Series B, raised $50M", "", NONE, 0, 0, "", U },
	{ "$2M ARR, hiring at $140k", "", 0, 140000, 140000, "USD", U },
	{ "$10M in funding; 250 employees", "", NONE, 0, 0, "", U },
};

static void test_salary_text(void **state)
{
	(void)state;
	failures = 0;
	for (size_t i = 0; i < COUNT(salary_cases); i++) {
		const struct salary_case *c = &salary_cases[i];
		struct posting_salary s;
		memset(&s, 0xAB, sizeof(s));
		int rc = salary_parse_text(c->text, c->default_currency, &s);
		if (rc != c->rc) {
			failed("salary_parse_text", c->text, "rc %d, want %d (min %g max %g)", rc, c->rc,
			       rc == 0 ? s.min : 0, rc == 0 ? s.max : 0);
			continue;
		}
		if (rc)
			continue;
		if (!s.present || !near(s.min, c->min) || !near(s.max, c->max) || strcmp(s.currency, c->currency) ||
		    s.period != c->period)
			failed("salary_parse_text", c->text, "got %s %g–%g %s %d, want %g–%g %s %d",
			       s.present ? "present" : "absent", s.min, s.max, s.currency, (int)s.period, c->min,
			       c->max, c->currency, (int)c->period);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(salary_parse_text(NULL, "", &(struct posting_salary){ 0 }), -ENOENT);
}

/* ---- amounts, periods, currencies ------------------------------------------ */

struct amount_case {
	const char *text;
	int rc;
	double value;
};

/* Runs an amount reader over a table; NULL must be refused too. */
static void check_amounts(const char *what, int (*read)(const char *, double *), const struct amount_case *cases,
			  size_t n)
{
	failures = 0;
	for (size_t i = 0; i < n; i++) {
		double v = -1;
		int rc = read(cases[i].text, &v);
		if (rc != cases[i].rc || (rc == 0 && !near(v, cases[i].value)))
			failed(what, cases[i].text, "rc %d value %g", rc, v);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(read(NULL, &(double){ 0 }), -EINVAL);
}

static void test_salary_amount(void **state)
{
	(void)state;
	static const struct amount_case cases[] = {
		{ "120000", 0, 120000 },
		{ "$100,000", 0, 100000 },
		{ "100.000,00", 0, 100000 },
		{ "85k", 0, 85000 },
		{ "130000", 0, 130000 },
		{ "3750", 0, 3750 },
		{ "42.50", 0, 42.5 },
		{ " 1 234 567 ", 0, 1234567 },
		{ "1,234.56", 0, 1234.56 },
		{ "1.234,56 €", 0, 1234.56 },
		{ "0", 0, 0 },
		{ "EUR 5.250", 0, 5250 },
		{ "12,34,567", 0, 1234567 },
		{ "2.5M", 0, 2500000 },
		{ "100'000", 0, 100000 },
		{ "", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
		{ "-5", -EINVAL, 0 },
		{ "12 apples", -EINVAL, 0 },
		{ "1.2.3.4.5.6.7.8.9.10", -EINVAL, 0 },
		{ "12345678901234567", -EINVAL, 0 },
		{ "$", -EINVAL, 0 },
	};
	check_amounts("salary_parse_amount", salary_parse_amount, cases, COUNT(cases));
}

/* Amounts in cents (Greenhouse's pay_input_ranges) and ranges made of them. */
static void test_salary_cents(void **state)
{
	(void)state;
	static const struct amount_case amounts[] = {
		{ "12000000", 0, 120000 },
		{ " 5000000 ", 0, 50000 },
		{ "4250", 0, 42.5 },
		{ "12,000,000", 0, 120000 },
		{ "12000000.00", 0, 120000 },
		{ "99", 0, 0.99 },
		{ "0", 0, 0 },
		{ "120000.5", -EINVAL, 0 }, /* half a cent */
		{ "120k", -EINVAL, 0 },     /* a suffix: not how cents are written */
		{ "$120000", -EINVAL, 0 },  /* a currency: units, not cents */
		{ "-5000", -EINVAL, 0 },
		{ "999999999999", 0, 9999999999.99 },
		{ "1000000000000", -EINVAL, 0 }, /* 1e10 units: no pay */
		{ "1.2.3.4.5.6.7.8.9.10", -EINVAL, 0 },
		{ "5000 cents", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	check_amounts("salary_parse_cents", salary_parse_cents, amounts, COUNT(amounts));

	static const struct {
		const char *min, *max, *currency, *label;
		int rc;
		double lo, hi;
		const char *cur;
		enum salary_period period;
	} ranges[] = {
		{ "5000000", "7500000", "USD", "Annual base salary", 0, 50000, 75000, "USD", Y },
		{ "4500", "5200", "eur", "Hourly rate", 0, 45, 52, "EUR", H },
		{ "7500000", "5000000", "GBP", NULL, 0, 50000, 75000, "GBP", U }, /* reversed */
		{ NULL, "9000000", "$", "Zone 1 pay range", 0, 0, 90000, "USD", U },
		{ "6000000", "bogus", "CAD", "per year", 0, 60000, 0, "CAD", Y },
		{ "6000000", NULL, "XYZ", "Monthly", 0, 60000, 0, "", MO },
		{ "0", "0", "USD", "Annual", NONE, 0, 0, "", U },
		{ NULL, NULL, "USD", NULL, NONE, 0, 0, "", U },
		{ "12k", "15k", "USD", NULL, NONE, 0, 0, "", U },
	};
	for (size_t i = 0; i < COUNT(ranges); i++) {
		struct posting_salary s = { 0 };
		int rc = salary_from_cents(ranges[i].min, ranges[i].max, ranges[i].currency, ranges[i].label, &s);
		if (rc != ranges[i].rc ||
		    (rc == 0 && (!s.present || !near(s.min, ranges[i].lo) || !near(s.max, ranges[i].hi) ||
				 strcmp(s.currency, ranges[i].cur) != 0 || s.period != ranges[i].period)))
			failed("salary_from_cents", ranges[i].min ? ranges[i].min : "(null)",
			       "rc %d %g-%g %s period %d", rc, s.min, s.max, s.currency, (int)s.period);
	}
	assert_int_equal(failures, 0);
}

static void test_salary_period(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		enum salary_period period;
	} cases[] = {
		{ "YEAR", 0, Y },
		{ "HOUR", 0, H },
		{ "DAY", 0, D },
		{ "WEEK", 0, W },
		{ "MONTH", 0, MO },
		{ "per-year-salary", 0, Y },
		{ "per-month-salary", 0, MO },
		{ "per-week-salary", 0, W },
		{ "per-day-wage", 0, D },
		{ "per-hour-wage", 0, H },
		{ "1 YEAR", 0, Y },
		{ "1 HOUR", 0, H },
		{ "month", 0, MO },
		{ "year", 0, Y },
		{ "yearly", 0, Y },
		{ "monthly", 0, MO },
		{ "annual", 0, Y },
		{ "hourly", 0, H },
		{ "hr", 0, H },
		{ "/hour", 0, H },
		{ "p.a.", 0, Y },
		{ "Monthly salary", 0, MO },
		{ "per annum", 0, Y },
		{ "45k/yr", 0, Y },
		{ "NONE", NONE, U },
		{ "one-time", NONE, U },
		{ "", NONE, U },
		{ "years", NONE, U },
		{ "N/A", NONE, U },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		enum salary_period p = U;
		int rc = salary_period_parse(cases[i].text, &p);
		if (rc != cases[i].rc || (rc == 0 && p != cases[i].period))
			failed("salary_period_parse", cases[i].text, "rc %d period %d", rc, (int)p);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(salary_period_parse(NULL, &(enum salary_period){ U }), -ENOENT);
}

static void test_currency(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		const char *code;
		size_t used;
	} cases[] = {
		{ "$", 0, "USD", 1 },      { "US$ 5", 0, "USD", 3 },  { "€", 0, "EUR", 3 },      { "EUR", 0, "EUR", 3 },
		{ "£", 0, "GBP", 2 },      { "CHF", 0, "CHF", 3 },    { "zł", 0, "PLN", 3 },     { "kr", 0, "SEK", 2 },
		{ "R$", 0, "BRL", 2 },     { "A$", 0, "AUD", 2 },     { "₹", 0, "INR", 3 },      { "usd", 0, "USD", 3 },
		{ "USD100", 0, "USD", 3 }, { " €", 0, "EUR", 4 },     { "NOK", 0, "NOK", 3 },    { "ISK", 0, "ISK", 3 },
		{ "euros", 0, "EUR", 5 },  { "R 5", 0, "ZAR", 1 },    { "EURO", 0, "EUR", 4 },   { "CN¥", 0, "CNY", 4 },
		{ "¥", 0, "JPY", 2 },      { "europe", NONE, "", 0 }, { "all", NONE, "", 0 },    { "R&D", NONE, "", 0 },
		{ "", NONE, "", 0 },       { "XYZ", NONE, "", 0 },    { "krakow", NONE, "", 0 },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char code[4] = "";
		size_t used = 0;
		int rc = currency_parse(cases[i].text, code, &used);
		if (rc != cases[i].rc || (rc == 0 && (strcmp(code, cases[i].code) || used != cases[i].used)))
			failed("currency_parse", cases[i].text, "rc %d code %s used %zu", rc, code, used);
	}
	assert_int_equal(failures, 0);
	char code[4];
	assert_int_equal(currency_parse("$", code, NULL), 0); /* used may be NULL */
}

static void test_salary_yearly(void **state)
{
	(void)state;
	assert_true(near(salary_yearly(50, SALARY_PERIOD_HOUR), 104000));
	assert_true(near(salary_yearly(400, SALARY_PERIOD_DAY), 104000));
	assert_true(near(salary_yearly(2000, SALARY_PERIOD_WEEK), 104000));
	assert_true(near(salary_yearly(5000, SALARY_PERIOD_MONTH), 60000));
	assert_true(near(salary_yearly(90000, SALARY_PERIOD_YEAR), 90000));
	assert_true(near(salary_yearly(90000, SALARY_PERIOD_UNKNOWN), 90000));
}

/* ---- dates ------------------------------------------------------------------ */

struct date_case {
	const char *text;
	int rc;
	const char *day;
};

static const struct date_case date_cases[] = {
	/* recorded */
	{ "2026-09-24T13:34:54-04:00", 0, "2026-09-24" },
	{ "2021-04-27T20:13:45.158+00:00", 0, "2021-04-27" },
	{ "2026-09-25T14:49:00.552Z", 0, "2026-09-25" },
	{ "2026-09-18 13:27:28 UTC", 0, "2026-09-18" },
	{ "2026-09-18T16:43:22", 0, "2026-09-18" },
	{ "Fri, 11 Sep 2026 07:30:48 +0000", 0, "2026-09-11" },
	{ "Sun, 25 Oct 2026 00:33:21 +0000", 0, "2026-10-25" },
	{ "Posted 4 Days Ago", 0, "2026-09-21" },
	{ "Posted 30+ Days Ago", 0, "2026-08-26" },
	{ "Posted Today", 0, "2026-09-25" },
	{ "Posted Yesterday", 0, "2026-09-24" },
	{ "2026-09-15", 0, "2026-09-15" },
	{ "2026-5-15", 0, "2026-05-15" },
	{ "1790265606", 0, "2026-09-24" },
	{ "1782214185805", 0, "2026-06-23" },
	{ "2026-09-24T16:00:06+00:00", 0, "2026-09-24" },
	{ "2026-09-25T02:36:13-04:00", 0, "2026-09-25" },
	/* offsets move the day */
	{ "2026-09-24T22:00:00-04:00", 0, "2026-09-25" },
	{ "2026-09-25T01:00:00+05:30", 0, "2026-09-24" },
	{ "2026-12-31T23:30:00-01:00", 0, "2027-01-01" },
	{ "Thu, 10 Sep 2026 21:30:33 -0500", 0, "2026-09-11" },
	{ "Fri, 11 Sep 2026 01:00:00 EDT", 0, "2026-09-11" },
	{ "Fri, 11 Sep 2026 23:00:00 PST", 0, "2026-09-12" },
	/* other shapes */
	{ "2026/09/18", 0, "2026-09-18" },
	{ "2026.09.18", 0, "2026-09-18" },
	{ "20260918", 0, "2026-09-18" },
	{ "18.09.2026", 0, "2026-09-18" },
	{ "01.02.2026", 0, "2026-02-01" },
	{ "18/09/2026", 0, "2026-09-18" },
	{ "09/18/2026", 0, "2026-09-18" },
	{ "Sep 11, 2026", 0, "2026-09-11" },
	{ "September 11th, 2026", 0, "2026-09-11" },
	{ "11 September 2026", 0, "2026-09-11" },
	{ "11-Sep-2026", 0, "2026-09-11" },
	{ "Sept. 3 2026", 0, "2026-09-03" },
	{ "11 Sep 26", 0, "2026-09-11" },
	{ "Posted on 2026-09-18", 0, "2026-09-18" },
	{ "  2026-09-18  ", 0, "2026-09-18" },
	{ "2026-09-18Z", 0, "2026-09-18" },
	{ "2026-09-18T10:00Z", 0, "2026-09-18" },
	{ "Sep 11, 2026 10:30 PM", 0, "2026-09-11" },
	/* relative */
	{ "Yesterday", 0, "2026-09-24" },
	{ "today", 0, "2026-09-25" },
	{ "just now", 0, "2026-09-25" },
	{ "Just posted", 0, "2026-09-25" },
	{ "2 weeks ago", 0, "2026-09-11" },
	{ "an hour ago", 0, "2026-09-25" },
	{ "13 hours ago", 0, "2026-09-24" },
	{ "1 month ago", 0, "2026-08-26" },
	{ "3 months ago", 0, "2026-06-27" },
	{ "a year ago", 0, "2025-09-25" },
	{ "Reposted 5 days ago", 0, "2026-09-20" },
	{ "Active 2 days ago", 0, "2026-09-23" },
	{ "over 2 weeks ago", 0, "2026-09-11" },
	{ "5d ago", 0, "2026-09-20" },
	{ "Posted More Than 30 Days Ago", 0, "2026-08-26" },
	{ "Mon, 1 Jan 2024 00:00:00 GMT", 0, "2024-01-01" },
	{ "Tue, 15 Sep 2026 23:00:00 GMT-2", 0, "2026-09-16" },
	{ "2026-09-18T13:27:28+0000", 0, "2026-09-18" },
	{ "2026-09-18T23:27:28.000Z (UTC)", 0, "2026-09-18" },
	{ "Fri Sep 11 2026", 0, "2026-09-11" },
	{ "1790265606.5", 0, "2026-09-24" },
	/* refused */
	{ "2026-02-30", -EINVAL, "" },
	{ "2026-02-29", -EINVAL, "" },
	{ "2028-02-29", 0, "2028-02-29" },
	{ "2026-13-01", -EINVAL, "" },
	{ "2026-00-10", -EINVAL, "" },
	{ "1989-12-31", -EINVAL, "" },
	{ "2101-01-01", -EINVAL, "" },
	{ "2100-12-31", 0, "2100-12-31" },
	{ "0001-01-01T00:00:00Z", -EINVAL, "" },
	{ "2026-09-18T25:00:00Z", -EINVAL, "" },
	{ "2026-09-18T10:61", -EINVAL, "" },
	{ "01/02/2026", -EINVAL, "" },
	{ "30 Feb 2026", -EINVAL, "" },
	{ "", -EINVAL, "" },
	{ "soon", -EINVAL, "" },
	{ "2026-09-18 and more", -EINVAL, "" },
	{ "5 Locations", -EINVAL, "" },
	{ "in 3 days", -EINVAL, "" },
	{ "100000 years ago", -EINVAL, "" },
	{ "123", -EINVAL, "" },
	{ "99999999999999999", -EINVAL, "" },
	{ "Sep 2026", -EINVAL, "" },
};

static void test_date_parse(void **state)
{
	(void)state;
	failures = 0;
	for (size_t i = 0; i < COUNT(date_cases); i++) {
		const struct date_case *c = &date_cases[i];
		char out[11] = "untouched";
		int rc = date_parse(c->text, NOW, out);
		if (rc != c->rc)
			failed("date_parse", c->text, "rc %d (%s), want %d", rc, out, c->rc);
		else if (rc == 0 && strcmp(out, c->day))
			failed("date_parse", c->text, "got %s, want %s", out, c->day);
		else if (rc != 0 && strcmp(out, "untouched"))
			failed("date_parse", c->text, "refused but wrote %s", out);
	}
	assert_int_equal(failures, 0);
	char out[11];
	assert_int_equal(date_parse(NULL, NOW, out), -EINVAL);
}

static void test_date_from_epoch(void **state)
{
	(void)state;
	static const struct {
		double epoch;
		int rc;
		const char *day;
	} cases[] = {
		{ 1790265606, 0, "2026-09-24" },
		{ 1782214185805.0, 0, "2026-06-23" },
		{ 1790412915, 0, "2026-09-26" },
		{ 1790397080.9, 0, "2026-09-26" },
		{ 631152000, 0, "1990-01-01" },
		{ 631151999, -EINVAL, "" },
		{ 4133980799.0, 0, "2100-12-31" },
		{ 4133980800.0, -EINVAL, "" },
		{ 0, -EINVAL, "" },
		{ -1, -EINVAL, "" },
		{ NAN, -EINVAL, "" },
		{ INFINITY, -EINVAL, "" },
		{ 1e300, -EINVAL, "" },
		{ 95617584000.0, -EINVAL, "" },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char out[11] = "";
		int rc = date_from_epoch(cases[i].epoch, out);
		char text[40];
		snprintf(text, sizeof(text), "%.1f", cases[i].epoch);
		if (rc != cases[i].rc || (rc == 0 && strcmp(out, cases[i].day)))
			failed("date_from_epoch", text, "rc %d day %s", rc, out);
	}
	assert_int_equal(failures, 0);
}

/* ---- locations -------------------------------------------------------------- */

struct location_case {
	const char *raw;
	const char *locality, *region, *country;
	enum workplace workplace;
};

#define WU WORKPLACE_UNKNOWN
#define WR WORKPLACE_REMOTE
#define WH WORKPLACE_HYBRID
#define WO WORKPLACE_ONSITE

static const struct location_case location_cases[] = {
	/* recorded */
	{ "San Francisco, CA", "San Francisco", "CA", "US", WU },
	{ "London, England, United Kingdom", "London", "England", "GB", WU },
	{ "Hybrid - London", "London", NULL, "", WH },
	{ "Utrecht, Utrecht, Netherlands", "Utrecht", "Utrecht", "NL", WU },
	{ "Paris, IDF, France", "Paris", "IDF", "FR", WU },
	{ "Montreal, QC, Canada", "Montreal", "QC", "CA", WU },
	{ "Europe", NULL, NULL, "", WU },
	{ "North America", NULL, NULL, "", WU },
	{ "Remote (Europe)", NULL, NULL, "", WR },
	{ "Anywhere in the World", NULL, NULL, "", WU },
	{ "North America Only", NULL, NULL, "", WU },
	{ "USA, Canada, Argentina, Mexico, Peru", NULL, NULL, "", WU },
	{ "USA", NULL, NULL, "US", WU },
	{ "Remote, USA Only", NULL, NULL, "US", WR },
	{ "Brazil", NULL, NULL, "BR", WU },
	{ "Berlin, Berlin", "Berlin", "Berlin", "", WU },
	{ "Chaos, FL", "Chaos", "FL", "US", WU },
	{ "New York, NY", "New York", "NY", "US", WU },
	{ "Ho Chi Minh", "Ho Chi Minh", NULL, "", WU },
	{ "EMEA,  LATAM,  Canada,  USA", NULL, NULL, "", WU },
	{ "Worldwide", NULL, NULL, "", WU },
	{ "5 Locations", NULL, NULL, "", WU },
	{ "Remote, PT/ET hours preferred", NULL, NULL, "", WR },
	{ "Utrecht, The Netherlands", "Utrecht", NULL, "NL", WU },
	{ "", NULL, NULL, "", WU },
	/* the header's examples and workplace words */
	{ "Remote - US", NULL, NULL, "US", WR },
	{ "Remote in Germany", NULL, NULL, "DE", WR },
	{ "Germany (Remote)", NULL, NULL, "DE", WR },
	{ "Berlin (Hybrid)", "Berlin", NULL, "", WH },
	{ "On-site - Munich, Germany", "Munich", NULL, "DE", WO },
	{ "London or Remote", "London", NULL, "", WR },
	{ "US-based", NULL, NULL, "US", WU },
	{ "Fully Remote", NULL, NULL, "", WR },
	{ "Remote (US)", NULL, NULL, "US", WR },
	/* regions */
	{ "Austin, TX", "Austin", "TX", "US", WU },
	{ "Toronto, ON", "Toronto", "ON", "CA", WU },
	{ "Sydney, NSW", "Sydney", "NSW", "AU", WU },
	{ "Sydney, NSW, Australia", "Sydney", "NSW", "AU", WU },
	{ "Austin, Texas", "Austin", "Texas", "US", WU },
	{ "Texas, USA", NULL, "Texas", "US", WU },
	{ "Ontario, Canada", NULL, "Ontario", "CA", WU },
	{ "California", NULL, "California", "US", WU },
	{ "Washington, D.C.", "Washington", "D.C", "US", WU },
	{ "San Francisco, California, United States", "San Francisco", "California", "US", WU },
	/* ambiguous codes and names */
	{ "Wilmington, DE", "Wilmington", "DE", "US", WU },
	{ "Berlin, DE", "Berlin", NULL, "DE", WU },
	{ "Indianapolis, IN", "Indianapolis", "IN", "US", WU },
	{ "Bangalore, IN", "Bangalore", NULL, "IN", WU },
	{ "Vancouver, CA", "Vancouver", NULL, "CA", WU },
	{ "Amsterdam, NL", "Amsterdam", NULL, "NL", WU },
	{ "St. John's, NL", "St. John's", "NL", "CA", WU },
	{ "Perth, WA", "Perth", "WA", "AU", WU },
	{ "Seattle, WA", "Seattle", "WA", "US", WU },
	{ "Adelaide, SA", "Adelaide", "SA", "AU", WU },
	{ "CA", NULL, NULL, "CA", WU },
	{ "Georgia", NULL, NULL, "GE", WU },
	{ "Tbilisi, Georgia", "Tbilisi", NULL, "GE", WU },
	{ "Atlanta, Georgia", "Atlanta", "Georgia", "US", WU },
	{ "Georgia, USA", NULL, "Georgia", "US", WU },
	{ "Savannah, GA", "Savannah", "GA", "US", WU },
	/* countries by alias and native name */
	{ "Berlin, Deutschland", "Berlin", NULL, "DE", WU },
	{ "Madrid, España", "Madrid", NULL, "ES", WU },
	{ "Zürich, Schweiz", "Zürich", NULL, "CH", WU },
	{ "Genève, Suisse", "Genève", NULL, "CH", WU },
	{ "Wien, Österreich", "Wien", NULL, "AT", WU },
	{ "Kraków, Polska", "Kraków", NULL, "PL", WU },
	{ "Milano, Italia", "Milano", NULL, "IT", WU },
	{ "São Paulo, Brasil", "São Paulo", NULL, "BR", WU },
	{ "Ciudad de México, México", "Ciudad de México", NULL, "MX", WU },
	{ "Istanbul, Türkiye", "Istanbul", NULL, "TR", WU },
	{ "Istanbul, Turkey", "Istanbul", NULL, "TR", WU },
	{ "Prague, Czech Republic", "Prague", NULL, "CZ", WU },
	{ "Brno, Czechia", "Brno", NULL, "CZ", WU },
	{ "Seoul, Korea", "Seoul", NULL, "KR", WU },
	{ "Edinburgh, Scotland", "Edinburgh", "Scotland", "GB", WU },
	{ "Cardiff, Wales, UK", "Cardiff", "Wales", "GB", WU },
	{ "England", NULL, "England", "GB", WU },
	{ "Manchester, Great Britain", "Manchester", NULL, "GB", WU },
	{ "Remote - U.S.", NULL, NULL, "US", WR },
	{ "Denver, CO, United States of America", "Denver", "CO", "US", WU },
	{ "Amsterdam, Nederland", "Amsterdam", NULL, "NL", WU },
	{ "European Union", NULL, NULL, "", WU },
	{ "Dubai, UAE", "Dubai", NULL, "AE", WU },
	{ "Abidjan, Côte d'Ivoire", "Abidjan", NULL, "CI", WU },
	{ "Sarajevo, Bosnia & Herzegovina", "Sarajevo", NULL, "BA", WU },
	{ "🇺🇸 USA", NULL, NULL, "US", WU },
	{ "München, Bayern, DEU", "München", "Bayern", "DE", WU },
	/* several places: the first */
	{ "London / Berlin", "London", NULL, "", WU },
	{ "San Francisco, CA (HQ)", "San Francisco", "CA", "US", WU },
	{ "NYC; Remote", "NYC", NULL, "", WR },
	{ "Singapore", NULL, NULL, "SG", WU },
	{ "Stratford-upon-Avon, UK", "Stratford-upon-Avon", NULL, "GB", WU },
	{ "Hybrid (2 days/week), Berlin", "Berlin", NULL, "", WH },
	{ "Location: Berlin, Germany", "Berlin", NULL, "DE", WU },
	{ "US Remote", NULL, NULL, "US", WR },
	{ "Remote - USA (East Coast)", NULL, NULL, "US", WR },
	{ "Remote — Europe", NULL, NULL, "", WR },
	{ "Remote within EMEA", NULL, NULL, "", WR },
	{ "In-office: NYC", "NYC", NULL, "", WO },
	{ "Portland, OR", "Portland", "OR", "US", WU },
	{ "Boston, MA, USA", "Boston", "MA", "US", WU },
	{ "Mumbai, Maharashtra, India", "Mumbai", "Maharashtra", "IN", WU },
	{ "Kraków, Małopolskie, Polska", "Kraków", "Małopolskie", "PL", WU },
	{ "Toronto, Ontario, Canada", "Toronto", "Ontario", "CA", WU },
	{ "Munich, Bavaria", "Munich", "Bavaria", "", WU },
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void test_location_parse(void **state)
{
	(void)state;
	failures = 0;
	struct arena a;
	arena_init(&a, 0);
	for (size_t i = 0; i < COUNT(location_cases); i++) {
		const struct location_case *c = &location_cases[i];
		struct posting_location loc;
		enum workplace w = WORKPLACE_UNKNOWN;
		int rc = location_parse(&a, c->raw, &loc, &w);
		if (rc != 0) {
			failed("location_parse", c->raw, "rc %d", rc);
			continue;
		}
		if (!same(loc.locality, c->locality) || !same(loc.region, c->region) ||
		    strcmp(loc.country, c->country) || w != c->workplace || !loc.raw || strcmp(loc.raw, c->raw))
			failed("location_parse", c->raw, "got %s / %s / %s / %d, want %s / %s / %s / %d",
			       loc.locality ? loc.locality : "NULL", loc.region ? loc.region : "NULL", loc.country,
			       (int)w, c->locality ? c->locality : "NULL", c->region ? c->region : "NULL", c->country,
			       (int)c->workplace);
	}
	assert_int_equal(failures, 0);

	/* NULL raw, NULL workplace, and a workplace already known stays when the text names none. */
	struct posting_location loc;
	assert_int_equal(location_parse(&a, NULL, &loc, NULL), 0);
	assert_null(loc.raw);
	assert_null(loc.locality);
	assert_string_equal(loc.country, "");
	assert_int_equal(location_parse(&a, "Remote - US", &loc, NULL), 0);
	assert_string_equal(loc.country, "US");
	enum workplace w = WORKPLACE_ONSITE;
	assert_int_equal(location_parse(&a, "Berlin", &loc, &w), 0);
	assert_int_equal(w, WORKPLACE_ONSITE);
	arena_free(&a);

	/* Out of memory is reported. */
	struct arena tiny;
	arena_init(&tiny, 1);
	assert_int_equal(location_parse(&tiny, "Berlin, Germany", &loc, NULL), -ENOMEM);
	arena_free(&tiny);
}

static void test_location_long_and_odd_input(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct posting_location loc;
	assert_int_equal(location_parse(&a, big, &loc, NULL), 0);
	assert_string_equal(loc.raw, big);
	/* A multi-byte character across the bound is not cut in half. */
	for (size_t i = 0; i + 2 < sizeof(big); i += 2) {
		big[i] = (char)0xC3;
		big[i + 1] = (char)0xA9; /* é */
	}
	big[sizeof(big) - 2] = '\0';
	assert_int_equal(location_parse(&a, big, &loc, NULL), 0);
	assert_non_null(loc.locality);
	assert_true(text_utf8_valid(loc.locality, strlen(loc.locality)));
	const char *many_commas =
	    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p";
	assert_int_equal(location_parse(&a, many_commas, &loc, NULL), 0);
	assert_int_equal(location_parse(&a, "\xff\xfe, \xc3", &loc, NULL), 0);
	arena_free(&a);
}

/* ---- countries ---------------------------------------------------------------- */

/* A structured address's region as its country, the way the same place
 * written as text ("Austin, TX") is read; and the text agrees. */
static void test_location_region_country(void **state)
{
	(void)state;
	static const struct {
		const char *locality, *region;
		int rc;
		const char *country;
	} cases[] = {
		{ "Austin", "TX", 0, "US" },       { "Austin", "tx", 0, "US" }, /* a region field: a code in any case */
		{ "Austin", "Texas", 0, "US" },    { NULL, "CA", 0, "US" }, /* a region, so California, not Canada */
		{ "Washington", "D.C.", 0, "US" }, { "Toronto", "ON", 0, "CA" },     { "Vancouver", "BC", 0, "CA" },
		{ "Montréal", "Quebec", 0, "CA" }, { "Sydney", "NSW", 0, "AU" },     { "Melbourne", "VIC", 0, "AU" },
		{ "Perth", "WA", 0, "AU" }, /* the city picks Western Australia over Washington */
		{ "Seattle", "WA", 0, "US" },      { "Atlanta", "GA", 0, "US" },     { "Atlanta", "Georgia", 0, "US" },
		{ "Tbilisi", "Georgia", 0, "GE" }, /* the region field holds the city's country */
		{ "Berlin", "DE", 0, "DE" },       { "Vancouver", "CA", 0, "CA" },   { "Wilmington", "DE", 0, "US" },
		{ " Austin ", " TX ", 0, "US" },   { "Berlin", "Berlin", NONE, "" }, { "Munich", "Bavaria", NONE, "" },
		{ "Paris", "IDF", NONE, "" },      { "Austin", "", NONE, "" },       { "Austin", NULL, NONE, "" },
		{ "Austin", "TXX", NONE, "" },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char cc[3] = "";
		int rc = location_region_country(cases[i].locality, cases[i].region, cc);
		if (rc != cases[i].rc || (rc == 0 && strcmp(cc, cases[i].country) != 0))
			failed("location_region_country", cases[i].region ? cases[i].region : "(null)",
			       "rc %d country %s", rc, cc);
	}
	assert_int_equal(failures, 0);
	/* The text of the same places reads the same. */
	struct arena a;
	arena_init(&a, 0);
	static const char *const texts[][2] = { { "Austin, TX", "US" },
						{ "Toronto, ON", "CA" },
						{ "Sydney, NSW", "AU" },
						{ "Perth, WA", "AU" },
						{ "Berlin, DE", "DE" } };
	for (size_t i = 0; i < COUNT(texts); i++) {
		struct posting_location loc;
		assert_int_equal(location_parse(&a, texts[i][0], &loc, NULL), 0);
		assert_string_equal(loc.country, texts[i][1]);
	}
	arena_free(&a);
}

static void test_country_code(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int rc;
		const char *code;
	} cases[] = {
		{ "Germany", 0, "DE" },
		{ "Deutschland", 0, "DE" },
		{ "USA", 0, "US" },
		{ "U.S.", 0, "US" },
		{ "U.S.A.", 0, "US" },
		{ "United States of America", 0, "US" },
		{ "UK", 0, "GB" },
		{ "gb", 0, "GB" },
		{ "Great Britain", 0, "GB" },
		{ "England", 0, "GB" },
		{ "Scotland", 0, "GB" },
		{ "Wales", 0, "GB" },
		{ "España", 0, "ES" },
		{ "fr", 0, "FR" },
		{ "Nederland", 0, "NL" },
		{ "Schweiz", 0, "CH" },
		{ "Suisse", 0, "CH" },
		{ "Österreich", 0, "AT" },
		{ "Polska", 0, "PL" },
		{ "Italia", 0, "IT" },
		{ "Brasil", 0, "BR" },
		{ "México", 0, "MX" },
		{ "Mexico", 0, "MX" },
		{ "Türkiye", 0, "TR" },
		{ "Turkey", 0, "TR" },
		{ "Czechia", 0, "CZ" },
		{ "Czech Republic", 0, "CZ" },
		{ "Korea", 0, "KR" },
		{ "South Korea", 0, "KR" },
		{ "the Netherlands", 0, "NL" },
		{ "DEU", 0, "DE" },
		{ "deu", 0, "DE" },
		{ "  Japan ", 0, "JP" },
		{ "CÔTE D’IVOIRE", 0, "CI" },
		{ "Guinea-Bissau", 0, "GW" },
		{ "Kosovo", 0, "XK" },
		{ "European Union", NONE, "" },
		{ "EU", NONE, "" },
		{ "Europe", NONE, "" },
		{ "Atlantis", NONE, "" },
		{ "", NONE, "" },
		{ "XX", NONE, "" },
		{ "Berlin", NONE, "" },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char out[3] = "";
		int rc = country_code(cases[i].name, out);
		if (rc != cases[i].rc || (rc == 0 && strcmp(out, cases[i].code)))
			failed("country_code", cases[i].name, "rc %d code %s", rc, out);
	}
	assert_int_equal(failures, 0);
	char out[3];
	assert_int_equal(country_code(NULL, out), -ENOENT);
}

static void test_country_table_is_whole(void **state)
{
	(void)state;
	/* 249 ISO 3166-1 entries and Kosovo, sorted, unique, each name read back to its code. */
	assert_int_equal(country_table_size(), 250);
	for (size_t i = 0; i < country_table_size(); i++) {
		const char *code = country_table_alpha2(i);
		if (i > 0)
			assert_true(strcmp(country_table_alpha2(i - 1), code) < 0);
		const char *name = country_name(code);
		assert_non_null(name);
		char back[3] = "";
		if (country_code(name, back) != 0 || strcmp(back, code) != 0)
			failed("country_code", name, "gave %s, want %s", back, code);
	}
	assert_int_equal(failures, 0);
	/* Aliases are stored folded, and name a country of the table. */
	for (size_t i = 0; i < country_alias_count(); i++) {
		const char *key = country_alias_key(i);
		char folded[128], code[3];
		lex_fold(key, strlen(key), false, folded, sizeof(folded));
		assert_string_equal(folded, key);
		assert_int_equal(country_code(key, code), 0);
		assert_non_null(country_name(code));
	}
	assert_string_equal(country_name("DE"), "Germany");
	assert_string_equal(country_name("gb"), "United Kingdom");
	assert_string_equal(country_name("US"), "United States");
	assert_null(country_name("ZZ"));
	assert_null(country_name("D"));
	assert_null(country_name("DEU"));
	assert_null(country_name(""));
	assert_null(country_name(NULL));
}

/* ---- employment and workplace ---------------------------------------------------- */

#define FT EMPLOYMENT_FULL_TIME
#define PT EMPLOYMENT_PART_TIME
#define CT EMPLOYMENT_CONTRACTOR
#define TM EMPLOYMENT_TEMPORARY
#define IN EMPLOYMENT_INTERN
#define VO EMPLOYMENT_VOLUNTEER
#define PD EMPLOYMENT_PER_DIEM
#define OT EMPLOYMENT_OTHER

static void test_employment_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned bits;
	} cases[] = {
		/* schema.org */
		{ "FULL_TIME", FT },
		{ "PART_TIME", PT },
		{ "CONTRACTOR", CT },
		{ "TEMPORARY", TM },
		{ "INTERN", IN },
		{ "VOLUNTEER", VO },
		{ "PER_DIEM", PD },
		{ "OTHER", OT },
		/* Ashby */
		{ "FullTime", FT },
		{ "PartTime", PT },
		{ "Intern", IN },
		{ "Contract", CT },
		{ "Temporary", TM },
		/* Recruitee */
		{ "fulltime_permanent", FT },
		{ "parttime_permanent", PT },
		{ "fulltime_fixed_term", FT | TM },
		{ "internship", IN },
		{ "freelance", CT },
		/* SmartRecruiters, Workday, WWR, himalayas, landing.jobs */
		{ "Full-time", FT },
		{ "Full time", FT },
		{ "Full-Time", FT },
		{ "Full Time", FT },
		{ "Part time", PT },
		{ "Contractor", CT },
		/* Lever commitments */
		{ "Permanent", FT },
		{ "Short Term", TM },
		{ "Permanent - Part Time", PT },
		/* Remotive */
		{ "full_time", FT },
		{ "contract", CT },
		{ "part_time", PT },
		{ "internship", IN },
		/* Personio employmentType and schedule */
		{ "permanent", FT },
		{ "intern", IN },
		{ "trainee", IN },
		{ "full-time", FT },
		{ "part-time", PT },
		/* the rest of the web */
		{ "Werkstudent", IN },
		{ "Werkstudent (m/w/d)", IN },
		{ "Vollzeit", FT },
		{ "Teilzeit", PT },
		{ "Full-time, Contract", FT | CT },
		{ "Full Time / Part Time", FT | PT },
		{ "Apprenticeship", IN },
		{ "B2B", CT },
		{ "Freelancer", CT },
		{ "Seasonal", TM },
		{ "Fixed-term", TM },
		{ "CDI", FT },
		{ "CDD", TM },
		{ "Stage", IN },
		{ "PRN", PD },
		{ "Volunteer", VO },
		{ "Contract to hire", CT },
		{ "Temps plein", FT },
		/* nothing */
		{ "", 0 },
		{ "4_day_week_pro_rata", 0 },
		{ "Engineering", 0 },
		{ "International", 0 },
		{ "Other duties", 0 },
		{ "Internal", 0 },
		{ "Contracting authority", 0 },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		unsigned bits = employment_parse(cases[i].text);
		if (bits != cases[i].bits)
			failed("employment_parse", cases[i].text, "got %#x, want %#x", bits, cases[i].bits);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(employment_parse(NULL), 0);
}

static void test_workplace_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum workplace w;
	} cases[] = {
		/* Lever, Ashby, Workday, Rippling, fourdayweek, schema.org, SmartRecruiters */
		{ "hybrid", WH },
		{ "onsite", WO },
		{ "on-site", WO },
		{ "remote", WR },
		{ "unspecified", WU },
		{ "OnSite", WO },
		{ "Remote", WR },
		{ "Hybrid", WH },
		{ "Fully Remote", WR },
		{ "ON_SITE", WO },
		{ "TELECOMMUTE", WR },
		{ "Office-based", WO },
		{ "In office", WO },
		{ "In-Office", WO },
		{ "WFH", WR },
		{ "Work from home", WR },
		{ "Office", WO },
		{ "Distributed", WR },
		{ "Flexible", WH },
		{ "Home Office", WR },
		{ "Télétravail", WR },
		{ "Presencial", WO },
		{ "", WU },
		{ "Engineering", WU },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		enum workplace w = workplace_parse(cases[i].text);
		if (w != cases[i].w)
			failed("workplace_parse", cases[i].text, "got %d, want %d", (int)w, (int)cases[i].w);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(workplace_parse(NULL), WORKPLACE_UNKNOWN);
}

static void test_workplace_scan(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum workplace w;
	} cases[] = {
		{ "Senior Engineer (Remote)", WR },
		{ "Hybrid - London", WH },
		{ "Remote or Hybrid", WH },
		{ "Remote, but hybrid in Berlin", WH },
		{ "On-site in Paris", WO },
		{ "Not remote: on-site in Paris", WO },
		{ "No remote work possible", WO },
		{ "This is a remote-first company", WR },
		{ "We work remotely", WR },
		{ "Office - London", WU }, /* a bare "office" is a place, not a workplace, inside text */
		{ "Remote (Europe)", WR },
		{ "Remotely operated vehicles", WR },
		{ "Backend Engineer", WU },
		{ "Controller", WU },
		{ "remoteness", WU },
		{ "", WU },
	};
	failures = 0;
	for (size_t i = 0; i < COUNT(cases); i++) {
		enum workplace w = workplace_scan(cases[i].text);
		if (w != cases[i].w)
			failed("workplace_scan", cases[i].text, "got %d, want %d", (int)w, (int)cases[i].w);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(workplace_scan(NULL), WORKPLACE_UNKNOWN);
}

/* ---- text helpers --------------------------------------------------------------- */

static void test_normalize_text_ws(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "  a  b  ", "a b" },
		{ "a\t\n\r b", "a b" },
		{ "80\u00a0000", "80 000" },
		{ "a\u2009\u202fb", "a b" },
		{ "\u3000x\u3000", "x" },
		{ "", "" },
		{ "   ", "" },
		{ "é ü", "é ü" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s", cases[i].in);
		size_t n = normalize_text_ws(s);
		assert_string_equal(s, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
}

static void test_lex_fold(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(lex_fold("Côte d'Ivoire", strlen("Côte d'Ivoire"), false, out, sizeof(out)), 12);
	assert_string_equal(out, "cote divoire");
	lex_fold("U.S.A.", 6, false, out, sizeof(out));
	assert_string_equal(out, "usa");
	lex_fold("Łódź & Kraków", strlen("Łódź & Kraków"), false, out, sizeof(out));
	assert_string_equal(out, "lodz and krakow");
	lex_fold("FullTime_permanent", 18, true, out, sizeof(out));
	assert_string_equal(out, "full time permanent");
	lex_fold("FullTime", 8, false, out, sizeof(out));
	assert_string_equal(out, "fulltime");
	/* Too long for out: empty, never cut. */
	assert_int_equal(lex_fold("abcdefgh", 8, false, out, 4), 0);
	assert_string_equal(out, "");
	/* A character cut by n is left out whole. */
	lex_fold("aé", 2, false, out, sizeof(out));
	assert_string_equal(out, "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_salary_text),
		cmocka_unit_test(test_salary_amount),
		cmocka_unit_test(test_salary_cents), /* Greenhouse's pay ranges */
		cmocka_unit_test(test_salary_period),
		cmocka_unit_test(test_currency),
		cmocka_unit_test(test_salary_yearly),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_from_epoch),
		cmocka_unit_test(test_location_parse),
		cmocka_unit_test(test_location_long_and_odd_input),
		cmocka_unit_test(test_location_region_country),
		cmocka_unit_test(test_country_code),
		cmocka_unit_test(test_country_table_is_whole),
		cmocka_unit_test(test_employment_parse),
		cmocka_unit_test(test_workplace_parse),
		cmocka_unit_test(test_workplace_scan),
		cmocka_unit_test(test_normalize_text_ws),
		cmocka_unit_test(test_lex_fold),
	};
	return cmocka_run_group_tests_name("normalize", tests, NULL, NULL);
}

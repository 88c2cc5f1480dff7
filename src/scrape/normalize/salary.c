/* salary — free salary text as struct posting_salary ("$120k–$150k",
 * "€45.000 - 55.000 per year", "from 3.750 € brutto/Monat", "Competitive"),
 * and the yearly figure of an amount.
 *
 * The text is cut into tokens (amounts, currencies, range words, period
 * phrases, "up to"/"from", other words); the first run of tokens that reads
 * as a salary wins:
 *   [up to|from] [CUR] AMOUNT [CUR] [+] [(-|to|and|bis) [CUR] AMOUNT [CUR]] [PERIOD]
 * A run is not a salary when:
 * - a figure is a percentage ("0.5%"), "401k", a year (1900–2100 with no
 *   currency or period beside it), or is followed by a unit ("5+ years",
 *   "40 hours", "4 day week");
 * - the money is not pay: "raised $50M", "$2M ARR", "$10M in funding";
 * - it has no evidence of money — a currency beside it, a k/lakh suffix, or
 *   a period phrase after it — and a figure is under 1000 ("Top 10");
 * - a million suffix has no currency beside it ("6m contract");
 * - it is absurd: above 1e10, under 1 unit, or, with a known period, under
 *   1000 a year ("$0.05 – $0.06 / hour").
 * A suffix on one figure carries to the other ("$120-150k", "100k-120");
 * reversed ranges are swapped; "up to 90k" leaves min open (0), "from 3.750"
 * and "100k+" leave max open. The currency is the first one beside the run,
 * else the first anywhere in the text, else default_currency. The period is
 * the phrase right after the run, else the first unambiguous one anywhere.
 * Also salary_from_cents, for the ranges structured sources give in cents.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

#define MAX_TOKENS 128

enum tok_kind {
	T_NUM,    /* an amount */
	T_CUR,    /* a currency */
	T_RANGE,  /* a dash between figures */
	T_TO,     /* "to", "and", "bis", "a", "à": a range word, or "up to" before a figure */
	T_UPTO,   /* "up to", "max", "bis zu", "hasta" */
	T_FROM,   /* "from", "starting at", "min", "ab", "od" */
	T_PERIOD, /* "per year", "/hr", … */
	T_PLUS,   /* '+' */
	T_UNIT,   /* "years", "hours", "employees": the figure before it counts something else */
	T_NOTPAY, /* "raised", "funding", "revenue": money, but not pay, even with a currency */
	T_WORD,   /* any other word or symbol: ends a run */
};

struct token {
	enum tok_kind kind;
	bool glued;                /* no space before it */
	struct amount amount;      /* T_NUM */
	char currency[4];          /* T_CUR */
	bool currency_is_kr;       /* T_CUR written "kr": the krona of the default currency */
	enum salary_period period; /* T_PERIOD */
	bool weak;                 /* T_PERIOD: a bare word ("year", "pa") */
	bool means_up_to;          /* T_TO: "to", "bis", "till" also mean "up to" before a figure */
};

struct tokens {
	struct token t[MAX_TOKENS];
	size_t n;
};

static const char *const upto_words[] = { "up to",   "upto",  "max.",  "max",   "maximum",   "bis zu", "jusqu'à",
					  "jusqu’à", "hasta", "under", "below", "less than", "do" };
static const char *const from_words[] = {
	"from", "starting at", "starting from", "starts at", "min.", "min", "minimum", "at least",
	"ab",   "à partir de", "desde",         "vanaf",     "od",   "von", "de"
};
static const char *const to_words[] = { "to", "bis", "till", "and", "à", "a", "e", "y", "tot" };
#define TO_WORDS_MEANING_UP_TO 3 /* the first three */
/* Words that sit inside a salary without changing it ("gross", "brutto"). */
static const char *const filler_words[] = { "gross",         "brutto", "bruto",  "brut",       "net",     "netto",
					    "base",          "basic",  "salary", "between",    "approx.", "approx",
					    "approximately", "about",  "around", "circa",      "ca.",     "roughly",
					    "total",         "ote",    "fixed",  "before tax", "pre tax", "tax" };
static const char *const notpay_words[] = { "raised",   "funding",    "in funding", "revenue",  "in revenue",
					    "arr",      "valuation",  "investment", "budget",   "turnover",
					    "sales",    "market cap", "backed",     "series a", "series b",
					    "series c", "seed round" };
static const char *const unit_words[] = {
	"years",     "year's",    "yrs",        "hours",         "hrs",       "h",
	"days",      "weeks",     "months",     "employees",     "people",    "persons",
	"staff",     "members",   "users",      "customers",     "countries", "locations",
	"offices",   "x",         "times",      "percent",       "pct",       "th",
	"st",        "nd",        "rd",         "yoe",           "jahre",     "jahren",
	"ans",       "años",      "lat",        "tage",          "stunden",   "seats",
	"engineers", "reports",   "vacation",   "pto",           "holidays",  "day week",
	"days week", "hour week", "hours week", "day work week", "equity",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool add_token(struct tokens *ts, const struct token *t)
{
	if (ts->n == MAX_TOKENS)
		return false;
	ts->t[ts->n++] = *t;
	return true;
}

/* "401k", "401(k)", "403(b)": retirement plans, not salaries. */
static size_t retirement_plan_at(const char *s)
{
	if (strncmp(s, "401", 3) != 0 && strncmp(s, "403", 3) != 0 && strncmp(s, "457", 3) != 0)
		return 0;
	const char *p = s + 3;
	size_t n = lex_phrase_at(p, "(k)");
	if (!n)
		n = lex_phrase_at(p, "(b)");
	if (!n)
		n = lex_phrase_at(p, "k");
	if (!n)
		n = lex_phrase_at(p, "b");
	return n ? 3 + n : 0;
}

/* A keyword of one of the tables at s (at a word start): its length. */
static size_t keyword_at(const char *s, const char *const *words, size_t count)
{
	size_t index;
	return lex_longest_phrase_at(s, words, count, &index);
}

/* True when the next thing after s is a figure or a currency. */
static bool figure_follows(const char *s)
{
	char code[4];
	s = lex_skip_spaces(s);
	return lex_is_digit(*s) || currency_parse(s, code, NULL) == 0;
}

/* A figure at p: its token(s), or a word when it is no amount. */
static const char *read_figure(const char *p, bool glued, struct tokens *ts)
{
	struct token t = { .kind = T_WORD, .glued = glued };
	size_t n = retirement_plan_at(p);
	if (n) {
		add_token(ts, &t);
		return p + n;
	}
	n = amount_read(p, &t.amount);
	const char *end = p + n;
	const char *after = lex_skip_spaces(end);
	if (*after == '%') { /* equity, a raise, a share: never a salary */
		add_token(ts, &t);
		return after + 1;
	}
	/* Letters glued to a figure that are no currency or period: "3rd", "2x", "5yrs". */
	char code[4];
	enum salary_period period;
	if (lex_word_char_at(end) && !lex_is_digit(*end) && currency_parse(end, code, NULL) != 0 &&
	    !period_phrase_at(end, &period, NULL)) {
		while (lex_word_char_at(end)) {
			unsigned cp;
			end += lex_decode(end, &cp);
		}
		add_token(ts, &t);
		return end;
	}
	t.kind = t.amount.valid ? T_NUM : T_WORD;
	add_token(ts, &t);
	return end;
}

static void tokenize(const char *text, struct tokens *ts)
{
	const char *p = text;
	bool glued = true;
	ts->n = 0;
	while (*p && (size_t)(p - text) < LEX_MAX_TEXT && ts->n < MAX_TOKENS) {
		size_t n = lex_space_len(p);
		if (n) {
			p += n;
			glued = false;
			continue;
		}
		struct token t = { .kind = T_WORD, .glued = glued };
		glued = true;
		if (lex_is_digit(*p)) {
			p = read_figure(p, t.glued, ts);
			continue;
		}
		bool at_word = lex_boundary_before(text, p);
		size_t index;
		char code[4];
		size_t used;
		/* After a figure a currency may be glued to it ("45k€", "100USD"). */
		bool after_figure = ts->n && ts->t[ts->n - 1].kind == T_NUM;
		if ((at_word || after_figure || !lex_word_char_at(p)) && currency_parse(p, code, &used) == 0) {
			t.kind = T_CUR;
			memcpy(t.currency, code, sizeof(code));
			t.currency_is_kr = lex_lower(p[0]) == 'k' && lex_lower(p[1]) == 'r';
			add_token(ts, &t);
			p += used;
			continue;
		}
		if ((n = lex_dash_len(p)) > 0) {
			t.kind = T_RANGE;
			add_token(ts, &t);
			p += n;
			continue;
		}
		if (*p == '+') {
			t.kind = T_PLUS;
			add_token(ts, &t);
			p++;
			continue;
		}
		if (at_word || *p == '/') {
			if ((n = keyword_at(p, notpay_words, COUNT(notpay_words))) > 0) {
				t.kind = T_NOTPAY;
			} else if ((n = keyword_at(p, unit_words, COUNT(unit_words))) > 0) {
				t.kind = T_UNIT;
			} else if ((n = period_phrase_at(p, &t.period, &t.weak)) > 0) {
				t.kind = T_PERIOD;
			} else if ((n = keyword_at(p, upto_words, COUNT(upto_words))) > 0 && figure_follows(p + n)) {
				t.kind = T_UPTO;
			} else if ((n = keyword_at(p, from_words, COUNT(from_words))) > 0 && figure_follows(p + n)) {
				t.kind = T_FROM;
			} else if ((n = lex_longest_phrase_at(p, to_words, COUNT(to_words), &index)) > 0 &&
				   figure_follows(p + n)) {
				t.kind = T_TO;
				t.means_up_to = index < TO_WORDS_MEANING_UP_TO;
			} else if ((n = keyword_at(p, filler_words, COUNT(filler_words))) > 0) {
				p += n; /* no token: "€50k gross p.a." keeps its period beside the figure */
				continue;
			}
			if (n) {
				add_token(ts, &t);
				p += n;
				continue;
			}
		}
		/* Any other word, or one symbol. */
		unsigned cp;
		if (lex_word_char_at(p))
			while (lex_word_char_at(p))
				p += lex_decode(p, &cp);
		else
			p += lex_decode(p, &cp);
		add_token(ts, &t);
	}
}

/* A run of tokens read as a salary, before its checks. */
struct run {
	const struct amount *lo, *hi; /* hi NULL for one figure */
	const struct token *currency; /* the first currency beside the figures, or NULL */
	enum salary_period period;
	bool strong_period; /* a period phrase that is evidence of money by itself */
	bool up_to, from, plus;
	bool unit_after;
	bool not_pay; /* "raised $50M", "$2M ARR" */
	size_t end;   /* index of the first token after the run */
};

static bool is(const struct tokens *ts, size_t i, enum tok_kind kind)
{
	return i < ts->n && ts->t[i].kind == kind;
}

static void note_currency(struct run *r, const struct token *t)
{
	if (!r->currency)
		r->currency = t;
}

/* Reads the run whose first figure is token i. */
static void read_run(const struct tokens *ts, size_t i, struct run *r)
{
	memset(r, 0, sizeof(*r));
	size_t k = i;
	if (k > 0 && is(ts, k - 1, T_CUR))
		note_currency(r, &ts->t[--k]);
	r->not_pay = k > 0 && is(ts, k - 1, T_NOTPAY);
	if (k > 0 && (is(ts, k - 1, T_UPTO) || (is(ts, k - 1, T_TO) && ts->t[k - 1].means_up_to)))
		r->up_to = true;
	else if (k > 0 && is(ts, k - 1, T_FROM))
		r->from = true;
	r->lo = &ts->t[i].amount;
	size_t j = i + 1;
	if (is(ts, j, T_CUR))
		note_currency(r, &ts->t[j++]);
	if (is(ts, j, T_PLUS) && ts->t[j].glued) {
		r->plus = true;
		j++;
	}
	if (!r->plus && (is(ts, j, T_RANGE) || is(ts, j, T_TO))) {
		size_t m = j + 1;
		const struct token *cur = is(ts, m, T_CUR) ? &ts->t[m++] : NULL;
		if (is(ts, m, T_NUM)) {
			if (cur)
				note_currency(r, cur);
			r->hi = &ts->t[m++].amount;
			if (is(ts, m, T_CUR))
				note_currency(r, &ts->t[m++]);
			r->from = false; /* "von 50.000 bis 60.000": a range, not an open end */
			r->up_to = false;
			j = m;
		}
	}
	if (is(ts, j, T_PLUS) && !r->hi && ts->t[j].glued) {
		r->plus = true;
		j++;
	}
	if (is(ts, j, T_PERIOD)) {
		r->period = ts->t[j].period;
		r->strong_period = !ts->t[j].weak;
		j++;
	} else if (is(ts, j, T_UNIT)) {
		r->unit_after = true;
	}
	r->not_pay |= is(ts, j, T_NOTPAY);
	if (!r->period && r->lo->implied_period)
		r->period = r->lo->implied_period;
	if (!r->period && r->hi && r->hi->implied_period)
		r->period = r->hi->implied_period;
	r->end = j;
}

static bool year_like(const struct amount *a)
{
	return !a->grouped && a->multiplier == 1 && a->value >= 1900 && a->value <= 2100 && a->value == floor(a->value);
}

static bool plausible(const struct run *r, double lo, double hi)
{
	bool currency = r->currency != NULL;
	bool suffix = r->lo->multiplier > 1 || (r->hi && r->hi->multiplier > 1);
	bool million = r->lo->multiplier >= 1e6 || (r->hi && r->hi->multiplier >= 1e6);
	if ((r->unit_after && !currency) || r->not_pay)
		return false;
	if (million && !currency)
		return false;
	if (!currency && !r->period && (year_like(r->lo) || (r->hi && year_like(r->hi))))
		return false;
	double top = hi > lo ? hi : lo;
	double low = hi > lo ? lo : hi;
	bool evidence = currency || (suffix && !million) || r->strong_period;
	if (!evidence && low < 1000)
		return false;
	if (!isfinite(top) || top > 1e10 || top < 1)
		return false;
	if (r->period && salary_yearly(top, r->period) < 1000)
		return false;
	return true;
}

/* The first currency token anywhere, or NULL. */
static const struct token *first_currency(const struct tokens *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].kind == T_CUR)
			return &ts->t[i];
	return NULL;
}

/* The first period phrase that needs no figure beside it, or UNKNOWN. */
static enum salary_period first_strong_period(const struct tokens *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].kind == T_PERIOD && !ts->t[i].weak)
			return ts->t[i].period;
	return SALARY_PERIOD_UNKNOWN;
}

static bool valid_code(const char *code)
{
	if (!code || strlen(code) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	return true;
}

static void pick_currency(const struct tokens *ts, const struct run *r, const char *default_currency, char out[4])
{
	const struct token *t = r->currency ? r->currency : first_currency(ts);
	bool have_default = valid_code(default_currency);
	out[0] = '\0';
	if (t && t->currency_is_kr && have_default &&
	    (!strcmp(default_currency, "NOK") || !strcmp(default_currency, "DKK") || !strcmp(default_currency, "ISK")))
		memcpy(out, default_currency, 4);
	else if (t)
		memcpy(out, t->currency, 4);
	else if (have_default)
		memcpy(out, default_currency, 4);
}

int salary_parse_text(const char *text, const char *default_currency, struct posting_salary *out)
{
	if (!text)
		return -ENOENT;
	struct tokens ts; /* about 8 KiB */
	tokenize(text, &ts);
	for (size_t i = 0; i < ts.n; i++) {
		if (ts.t[i].kind != T_NUM)
			continue;
		struct run r;
		read_run(&ts, i, &r);
		double lo = r.lo->value, hi = r.hi ? r.hi->value : lo;
		if (r.hi) { /* "$120-150k": one suffix for both figures */
			if (r.lo->multiplier == 1 && r.hi->multiplier > 1 && lo < 1000)
				lo *= r.hi->multiplier;
			else if (r.hi->multiplier == 1 && r.lo->multiplier > 1 && hi < 1000)
				hi *= r.lo->multiplier;
		}
		if (!plausible(&r, lo, hi))
			continue;
		if (lo > hi) {
			double swap = lo;
			lo = hi;
			hi = swap;
		}
		memset(out, 0, sizeof(*out));
		out->present = true;
		out->min = lo;
		out->max = hi;
		if (!r.hi && r.up_to)
			out->min = 0;
		else if (!r.hi && (r.from || r.plus))
			out->max = 0;
		pick_currency(&ts, &r, default_currency, out->currency);
		out->period = r.period ? r.period : first_strong_period(&ts);
		return 0;
	}
	return -ENOENT;
}

int salary_from_cents(const char *min_cents, const char *max_cents, const char *currency, const char *label,
		      struct posting_salary *out)
{
	double min = 0, max = 0;
	bool has_min = min_cents && salary_parse_cents(min_cents, &min) == 0 && min > 0;
	bool has_max = max_cents && salary_parse_cents(max_cents, &max) == 0 && max > 0;
	if (!has_min && !has_max)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->present = true;
	out->min = has_min && has_max && min > max ? max : has_min ? min : 0;
	out->max = has_min && has_max && min > max ? min : has_max ? max : 0;
	size_t used;
	if (currency && currency_parse(lex_skip_spaces(currency), out->currency, &used) != 0)
		out->currency[0] = '\0';
	if (!label || salary_period_parse(label, &out->period) != 0)
		out->period = SALARY_PERIOD_UNKNOWN;
	return 0;
}

double salary_yearly(double amount, enum salary_period period)
{
	switch (period) {
	case SALARY_PERIOD_HOUR:
		return amount * 2080;
	case SALARY_PERIOD_DAY:
		return amount * 260;
	case SALARY_PERIOD_WEEK:
		return amount * 52;
	case SALARY_PERIOD_MONTH:
		return amount * 12;
	case SALARY_PERIOD_YEAR:
	case SALARY_PERIOD_UNKNOWN:
		break;
	}
	return amount;
}

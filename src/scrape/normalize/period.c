/* period — the words sources use for a salary's period: structured values
 * (schema.org "YEAR", Lever "per-year-salary", Ashby "1 YEAR", Recruitee
 * "month", himalayas "annual"/"hourly", jobicy "yearly") and the phrases
 * free text puts after an amount ("per annum", "p.a.", "/yr", "an hour",
 * "brutto/Monat", "par mois", "al año"). */
#include <errno.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

struct period_phrase {
	const char *phrase; /* lower case, as lex_phrase_at reads it */
	enum salary_period period;
	bool weak; /* a bare word: a period only right after an amount */
};

#define Y  SALARY_PERIOD_YEAR
#define MO SALARY_PERIOD_MONTH
#define W  SALARY_PERIOD_WEEK
#define D  SALARY_PERIOD_DAY
#define H  SALARY_PERIOD_HOUR

static const struct period_phrase phrases[] = {
	/* year */
	{ "per year salary", Y, 0 },
	{ "1 year", Y, 0 },
	{ "per annum", Y, 0 },
	{ "per year", Y, 0 },
	{ "a year", Y, 0 },
	{ "/year", Y, 0 },
	{ "/yr", Y, 0 },
	{ "/y", Y, 0 },
	{ "/annum", Y, 0 },
	{ "/a", Y, 0 },
	{ "p.a.", Y, 0 },
	{ "p.a", Y, 0 },
	{ "p/a", Y, 0 },
	{ "pa", Y, 1 },
	{ "yearly", Y, 0 },
	{ "annual", Y, 0 },
	{ "annually", Y, 0 },
	{ "annum", Y, 1 },
	{ "year", Y, 1 },
	{ "yr", Y, 1 },
	{ "annual salary", Y, 0 },
	{ "per anno", Y, 0 },
	{ "jahr", Y, 1 },
	{ "pro jahr", Y, 0 },
	{ "im jahr", Y, 0 },
	{ "/jahr", Y, 0 },
	{ "jährlich", Y, 0 },
	{ "jahresgehalt", Y, 0 },
	{ "par an", Y, 0 },
	{ "/an", Y, 0 },
	{ "annuel", Y, 0 },
	{ "brut annuel", Y, 0 },
	{ "al año", Y, 0 },
	{ "por año", Y, 0 },
	{ "anual", Y, 0 },
	{ "/año", Y, 0 },
	{ "per jaar", Y, 0 },
	{ "/jaar", Y, 0 },
	{ "jaarlijks", Y, 0 },
	{ "rocznie", Y, 0 },
	{ "/rok", Y, 0 },
	{ "/年", Y, 0 },
	{ "年薪", Y, 0 },
	{ "年収", Y, 0 },
	{ "per år", Y, 0 },
	{ "/år", Y, 0 },
	{ "årlig", Y, 0 },
	{ "all anno", Y, 0 },
	{ "annuale", Y, 0 },
	/* month */
	{ "per month salary", MO, 0 },
	{ "1 month", MO, 0 },
	{ "per month", MO, 0 },
	{ "a month", MO, 0 },
	{ "/month", MO, 0 },
	{ "/mo", MO, 0 },
	{ "/mth", MO, 0 },
	{ "/m", MO, 0 },
	{ "pcm", MO, 0 },
	{ "p/m", MO, 0 },
	{ "monthly", MO, 0 },
	{ "month", MO, 1 },
	{ "mo", MO, 1 },
	{ "mth", MO, 1 },
	{ "monat", MO, 1 },
	{ "pro monat", MO, 0 },
	{ "im monat", MO, 0 },
	{ "/monat", MO, 0 },
	{ "monatlich", MO, 0 },
	{ "par mois", MO, 0 },
	{ "/mois", MO, 0 },
	{ "mensuel", MO, 0 },
	{ "brut mensuel", MO, 0 },
	{ "al mes", MO, 0 },
	{ "por mes", MO, 0 },
	{ "/mes", MO, 0 },
	{ "mensual", MO, 0 },
	{ "per maand", MO, 0 },
	{ "/maand", MO, 0 },
	{ "maandelijks", MO, 0 },
	{ "miesięcznie", MO, 0 },
	{ "/mies.", MO, 0 },
	{ "/mies", MO, 0 },
	{ "/mc", MO, 0 },
	{ "per månad", MO, 0 },
	{ "/mån", MO, 0 },
	{ "i månaden", MO, 0 },
	{ "al mese", MO, 0 },
	{ "/月", MO, 0 },
	{ "月薪", MO, 0 },
	{ "mensile", MO, 0 },
	{ "por mês", MO, 0 },
	{ "ao mês", MO, 0 },
	{ "/mês", MO, 0 },
	{ "mensal", MO, 0 },
	{ "per måned", MO, 0 },
	{ "/mnd", MO, 0 },
	{ "/md", MO, 0 },
	{ "om måneden", MO, 0 },
	/* week */
	{ "per week salary", W, 0 },
	{ "1 week", W, 0 },
	{ "per week", W, 0 },
	{ "a week", W, 0 },
	{ "/week", W, 0 },
	{ "/wk", W, 0 },
	{ "/w", W, 0 },
	{ "p/w", W, 0 },
	{ "pw", W, 1 },
	{ "weekly", W, 0 },
	{ "week", W, 1 },
	{ "wk", W, 1 },
	{ "pro woche", W, 0 },
	{ "/woche", W, 0 },
	{ "wöchentlich", W, 0 },
	/* day */
	{ "per day wage", D, 0 },
	{ "per day salary", D, 0 },
	{ "1 day", D, 0 },
	{ "per day", D, 0 },
	{ "a day", D, 0 },
	{ "/day", D, 0 },
	{ "/d", D, 0 },
	{ "p/d", D, 0 },
	{ "pd", D, 1 },
	{ "daily", D, 0 },
	{ "day rate", D, 0 },
	{ "day", D, 1 },
	{ "per diem", D, 0 },
	{ "pro tag", D, 0 },
	{ "/tag", D, 0 },
	{ "tagessatz", D, 0 },
	{ "par jour", D, 0 },
	{ "/jour", D, 0 },
	{ "tjm", D, 0 },
	{ "por día", D, 0 },
	{ "/día", D, 0 },
	{ "per dag", D, 0 },
	{ "/dag", D, 0 },
	/* hour */
	{ "per hour wage", H, 0 },
	{ "per hour salary", H, 0 },
	{ "1 hour", H, 0 },
	{ "per hour", H, 0 },
	{ "an hour", H, 0 },
	{ "a hour", H, 0 },
	{ "/hour", H, 0 },
	{ "/hr", H, 0 },
	{ "/hrs", H, 0 },
	{ "/h", H, 0 },
	{ "p/h", H, 0 },
	{ "ph", H, 1 },
	{ "hourly", H, 0 },
	{ "hourly rate", H, 0 },
	{ "hour", H, 1 },
	{ "hr", H, 1 },
	{ "stunde", H, 1 },
	{ "pro stunde", H, 0 },
	{ "/stunde", H, 0 },
	{ "/std.", H, 0 },
	{ "/std", H, 0 },
	{ "stündlich", H, 0 },
	{ "stundenlohn", H, 0 },
	{ "par heure", H, 0 },
	{ "/heure", H, 0 },
	{ "por hora", H, 0 },
	{ "/hora", H, 0 },
	{ "per uur", H, 0 },
	{ "/uur", H, 0 },
	{ "/godz.", H, 0 },
	{ "/godz", H, 0 },
	{ "all'ora", H, 0 },
};

#undef Y
#undef MO
#undef W
#undef D
#undef H

size_t period_phrase_at(const char *s, enum salary_period *out, bool *weak)
{
	size_t best = 0, which = 0;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		size_t n = lex_phrase_at(s, phrases[i].phrase);
		if (n > best) {
			best = n;
			which = i;
		}
	}
	if (!best)
		return 0;
	*out = phrases[which].period;
	if (weak)
		*weak = phrases[which].weak;
	return best;
}

int salary_period_parse(const char *text, enum salary_period *out)
{
	if (!text)
		return -ENOENT;
	/* A structured value is a phrase, perhaps among words we do not need
	 * ("Monthly salary", "paid per hour"): the first phrase at a word start. */
	const char *p = lex_skip_spaces(text);
	for (size_t guard = 0; *p && guard < LEX_MAX_TEXT; guard++) {
		enum salary_period period;
		/* A '/' may follow an amount ("45k/yr"), but not a word ("N/A"). */
		bool after_amount = *p == '/' && p - text >= 2 && lex_is_digit(p[-2]) && strchr("kKmM", p[-1]);
		bool at_word = lex_boundary_before(text, p) || after_amount;
		size_t n = at_word ? period_phrase_at(p, &period, NULL) : 0;
		if (n) {
			*out = period;
			return 0;
		}
		unsigned cp;
		size_t k = lex_decode(p, &cp);
		p += k ? k : 1;
	}
	return -ENOENT;
}

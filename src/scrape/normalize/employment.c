/* employment — employment words of every source as enum employment_type
 * bits: schema.org "FULL_TIME", Ashby "FullTime", Recruitee
 * "fulltime_permanent", SmartRecruiters "Full-time", Lever "Permanent" and
 * "Short Term", Workday "Full time", Remotive "full_time", WWR "Full-Time",
 * Personio "permanent"/"trainee" and "full-time", and the German, French,
 * Spanish, Dutch and Nordic words next to them.
 *
 * Rules: the text is folded (case, accents, separators, camelCase) and
 * every phrase found at a word start adds its bit, so "Full-time, Contract"
 * is both. "Permanent" (and "Regular", "CDI", "Festanstellung") means
 * full time unless the text names part time. "Other", "FT" and "PT" count
 * only as the whole value.
 */
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/lex.h"

#define FOLD_INPUT 256 /* an employment value is a few words; a description is not one */

#define FULL      EMPLOYMENT_FULL_TIME
#define PART      EMPLOYMENT_PART_TIME
#define CONTRACT  EMPLOYMENT_CONTRACTOR
#define TEMP      EMPLOYMENT_TEMPORARY
#define INTERN    EMPLOYMENT_INTERN
#define VOLUNTEER EMPLOYMENT_VOLUNTEER
#define PER_DIEM  EMPLOYMENT_PER_DIEM
#define PERMANENT (1u << 31) /* full time unless part time is named */

static const struct {
	const char *phrase;
	unsigned bits;
} phrases[] = {
	{ "full time", FULL },
	{ "fulltime", FULL },
	{ "full timer", FULL },
	{ "vollzeit", FULL },
	{ "temps plein", FULL },
	{ "tiempo completo", FULL },
	{ "jornada completa", FULL },
	{ "tempo integral", FULL },
	{ "heltid", FULL },
	{ "voltijd", FULL },
	{ "tempo pieno", FULL },
	{ "pelny etat", FULL },
	{ "part time", PART },
	{ "parttime", PART },
	{ "teilzeit", PART },
	{ "temps partiel", PART },
	{ "tiempo parcial", PART },
	{ "medio tiempo", PART },
	{ "media jornada", PART },
	{ "meio periodo", PART },
	{ "deltid", PART },
	{ "deeltijd", PART },
	{ "minijob", PART },
	{ "part timer", PART },
	{ "contract", CONTRACT },
	{ "contractor", CONTRACT },
	{ "contractors", CONTRACT },
	{ "contract to hire", CONTRACT },
	{ "freelance", CONTRACT },
	{ "freelancer", CONTRACT },
	{ "freelancing", CONTRACT },
	{ "self employed", CONTRACT },
	{ "b2b", CONTRACT },
	{ "1099", CONTRACT },
	{ "c2c", CONTRACT },
	{ "corp to corp", CONTRACT },
	{ "independent contractor", CONTRACT },
	{ "zzp", CONTRACT },
	{ "auftragnehmer", CONTRACT },
	{ "temporary", TEMP },
	{ "temp", TEMP },
	{ "fixed term", TEMP },
	{ "short term", TEMP },
	{ "seasonal", TEMP },
	{ "interim", TEMP },
	{ "befristet", TEMP },
	{ "cdd", TEMP },
	{ "temporal", TEMP },
	{ "temporaneo", TEMP },
	{ "tijdelijk", TEMP },
	{ "locum", TEMP },
	{ "intern", INTERN },
	{ "interns", INTERN },
	{ "internship", INTERN },
	{ "trainee", INTERN },
	{ "traineeship", INTERN },
	{ "apprentice", INTERN },
	{ "apprenticeship", INTERN },
	{ "werkstudent", INTERN },
	{ "werkstudentin", INTERN },
	{ "working student", INTERN },
	{ "praktikum", INTERN },
	{ "praktikant", INTERN },
	{ "praktikantin", INTERN },
	{ "stagiaire", INTERN },
	{ "alternance", INTERN },
	{ "ausbildung", INTERN },
	{ "pasantia", INTERN },
	{ "practicas", INTERN },
	{ "stagiair", INTERN },
	{ "co op", INTERN },
	{ "student job", INTERN },
	{ "volunteer", VOLUNTEER },
	{ "volunteering", VOLUNTEER },
	{ "voluntary", VOLUNTEER },
	{ "unpaid", VOLUNTEER },
	{ "ehrenamt", VOLUNTEER },
	{ "ehrenamtlich", VOLUNTEER },
	{ "benevole", VOLUNTEER },
	{ "voluntariado", VOLUNTEER },
	{ "pro bono", VOLUNTEER },
	{ "per diem", PER_DIEM },
	{ "perdiem", PER_DIEM },
	{ "prn", PER_DIEM },
	{ "permanent", PERMANENT },
	{ "regular", PERMANENT },
	{ "cdi", PERMANENT },
	{ "festanstellung", PERMANENT },
	{ "unbefristet", PERMANENT },
	{ "indefinido", PERMANENT },
	{ "vaste aanstelling", PERMANENT },
};

/* Values that count only as the whole text. */
static const struct {
	const char *key;
	unsigned bits;
} whole_values[] = {
	{ "other", EMPLOYMENT_OTHER }, { "ft", FULL }, { "pt", PART }, { "stage", INTERN }, { "ct", CONTRACT },
};

unsigned employment_parse(const char *text)
{
	if (!text)
		return 0;
	char key[FOLD_INPUT * 5 + 1];
	if (!lex_fold(text, strnlen(text, FOLD_INPUT), true, key, sizeof(key)))
		return 0;
	for (size_t i = 0; i < sizeof(whole_values) / sizeof(whole_values[0]); i++)
		if (strcmp(key, whole_values[i].key) == 0)
			return whole_values[i].bits;
	unsigned bits = 0;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (!(bits & phrases[i].bits) && lex_key_has(key, phrases[i].phrase))
			bits |= phrases[i].bits;
	if (bits & PERMANENT) {
		bits &= ~PERMANENT;
		if (!(bits & (FULL | PART)))
			bits |= FULL;
	}
	return bits;
}

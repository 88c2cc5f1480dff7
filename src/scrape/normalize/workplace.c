/* workplace — remote, hybrid and on-site words: structured values (Lever
 * "hybrid"/"onsite"/"on-site", Ashby "OnSite"/"Remote", Workday "Fully
 * Remote", Rippling "ON_SITE", SmartRecruiters "Office-based", schema.org
 * "TELECOMMUTE") and the same words inside titles and location lines.
 *
 * Rules: the text is folded (case, accents, separators, camelCase). At each
 * word start the longest phrase wins, so "not remote" is on-site and its
 * "remote" is not read again. When several are named, hybrid wins over
 * remote and remote over on-site ("Remote or Hybrid" is hybrid). Bare words
 * that mean a workplace only as a whole value ("office", "distributed",
 * "anywhere", "flexible") are read by workplace_parse, not by the scans.
 */
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

#define FOLD_INPUT 512 /* a title, a location line, a first paragraph */

enum reach {
	SCAN,       /* read inside longer text too */
	WHOLE_ONLY, /* read by workplace_parse only */
};

static const struct {
	const char *phrase; /* folded: lower case, no accents */
	enum workplace workplace;
	enum reach reach;
} phrases[] = {
	{ "remote", WORKPLACE_REMOTE, SCAN },
	{ "remotely", WORKPLACE_REMOTE, SCAN },
	{ "fully remote", WORKPLACE_REMOTE, SCAN },
	{ "remote first", WORKPLACE_REMOTE, SCAN },
	{ "remote only", WORKPLACE_REMOTE, SCAN },
	{ "remote friendly", WORKPLACE_REMOTE, SCAN },
	{ "work from home", WORKPLACE_REMOTE, SCAN },
	{ "working from home", WORKPLACE_REMOTE, SCAN },
	{ "work from anywhere", WORKPLACE_REMOTE, SCAN },
	{ "wfh", WORKPLACE_REMOTE, SCAN },
	{ "telecommute", WORKPLACE_REMOTE, SCAN },
	{ "telecommuting", WORKPLACE_REMOTE, SCAN },
	{ "telework", WORKPLACE_REMOTE, SCAN },
	{ "teleworking", WORKPLACE_REMOTE, SCAN },
	{ "home office", WORKPLACE_REMOTE, SCAN },
	{ "homeoffice", WORKPLACE_REMOTE, SCAN },
	{ "home based", WORKPLACE_REMOTE, SCAN },
	{ "remoto", WORKPLACE_REMOTE, SCAN },
	{ "remota", WORKPLACE_REMOTE, SCAN },
	{ "teletrabajo", WORKPLACE_REMOTE, SCAN },
	{ "teletravail", WORKPLACE_REMOTE, SCAN },
	{ "zdalnie", WORKPLACE_REMOTE, SCAN },
	{ "praca zdalna", WORKPLACE_REMOTE, SCAN },
	{ "thuiswerken", WORKPLACE_REMOTE, SCAN },
	{ "distributed", WORKPLACE_REMOTE, WHOLE_ONLY },
	{ "anywhere", WORKPLACE_REMOTE, WHOLE_ONLY },
	{ "virtual", WORKPLACE_REMOTE, WHOLE_ONLY },
	{ "hybrid", WORKPLACE_HYBRID, SCAN },
	{ "hybride", WORKPLACE_HYBRID, SCAN },
	{ "hibrido", WORKPLACE_HYBRID, SCAN },
	{ "ibrido", WORKPLACE_HYBRID, SCAN },
	{ "hybrid remote", WORKPLACE_HYBRID, SCAN },
	{ "remote hybrid", WORKPLACE_HYBRID, SCAN },
	{ "partially remote", WORKPLACE_HYBRID, SCAN },
	{ "partly remote", WORKPLACE_HYBRID, SCAN },
	{ "partial remote", WORKPLACE_HYBRID, SCAN },
	{ "flexible", WORKPLACE_HYBRID, WHOLE_ONLY },
	{ "onsite", WORKPLACE_ONSITE, SCAN },
	{ "on site", WORKPLACE_ONSITE, SCAN },
	{ "onsite only", WORKPLACE_ONSITE, SCAN },
	{ "on premises", WORKPLACE_ONSITE, SCAN },
	{ "on premise", WORKPLACE_ONSITE, SCAN },
	{ "in office", WORKPLACE_ONSITE, SCAN },
	{ "in the office", WORKPLACE_ONSITE, SCAN },
	{ "office based", WORKPLACE_ONSITE, SCAN },
	{ "office first", WORKPLACE_ONSITE, SCAN },
	{ "in person", WORKPLACE_ONSITE, SCAN },
	{ "not remote", WORKPLACE_ONSITE, SCAN },
	{ "no remote", WORKPLACE_ONSITE, SCAN },
	{ "non remote", WORKPLACE_ONSITE, SCAN },
	{ "presencial", WORKPLACE_ONSITE, SCAN },
	{ "presentiel", WORKPLACE_ONSITE, SCAN },
	{ "vor ort", WORKPLACE_ONSITE, SCAN },
	{ "stacjonarnie", WORKPLACE_ONSITE, SCAN },
	{ "office", WORKPLACE_ONSITE, WHOLE_ONLY },
	{ "on location", WORKPLACE_ONSITE, WHOLE_ONLY },
};

#define PHRASE_COUNT (sizeof(phrases) / sizeof(phrases[0]))

/* The longest phrase at p within reach: its length and workplace, or 0. */
static size_t longest_at(const char *p, bool whole_too, enum workplace *out)
{
	size_t best = 0;
	for (size_t i = 0; i < PHRASE_COUNT; i++) {
		if (phrases[i].reach == WHOLE_ONLY && !whole_too)
			continue;
		size_t n = lex_phrase_at(p, phrases[i].phrase);
		if (n > best) {
			best = n;
			*out = phrases[i].workplace;
		}
	}
	return best;
}

/* Hybrid over remote over on-site. */
static enum workplace stronger(enum workplace a, enum workplace b)
{
	static const int rank[] = {
		[WORKPLACE_UNKNOWN] = 0, [WORKPLACE_ONSITE] = 1, [WORKPLACE_REMOTE] = 2, [WORKPLACE_HYBRID] = 3
	};
	return rank[b] > rank[a] ? b : a;
}

static enum workplace scan_key(const char *key, bool whole_too)
{
	enum workplace found = WORKPLACE_UNKNOWN;
	for (const char *p = key; *p;) {
		enum workplace w;
		size_t n = lex_boundary_before(key, p) ? longest_at(p, whole_too, &w) : 0;
		if (n) {
			found = stronger(found, w);
			p += n;
		} else {
			p++;
		}
	}
	return found;
}

enum workplace workplace_parse(const char *text)
{
	char key[FOLD_INPUT * 5 + 1];
	if (!text || !lex_fold(text, strnlen(text, FOLD_INPUT), true, key, sizeof(key)))
		return WORKPLACE_UNKNOWN;
	return scan_key(key, true);
}

enum workplace workplace_scan(const char *text)
{
	char key[FOLD_INPUT * 5 + 1];
	if (!text || !lex_fold(text, strnlen(text, FOLD_INPUT), true, key, sizeof(key)))
		return WORKPLACE_UNKNOWN;
	return scan_key(key, false);
}

size_t workplace_phrase_at(const char *s, enum workplace *out)
{
	/* Raw text: the folded phrases match it as they are, but for accents. */
	static const struct {
		const char *phrase;
		enum workplace workplace;
	} accented[] = { { "télétravail", WORKPLACE_REMOTE },
			 { "híbrido", WORKPLACE_HYBRID },
			 { "présentiel", WORKPLACE_ONSITE } };
	size_t n = longest_at(s, false, out);
	for (size_t i = 0; i < sizeof(accented) / sizeof(accented[0]); i++) {
		size_t k = lex_phrase_at(s, accented[i].phrase);
		if (k > n) {
			n = k;
			*out = accented[i].workplace;
		}
	}
	return n;
}

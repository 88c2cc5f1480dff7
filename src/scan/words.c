/* scan/words — see words.h. The lists are small and fixed, kept in one
 * hash set built on first use (thread-safe: built under a once). */
#include "scan/words.h"

#include <pthread.h>
#include <string.h>

#include "scan/token.h"

static const char *const stop_words[] = {
	"a",       "about",     "above",    "across",   "after",    "again",    "against",  "all",        "almost",
	"also",    "am",        "among",    "an",       "and",      "any",      "are",      "as",         "at",
	"be",      "because",   "been",     "before",   "being",    "below",    "between",  "both",       "but",
	"by",      "can",       "could",    "did",      "do",       "does",     "doing",    "down",       "during",
	"each",    "either",    "else",     "etc",      "even",     "ever",     "every",    "few",        "for",
	"from",    "further",   "had",      "has",      "have",     "having",   "he",       "her",        "here",
	"hers",    "him",       "his",      "how",      "however",  "i",        "if",       "in",         "into",
	"is",      "it",        "its",      "itself",   "just",     "may",      "me",       "might",      "more",
	"most",    "much",      "must",     "my",       "no",       "nor",      "not",      "of",         "off",
	"often",   "on",        "once",     "one",      "only",     "or",       "other",    "our",        "ours",
	"out",     "over",      "own",      "per",      "same",     "shall",    "she",      "should",     "so",
	"some",    "such",      "than",     "that",     "the",      "their",    "theirs",   "them",       "then",
	"there",   "these",     "they",     "this",     "those",    "through",  "thus",     "to",         "too",
	"under",   "until",     "up",       "upon",     "us",       "very",     "via",      "was",        "we",
	"were",    "what",      "when",     "where",    "whether",  "which",    "while",    "who",        "whom",
	"whose",   "why",       "will",     "with",     "within",   "without",  "would",    "yet",        "you",
	"your",    "yours",     "yourself", "ll",       "re",       "ve",       "don",      "e.g",        "i.e",
	"eg",      "ie",        "like",     "well",     "get",      "got",      "make",     "new",        "s",
	"t",       "using",     "use",      "used",     "behind",   "around",   "along",    "toward",     "towards",
	"beyond",  "besides",   "among",    "whatever", "whenever", "wherever", "anything", "everything", "something",
	"nothing", "someone",   "everyone", "anyone",   "lot",      "lots",     "really",   "truly",      "always",
	"never",   "sometimes", "usually",  "already",  "still",    "soon",     "next",     "last",       "able",
	"want",    "wants",     "let",      "lets",     "go",       "going",    "come",     "comes",      "see",
	"look",    "give",
};

static const char *const generic_words[] = {
	"ability",
	"able",
	"apply",
	"applicant",
	"applicants",
	"applications",
	"benefit",
	"benefits",
	"best",
	"build",
	"building",
	"candidate",
	"candidates",
	"career",
	"closely",
	"company",
	"degree",
	"day",
	"days",
	"demonstrated",
	"description",
	"driven",
	"drive",
	"effective",
	"effectively",
	"employee",
	"employees",
	"employer",
	"employment",
	"ensure",
	"environment",
	"equal",
	"excellent",
	"expected",
	"experience",
	"experienced",
	"familiarity",
	"fast",
	"field",
	"full",
	"global",
	"good",
	"great",
	"help",
	"highly",
	"hire",
	"hiring",
	"ideal",
	"impact",
	"include",
	"including",
	"join",
	"job",
	"key",
	"knowledge",
	"level",
	"looking",
	"manner",
	"minimum",
	"month",
	"months",
	"need",
	"needs",
	"offer",
	"opportunity",
	"opportunities",
	"paced",
	"part",
	"people",
	"plus",
	"position",
	"preferred",
	"proficiency",
	"proficient",
	"proven",
	"qualification",
	"qualifications",
	"related",
	"relevant",
	"require",
	"required",
	"requirement",
	"requirements",
	"responsibilities",
	"responsibility",
	"responsible",
	"role",
	"salary",
	"seeking",
	"skill",
	"skills",
	"solid",
	"status",
	"strong",
	"support",
	"take",
	"team",
	"teams",
	"time",
	"understanding",
	"want",
	"way",
	"week",
	"work",
	"working",
	"world",
	"year",
	"years",
	"yrs",
	"bonus",
	"nice",
	"have",
	"must",
	"preferably",
	"desired",
	"looking",
	"based",
	"within",
	"across",
	"high",
	"quality",
	"provide",
	"providing",
	"various",
	"multiple",
	"new",
	"other",
	"etc",
	"within",
	"remote",
	"hybrid",
	"office",
	"location",
	"us",
	"usa",
	"inc",
	"llc",
	"ltd",
	"please",
	"resume",
	"cv",
	"gender",
	"race",
	"religion",
	"disability",
	"veteran",
	"orientation",
	"national",
	"origin",
	"age",
	"color",
	"identity",
	"sexual",
	"marital",
	"law",
	"laws",
	"applicable",
	"accommodation",
	"accommodations",
	"diverse",
	"diversity",
	"inclusion",
	"inclusive",
	"encourage",
	"encouraged",
	"regardless",
	"committed",
	"welcome",
	"today",
	"currently",
	"current",
	"will",
	"also",
	"well",
	"etc",
	"both",
	"day-to-day",
	/* Nouns every kind of posting uses for what the job works with or
	 * on: never a keyword of their own ("tools" is no skill to add; the
	 * taxonomy's phrases, "BI tools", "project management", still are). */
	"tools",
	"tool",
	"platforms",
	"platform",
	"systems",
	"system",
	"technologies",
	"technology",
	"solutions",
	"solution",
	"processes",
	"process",
	"services",
	"service",
	"tasks",
	"task",
	"duties",
	"duty",
	"areas",
	"area",
	"things",
	"variety",
	"range",
	"wide",
	"results",
	"success",
	"successful",
	"ideas",
	"standards",
	"practices",
	"methods",
	"techniques",
	"approach",
	"concepts",
	"principles",
	"issues",
	"goals",
	"objectives",
	"activities",
	"functions",
	"levels",
	"member",
	"members",
	"colleagues",
	"department",
	"information",
	"hands", /* hands-on */
	"sets",  /* skill sets */
	"mission",
	"first",
	"least",
};

#define SET_CAP 1024u

static uint64_t set_hash[SET_CAP];
static uint8_t set_kind[SET_CAP]; /* 1 stop, 2 generic (3 both) */
static pthread_once_t set_once = PTHREAD_ONCE_INIT;

static void set_add(const char *w, uint8_t kind)
{
	uint64_t h = scan_hash(w, strlen(w));
	size_t i = (size_t)h & (SET_CAP - 1);
	while (set_kind[i] && set_hash[i] != h)
		i = (i + 1) & (SET_CAP - 1);
	set_hash[i] = h;
	set_kind[i] |= kind;
}

static void set_build(void)
{
	for (size_t i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		set_add(stop_words[i], 1);
	for (size_t i = 0; i < sizeof(generic_words) / sizeof(generic_words[0]); i++)
		set_add(generic_words[i], 2);
}

static int set_kind_of(const char *s, size_t n)
{
	pthread_once(&set_once, set_build);
	uint64_t h = scan_hash(s, n);
	size_t i = (size_t)h & (SET_CAP - 1);
	while (set_kind[i]) {
		if (set_hash[i] == h)
			return set_kind[i];
		i = (i + 1) & (SET_CAP - 1);
	}
	return 0;
}

int words_is_stop(const char *s, size_t n)
{
	return (set_kind_of(s, n) & 1) != 0;
}

int words_is_generic(const char *s, size_t n)
{
	return set_kind_of(s, n) != 0;
}

int words_class(const char *s, size_t n)
{
	return set_kind_of(s, n);
}

uint64_t words_stem_hash(const char *s, size_t n)
{
	/* Longest suffix first; the stem keeps at least three letters. */
#define SUF(x) \
	{ \
		x, sizeof(x) - 1 \
	}
	static const struct {
		const char *s;
		size_t n;
	} suffixes[] = {
		SUF("ational"), SUF("ization"), SUF("fulness"), SUF("iveness"), SUF("ements"), SUF("ations"),
		SUF("ments"),   SUF("ation"),   SUF("ities"),   SUF("ement"),   SUF("ings"),   SUF("ment"),
		SUF("ness"),    SUF("able"),    SUF("ible"),    SUF("ity"),     SUF("ing"),    SUF("ies"),
		SUF("ers"),     SUF("ive"),     SUF("ize"),     SUF("ise"),     SUF("ed"),     SUF("er"),
		SUF("es"),      SUF("ly"),      SUF("al"),      SUF("s"),       SUF("e"),
	};
#undef SUF
	size_t stem = n;
	char last = n ? s[n - 1] : 0;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = suffixes[i].n;
		if (suffixes[i].s[k - 1] != last || n < k + 3 || memcmp(s + n - k, suffixes[i].s, k) != 0)
			continue;
		stem = n - k;
		break;
	}
	/* "managed"/"manage": a doubled or dropped 'e' meets the same stem. */
	if (stem >= 4 && s[stem - 1] == s[stem - 2] && s[stem - 1] != 'l' && s[stem - 1] != 's')
		stem--;
	return scan_hash(s, stem);
}

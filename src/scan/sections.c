/* scan/sections — see sections.h. Headings are compared after normalising:
 * lower case, every run of other characters one space, "&" read as "and". */
#include "scan/sections.h"

#include <stdint.h>
#include <string.h>

#define NORM_MAX 80

/* Normalises line into out; returns the number of words, or -1 when the
 * line is too long to be a heading. *decorated: ended with ':' or started
 * with '#' or '*' (markdown heading or bold). */
static int normalise(const char *line, size_t len, char out[NORM_MAX + 1], int *decorated)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*decorated = i < len && (line[i] == '#' || line[i] == '*' || line[i] == '_');
	if (len && (line[len - 1] == ':' || line[len - 1] == '*'))
		*decorated = 1;
	size_t n = 0;
	int words = 0, space = 1;
	for (; i < len; i++) {
		char c = line[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || (unsigned char)c >= 0x80;
		if (c == '&') {
			if (n + 5 > NORM_MAX)
				return -1;
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			memcpy(out + n, "and ", 4);
			n += 4;
			words++;
			space = 1;
			continue;
		}
		if (word) {
			if (c == '\'')
				continue;
			if (n + 1 > NORM_MAX)
				return -1;
			if (space)
				words++;
			out[n++] = c;
			space = 0;
		} else if (!space) {
			if (n + 1 > NORM_MAX)
				return -1;
			out[n++] = ' ';
			space = 1;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return words;
}

/* A list item ("- x", "* x", "• x", "1. x") is never a heading. */
static int bulleted(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ')
		return 1;
	if (i + 2 < n && (unsigned char)s[i] == 0xe2 &&
	    ((unsigned char)s[i + 1] == 0x80 || (unsigned char)s[i + 1] == 0x96 || (unsigned char)s[i + 1] == 0x97))
		return 1;
	return i + 1 < n && s[i] >= '0' && s[i] <= '9' && (s[i + 1] == '.' || s[i + 1] == ')');
}

static int starts(const char *s, const char *p)
{
	size_t n = strlen(p);
	return strncmp(s, p, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

static int contains(const char *s, const char *p)
{
	size_t n = strlen(p);
	for (const char *c = s; (c = strstr(c, p)) != NULL; c++)
		if ((c == s || c[-1] == ' ') && (c[n] == '\0' || c[n] == ' '))
			return 1;
	return 0;
}

static int any(const char *s, const char *const *list, int (*test)(const char *, const char *))
{
	for (; *list; list++)
		if (test(s, *list))
			return 1;
	return 0;
}

enum jd_section sections_jd_heading(const char *line, size_t len)
{
	char h[NORM_MAX + 1];
	if (bulleted(line, len))
		return JD_NONE;
	int decorated, words = normalise(line, len, h, &decorated);
	if (words <= 0 || words > 8 || (!decorated && words > 4))
		return JD_NONE;
	static const char *const preferred[] = {
		"preferred",    "nice to have", "nice to haves",  "bonus",   "bonus points",
		"pluses",       "plus",         "good to have",   "desired", "desirable",
		"extra credit", "ideally",      "would be great", NULL
	};
	static const char *const other[] = { "benefits",
					     "perks",
					     "what we offer",
					     "we offer",
					     "compensation",
					     "about us",
					     "about the company",
					     "who we are",
					     "our company",
					     "equal opportunity",
					     "eeo",
					     "salary",
					     "pay",
					     "why join",
					     "why work",
					     "life at",
					     "our benefits",
					     "how to apply",
					     "location",
					     NULL };
	static const char *const required[] = { "requirements",
						"required",
						"qualifications",
						"minimum qualifications",
						"basic qualifications",
						"must have",
						"must haves",
						"what you need",
						"what you ll need",
						"what youll need",
						"what you will need",
						"what we re looking for",
						"what were looking for",
						"what we are looking for",
						"who you are",
						"you have",
						"you should have",
						"your profile",
						"about you",
						"skills",
						"experience",
						"key skills",
						"skills and experience",
						"your skills",
						"what you bring",
						"you bring",
						"ideal candidate",
						"the ideal candidate",
						"competencies",
						"knowledge skills and abilities",
						NULL };
	static const char *const duties[] = { "responsibilities",
					      "what you ll do",
					      "what youll do",
					      "what you will do",
					      "the role",
					      "duties",
					      "job description",
					      "about the role",
					      "your role",
					      "day to day",
					      "key responsibilities",
					      "the job",
					      "role",
					      "overview",
					      "summary",
					      "description",
					      "essential functions",
					      "job duties",
					      NULL };
	if (any(h, preferred, decorated ? contains : starts))
		return JD_PREFERRED;
	if (any(h, other, starts))
		return JD_OTHER;
	if (any(h, required, starts) || contains(h, "requirements") || contains(h, "qualifications") ||
	    contains(h, "must have"))
		return JD_REQUIRED;
	if (any(h, duties, starts) || contains(h, "responsibilities"))
		return JD_DUTIES;
	return JD_NONE;
}

enum resume_section sections_resume_heading(const char *line, size_t len)
{
	char h[NORM_MAX + 1];
	if (bulleted(line, len))
		return RS_NONE;
	int decorated, words = normalise(line, len, h, &decorated);
	if (words <= 0 || words > 6 || (!decorated && words > 4))
		return RS_NONE;
	static const struct {
		const char *p;
		enum resume_section s;
	} heads[] = {
		{ "contact", RS_CONTACT },
		{ "contact information", RS_CONTACT },
		{ "contact details", RS_CONTACT },
		{ "personal information", RS_CONTACT },
		{ "personal details", RS_CONTACT },
		{ "summary", RS_SUMMARY },
		{ "professional summary", RS_SUMMARY },
		{ "career summary", RS_SUMMARY },
		{ "executive summary", RS_SUMMARY },
		{ "summary of qualifications", RS_SUMMARY },
		{ "profile", RS_SUMMARY },
		{ "professional profile", RS_SUMMARY },
		{ "objective", RS_SUMMARY },
		{ "career objective", RS_SUMMARY },
		{ "about me", RS_SUMMARY },
		{ "about", RS_SUMMARY },
		{ "overview", RS_SUMMARY },
		{ "experience", RS_EXPERIENCE },
		{ "work experience", RS_EXPERIENCE },
		{ "professional experience", RS_EXPERIENCE },
		{ "relevant experience", RS_EXPERIENCE },
		{ "employment", RS_EXPERIENCE },
		{ "employment history", RS_EXPERIENCE },
		{ "work history", RS_EXPERIENCE },
		{ "career history", RS_EXPERIENCE },
		{ "professional background", RS_EXPERIENCE },
		{ "experience and employment", RS_EXPERIENCE },
		{ "internships", RS_EXPERIENCE },
		{ "teaching experience", RS_EXPERIENCE },
		{ "clinical experience", RS_EXPERIENCE },
		{ "education", RS_EDUCATION },
		{ "education and training", RS_EDUCATION },
		{ "academic background", RS_EDUCATION },
		{ "academics", RS_EDUCATION },
		{ "educational background", RS_EDUCATION },
		{ "skills", RS_SKILLS },
		{ "technical skills", RS_SKILLS },
		{ "key skills", RS_SKILLS },
		{ "core skills", RS_SKILLS },
		{ "core competencies", RS_SKILLS },
		{ "competencies", RS_SKILLS },
		{ "areas of expertise", RS_SKILLS },
		{ "expertise", RS_SKILLS },
		{ "skills and tools", RS_SKILLS },
		{ "tools", RS_SKILLS },
		{ "technologies", RS_SKILLS },
		{ "tech stack", RS_SKILLS },
		{ "languages", RS_SKILLS },
		{ "skills and abilities", RS_SKILLS },
		{ "projects", RS_PROJECTS },
		{ "personal projects", RS_PROJECTS },
		{ "selected projects", RS_PROJECTS },
		{ "side projects", RS_PROJECTS },
		{ "key projects", RS_PROJECTS },
		{ "portfolio", RS_PROJECTS },
		{ "open source", RS_PROJECTS },
		{ "certifications", RS_CERTIFICATIONS },
		{ "certification", RS_CERTIFICATIONS },
		{ "certificates", RS_CERTIFICATIONS },
		{ "licenses", RS_CERTIFICATIONS },
		{ "licenses and certifications", RS_CERTIFICATIONS },
		{ "certifications and licenses", RS_CERTIFICATIONS },
		{ "licensure", RS_CERTIFICATIONS },
		{ "credentials", RS_CERTIFICATIONS },
		{ "courses", RS_CERTIFICATIONS },
		{ "training", RS_CERTIFICATIONS },
		{ "awards", RS_OTHER },
		{ "honors", RS_OTHER },
		{ "honors and awards", RS_OTHER },
		{ "awards and honors", RS_OTHER },
		{ "publications", RS_OTHER },
		{ "volunteer", RS_OTHER },
		{ "volunteering", RS_OTHER },
		{ "volunteer experience", RS_OTHER },
		{ "interests", RS_OTHER },
		{ "hobbies", RS_OTHER },
		{ "references", RS_OTHER },
		{ "activities", RS_OTHER },
		{ "achievements", RS_OTHER },
		{ "affiliations", RS_OTHER },
	};
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strcmp(h, heads[i].p) == 0)
			return heads[i].s;
	/* "Professional Experience and Internships", "Skills: Languages": the
	 * first words name it when the line is short. */
	if (words <= 4)
		for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
			if (heads[i].s != RS_SUMMARY && heads[i].s != RS_OTHER && starts(h, heads[i].p) &&
			    strchr(heads[i].p, ' '))
				return heads[i].s;
	return RS_NONE;
}

enum need sections_line_need(const char *line, size_t len)
{
	char buf[512];
	size_t n = len < sizeof(buf) ? len : sizeof(buf);
	for (size_t i = 0; i < n; i++) {
		char c = line[i];
		buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	return sections_line_need_lower(buf, n);
}

/* Does lower[0..len) hold any of the phrases, starting at a word? One pass over the bytes,
 * comparing only where a phrase's first letter stands (memmem per phrase
 * was the posting reader's hottest spot). */
static int holds_any(const char *lower, size_t len, const char *const *phrases)
{
	uint32_t first = 0;
	for (const char *const *p = phrases; *p; p++)
		if ((*p)[0] >= 'a' && (*p)[0] <= 'z')
			first |= 1u << ((*p)[0] - 'a');
	for (size_t i = 0; i < len; i++) {
		char c = lower[i];
		if (c < 'a' || c > 'z' || !(first >> (c - 'a') & 1) ||
		    (i > 0 && lower[i - 1] >= 'a' && lower[i - 1] <= 'z'))
			continue; /* phrases start at a word, with one of their first letters */
		for (const char *const *p = phrases; *p; p++) {
			const char *w = *p;
			if (w[0] != c || (i + 1 < len && w[1] != lower[i + 1]))
				continue;
			size_t n = strlen(w);
			if (n <= len - i && memcmp(lower + i, w, n) == 0)
				return 1;
		}
	}
	return 0;
}

enum need sections_line_need_lower(const char *lower, size_t len)
{
	/* One list, one pass: a preferred phrase wins over a required one. */
	static const char *const phrases[] = { "preferred", "nice to have",    "nice-to-have",
					       "a plus",    "bonus",           "ideally",
					       "desirable", "is an advantage", "would be great",
					       "required",  "must have",       "must be",
					       "mandatory", "requires",        NULL };
	enum { FIRST_REQUIRED = 9 };
	uint32_t first = 0;
	for (const char *const *p = phrases; *p; p++)
		first |= 1u << ((*p)[0] - 'a');
	enum need found = NEED_NONE;
	for (size_t i = 0; i < len; i++) {
		char c = lower[i];
		if (c < 'a' || c > 'z' || !(first >> (c - 'a') & 1) ||
		    (i > 0 && lower[i - 1] >= 'a' && lower[i - 1] <= 'z'))
			continue;
		for (size_t k = 0; phrases[k]; k++) {
			const char *w = phrases[k];
			if (w[0] != c || (i + 1 < len && w[1] != lower[i + 1]))
				continue;
			size_t n = strlen(w);
			if (n <= len - i && memcmp(lower + i, w, n) == 0) {
				if (k < FIRST_REQUIRED)
					return NEED_PREFERRED;
				found = NEED_REQUIRED;
			}
		}
	}
	return found;
}

int sections_holds_any(const char *lower, size_t len, const char *const *phrases)
{
	return holds_any(lower, len, phrases);
}

const char *need_name(enum need n)
{
	switch (n) {
	case NEED_REQUIRED:
		return "required";
	case NEED_PREFERRED:
		return "preferred";
	case NEED_OTHER:
		return "other";
	default:
		return "unspecified";
	}
}

const char *resume_section_name(enum resume_section s)
{
	static const char *const names[] = { "none",   "contact",  "summary",        "experience", "education",
					     "skills", "projects", "certifications", "other" };
	return (unsigned)s < RS_COUNT ? names[s] : "?";
}

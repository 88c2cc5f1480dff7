/* sources/hn_header — the first line of a Who-is-hiring comment; see hn_header.h. */
#include "scrape/sources/hn_header.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "scrape/normalize.h"

#define HN_MAX_PARTS 16

enum part_kind { PART_FREE, PART_URL, PART_SALARY, PART_EMPLOYMENT, PART_WORKPLACE };

static const char *trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

/* Splits line on sep into at most HN_MAX_PARTS non-empty trimmed parts. */
static size_t split_on(struct arena *a, const char *line, const char *sep, const char **parts)
{
	size_t n = 0, k = strlen(sep);
	for (const char *p = line; n < HN_MAX_PARTS;) {
		const char *hit = strstr(p, sep);
		size_t len = hit ? (size_t)(hit - p) : strlen(p);
		const char *part = trimmed(a, p, len);
		if (part)
			parts[n++] = part;
		if (!hit)
			break;
		p = hit + k;
	}
	return n;
}

/* "|" is the convention; the others only count when they cut the line in three or more. */
static size_t split_header(struct arena *a, const char *line, const char **parts)
{
	static const char *const fallbacks[] = { " \xE2\x80\xA2 ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " - " };
	size_t n = strchr(line, '|') ? split_on(a, line, "|", parts) : 0;
	if (n >= 2)
		return n;
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		n = split_on(a, line, fallbacks[i], parts);
		if (n >= 3)
			return n;
	}
	return 0;
}

/* kw occurs in s starting at a word boundary; short keywords must end at one too. */
static bool has_word(const char *s, const char *kw)
{
	size_t k = strlen(kw);
	for (const char *p = strcasestr(s, kw); p; p = strcasestr(p + 1, kw)) {
		bool start = p == s || !isalnum((unsigned char)p[-1]);
		bool end = k > 3 || !isalnum((unsigned char)p[k]);
		if (start && end)
			return true;
	}
	return false;
}

static bool has_any_word(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has_word(s, words[i]))
			return true;
	return false;
}

/* Words that make a part a job title rather than a place or a remark. */
static bool names_a_role(const char *s)
{
	static const char *const roles[] = { "engineer",
					     "developer",
					     "designer",
					     "manager",
					     "scientist",
					     "architect",
					     "analyst",
					     "lead",
					     "head of",
					     "director",
					     "swe",
					     "sre",
					     "devops",
					     "researcher",
					     "specialist",
					     "consultant",
					     "founding",
					     "cto",
					     "vp",
					     "administrator",
					     "marketer",
					     "recruiter",
					     "writer",
					     "programmer",
					     "technician",
					     "officer",
					     "associate",
					     "staff",
					     "principal",
					     "senior",
					     "junior",
					     "full-stack",
					     "fullstack",
					     "full stack",
					     "frontend",
					     "front-end",
					     "backend",
					     "back-end",
					     "intern",
					     "mle",
					     "ml",
					     "data",
					     "product",
					     "sales",
					     "support",
					     "operations",
					     "accountant",
					     "counsel",
					     "advocate",
					     "coordinator",
					     "representative",
					     "executive",
					     "owner",
					     "tester",
					     "qa",
					     "machine learning",
					     "ios",
					     "android",
					     "mobile",
					     "platform",
					     "infrastructure",
					     "security",
					     "hacker",
					     "roles",
					     "positions" };
	return has_any_word(s, roles, sizeof(roles) / sizeof(roles[0]));
}

static bool looks_like_url(const char *s)
{
	if (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "www.", 4) == 0 ||
	    strstr(s, "://"))
		return true;
	if (strpbrk(s, " \t"))
		return false;
	/* "quill.co/", "acme.io/careers": a dot, then 2-10 letters up to a slash or the end */
	size_t host = strcspn(s, "/");
	const char *dot = NULL;
	for (size_t i = 0; i < host; i++)
		if (s[i] == '.')
			dot = s + i;
	if (!dot)
		return false;
	size_t tld = (size_t)(s + host - dot - 1);
	for (size_t i = 1; i <= tld; i++)
		if (!isalpha((unsigned char)dot[i]))
			return false;
	return tld >= 2 && tld <= 10;
}

static bool has_money_marker(const char *s)
{
	static const char *const codes[] = { "USD", "EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "NOK",
					     "DKK", "INR", "JPY", "PLN", "NZD", "SGD", "BRL" };
	if (strchr(s, '$') || strstr(s, "\xC2\xA3") || strstr(s, "\xC2\xA5") || strstr(s, "\xE2\x82\xAC") ||
	    strstr(s, "\xE2\x82\xB9"))
		return true; /* $ £ ¥ € ₹ */
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (has_word(s, codes[i]))
			return true;
	for (const char *p = s; *p; p++) /* "150k", "150 K" */
		if (isdigit((unsigned char)*p)) {
			const char *q = p + 1;
			while (*q == ' ')
				q++;
			if ((*q == 'k' || *q == 'K') && !isalpha((unsigned char)q[1]))
				return true;
		}
	return false;
}

/* Funding and company size read like money but are not pay. */
static bool talks_about_company(const char *s)
{
	static const char *const words[] = { "raised",  "funded",    "funding",   "series",    "seed", "arr",
					     "revenue", "valuation", "employees", "customers", "users" };
	return has_any_word(s, words, sizeof(words) / sizeof(words[0]));
}

static bool looks_like_salary(const char *s)
{
	if (!strpbrk(s, "0123456789") || !has_money_marker(s) || talks_about_company(s))
		return false;
	struct posting_salary sal;
	return salary_parse_text(s, "", &sal) == 0;
}

/* "REMOTE", "Onsite", "Fully Remote", "On-site": a workplace word and nothing else. */
static bool only_workplace(const char *s)
{
	if (strlen(s) > 24)
		return false;
	for (const char *c = s; *c; c++)
		if (!isalpha((unsigned char)*c) && *c != ' ' && *c != '-')
			return false;
	return workplace_parse(s) != WORKPLACE_UNKNOWN;
}

static size_t count_words(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		if (!isspace((unsigned char)*p) && (p == s || isspace((unsigned char)p[-1])))
			n++;
	return n;
}

static enum part_kind classify(const char *s)
{
	if (looks_like_url(s))
		return PART_URL;
	if (looks_like_salary(s))
		return PART_SALARY;
	if (only_workplace(s))
		return PART_WORKPLACE;
	/* "Full-time, Contract" or a lone "Intern"; "Flight Software Intern" is a title. */
	if (strlen(s) <= 40 && (!names_a_role(s) || count_words(s) == 1) && employment_parse(s))
		return PART_EMPLOYMENT;
	return PART_FREE;
}

/* A part that names a place: a country the normaliser knows, or a workplace
 * word with more to it ("Remote (Europe)", "Onsite in NYC"). */
static bool names_a_place(struct arena *a, const char *s)
{
	if (names_a_role(s))
		return false;
	if (workplace_scan(s) != WORKPLACE_UNKNOWN)
		return true;
	struct posting_location loc;
	memset(&loc, 0, sizeof(loc));
	return location_parse(a, s, &loc, NULL) == 0 && loc.country[0];
}

static const char *cut_line(struct arena *a, const char *line)
{
	size_t n = strlen(line);
	if (n <= HN_HEADER_MAX)
		return line;
	n = HN_HEADER_MAX;
	while (n && ((unsigned char)line[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, line, n);
}

int hn_header_parse(struct arena *a, const char *line, struct hn_header *out)
{
	memset(out, 0, sizeof(*out));
	if (!line)
		return 0;
	line = cut_line(a, line);
	if (!line)
		return -ENOMEM;
	const char *parts[HN_MAX_PARTS];
	size_t n = split_header(a, line, parts);
	if (n < 2) {
		out->title = trimmed(a, line, strlen(line));
		out->workplace = out->title ? workplace_scan(out->title) : WORKPLACE_UNKNOWN;
		return 0;
	}
	out->company = parts[0];
	enum part_kind kind[HN_MAX_PARTS];
	for (size_t i = 1; i < n; i++)
		kind[i] = classify(parts[i]);
	size_t title = 0, place = 0;
	for (size_t i = 1; i < n && !title; i++)
		if (kind[i] == PART_FREE && names_a_role(parts[i]))
			title = i;
	for (size_t i = 1; i < n && !place; i++)
		if (kind[i] == PART_FREE && i != title && names_a_place(a, parts[i]))
			place = i;
	for (size_t i = 1; i < n && !title; i++)
		if (kind[i] == PART_FREE && i != place)
			title = i;
	out->title = title ? parts[title] : NULL;
	out->location = place ? parts[place] : NULL;
	for (size_t i = 1; i < n; i++) {
		if (kind[i] == PART_EMPLOYMENT)
			out->employment_types |= employment_parse(parts[i]);
		else if (kind[i] == PART_SALARY && !out->salary)
			out->salary = parts[i];
	}
	out->workplace = workplace_scan(line);
	return 0;
}

/* dedupe — canonical keys, SimHash and content hashes; see dedupe.h. */
#include "scrape/dedupe.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"

/* Lower-cases ASCII, turns ASCII punctuation into spaces and keeps UTF-8
 * bytes as they are, then splits into words; calls keep() on each word and
 * joins the kept ones with one space. */
typedef const char *word_map_fn(const char *word, size_t len, size_t index, size_t count);

static const char *normalize_words(struct arena *a, const char *s, word_map_fn *map)
{
	if (!s)
		return "";
	size_t n = strlen(s);
	if (n > 1024)
		n = 1024; /* a title or company name; longer text is noise */
	char *tmp = arena_alloc_raw(a, n + 1);
	char *out = arena_alloc_raw(a, n + 1);
	if (!tmp || !out)
		return NULL;
	/* Bracketed parts hold gender markers, locations and team names:
	 * "Engineer (m/w/d)", "Engineer [Remote]". Dropped. */
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(' || c == '[') {
			depth++;
			tmp[i] = ' ';
		} else if ((c == ')' || c == ']') && depth > 0) {
			depth--;
			tmp[i] = ' ';
		} else if (depth > 0) {
			tmp[i] = ' ';
		} else if (c >= 0x80 || isalnum(c) || c == '+' || c == '#') {
			tmp[i] = (char)tolower(c); /* keep c++ and c# apart from c */
		} else {
			tmp[i] = ' ';
		}
	}
	tmp[n] = '\0';
	const char *words[256];
	size_t lens[256], count = 0;
	for (char *p = tmp; *p && count < 256;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *e = p;
		while (*e && *e != ' ')
			e++;
		words[count] = p;
		lens[count++] = (size_t)(e - p);
		p = e;
	}
	size_t len = 0;
	for (size_t i = 0; i < count; i++) {
		const char *w = map ? map(words[i], lens[i], i, count) : words[i];
		if (!w)
			continue;
		size_t wl = w == words[i] ? lens[i] : strlen(w);
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w, wl);
		len += wl;
	}
	out[len] = '\0';
	return out;
}

static int word_is(const char *w, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(w, lit, len) == 0;
}

static const char *company_word(const char *w, size_t len, size_t index, size_t count)
{
	static const char *const legal[] = { "inc",  "incorporated", "llc", "llp",     "ltd", "limited", "gmbh", "ag",
					     "corp", "corporation",  "co",  "company", "sa",  "sas",     "sarl", "bv",
					     "nv",   "plc",          "srl", "spa",     "oy",  "ab",      "as",   "aps",
					     "pty",  "kg",           "se",  "ug",      "lp" };
	if (index == 0 && count > 1 && word_is(w, len, "the"))
		return NULL;
	if (index > 0) /* "AB InBev" keeps its first word */
		for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
			if (word_is(w, len, legal[i]))
				return NULL;
	return w;
}

static const char *title_word(const char *w, size_t len, size_t index, size_t count)
{
	(void)index;
	(void)count;
	static const char *const dropped[] = { "remote", "hybrid", "onsite", "m",   "w",   "d",       "f",
					       "x",      "mwd",    "mfd",    "fmd", "all", "genders", "gn" };
	static const struct {
		const char *from, *to;
	} expand[] = { { "sr", "senior" },   { "snr", "senior" },    { "jr", "junior" }, { "jnr", "junior" },
		       { "mgr", "manager" }, { "engr", "engineer" }, { "ii", "2" },      { "iii", "3" } };
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		if (word_is(w, len, dropped[i]))
			return NULL;
	for (size_t i = 0; i < sizeof(expand) / sizeof(expand[0]); i++)
		if (word_is(w, len, expand[i].from))
			return expand[i].to;
	return w;
}

const char *dedupe_normalize_company(struct arena *a, const char *company)
{
	return normalize_words(a, company, company_word);
}

const char *dedupe_normalize_title(struct arena *a, const char *title)
{
	return normalize_words(a, title, title_word);
}

const char *dedupe_canonical_key(struct arena *a, const struct posting *p)
{
	const char *company = dedupe_normalize_company(a, p->company);
	const char *title = dedupe_normalize_title(a, p->title);
	if (!company || !title)
		return NULL;
	if (!*company || !*title) /* nothing to agree on: unique to this source row */
		return arena_printf(a, "~%s|%s", p->source ? p->source : "", p->external_id ? p->external_id : "");
	/* The place: the city when known (sources disagree on whether to add the
	 * country), else the country, else "remote" for remote jobs. */
	const char *place = "";
	if (p->location.locality && *p->location.locality)
		place = normalize_words(a, p->location.locality, NULL);
	else if (p->location.country[0])
		place = arena_printf(a, "%c%c", tolower((unsigned char)p->location.country[0]),
				     tolower((unsigned char)p->location.country[1]));
	else if (p->workplace == WORKPLACE_REMOTE)
		place = "remote";
	if (!place)
		return NULL;
	return arena_printf(a, "%s|%s|%s", company, title, place);
}

/* Words are hashed with FNV-1a, shingles through a SplitMix64 finaliser so
 * that neighbouring shingles spread over all 64 bits (plain FNV's high bits
 * are weak for short inputs). */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Bytes that make words: ASCII letters and digits (isalnum in the C locale
 * the program runs in, without the call) and every byte of UTF-8. */
static inline int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The 8 bits of byte x, one in the low bit of each byte of the result. */
static inline uint64_t spread_bits(uint64_t x)
{
	uint64_t m = (x * 0x0101010101010101ULL) & 0x8040201008040201ULL; /* bit k kept in byte k */
	return ((m + 0x7F7F7F7F7F7F7F7FULL) & 0x8080808080808080ULL) >> 7;
}

uint64_t dedupe_simhash(const char *text)
{
	if (!text)
		return 0;
	/* Each shingle votes +1 or -1 on each of the 64 bits; a bit ends up set
	 * when more shingles had it than not. Counting the ones is the same
	 * vote (weight = 2·ones − shingles), and eight byte-wide counters in a
	 * word count eight bits at once; they are emptied into ones[] before a
	 * byte can overflow. */
	uint64_t lanes[8] = { 0 };
	unsigned ones[64] = { 0 };
	unsigned in_lanes = 0;
	uint64_t word_hash[3] = { 0 };
	size_t words = 0, shingles = 0;
	const char *p = text;
	/* Bounded: 200 KB of text is far more than any posting. */
	const char *end = text + strnlen(text, 200000);
	while (p < end) {
		while (p < end && !word_byte((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t wl = 0;
		for (; p < end && word_byte((unsigned char)*p); p++)
			if (wl++ < 64) { /* FNV-1a of the word's first 64 bytes, lower-cased */
				unsigned char c = (unsigned char)*p;
				h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 0x100000001b3ULL;
			}
		word_hash[0] = word_hash[1];
		word_hash[1] = word_hash[2];
		word_hash[2] = h;
		if (++words < 3)
			continue;
		uint64_t sh = mix(word_hash[0] ^ mix(word_hash[1] ^ mix(word_hash[2])));
		for (int j = 0; j < 8; j++)
			lanes[j] += spread_bits((sh >> (8 * j)) & 0xFF);
		shingles++;
		if (++in_lanes == 255) {
			for (int b = 0; b < 64; b++)
				ones[b] += (unsigned)((lanes[b / 8] >> (8 * (b % 8))) & 0xFF);
			memset(lanes, 0, sizeof(lanes));
			in_lanes = 0;
		}
	}
	if (shingles == 0) /* one or two words: hash them as they are */
		return words ? mix(word_hash[2] ^ mix(word_hash[1])) : 0;
	uint64_t out = 0;
	for (int b = 0; b < 64; b++) {
		size_t n = ones[b] + ((lanes[b / 8] >> (8 * (b % 8))) & 0xFF);
		if (2 * n > shingles)
			out |= 1ULL << b;
	}
	return out;
}

int dedupe_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

static void hash_field(crypto_generichash_state *st, const char *s)
{
	/* Each field ends with a byte no text contains, so "ab"+"c" ≠ "a"+"bc". */
	if (s)
		crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
	crypto_generichash_update(st, (const unsigned char *)"\x1f", 1);
}

void dedupe_content_hash(const struct posting *p, char out[33])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 16);
	hash_field(&st, p->title);
	hash_field(&st, p->company);
	hash_field(&st, p->location.raw);
	hash_field(&st, p->location.locality);
	hash_field(&st, p->location.region);
	hash_field(&st, p->location.country);
	char nums[160];
	snprintf(nums, sizeof(nums), "%d|%u|%d|%.2f|%.2f|%s|%d", (int)p->workplace, p->employment_types,
		 (int)p->salary.present, p->salary.min, p->salary.max, p->salary.currency, (int)p->salary.period);
	hash_field(&st, nums);
	hash_field(&st, p->date_posted);
	hash_field(&st, p->valid_through);
	hash_field(&st, p->description_html);
	hash_field(&st, p->apply_url);
	hash_field(&st, p->url);
	unsigned char digest[16];
	crypto_generichash_final(&st, digest, sizeof(digest));
	sodium_bin2hex(out, 33, digest, sizeof(digest));
}

int dedupe_apply_rank(const char *source)
{
	static const struct {
		const char *name;
		int rank;
	} ranks[] = {
		{ "greenhouse", 30 },      { "lever", 30 },     { "ashby", 30 },      { "workday", 30 },
		{ "smartrecruiters", 30 }, { "recruitee", 30 }, { "workable", 30 },   { "personio", 30 },
		{ "jsonld", 20 },          { "xpath", 20 },     { "hackernews", 10 }, { "rss", 5 },
		{ "remotive", 5 },         { "remoteok", 5 },   { "linkedin", 1 },
	};
	for (size_t i = 0; source && i < sizeof(ranks) / sizeof(ranks[0]); i++)
		if (strcmp(source, ranks[i].name) == 0)
			return ranks[i].rank;
	return 10;
}

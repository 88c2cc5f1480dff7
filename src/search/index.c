/* index — see index.h. The writer side (interning, the doc table, appending
 * postings) comes first, then the search side (iterators over posting
 * lists, filters and facets, the top-k heap with block-max pruning). */
#include "search/index.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "search/tokenize.h"

#define BLOCK      128
#define SUB        16 /* postings per sub-block bound */
#define DOC_END    UINT32_MAX
#define POS_MAX    4096 /* positions of one term in one document a phrase looks at */
#define K1         1.2f
#define MAX_LEAVES 256

static const float field_weight[FIELD_COUNT] = { 3.0f, 2.0f, 1.5f, 1.0f };
static const float field_b[FIELD_COUNT] = { 0.5f, 0.3f, 0.3f, 0.75f };
/* Typical postings: a 4-word title, 2-word company, 3-word place, 300-word text. */
static const float default_avg[FIELD_COUNT] = { 4.0f, 2.0f, 3.0f, 300.0f };

enum { DOC_LIVE = 1, DOC_CLOSED = 2 };

/* ---- growable storage ------------------------------------------------------ */

static int grow(void **p, uint32_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		return -EOVERFLOW;
	void *np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = (uint32_t)ncap;
	return 0;
}

struct bytes {
	uint8_t *p;
	uint32_t len, cap;
};

static inline void put_varint(struct bytes *b, uint32_t v)
{
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

static inline uint32_t get_varint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint32_t v = *p & 0x7F;
	int shift = 7;
	while (*p++ & 0x80) {
		v |= (uint32_t)(*p & 0x7F) << shift;
		shift += 7;
	}
	*pp = p;
	return v;
}

/* p after n varints (of the stream ending at end): eight bytes at a time,
 * counting the bytes that end one (high bit clear), while n is that big. */
static const uint8_t *skip_varints(const uint8_t *p, const uint8_t *end, uint64_t n)
{
	while (n >= 8 && end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, sizeof(w));
		n -= (uint64_t)__builtin_popcountll(~w & 0x8080808080808080ull);
		p += 8;
	}
	for (; n; n--) /* the rest, and the tail of a varint the words cut */
		while (*p++ & 0x80)
			;
	return p;
}

/* ---- interned strings ---------------------------------------------------------- */

struct intern {
	char *str;
	uint32_t str_len, str_cap;
	uint32_t *off, *hash;
	uint32_t n, cap, hash_cap;
	uint32_t *slots; /* id + 1; 0 empty */
	uint32_t nslots;
};

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t intern_find(const struct intern *in, const char *s, size_t len, uint32_t h)
{
	if (!in->nslots)
		return UINT32_MAX;
	for (uint32_t j = h & (in->nslots - 1);; j = (j + 1) & (in->nslots - 1)) {
		uint32_t id = in->slots[j];
		if (!id)
			return UINT32_MAX;
		id--;
		if (in->hash[id] == h) {
			const char *t = in->str + in->off[id];
			if (strlen(t) == len && memcmp(t, s, len) == 0)
				return id;
		}
	}
}

static int intern_rehash(struct intern *in, uint32_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t id = 0; id < in->n; id++) {
		uint32_t j = in->hash[id] & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = id + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = nslots;
	return 0;
}

/* The id of s, adding it when new (*added set). */
static int intern_add(struct intern *in, const char *s, size_t len, uint32_t *id, bool *added)
{
	uint32_t h = hash_str(s, len);
	*added = false;
	if ((*id = intern_find(in, s, len, h)) != UINT32_MAX)
		return 0;
	int rc;
	if ((in->n + 1) * 2 > in->nslots && (rc = intern_rehash(in, in->nslots ? in->nslots * 2 : 1024)))
		return rc;
	if ((rc = grow((void **)&in->str, &in->str_cap, (size_t)in->str_len + len + 1, 1)) ||
	    (rc = grow((void **)&in->off, &in->cap, (size_t)in->n + 1, sizeof(*in->off))))
		return rc;
	uint32_t hc = in->hash_cap;
	if ((rc = grow((void **)&in->hash, &hc, (size_t)in->n + 1, sizeof(*in->hash))))
		return rc;
	in->hash_cap = hc;
	memcpy(in->str + in->str_len, s, len);
	in->str[in->str_len + len] = '\0';
	in->off[in->n] = in->str_len;
	in->hash[in->n] = h;
	in->str_len += (uint32_t)len + 1;
	uint32_t j = h & (in->nslots - 1);
	while (in->slots[j])
		j = (j + 1) & (in->nslots - 1);
	in->slots[j] = in->n + 1;
	*id = in->n++;
	*added = true;
	return 0;
}

static const char *intern_str(const struct intern *in, uint32_t id)
{
	return in->str + in->off[id];
}

static void intern_free(struct intern *in)
{
	free(in->str);
	free(in->off);
	free(in->hash);
	free(in->slots);
}

/* How a filter column's values are compared: codes (country, currency)
 * in ASCII upper case, adapter names in ASCII lower case, and names people
 * type (city, company) as the query's words are, so city=zurich finds
 * "Zürich" as q=zurich does (tokenizer_fold). */
enum fold { FOLD_CODE, FOLD_ASCII, FOLD_WORDS };

/* The folded copy of s into out (cap bytes). */
static size_t fold_case(const char *s, char *out, size_t cap, enum fold how)
{
	if (how == FOLD_WORDS)
		return tokenizer_fold(s, strlen(s), out, cap);
	bool upper = how == FOLD_CODE;
	size_t n = 0;
	for (; s[n] && n + 1 < cap; n++) {
		char c = s[n];
		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		else if (!upper && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		out[n] = c;
	}
	out[n] = '\0';
	return n;
}

/* Interned id + 1 of the folded value, 0 for NULL or "" (or on failure). */
static uint32_t intern_value(struct intern *in, const char *s, enum fold how)
{
	char tmp[256];
	bool added;
	uint32_t id;
	if (!s || !*s)
		return 0;
	size_t n = fold_case(s, tmp, sizeof(tmp), how);
	return n == 0 || intern_add(in, tmp, n, &id, &added) ? 0 : id + 1;
}

/* The id + 1 of a value the index knows, 0 when it does not (NULL: ""). */
static uint32_t lookup_value(const struct intern *in, const char *s, enum fold how)
{
	char tmp[256];
	size_t n = fold_case(s, tmp, sizeof(tmp), how);
	if (n == 0) /* only punctuation: nothing has it */
		return 0;
	uint32_t id = intern_find(in, tmp, n, hash_str(tmp, n));
	return id == UINT32_MAX ? 0 : id + 1;
}

/* ---- the index -------------------------------------------------------------------- */

/* Values compared folded (FOLD_WORDS) but shown as first written:
 * folded id -> id + 1 in names. */
struct named {
	struct intern folded, names;
	uint32_t *shown;
	uint32_t cap_shown, n_shown;
};

struct tblock {
	uint32_t last_doc;
	uint32_t doc_off, tf_off, pos_off;
	uint32_t n;
	/* Per 16 postings, the highest tf saturation x / (k1 + x) (with the
	 * reference averages) rounded up to 1/255: a bound for 16 documents
	 * prunes far more than one for 128. */
	uint8_t sub[BLOCK / SUB];
	/* The same counting only title, company or location: a field query
	 * (`title:engineer`) scores only its field, and the bound over all
	 * fields, high wherever the word fills a description, never prunes it.
	 * Description-only queries keep the bound over all fields. */
	uint8_t fsub[FIELD_DESCRIPTION][BLOCK / SUB];
};

static inline uint8_t quantize_up(float sat)
{
	float q = ceilf(sat * 255.0f);
	return q >= 255.0f ? 255 : (uint8_t)q;
}

const double search_salary_bands[SEARCH_SALARY_BANDS] = { 40000, 60000, 80000, 100000, 120000, 150000, 200000 };
const int search_posted_bands[SEARCH_POSTED_BANDS] = { 1, 3, 7, 14, 30 };
#define SALARY_BAND_COUNT (SEARCH_SALARY_BANDS + 2)
#define AGE_DAYS          31 /* ages 0 (or later) .. 30 days, the biggest posted band */

/* 0: no salary; 1: below the first band; 1 + i: reaches band i - 1 but not i.
 * The top (or only) figure, as the min_salary filter compares. */
static uint8_t salary_band(float sal_min, float sal_max)
{
	float top = sal_max > 0 ? sal_max : sal_min;
	if (!(top > 0))
		return 0;
	uint8_t b = 1;
	while (b - 1 < SEARCH_SALARY_BANDS && top >= (float)search_salary_bands[b - 1])
		b++;
	return b;
}

static uint16_t day16(int32_t day)
{
	if (day == SEARCH_NO_DAY)
		return 0;
	return (uint16_t)(day < 1 ? 1 : day > UINT16_MAX ? UINT16_MAX : day);
}

/* Documents by the day they were posted (frow.day), ascending: the
 * posted-within facet counts from "today", which moves, so a term keeps
 * days, not bands (one entry per distinct day, a few hundred). */
struct dayhist {
	uint16_t *day;
	uint32_t *n;
	uint32_t len, cap;
};

/* The total and facet counts of a term's live documents, open or closed. */
struct tcount {
	uint32_t total;
	uint32_t workplace[4], employment[8], source[SEARCH_MAX_SOURCES], salary[SALARY_BAND_COUNT];
	uint32_t *country, *company; /* by interned id - 1 */
	uint32_t *city;              /* by row id (0: none) */
	uint32_t ncountry, ncompany, ncity;
	struct dayhist days;
};

struct tcache {
	struct tcount open, closed;
};

struct term {
	struct bytes docs, tfs, pos;
	struct tblock *blocks;
	uint32_t nblocks, cap_blocks;
	uint32_t df, last_doc;
	struct tcache *counts; /* frequent terms only (search_options.facet_cache_df) */
};

/* The doc table in columns by when a search reads them: every match reads
 * its flags byte, facets read a 12-byte row, scoring the lengths and a
 * candidate for the page its posting id, and only filters and sorts the
 * rest. A match costs a cache miss per column it touches, so the columns a
 * search always touches are small. */
struct sdoc { /* cold */
	int64_t first_seen;
	float sal_min, sal_max;
	int32_t day;
	uint8_t currency;
};

/* Facets and their filters, 16 bytes: a row never straddles two cache
 * lines. Company and city: interned id + 1 below ROW_ID_MAX (the index
 * gives up to 16.7 million distinct ones a row id; later ones none: not
 * found by their filter, not in their facet). */
struct frow {
	uint32_t company : 24, workplace : 2, salary : 4; /* salary: salary_band() */
	uint32_t sources;                                 /* bits */
	uint32_t city : 24, employment : 8;
	uint16_t country; /* interned id + 1 */
	/* Days since 1970 (0: no date; clamped to 1..65535, so the facet is
	 * exact for any "today" from 1970 + 30 days to 2149; the filter reads
	 * the exact sdoc.day). */
	uint16_t day;
};
#define ROW_ID_MAX (1u << 24)
_Static_assert(sizeof(struct frow) == 16, "a facet row is 16 bytes");

/* Tokens per field, for scoring, and the posting id beside them: a scored
 * match that reaches the heap (every tie of a field query's top score
 * does) needs its id, and it comes in the same cache line. */
struct lrow {
	int64_t posting_id;
	uint16_t len[FIELD_COUNT];
};

struct slot { /* a term of the document being added */
	uint32_t term;
	uint16_t tf[FIELD_COUNT];
	uint32_t head, tail; /* positions chain in the scratch */
};

struct posent {
	uint32_t pos, next;
	uint32_t field;
};

struct search_index {
	float ref_avg[FIELD_COUNT];
	uint32_t counts_df; /* search_options.facet_cache_df */
	uint32_t *counted;  /* terms with counts */
	uint32_t ncounted, cap_counted;
	struct sdoc *docs;
	struct frow *frows;
	struct lrow *lens;
	uint8_t *flags;
	/* seen_max[d]: the latest first_seen of documents 0..d. It never
	 * decreases, so the first document that can pass a first_seen_after
	 * filter is a binary search away, and a "new since" count skips the
	 * postings lists before it (documents are numbered as they arrive). */
	int64_t *seen_max;
	uint32_t ndocs, cap_docs, nlive;
	uint64_t sum_len[FIELD_COUNT];
	/* posting id -> document number + 1 (open addressing) */
	int64_t *map_keys;
	uint32_t *map_vals;
	uint32_t map_cap, map_used;

	struct intern dict;
	struct term *terms;
	uint32_t cap_terms;
	uint32_t *sorted; /* term ids by string; sorted_n of them (later ones unsorted) */
	uint32_t sorted_n, cap_sorted;

	struct intern countries, sources, currencies;
	/* Companies and cities, folded, and each one's name as first written,
	 * for its facet. */
	struct named companies, cities;

	/* scratch of search_index_put */
	uint32_t *stamp, *slot_of;
	uint32_t cap_stamp;
	struct slot *slots;
	uint32_t nslots, cap_slots;
	struct posent *pents;
	uint32_t npents, cap_pents;
	uint32_t cur_doc, cur_field, cur_len;
	int err;
};

/* The value's id + 1 as intern_value gives it; a value new to the index
 * also keeps its name as written, for the facet. */
static uint32_t intern_named(struct named *nm, const char *name)
{
	uint32_t n_before = nm->folded.n;
	uint32_t id = intern_value(&nm->folded, name, FOLD_WORDS);
	if (!id || nm->folded.n == n_before)
		return id;
	uint32_t shown;
	bool added;
	size_t len = strlen(name);
	if (grow((void **)&nm->shown, &nm->cap_shown, id, sizeof(*nm->shown)))
		return id; /* the facet then shows the folded name */
	while (nm->n_shown < id)
		nm->shown[nm->n_shown++] = 0;
	if (intern_add(&nm->names, name, len < 255 ? len : 255, &shown, &added) == 0)
		nm->shown[id - 1] = shown + 1;
	return id;
}

/* The name the facet shows for the value of interned id `id`. */
static const char *named_shown(const struct named *nm, uint32_t id)
{
	uint32_t shown = id < nm->n_shown ? nm->shown[id] : 0;
	return shown ? intern_str(&nm->names, shown - 1) : intern_str(&nm->folded, id);
}

static void named_free(struct named *nm)
{
	intern_free(&nm->folded);
	intern_free(&nm->names);
	free(nm->shown);
}

static void tcount_free(struct tcount *t)
{
	free(t->country);
	free(t->company);
	free(t->city);
	free(t->days.day);
	free(t->days.n);
}

static void tcache_free(struct tcache *c)
{
	if (!c)
		return;
	tcount_free(&c->open);
	tcount_free(&c->closed);
	free(c);
}

/* Where count_row adds a row's facet values. */
struct fsink {
	uint32_t *workplace, *employment, *source, *country, *company, *city, *salary;
};

/* Adds d (1, or -1 as unsigned) to the counts of the facet values of row
 * fr, all but its day (the caller's: by age, or by day). */
static inline void count_row(const struct frow *fr, uint32_t d, const struct fsink *s)
{
	s->workplace[fr->workplace] += d;
	s->salary[fr->salary] += d;
	for (unsigned e = fr->employment; e; e &= e - 1)
		s->employment[__builtin_ctz(e)] += d;
	for (uint32_t b = fr->sources; b; b &= b - 1)
		s->source[__builtin_ctz(b)] += d;
	if (fr->country)
		s->country[fr->country - 1] += d;
	if (fr->company)
		s->company[fr->company - 1] += d;
	s->city[fr->city] += d; /* [0]: none, without a branch */
}

/* The first entry of h whose day is `day` or later. */
static uint32_t dayhist_find(const struct dayhist *h, uint32_t day)
{
	uint32_t lo = 0, hi = h->len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (h->day[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds d (1 or -1 as unsigned) to day's count; 0 or -ENOMEM. */
static int dayhist_add(struct dayhist *h, uint16_t day, uint32_t d)
{
	uint32_t i = dayhist_find(h, day);
	if (i < h->len && h->day[i] == day) {
		h->n[i] += d;
		return 0;
	}
	if (h->len == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 16;
		uint16_t *pd = realloc(h->day, cap * sizeof(*pd));
		if (pd)
			h->day = pd;
		uint32_t *pn = pd ? realloc(h->n, cap * sizeof(*pn)) : NULL;
		if (!pn)
			return -ENOMEM;
		h->n = pn;
		h->cap = cap;
	}
	memmove(h->day + i + 1, h->day + i, (h->len - i) * sizeof(*h->day));
	memmove(h->n + i + 1, h->n + i, (h->len - i) * sizeof(*h->n));
	h->day[i] = day;
	h->n[i] = d;
	h->len++;
	return 0;
}

/* Grows a by-id count array to n zeroed entries; 0 or -ENOMEM. */
static int grow_counts(uint32_t **v, uint32_t *have, uint32_t n)
{
	if (n <= *have)
		return 0;
	uint32_t *p = realloc(*v, (n ? n : 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(p + *have, 0, (n - *have) * sizeof(*p));
	*v = p;
	*have = n;
	return 0;
}

/* Counts doc in or out (sign +1 or -1) of c: its live document as its
 * flags and facet row say now. 0, or -ENOMEM (c then unusable). */
static int tcache_count(const struct search_index *ix, struct tcache *c, uint32_t doc, int sign)
{
	struct tcount *t = ix->flags[doc] & DOC_CLOSED ? &c->closed : &c->open;
	const struct frow *fr = &ix->frows[doc];
	uint32_t d = (uint32_t)sign;
	if ((fr->country > t->ncountry && grow_counts(&t->country, &t->ncountry, ix->countries.n)) ||
	    (fr->company > t->ncompany && grow_counts(&t->company, &t->ncompany, ix->companies.folded.n + 256)) ||
	    (fr->city >= t->ncity && grow_counts(&t->city, &t->ncity, ix->cities.folded.n + 257)) ||
	    (fr->day && dayhist_add(&t->days, fr->day, d)))
		return -ENOMEM;
	t->total += d;
	struct fsink s = { t->workplace, t->employment, t->source, t->country, t->company, t->city, t->salary };
	count_row(fr, d, &s);
	return 0;
}

/* The first block from `from` on whose last document is doc or after it. */
static uint32_t block_of(const struct term *t, uint32_t from, uint32_t doc)
{
	uint32_t lo = from, hi = t->nblocks;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->blocks[mid].last_doc < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether doc is in t's posting list. */
static bool term_has(const struct term *t, uint32_t doc)
{
	uint32_t lo = block_of(t, 0, doc);
	if (lo == t->nblocks)
		return false;
	uint32_t d = lo ? t->blocks[lo - 1].last_doc : UINT32_MAX;
	const uint8_t *p = t->docs.p + t->blocks[lo].doc_off;
	for (uint32_t i = 0; i < t->blocks[lo].n; i++) {
		d += get_varint(&p);
		if (d >= doc)
			return d == doc;
	}
	return false;
}

/* Drops a term's counts (after a failure): prepare builds them again. */
static void uncount_term(struct search_index *ix, uint32_t k)
{
	tcache_free(ix->terms[ix->counted[k]].counts);
	ix->terms[ix->counted[k]].counts = NULL;
	ix->counted[k] = ix->counted[--ix->ncounted];
}

/* The live doc leaves (sign -1) or joins (+1) the counts of the counted
 * terms it is in: all of them are looked up when it leaves (the index
 * keeps no list of a document's terms), only its own when it joins. */
static void count_doc(struct search_index *ix, uint32_t doc, int sign, const struct slot *slots, uint32_t nslots)
{
	if (sign > 0) {
		for (uint32_t s = 0; s < nslots; s++) {
			struct term *t = &ix->terms[slots[s].term];
			if (t->counts && tcache_count(ix, t->counts, doc, 1)) {
				for (uint32_t k = 0; k < ix->ncounted; k++)
					if (ix->counted[k] == slots[s].term) {
						uncount_term(ix, k);
						break;
					}
			}
		}
		return;
	}
	for (uint32_t k = 0; k < ix->ncounted; k++) {
		struct term *t = &ix->terms[ix->counted[k]];
		if (term_has(t, doc))
			tcache_count(ix, t->counts, doc, -1); /* never grows: it was counted in */
	}
}

/* Counts of every frequent term that has none yet (a pass over its
 * postings). Frequent: in counts_df documents and in a sixteenth of them
 * all; rarer words cost little to walk, and counts cost memory (a count
 * per company). */
static int count_terms(struct search_index *ix)
{
	uint32_t min_df = ix->nlive / 16 > ix->counts_df ? ix->nlive / 16 : ix->counts_df;
	for (uint32_t id = 0; id < ix->dict.n; id++) {
		struct term *t = &ix->terms[id];
		if (t->counts || t->df < min_df)
			continue;
		int rc = grow((void **)&ix->counted, &ix->cap_counted, (size_t)ix->ncounted + 1, sizeof(*ix->counted));
		if (rc || !(t->counts = calloc(1, sizeof(*t->counts))))
			return rc ? rc : -ENOMEM;
		const uint8_t *p = t->docs.p;
		uint32_t doc = UINT32_MAX;
		for (uint32_t i = 0; i < t->df && !rc; i++) {
			doc += get_varint(&p);
			if (ix->flags[doc] & DOC_LIVE)
				rc = tcache_count(ix, t->counts, doc, 1);
		}
		ix->counted[ix->ncounted++] = id;
		if (rc) {
			uncount_term(ix, ix->ncounted - 1);
			return rc;
		}
	}
	return 0;
}

struct search_index *search_index_new(const struct search_options *opt)
{
	struct search_index *ix = calloc(1, sizeof(*ix));
	if (!ix)
		return NULL;
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->ref_avg[f] = opt && opt->avg_len[f] > 0 ? opt->avg_len[f] : default_avg[f];
	ix->counts_df = opt && opt->facet_cache_df ? opt->facet_cache_df : SEARCH_FACET_CACHE_DF;
	return ix;
}

void search_index_free(struct search_index *ix)
{
	if (!ix)
		return;
	for (uint32_t i = 0; i < ix->dict.n; i++) {
		free(ix->terms[i].docs.p);
		free(ix->terms[i].tfs.p);
		free(ix->terms[i].pos.p);
		free(ix->terms[i].blocks);
		tcache_free(ix->terms[i].counts);
	}
	free(ix->counted);
	free(ix->terms);
	intern_free(&ix->dict);
	named_free(&ix->companies);
	named_free(&ix->cities);
	intern_free(&ix->countries);
	intern_free(&ix->sources);
	intern_free(&ix->currencies);
	free(ix->docs);
	free(ix->frows);
	free(ix->lens);
	free(ix->flags);
	free(ix->seen_max);
	free(ix->map_keys);
	free(ix->map_vals);
	free(ix->sorted);
	free(ix->stamp);
	free(ix->slot_of);
	free(ix->slots);
	free(ix->pents);
	free(ix);
}

static uint32_t map_hash(int64_t key)
{
	uint64_t x = (uint64_t)key * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(x >> 32);
}

/* The slot of key, or where it would go. */
static uint32_t map_slot(const struct search_index *ix, int64_t key)
{
	uint32_t j = map_hash(key) & (ix->map_cap - 1);
	while (ix->map_vals[j] && ix->map_keys[j] != key)
		j = (j + 1) & (ix->map_cap - 1);
	return j;
}

static int map_grow(struct search_index *ix)
{
	uint32_t cap = ix->map_cap ? ix->map_cap * 2 : 1024;
	int64_t *keys = malloc(cap * sizeof(*keys));
	uint32_t *vals = calloc(cap, sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < ix->map_cap; i++) {
		if (!ix->map_vals[i] || ix->map_vals[i] == UINT32_MAX)
			continue;
		uint32_t j = map_hash(ix->map_keys[i]) & (cap - 1);
		while (vals[j])
			j = (j + 1) & (cap - 1);
		keys[j] = ix->map_keys[i];
		vals[j] = ix->map_vals[i];
	}
	free(ix->map_keys);
	free(ix->map_vals);
	ix->map_keys = keys;
	ix->map_vals = vals;
	ix->map_cap = cap;
	return 0;
}

int32_t search_day(const char *date)
{
	if (!date || strlen(date) < 10 || date[4] != '-' || date[7] != '-')
		return SEARCH_NO_DAY;
	int v[3] = { 0, 0, 0 };
	const int at[3] = { 0, 5, 8 }, len[3] = { 4, 2, 2 };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < len[k]; i++) {
			char c = date[at[k] + i];
			if (c < '0' || c > '9')
				return SEARCH_NO_DAY;
			v[k] = v[k] * 10 + (c - '0');
		}
	int y = v[0], m = v[1], d = v[2];
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return SEARCH_NO_DAY;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int on_token(void *ctx, const struct token *tok)
{
	struct search_index *ix = ctx;
	uint32_t id;
	bool added;
	int rc = intern_add(&ix->dict, tok->term, tok->len, &id, &added);
	if (!rc && added) {
		uint32_t ct = ix->cap_terms;
		if (!(rc = grow((void **)&ix->terms, &ct, ix->dict.n, sizeof(*ix->terms)))) {
			memset(ix->terms + id, 0, sizeof(*ix->terms));
			ix->cap_terms = ct;
			ix->terms[id].last_doc = UINT32_MAX;
			uint32_t cs = ix->cap_stamp;
			if (!(rc = grow((void **)&ix->stamp, &cs, ix->dict.n, sizeof(*ix->stamp)))) {
				uint32_t cs2 = ix->cap_stamp;
				if (!(rc = grow((void **)&ix->slot_of, &cs2, ix->dict.n, sizeof(*ix->slot_of)))) {
					memset(ix->stamp + ix->cap_stamp, 0, (cs - ix->cap_stamp) * sizeof(*ix->stamp));
					ix->cap_stamp = cs;
				}
			}
		}
	}
	if (rc) {
		ix->err = rc;
		return 1;
	}
	uint32_t s;
	if (ix->stamp[id] != ix->cur_doc + 1) {
		if ((rc = grow((void **)&ix->slots, &ix->cap_slots, ix->nslots + 1, sizeof(*ix->slots)))) {
			ix->err = rc;
			return 1;
		}
		ix->stamp[id] = ix->cur_doc + 1;
		s = ix->slot_of[id] = ix->nslots++;
		memset(&ix->slots[s], 0, sizeof(ix->slots[s]));
		ix->slots[s].term = id;
		ix->slots[s].head = UINT32_MAX;
	} else {
		s = ix->slot_of[id];
	}
	if ((rc = grow((void **)&ix->pents, &ix->cap_pents, ix->npents + 1, sizeof(*ix->pents)))) {
		ix->err = rc;
		return 1;
	}
	struct slot *sl = &ix->slots[s];
	struct posent *pe = &ix->pents[ix->npents];
	pe->pos = tok->pos;
	pe->field = ix->cur_field;
	pe->next = UINT32_MAX;
	if (sl->head == UINT32_MAX)
		sl->head = ix->npents;
	else
		ix->pents[sl->tail].next = ix->npents;
	sl->tail = ix->npents++;
	if (sl->tf[ix->cur_field] < UINT16_MAX)
		sl->tf[ix->cur_field]++;
	ix->cur_len++;
	return 0;
}

static float saturation(const float *ref_avg, const uint16_t *tf, const uint16_t *len)
{
	float x = 0;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (tf[f])
			x += field_weight[f] * tf[f] / (1.0f - field_b[f] + field_b[f] * len[f] / ref_avg[f]);
	return x / (K1 + x);
}

/* Raises the bounds of posting i of block b to cover its counts tf. */
static void raise_bounds(struct tblock *b, uint32_t i, const float *ref_avg, const uint16_t *tf, const uint16_t *len)
{
	uint8_t q = quantize_up(saturation(ref_avg, tf, len));
	if (q > b->sub[i / SUB])
		b->sub[i / SUB] = q;
	for (int f = 0; f < FIELD_DESCRIPTION; f++) {
		if (!tf[f])
			continue;
		uint16_t only[FIELD_COUNT] = { 0 };
		only[f] = tf[f];
		q = quantize_up(saturation(ref_avg, only, len));
		if (q > b->fsub[f][i / SUB])
			b->fsub[f][i / SUB] = q;
	}
}

static int append_posting(struct search_index *ix, const struct slot *sl, uint32_t doc, const uint16_t *len)
{
	struct term *t = &ix->terms[sl->term];
	int rc;
	if (!t->nblocks || t->blocks[t->nblocks - 1].n == BLOCK) {
		if ((rc = grow((void **)&t->blocks, &t->cap_blocks, t->nblocks + 1, sizeof(*t->blocks))))
			return rc;
		struct tblock *b = &t->blocks[t->nblocks++];
		memset(b, 0, sizeof(*b));
		b->doc_off = t->docs.len;
		b->tf_off = t->tfs.len;
		b->pos_off = t->pos.len;
	}
	uint32_t ntf = 0, mask = 0;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (sl->tf[f]) {
			ntf += sl->tf[f];
			mask |= 1u << f;
		}
	if ((rc = grow((void **)&t->docs.p, &t->docs.cap, (size_t)t->docs.len + 5, 1)) ||
	    (rc = grow((void **)&t->tfs.p, &t->tfs.cap, (size_t)t->tfs.len + 1 + 3 * FIELD_COUNT, 1)) ||
	    (rc = grow((void **)&t->pos.p, &t->pos.cap, (size_t)t->pos.len + 5 * (size_t)ntf, 1)))
		return rc;
	struct tblock *b = &t->blocks[t->nblocks - 1];
	put_varint(&t->docs, doc - t->last_doc); /* wraps from UINT32_MAX for the first */
	if (__builtin_popcount(mask) == 1 && ntf <= 15) {
		t->tfs.p[t->tfs.len++] = (uint8_t)(mask | ntf << 4);
	} else {
		t->tfs.p[t->tfs.len++] = (uint8_t)mask;
		for (int f = 0; f < FIELD_COUNT; f++)
			if (sl->tf[f])
				put_varint(&t->tfs, sl->tf[f]);
	}
	/* Positions come field by field in order; each field's start over.
	 * As many per field as its (capped) count says. */
	uint32_t prev = 0, field = UINT32_MAX, written = 0;
	for (uint32_t e = sl->head; e != UINT32_MAX; e = ix->pents[e].next) {
		const struct posent *pe = &ix->pents[e];
		if (pe->field != field) {
			field = pe->field;
			prev = written = 0;
		}
		if (written == sl->tf[field])
			continue;
		put_varint(&t->pos, pe->pos - prev);
		prev = pe->pos;
		written++;
	}
	raise_bounds(b, b->n, ix->ref_avg, sl->tf, len);
	b->last_doc = doc;
	b->n++;
	t->last_doc = doc;
	t->df++;
	return 0;
}

static void doc_kill(struct search_index *ix, uint32_t doc)
{
	if (!(ix->flags[doc] & DOC_LIVE))
		return;
	count_doc(ix, doc, -1, NULL, 0);
	ix->flags[doc] &= (uint8_t)~DOC_LIVE;
	ix->nlive--;
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->sum_len[f] -= ix->lens[doc].len[f];
}

static int docs_reserve(struct search_index *ix, size_t need)
{
	if (need <= ix->cap_docs)
		return 0;
	uint32_t c1 = ix->cap_docs, c2 = ix->cap_docs, c3 = ix->cap_docs, c4 = ix->cap_docs, c5 = ix->cap_docs;
	int rc;
	if ((rc = grow((void **)&ix->docs, &c1, need, sizeof(*ix->docs))) ||
	    (rc = grow((void **)&ix->frows, &c2, need, sizeof(*ix->frows))) ||
	    (rc = grow((void **)&ix->lens, &c3, need, sizeof(*ix->lens))) ||
	    (rc = grow((void **)&ix->flags, &c4, need, sizeof(*ix->flags))) ||
	    (rc = grow((void **)&ix->seen_max, &c5, need, sizeof(*ix->seen_max))))
		return rc;
	ix->cap_docs = c1;
	return 0;
}

int search_index_delete(struct search_index *ix, int64_t posting_id)
{
	if (!ix->map_cap)
		return -ENOENT;
	uint32_t j = map_slot(ix, posting_id);
	if (!ix->map_vals[j] || ix->map_vals[j] == UINT32_MAX)
		return -ENOENT;
	doc_kill(ix, ix->map_vals[j] - 1);
	ix->map_vals[j] = UINT32_MAX; /* a tombstone: the key keeps probing chains intact */
	return 0;
}

int search_index_put(struct search_index *ix, struct tokenizer *tok, const struct search_doc *d)
{
	int rc;
	if (ix->ndocs == UINT32_MAX - 1)
		return -EOVERFLOW;
	if ((ix->map_used + 1) * 2 > ix->map_cap && (rc = map_grow(ix)))
		return rc;
	if ((rc = docs_reserve(ix, (size_t)ix->ndocs + 1)))
		return rc;
	uint32_t doc = ix->ndocs;
	struct sdoc *sd = &ix->docs[doc];
	struct frow *fr = &ix->frows[doc];
	struct lrow *lr = &ix->lens[doc];
	memset(sd, 0, sizeof(*sd));
	memset(fr, 0, sizeof(*fr));
	memset(lr, 0, sizeof(*lr));
	ix->flags[doc] = 0;
	ix->seen_max[doc] = doc && ix->seen_max[doc - 1] > d->first_seen ? ix->seen_max[doc - 1] : d->first_seen;
	const char *text[FIELD_COUNT] = { d->title, d->company, d->location, d->description };
	ix->cur_doc = doc;
	ix->nslots = ix->npents = 0;
	ix->err = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		ix->cur_field = (uint32_t)f;
		ix->cur_len = 0;
		if (text[f])
			tokenize(tok, text[f], strlen(text[f]), TOK_STEM, on_token, ix);
		if (ix->err)
			return ix->err;
		lr->len[f] = ix->cur_len > UINT16_MAX ? UINT16_MAX : (uint16_t)ix->cur_len;
	}
	for (uint32_t s = 0; s < ix->nslots; s++)
		if ((rc = append_posting(ix, &ix->slots[s], doc, lr->len))) {
			ix->ndocs++; /* the postings so far point at it: a dead document */
			return rc;
		}
	lr->posting_id = d->posting_id;
	sd->sal_min = (float)d->salary_year_min;
	sd->sal_max = (float)d->salary_year_max;
	sd->day = search_day(d->date_posted);
	sd->first_seen = d->first_seen;
	uint32_t company = intern_named(&ix->companies, d->company), city = intern_named(&ix->cities, d->city);
	fr->company = company < ROW_ID_MAX ? company : 0;
	fr->city = city < ROW_ID_MAX ? city : 0;
	fr->day = day16(sd->day);
	fr->salary = salary_band(sd->sal_min, sd->sal_max);
	fr->country = (uint16_t)intern_value(&ix->countries, d->country, FOLD_CODE);
	uint32_t cur = intern_value(&ix->currencies, d->salary_currency, FOLD_CODE);
	sd->currency = (uint8_t)(cur < 256 ? cur : 0);
	for (size_t i = 0; i < d->nsources; i++) {
		uint32_t sid = intern_value(&ix->sources, d->sources[i], FOLD_ASCII);
		if (sid)
			fr->sources |= 1u << (sid - 1 < SEARCH_MAX_SOURCES ? sid - 1 : SEARCH_MAX_SOURCES - 1);
	}
	fr->workplace = (uint8_t)(d->workplace >= 0 && d->workplace < 4 ? d->workplace : 0);
	fr->employment = (uint8_t)d->employment_types;
	ix->flags[doc] = DOC_LIVE | (d->closed ? DOC_CLOSED : 0);
	/* The posting's earlier document, if any, goes. */
	uint32_t j = map_slot(ix, d->posting_id);
	if (ix->map_vals[j] && ix->map_vals[j] != UINT32_MAX) {
		doc_kill(ix, ix->map_vals[j] - 1);
	} else if (!ix->map_vals[j]) {
		ix->map_used++;
	}
	ix->map_keys[j] = d->posting_id;
	ix->map_vals[j] = doc + 1;
	ix->ndocs++;
	ix->nlive++;
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->sum_len[f] += lr->len[f];
	count_doc(ix, doc, 1, ix->slots, ix->nslots);
	return 0;
}

static const struct search_index *sort_ix;
static int by_term(const void *a, const void *b)
{
	return strcmp(intern_str(&sort_ix->dict, *(const uint32_t *)a),
		      intern_str(&sort_ix->dict, *(const uint32_t *)b));
}

/* Recomputes every block's bound with the live averages as the new
 * reference: bounds from averages far off the live ones stay valid but
 * loose, and loose bounds prune little. */
static void rebase_bounds(struct search_index *ix, const float *avg)
{
	memcpy(ix->ref_avg, avg, sizeof(ix->ref_avg));
	for (uint32_t id = 0; id < ix->dict.n; id++) {
		struct term *t = &ix->terms[id];
		const uint8_t *dp = t->docs.p, *tp = t->tfs.p;
		uint32_t doc = UINT32_MAX;
		for (uint32_t b = 0; b < t->nblocks; b++) {
			struct tblock *bl = &t->blocks[b];
			memset(bl->sub, 0, sizeof(bl->sub));
			memset(bl->fsub, 0, sizeof(bl->fsub));
			for (uint32_t i = 0; i < bl->n; i++) {
				doc += get_varint(&dp);
				uint8_t h = *tp++;
				uint16_t tf[FIELD_COUNT] = { 0 };
				if (h >> 4) {
					tf[__builtin_ctz(h & 0x0F)] = h >> 4;
				} else {
					for (int f = 0; f < FIELD_COUNT; f++)
						if (h & (1u << f)) {
							uint32_t v = get_varint(&tp);
							tf[f] = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
						}
				}
				raise_bounds(bl, i, ix->ref_avg, tf, ix->lens[doc].len);
			}
		}
	}
}

/* Reads one posting of t at *dp / *tp / *pp (doc delta, counts, positions)
 * and, when newnum keeps its document, writes it back at the write cursors
 * under the new number. In place: a kept posting's new delta is no bigger
 * than the old deltas since the last kept one, so the writer never
 * overtakes the reader. */
struct rewrite {
	const uint8_t *dp, *tp, *pp; /* read */
	uint8_t *dw, *tw, *pw;       /* write */
	uint32_t doc, last_new;      /* old number of the posting read; new number of the last written */
};

static bool rewrite_posting(struct search_index *ix, struct term *t, const uint32_t *newnum, struct rewrite *w)
{
	w->doc += get_varint(&w->dp);
	const uint8_t *tf_start = w->tp;
	uint8_t h = *w->tp++;
	uint16_t tf[FIELD_COUNT] = { 0 };
	uint64_t npos = 0;
	if (h >> 4) {
		tf[__builtin_ctz(h & 0x0F)] = h >> 4;
		npos = h >> 4;
	} else {
		for (int f = 0; f < FIELD_COUNT; f++)
			if (h & (1u << f)) {
				uint32_t v = get_varint(&w->tp);
				tf[f] = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
				npos += tf[f];
			}
	}
	const uint8_t *pos_start = w->pp;
	w->pp = skip_varints(w->pp, t->pos.p + t->pos.len, npos);
	uint32_t nd = newnum[w->doc];
	if (nd == UINT32_MAX)
		return false;
	if (!t->nblocks || t->blocks[t->nblocks - 1].n == BLOCK) {
		struct tblock *b = &t->blocks[t->nblocks++];
		memset(b, 0, sizeof(*b));
		b->doc_off = (uint32_t)(w->dw - t->docs.p);
		b->tf_off = (uint32_t)(w->tw - t->tfs.p);
		b->pos_off = (uint32_t)(w->pw - t->pos.p);
	}
	struct bytes out = { .p = t->docs.p, .len = (uint32_t)(w->dw - t->docs.p) };
	put_varint(&out, nd - w->last_new); /* wraps from UINT32_MAX for the first */
	w->dw = out.p + out.len;
	memmove(w->tw, tf_start, (size_t)(w->tp - tf_start));
	w->tw += w->tp - tf_start;
	memmove(w->pw, pos_start, (size_t)(w->pp - pos_start));
	w->pw += w->pp - pos_start;
	struct tblock *b = &t->blocks[t->nblocks - 1];
	raise_bounds(b, b->n, ix->ref_avg, tf, ix->lens[w->doc].len); /* lengths still by old number */
	b->last_doc = nd;
	b->n++;
	w->last_new = nd;
	return true;
}

int search_index_compact(struct search_index *ix)
{
	if (ix->ndocs == ix->nlive)
		return 0;
	uint32_t *newnum = malloc(((size_t)ix->ndocs + 1) * sizeof(*newnum));
	if (!newnum)
		return -ENOMEM;
	uint32_t n = 0;
	for (uint32_t d = 0; d < ix->ndocs; d++)
		newnum[d] = ix->flags[d] & DOC_LIVE ? n++ : UINT32_MAX;
	/* Postings first, while the lengths are still by old number. */
	for (uint32_t id = 0; id < ix->dict.n; id++) {
		struct term *t = &ix->terms[id];
		struct rewrite w = { .dp = t->docs.p,
				     .tp = t->tfs.p,
				     .pp = t->pos.p,
				     .dw = t->docs.p,
				     .tw = t->tfs.p,
				     .pw = t->pos.p,
				     .doc = UINT32_MAX,
				     .last_new = UINT32_MAX };
		uint32_t df = t->df, kept = 0;
		t->nblocks = 0;
		for (uint32_t i = 0; i < df; i++)
			kept += rewrite_posting(ix, t, newnum, &w);
		t->df = kept;
		t->last_doc = w.last_new;
		t->docs.len = (uint32_t)(w.dw - t->docs.p);
		t->tfs.len = (uint32_t)(w.tw - t->tfs.p);
		t->pos.len = (uint32_t)(w.pw - t->pos.p);
	}
	for (uint32_t d = 0; d < ix->ndocs; d++) {
		uint32_t nd = newnum[d];
		if (nd == UINT32_MAX || nd == d)
			continue;
		ix->docs[nd] = ix->docs[d];
		ix->frows[nd] = ix->frows[d];
		ix->lens[nd] = ix->lens[d];
		ix->flags[nd] = ix->flags[d];
	}
	for (uint32_t j = 0; j < ix->map_cap; j++)
		if (ix->map_vals[j] && ix->map_vals[j] != UINT32_MAX)
			ix->map_vals[j] = newnum[ix->map_vals[j] - 1] + 1;
	ix->ndocs = n;
	/* The running maximum of first_seen (saved searches' "new since") is by
	 * document number too: rebuilt over the new numbering. */
	for (uint32_t d = 0; d < n; d++)
		ix->seen_max[d] =
		    d && ix->seen_max[d - 1] > ix->docs[d].first_seen ? ix->seen_max[d - 1] : ix->docs[d].first_seen;
	/* The writer's scratch marks terms by document number: old marks
	 * would collide with the new numbers. */
	memset(ix->stamp, 0, (size_t)ix->cap_stamp * sizeof(*ix->stamp));
	free(newnum);
	return 0;
}

int search_index_prepare(struct search_index *ix)
{
	uint32_t dead = ix->ndocs - ix->nlive;
	if (dead >= SEARCH_COMPACT_DEAD && dead > ix->nlive / 4) {
		int rc = search_index_compact(ix);
		if (rc)
			return rc;
	}
	if (ix->nlive) {
		float avg[FIELD_COUNT];
		bool drift = false;
		for (int f = 0; f < FIELD_COUNT; f++) {
			avg[f] = (float)((double)ix->sum_len[f] / ix->nlive);
			if (avg[f] < 0.5f)
				avg[f] = ix->ref_avg[f]; /* a field nobody fills: keep */
			if (avg[f] > ix->ref_avg[f] * 1.5f || avg[f] * 1.5f < ix->ref_avg[f])
				drift = true;
		}
		if (drift)
			rebase_bounds(ix, avg);
	}
	int crc = count_terms(ix);
	if (crc)
		return crc;
	if (ix->sorted_n == ix->dict.n)
		return 0;
	int rc = grow((void **)&ix->sorted, &ix->cap_sorted, ix->dict.n, sizeof(*ix->sorted));
	if (rc)
		return rc;
	for (uint32_t i = 0; i < ix->dict.n; i++)
		ix->sorted[i] = i;
	sort_ix = ix; /* the writer's: prepare runs under its lock */
	qsort(ix->sorted, ix->dict.n, sizeof(*ix->sorted), by_term);
	ix->sorted_n = ix->dict.n;
	return 0;
}

void search_index_stats(const struct search_index *ix, struct search_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->docs = ix->ndocs;
	out->live_docs = ix->nlive;
	out->terms = ix->dict.n;
	out->bytes_docs =
	    (uint64_t)ix->cap_docs * (sizeof(struct sdoc) + sizeof(struct frow) + sizeof(struct lrow) + 1 + 8) +
	    (uint64_t)ix->map_cap * 12;
	for (uint32_t i = 0; i < ix->dict.n; i++) {
		const struct term *t = &ix->terms[i];
		out->bytes_postings += t->docs.cap + t->tfs.cap;
		out->bytes_positions += t->pos.cap;
		out->bytes_blocks += (uint64_t)t->cap_blocks * sizeof(struct tblock);
		if (t->counts) {
			const struct tcache *c = t->counts;
			out->counted_terms++;
			out->bytes_counts += sizeof(*c) + (uint64_t)(c->open.ncountry + c->open.ncompany +
								     c->closed.ncountry + c->closed.ncompany) *
							      sizeof(uint32_t);
		}
	}
	out->bytes_dict = ix->dict.str_cap + (uint64_t)ix->dict.cap * 8 + (uint64_t)ix->dict.nslots * 4 +
			  (uint64_t)ix->cap_terms * sizeof(struct term);
}

/* ---- search: iterators ---------------------------------------------------------- */

struct leaf {
	const struct term *t;
	unsigned fields;
	int bound_field; /* the one field (not the description) its bound is over, or -1: all */
	float idf;
	uint32_t blk, i, n, doc;
	bool loaded, tf_loaded;
	uint32_t docs[BLOCK];
	uint8_t mask[BLOCK];
	uint16_t tf[BLOCK][FIELD_COUNT];
	uint32_t pos_i, pos_off; /* positions cursor: posting pos_i starts at pos_off */
};

enum node_kind { N_LEAF, N_PHRASE, N_AND, N_OR, N_NONE, N_ALL /* every document: a query of only exclusions */ };

struct node {
	enum node_kind kind;
	uint32_t doc;
	struct leaf *leaf;
	struct node **kids, **nots;
	size_t nkids, nnots;
	unsigned fields; /* N_PHRASE */
	bool started;
	uint64_t cost; /* postings it may visit: rarest first in an AND */
};

static void leaf_load(struct leaf *l)
{
	const struct tblock *b = &l->t->blocks[l->blk];
	uint32_t prev = l->blk ? l->t->blocks[l->blk - 1].last_doc : UINT32_MAX;
	const uint8_t *p = l->t->docs.p + b->doc_off;
	for (uint32_t i = 0; i < b->n; i++) {
		prev += get_varint(&p);
		l->docs[i] = prev;
	}
	l->n = b->n;
	l->i = 0;
	l->loaded = true;
	l->tf_loaded = false;
	l->pos_i = 0;
	l->pos_off = b->pos_off;
}

static void leaf_load_tf(struct leaf *l)
{
	const uint8_t *p = l->t->tfs.p + l->t->blocks[l->blk].tf_off;
	for (uint32_t i = 0; i < l->n; i++) {
		uint8_t h = *p++;
		uint8_t mask = h & 0x0F;
		l->mask[i] = mask;
		memset(l->tf[i], 0, sizeof(l->tf[i]));
		if (h >> 4) {
			l->tf[i][__builtin_ctz(mask)] = h >> 4;
		} else {
			for (int f = 0; f < FIELD_COUNT; f++)
				if (mask & (1u << f)) {
					uint32_t v = get_varint(&p);
					l->tf[i][f] = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
				}
		}
	}
	l->tf_loaded = true;
}

static uint32_t leaf_advance(struct leaf *l, uint32_t target)
{
	if (l->doc != DOC_END && l->doc >= target && l->loaded)
		return l->doc;
	const struct term *t = l->t;
	for (;;) {
		if (l->blk >= t->nblocks)
			return l->doc = DOC_END;
		if (t->blocks[l->blk].last_doc < target) {
			uint32_t lo = block_of(t, l->blk + 1, target);
			l->blk = lo;
			l->loaded = false;
			if (lo >= t->nblocks)
				return l->doc = DOC_END;
		}
		if (!l->loaded)
			leaf_load(l);
		while (l->i < l->n && l->docs[l->i] < target)
			l->i++;
		if (l->fields != FIELDS_ALL && l->i < l->n && !l->tf_loaded)
			leaf_load_tf(l);
		for (; l->i < l->n; l->i++)
			if (l->fields == FIELDS_ALL || (l->mask[l->i] & l->fields))
				return l->doc = l->docs[l->i];
		l->blk++;
		l->loaded = false;
	}
}

/* Positions of the leaf's current posting in field f: at most cap into out. */
static uint32_t leaf_positions(struct leaf *l, int f, uint32_t *out, uint32_t cap)
{
	if (!l->tf_loaded)
		leaf_load_tf(l);
	if (!l->tf[l->i][f])
		return 0;  /* not in that field: nothing to decode (the cursor catches up later) */
	uint64_t skip = 0; /* positions of the postings before */
	for (; l->pos_i < l->i; l->pos_i++)
		for (int g = 0; g < FIELD_COUNT; g++)
			skip += l->tf[l->pos_i][g];
	const uint8_t *p = skip_varints(l->t->pos.p + l->pos_off, l->t->pos.p + l->t->pos.len, skip);
	l->pos_off = (uint32_t)(p - l->t->pos.p);
	uint32_t n = 0;
	for (int g = 0; g < FIELD_COUNT; g++) {
		uint32_t prev = 0;
		for (uint32_t k = 0; k < l->tf[l->i][g]; k++) {
			prev += get_varint(&p);
			if (g == f && n < cap)
				out[n++] = prev;
		}
		if (g == f)
			break;
	}
	return n;
}

struct run {
	const struct search_index *ix;
	struct arena *a;
	struct leaf **positive; /* leaves whose words score */
	size_t npositive;
	size_t nleaves;
	uint32_t *pos_a, *pos_b;
	int err;
	/* The weights (index.h): the cursor's to score with (NULL: today's),
	 * and those used, for the next cursor; words numbered in query order. */
	const struct search_weights *win;
	struct search_weights wout;
	uint32_t docs; /* IDF's N */
	uint32_t nunits;
};

static uint32_t node_advance(struct run *r, struct node *n, uint32_t target);

static bool has_at(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

static bool phrase_matches(struct run *r, struct node *n)
{
	for (int f = 0; f < FIELD_COUNT; f++) {
		if (!(n->fields & (1u << f)))
			continue;
		uint32_t na = leaf_positions(n->kids[0]->leaf, f, r->pos_a, POS_MAX);
		for (size_t k = 1; k < n->nkids && na; k++) {
			uint32_t nb = leaf_positions(n->kids[k]->leaf, f, r->pos_b, POS_MAX);
			uint32_t keep = 0;
			for (uint32_t j = 0; j < na; j++)
				if (has_at(r->pos_b, nb, r->pos_a[j] + (uint32_t)k))
					r->pos_a[keep++] = r->pos_a[j];
			na = keep;
		}
		if (na)
			return true;
	}
	return false;
}

static uint32_t and_advance(struct run *r, struct node *n, uint32_t target, bool phrase);

/* A phrase inside an AND moves to where its words all occur, unverified:
 * the AND checks the positions only where every one of its kids agrees
 * (checking them at each co-occurrence of common words costs far more). */
static uint32_t lazy_advance(struct run *r, struct node *n, uint32_t target)
{
	if (n->kind != N_PHRASE)
		return node_advance(r, n, target);
	if (n->started && (n->doc == DOC_END || n->doc >= target))
		return n->doc;
	n->started = true;
	return and_advance(r, n, target, false);
}

static uint32_t and_advance(struct run *r, struct node *n, uint32_t target, bool phrase)
{
	uint32_t d = target;
	for (;;) {
		bool agree = true;
		for (size_t k = 0; k < n->nkids; k++) {
			uint32_t kd = phrase ? node_advance(r, n->kids[k], d) : lazy_advance(r, n->kids[k], d);
			if (kd == DOC_END)
				return n->doc = DOC_END;
			if (kd > d) {
				d = kd;
				agree = false;
				break;
			}
		}
		if (!agree)
			continue;
		bool excluded = phrase && !phrase_matches(r, n);
		for (size_t k = 0; k < n->nkids && !excluded && !phrase; k++)
			if (n->kids[k]->kind == N_PHRASE)
				excluded = !phrase_matches(r, n->kids[k]);
		for (size_t k = 0; k < n->nnots && !excluded; k++)
			excluded = node_advance(r, n->nots[k], d) == d;
		if (!excluded)
			return n->doc = d;
		if (d == DOC_END - 1)
			return n->doc = DOC_END;
		d++;
	}
}

static uint32_t node_advance(struct run *r, struct node *n, uint32_t target)
{
	if (n->kind != N_LEAF && n->started && (n->doc == DOC_END || n->doc >= target))
		return n->doc;
	n->started = true;
	switch (n->kind) {
	case N_LEAF:
		return n->doc = leaf_advance(n->leaf, target);
	case N_PHRASE:
		return and_advance(r, n, target, true);
	case N_AND:
		return and_advance(r, n, target, false);
	case N_OR: {
		uint32_t best = DOC_END;
		for (size_t k = 0; k < n->nkids; k++) {
			uint32_t kd = node_advance(r, n->kids[k], target);
			if (kd < best)
				best = kd;
		}
		return n->doc = best;
	}
	case N_ALL:
		return n->doc = target < r->ix->ndocs ? target : DOC_END;
	case N_NONE:
		break;
	}
	return n->doc = DOC_END;
}

static float idf(uint32_t docs, uint32_t df)
{
	double n = docs ? docs : 1;
	if (df > docs)
		df = docs;
	return (float)log(1.0 + (n - df + 0.5) / (df + 0.5));
}

/* The document frequency query word slot scores with: the cursor's when it
 * has one, else now's; kept for the next cursor. */
static uint32_t unit_df(struct run *r, uint32_t slot, uint32_t now)
{
	uint32_t df = now;
	if (r->win && slot < r->win->nterms && r->win->df[slot] != SEARCH_DF_UNKNOWN)
		df = r->win->df[slot];
	if (slot < QUERY_MAX_TERMS) {
		r->wout.df[slot] = df;
		if (slot >= r->wout.nterms)
			r->wout.nterms = slot + 1;
	}
	return df;
}

static struct node *new_node(struct run *r, enum node_kind kind)
{
	struct node *n = arena_alloc(r->a, sizeof(*n));
	if (!n) {
		r->err = -ENOMEM;
		return NULL;
	}
	n->kind = kind;
	n->doc = 0;
	return n;
}

static struct node *leaf_node(struct run *r, uint32_t term, unsigned fields, bool positive)
{
	if (r->nleaves >= MAX_LEAVES) {
		r->err = -E2BIG;
		return NULL;
	}
	struct node *n = new_node(r, N_LEAF);
	struct leaf *l = n ? arena_alloc_raw(r->a, sizeof(*l)) : NULL;
	if (!l) {
		r->err = -ENOMEM;
		return NULL;
	}
	memset(l, 0, offsetof(struct leaf, docs));
	l->t = &r->ix->terms[term];
	l->fields = fields;
	l->bound_field = -1;
	if (__builtin_popcount(fields) == 1 && __builtin_ctz(fields) < FIELD_DESCRIPTION)
		l->bound_field = __builtin_ctz(fields);
	l->idf = idf(r->docs, l->t->df);
	n->leaf = l;
	n->cost = l->t->df;
	r->nleaves++;
	if (positive)
		r->positive[r->npositive++] = l;
	return n;
}

static uint32_t find_term(const struct search_index *ix, const char *s)
{
	size_t len = strlen(s);
	return intern_find(&ix->dict, s, len, hash_str(s, len));
}

/* The most frequent SEARCH_PREFIX_TERMS terms starting with prefix. */
static size_t expand_prefix(struct run *r, const char *prefix, uint32_t *out)
{
	const struct search_index *ix = r->ix;
	size_t plen = strlen(prefix), n = 0, cap = 1024;
	uint32_t *cand = arena_alloc_raw(r->a, cap * sizeof(*cand));
	if (!cand) {
		r->err = -ENOMEM;
		return 0;
	}
	uint32_t lo = 0, hi = ix->sorted_n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (strcmp(intern_str(&ix->dict, ix->sorted[mid]), prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t i = lo; i < ix->sorted_n && strncmp(intern_str(&ix->dict, ix->sorted[i]), prefix, plen) == 0;
	     i++) {
		if (n == cap)
			break; /* keeps the first (shortest) 1024; plenty to pick the frequent from */
		cand[n++] = ix->sorted[i];
	}
	for (uint32_t id = ix->sorted_n; id < ix->dict.n && n < cap; id++)
		if (strncmp(intern_str(&ix->dict, id), prefix, plen) == 0)
			cand[n++] = id;
	if (n > SEARCH_PREFIX_TERMS) {
		/* qsort's comparator reads sort_ix; searches run concurrently,
		 * so rank by a local selection instead. */
		for (size_t k = 0; k < SEARCH_PREFIX_TERMS; k++) {
			size_t best = k;
			for (size_t j = k + 1; j < n; j++)
				if (ix->terms[cand[j]].df > ix->terms[cand[best]].df)
					best = j;
			uint32_t tmp = cand[k];
			cand[k] = cand[best];
			cand[best] = tmp;
		}
		n = SEARCH_PREFIX_TERMS;
	}
	memcpy(out, cand, n * sizeof(*out));
	return n;
}

/* A prefix's completions score as one word, with the IDF of them all
 * together (their document frequencies summed, at most every document: the
 * union's when they seldom share a document), not each with its own: else
 * a rare completion ("rustacean", IDF high) outranks the common word itself
 * ("rust") by far. A completion other than the prefix's own word counts
 * PREFIX_COMPLETION_WEIGHT of it, so the exact word ranks at least as high.
 * The leaf's bounds take its idf as they take the score's: still bounds. */
#define PREFIX_COMPLETION_WEIGHT 0.8f
static struct node *prefix_weigh(struct run *r, struct node *n, const char *prefix, float w)
{
	if (!n)
		return NULL;
	const struct search_index *ix = r->ix;
	struct leaf *l = n->leaf;
	l->idf = w;
	if (strcmp(intern_str(&ix->dict, (uint32_t)(l->t - ix->terms)), prefix) != 0)
		l->idf *= PREFIX_COMPLETION_WEIGHT;
	return n;
}

/* The IDF of the completions ids[0..k) together, for query word slot. */
static float prefix_idf(struct run *r, uint32_t slot, const uint32_t *ids, size_t k)
{
	uint64_t df = 0;
	for (size_t i = 0; i < k; i++)
		df += r->ix->terms[ids[i]].df;
	if (df > r->ix->nlive)
		df = r->ix->nlive;
	return idf(r->docs, unit_df(r, slot, k ? (uint32_t)df : SEARCH_DF_UNKNOWN));
}

static int by_cost(const void *a, const void *b)
{
	uint64_t x = (*(struct node *const *)a)->cost, y = (*(struct node *const *)b)->cost;
	return x < y ? -1 : x > y;
}

static bool only_exclusions(const struct qnode *q)
{
	for (size_t i = 0; i < q->nkids; i++)
		if (q->kids[i]->kind != Q_NOT)
			return false;
	return true;
}

/* The iterator tree of q; an N_NONE node when it can match nothing. */
static struct node *build(struct run *r, const struct qnode *q, bool positive)
{
	const struct search_index *ix = r->ix;
	struct node *n;
	switch (q->kind) {
	case Q_TERM: {
		uint32_t slot = r->nunits++;
		uint32_t id = find_term(ix, q->terms[0]);
		uint32_t df = unit_df(r, slot, id == UINT32_MAX ? SEARCH_DF_UNKNOWN : ix->terms[id].df);
		if (id == UINT32_MAX)
			return new_node(r, N_NONE);
		if ((n = leaf_node(r, id, q->fields, positive)))
			n->leaf->idf = idf(r->docs, df);
		return n;
	}
	case Q_PREFIX: {
		uint32_t slot = r->nunits++;
		uint32_t ids[SEARCH_PREFIX_TERMS];
		size_t k = expand_prefix(r, q->terms[0], ids);
		if (r->err)
			return NULL;
		float w = prefix_idf(r, slot, ids, k);
		if (k == 0)
			return new_node(r, N_NONE);
		if (k == 1)
			return prefix_weigh(r, leaf_node(r, ids[0], q->fields, positive), q->terms[0], w);
		if (!(n = new_node(r, N_OR)) || !(n->kids = arena_alloc(r->a, k * sizeof(*n->kids))))
			return NULL;
		for (size_t i = 0; i < k; i++) {
			if (!(n->kids[i] = leaf_node(r, ids[i], q->fields, positive)))
				return NULL;
			if (!prefix_weigh(r, n->kids[i], q->terms[0], w))
				return NULL;
			n->cost += n->kids[i]->cost;
		}
		n->nkids = k;
		return n;
	}
	case Q_PHRASE: {
		uint32_t base = r->nunits;
		r->nunits += (uint32_t)q->nterms;
		if (!(n = new_node(r, N_PHRASE)) || !(n->kids = arena_alloc(r->a, q->nterms * sizeof(*n->kids))))
			return NULL;
		n->fields = q->fields;
		n->cost = UINT64_MAX;
		for (size_t i = 0; i < q->nterms; i++) {
			uint32_t id = find_term(ix, q->terms[i]);
			uint32_t df =
			    unit_df(r, base + (uint32_t)i, id == UINT32_MAX ? SEARCH_DF_UNKNOWN : ix->terms[id].df);
			if (id == UINT32_MAX)
				return new_node(r, N_NONE);
			/* the leaves themselves match any field: the phrase checks its own */
			if (!(n->kids[i] = leaf_node(r, id, FIELDS_ALL, false)))
				return NULL;
			n->kids[i]->leaf->idf = idf(r->docs, df);
			if (positive) { /* scored within the phrase's fields */
				n->kids[i]->leaf->fields = FIELDS_ALL;
				r->positive[r->npositive++] = n->kids[i]->leaf;
			}
			if (n->kids[i]->cost < n->cost)
				n->cost = n->kids[i]->cost;
		}
		n->nkids = q->nterms;
		return n;
	}
	case Q_AND:
	case Q_OR:
		if (!(n = new_node(r, q->kind == Q_AND ? N_AND : N_OR)) ||
		    !(n->kids = arena_alloc(r->a, q->nkids * sizeof(*n->kids))) ||
		    !(n->nots = arena_alloc(r->a, q->nkids * sizeof(*n->nots))))
			return NULL;
		n->cost = q->kind == Q_AND ? UINT64_MAX : 0;
		for (size_t i = 0; i < q->nkids; i++) {
			const struct qnode *k = q->kids[i];
			bool neg = k->kind == Q_NOT;
			struct node *kid = build(r, neg ? k->kids[0] : k, positive && !neg);
			if (!kid)
				return NULL;
			if (neg) {
				if (kid->kind != N_NONE)
					n->nots[n->nnots++] = kid;
				continue;
			}
			if (kid->kind == N_NONE) {
				if (q->kind == Q_AND)
					return kid; /* a required word nobody has */
				continue;
			}
			n->kids[n->nkids++] = kid;
			if (q->kind == Q_AND && kid->cost < n->cost)
				n->cost = kid->cost;
			if (q->kind == Q_OR)
				n->cost += kid->cost;
		}
		if (!n->nkids && q->kind == Q_AND && only_exclusions(q)) {
			/* the whole query is exclusions (query.h): every document but theirs */
			if (!(n->kids[0] = new_node(r, N_ALL)))
				return NULL;
			n->kids[0]->cost = n->cost = ix->ndocs;
			n->nkids = 1;
			return n;
		}
		if (!n->nkids)
			return new_node(r, N_NONE);
		if (q->kind == Q_AND)
			qsort(n->kids, n->nkids, sizeof(*n->kids), by_cost);
		return n;
	case Q_NOT: {
		/* the whole query is one exclusion: as an AND of just it */
		const struct qnode *kids[1] = { q };
		struct qnode and = { .kind = Q_AND, .kids = (struct qnode **)kids, .nkids = 1 };
		return build(r, &and, positive);
	}
	}
	return new_node(r, N_NONE);
}

/* ---- search: filters, facets, top k ------------------------------------------------ */

struct resolved_filter {
	bool none; /* a value the index does not know: nothing passes */
	unsigned workplaces, employment;
	uint32_t country, city, company, source_bits;
	uint8_t currency;
	float min_salary;
	int32_t min_day, today;
	int64_t seen_after;
	bool want_closed, want_open;
	bool facet_columns, cold_columns; /* which columns the filter reads */
	/* What the user hid: document numbers and company ids, ascending. */
	uint32_t *hidden_docs, *hidden_companies;
	uint32_t nhidden_docs, nhidden_companies;
};

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The exclusion's postings as live document numbers and its companies as
 * ids, sorted for has_u32; what the index does not know is left out. */
static int resolve_exclude(const struct search_index *ix, const struct search_exclude *ex, struct arena *a,
			   struct resolved_filter *out)
{
	out->hidden_docs = arena_alloc_raw(a, (ex->nposting_ids + 1) * sizeof(uint32_t));
	out->hidden_companies = arena_alloc_raw(a, (ex->ncompanies + 1) * sizeof(uint32_t));
	if (!out->hidden_docs || !out->hidden_companies)
		return -ENOMEM;
	for (size_t i = 0; ix->map_cap && i < ex->nposting_ids; i++) {
		uint32_t v = ix->map_vals[map_slot(ix, ex->posting_ids[i])];
		if (v && v != UINT32_MAX)
			out->hidden_docs[out->nhidden_docs++] = v - 1;
	}
	for (size_t i = 0; i < ex->ncompanies; i++) {
		const char *name = ex->companies[i];
		uint32_t id = name && *name ? lookup_value(&ix->companies.folded, name, FOLD_WORDS) : 0;
		if (id)
			out->hidden_companies[out->nhidden_companies++] = id;
	}
	qsort(out->hidden_docs, out->nhidden_docs, sizeof(uint32_t), by_u32);
	qsort(out->hidden_companies, out->nhidden_companies, sizeof(uint32_t), by_u32);
	return 0;
}

static int resolve_filter(const struct search_index *ix, const struct search_filter *f, struct arena *a,
			  struct resolved_filter *out)
{
	memset(out, 0, sizeof(*out));
	int rc = f->exclude ? resolve_exclude(ix, f->exclude, a, out) : 0;
	if (rc)
		return rc;
	out->workplaces = f->workplaces;
	out->employment = f->employment_types;
	out->min_salary = (float)f->min_salary;
	out->today = f->today ? f->today : (int32_t)(time(NULL) / 86400);
	out->min_day = f->posted_within_days > 0 ? out->today - f->posted_within_days : SEARCH_NO_DAY;
	out->seen_after = f->first_seen_after;
	out->want_open = f->closed != SEARCH_CLOSED_ONLY;
	out->want_closed = f->closed != SEARCH_OPEN_ONLY;
	if (f->country && *f->country && !(out->country = lookup_value(&ix->countries, f->country, FOLD_CODE)))
		out->none = true;
	if (f->city && *f->city && !(out->city = lookup_value(&ix->cities.folded, f->city, FOLD_WORDS)))
		out->none = true;
	if (f->company && *f->company && !(out->company = lookup_value(&ix->companies.folded, f->company, FOLD_WORDS)))
		out->none = true;
	if (out->company >= ROW_ID_MAX || out->city >= ROW_ID_MAX) /* beyond what rows hold (struct frow) */
		out->none = true;
	if (f->source && *f->source) {
		uint32_t sid = lookup_value(&ix->sources, f->source, FOLD_ASCII);
		if (!sid)
			out->none = true;
		else
			out->source_bits = 1u << (sid - 1 < SEARCH_MAX_SOURCES ? sid - 1 : SEARCH_MAX_SOURCES - 1);
	}
	if (f->currency && *f->currency) { /* alone too: salaries stated in it */
		uint32_t c = lookup_value(&ix->currencies, f->currency, FOLD_CODE);
		if (!c || c > 255)
			out->none = true;
		out->currency = (uint8_t)c;
	}
	out->facet_columns = out->workplaces || out->employment || out->country || out->company || out->city ||
			     out->source_bits || out->nhidden_companies;
	out->cold_columns = out->min_salary > 0 || out->currency || out->min_day != SEARCH_NO_DAY || out->seen_after;
	return 0;
}

static bool passes_cold(const struct resolved_filter *f, const struct search_index *ix, uint32_t doc);

static inline bool passes(const struct resolved_filter *f, const struct search_index *ix, uint32_t doc)
{
	uint8_t flags = ix->flags[doc];
	if (!(flags & DOC_LIVE))
		return false;
	if (flags & DOC_CLOSED ? !f->want_closed : !f->want_open)
		return false;
	if (f->nhidden_docs && has_at(f->hidden_docs, f->nhidden_docs, doc))
		return false;
	if (f->facet_columns) {
		const struct frow *r = &ix->frows[doc];
		if (f->workplaces && !(f->workplaces & (1u << r->workplace)))
			return false;
		if (f->employment && !(f->employment & r->employment))
			return false;
		if (f->country && r->country != f->country)
			return false;
		if (f->company && r->company != f->company)
			return false;
		if (f->city && r->city != f->city)
			return false;
		if (f->source_bits && !(f->source_bits & r->sources))
			return false;
		if (f->nhidden_companies && r->company && has_at(f->hidden_companies, f->nhidden_companies, r->company))
			return false;
	}
	return !f->cold_columns || passes_cold(f, ix, doc);
}

static bool passes_cold(const struct resolved_filter *f, const struct search_index *ix, uint32_t doc)
{
	const struct sdoc *d = &ix->docs[doc];
	if (f->currency && d->currency != f->currency)
		return false;
	if (f->min_salary > 0) {
		float top = d->sal_max > 0 ? d->sal_max : d->sal_min;
		if (top < f->min_salary)
			return false;
	}
	if (f->min_day != SEARCH_NO_DAY && (d->day == SEARCH_NO_DAY || d->day < f->min_day))
		return false;
	if (f->seen_after && d->first_seen <= f->seen_after)
		return false;
	return true;
}

struct heap {
	struct search_hit *v;
	size_t n, k;
};

/* a ranks below b: lower key, then lower posting id */
static inline bool below(double ka, int64_t ia, double kb, int64_t ib)
{
	return ka < kb || (ka == kb && ia < ib);
}

static void heap_push(struct heap *h, const struct search_hit *x)
{
	size_t i;
	if (h->n < h->k) {
		i = h->n++;
		while (i) {
			size_t p = (i - 1) / 2;
			if (!below(x->key, x->posting_id, h->v[p].key, h->v[p].posting_id))
				break;
			h->v[i] = h->v[p];
			i = p;
		}
		h->v[i] = *x;
		return;
	}
	if (!below(h->v[0].key, h->v[0].posting_id, x->key, x->posting_id))
		return;
	i = 0; /* replace the lowest and sift down */
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && below(h->v[c + 1].key, h->v[c + 1].posting_id, h->v[c].key, h->v[c].posting_id))
			c++;
		if (!below(h->v[c].key, h->v[c].posting_id, x->key, x->posting_id))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = *x;
}

static int hit_desc(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;
	if (below(x->key, x->posting_id, y->key, y->posting_id))
		return 1;
	if (below(y->key, y->posting_id, x->key, x->posting_id))
		return -1;
	return 0;
}

struct counts {
	uint32_t *country, *company, *city;
	uint32_t source[SEARCH_MAX_SOURCES], salary[SALARY_BAND_COUNT];
	uint32_t age[AGE_DAYS + 1]; /* by days since posted (a later date: 0; [AGE_DAYS]: older) */
	int32_t today;
};

/* Adds d (1 or -1 as unsigned) to the age count of a posting of day `day`
 * (frow.day), when it is AGE_DAYS - 1 days old or younger. */
static inline void count_age(struct counts *c, uint16_t day, uint32_t d)
{
	int32_t age = day ? c->today - day : AGE_DAYS; /* conditional moves, no branches */
	age = age > 0 ? age : 0;
	c->age[age < AGE_DAYS ? age : AGE_DAYS] += d; /* without a branch: [AGE_DAYS] is past every band */
}

static int facet_desc(const void *a, const void *b)
{
	const struct facet_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->value, y->value);
}

/* The biggest `top` counts of in's values; nm set: in is its folded
 * values, shown by their names as written. */
static int top_facets(struct arena *a, const struct intern *in, const struct named *nm, const uint32_t *counts,
		      size_t top, struct facet_count **out, size_t *n)
{
	*out = arena_alloc(a, (top ? top : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	/* The biggest `top` by a bounded insertion (companies are many; a full
	 * sort of them per search would cost more than the counting). */
	size_t m = 0;
	for (uint32_t i = 0; i < in->n; i++) {
		if (!counts[i])
			continue;
		struct facet_count fc = { nm ? named_shown(nm, i) : intern_str(in, i), counts[i] };
		if (m == top && facet_desc(&fc, &(*out)[m - 1]) >= 0)
			continue;
		size_t j = m < top ? m++ : m - 1;
		while (j > 0 && facet_desc(&fc, &(*out)[j - 1]) < 0) {
			(*out)[j] = (*out)[j - 1];
			j--;
		}
		(*out)[j] = fc;
	}
	*n = m;
	return 0;
}

static inline double sort_key(const struct sdoc *d, enum search_sort sort)
{
	if (sort == SEARCH_SORT_DATE)
		return d->day;
	float top = d->sal_max > 0 ? d->sal_max : d->sal_min;
	return top > 0 ? top : -1.0;
}

/* Matches whose facet rows are on their way into the cache (on_match). */
#define FACET_BATCH  64
#define SCORE_BATCH  16 /* candidates scored together (rank) */
#define SCORE_LEAVES 4  /* scoring words up to which a candidate waits in the batch */

/* A match whose bound can enter the top k, waiting for its lengths row:
 * the term frequencies of its scoring words (positive[leaf[j]]). */
struct cand {
	uint32_t d;
	uint32_t n;
	uint8_t leaf[SCORE_LEAVES];
	uint16_t tf[SCORE_LEAVES][FIELD_COUNT];
};
#define PREFETCH_AHEAD 16 /* postings of a block, for a filter's rows */

struct match_ctx {
	const struct search_index *ix;
	const struct search_request *req;
	struct run *r;
	struct heap *h;
	struct counts *c;
	struct search_facets *facets;
	const struct search_cursor *after;
	enum search_sort sort;
	float scale, inv_avg[FIELD_COUNT];
	uint64_t total, scored;
	uint32_t pending[FACET_BATCH];
	uint32_t npending;
	struct cand cands[SCORE_BATCH];
	uint32_t ncands;
};

/* Counts the facets of the pending matches, whose rows were prefetched. */
static void count_pending(struct match_ctx *m)
{
	const struct frow *frows = m->ix->frows;
	struct counts *c = m->c;
	struct fsink s = {
		m->facets->workplace, m->facets->employment_type, c->source, c->country, c->company, c->city, c->salary
	};
	for (uint32_t i = 0; i < m->npending; i++) {
		const struct frow *fr = &frows[m->pending[i]];
		count_row(fr, 1, &s);
		count_age(c, fr->day, 1);
	}
	m->npending = 0;
}

static inline void rank(struct match_ctx *m, uint32_t d);

/* Multi-select facets: a match the filter turned away for one facet's
 * value alone (and for nothing else) still counts in that facet, so its
 * counts say what choosing another value there would find ("remote: 3,
 * hybrid: 2" while remote is chosen), as shops' facets do. Only matches
 * that fail a facet filter pay for this, one frow read. */
static void count_unselected(struct match_ctx *m, const struct resolved_filter *f, uint32_t d)
{
	const struct search_index *ix = m->ix;
	uint8_t flags = ix->flags[d];
	if (!(flags & DOC_LIVE))
		return;
	unsigned miss = flags & DOC_CLOSED ? !f->want_closed : !f->want_open; /* bit 0: the status */
	if (miss && !f->facet_columns && !f->nhidden_docs && !f->cold_columns) {
		m->facets->status[(flags & DOC_CLOSED) != 0]++; /* the common case, without the rows */
		return;
	}
	const struct frow *r = &ix->frows[d];
	if (f->workplaces && !(f->workplaces & (1u << r->workplace)))
		miss |= 2u;
	if (f->employment && !(f->employment & r->employment))
		miss |= 4u;
	if (f->country && r->country != f->country)
		miss |= 8u;
	if (f->company && r->company != f->company)
		miss |= 16u;
	if (f->source_bits && !(f->source_bits & r->sources))
		miss |= 32u;
	if (f->city && r->city != f->city)
		miss |= 64u;
	if (miss & (miss - 1)) /* turned away by two facets */
		return;
	if (f->cold_columns) { /* salary and date are facets; the other cold filters are not */
		const struct sdoc *sd = &ix->docs[d];
		float top = sd->sal_max > 0 ? sd->sal_max : sd->sal_min;
		if ((f->currency && sd->currency != f->currency) || (f->seen_after && sd->first_seen <= f->seen_after))
			return;
		if (f->min_salary > 0 && top < f->min_salary)
			miss |= 128u;
		if (f->min_day != SEARCH_NO_DAY && (sd->day == SEARCH_NO_DAY || sd->day < f->min_day))
			miss |= 256u;
	}
	if (!miss || (miss & (miss - 1))) /* passed, or turned away by two facets */
		return;
	if (f->nhidden_docs && has_at(f->hidden_docs, f->nhidden_docs, d))
		return;
	if (f->nhidden_companies && r->company && has_at(f->hidden_companies, f->nhidden_companies, r->company))
		return;
	switch (miss) {
	case 1u:
		m->facets->status[(flags & DOC_CLOSED) != 0]++;
		break;
	case 2u:
		m->facets->workplace[r->workplace]++;
		break;
	case 4u:
		for (unsigned e = r->employment; e; e &= e - 1)
			m->facets->employment_type[__builtin_ctz(e)]++;
		break;
	case 8u:
		if (r->country)
			m->c->country[r->country - 1]++;
		break;
	case 16u:
		if (r->company)
			m->c->company[r->company - 1]++;
		break;
	case 64u:
		m->c->city[r->city]++;
		break;
	case 128u:
		m->c->salary[r->salary]++;
		break;
	case 256u:
		count_age(m->c, r->day, 1);
		break;
	default:
		for (uint32_t b = r->sources; b; b &= b - 1)
			m->c->source[__builtin_ctz(b)]++;
		break;
	}
}

static inline void on_match(struct match_ctx *m, uint32_t d);

/* A match of the words: on_match when the filter passes it, else perhaps
 * one facet's count. */
static inline void consider(struct match_ctx *m, const struct resolved_filter *f, uint32_t d)
{
	if (passes(f, m->ix, d))
		on_match(m, d);
	else if (m->req->facets)
		count_unselected(m, f, d);
}

/* A match the filter passed: counted, and into the top k if it can be. */
static inline void on_match(struct match_ctx *m, uint32_t d)
{
	const struct search_index *ix = m->ix;
	m->total++;
	if (m->req->each)
		m->req->each(m->req->each_ctx, ix->lens[d].posting_id);
	if (m->req->facets) {
		m->facets->status[(ix->flags[d] & DOC_CLOSED) != 0]++;
		/* Counted FACET_BATCH matches later: the row, a cache miss
		 * where matches are far apart, is fetched meanwhile instead of
		 * waited for. */
		__builtin_prefetch(&ix->frows[d]);
		m->pending[m->npending++] = d;
		if (m->npending == FACET_BATCH)
			count_pending(m);
	}
	rank(m, d);
}

/* Into the top k if it can be: its bound first, then its score. */
/* Into the heap if key (and the posting id on a tie) can enter it. */
static inline void offer(struct match_ctx *m, uint32_t d, double key, float score)
{
	struct heap *h = m->h;
	/* Below the heap's lowest key it cannot enter: skip the id's load. */
	if (h->n == h->k && key < h->v[0].key)
		return;
	struct search_hit hit = { .posting_id = m->ix->lens[d].posting_id, .key = key, .score = score };
	if (!m->after || below(hit.key, hit.posting_id, m->after->key, m->after->posting_id))
		heap_push(h, &hit);
}

/* BM25F: the length normalisation of document d per field, and one
 * word's part of its score given its term frequencies. */
static inline void norms(const struct match_ctx *m, uint32_t d, float *norm)
{
	const struct lrow *lr = &m->ix->lens[d];
	for (int i = 0; i < FIELD_COUNT; i++)
		norm[i] = 1.0f - field_b[i] + field_b[i] * lr->len[i] * m->inv_avg[i];
}

static inline float word_score(const struct leaf *l, const uint16_t *tf, const float *norm)
{
	float x = 0;
	for (int i = 0; i < FIELD_COUNT; i++)
		if ((l->fields & (1u << i)) && tf[i])
			x += field_weight[i] * tf[i] / norm[i];
	return l->idf * x / (K1 + x);
}

/* The term frequencies of the leaf's word in document d, or NULL when the
 * leaf is not at d (the word is not in it). */
static inline const uint16_t *tf_at(struct leaf *l, uint32_t d)
{
	if (l->doc != d || !l->loaded)
		return NULL;
	if (!l->tf_loaded)
		leaf_load_tf(l);
	return l->tf[l->i];
}

/* Scores the waiting candidates, whose lengths rows were prefetched. */
static void score_cands(struct match_ctx *m)
{
	for (uint32_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];
		float norm[FIELD_COUNT], score = 0;
		norms(m, k->d, norm);
		for (uint32_t j = 0; j < k->n; j++)
			score += word_score(m->r->positive[k->leaf[j]], k->tf[j], norm);
		m->scored++;
		offer(m, k->d, score, score);
	}
	m->ncands = 0;
}

/* Into the top k if it can be: its bound first, then its score. Scoring
 * reads the match's lengths row, a cache miss where matches are far
 * apart: a match of a few words waits in a batch with its term
 * frequencies while the row is fetched. */
static inline void rank(struct match_ctx *m, uint32_t d)
{
	const struct search_index *ix = m->ix;
	struct heap *h = m->h;
	if (m->sort != SEARCH_SORT_RELEVANCE) {
		offer(m, d, sort_key(&ix->docs[d], m->sort), 0);
		return;
	}
	const struct run *r = m->r;
	if (h->n == h->k) {
		float bound = 0;
		for (size_t k = 0; k < r->npositive; k++) {
			const struct leaf *l = r->positive[k];
			if (l->doc != d || !l->loaded)
				continue;
			const struct tblock *b = &l->t->blocks[l->blk];
			bound +=
			    l->idf * (l->bound_field < 0 ? b->sub[l->i / SUB] : b->fsub[l->bound_field][l->i / SUB]);
		}
		/* Pruned: even its bound cannot enter the top k. */
		if (bound * m->scale * (1.0f / 255) < h->v[0].key)
			return;
	}
	if (r->npositive <= SCORE_LEAVES) {
		struct cand *c = &m->cands[m->ncands++];
		c->d = d;
		c->n = 0;
		for (size_t k = 0; k < r->npositive; k++) {
			const uint16_t *tf = tf_at(r->positive[k], d);
			if (!tf)
				continue;
			c->leaf[c->n] = (uint8_t)k;
			memcpy(c->tf[c->n], tf, sizeof(c->tf[c->n]));
			c->n++;
		}
		__builtin_prefetch(&ix->lens[d]);
		if (m->ncands == SCORE_BATCH)
			score_cands(m);
		return;
	}
	float norm[FIELD_COUNT], score = 0;
	norms(m, d, norm);
	for (size_t k = 0; k < r->npositive; k++) {
		const uint16_t *tf = tf_at(r->positive[k], d);
		if (tf)
			score += word_score(r->positive[k], tf, norm);
	}
	m->scored++;
	offer(m, d, score, score);
}

/* The first document that can have been first seen after t (ndocs: none). */
static uint32_t first_doc_seen_after(const struct search_index *ix, int64_t t)
{
	uint32_t lo = 0, hi = ix->ndocs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ix->seen_max[mid] > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Adds the counts of part t (NULL: none) to the search's. */
static void add_counts(struct match_ctx *m, const struct tcount *t)
{
	if (!t)
		return;
	m->total += t->total;
	if (!m->req->facets)
		return;
	struct search_facets *fa = m->facets;
	for (int i = 0; i < 4; i++)
		fa->workplace[i] += t->workplace[i];
	for (int i = 0; i < 8; i++)
		fa->employment_type[i] += t->employment[i];
	for (int i = 0; i < SEARCH_MAX_SOURCES; i++)
		m->c->source[i] += t->source[i];
	for (uint32_t i = 0; i < t->ncountry && i < m->ix->countries.n; i++)
		m->c->country[i] += t->country[i];
	for (uint32_t i = 0; i < t->ncompany && i < m->ix->companies.folded.n; i++)
		m->c->company[i] += t->company[i];
	for (uint32_t i = 0; i < t->ncity && i <= m->ix->cities.folded.n; i++)
		m->c->city[i] += t->city[i];
	for (int i = 0; i < SALARY_BAND_COUNT; i++)
		m->c->salary[i] += t->salary[i];
	const struct dayhist *dh = &t->days;
	int32_t from = m->c->today - (AGE_DAYS - 1);
	for (uint32_t i = dayhist_find(dh, from > 0 ? (uint32_t)from : 0); i < dh->len; i++)
		count_age(m->c, dh->day[i], dh->n[i]);
}

/* One word whose term keeps counts, no filter but open / closed and hidden
 * postings: the total and facets come from the counts (less what the user
 * hid that has the word), and only blocks whose bound can still enter the
 * top k are read. */
static void from_counts(struct match_ctx *m, const struct resolved_filter *f, struct leaf *l)
{
	const struct search_index *ix = m->ix;
	const struct tcache *tc = l->t->counts;
	add_counts(m, f->want_open ? &tc->open : NULL);
	add_counts(m, f->want_closed ? &tc->closed : NULL);
	m->facets->status[0] = tc->open.total; /* the status facet leaves the status filter out */
	m->facets->status[1] = tc->closed.total;
	for (uint32_t k = 0; k < f->nhidden_docs; k++) {
		uint32_t d = f->hidden_docs[k];
		uint8_t fl = ix->flags[d];
		if ((k && d == f->hidden_docs[k - 1]) || !(fl & DOC_LIVE) || !term_has(l->t, d))
			continue;
		m->facets->status[(fl & DOC_CLOSED) != 0]--;
		if (fl & DOC_CLOSED ? !f->want_closed : !f->want_open)
			continue;
		m->total--;
		if (m->req->facets) {
			struct counts *c = m->c;
			struct fsink s = { m->facets->workplace,
					   m->facets->employment_type,
					   c->source,
					   c->country,
					   c->company,
					   c->city,
					   c->salary };
			count_row(&ix->frows[d], (uint32_t)-1, &s);
			count_age(c, ix->frows[d].day, (uint32_t)-1);
		}
	}
	const struct heap *h = m->h;
	for (l->blk = 0; l->blk < l->t->nblocks; l->blk++) {
		if (m->sort == SEARCH_SORT_RELEVANCE && h->n == h->k) {
			const struct tblock *b = &l->t->blocks[l->blk];
			uint8_t top = 0;
			for (int i = 0; i < BLOCK / SUB; i++)
				if (b->sub[i] > top)
					top = b->sub[i];
			if (l->idf * top * m->scale * (1.0f / 255) < h->v[0].key)
				continue; /* nothing in it can enter */
		}
		leaf_load(l);
		for (l->i = 0; l->i < l->n; l->i++) {
			uint32_t d = l->doc = l->docs[l->i];
			if (passes(f, ix, d))
				rank(m, d);
		}
	}
}

/* Whether n is an AND of words only (no phrase, prefix or exclusion). */
static bool and_of_words(const struct node *n)
{
	if (n->kind != N_AND || n->nnots || n->nkids > MAX_LEAVES)
		return false;
	for (size_t k = 0; k < n->nkids; k++)
		if (n->kids[k]->kind != N_LEAF)
			return false;
	return true;
}

/* Every match of an AND of words from document d on: the leaves' iterators
 * without the node layer (and_advance), rarest word first, the first to
 * disagree moving the others to its document. */
static void and_words(struct match_ctx *m, const struct resolved_filter *f, const struct node *root, uint32_t d)
{
	struct leaf *l[MAX_LEAVES];
	size_t n = root->nkids;
	for (size_t k = 0; k < n; k++)
		l[k] = root->kids[k]->leaf;
	for (;;) {
		d = leaf_advance(l[0], d);
		size_t k = 1;
		while (k < n && d != DOC_END) {
			uint32_t kd = leaf_advance(l[k], d);
			if (kd != d) {
				d = leaf_advance(l[0], kd);
				k = 1;
				continue;
			}
			k++;
		}
		if (d == DOC_END)
			return;
		consider(m, f, d);
		d++;
	}
}

int search_index_search(const struct search_index *ix, const struct search_request *req, struct arena *a,
			struct search_result *out)
{
	memset(out, 0, sizeof(*out));
	int limit = req->limit > 0 ? req->limit : 20;
	if (req->offset < 0 || limit > SEARCH_MAX_WINDOW || req->offset > SEARCH_MAX_WINDOW - limit)
		return -EINVAL;
	const struct search_weights *win =
	    req->after.set && req->after.weights.set && req->sort == SEARCH_SORT_RELEVANCE ? &req->after.weights : NULL;
	struct run r = { .ix = ix, .a = a, .win = win, .docs = win ? win->docs : ix->nlive };
	struct resolved_filter f;
	int frc = resolve_filter(ix, &req->filter, a, &f);
	if (frc)
		return frc;
	struct heap h = { .k = (size_t)(req->offset + limit) };
	h.v = arena_alloc_raw(a, h.k * sizeof(*h.v));
	r.positive = arena_alloc_raw(a, MAX_LEAVES * sizeof(*r.positive));
	r.pos_a = arena_alloc_raw(a, POS_MAX * sizeof(*r.pos_a));
	r.pos_b = arena_alloc_raw(a, POS_MAX * sizeof(*r.pos_b));
	struct counts c = { .today = f.today };
	if (req->facets) {
		c.country = arena_alloc(a, (ix->countries.n + 1) * sizeof(*c.country));
		c.company = arena_alloc(a, (ix->companies.folded.n + 1) * sizeof(*c.company));
		c.city = arena_alloc(a, (ix->cities.folded.n + 1) * sizeof(*c.city));
	}
	if (!h.v || !r.positive || !r.pos_a || !r.pos_b || (req->facets && (!c.country || !c.company || !c.city)))
		return -ENOMEM;
	struct node *root = NULL;
	if (req->query && req->query->root) {
		root = build(&r, req->query->root, true);
		if (!root)
			return r.err ? r.err : -ENOMEM;
		if (root->kind == N_NONE)
			f.none = true;
	}
	enum search_sort sort = req->sort;
	if ((!root || !r.npositive) && sort == SEARCH_SORT_RELEVANCE)
		sort = SEARCH_SORT_DATE; /* nothing to score: newest first */
	/* Length normalisation with the live averages; the block bounds scale by
	 * how much larger those are than the reference ones (index.h). */
	float inv_avg[FIELD_COUNT], scale = 1.0f;
	r.wout.docs = r.docs;
	for (int i = 0; i < FIELD_COUNT; i++) {
		float avg = ix->nlive ? (float)((double)ix->sum_len[i] / ix->nlive) : ix->ref_avg[i];
		if (win) /* the first page's (a cursor's numbers are checked, not trusted: search/params.c) */
			avg = win->avg_len[i];
		r.wout.avg_len[i] = avg;
		if (avg < 0.5f)
			avg = 0.5f;
		inv_avg[i] = 1.0f / avg;
		if (avg / ix->ref_avg[i] > scale)
			scale = avg / ix->ref_avg[i];
	}
	struct match_ctx m = { .ix = ix,
			       .req = req,
			       .r = &r,
			       .h = &h,
			       .c = &c,
			       .facets = &out->facets,
			       .after = req->after.set ? &req->after : NULL,
			       .sort = sort,
			       .scale = scale };
	memcpy(m.inv_avg, inv_avg, sizeof(inv_avg));
	uint32_t start = f.seen_after ? first_doc_seen_after(ix, f.seen_after) : 0;
	if (f.none || start >= ix->ndocs) {
		/* nothing matches */
	} else if (start == 0 && root && root->kind == N_LEAF && root->leaf->fields == FIELDS_ALL &&
		   root->leaf->t->counts && !f.facet_columns && !f.cold_columns && !req->each) {
		from_counts(&m, &f, root->leaf);
	} else if (start == 0 && root && root->kind == N_LEAF) {
		/* One word, the commonest big query: straight over its blocks,
		 * without the iterator calls per match. The block's documents
		 * are known ahead: the rows a filter reads are fetched
		 * PREFETCH_AHEAD postings before they are checked, and for a
		 * word in one field (`title:engineer`), whose top score thousands
		 * of short titles share so that nearly every match is scored,
		 * the lengths row too. */
		struct leaf *l = root->leaf;
		bool fielded = l->fields != FIELDS_ALL;
		bool pf_rows = f.facet_columns, pf_cold = f.cold_columns;
		bool pf_lens = fielded && sort == SEARCH_SORT_RELEVANCE;
		for (l->blk = 0; l->blk < l->t->nblocks; l->blk++) {
			leaf_load(l);
			if (fielded)
				leaf_load_tf(l);
			for (l->i = 0; l->i < l->n; l->i++) {
				if (l->i + PREFETCH_AHEAD < l->n &&
				    (!fielded || (l->mask[l->i + PREFETCH_AHEAD] & l->fields))) {
					uint32_t ahead = l->docs[l->i + PREFETCH_AHEAD];
					if (pf_rows)
						__builtin_prefetch(&ix->frows[ahead]);
					if (pf_cold)
						__builtin_prefetch(&ix->docs[ahead]);
					if (pf_lens)
						__builtin_prefetch(&ix->lens[ahead]);
				}
				if (fielded && !(l->mask[l->i] & l->fields))
					continue;
				uint32_t d = l->doc = l->docs[l->i];
				consider(&m, &f, d);
			}
		}
	} else if (root && and_of_words(root)) {
		and_words(&m, &f, root, start);
	} else {
		uint32_t d = start;
		for (;;) {
			if (root) {
				d = node_advance(&r, root, d);
				if (d == DOC_END)
					break;
			} else if (d >= ix->ndocs) {
				break;
			}
			consider(&m, &f, d);
			d++;
		}
	}
	score_cands(&m);
	count_pending(&m);
	uint64_t total = m.total, scored = m.scored;
	qsort(h.v, h.n, sizeof(*h.v), hit_desc);
	out->total = total;
	out->scored = scored;
	if (h.n > (size_t)req->offset) {
		out->hits = h.v + req->offset;
		out->nhits = h.n - (size_t)req->offset;
	}
	if (out->nhits == (size_t)limit) {
		out->next.set = true;
		out->next.key = out->hits[out->nhits - 1].key;
		out->next.posting_id = out->hits[out->nhits - 1].posting_id;
		if (sort == SEARCH_SORT_RELEVANCE) {
			out->next.weights = r.wout;
			out->next.weights.set = true;
		}
	}
	if (req->facets) {
		uint32_t *src = arena_alloc(a, (ix->sources.n + 1) * sizeof(*src));
		if (!src)
			return -ENOMEM;
		for (uint32_t i = 0; i < ix->sources.n && i < SEARCH_MAX_SOURCES; i++)
			src[i] = c.source[i];
		int rc;
		if ((rc = top_facets(a, &ix->sources, NULL, src, SEARCH_MAX_SOURCES, &out->facets.source,
				     &out->facets.nsource)) ||
		    (rc = top_facets(a, &ix->countries, NULL, c.country, SEARCH_FACET_TOP, &out->facets.country,
				     &out->facets.ncountry)) ||
		    (rc = top_facets(a, &ix->companies.folded, &ix->companies, c.company, SEARCH_FACET_TOP,
				     &out->facets.company, &out->facets.ncompany)) ||
		    (rc = top_facets(a, &ix->cities.folded, &ix->cities, c.city + 1, SEARCH_FACET_TOP,
				     &out->facets.city, &out->facets.ncity)))
			return rc;
		/* Bands from the histograms: cumulative, as the filters pass. */
		out->facets.salary_none = c.salary[0];
		for (int i = SEARCH_SALARY_BANDS - 1; i >= 0; i--)
			out->facets.salary[i] =
			    c.salary[i + 2] + (i + 1 < SEARCH_SALARY_BANDS ? out->facets.salary[i + 1] : 0);
		uint32_t within = 0;
		for (int i = 0, b = 0; i < AGE_DAYS && b < SEARCH_POSTED_BANDS; i++) {
			within += c.age[i];
			if (i == search_posted_bands[b])
				out->facets.posted_within[b++] = within;
		}
	}
	return 0;
}

/* scan/terms_codec — see terms_codec.h for the format. */
#include "scan/terms_codec.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scan/education.h"

/* Bump when jd.c reads postings differently or the layout changes: old rows
 * then fail the key and are read again. */
#define TERMS_EXTRACTOR 1

#define TERMS_YEARS_MAX 99 /* years of experience a posting may ask for */

static void put_u8(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(v & 0xff));
}

static void put_u16(struct buf *b, unsigned v)
{
	put_u8(b, v);
	put_u8(b, v >> 8);
}

static void put_u32(struct buf *b, uint32_t v)
{
	put_u16(b, v & 0xffff);
	put_u16(b, v >> 16);
}

static void put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	put_u16(b, (unsigned)n);
	buf_append(b, s ? s : "", n);
}

void terms_encode(struct buf *b, const struct jd_terms *jd)
{
	buf_append(b, "JTT", 3);
	put_u8(b, TERMS_FORMAT);
	put_str(b, jd->title);
	put_u32(b, (uint32_t)jd->occupation);
	put_u8(b, jd->level);
	put_u8(b, (unsigned)jd->edu_level);
	put_u8(b, (unsigned)jd->edu_preferred);
	put_u8(b, jd->has_sections != 0);
	put_u16(b, jd->years > 0 && jd->years <= TERMS_YEARS_MAX ? (unsigned)jd->years : 0);
	size_t nt = jd->title_doc.toks.n > UINT16_MAX ? UINT16_MAX : jd->title_doc.toks.n;
	put_u16(b, (unsigned)nt);
	for (size_t i = 0; i < nt; i++) {
		put_u32(b, jd->title_doc.toks.v[i].len);
		put_u64(b, jd->title_doc.toks.v[i].hash);
	}
	size_t ns = jd->n_skills > UINT16_MAX ? UINT16_MAX : jd->n_skills;
	put_u16(b, (unsigned)ns);
	for (size_t i = 0; i < ns; i++) {
		const struct jd_skill *s = &jd->skills[i];
		put_u32(b, s->skill);
		put_u32(b, s->count);
		put_u8(b, s->need);
		put_u8(b, s->in_title != 0);
		put_u32(b, s->group);
	}
	size_t nk = jd->n_keywords > JD_KEYWORDS_MAX ? JD_KEYWORDS_MAX : jd->n_keywords;
	put_u8(b, (unsigned)nk);
	for (size_t i = 0; i < nk; i++) {
		const struct jd_keyword *k = &jd->keywords[i];
		uint64_t w;
		memcpy(&w, &k->weight, sizeof(w));
		put_u64(b, k->key);
		put_u32(b, k->count);
		put_u8(b, k->ntok);
		put_u8(b, k->need);
		put_u64(b, w);
		put_str(b, k->text);
	}
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const unsigned char *at = r->p;
	r->p += n;
	return at;
}

static unsigned get_u8(struct reader *r)
{
	const unsigned char *q = take(r, 1);
	return q ? q[0] : 0;
}

static unsigned get_u16(struct reader *r)
{
	const unsigned char *q = take(r, 2);
	return q ? (unsigned)q[0] | (unsigned)q[1] << 8 : 0;
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t lo = get_u16(r);
	return lo | (uint32_t)get_u16(r) << 16;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static const char *get_str(struct reader *r, struct arena *a)
{
	unsigned n = get_u16(r);
	const unsigned char *q = take(r, n);
	if (!q)
		return NULL;
	if (memchr(q, '\0', n)) { /* the encoder writes C strings */
		r->bad = 1;
		return NULL;
	}
	char *s = arena_strndup(a, (const char *)q, n);
	if (!s)
		r->bad = 1;
	return s;
}

int terms_decode(struct arena *a, const void *data, size_t len, size_t n_skills, size_t n_titles, struct jd_terms *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r = { .p = data, .end = (const unsigned char *)data + len };
	const unsigned char *magic = take(&r, 4);
	if (!magic || memcmp(magic, "JTT", 3) != 0 || magic[3] != TERMS_FORMAT)
		return -1;
	out->title = get_str(&r, a);
	int64_t occ = (int32_t)get_u32(&r);
	unsigned level = get_u8(&r), edu = get_u8(&r), edu_pref = get_u8(&r), sections = get_u8(&r);
	out->years = (int)get_u16(&r);
	if (r.bad || occ < -1 || occ >= (int64_t)n_titles || level > SEN_EXECUTIVE || out->years > TERMS_YEARS_MAX ||
	    edu > EDU_DOCTORATE || edu_pref > EDU_DOCTORATE || sections > 1)
		return -1;
	out->occupation = (int32_t)occ;
	out->level = (enum seniority)level;
	out->edu_level = (int)edu;
	out->edu_preferred = (int)edu_pref;
	out->has_sections = (int)sections;

	/* The title's tokens: only their lengths and hashes are compared. */
	size_t nt = get_u16(&r);
	if (r.bad || (size_t)(r.end - r.p) < nt * 12)
		return -1;
	struct scan_tokens *tt = &out->title_doc.toks;
	tt->text = tt->lower = out->title;
	tt->text_len = strlen(out->title);
	tt->v = arena_alloc(a, (nt + 1) * sizeof(*tt->v));
	if (!tt->v)
		return -1;
	for (size_t i = 0; i < nt; i++) {
		tt->v[i].len = get_u32(&r);
		tt->v[i].hash = get_u64(&r);
	}
	tt->n = nt;

	size_t ns = get_u16(&r);
	if (r.bad || (size_t)(r.end - r.p) < ns * 14)
		return -1;
	out->skills = arena_alloc_raw(a, (ns + 1) * sizeof(*out->skills));
	if (!out->skills)
		return -1;
	for (size_t i = 0; i < ns; i++) {
		struct jd_skill *s = &out->skills[i];
		s->skill = get_u32(&r);
		s->count = get_u32(&r);
		unsigned need = get_u8(&r), in_title = get_u8(&r);
		s->group = get_u32(&r);
		if (s->skill >= n_skills || s->count == 0 || need > NEED_REQUIRED || in_title > 1)
			return -1;
		s->need = (enum need)need;
		s->in_title = (int)in_title;
	}
	out->n_skills = ns;

	size_t nk = get_u8(&r);
	if (nk > JD_KEYWORDS_MAX)
		return -1;
	out->keywords = arena_alloc(a, (nk + 1) * sizeof(*out->keywords));
	if (!out->keywords)
		return -1;
	for (size_t i = 0; i < nk; i++) {
		struct jd_keyword *k = &out->keywords[i];
		k->key = get_u64(&r);
		k->count = get_u32(&r);
		k->ntok = (uint8_t)get_u8(&r);
		unsigned need = get_u8(&r);
		uint64_t w = get_u64(&r);
		memcpy(&k->weight, &w, sizeof(w));
		k->text = get_str(&r, a);
		/* weight: finite and not negative (NaN fails the comparison too) */
		if (r.bad || k->ntok < 1 || k->ntok > 3 || need > NEED_REQUIRED || !(k->weight >= 0 && k->weight < 1e9))
			return -1;
		k->need = (enum need)need;
	}
	out->n_keywords = nk;
	return r.bad || r.p != r.end ? -1 : 0;
}

static uint64_t mix(uint64_t h, const char *s)
{
	return scan_hash_join(h, scan_hash(s ? s : "", s ? strlen(s) : 0));
}

void scan_terms_key(const struct taxonomy *t, char *out, size_t outlen)
{
	uint64_t h = scan_hash("jobtrack-terms", 14);
	char num[32];
	snprintf(num, sizeof(num), "%zu/%zu/%zu/%zu", t->n_categories, t->n_skills, t->n_titles, t->n_seniority);
	h = mix(h, num);
	for (size_t i = 0; i < t->n_skills; i++) {
		const struct tax_skill *s = &t->skills[i];
		snprintf(num, sizeof(num), "%d/%u", (int)s->type, s->category);
		h = mix(mix(mix(h, s->id), s->name), num);
		for (uint32_t f = 0; f < s->nforms; f++)
			h = mix(h, s->forms[f]);
	}
	for (size_t i = 0; i < t->n_titles; i++) {
		const struct tax_title *ti = &t->titles[i];
		snprintf(num, sizeof(num), "%u", ti->category);
		h = mix(mix(mix(h, ti->id), ti->title), num);
		for (uint32_t f = 0; f < ti->nforms; f++)
			h = mix(h, ti->forms[f]);
	}
	for (size_t i = 0; i < t->n_seniority; i++) {
		snprintf(num, sizeof(num), "%d", (int)t->seniority[i].level);
		h = mix(mix(h, t->seniority[i].word), num);
	}
	snprintf(out, outlen, "t%d.%d-%016llx", TERMS_FORMAT, TERMS_EXTRACTOR, (unsigned long long)h);
}

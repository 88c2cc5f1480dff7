/* scan/terms_codec — a posting's JD terms (jd.h) as bytes, for the store's
 * cache of them (store.h, "postings' cached scan terms"), and back. Owned
 * by the resume scanner.
 *
 * Only what scoring and the report read is kept: the title and its tokens'
 * lengths and hashes (title words), occupation, seniority, skills (index,
 * count, need, in title, group), keywords (text, n-gram key, count, words,
 * need, IDF weight), degree and years asked, sections recognised. Not the
 * posting's tokens: a decoded jd_terms has an empty doc (the TF-IDF
 * baseline needs the text).
 *
 * Format (little-endian): "JTT" and a format byte, then the fields in the
 * order above with fixed widths, strings as u16 length + bytes. Skill and
 * occupation indices are the taxonomy's: bytes are only meaningful with
 * the taxonomy they were made with (scan_terms_key names it).
 *
 * The decoder reads bytes from the database, so it trusts nothing: every
 * length and index is checked against the buffer and the taxonomy's
 * sizes; a bad input is -1, never a read out of bounds. */
#ifndef JT_SCAN_TERMS_CODEC_H
#define JT_SCAN_TERMS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "scan/jd.h"
#include "scan/taxonomy.h"

#define TERMS_FORMAT 1

/* Appends jd's bytes to b (check buf_failed). */
void terms_encode(struct buf *b, const struct jd_terms *jd);

/* Reads data[0..len) into *out, its arrays and strings in a. n_skills and
 * n_titles bound the taxonomy indices. 0, or -1 (malformed, or out of
 * memory). */
int terms_decode(struct arena *a, const void *data, size_t len, size_t n_skills, size_t n_titles, struct jd_terms *out);

/* The cache key of a taxonomy with this codec and extractor:
 * "t<format>-<16 hex digits>" of a hash over every skill, title and
 * seniority word (ids, names, types, categories, forms), into out (>= 24). */
void scan_terms_key(const struct taxonomy *t, char *out, size_t outlen);

#endif

/* scan/rank — see rank.h. The best `limit` are kept in a min-heap while
 * the pages stream past; each keeps a copy of its cached bytes, so the
 * winners are decoded again for the full score without a second read. */
#include "scan/rank.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/idf_store.h"
#include "scan/terms_codec.h"

#define RANK_PAGE 2000 /* cached rows per store round trip */

int scan_ranker_adopt(struct scan_ranker *rk, struct taxonomy *tax, char *err, size_t errlen)
{
	memset(rk, 0, sizeof(*rk));
	idf_init(&rk->idf);
	rk->own_tax = *tax;
	memset(tax, 0, sizeof(*tax));
	if (matcher_build(&rk->own_m, &rk->own_tax, err, errlen) != 0) {
		taxonomy_free(&rk->own_tax);
		return -1;
	}
	rk->owns = 1;
	rk->m = &rk->own_m;
	scan_terms_key(rk->m->tax, rk->key, sizeof(rk->key));
	return 0;
}

int scan_ranker_init(struct scan_ranker *rk, const char *taxonomy_dir, char *err, size_t errlen)
{
	struct taxonomy tax;
	int rc = taxonomy_dir ? taxonomy_load_dir(&tax, taxonomy_dir, err, errlen)
			      : taxonomy_load_builtin(&tax, err, errlen);
	if (rc) {
		memset(rk, 0, sizeof(*rk));
		idf_init(&rk->idf);
		return -1;
	}
	return scan_ranker_adopt(rk, &tax, err, errlen);
}

void scan_ranker_init_with(struct scan_ranker *rk, const struct scan_matcher *m)
{
	memset(rk, 0, sizeof(*rk));
	idf_init(&rk->idf);
	rk->m = m;
	scan_terms_key(m->tax, rk->key, sizeof(rk->key));
}

int scan_ranker_load_idf(struct scan_ranker *rk, struct store *s, size_t max)
{
	size_t added;
	struct idf_table t;
	idf_init(&t);
	struct idf_mark mark;
	int rc = max ? idf_from_store(&t, s, max, &added) : idf_from_store_all(&t, s, 0, &mark, &added);
	if (rc) {
		idf_free(&t);
		return rc;
	}
	scan_ranker_set_idf(rk, &t);
	return 0;
}

void scan_ranker_set_idf(struct scan_ranker *rk, struct idf_table *t)
{
	idf_free(&rk->idf);
	rk->idf = *t;
	idf_init(t);
}

void scan_ranker_free(struct scan_ranker *rk)
{
	idf_free(&rk->idf);
	if (rk->owns) {
		matcher_free(&rk->own_m);
		taxonomy_free(&rk->own_tax);
	}
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int scan_terms_fill(const struct scan_ranker *rk, struct store *s, size_t max,
		    void (*progress)(void *ctx, size_t done, int64_t waiting), void *ctx, size_t *done)
{
	*done = 0;
	int64_t open = 0, cached = 0;
	int rc = progress ? store_posting_terms_count(s, rk->key, &open, &cached) : 0;
	if (rc)
		return rc;
	struct arena page, one, scratch;
	arena_init(&page, 0);
	arena_init(&one, 0);
	arena_init(&scratch, 0);
	struct buf b;
	buf_init(&b, 1u << 20);
	int64_t after = 0;
	while (rc == 0 && (max == 0 || *done < max)) {
		arena_reset(&page);
		struct posting_terms_todo *todo;
		size_t n;
		rc = store_posting_terms_todo(s, rk->key, after, SCAN_TERMS_FILL_PAGE, &page, &todo, &n);
		if (rc || n == 0)
			break;
		/* Read the page's postings first, then write their rows in one
		 * transaction: one commit (and fsync) a page, not one a posting,
		 * and no write lock held while reading. */
		size_t take = n;
		if (max && take > max - *done)
			take = max - *done;
		struct posting_terms *enc = arena_alloc(&page, take * sizeof(*enc));
		if (!enc) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < take && rc == 0; i++) {
			arena_reset(&one);
			arena_reset(&scratch);
			const char *text = todo[i].description_text ? todo[i].description_text : "";
			const char *title = todo[i].title ? todo[i].title : "";
			struct jd_terms jd;
			if (jd_extract_scratch(&one, &scratch, rk->m, &rk->idf, title, text, strlen(text), &jd) != 0) {
				rc = -1;
				break;
			}
			buf_reset(&b);
			terms_encode(&b, &jd);
			void *copy = buf_failed(&b) ? NULL : arena_alloc_raw(&page, b.len);
			if (!copy) {
				rc = -1;
				break;
			}
			memcpy(copy, b.data, b.len);
			enc[i] = (struct posting_terms){ .posting_id = todo[i].posting_id, .data = copy, .len = b.len };
		}
		if (rc != 0 || (rc = store_tx_begin(s, 0)) != 0)
			break;
		for (size_t i = 0; i < take && rc == 0; i++) {
			rc = store_posting_terms_put(s, enc[i].posting_id, todo[i].version, rk->key, enc[i].data,
						     enc[i].len, (int64_t)time(NULL));
			if (rc == STORE_NOTFOUND) /* deleted meanwhile */
				rc = 0;
		}
		rc = store_tx_end(s, rc);
		if (rc == 0) {
			*done += take;
			after = todo[take - 1].posting_id;
		}
		if (progress && rc == 0)
			progress(ctx, *done, open - cached);
	}
	buf_free(&b);
	arena_free(&scratch);
	arena_free(&one);
	arena_free(&page);
	return rc;
}

struct kept {
	int64_t posting_id;
	double score;
	void *data;
	size_t len;
};

/* Worse first: lower score, then older posting. */
static int worse(const struct kept *x, const struct kept *y)
{
	if (x->score != y->score)
		return x->score < y->score;
	return x->posting_id < y->posting_id;
}

static void sift_down(struct kept *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && worse(&h[l], &h[m]))
			m = l;
		if (r < n && worse(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		struct kept t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void sift_up(struct kept *h, size_t i)
{
	while (i > 0 && worse(&h[i], &h[(i - 1) / 2])) {
		struct kept t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int best_first(const void *pa, const void *pb)
{
	const struct kept *x = pa, *y = pb;
	return worse(y, x) ? -1 : worse(x, y) ? 1 : 0;
}

/* Keeps (id, score, bytes) when it beats the worst of the full heap. */
static int keep(struct kept *h, size_t *n, size_t limit, int64_t id, double score, const void *data, size_t len)
{
	struct kept k = { .posting_id = id, .score = score };
	if (*n == limit && !worse(&h[0], &k))
		return 0;
	k.data = malloc(len ? len : 1);
	if (!k.data)
		return -1;
	memcpy(k.data, data, len);
	k.len = len;
	if (*n < limit) {
		h[*n] = k;
		sift_up(h, (*n)++);
	} else {
		free(h[0].data);
		h[0] = k;
		sift_down(h, *n, 0);
	}
	return 0;
}

static int wanted(const struct scan_rank_request *req, int64_t id)
{
	if (!req->restrict_ids)
		return 1;
	size_t lo = 0, hi = req->n_only;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (req->only[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < req->n_only && req->only[lo] == id;
}

int scan_rank(const struct scan_ranker *rk, struct store *s, const struct scan_rank_request *req, struct arena *a,
	      struct scan_match **out, size_t *n, struct scan_rank_stats *stats)
{
	*out = NULL;
	*n = 0;
	memset(stats, 0, sizeof(*stats));
	size_t limit = req->limit < 1 ? 1 : req->limit > SCAN_RANK_MAX ? SCAN_RANK_MAX : req->limit;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = req->no_fill ? 0 : scan_terms_fill(rk, s, 0, NULL, NULL, &stats->filled);
	if (rc)
		return rc;
	stats->fill_ms = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	struct kept *heap = calloc(limit, sizeof(*heap));
	if (!heap)
		return -1;
	size_t nheap = 0;
	struct arena page, one;
	arena_init(&page, 0);
	arena_init(&one, 0);
	int64_t after = 0;
	while (rc == 0 && (!req->restrict_ids || req->n_only > 0)) {
		arena_reset(&page);
		struct posting_terms *rows;
		size_t nrows;
		rc = store_posting_terms_page(s, rk->key, after, RANK_PAGE, &page, &rows, &nrows);
		if (rc || nrows == 0)
			break;
		for (size_t i = 0; i < nrows && rc == 0; i++) {
			after = rows[i].posting_id;
			if (!wanted(req, rows[i].posting_id))
				continue;
			arena_reset(&one);
			struct jd_terms jd;
			if (terms_decode(&one, rows[i].data, rows[i].len, rk->m->tax->n_skills, rk->m->tax->n_titles,
					 &jd) != 0) {
				stats->undecodable++;
				continue;
			}
			struct scan_result res;
			if (scan_score(&one, rk->m, &jd, req->resume, 0, &res) != 0) {
				rc = -1;
				break;
			}
			stats->scored++;
			if (keep(heap, &nheap, limit, rows[i].posting_id, res.score, rows[i].data, rows[i].len) != 0)
				rc = -1;
		}
		if (nrows < RANK_PAGE)
			break;
	}
	arena_free(&one);
	arena_free(&page);

	if (rc == 0 && nheap) {
		qsort(heap, nheap, sizeof(*heap), best_first);
		*out = arena_alloc(a, nheap * sizeof(**out));
		if (!*out)
			rc = -1;
		for (size_t i = 0; rc == 0 && i < nheap; i++) {
			struct scan_match *m = &(*out)[i];
			m->posting_id = heap[i].posting_id;
			if (terms_decode(a, heap[i].data, heap[i].len, rk->m->tax->n_skills, rk->m->tax->n_titles,
					 &m->jd) != 0 ||
			    scan_score(a, rk->m, &m->jd, req->resume, 1, &m->res) != 0)
				rc = -1;
			m->score = m->res.score;
		}
		if (rc == 0)
			*n = nheap;
	}
	for (size_t i = 0; i < nheap; i++)
		free(heap[i].data);
	free(heap);
	stats->rank_ms = ms_since(&t0);
	return rc;
}

size_t scan_match_skills(const struct scan_result *res, int matched, const char **names, size_t max)
{
	size_t n = 0;
	if (max == 0)
		return 0;
	/* Insertion by weight: a posting names a few dozen skills at most. */
	const struct score_term *pick[64];
	for (size_t i = 0; i < res->n_terms; i++) {
		const struct score_term *t = &res->terms[i];
		if (t->kind != TERM_SKILL || (t->matched != 0) != (matched != 0))
			continue;
		size_t cap = max < 64 ? max : 64;
		if (n == cap && !(t->weight > pick[n - 1]->weight))
			continue;
		size_t at = n < cap ? n++ : n - 1;
		while (at > 0 && t->weight > pick[at - 1]->weight) {
			pick[at] = pick[at - 1];
			at--;
		}
		pick[at] = t;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = pick[i]->name;
	return n;
}

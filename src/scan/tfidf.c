/* scan/tfidf — see tfidf.h. Sparse vectors as small open-addressing maps. */
#include "scan/tfidf.h"

#include <math.h>
#include <stdlib.h>

struct vec {
	uint64_t *key;
	double *val, *idf;
	size_t cap;
};

static int vec_build(const struct scan_tokens *t, const struct idf_table *idf, struct vec *v)
{
	v->cap = 64;
	while (v->cap < t->n * 2)
		v->cap *= 2;
	v->key = calloc(v->cap, sizeof(*v->key));
	v->val = calloc(v->cap, sizeof(*v->val));
	v->idf = calloc(v->cap, sizeof(*v->idf));
	if (!v->key || !v->val || !v->idf)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t h = t->v[i].hash | 1;
		size_t k = (size_t)(h >> 9) & (v->cap - 1);
		while (v->key[k] && v->key[k] != h)
			k = (k + 1) & (v->cap - 1);
		if (!v->key[k]) {
			double w = idf_weight(idf, scan_tok_lower(t, i), t->v[i].len, t->v[i].hash);
			if (w <= 0)
				v->val[k] = -1; /* a stop word: kept out */
			v->idf[k] = w;
			v->key[k] = h;
		}
		if (v->val[k] >= 0)
			v->val[k] += 1;
	}
	/* counts -> weights */
	for (size_t k = 0; k < v->cap; k++) {
		if (!v->key[k] || v->val[k] <= 0) {
			v->val[k] = 0;
			continue;
		}
		v->val[k] = (1 + log(v->val[k])) * v->idf[k];
	}
	return 0;
}

static double vec_get(const struct vec *v, uint64_t h)
{
	for (size_t k = (size_t)(h >> 9) & (v->cap - 1); v->key[k]; k = (k + 1) & (v->cap - 1))
		if (v->key[k] == h)
			return v->val[k];
	return 0;
}

double tfidf_cosine(const struct scan_tokens *a, const struct scan_tokens *b, const struct idf_table *idf)
{
	struct vec va = { 0 }, vb = { 0 };
	double result = 0;
	if (vec_build(a, idf, &va) == 0 && vec_build(b, idf, &vb) == 0) {
		double dot = 0, na = 0, nb = 0;
		for (size_t k = 0; k < va.cap; k++) {
			na += va.val[k] * va.val[k];
			if (va.key[k])
				dot += va.val[k] * vec_get(&vb, va.key[k]);
		}
		for (size_t k = 0; k < vb.cap; k++)
			nb += vb.val[k] * vb.val[k];
		result = na > 0 && nb > 0 ? dot / sqrt(na * nb) : 0;
	}
	free(va.key);
	free(va.val);
	free(va.idf);
	free(vb.key);
	free(vb.val);
	free(vb.idf);
	return result;
}

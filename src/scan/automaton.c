/* scan/automaton — see automaton.h. Nodes are arrays; edges live in one
 * open-addressing table keyed by (node, symbol), which keeps a large
 * alphabet (every word of thousands of skills and titles) compact. */
#include "scan/automaton.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* ---- vocabulary ---------------------------------------------------------- */

void scan_vocab_free(struct scan_vocab *v)
{
	for (size_t i = 0; i < v->cap; i++)
		free((void *)v->str[i]);
	free(v->hash);
	free(v->id);
	free(v->str);
	free(v->len);
	memset(v, 0, sizeof(*v));
}

static size_t vocab_find(const struct scan_vocab *v, const char *s, size_t n, uint64_t hash)
{
	size_t mask = v->cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		if (!v->id[i])
			return i;
		if (v->hash[i] == hash && v->len[i] == n && memcmp(v->str[i], s, n) == 0)
			return i;
	}
}

static int vocab_grow(struct scan_vocab *v)
{
	size_t cap = v->cap ? v->cap * 2 : 1024;
	struct scan_vocab nv = { .cap = cap, .count = v->count };
	nv.hash = calloc(cap, sizeof(*nv.hash));
	nv.id = calloc(cap, sizeof(*nv.id));
	nv.str = calloc(cap, sizeof(*nv.str));
	nv.len = calloc(cap, sizeof(*nv.len));
	if (!nv.hash || !nv.id || !nv.str || !nv.len) {
		free(nv.hash);
		free(nv.id);
		free(nv.str);
		free(nv.len);
		return -1;
	}
	for (size_t i = 0; i < v->cap; i++) {
		if (!v->id[i])
			continue;
		size_t j = vocab_find(&nv, v->str[i], v->len[i], v->hash[i]);
		nv.hash[j] = v->hash[i];
		nv.id[j] = v->id[i];
		nv.str[j] = v->str[i];
		nv.len[j] = v->len[i];
	}
	free(v->hash);
	free(v->id);
	free(v->str);
	free(v->len);
	*v = nv;
	return 0;
}

uint32_t scan_vocab_id(struct scan_vocab *v, const char *s, size_t n, uint64_t hash, int add)
{
	if (v->cap == 0) {
		if (!add || vocab_grow(v) != 0)
			return 0;
	}
	size_t i = vocab_find(v, s, n, hash);
	if (v->id[i] || !add)
		return v->id[i];
	if ((v->count + 1) * 2 > v->cap) {
		if (vocab_grow(v) != 0)
			return 0;
		i = vocab_find(v, s, n, hash);
	}
	char *copy = malloc(n + 1);
	if (!copy)
		return 0;
	memcpy(copy, s, n);
	copy[n] = '\0';
	v->hash[i] = hash;
	v->str[i] = copy;
	v->len[i] = (uint32_t)n;
	v->id[i] = (uint32_t)++v->count;
	return v->id[i];
}

void scan_vocab_assign(const struct scan_vocab *v, struct scan_tokens *t)
{
	if (!v->cap) {
		for (size_t i = 0; i < t->n; i++)
			t->v[i].id = 0;
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct scan_token *tk = &t->v[i];
		tk->id = v->id[vocab_find(v, t->lower + tk->start, tk->len, tk->hash)];
	}
}

/* ---- automaton ----------------------------------------------------------- */

static uint64_t ekey(uint32_t node, uint32_t sym)
{
	return ((uint64_t)node << 32) | sym;
}

static size_t eslot(const struct ac *ac, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	size_t mask = ac->ecap - 1;
	for (size_t i = (size_t)(h >> 20) & mask;; i = (i + 1) & mask)
		if (ac->ekey[i] == key || ac->ekey[i] == UINT64_MAX)
			return i;
}

/* The child of node on sym, or 0 (the root is never a child). */
static uint32_t edge(const struct ac *ac, uint32_t node, uint32_t sym)
{
	size_t i = eslot(ac, ekey(node, sym));
	return ac->ekey[i] == UINT64_MAX ? 0 : ac->eval[i];
}

static int edge_grow(struct ac *ac)
{
	size_t cap = ac->ecap ? ac->ecap * 2 : 4096;
	uint64_t *keys = malloc(cap * sizeof(*keys));
	uint32_t *vals = malloc(cap * sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	memset(keys, 0xff, cap * sizeof(*keys));
	struct ac old = *ac;
	ac->ekey = keys;
	ac->eval = vals;
	ac->ecap = cap;
	for (size_t i = 0; i < old.ecap; i++) {
		if (old.ekey[i] == UINT64_MAX)
			continue;
		size_t j = eslot(ac, old.ekey[i]);
		ac->ekey[j] = old.ekey[i];
		ac->eval[j] = old.eval[i];
	}
	free(old.ekey);
	free(old.eval);
	return 0;
}

static int node_new(struct ac *ac, uint32_t *out)
{
	if (ac->nodes == ac->node_cap) {
		size_t cap = ac->node_cap ? ac->node_cap * 2 : 1024;
		uint32_t *f = realloc(ac->fail, cap * sizeof(*f));
		if (!f)
			return -1;
		ac->fail = f;
		uint32_t *o = realloc(ac->out, cap * sizeof(*o));
		if (!o)
			return -1;
		ac->out = o;
		uint32_t *d = realloc(ac->dict, cap * sizeof(*d));
		if (!d)
			return -1;
		ac->dict = d;
		ac->node_cap = cap;
	}
	*out = (uint32_t)ac->nodes++;
	ac->fail[*out] = ac->out[*out] = ac->dict[*out] = 0;
	return 0;
}

int ac_init(struct ac *ac)
{
	memset(ac, 0, sizeof(*ac));
	uint32_t root;
	return node_new(ac, &root) == 0 && edge_grow(ac) == 0 ? 0 : -1;
}

void ac_free(struct ac *ac)
{
	for (size_t i = 0; i < ac->npat; i++)
		free(ac->pat[i].exact);
	free(ac->fail);
	free(ac->out);
	free(ac->dict);
	free(ac->ekey);
	free(ac->eval);
	free(ac->pat);
	free(ac->used);
	free(ac->root);
	memset(ac, 0, sizeof(*ac));
}

int ac_add(struct ac *ac, struct scan_vocab *v, const char *form, int32_t value)
{
	int exact = form[0] == '=';
	if (exact)
		form++;
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens t;
	int rc = -1;
	if (scan_tokenize(&a, form, strlen(form), &t) != 0)
		goto done;
	rc = 0;
	if (t.n == 0)
		goto done;
	rc = -1;
	uint32_t node = 0;
	size_t exact_len = 0;
	for (size_t i = 0; i < t.n; i++) {
		uint32_t sym = scan_vocab_id(v, scan_tok_lower(&t, i), t.v[i].len, t.v[i].hash, 1);
		if (!sym)
			goto done;
		uint32_t child = edge(ac, node, sym);
		if (!child) {
			if ((ac->ecount + 1) * 2 > ac->ecap && edge_grow(ac) != 0)
				goto done;
			if (node_new(ac, &child) != 0)
				goto done;
			size_t s = eslot(ac, ekey(node, sym));
			ac->ekey[s] = ekey(node, sym);
			ac->eval[s] = child;
			ac->ecount++;
		}
		node = child;
		exact_len += t.v[i].len + 1;
	}
	if (ac->npat == ac->pat_cap) {
		size_t cap = ac->pat_cap ? ac->pat_cap * 2 : 256;
		struct ac_pattern *p = realloc(ac->pat, cap * sizeof(*p));
		if (!p)
			goto done;
		ac->pat = p;
		ac->pat_cap = cap;
	}
	struct ac_pattern *p = &ac->pat[ac->npat];
	*p = (struct ac_pattern){ .ntok = (uint32_t)t.n, .value = value };
	if (exact) {
		p->exact = malloc(exact_len);
		if (!p->exact)
			goto done;
		char *w = p->exact;
		for (size_t i = 0; i < t.n; i++) {
			memcpy(w, form + t.v[i].start, t.v[i].len);
			w += t.v[i].len;
			*w++ = '\0';
		}
	}
	/* Patterns ending at one node are kept in the order added. */
	uint32_t *link = &ac->out[node];
	while (*link)
		link = &ac->pat[*link - 1].next;
	*link = (uint32_t)ac->npat + 1;
	ac->npat++;
	rc = 1;
done:
	arena_free(&a);
	return rc;
}

int ac_has(const struct ac *ac, struct scan_vocab *v, const char *form)
{
	form += form[0] == '=';
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens t;
	int found = -1;
	if (scan_tokenize(&a, form, strlen(form), &t) == 0) {
		uint32_t node = 0;
		for (size_t i = 0; i < t.n && node != UINT32_MAX; i++) {
			uint32_t sym = scan_vocab_id(v, scan_tok_lower(&t, i), t.v[i].len, t.v[i].hash, 0);
			uint32_t child = sym ? edge(ac, node, sym) : 0;
			node = child ? child : UINT32_MAX;
		}
		found = t.n && node != UINT32_MAX && ac->out[node] != 0;
	}
	arena_free(&a);
	return found;
}

int ac_build(struct ac *ac)
{
	uint32_t max_sym = 0;
	for (size_t i = 0; i < ac->ecap; i++)
		if (ac->ekey[i] != UINT64_MAX && (uint32_t)(ac->ekey[i] & 0xffffffffu) > max_sym)
			max_sym = (uint32_t)(ac->ekey[i] & 0xffffffffu);
	ac->used_words = max_sym / 64 + 1;
	ac->used = calloc(ac->used_words, sizeof(*ac->used));
	if (!ac->used)
		return -1;
	/* The root's children by symbol, directly: most tokens are matched
	 * from the root, and a dense array beats a probe of the edge table. */
	ac->root = calloc(ac->used_words * 64, sizeof(*ac->root));
	if (!ac->root)
		return -1;
	for (size_t i = 0; i < ac->ecap; i++)
		if (ac->ekey[i] != UINT64_MAX) {
			uint32_t sym = (uint32_t)(ac->ekey[i] & 0xffffffffu);
			ac->used[sym / 64] |= 1ull << (sym % 64);
			if ((ac->ekey[i] >> 32) == 0)
				ac->root[sym] = ac->eval[i];
		}
	/* Breadth-first over nodes: collect children of each node by scanning
	 * the edge table once into per-node lists. */
	uint32_t *first = calloc(ac->nodes, sizeof(*first)); /* edge slot + 1 of the node's first child */
	uint32_t *next = calloc(ac->ecap, sizeof(*next));
	uint32_t *queue = malloc(ac->nodes * sizeof(*queue));
	if (!first || !next || !queue) {
		free(first);
		free(next);
		free(queue);
		return -1;
	}
	for (size_t i = 0; i < ac->ecap; i++) {
		if (ac->ekey[i] == UINT64_MAX)
			continue;
		uint32_t parent = (uint32_t)(ac->ekey[i] >> 32);
		next[i] = first[parent];
		first[parent] = (uint32_t)i + 1;
	}
	size_t head = 0, tail = 0;
	for (uint32_t e = first[0]; e; e = next[e - 1]) {
		uint32_t child = ac->eval[e - 1];
		ac->fail[child] = 0;
		ac->dict[child] = 0;
		queue[tail++] = child;
	}
	while (head < tail) {
		uint32_t node = queue[head++];
		for (uint32_t e = first[node]; e; e = next[e - 1]) {
			uint32_t child = ac->eval[e - 1];
			uint32_t sym = (uint32_t)(ac->ekey[e - 1] & 0xffffffffu);
			uint32_t f = ac->fail[node];
			uint32_t to;
			for (;;) {
				to = edge(ac, f, sym);
				if (to || f == 0)
					break;
				f = ac->fail[f];
			}
			ac->fail[child] = to;
			ac->dict[child] = ac->out[to] ? to + 1 : ac->dict[to];
			queue[tail++] = child;
		}
	}
	free(first);
	free(next);
	free(queue);
	ac->built = 1;
	return 0;
}

static int exact_ok(const struct ac_pattern *p, const struct scan_tokens *t, const uint32_t *idx)
{
	const char *w = p->exact;
	for (uint32_t k = 0; k < p->ntok; k++) {
		const struct scan_token *tk = &t->v[idx[k]];
		size_t n = strlen(w);
		if (n != tk->len || memcmp(w, t->text + tk->start, n) != 0)
			return 0;
		w += n + 1;
	}
	return 1;
}

static int hit_cmp(const void *pa, const void *pb)
{
	const struct ac_hit *a = pa, *b = pb;
	if (a->tok != b->tok)
		return a->tok < b->tok ? -1 : 1;
	if (a->ntok != b->ntok)
		return a->ntok > b->ntok ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

long ac_match(const struct ac *ac, struct arena *a, const struct scan_tokens *t, const uint32_t *sel, size_t nsel,
	      struct ac_hit **out)
{
	*out = NULL;
	if (!sel)
		nsel = t->n;
	size_t cap = 64, n = 0;
	struct ac_hit *hits = arena_alloc_raw(a, cap * sizeof(*hits));
	if (!hits)
		return -1;
	uint32_t idx_buf[64];
	uint32_t state = 0;
	for (size_t i = 0; i < nsel; i++) {
		uint32_t ti = sel ? sel[i] : (uint32_t)i;
		const struct scan_token *tk = &t->v[ti];
		if (tk->flags & TOK_BREAK)
			state = 0;
		uint32_t sym = tk->id;
		if (!sym || sym / 64 >= ac->used_words || !(ac->used[sym / 64] >> (sym % 64) & 1)) {
			state = 0;
			continue;
		}
		for (;;) {
			uint32_t to = state ? edge(ac, state, sym) : ac->root[sym];
			if (to) {
				state = to;
				break;
			}
			if (state == 0)
				break;
			state = ac->fail[state];
		}
		for (uint32_t node = ac->out[state] ? state + 1 : ac->dict[state]; node; node = ac->dict[node - 1]) {
			for (uint32_t p = ac->out[node - 1]; p; p = ac->pat[p - 1].next) {
				const struct ac_pattern *pat = &ac->pat[p - 1];
				size_t first = i + 1 - pat->ntok;
				if (pat->exact) {
					if (pat->ntok > 64)
						continue;
					for (uint32_t k = 0; k < pat->ntok; k++)
						idx_buf[k] = sel ? sel[first + k] : (uint32_t)(first + k);
					if (!exact_ok(pat, t, idx_buf))
						continue;
				}
				if (n == cap) {
					struct ac_hit *more = arena_alloc_raw(a, cap * 2 * sizeof(*more));
					if (!more)
						return -1;
					memcpy(more, hits, n * sizeof(*hits));
					hits = more;
					cap *= 2;
				}
				uint32_t first_tok = sel ? sel[first] : (uint32_t)first;
				hits[n++] = (struct ac_hit){ .tok = first_tok,
							     .ntok = ti + 1 - first_tok,
							     .value = pat->value };
			}
		}
	}
	if (n == 0)
		return 0;
	qsort(hits, n, sizeof(*hits), hit_cmp);
	/* Leftmost first, longest at a start, never overlapping. */
	size_t kept = 0;
	uint32_t free_from = 0;
	for (size_t i = 0; i < n; i++) {
		if (hits[i].tok < free_from)
			continue;
		hits[kept++] = hits[i];
		free_from = hits[i].tok + hits[i].ntok;
	}
	*out = hits;
	return (long)kept;
}

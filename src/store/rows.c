#include "store/rows.h"

#include <stdio.h>
#include <string.h>

void *rows_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t size)
{
	if (!items || count < *cap)
		return items;
	void *bigger = arena_alloc_raw(a, *cap * 2 * size);
	if (bigger)
		memcpy(bigger, items, *cap * size);
	*cap *= 2;
	return bigger;
}

void rows_tag_key(const char *tag, char *out, size_t outlen)
{
	size_t i = 0;
	for (; tag[i] && i + 1 < outlen; i++) {
		char ch = tag[i];
		out[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	if (outlen)
		out[i] = '\0';
}

void rows_limit_family(const char *key, char *lo, char *hi, size_t len)
{
	size_t n = strcspn(key, ":");
	n += key[n] == ':';
	if (n + 1 > len)
		n = len - 1;
	memcpy(lo, key, n);
	lo[n] = '\0';
	memcpy(hi, lo, n + 1);
	if (n > 0 && (unsigned char)hi[n - 1] < 0xff)
		hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
}

int rows_like_pattern(const char *q, struct buf *out)
{
	buf_reset(out);
	buf_putc(out, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_putc(out, '%');
	return buf_failed(out) ? -1 : 0;
}

int64_t rows_page_limit(int64_t limit)
{
	if (limit <= 0)
		return 50;
	return limit < STORE_LIST_MAX ? limit : STORE_LIST_MAX;
}

int64_t rows_list_limit(const struct app_filter *f)
{
	return rows_page_limit(f->limit);
}

void rows_tags_split(const char *joined, size_t len, struct arena *a, char ***tags, size_t *n)
{
	*tags = NULL;
	*n = 0;
	if (!joined || len == 0)
		return;
	size_t count = 1;
	for (size_t i = 0; i < len; i++)
		count += joined[i] == STORE_TAG_SEP;
	char **out = arena_alloc(a, count * sizeof(char *));
	if (!out)
		return;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || joined[i] == STORE_TAG_SEP) {
			out[k++] = arena_strndup(a, joined + start, i - start);
			start = i + 1;
		}
	}
	*tags = out;
	*n = k;
}

int rows_tags_join(char *const *tags, size_t n, struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, STORE_TAG_SEP);
		buf_puts(out, tags[i]);
	}
	return buf_failed(out) ? -1 : 0;
}

int rows_hamming(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

int rows_pick_candidate(const struct posting_ingest *in, struct posting_candidate *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c[i].distance = rows_hamming(c[i].simhash, in->posting.simhash);
	if (n == 0)
		return -1;
	if (in->pick) {
		int chosen = in->pick(c, n, in->pick_ctx);
		return chosen >= 0 && (size_t)chosen < n ? chosen : -1;
	}
	int best = -1;
	for (size_t i = 0; i < n; i++)
		if (c[i].distance <= in->max_distance && (best < 0 || c[i].distance < c[best].distance))
			best = (int)i;
	return best;
}

/* Picks among the candidates of one kind (repost or not), copied out in
 * their order; the index in c, or -1. */
static int pick_of_kind(const struct posting_ingest *in, struct posting_candidate *c, size_t n, int repost)
{
	struct posting_candidate kind[STORE_POSTING_CANDIDATES_MAX];
	size_t at[STORE_POSTING_CANDIDATES_MAX], k = 0;
	for (size_t i = 0; i < n && k < STORE_POSTING_CANDIDATES_MAX; i++)
		if ((c[i].closed || c[i].same_source) == repost) {
			at[k] = i;
			kind[k++] = c[i];
		}
	int chosen = rows_pick_candidate(in, kind, k);
	return chosen < 0 ? -1 : (int)at[chosen];
}

int rows_choose_candidate(const struct posting_ingest *in, struct posting_candidate *c, size_t n,
			  enum posting_change *change)
{
	int chosen = pick_of_kind(in, c, n, 0);
	*change = POSTING_MERGED;
	if (chosen < 0) {
		chosen = pick_of_kind(in, c, n, 1);
		*change = chosen < 0 ? POSTING_NEW : POSTING_REPOSTED;
	}
	return chosen;
}

int rows_takes_content(int rank, int posting_rank, int has_other, int best_other_rank, int changed)
{
	if (has_other && best_other_rank < rank)
		return 0;
	return changed || rank != posting_rank;
}

enum posting_change rows_sighting_change(int row_was_closed, int posting_was_closed, int changed)
{
	if (row_was_closed || posting_was_closed)
		return POSTING_REOPENED;
	return changed ? POSTING_UPDATED : POSTING_UNCHANGED;
}

struct scrape_run rows_started_run(int64_t id, int64_t source_id, int64_t now, const char *owner_host,
				   int64_t owner_pid)
{
	return (struct scrape_run){ .id = id,
				    .source_id = source_id,
				    .started_at = now,
				    .status = "running",
				    .message = "",
				    .heartbeat_at = now,
				    .owner_host = owner_host,
				    .owner_pid = owner_pid };
}

struct posting_cursor rows_next_cursor(const struct store_posting *items, size_t n, int more)
{
	if (!more || n == 0)
		return (struct posting_cursor){ 0 };
	return (struct posting_cursor){ items[n - 1].first_seen, items[n - 1].id };
}

char *rows_id_list(struct arena *a, const int64_t *ids, size_t n, char open, char close)
{
	/* 20 digits and a sign, and a separator, per id. */
	size_t cap = n * 22 + 3, len = 0;
	char *out = arena_alloc(a, cap);
	if (!out)
		return NULL;
	out[len++] = open;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + len, cap - len, "%s%lld", i ? "," : "", (long long)ids[i]);
		if (w < 0 || (size_t)w >= cap - len)
			return NULL;
		len += (size_t)w;
	}
	out[len++] = close;
	out[len] = '\0';
	return out;
}

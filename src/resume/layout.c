/* resume/layout — see layout.h for the rules; here is how they are done. */
#include "resume/layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The share of the page height at the top and at the bottom where headers
 * and footers live (LaTeX puts its page numbers at 88 % of an A4 page).
 * A line there is only taken out when it repeats or is a page number. */
#define HF_BAND           0.15f
#define HF_PER_PAGE       64
#define HF_LINE_MAX       400
/* Pages with more fragments than this are read in rows, without looking
 * for columns (which costs fragments × page width). */
#define COLUMNS_MAX_LINES 2000
#define GUTTER_TRIES      8

/* A line's text with digits as '#', letters lower-cased (ASCII), runs of
 * white space as one space: the same header on page 1 and page 2. */
static char *hf_key(const char *s, size_t len, struct arena *a)
{
	char *k = arena_alloc_raw(a, len + 1);
	if (!k)
		return NULL;
	size_t w = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (w && k[w - 1] == '#')
				continue;
			c = '#';
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		} else if (c == ' ' || c == '\t') {
			if (!w || k[w - 1] == ' ')
				continue;
			c = ' ';
		}
		k[w++] = c;
	}
	while (w && k[w - 1] == ' ')
		w--;
	k[w] = '\0';
	return k;
}

/* "3", "- 3 -", "page 3", "page 3 of 4", "3 / 4", "3 of 4". */
static bool page_number(const char *k)
{
	static const char *const forms[] = { "#",     "- # -", "-#-",    "page #", "page # of #",
					     "# / #", "#/#",   "# of #", "p. #",   "page #/#" };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strcmp(k, forms[i]) == 0)
			return true;
	return false;
}

static int band(const struct rx_page *p, const struct rx_line *l)
{
	if (l->y1 <= p->h * HF_BAND)
		return 1;
	if (l->y0 >= p->h * (1 - HF_BAND))
		return 2;
	return 0;
}

/* A band line considered for header or footer. */
struct hf_candidate {
	struct rx_line *l;
	const char *key;
	size_t page;
	int band;
};

void rx_layout_mark_hf(struct rx_page *pages, size_t n_pages, const char *text, struct arena *a)
{
	/* Keys of the band lines of every page, computed once. Only the first
	 * HF_PER_PAGE of a page and lines up to HF_LINE_MAX bytes count: a
	 * header is a line or two, and a page of ten thousand fragments in its
	 * margin must not cost a square of that. */
	size_t cap = n_pages * HF_PER_PAGE;
	struct hf_candidate *c = arena_alloc(a, (cap + 1) * sizeof(*c));
	if (!c)
		return;
	size_t n = 0;
	for (size_t p = 0; p < n_pages; p++) {
		size_t here = 0;
		for (size_t i = 0; i < pages[p].n && here < HF_PER_PAGE; i++) {
			struct rx_line *l = &pages[p].lines[i];
			int b = band(&pages[p], l);
			if (!b || l->len > HF_LINE_MAX)
				continue;
			char *k = hf_key(text + l->off, l->len, a);
			if (!k || !*k)
				continue;
			here++;
			if (page_number(k)) {
				l->hf = true;
				continue;
			}
			c[n++] = (struct hf_candidate){ .l = l, .key = k, .page = p, .band = b };
		}
	}
	/* Repeated on another page, in the same band. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (c[j].page != c[i].page && c[j].band == c[i].band && strcmp(c[i].key, c[j].key) == 0)
				c[i].l->hf = c[j].l->hf = true;
}

/* ---- rows ---- */

#define GRID_CELLS_MAX 12

struct row_writer {
	struct rx_out *o;
	struct buf pending; /* the row not yet written, raw UTF-8 */
	bool have;
	bool para; /* an empty line before the next row */
	/* Table detection: rows of three or more cells set apart by wide
	 * gaps, whose cells start at the same x as the row above's. */
	float grid_x[GRID_CELLS_MAX];
	size_t grid_cells;
	int grid_rows;
	bool tables;
};

/* The last code point of s[0..len) and where it starts. */
static uint32_t last_cp(const char *s, size_t len, size_t *start)
{
	*start = 0;
	if (!len)
		return 0;
	size_t k = len - 1, n;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	*start = k;
	return rx_utf8_next(s + k, len - k, &n);
}

static bool is_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static bool is_lower(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
}

static void flush_row(struct row_writer *rw)
{
	if (!rw->have)
		return;
	rx_put_utf8(rw->o, rw->pending.data, rw->pending.len);
	rx_put_cp(rw->o, '\n');
	buf_reset(&rw->pending);
	rw->have = false;
}

/* Whether a line that ends in "head-" and goes on with "tail…" breaks a
 * compound at its own hyphen ("low-" "latency", "cross-" "functional":
 * the hyphen stays) rather than a word between syllables ("manage-"
 * "ment": it goes). A tail that starts with a suffix is a syllable; a head
 * that is a common first part of compounds keeps its hyphen; anything else
 * is taken for a syllable break, as hyphenated text mostly is. */
static bool compound(const char *line, size_t hyphen_at, const char *next, size_t next_len)
{
	static const char *const suffixes[] = { "ment", "tion", "sion", "ing", "ness", "ity",   "ance", "ence",
						"able", "ible", "ally", "ure", "ive",  "ous",   "ary",  "ory",
						"ist",  "ism",  "ize",  "ise", "ated", "ation", "ical", "ics",
						"ly",   "ed",   "er",   "es",  "al" };
	static const char *const heads[] = {
		"self",   "cross",   "full",  "part",   "high",    "low",     "long",   "short",    "real",     "end",
		"well",   "co",      "non",   "re",     "pre",     "post",    "client", "customer", "user",     "data",
		"cloud",  "test",    "team",  "detail", "results", "fast",    "hands",  "problem",  "decision", "award",
		"goal",   "mission", "time",  "cost",   "world",   "state",   "top",    "front",    "back",     "best",
		"in",     "on",      "one",   "e",      "multi",   "cutting", "large",  "small",    "mid",      "entry",
		"senior", "open",    "first", "second", "third",   "year",    "day",    "patient",  "safety",   "fire",
		"face",   "mobile",  "web",   "server", "peer",    "bi",      "tri",
	};
	size_t tail = 0;
	while (tail < next_len &&
	       ((next[tail] >= 'a' && next[tail] <= 'z') || (next[tail] >= 'A' && next[tail] <= 'Z')))
		tail++;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = strlen(suffixes[i]);
		if (tail >= n && strncmp(next, suffixes[i], n) == 0 && (tail == n || n >= 4))
			return false;
	}
	size_t b = hyphen_at;
	while (b > 0 && ((line[b - 1] >= 'a' && line[b - 1] <= 'z') || (line[b - 1] >= 'A' && line[b - 1] <= 'Z')))
		b--;
	size_t head = hyphen_at - b;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strlen(heads[i]) == head && strncasecmp(line + b, heads[i], head) == 0)
			return true;
	return false;
}

/* Adds a finished row: joined to the pending one across a hyphen, or the
 * pending row is written first. */
static void add_row(struct row_writer *rw, const char *s, size_t len)
{
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	if (rw->have && !rw->para) {
		size_t at, n;
		uint32_t end = last_cp(rw->pending.data, rw->pending.len, &at);
		uint32_t next = rx_utf8_next(s, len, &n);
		bool hyphen = end == '-' || end == 0x2010;
		bool joined = false;
		if ((end == 0xAD || hyphen) && at > 0) {
			size_t before;
			uint32_t prev = last_cp(rw->pending.data, at, &before);
			if (end == 0xAD || (is_letter(prev) && is_lower(next))) {
				bool keep = end != 0xAD && compound(rw->pending.data, at, s, len);
				rw->pending.len = keep ? at + (end == '-' ? 1 : 3) : at;
				rw->pending.data[rw->pending.len] = '\0';
				buf_append(&rw->pending, s, len);
				joined = true;
			}
		}
		if (joined)
			return;
	}
	flush_row(rw);
	if (rw->para)
		rx_put_cp(rw->o, '\n');
	rw->para = false;
	buf_append(&rw->pending, s, len);
	rw->have = true;
}

static int by_baseline(const void *a, const void *b)
{
	const struct rx_line *x = *(struct rx_line *const *)a, *y = *(struct rx_line *const *)b;
	if (x->y1 != y->y1)
		return x->y1 < y->y1 ? -1 : 1;
	if (x->x0 != y->x0)
		return x->x0 < y->x0 ? -1 : 1;
	return 0;
}

static int by_x(const void *a, const void *b)
{
	const struct rx_line *x = *(struct rx_line *const *)a, *y = *(struct rx_line *const *)b;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

/* Counts rows that line up as a table (see struct row_writer). */
static void grid_row(struct row_writer *rw, const float *cells, size_t n)
{
	bool same = n >= 3 && n == rw->grid_cells;
	for (size_t i = 0; same && i < n; i++)
		same = fabsf(cells[i] - rw->grid_x[i]) < 4;
	rw->grid_rows = same ? rw->grid_rows + 1 : n >= 3;
	rw->grid_cells = n;
	memcpy(rw->grid_x, cells, n * sizeof(*cells));
	if (rw->grid_rows >= 3)
		rw->tables = true;
}

/* Writes lines (a flow: one column, or the whole page) as rows. */
static void emit_flow(struct rx_line **lines, size_t n, const char *text, struct row_writer *rw)
{
	if (!n)
		return;
	qsort(lines, n, sizeof(*lines), by_baseline);
	struct buf row;
	buf_init(&row, SIZE_MAX / 2);
	float prev_base = 0, prev_size = 0;
	bool first = true;
	size_t i = 0;
	while (i < n) {
		float base = lines[i]->y1, size = lines[i]->size > 1 ? lines[i]->size : 10;
		size_t e = i + 1;
		while (e < n && fabsf(lines[e]->y1 - base) < 0.4f * size)
			e++;
		qsort(lines + i, e - i, sizeof(*lines), by_x);
		buf_reset(&row);
		float cells[GRID_CELLS_MAX];
		size_t n_cells = 1;
		cells[0] = lines[i]->x0;
		for (size_t k = i; k < e; k++) {
			if (k > i) {
				float gap = lines[k]->x0 - lines[k - 1]->x1;
				buf_puts(&row, gap > size ? "\t" : " ");
				if (gap > size && n_cells < GRID_CELLS_MAX)
					cells[n_cells++] = lines[k]->x0;
			}
			buf_append(&row, text + lines[k]->off, lines[k]->len);
		}
		grid_row(rw, cells, n_cells);
		/* A gap of more than one and a half lines starts a block. */
		if (!first && base - prev_base > 1.9f * (prev_size > size ? prev_size : size))
			rw->para = true;
		add_row(rw, row.data ? row.data : "", row.len);
		prev_base = base;
		prev_size = size;
		first = false;
		i = e;
	}
	buf_free(&row);
}

static int by_top(const void *a, const void *b)
{
	const struct rx_line *x = *(struct rx_line *const *)a, *y = *(struct rx_line *const *)b;
	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static size_t chars(const struct rx_line *l, const char *text)
{
	size_t c = 0;
	for (size_t i = 0; i < l->len; i++)
		if (((unsigned char)text[l->off + i] & 0xC0) != 0x80)
			c++;
	return c;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Median length (characters) of lines; scratch holds n sizes. */
static size_t median_len(struct rx_line **lines, size_t n, const char *text, size_t *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = chars(lines[i], text);
	qsort(scratch, n, sizeof(*scratch), cmp_size);
	return scratch[n / 2];
}

/* Share of lines in a (0–1) with a line of b on the same baseline. */
static double aligned_share(struct rx_line **a, size_t na, struct rx_line **b, size_t nb)
{
	size_t hit = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (fabsf(a[i]->y1 - b[j]->y1) < 0.3f * (a[i]->size > 1 ? a[i]->size : 10)) {
				hit++;
				break;
			}
	return na ? (double)hit / (double)na : 0;
}

static bool split_ok(struct rx_line **l, size_t n, float gx, const char *text, struct rx_line **left,
		     struct rx_line **right, size_t *sizes);

/* Finds the gutter of a two-column page: the x of its middle, or -1. */
static float find_gutter(struct rx_line **l, size_t n, float w, const char *text, struct arena *scratch)
{
	if (n < 6 || n > COLUMNS_MAX_LINES || w < 100 || w > 20000)
		return -1;
	size_t bins = (size_t)(w / 2) + 1;
	unsigned *cover = arena_alloc(scratch, bins * sizeof(*cover));
	struct rx_line **left = arena_alloc(scratch, n * sizeof(*left));
	struct rx_line **right = arena_alloc(scratch, n * sizeof(*right));
	size_t *sizes = arena_alloc(scratch, n * sizeof(*sizes));
	if (!cover || !left || !right || !sizes)
		return -1;
	for (size_t i = 0; i < n; i++) {
		long b0 = lroundf(l[i]->x0 / 2), b1 = lroundf(l[i]->x1 / 2);
		if (b0 < 0)
			b0 = 0;
		if (b1 >= (long)bins)
			b1 = (long)bins - 1;
		for (long b = b0; b <= b1; b++)
			cover[b]++;
	}
	/* The widest run of least-covered bins in the middle 60 %. */
	size_t from = (size_t)(w * 0.2f / 2), to = (size_t)(w * 0.8f / 2);
	unsigned least = UINT32_MAX;
	for (size_t b = from; b <= to && b < bins; b++)
		if (cover[b] < least)
			least = cover[b];
	if (least > n / 10)
		return -1;
	/* Each run of least-covered bins wider than 6 pt is a candidate (the
	 * margin beyond a ragged column is a run too); the ones nearest the
	 * middle are tried first, GUTTER_TRIES of them at most. */
	float *gxs = arena_alloc(scratch, (bins / 2 + 2) * sizeof(*gxs));
	if (!gxs)
		return -1;
	size_t n_gx = 0, run = 0;
	for (size_t b = from; b <= to + 1 && b <= bins; b++) {
		if (b <= to && b < bins && cover[b] == least) {
			run++;
			continue;
		}
		if (run * 2 >= 6)
			gxs[n_gx++] = (float)((b - run) * 2) + (float)run;
		run = 0;
	}
	for (int tries = 0; tries < GUTTER_TRIES && n_gx > 0; tries++) {
		size_t near = 0;
		for (size_t i = 1; i < n_gx; i++)
			if (fabsf(gxs[i] - w / 2) < fabsf(gxs[near] - w / 2))
				near = i;
		float gx = gxs[near];
		gxs[near] = gxs[--n_gx];
		if (split_ok(l, n, gx, text, left, right, sizes))
			return gx;
	}
	return -1;
}

/* Whether gx splits the lines into two columns read one after the other. */
static bool split_ok(struct rx_line **l, size_t n, float gx, const char *text, struct rx_line **left,
		     struct rx_line **right, size_t *sizes)
{
	size_t nl = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (l[i]->x1 <= gx)
			left[nl++] = l[i];
		else if (l[i]->x0 >= gx)
			right[nr++] = l[i];
	}
	if (nl < 3 || nr < 3)
		return false;
	/* Both sides must run beside each other down the page. */
	float ly0 = 1e9f, ly1 = -1e9f, ry0 = 1e9f, ry1 = -1e9f;
	for (size_t i = 0; i < nl; i++) {
		ly0 = fminf(ly0, left[i]->y0);
		ly1 = fmaxf(ly1, left[i]->y1);
	}
	for (size_t i = 0; i < nr; i++) {
		ry0 = fminf(ry0, right[i]->y0);
		ry1 = fmaxf(ry1, right[i]->y1);
	}
	float overlap = fminf(ly1, ry1) - fmaxf(ly0, ry0);
	if (overlap < 0.5f * fminf(ly1 - ly0, ry1 - ry0))
		return false;
	/* Dates beside job titles, not a column: the side of shorter
	 * fragments sits on baselines of the other side, and either that
	 * side mostly has no partner (bullets under a title), or the short
	 * side is right-aligned (dates set flush right), or its fragments
	 * are tiny (years). A sidebar has lines of its own all down the page. */
	size_t ml = median_len(left, nl, text, sizes), mr = median_len(right, nr, text, sizes);
	bool right_short = mr <= ml;
	struct rx_line **shorter = right_short ? right : left, **longer = right_short ? left : right;
	size_t ns = right_short ? nr : nl, nlong = right_short ? nl : nr, mshort = right_short ? mr : ml;
	if (aligned_share(shorter, ns, longer, nlong) >= 0.6) {
		float x0min = 1e9f, x0max = -1e9f, x1min = 1e9f, x1max = -1e9f;
		for (size_t i = 0; i < ns; i++) {
			x0min = fminf(x0min, shorter[i]->x0);
			x0max = fmaxf(x0max, shorter[i]->x0);
			x1min = fminf(x1min, shorter[i]->x1);
			x1max = fmaxf(x1max, shorter[i]->x1);
		}
		bool flush_right = right_short && x1max - x1min < 3 && x0max - x0min > 10;
		if (flush_right || mshort <= 12 || aligned_share(longer, nlong, shorter, ns) < 0.5)
			return false;
	}
	return true;
}

unsigned rx_layout_body(const struct rx_page *p, const char *text, struct rx_out *body, struct arena *scratch)
{
	struct rx_line **l = arena_alloc(scratch, (p->n + 1) * sizeof(*l));
	struct rx_line **left = arena_alloc(scratch, (p->n + 1) * sizeof(*l));
	struct rx_line **right = arena_alloc(scratch, (p->n + 1) * sizeof(*l));
	struct rx_line **span = arena_alloc(scratch, (p->n + 1) * sizeof(*l));
	if (!l || !left || !right || !span)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		if (!p->lines[i].hf)
			l[n++] = &p->lines[i];
	struct row_writer rw = { .o = body };
	buf_init(&rw.pending, SIZE_MAX / 2);
	float gx = find_gutter(l, n, p->w, text, scratch);
	if (gx < 0) {
		emit_flow(l, n, text, &rw);
	} else {
		qsort(l, n, sizeof(*l), by_top);
		size_t nl = 0, nr = 0, ns = 0;
		for (size_t i = 0; i <= n; i++) {
			bool spanning = i < n && l[i]->x0 < gx && l[i]->x1 > gx;
			if (i == n || spanning) {
				if (nl || nr) {
					rw.para = true;
					emit_flow(left, nl, text, &rw);
					rw.para = true;
					emit_flow(right, nr, text, &rw);
					rw.para = true;
					nl = nr = 0;
				}
				if (i < n)
					span[ns++] = l[i];
				continue;
			}
			if (ns) {
				emit_flow(span, ns, text, &rw);
				rw.para = true;
				ns = 0;
			}
			if (l[i]->x1 <= gx)
				left[nl++] = l[i];
			else
				right[nr++] = l[i];
		}
		emit_flow(span, ns, text, &rw);
	}
	flush_row(&rw);
	buf_free(&rw.pending);
	return (gx >= 0 ? RX_LAYOUT_COLUMNS : 0) | (rw.tables ? RX_LAYOUT_TABLES : 0);
}

void rx_layout_hf(const struct rx_page *pages, size_t n_pages, const char *text, struct rx_out *hf,
		  struct arena *scratch)
{
	size_t total = 0;
	for (size_t p = 0; p < n_pages; p++)
		for (size_t i = 0; i < pages[p].n; i++)
			total += pages[p].lines[i].hf;
	if (!total)
		return;
	const char **seen = arena_alloc(scratch, total * sizeof(*seen));
	struct rx_line **one = arena_alloc(scratch, sizeof(*one));
	if (!seen || !one)
		return;
	size_t n_seen = 0;
	struct row_writer rw = { .o = hf };
	buf_init(&rw.pending, SIZE_MAX / 2);
	for (size_t p = 0; p < n_pages; p++) {
		for (size_t i = 0; i < pages[p].n; i++) {
			struct rx_line *l = &pages[p].lines[i];
			if (!l->hf)
				continue;
			const char *k = hf_key(text + l->off, l->len, scratch);
			if (!k)
				continue;
			bool dup = false;
			for (size_t s = 0; s < n_seen && !dup; s++)
				dup = strcmp(seen[s], k) == 0;
			if (dup)
				continue;
			seen[n_seen++] = k;
			one[0] = l;
			emit_flow(one, 1, text, &rw);
			flush_row(&rw);
		}
	}
	buf_free(&rw.pending);
}

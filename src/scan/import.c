/* scan/import — what the three importers share: an item's forms after the
 * taxonomy's rules, the input check, and merging items into the taxonomy
 * while writing the extension file (see import.h). */
#include "scan/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv_read.h"
#include "base/text.h"
#include "scan/token.h"
#include "scan/words.h"

#define IMPORT_FORM_MAX_BYTES 160 /* longer "forms" are descriptions, not names */
#define IMPORT_SLUG_MAX       60

int import_check_text(const char *text, size_t len, char *err, size_t errlen)
{
	size_t line = 1;
	for (const char *p = text, *end = text + len; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (memchr(p, '\0', n)) {
			snprintf(err, errlen, "line %zu: a NUL byte (is this a text file?)", line);
			return -1;
		}
		if (!text_utf8_valid(p, n)) {
			snprintf(err, errlen, "line %zu: not valid UTF-8 (save the file as UTF-8)", line);
			return -1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int import_csv_header(struct csv_reader *r, struct arena *a, const char *text, size_t len, char **cell, size_t max,
		      size_t *ncols, const char *expected, char *err, size_t errlen)
{
	if (import_check_text(text, len, err, errlen) != 0)
		return -1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3, len -= 3;
	*r = (struct csv_reader){ .p = text, .end = text + len, .line = 1 };
	if (len == 0) {
		snprintf(err, errlen, "the file is empty; expected %s", expected);
		return -1;
	}
	if (csv_read_row(r, a, cell, max, ncols) != 0) {
		snprintf(err, errlen, "line 1: a quoted field is not closed; expected %s", expected);
		return -1;
	}
	if (*ncols > max) {
		snprintf(err, errlen, "line 1: %zu columns, more than the %zu expected of %s", *ncols, max, expected);
		return -1;
	}
	return 0;
}

int import_csv_row(struct csv_reader *r, struct arena *a, char **cell, size_t max, size_t ncols, size_t *line,
		   char *err, size_t errlen)
{
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) { /* blank lines */
		r->p += *r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n';
		r->p++;
		r->line++;
	}
	if (r->p >= r->end)
		return 0;
	size_t n;
	*line = r->line;
	if (csv_read_row(r, a, cell, max, &n) != 0) {
		snprintf(err, errlen, "line %zu: a quoted field is not closed, or text follows its closing quote",
			 *line);
		return -1;
	}
	if (n != ncols) {
		snprintf(err, errlen, "line %zu: %zu fields, expected %zu as in the header", *line, n, ncols);
		return -1;
	}
	return 1;
}

struct import_item *import_item_new(struct arena *a, struct import_items *out, unsigned line)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 256;
		struct import_item *more = arena_alloc(a, cap * sizeof(*more));
		if (!more)
			return NULL;
		if (out->n)
			memcpy(more, out->v, out->n * sizeof(*more));
		out->v = more;
		out->cap = cap;
	}
	struct import_item *it = &out->v[out->n++];
	memset(it, 0, sizeof(*it));
	it->line = line;
	return it;
}

/* Employers, which the taxonomy never takes for skills (an engineer at
 * Facebook has no "Facebook" skill); sorted for bsearch. */
static const char *const employers[] = { "amazon", "apple",     "facebook", "google",  "instagram", "linkedin", "lyft",
					 "meta",   "microsoft", "netflix",  "twitter", "uber",      "youtube" };

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int import_listed(const char *const *sorted, size_t n, const char *word)
{
	return bsearch(&word, sorted, n, sizeof(*sorted), str_cmp) != NULL;
}

void import_item_end(struct import_items *out)
{
	if (out->n && !out->v[out->n - 1].nforms) {
		out->n--;
		out->skipped++;
	}
}

int import_item_form(struct arena *a, const struct import_items *items, struct import_item *it, const char *form,
		     size_t len)
{
	while (len && (*form == ' ' || *form == '='))
		form++, len--;
	while (len && form[len - 1] == ' ')
		len--;
	if (!len || len > IMPORT_FORM_MAX_BYTES || it->nforms == IMPORT_FORMS_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (form[i] == '\t' || form[i] == '\n' || form[i] == '\r' || form[i] == '|')
			return 0;
	struct arena tmp;
	arena_init(&tmp, 0);
	struct scan_tokens tk;
	if (scan_tokenize(&tmp, form, len, &tk) != 0) {
		arena_free(&tmp);
		return -1;
	}
	int exact = 0, keep = tk.n > 0;
	if (tk.n == 1) {
		/* One word: a capital makes it a name, matched as written; a
		 * lower-case word of letters only is an everyday word unless
		 * the caller says otherwise. */
		const char *w = scan_tok_lower(&tk, 0);
		size_t wn = tk.v[0].len, letters = 0;
		char key[32];
		for (size_t i = 0; i < len; i++) {
			exact |= form[i] >= 'A' && form[i] <= 'Z';
			letters += (form[i] >= 'a' && form[i] <= 'z') || (form[i] >= 'A' && form[i] <= 'Z');
		}
		snprintf(key, sizeof(key), "%.*s", (int)wn, w);
		if (words_class(w, wn) || import_listed(employers, sizeof(employers) / sizeof(employers[0]), key) ||
		    (!exact && letters == len && !items->plain_words))
			keep = 0;
	}
	arena_free(&tmp);
	if (!keep)
		return 0;
	char *f = arena_printf(a, "%s%.*s", exact ? "=" : "", (int)len, form);
	if (!f)
		return -1;
	for (uint32_t i = 0; i < it->nforms; i++)
		if (strcmp(it->forms[i], f) == 0)
			return 0;
	it->forms[it->nforms++] = f;
	return 1;
}

/* "Atlassian JIRA" -> "atlassian-jira": the id's part after "SOURCE.". */
static void slug(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *c = name; *c && n + 1 < cap; c++) {
		char ch = *c;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '#' || ch == '.'))
			ch = '-';
		if (ch == '-' && (n == 0 || out[n - 1] == '-'))
			continue;
		out[n++] = ch;
	}
	while (n && out[n - 1] == '-')
		n--;
	if (!n)
		memcpy(out, "skill", n = 5);
	out[n] = '\0';
}

static const char *unique_id(struct tax_merger *mg, const char *source, const char *name)
{
	char s[IMPORT_SLUG_MAX + 1];
	slug(name, s, sizeof(s));
	struct arena *a = &mg->t->arena;
	const char *id = arena_printf(a, "%s.%s", source, s);
	for (unsigned k = 2; id && tax_merger_skill(mg, id) >= 0; k++)
		id = arena_printf(a, "%s.%s-%u", source, s, k);
	return id;
}

/* The name must be one of the item's forms, or the line written would make
 * it one: else the first form (without its '=') names the skill. */
static const char *display_name(const struct import_item *it)
{
	for (uint32_t k = 0; k < it->nforms; k++) {
		const char *f = it->forms[k];
		if (strcmp(f + (f[0] == '='), it->name) == 0)
			return it->name;
	}
	return it->forms[0] + (it->forms[0][0] == '=');
}

static void write_line(struct buf *out, const struct taxonomy *t, const struct tax_skill *s, int is_new)
{
	buf_printf(out, "%s\t%s\t%s\t%s\t", s->id, s->name, skill_type_name(s->type), t->categories[s->category].id);
	int any = 0;
	for (uint32_t k = 0; k < s->nforms; k++) {
		if (is_new && strcmp(s->forms[k], s->name) == 0)
			continue; /* the name stands for itself */
		buf_printf(out, "%s%s", any ? "|" : "", s->forms[k]);
		any = 1;
	}
	buf_puts(out, any ? "\n" : "-\n");
}

int import_merge(struct tax_merger *mg, const char *source, const struct import_items *items,
		 struct tax_ext_report *rep, struct buf *out, struct import_summary *sum)
{
	struct taxonomy *t = mg->t;
	struct arena *a = &t->arena;
	long general = taxonomy_category(t, "general");
	memset(sum, 0, sizeof(*sum));
	size_t conflicts_before = rep ? rep->n_conflicts : 0;
	for (size_t i = 0; i < items->n; i++) {
		const struct import_item *it = &items->v[i];
		if (!it->nforms)
			continue;
		long target = -1;
		for (uint32_t k = 0; k < it->nforms && target < 0; k++)
			target = tax_merger_owner(mg, it->forms[k]);
		if (target < 0 && it->probe)
			target = tax_merger_owner(mg, it->probe);
		struct tax_skill s = { .line = it->line };
		if (target >= 0) {
			const struct tax_skill *to = &t->skills[target];
			s.id = to->id;
			s.name = to->name;
			s.type = to->type;
			s.category = to->category;
		} else {
			long cat = taxonomy_category(t, it->category);
			s.name = arena_strdup(a, display_name(it));
			s.id = unique_id(mg, source, s.name ? s.name : "");
			s.type = it->type;
			s.category = (uint32_t)(cat >= 0 ? cat : general >= 0 ? general : 0);
			if (!s.name || !s.id)
				return -1;
		}
		const char **forms = arena_alloc(a, it->nforms * sizeof(*forms));
		if (!forms)
			return -1;
		for (uint32_t k = 0; k < it->nforms; k++)
			if (!(forms[k] = arena_strdup(a, it->forms[k])))
				return -1;
		s.forms = forms;
		s.nforms = it->nforms;
		long r = tax_merger_add(mg, &s, source, rep);
		if (r == -1)
			return -1;
		if (r < 0)
			continue;
		write_line(out, t, &s, target < 0);
		sum->skills_added += target < 0;
		sum->skills_extended += target >= 0;
		sum->forms_added += s.nforms;
	}
	sum->conflicts = rep ? rep->n_conflicts - conflicts_before : 0;
	return buf_failed(out) ? -1 : 0;
}

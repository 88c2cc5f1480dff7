/* scan/taxonomy — parsing and validating the four taxonomy files (format:
 * taxonomy.h), from a folder or from the copy embedded at build time. */
#include "scan/taxonomy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "scan/taxonomy_builtin.h"
#include "scan/token.h"
#include "scan/u64map.h"

#define TAX_FILE_MAX (32u << 20)

const char *const taxonomy_file_names[TAX_FILES] = { "skills.tsv", "categories.tsv", "titles.tsv", "seniority.tsv" };

static const char *const type_names[] = { "hard", "soft", "certification", "language", "tool" };
static const char *const level_names[] = { "none", "intern",    "junior",  "mid",      "senior",
					   "lead", "principal", "manager", "director", "executive" };

const char *skill_type_name(enum skill_type type)
{
	return (unsigned)type < 5 ? type_names[type] : "?";
}

const char *seniority_name(enum seniority level)
{
	return (unsigned)level < 10 ? level_names[level] : "?";
}

struct parse {
	struct taxonomy *t;
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
	/* forms seen (hash of their tokens), to count duplicates */
	struct u64map seen; /* -> which skill or occupation listed it first */
	uint32_t owner;
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parse *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int slug_ok(const char *s, const char *extra)
{
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr(extra, *c)))
			return 0;
	return 1;
}

/* Splits a line (in place) into exactly want tab-separated columns. */
static int columns(struct parse *p, char *line, char **col, int want)
{
	int n = 0;
	for (char *c = line;; c++) {
		if (n < want)
			col[n] = c;
		n++;
		char *tab = strchr(c, '\t');
		if (!tab)
			break;
		*tab = '\0';
		c = tab;
	}
	if (n != want)
		return fail(p, "%d columns, expected %d (tab-separated)", n, want);
	for (int i = 0; i < want; i++) {
		if (!col[i][0])
			return fail(p, "column %d is empty", i + 1);
		if (col[i][0] == ' ' || col[i][strlen(col[i]) - 1] == ' ')
			return fail(p, "column %d has a leading or trailing space", i + 1);
	}
	return 0;
}

/* Counts a form already seen (by its tokens, case-sensitivity included). */
static int note_form(struct parse *p, const char *form, uint64_t salt)
{
	int exact = form[0] == '=';
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens tk;
	if (scan_tokenize(&a, form + exact, strlen(form + exact), &tk) != 0) {
		arena_free(&a);
		return fail(p, "out of memory");
	}
	if (tk.n == 0) {
		arena_free(&a);
		return fail(p, "\"%s\" has no letter or digit to match", form);
	}
	uint64_t h = salt + (uint64_t)exact;
	for (size_t i = 0; i < tk.n; i++)
		h = scan_hash_join(h, exact ? scan_hash(form + 1 + tk.v[i].start, tk.v[i].len) : tk.v[i].hash);
	arena_free(&a);
	if (h == 0)
		h = 1;
	long first = u64map_get(&p->seen, h);
	/* Another entry's form: the first listed wins. The same entry listing
	 * a form twice ("C++" and "c++") is harmless. */
	if (first >= 0 && (uint32_t)first != p->owner)
		p->t->warnings++;
	if (first < 0 && u64map_put(&p->seen, h, p->owner) != 0)
		return fail(p, "out of memory");
	return 0;
}

static int forms(struct parse *p, const char *name, char *list, const char ***out, uint32_t *n, uint64_t salt)
{
	size_t cap = 2;
	for (const char *c = list; *c; c++)
		cap += *c == '|';
	const char **v = arena_alloc(&p->t->arena, cap * sizeof(*v));
	if (!v)
		return fail(p, "out of memory");
	uint32_t k = 0;
	/* The name is a form of its own, matched ignoring case, unless an
	 * alias is its case-sensitive spelling ("Go" with "=Go": "go" the
	 * verb must not match). */
	int name_exact = 0;
	for (const char *c = list; (c = strchr(c, '=')) != NULL; c++)
		if ((c == list || c[-1] == '|') && strncasecmp(c + 1, name, strlen(name)) == 0 &&
		    (c[1 + strlen(name)] == '|' || c[1 + strlen(name)] == '\0'))
			name_exact = 1;
	if (!name_exact) {
		v[k++] = name;
		if (note_form(p, name, salt) != 0)
			return -1;
	}
	if (strcmp(list, "-") != 0) {
		for (char *c = list;;) {
			char *bar = strchr(c, '|');
			if (bar)
				*bar = '\0';
			if (!c[0] || (c[0] == '=' && !c[1]))
				return fail(p, "an empty form in \"%s\" (forms are separated by '|')", list);
			if (c[0] == ' ' || c[strlen(c) - 1] == ' ')
				return fail(p, "form \"%s\" has a leading or trailing space", c);
			v[k++] = c;
			if (note_form(p, c, salt) != 0)
				return -1;
			if (!bar)
				break;
			c = bar + 1;
		}
	}
	*out = v;
	*n = k;
	return 0;
}

long taxonomy_category(const struct taxonomy *t, const char *id)
{
	for (size_t i = 0; i < t->n_categories; i++)
		if (strcmp(t->categories[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int line_categories(struct parse *p, char *line)
{
	char *c[2];
	if (columns(p, line, c, 2) != 0)
		return -1;
	if (!slug_ok(c[0], "_-"))
		return fail(p, "category id \"%s\" must be a lower-case slug [a-z0-9][a-z0-9_-]*", c[0]);
	if (taxonomy_category(p->t, c[0]) >= 0)
		return fail(p, "category \"%s\" is listed twice", c[0]);
	p->t->categories[p->t->n_categories++] = (struct tax_category){ .id = c[0], .name = c[1] };
	return 0;
}

static long category_of(struct parse *p, const char *id)
{
	long cat = taxonomy_category(p->t, id);
	if (cat < 0)
		fail(p, "category \"%s\" is not in categories.tsv", id);
	return cat;
}

static int line_skills(struct parse *p, char *line)
{
	char *c[5];
	if (columns(p, line, c, 5) != 0)
		return -1;
	if (!slug_ok(c[0], "_+#.-"))
		return fail(p, "skill id \"%s\" must be a lower-case slug [a-z0-9][a-z0-9_+#.-]*", c[0]);
	int type = -1;
	for (int i = 0; i < 5; i++)
		if (strcmp(c[2], type_names[i]) == 0)
			type = i;
	if (type < 0)
		return fail(p, "unknown type \"%s\" (hard, soft, certification, language, tool)", c[2]);
	long cat = category_of(p, c[3]);
	if (cat < 0)
		return -1;
	struct tax_skill *s = &p->t->skills[p->t->n_skills];
	*s = (struct tax_skill){
		.id = c[0], .name = c[1], .type = (enum skill_type)type, .category = (uint32_t)cat, .line = p->line
	};
	p->owner = (uint32_t)p->t->n_skills;
	if (forms(p, c[1], c[4], &s->forms, &s->nforms, 0) != 0)
		return -1;
	p->t->n_skills++;
	return 0;
}

static int line_titles(struct parse *p, char *line)
{
	char *c[4];
	if (columns(p, line, c, 4) != 0)
		return -1;
	if (!slug_ok(c[0], "_-"))
		return fail(p, "occupation id \"%s\" must be a lower-case slug [a-z0-9][a-z0-9_-]*", c[0]);
	long cat = category_of(p, c[2]);
	if (cat < 0)
		return -1;
	struct tax_title *ti = &p->t->titles[p->t->n_titles];
	*ti = (struct tax_title){ .id = c[0], .title = c[1], .category = (uint32_t)cat, .line = p->line };
	p->owner = (uint32_t)p->t->n_titles;
	if (forms(p, c[1], c[3], &ti->forms, &ti->nforms, 0x5bd1e995u) != 0)
		return -1;
	p->t->n_titles++;
	return 0;
}

static int line_seniority(struct parse *p, char *line)
{
	char *c[2];
	if (columns(p, line, c, 2) != 0)
		return -1;
	int level = -1;
	for (int i = 1; i < 10; i++)
		if (strcmp(c[1], level_names[i]) == 0)
			level = i;
	if (level < 0)
		return fail(p,
			    "unknown level \"%s\" (intern, junior, mid, senior, lead, principal, manager, "
			    "director, executive)",
			    c[1]);
	for (size_t i = 0; i < p->t->n_seniority; i++)
		if (strcmp(p->t->seniority[i].word, c[0]) == 0)
			return fail(p, "\"%s\" is listed twice", c[0]);
	size_t before = p->t->warnings;
	if (note_form(p, c[0], 0x27d4eb2fu) != 0)
		return -1;
	p->t->warnings = before; /* checked above */
	p->t->seniority[p->t->n_seniority++] = (struct tax_seniority){ .word = c[0], .level = (enum seniority)level };
	return 0;
}

/* Runs fn over every data line of one file (copied into the arena). */
static int each_line(struct parse *p, const char *file, const char *text, int (*fn)(struct parse *, char *), void **arr,
		     size_t elem)
{
	p->file = file;
	p->line = 0;
	size_t len = strlen(text), lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	*arr = arena_alloc(&p->t->arena, lines * elem);
	char *copy = arena_strndup(&p->t->arena, text, len);
	if (!*arr || !copy)
		return fail(p, "out of memory");
	for (char *c = copy; *c;) {
		p->line++;
		char *nl = strchr(c, '\n');
		if (nl)
			*nl = '\0';
		size_t n = strlen(c);
		if (n && c[n - 1] == '\r')
			return fail(p, "CR at the end of the line (the files use LF line endings)");
		if (!text_utf8_valid(c, n))
			return fail(p, "not valid UTF-8");
		if (n && c[0] != '#' && strspn(c, " \t") != n && fn(p, c) != 0)
			return -1;
		if (!nl)
			break;
		c = nl + 1;
	}
	return 0;
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int taxonomy_parse_skills(struct taxonomy *t, const char *file, const char *text, struct tax_skill **out, size_t *n,
			  char *err, size_t errlen)
{
	/* line_skills appends to t->skills: point it at a fresh array for the
	 * while, so the same checks and messages serve the extension. */
	struct tax_skill *keep = t->skills;
	size_t keep_n = t->n_skills, keep_warnings = t->warnings;
	struct parse p = { .t = t, .err = err, .errlen = errlen };
	t->n_skills = 0;
	int rc = each_line(&p, file, text, line_skills, (void **)&t->skills, sizeof(*t->skills));
	*out = t->skills;
	*n = t->n_skills;
	t->skills = keep;
	t->n_skills = keep_n;
	t->warnings = keep_warnings;
	u64map_free(&p.seen);
	if (rc != 0) {
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static uint64_t version_mix(uint64_t h, const char *s)
{
	return scan_hash_join(h, scan_hash(s, strlen(s) + 1));
}

uint64_t taxonomy_version(const struct taxonomy *t)
{
	uint64_t h = 0x6a09e667f3bcc909ull;
	for (size_t i = 0; i < t->n_skills; i++) {
		const struct tax_skill *s = &t->skills[i];
		h = scan_hash_join(version_mix(version_mix(h, s->id), s->name), (uint64_t)s->type << 32 | s->category);
		for (uint32_t k = 0; k < s->nforms; k++)
			h = version_mix(h, s->forms[k]);
	}
	for (size_t i = 0; i < t->n_titles; i++) {
		const struct tax_title *ti = &t->titles[i];
		h = scan_hash_join(version_mix(h, ti->id), ti->category);
		for (uint32_t k = 0; k < ti->nforms; k++)
			h = version_mix(h, ti->forms[k]);
	}
	for (size_t i = 0; i < t->n_seniority; i++)
		h = scan_hash_join(version_mix(h, t->seniority[i].word), t->seniority[i].level);
	for (size_t i = 0; i < t->n_categories; i++)
		h = version_mix(h, t->categories[i].id);
	return h;
}

void taxonomy_version_hex(const struct taxonomy *t, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)taxonomy_version(t));
}

int taxonomy_parse(struct taxonomy *t, const char *const text[TAX_FILES], char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena, 0);
	struct parse p = { .t = t, .err = err, .errlen = errlen };
	int rc = -1;
	if (each_line(&p, taxonomy_file_names[TAX_CATEGORIES], text[TAX_CATEGORIES], line_categories,
		      (void **)&t->categories, sizeof(*t->categories)) != 0 ||
	    each_line(&p, taxonomy_file_names[TAX_SKILLS], text[TAX_SKILLS], line_skills, (void **)&t->skills,
		      sizeof(*t->skills)) != 0 ||
	    each_line(&p, taxonomy_file_names[TAX_TITLES], text[TAX_TITLES], line_titles, (void **)&t->titles,
		      sizeof(*t->titles)) != 0 ||
	    each_line(&p, taxonomy_file_names[TAX_SENIORITY], text[TAX_SENIORITY], line_seniority,
		      (void **)&t->seniority, sizeof(*t->seniority)) != 0)
		goto done;
	/* Skill and occupation ids are unique (checked once, sorted). */
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass ? t->n_titles : t->n_skills;
		const char **ids = malloc((n + 1) * sizeof(*ids));
		if (!ids) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			ids[i] = pass ? t->titles[i].id : t->skills[i].id;
		qsort(ids, n, sizeof(*ids), strcmp_ptr);
		for (size_t i = 1; i < n; i++)
			if (strcmp(ids[i - 1], ids[i]) == 0) {
				unsigned line = 0;
				for (size_t k = n; k-- > 0;)
					if (strcmp(pass ? t->titles[k].id : t->skills[k].id, ids[i]) == 0) {
						line = pass ? t->titles[k].line : t->skills[k].line;
						break;
					}
				snprintf(err, errlen, "%s:%u: id \"%s\" is listed twice",
					 taxonomy_file_names[pass ? TAX_TITLES : TAX_SKILLS], line, ids[i]);
				free(ids);
				goto done;
			}
		free(ids);
	}
	rc = 0;
done:
	u64map_free(&p.seen);
	if (rc != 0)
		taxonomy_free(t);
	return rc;
}

void taxonomy_free(struct taxonomy *t)
{
	arena_free(&t->arena);
	memset(t, 0, sizeof(*t));
}

char *taxonomy_read_file(const char *path, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, len = 0;
	char *data = malloc(cap);
	while (data) {
		if (len + 1 == cap) {
			if (cap >= TAX_FILE_MAX) {
				snprintf(err, errlen, "%s is larger than %u MiB", path, TAX_FILE_MAX >> 20);
				free(data);
				data = NULL;
				break;
			}
			char *more = realloc(data, cap * 2);
			if (!more) {
				free(data);
				data = NULL;
				break;
			}
			data = more;
			cap *= 2;
		}
		size_t n = fread(data + len, 1, cap - 1 - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (data && ferror(f)) {
		snprintf(err, errlen, "cannot read %s", path);
		free(data);
		data = NULL;
	} else if (data && memchr(data, '\0', len)) {
		snprintf(err, errlen, "%s holds a NUL byte", path);
		free(data);
		data = NULL;
	} else if (data) {
		data[len] = '\0';
	} else if (!err[0]) {
		snprintf(err, errlen, "out of memory reading %s", path);
	}
	fclose(f);
	return data;
}

int taxonomy_load_dir(struct taxonomy *t, const char *dir, char *err, size_t errlen)
{
	char *text[TAX_FILES] = { 0 };
	int rc = -1;
	memset(t, 0, sizeof(*t));
	err[0] = '\0';
	for (int i = 0; i < TAX_FILES; i++) {
		char path[4096];
		if (snprintf(path, sizeof(path), "%s/%s", dir, taxonomy_file_names[i]) >= (int)sizeof(path)) {
			snprintf(err, errlen, "the folder name is too long");
			goto done;
		}
		if (!(text[i] = taxonomy_read_file(path, err, errlen)))
			goto done;
	}
	char msg[512];
	if (taxonomy_parse(t, (const char *const *)text, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "%s/%s", dir, msg);
		goto done;
	}
	t->origin = arena_strdup(&t->arena, dir);
	rc = 0;
done:
	for (int i = 0; i < TAX_FILES; i++)
		free(text[i]);
	return rc;
}

int taxonomy_load_builtin(struct taxonomy *t, char *err, size_t errlen)
{
	char msg[512];
	if (taxonomy_parse(t, taxonomy_builtin_text, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "built-in taxonomy (%s): %s", taxonomy_builtin_origin, msg);
		return -1;
	}
	t->origin = arena_printf(&t->arena, "built-in (%s)", taxonomy_builtin_origin);
	return 0;
}

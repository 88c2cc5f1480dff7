/* scan/taxonomy_ext — merging the user's skills files onto the taxonomy
 * (rules: taxonomy_ext.h). */
#include "scan/taxonomy_ext.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "scan/token.h"

#define EXT_FILES_MAX 256 /* files merged from one folder */

uint64_t tax_form_key(const char *form)
{
	form += form[0] == '=';
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens tk;
	uint64_t h = 0;
	if (scan_tokenize(&a, form, strlen(form), &tk) == 0 && tk.n) {
		h = 0x243f6a8885a308d3ull;
		for (size_t i = 0; i < tk.n; i++)
			h = scan_hash_join(h, tk.v[i].hash);
		h += !h;
	}
	arena_free(&a);
	return h;
}

static uint64_t id_key(const char *id)
{
	uint64_t h = scan_hash(id, strlen(id));
	return h + !h;
}

/* ---- the merger ---- */

void tax_merger_free(struct tax_merger *mg)
{
	u64map_free(&mg->forms);
	u64map_free(&mg->ids);
	memset(mg, 0, sizeof(*mg));
}

int tax_merger_init(struct tax_merger *mg, struct taxonomy *t)
{
	memset(mg, 0, sizeof(*mg));
	mg->t = t;
	mg->skills_cap = t->n_skills;
	for (size_t i = 0; i < t->n_skills; i++) {
		if (u64map_put(&mg->ids, id_key(t->skills[i].id), (uint32_t)i) != 0)
			goto oom;
		for (uint32_t k = 0; k < t->skills[i].nforms; k++) {
			uint64_t key = tax_form_key(t->skills[i].forms[k]);
			if (!key || u64map_put(&mg->forms, key, (uint32_t)i) != 0)
				goto oom;
		}
	}
	return 0;
oom:
	tax_merger_free(mg);
	return -1;
}

long tax_merger_owner(const struct tax_merger *mg, const char *form)
{
	uint64_t key = tax_form_key(form);
	return key ? u64map_get(&mg->forms, key) : -1;
}

long tax_merger_skill(const struct tax_merger *mg, const char *id)
{
	long i = u64map_get(&mg->ids, id_key(id));
	return i >= 0 && strcmp(mg->t->skills[i].id, id) == 0 ? i : -1;
}

static struct tax_source_stats *source_stats(struct arena *a, struct tax_ext_report *rep, const char *source)
{
	for (size_t i = 0; i < rep->n_sources; i++)
		if (strcmp(rep->sources[i].name, source) == 0)
			return &rep->sources[i];
	struct tax_source_stats *more = arena_alloc(a, (rep->n_sources + 1) * sizeof(*more));
	char *name = arena_strdup(a, source);
	if (!more || !name)
		return NULL;
	if (rep->n_sources)
		memcpy(more, rep->sources, rep->n_sources * sizeof(*more));
	more[rep->n_sources] = (struct tax_source_stats){ .name = name };
	rep->sources = more;
	return &more[rep->n_sources++];
}

static int conflict(struct arena *a, struct tax_ext_report *rep, struct tax_source_stats *st, unsigned line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int conflict(struct arena *a, struct tax_ext_report *rep, struct tax_source_stats *st, unsigned line,
		    const char *fmt, ...)
{
	st->conflicts++;
	if (rep->n_conflicts == rep->conflicts_cap) {
		size_t cap = rep->conflicts_cap ? rep->conflicts_cap * 2 : 64;
		struct tax_conflict *more = arena_alloc(a, cap * sizeof(*more));
		if (!more)
			return -1;
		if (rep->n_conflicts)
			memcpy(more, rep->conflicts, rep->n_conflicts * sizeof(*more));
		rep->conflicts = more;
		rep->conflicts_cap = cap;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char *m = arena_strdup(a, msg);
	if (!m)
		return -1;
	rep->conflicts[rep->n_conflicts++] = (struct tax_conflict){ .source = st->name, .line = line, .message = m };
	return 0;
}

static int append_skill(struct tax_merger *mg, const struct tax_skill *s)
{
	struct taxonomy *t = mg->t;
	if (t->n_skills == mg->skills_cap) {
		size_t cap = mg->skills_cap ? mg->skills_cap * 2 : 64;
		struct tax_skill *more = arena_alloc(&t->arena, cap * sizeof(*more));
		if (!more)
			return -1;
		if (t->n_skills)
			memcpy(more, t->skills, t->n_skills * sizeof(*more));
		t->skills = more;
		mg->skills_cap = cap;
	}
	t->skills[t->n_skills++] = *s;
	return 0;
}

static int append_forms(struct arena *a, struct tax_skill *to, const char **forms, uint32_t n)
{
	const char **v = arena_alloc(a, (to->nforms + n) * sizeof(*v));
	if (!v)
		return -1;
	if (to->nforms)
		memcpy(v, to->forms, to->nforms * sizeof(*v));
	memcpy(v + to->nforms, forms, n * sizeof(*v));
	to->forms = v;
	to->nforms += n;
	return 0;
}

long tax_merger_add(struct tax_merger *mg, struct tax_skill *s, const char *source, struct tax_ext_report *rep)
{
	struct taxonomy *t = mg->t;
	struct tax_ext_report none = { 0 };
	if (!rep)
		rep = &none;
	struct tax_source_stats *st = source_stats(&t->arena, rep, source);
	if (!st)
		return -1;
	long target = tax_merger_skill(mg, s->id);
	const struct tax_skill *old = target >= 0 ? &t->skills[target] : NULL;
	if (old && (old->type != s->type || old->category != s->category) &&
	    conflict(&t->arena, rep, st, s->line, "%s is a %s skill in %s: its type and category stay, not %s in %s",
		     old->id, skill_type_name(old->type), t->categories[old->category].id, skill_type_name(s->type),
		     t->categories[s->category].id) != 0)
		return -1;
	uint32_t idx = old ? (uint32_t)target : (uint32_t)t->n_skills, kept = 0;
	for (uint32_t k = 0; k < s->nforms; k++) {
		uint64_t key = tax_form_key(s->forms[k]);
		long owner = key ? u64map_get(&mg->forms, key) : -1;
		if (owner == (long)idx)
			continue; /* already its own */
		if (owner >= 0) {
			const struct tax_skill *o = &t->skills[owner];
			if (conflict(&t->arena, rep, st, s->line, "\"%s\" already stands for %s (%s): left out of %s",
				     s->forms[k], o->name, o->id, s->id) != 0)
				return -1;
			continue;
		}
		if (!key) {
			if (conflict(&t->arena, rep, st, s->line, "\"%s\" has no letter or digit: left out",
				     s->forms[k]))
				return -1;
			continue;
		}
		if (u64map_put(&mg->forms, key, idx) != 0)
			return -1;
		s->forms[kept++] = s->forms[k];
	}
	s->nforms = kept;
	if (!kept) {
		if (!old && conflict(&t->arena, rep, st, s->line,
				     "skill %s not added: every form of it stands for another skill", s->id) != 0)
			return -1;
		return -2;
	}
	if (old) {
		if (append_forms(&t->arena, &t->skills[idx], s->forms, kept) != 0)
			return -1;
		st->skills_extended++;
	} else {
		if (append_skill(mg, s) != 0 || u64map_put(&mg->ids, id_key(s->id), idx) != 0)
			return -1;
		st->skills_added++;
	}
	st->forms_added += kept;
	return (long)idx;
}

int tax_merger_extend(struct tax_merger *mg, const char *source, const char *text, struct tax_ext_report *rep,
		      char *err, size_t errlen)
{
	struct taxonomy *t = mg->t;
	struct tax_ext_report none = { 0 };
	if (!rep)
		rep = &none;
	char file[300];
	snprintf(file, sizeof(file), "%s.tsv", source);
	struct tax_skill *v;
	size_t n;
	if (taxonomy_parse_skills(t, file, text, &v, &n, err, errlen) != 0)
		return -1;
	if (!source_stats(&t->arena, rep, source))
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (tax_merger_add(mg, &v[i], source, rep) == -1)
			goto oom;
	return 0;
oom:
	snprintf(err, errlen, "out of memory merging %s", file);
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tax_merger_extend_dir(struct tax_merger *mg, const char *dir, const char *skip, struct tax_ext_report *rep,
			  char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read the folder %s: %s", dir, strerror(errno));
		return -1;
	}
	char *names[EXT_FILES_MAX];
	size_t n = 0;
	int rc = -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 4 || strcmp(e->d_name + len - 4, ".tsv") != 0)
			continue;
		if (n == EXT_FILES_MAX) {
			snprintf(err, errlen, "%s holds more than %d .tsv files", dir, EXT_FILES_MAX);
			goto done;
		}
		if (!(names[n] = strndup(e->d_name, len - 4))) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (skip && strcmp(names[i], skip) == 0)
			continue;
		char path[4096];
		if (snprintf(path, sizeof(path), "%s/%s.tsv", dir, names[i]) >= (int)sizeof(path)) {
			snprintf(err, errlen, "the folder name %s is too long", dir);
			goto done;
		}
		char *text = taxonomy_read_file(path, err, errlen);
		if (!text)
			goto done;
		char msg[512];
		int bad = tax_merger_extend(mg, names[i], text, rep, msg, sizeof(msg));
		free(text);
		if (bad) {
			snprintf(err, errlen, "%s/%s", dir, msg);
			goto done;
		}
	}
	rc = 0;
done:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

int taxonomy_load_user(struct taxonomy *t, const char *base_dir, const char *data_dir, struct tax_ext_report *rep,
		       char *err, size_t errlen)
{
	if (rep)
		memset(rep, 0, sizeof(*rep));
	if ((base_dir ? taxonomy_load_dir(t, base_dir, err, errlen) : taxonomy_load_builtin(t, err, errlen)) != 0)
		return -1;
	if (!data_dir)
		return 0;
	char dir[4096];
	if (snprintf(dir, sizeof(dir), "%s/%s", data_dir, TAXONOMY_EXT_DIR) >= (int)sizeof(dir)) {
		snprintf(err, errlen, "the data directory's name is too long");
		taxonomy_free(t);
		return -1;
	}
	struct tax_merger mg;
	if (tax_merger_init(&mg, t) != 0) {
		snprintf(err, errlen, "out of memory merging %s", dir);
		taxonomy_free(t);
		return -1;
	}
	struct tax_ext_report none;
	if (!rep)
		rep = &none;
	memset(rep, 0, sizeof(*rep));
	int rc = tax_merger_extend_dir(&mg, dir, NULL, rep, err, errlen);
	tax_merger_free(&mg);
	if (rc == 0 && rep->n_sources) {
		const char *origin = arena_printf(&t->arena, "%s + the extension in %s", t->origin, dir);
		t->origin = origin ? origin : t->origin;
	}
	if (rc != 0) {
		taxonomy_free(t);
		memset(rep, 0, sizeof(*rep)); /* it pointed into the taxonomy */
	}
	return rc;
}

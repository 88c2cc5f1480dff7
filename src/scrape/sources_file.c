/* sources_file — reading the sources configuration file; see sources_file.h. */
#include "scrape/sources_file.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "scrape/source.h"
#include "scrape/source_settings.h"

#define SOURCES_FILE_MAX (1 << 20) /* 1 MiB of configuration is thousands of sources */
#define SOURCES_MAX      5000

static const char *const keys[] = { "kind",  "target", "url",       "company", "schedule", "enabled",
				    "delay", "proxy",  "max_pages", "options", "render",   "accept_terms" };

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/* The closest known key, for "did you mean" (edit distance ≤ 2). */
static const char *closest_key(const char *k)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t la = strlen(k), lb = strlen(keys[i]);
		if (la > 20)
			return NULL;
		size_t d[21][21];
		for (size_t x = 0; x <= la; x++)
			d[x][0] = x;
		for (size_t y = 0; y <= lb; y++)
			d[0][y] = y;
		for (size_t x = 1; x <= la; x++)
			for (size_t y = 1; y <= lb; y++) {
				size_t sub = d[x - 1][y - 1] + (k[x - 1] != keys[i][y - 1]);
				size_t del = d[x - 1][y] + 1, ins = d[x][y - 1] + 1;
				d[x][y] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			}
		if (d[la][lb] < best_d) {
			best_d = d[la][lb];
			best = keys[i];
		}
	}
	return best;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* A '#' starts a comment at the start of a line or after a space (so URL
 * fragments survive); the JSON of `options` may hold " #" inside strings, so
 * its line takes whole-line comments only. */
static void strip_comment(char *line)
{
	const char *l = line + strspn(line, " \t");
	if (*l == '#') {
		line[0] = '\0';
		return;
	}
	if (strncmp(l, "options", 7) == 0 && strchr(" \t=", l[7]))
		return;
	for (char *p = line + 1; *p; p++)
		if (*p == '#' && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
}

static int check_section(struct arena *a, const char *path, struct source_spec *s, const char *url, char *err,
			 size_t errlen)
{
	if (url) {
		const char *target = NULL;
		const struct source_adapter *ad = source_adapter_detect(a, url, &target);
		if (!ad && !s->kind) {
			snprintf(err, errlen,
				 "%s:%d: source \"%s\": no adapter recognises %s; set kind = (jsonld for any page with "
				 "schema.org postings, xpath for selectors)",
				 path, s->line, s->name, url);
			return -EINVAL;
		}
		if (ad && !s->kind)
			s->kind = ad->name;
		if (!s->target)
			s->target = ad && strcmp(ad->name, s->kind) == 0 ? target : arena_strdup(a, url);
	}
	if (!s->kind) {
		snprintf(err, errlen, "%s:%d: source \"%s\" needs kind = (an adapter name) or url = (a careers URL)",
			 path, s->line, s->name);
		return -EINVAL;
	}
	const struct source_adapter *ad = source_adapter_find(s->kind);
	if (!ad) {
		size_t n;
		const struct source_adapter *const *all = source_adapters(&n);
		char names[512] = "";
		for (size_t i = 0; i < n; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
				 all[i]->name);
		snprintf(err, errlen, "%s:%d: source \"%s\": unknown kind \"%s\" (known: %s)", path, s->line, s->name,
			 s->kind, names);
		return -EINVAL;
	}
	if (!s->target)
		s->target = "";
	char why[700];
	int rule = source_settings_check_schedule(s->kind, s->schedule, why, sizeof(why));
	if (!rule && s->enabled && !s->accept_terms)
		rule = source_settings_terms_refusal(s->kind, s->name, why, sizeof(why));
	if (rule) {
		snprintf(err, errlen, "%s:%d: source \"%s\": %s", path, s->line, s->name, why);
		return -EINVAL;
	}
	/* The options and the driver's keys, as they will be stored. */
	const char *config = source_settings_spec_config(a, s);
	if (!config)
		return -ENOMEM;
	int rc = source_settings_check(a, s->kind, config, why, sizeof(why));
	if (rc == -EINVAL)
		snprintf(err, errlen, "%s:%d: source \"%s\": %s", path, s->line, s->name, why);
	return rc;
}

static int set_key(struct arena *a, const char *path, int line, struct source_spec *s, const char *key,
		   const char *value, const char **url, char *err, size_t errlen)
{
	const char *copy = arena_strdup(a, value);
	if (!copy)
		return -ENOMEM;
	if (text_has_control(value)) {
		snprintf(err, errlen, "%s:%d: %s contains control characters", path, line, key);
		return -EINVAL;
	}
	if (strcmp(key, "kind") == 0) {
		s->kind = copy;
	} else if (strcmp(key, "target") == 0) {
		s->target = copy;
	} else if (strcmp(key, "url") == 0) {
		if (!text_http_url(value)) {
			snprintf(err, errlen, "%s:%d: url must be an http:// or https:// address", path, line);
			return -EINVAL;
		}
		*url = copy;
	} else if (strcmp(key, "company") == 0) {
		s->company = copy;
	} else if (strcmp(key, "schedule") == 0) {
		s->schedule = copy;
	} else if (strcmp(key, "proxy") == 0) {
		s->proxy = copy;
	} else if (strcmp(key, "enabled") == 0 || strcmp(key, "render") == 0 || strcmp(key, "accept_terms") == 0) {
		bool *flag = strcmp(key, "render") == 0 ? &s->render : key[0] == 'e' ? &s->enabled : &s->accept_terms;
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0) {
			*flag = true;
		} else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || strcmp(value, "0") == 0) {
			*flag = false;
		} else {
			snprintf(err, errlen, "%s:%d: %s must be true or false", path, line, key);
			return -EINVAL;
		}
	} else if (strcmp(key, "delay") == 0) {
		char *end;
		double d = strtod(value, &end);
		if (*end || d < 0 || d > 3600) {
			snprintf(err, errlen, "%s:%d: delay must be a number of seconds between 0 and 3600", path,
				 line);
			return -EINVAL;
		}
		s->delay = d;
	} else if (strcmp(key, "max_pages") == 0) {
		long n;
		if (text_parse_long(value, 1, 100000, &n) != 0) {
			snprintf(err, errlen, "%s:%d: max_pages must be a whole number from 1 to 100000", path, line);
			return -EINVAL;
		}
		s->max_pages = n;
	} else if (strcmp(key, "options") == 0) {
		json_error_t je;
		json_t *o = json_loads(value, 0, &je);
		bool ok = json_is_object(o);
		json_decref(o);
		if (!ok) {
			snprintf(err, errlen, "%s:%d: options must be a JSON object on one line (%s)", path, line,
				 o ? "not an object" : je.text);
			return -EINVAL;
		}
		s->options_json = copy;
	} else {
		const char *near = closest_key(key);
		snprintf(err, errlen, "%s:%d: unknown key \"%s\"%s%s%s", path, line, key, near ? " (did you mean " : "",
			 near ? near : "", near ? "?)" : "");
		return -EINVAL;
	}
	return 0;
}

int sources_file_parse(struct arena *a, const char *path, const char *text, size_t len, struct source_specs *out,
		       char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len > SOURCES_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		return -E2BIG;
	}
	if (!text_utf8_valid(text, len)) {
		snprintf(err, errlen, "%s: not valid UTF-8", path);
		return -EINVAL;
	}
	size_t cap = 0;
	struct source_spec *cur = NULL;
	const char *cur_url = NULL;
	int line_no = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = arena_strndup(a, p, n);
		if (!line)
			return -ENOMEM;
		p += n + (nl ? 1 : 0);
		line_no++;
		strip_comment(line);
		char *l = trim(line);
		if (!*l)
			continue;
		if (*l == '[') {
			if (cur) {
				int rc = check_section(a, path, cur, cur_url, err, errlen);
				if (rc)
					return rc;
			}
			char *close = strchr(l, ']');
			char name[80];
			size_t name_len = close ? (size_t)(close - (l + 8)) : 0;
			if (strncmp(l, "[source ", 8) != 0 || !close || close[1] || name_len == 0 ||
			    name_len >= sizeof(name) || memchr(l + 8, ' ', name_len)) {
				snprintf(err, errlen, "%s:%d: a section is written [source NAME]", path, line_no);
				return -EINVAL;
			}
			memcpy(name, l + 8, name_len);
			name[name_len] = '\0';
			if (!name_ok(name)) {
				snprintf(err, errlen,
					 "%s:%d: source names use letters, digits, '-', '_' and '.' (up to 64): \"%s\"",
					 path, line_no, name);
				return -EINVAL;
			}
			for (size_t i = 0; i < out->count; i++)
				if (strcmp(out->items[i].name, name) == 0) {
					snprintf(err, errlen, "%s:%d: source \"%s\" is already defined on line %d",
						 path, line_no, name, out->items[i].line);
					return -EINVAL;
				}
			if (out->count == SOURCES_MAX) {
				snprintf(err, errlen, "%s:%d: more than %d sources", path, line_no, SOURCES_MAX);
				return -E2BIG;
			}
			if (out->count == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				struct source_spec *items = arena_alloc(a, ncap * sizeof(*items));
				if (!items)
					return -ENOMEM;
				if (out->count)
					memcpy(items, out->items, out->count * sizeof(*items));
				out->items = items;
				cap = ncap;
			}
			cur = &out->items[out->count++];
			memset(cur, 0, sizeof(*cur));
			cur->name = arena_strdup(a, name);
			cur->enabled = true;
			cur->delay = -1;
			cur->line = line_no;
			cur_url = NULL;
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, line_no);
			return -EINVAL;
		}
		if (!cur) {
			snprintf(err, errlen, "%s:%d: settings must follow a [source NAME] line", path, line_no);
			return -EINVAL;
		}
		*eq = '\0';
		int rc = set_key(a, path, line_no, cur, trim(l), trim(eq + 1), &cur_url, err, errlen);
		if (rc)
			return rc;
	}
	if (cur)
		return check_section(a, path, cur, cur_url, err, errlen);
	return 0;
}

int sources_file_load(struct arena *a, const char *path, struct source_specs *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	char *data = arena_alloc_raw(a, SOURCES_FILE_MAX + 1);
	if (!data) {
		fclose(f);
		return -ENOMEM;
	}
	size_t n = fread(data, 1, SOURCES_FILE_MAX + 1, f);
	fclose(f);
	return sources_file_parse(a, path, data, n, out, err, errlen);
}

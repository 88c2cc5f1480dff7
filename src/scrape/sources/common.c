/* sources/common — helpers every adapter uses; see common.h. */
#include "scrape/sources/common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/normalize.h"

struct source_request *source_request_add(struct arena *a, struct source_request_list *list)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct source_request *items = arena_alloc_raw(a, cap * sizeof(*items));
		if (!items)
			return NULL;
		if (list->count)
			memcpy(items, list->items, list->count * sizeof(*items));
		list->items = items;
		list->cap = cap;
	}
	struct source_request *r = &list->items[list->count++];
	memset(r, 0, sizeof(*r));
	return r;
}

json_t *src_json_path(json_t *obj, const char *path)
{
	const char *p = path;
	while (obj && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (!json_is_object(obj))
			return NULL;
		obj = json_object_getn(obj, p, n);
		p += n + (dot ? 1 : 0);
	}
	return obj;
}

static const char *trimmed_copy(struct arena *a, const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

const char *src_json_text(struct arena *a, json_t *obj, const char *path)
{
	json_t *v = src_json_path(obj, path);
	if (json_is_string(v))
		return trimmed_copy(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15)
			return arena_printf(a, "%.0f", d);
		return arena_printf(a, "%g", d);
	}
	return NULL;
}

bool src_json_number(json_t *obj, const char *path, double *out)
{
	json_t *v = src_json_path(obj, path);
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	if (json_is_string(v))
		return salary_parse_amount(json_string_value(v), out) == 0;
	return false;
}

bool src_json_bool(json_t *obj, const char *path, bool dflt)
{
	json_t *v = src_json_path(obj, path);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0)
			return true;
		if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0 || strcasecmp(s, "no") == 0)
			return false;
	}
	return dflt;
}

json_t *src_json_load(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(body ? body : "", len, JSON_DECODE_ANY, &je);
	if (!root)
		snprintf(err, errlen, "the response is not JSON: %s (line %d, column %d)", je.text, je.line, je.column);
	return root;
}

const char *src_url_escape(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s) /* a source without a target (`jobtrack extract` reading a file) */
		s = "";
	size_t n = strlen(s);
	char *out = arena_alloc_raw(a, n * 3 + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

const char *src_url(struct arena *a, const struct source_config *src, const char *origin, const char *path_fmt, ...)
{
	char path[2048];
	va_list ap;
	va_start(ap, path_fmt);
	int n = vsnprintf(path, sizeof(path), path_fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	const char *base = src->base_url && *src->base_url ? src->base_url : origin;
	size_t blen = strlen(base);
	while (blen && base[blen - 1] == '/')
		blen--;
	return arena_printf(a, "%.*s%s", (int)blen, base, path);
}

struct source_request *src_get(struct arena *a, struct source_request_list *list, const char *url,
			       enum request_kind kind, const char *step)
{
	if (!url)
		return NULL;
	struct source_request *r = source_request_add(a, list);
	if (!r)
		return NULL;
	r->url = url;
	r->method = "GET";
	r->kind = kind;
	r->step = step;
	return r;
}

int src_set_location(struct arena *a, struct posting *p, const char *raw)
{
	if (!raw || !*raw)
		return 0;
	enum workplace w = WORKPLACE_UNKNOWN;
	int rc = location_parse(a, raw, &p->location, &w);
	if (rc == 0 && p->workplace == WORKPLACE_UNKNOWN)
		p->workplace = w;
	return rc;
}

void src_set_date(struct posting *p, const char *text, time_t now)
{
	if (text && *text)
		(void)date_parse(text, now, p->date_posted);
}

void src_set_salary_text(struct posting *p, const char *text, const char *default_currency)
{
	struct posting_salary s;
	if (text && *text && salary_parse_text(text, default_currency ? default_currency : "", &s) == 0)
		p->salary = s;
}

const char *src_join_html(struct arena *a, const char *const *parts, size_t n)
{
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		if (parts[i])
			total += strlen(parts[i]) + 1;
	char *out = arena_alloc_raw(a, total);
	if (!out)
		return NULL;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (len)
			out[len++] = '\n';
		size_t k = strlen(parts[i]);
		memcpy(out + len, parts[i], k);
		len += k;
	}
	out[len] = '\0';
	return len ? out : NULL;
}

const char *src_company_from_slug(struct arena *a, const char *slug)
{
	if (!slug || !*slug)
		return NULL;
	char *out = arena_strdup(a, slug);
	if (!out)
		return NULL;
	bool word_start = true;
	for (char *c = out; *c; c++) {
		if (*c == '-' || *c == '_') {
			*c = ' ';
			word_start = true;
		} else if (word_start) {
			*c = (char)toupper((unsigned char)*c);
			word_start = false;
		}
	}
	return out;
}

int src_add_one(struct arena *a, const struct source_config *src, json_t *item, src_item_fn *fill,
		struct source_result *out)
{
	struct posting *p = posting_list_add(a, &out->postings);
	if (!p)
		return -ENOMEM;
	if (!fill(a, src, item, p)) {
		out->postings.count--;
	} else if (!p->external_id || !p->title) {
		out->postings.count--;
		out->warnings++;
	}
	return 0;
}

int src_add_items(struct arena *a, const struct source_config *src, json_t *items, src_item_fn *fill,
		  struct source_result *out)
{
	size_t i;
	json_t *item;
	json_array_foreach (items, i, item) {
		int rc = src_add_one(a, src, item, fill, out);
		if (rc)
			return rc;
	}
	return 0;
}

int src_detect_segment(struct arena *a, const char *url, const char *const *hosts, size_t n_hosts, const char *prefix,
		       const char **target)
{
	for (size_t i = 0; i < n_hosts; i++) {
		const char *p = strstr(url, hosts[i]);
		if (!p)
			continue;
		p += strlen(hosts[i]);
		size_t n = strcspn(p, "/?#&");
		if (n == 0 || n > 100)
			return -ENOENT;
		*target = arena_printf(a, "%s%.*s", prefix, (int)n, p);
		return *target ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

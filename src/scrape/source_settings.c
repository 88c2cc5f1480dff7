/* source_settings — a source's config object, and the sources file synced
 * into the store; see source_settings.h. */
#include "scrape/source_settings.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/schedule.h"
#include "scrape/source.h"
#include "scrape/sources_file.h"
#include "store/store.h"

/* What a file section without `schedule` runs on. */
#define DEFAULT_SCHEDULE "every 6h"

static int text_key(struct arena *a, json_t *o, const char *key, const char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		snprintf(err, errlen, "\"%s\" must be a string", key);
		return -EINVAL;
	}
	const char *s = json_string_value(v);
	if (*s && !(*out = arena_strdup(a, s)))
		return -ENOMEM;
	return 0;
}

static int number_key(json_t *o, const char *key, double lo, double hi, double *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < lo ||
	    json_number_value(v) > hi) {
		snprintf(err, errlen, "\"%s\" must be a number from %g to %g", key, lo, hi);
		return -EINVAL;
	}
	*out = json_number_value(v);
	return 0;
}

static bool bool_like(json_t *v)
{
	if (json_is_boolean(v))
		return true;
	if (json_is_integer(v))
		return json_integer_value(v) == 0 || json_integer_value(v) == 1;
	const char *s = json_string_value(v);
	static const char *const words[] = { "true", "false", "1", "0", "yes", "no" };
	for (size_t i = 0; s && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* A bool_like value that means on. */
static bool bool_true(json_t *v)
{
	const char *s = json_string_value(v);
	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) == 1) ||
	       (s && (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0));
}

int source_settings_parse(struct arena *a, const char *config_json, struct source_settings *out, char *err,
			  size_t errlen)
{
	*out = (struct source_settings){ .delay = -1 };
	if (!config_json || !*config_json)
		return 0;
	json_error_t je;
	json_t *o = json_loads(config_json, 0, &je);
	if (!o) {
		snprintf(err, errlen, "the source's config is not JSON: %s", je.text);
		return -EINVAL;
	}
	int rc = -EINVAL;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "the source's config must be a JSON object");
		goto out;
	}
	double d;
	if ((rc = text_key(a, o, "company", &out->company, err, errlen)) ||
	    (rc = text_key(a, o, "proxy", &out->proxy, err, errlen)) ||
	    (rc = text_key(a, o, "base_url", &out->base_url, err, errlen)))
		goto out;
	const char *managed = NULL;
	if ((rc = text_key(a, o, "managed_by", &managed, err, errlen)))
		goto out;
	out->managed_by_file = managed && strcmp(managed, "file") == 0;
	json_t *terms = json_object_get(o, "accept_terms");
	if (terms && !json_is_boolean(terms)) {
		snprintf(err, errlen, "\"accept_terms\" must be true or false");
		rc = -EINVAL;
		goto out;
	}
	out->accept_terms = json_is_true(terms);
	if ((rc = number_key(o, "delay", 0, 3600, &d, err, errlen)) < 0)
		goto out;
	if (rc == 0)
		out->delay = d;
	if ((rc = number_key(o, "max_pages", 0, 1000000, &d, err, errlen)) < 0)
		goto out;
	if (rc == 0)
		out->max_pages = (long)d;
	if ((rc = number_key(o, "concurrency", 0, 256, &d, err, errlen)) < 0)
		goto out;
	if (rc == 0)
		out->concurrency = (long)d;
	json_t *render = json_object_get(o, "render");
	if (render && !json_is_null(render) && !bool_like(render)) {
		snprintf(err, errlen, "\"render\" must be true or false");
		rc = -EINVAL;
		goto out;
	}
	out->render = render && bool_true(render);
	rc = json_object_size(o) && !(out->options_json = arena_strdup(a, config_json)) ? -ENOMEM : 0;
out:
	json_decref(o);
	return rc;
}

/* The keys the driver itself reads (see source_settings.h). */
static const char *const driver_keys[] = { "company",  "delay",      "proxy",  "max_pages",   "concurrency",
					   "base_url", "managed_by", "render", "accept_terms" };
#define N_DRIVER_KEYS (sizeof(driver_keys) / sizeof(driver_keys[0]))

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Every key a config of ad may hold, for the message naming an unknown one. */
static void list_keys(const struct source_adapter *ad, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (const struct source_option *o = ad->options; o && o->key; o++) {
		int w = snprintf(out + len, size - len, "%s%s", len ? ", " : "", o->key);
		len = w < 0 || (size_t)w >= size - len ? size - 1 : len + (size_t)w;
	}
	for (size_t i = 0; i < N_DRIVER_KEYS; i++) {
		int w = snprintf(out + len, size - len, "%s%s", len ? ", " : "", driver_keys[i]);
		len = w < 0 || (size_t)w >= size - len ? size - 1 : len + (size_t)w;
	}
}

/* One key of ad's config that is not the driver's: one of its options, of
 * the option's type. */
static int check_option(const struct source_adapter *ad, const char *key, json_t *v, char *err, size_t errlen)
{
	for (const struct source_option *o = ad->options; o && o->key; o++) {
		if (strcmp(o->key, key) != 0)
			continue;
		if (o->type == SOURCE_OPTION_BOOL && !bool_like(v)) {
			snprintf(err, errlen, "\"%s\" must be true or false", key);
			return -EINVAL;
		}
		if (o->type == SOURCE_OPTION_TEXT && !json_is_string(v)) {
			snprintf(err, errlen, "\"%s\" must be a string", key);
			return -EINVAL;
		}
		return 0;
	}
	char known[512];
	list_keys(ad, known, sizeof(known));
	snprintf(err, errlen, "unknown key \"%.64s\" for %s (its keys: %s)", key, ad->name, known);
	return -EINVAL;
}

int source_settings_check(struct arena *a, const char *kind, const char *config_json, char *err, size_t errlen)
{
	const struct source_adapter *ad = source_adapter_find(kind ? kind : "");
	if (!ad) {
		snprintf(err, errlen, "there is no kind of source called \"%s\"", kind ? kind : "");
		return -EINVAL;
	}
	struct source_settings st;
	int rc = source_settings_parse(a, config_json, &st, err, errlen);
	if (rc)
		return rc;
	if (st.proxy && !has_prefix(st.proxy, "http://") && !has_prefix(st.proxy, "https://") &&
	    !has_prefix(st.proxy, "socks4://") && !has_prefix(st.proxy, "socks4a://") &&
	    !has_prefix(st.proxy, "socks5://") && !has_prefix(st.proxy, "socks5h://")) {
		snprintf(err, errlen, "\"proxy\" must be a URL such as http://proxy:3128 or socks5h://proxy:1080");
		return -EINVAL;
	}
	if (st.base_url && !has_prefix(st.base_url, "http://") && !has_prefix(st.base_url, "https://")) {
		snprintf(err, errlen, "\"base_url\" must be an http:// or https:// URL");
		return -EINVAL;
	}
	if (!st.options_json)
		return 0;
	json_t *o = json_loads(st.options_json, 0, NULL);
	const char *managed = json_string_value(json_object_get(o, "managed_by"));
	if (json_object_get(o, "managed_by") && (!managed || strcmp(managed, "file") != 0)) {
		snprintf(err, errlen, "\"managed_by\" can only be \"file\" (set by the sources file)");
		rc = -EINVAL;
	}
	const char *key;
	json_t *v;
	json_object_foreach (o, key, v) {
		if (rc)
			break;
		bool driver = false;
		for (size_t i = 0; i < N_DRIVER_KEYS && !driver; i++)
			driver = strcmp(key, driver_keys[i]) == 0;
		if (!driver)
			rc = check_option(ad, key, v, err, errlen);
	}
	json_decref(o);
	return rc;
}

long source_settings_min_gap(const char *schedule)
{
	if (!schedule || !*schedule)
		return 0;
	struct schedule sc;
	char err[160];
	if (schedule_parse(schedule, &sc, err, sizeof(err)))
		return -1;
	if (sc.kind == SCHEDULE_INTERVAL)
		return (long)(sc.interval_ms / 1000);
	/* Cron: the smallest gap over the next few hundred firings, which
	 * covers every pattern repeating within a week at minute resolution
	 * closely enough for a politeness limit measured in hours. */
	int64_t t = (int64_t)time(NULL) * 1000, prev = schedule_next(&sc, t);
	long best = -1;
	for (int i = 0; i < 500 && prev >= 0; i++) {
		int64_t next = schedule_next(&sc, prev);
		if (next < 0)
			break;
		long gap = (long)((next - prev) / 1000);
		if (best < 0 || gap < best)
			best = gap;
		prev = next;
	}
	return best < 0 ? 0 : best;
}

/* "6h" or "90m", as a schedule writes it. */
static void duration(char *out, size_t n, long s)
{
	if (s >= 3600 && s % 3600 == 0)
		snprintf(out, n, "%ldh", s / 3600);
	else if (s >= 60)
		snprintf(out, n, "%ldm", s / 60);
	else
		snprintf(out, n, "%lds", s);
}

int source_settings_check_schedule(const char *kind, const char *schedule, char *err, size_t errlen)
{
	if (!schedule || !*schedule)
		return 0;
	struct schedule sc;
	char why[200];
	if (schedule_parse(schedule, &sc, why, sizeof(why))) {
		snprintf(err, errlen, "%s Use \"every 6h\", \"@daily\" or a cron expression.", why);
		return -EINVAL;
	}
	const struct source_adapter *ad = source_adapter_find(kind ? kind : "");
	long gap = source_settings_min_gap(schedule);
	if (!ad || ad->min_interval_s <= 0 || gap >= ad->min_interval_s)
		return 0;
	char limit[32], often[32];
	duration(limit, sizeof(limit), ad->min_interval_s);
	duration(often, sizeof(often), gap);
	snprintf(err, errlen,
		 "%s asks to be read at most every %s; \"%s\" runs as often as every %s. Use \"every %s\" or a "
		 "longer interval.",
		 ad->label, limit, schedule, often, limit);
	return -ERANGE;
}

bool source_settings_clamp_schedule(const char *kind, const char *text, struct schedule *sc)
{
	const struct source_adapter *ad = source_adapter_find(kind ? kind : "");
	long gap = source_settings_min_gap(text);
	if (!ad || ad->min_interval_s <= 0 || gap < 0 || gap >= ad->min_interval_s)
		return false;
	*sc = (struct schedule){ .kind = SCHEDULE_INTERVAL, .interval_ms = (int64_t)ad->min_interval_s * 1000 };
	return true;
}

int source_settings_terms_refusal(const char *kind, const char *name, char *err, size_t errlen)
{
	const struct source_adapter *ad = source_adapter_find(kind ? kind : "");
	if (!ad || !ad->off_by_default)
		return 0;
	snprintf(err, errlen,
		 "%s is off by default; to run it, write \"accept_terms = true\" in its [source %s] section of the "
		 "sources file, accepting its terms: %s",
		 ad->label, name ? name : "NAME", ad->terms ? ad->terms : "they do not allow scraping.");
	return -EPERM;
}

/* The config object of a file section: its options, with the driver's keys
 * set over them. Canonical (sorted keys), so comparing texts tells a change. */
char *source_settings_spec_config(struct arena *a, const struct source_spec *sp)
{
	json_t *o = sp->options_json ? json_loads(sp->options_json, 0, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	if (!o)
		return NULL;
	if (sp->company)
		json_object_set_new(o, "company", json_string(sp->company));
	if (sp->proxy)
		json_object_set_new(o, "proxy", json_string(sp->proxy));
	if (sp->delay >= 0)
		json_object_set_new(o, "delay", json_real(sp->delay));
	if (sp->max_pages > 0)
		json_object_set_new(o, "max_pages", json_integer(sp->max_pages));
	if (sp->render)
		json_object_set_new(o, "render", json_true());
	if (sp->accept_terms)
		json_object_set_new(o, "accept_terms", json_true());
	json_object_set_new(o, "managed_by", json_string("file"));
	/* json_dumpb into the arena: jansson's allocator may not be malloc (web/json_arena.h). */
	size_t n = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS);
	char *copy = n ? arena_alloc_raw(a, n + 1) : NULL;
	if (copy && json_dumpb(o, copy, n, JSON_COMPACT | JSON_SORT_KEYS) == n)
		copy[n] = '\0';
	else
		copy = NULL;
	json_decref(o);
	return copy;
}

static bool same_text(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

int source_settings_sync(struct store *s, const struct source_specs *specs, int64_t now, struct source_sync_report *out,
			 char *err, size_t errlen)
{
	*out = (struct source_sync_report){ 0 };
	struct arena a;
	arena_init(&a, 0);
	int rc = 0;
	for (size_t i = 0; i < specs->count && rc == 0; i++) {
		const struct source_spec *sp = &specs->items[i];
		struct scrape_source want = {
			.name = sp->name,
			.kind = sp->kind,
			.target = sp->target,
			.config = source_settings_spec_config(&a, sp),
			.schedule = sp->schedule ? sp->schedule : DEFAULT_SCHEDULE,
			.enabled = sp->enabled,
		};
		if (!want.config) {
			rc = STORE_ERROR;
			snprintf(err, errlen, "out of memory reading source %s", sp->name);
			break;
		}
		struct scrape_source have;
		rc = store_source_by_name(s, sp->name, &a, &have);
		if (rc == STORE_NOTFOUND) {
			if ((rc = store_source_insert(s, &want, now)) == 0)
				out->added++;
		} else if (rc == 0) {
			if (same_text(have.kind, want.kind) && same_text(have.target, want.target) &&
			    same_text(have.config, want.config) && same_text(have.schedule, want.schedule) &&
			    have.enabled == want.enabled) {
				out->unchanged++;
				continue;
			}
			want.id = have.id;
			if ((rc = store_source_update(s, &want, 0, now)) == 0)
				out->updated++;
		}
		if (rc)
			snprintf(err, errlen, "cannot write source %s into the database (store error %d)", sp->name,
				 rc);
	}
	struct scrape_source *all = NULL;
	size_t n = 0;
	if (rc == 0 && (rc = store_source_list(s, &a, &all, &n)))
		snprintf(err, errlen, "cannot list sources (store error %d)", rc);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		bool listed = false;
		for (size_t j = 0; j < specs->count && !listed; j++)
			listed = strcmp(specs->items[j].name, all[i].name) == 0;
		struct source_settings st;
		char why[128];
		if (listed || !all[i].enabled || source_settings_parse(&a, all[i].config, &st, why, sizeof(why)) ||
		    !st.managed_by_file)
			continue;
		all[i].enabled = 0;
		if ((rc = store_source_update(s, &all[i], 0, now)) == 0) {
			out->disabled++;
			log_event(LOG_INFO, "sources.disabled",
				  "source %s is no longer in the sources file: disabled (its runs and postings stay)",
				  all[i].name);
		} else {
			snprintf(err, errlen, "cannot disable source %s (store error %d)", all[i].name, rc);
		}
	}
	arena_free(&a);
	return rc;
}

/* source_service — administrators' edits of configured sources; see
 * source_service.h. */
#include "scrape/source_service.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/text.h"
#include "scrape/scheduler.h"
#include "scrape/source.h"
#include "scrape/source_settings.h"

#define NAME_MAX_LEN   100
#define TARGET_MAX_LEN 2048
#define CONFIG_MAX_LEN 16384

static int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	       c == '.';
}

/* "greenhouse-acme" from a kind and target: the name a source gets when
 * none is given (other bytes become '-', runs of them one). */
static const char *default_name(struct arena *a, const char *kind, const char *target)
{
	char *s = arena_printf(a, "%s-%s", kind, target);
	if (!s)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; s[i] && k < NAME_MAX_LEN; i++) {
		char c = name_char((unsigned char)s[i]) ? s[i] : '-';
		if (c == '-' && k && s[k - 1] == '-')
			continue;
		s[k++] = c;
	}
	while (k && s[k - 1] == '-')
		k--;
	s[k] = '\0';
	return s;
}

static void check_text(const char *v, const char *field, size_t max, struct field_errors *errs)
{
	if (!text_utf8_valid(v, strlen(v)) || text_has_control(v))
		field_errors_add(errs, field, "Must be text without control characters.");
	else if (strlen(v) > max)
		field_errors_add(errs, field, "Too long.");
}

static void check_schedule(struct arena *a, const struct scrape_source *src, struct field_errors *errs)
{
	char err[300];
	int rc = source_settings_check_schedule(src->kind, src->schedule, err, sizeof(err));
	if (!rc)
		return;
	char *msg = rc == -EINVAL ? arena_printf(a, "%s Or leave it empty to run by hand.", err) : arena_strdup(a, err);
	field_errors_add(errs, "schedule", msg ? msg : "Not a schedule this source allows.");
}

bool source_service_managed(const struct scrape_source *src)
{
	json_t *cfg = src->config ? json_loads(src->config, 0, NULL) : NULL;
	const char *by = json_string_value(json_object_get(cfg, "managed_by"));
	bool managed = by && strcmp(by, "file") == 0;
	json_decref(cfg);
	return managed;
}

/* The config's key is on (true, 1, "true", "1", "yes"). */
static bool switch_on(const struct scrape_source *src, const char *key)
{
	json_t *cfg = src->config ? json_loads(src->config, 0, NULL) : NULL;
	json_t *v = json_object_get(cfg, key);
	bool on =
	    json_is_true(v) || (json_is_integer(v) && json_integer_value(v) == 1) ||
	    (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 ||
				   strcmp(json_string_value(v), "1") == 0 || strcmp(json_string_value(v), "yes") == 0));
	json_decref(cfg);
	return on;
}

bool source_service_crawls(const struct scrape_source *src)
{
	return src->kind && strcmp(src->kind, "jsonld") == 0 && switch_on(src, "crawl");
}

bool source_service_renders(const struct scrape_source *src)
{
	return switch_on(src, "render");
}

/* A switch written into a source's config ("crawl", "render"): key: true,
 * or no key (off is the default). A config that is not an object is left
 * for the checks to refuse. */
static void set_switch(struct arena *a, struct scrape_source *src, const char *key, bool on)
{
	json_t *cfg = json_loads(src->config, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(cfg)) {
		json_decref(cfg);
		return;
	}
	if (on)
		json_object_set_new(cfg, key, json_true());
	else
		json_object_del(cfg, key);
	/* json_dumpb into the arena: jansson's allocator may be a request's. */
	size_t n = json_dumpb(cfg, NULL, 0, JSON_COMPACT);
	char *text = n ? arena_alloc_raw(a, n + 1) : NULL;
	if (text && json_dumpb(cfg, text, n, JSON_COMPACT) == n) {
		text[n] = '\0';
		src->config = text;
	}
	json_decref(cfg);
}

/* Applies in onto *src (a new source: zeroed, or the stored one for an
 * edit) and checks the result. was_enabled: src was enabled before (the
 * terms were accepted then). */
static int apply(struct arena *a, const struct source_input *in, struct scrape_source *src, int was_enabled,
		 struct field_errors *errs)
{
	if (in->url && *in->url) {
		const char *target = NULL;
		const struct source_adapter *ad = source_adapter_detect(a, in->url, &target);
		if (!ad || !target)
			return SOURCE_SERVICE_UNKNOWN_URL;
		src->kind = ad->name;
		src->target = target;
	}
	if (in->kind)
		src->kind = in->kind;
	if (in->target)
		src->target = in->target;
	if (in->schedule)
		src->schedule = in->schedule;
	if (in->config)
		src->config = in->config;
	if (in->has_enabled)
		src->enabled = in->enabled;
	if (!src->schedule)
		src->schedule = "";
	if (!src->config || !*src->config)
		src->config = "{}";
	if (in->has_crawl && src->kind && strcmp(src->kind, "jsonld") == 0)
		set_switch(a, src, "crawl", in->crawl);
	if (in->has_render)
		set_switch(a, src, "render", in->render);

	const struct source_adapter *ad = src->kind ? source_adapter_find(src->kind) : NULL;
	if (!src->kind || !*src->kind)
		field_errors_add(errs, "kind", "Choose the kind of source, or paste a careers URL.");
	else if (!ad)
		field_errors_add(errs, "kind", "There is no such kind of source.");
	if (!src->target || !*src->target)
		field_errors_add(errs, "target", ad && ad->target_help ? ad->target_help : "Enter the target.");
	else
		check_text(src->target, "target", TARGET_MAX_LEN, errs);

	if (in->name)
		src->name = in->name;
	if ((!src->name || !*src->name) && ad && src->target && *src->target)
		src->name = default_name(a, src->kind, src->target);
	if (!src->name || !*src->name)
		field_errors_add(errs, "name", "Give the source a name.");
	else {
		const char *p = src->name;
		while (*p && name_char((unsigned char)*p))
			p++;
		if (*p || strlen(src->name) > NAME_MAX_LEN)
			field_errors_add(
			    errs, "name",
			    "Use at most 100 letters, digits, '-', '_' and '.', such as \"acme-greenhouse\".");
	}

	check_text(src->schedule, "schedule", 200, errs);
	if (!field_errors_get(errs, "schedule"))
		check_schedule(a, src, errs);

	if (strlen(src->config) > CONFIG_MAX_LEN) {
		field_errors_add(errs, "config", "Too long: keep the configuration under 16 KB.");
	} else {
		json_t *cfg = json_loads(src->config, JSON_REJECT_DUPLICATES, NULL);
		char why[400];
		if (!json_is_object(cfg)) {
			field_errors_add(errs, "config", "Must be a JSON object, such as {\"delay\": 2}.");
		} else if (in->config && json_object_get(cfg, "managed_by")) {
			field_errors_add(
			    errs, "config",
			    "\"managed_by\" is the sources file's mark on the sources it writes: leave it out.");
		} else if (ad && source_settings_check(a, ad->name, src->config, why, sizeof(why))) {
			/* The key at fault, and the keys this kind of source reads. */
			char *msg = arena_printf(a, "%s.", why);
			field_errors_add(errs, "config", msg ? msg : "Holds a key this kind of source does not read.");
		}
		json_decref(cfg);
	}

	/* Turning on a source whose terms forbid scraping is the
	 * administrator's decision, made knowingly each time it is turned on. */
	if (ad && ad->off_by_default && src->enabled && !was_enabled && !in->acknowledge_terms) {
		char *msg = arena_printf(a, "%s To enable it, confirm that you accept its terms (acknowledge_terms).",
					 ad->terms ? ad->terms : "This source's terms do not allow scraping.");
		field_errors_add(errs, "acknowledge_terms", msg ? msg : "Confirm that you accept its terms.");
	}
	return errs->n ? SOURCE_SERVICE_INVALID : SOURCE_SERVICE_OK;
}

static void written(const struct source_service *svc, int64_t id)
{
	if (svc->scheduler)
		scrape_scheduler_reload(svc->scheduler, id);
}

int source_service_create(const struct source_service *svc, struct arena *a, const struct source_input *in, int64_t now,
			  struct scrape_source *out, struct field_errors *errs)
{
	memset(out, 0, sizeof(*out));
	struct source_input with = *in;
	if (!with.has_enabled) {
		with.has_enabled = 1;
		with.enabled = 1;
	}
	int rc = apply(a, &with, out, 0, errs);
	if (rc)
		return rc;
	rc = store_source_insert(svc->store, out, now);
	if (rc == STORE_CONFLICT)
		return SOURCE_SERVICE_NAME_TAKEN;
	if (rc == 0)
		written(svc, out->id);
	return rc;
}

int source_service_update(const struct source_service *svc, struct arena *a, int64_t id, int64_t expected_version,
			  const struct source_input *in, int64_t now, struct scrape_source *out,
			  struct field_errors *errs)
{
	int rc = store_source_get(svc->store, id, a, out);
	if (rc)
		return rc;
	if (source_service_managed(out))
		return SOURCE_SERVICE_MANAGED;
	if (expected_version && expected_version != out->version)
		return STORE_STALE;
	rc = apply(a, in, out, out->enabled, errs);
	if (rc)
		return rc;
	rc = store_source_update(svc->store, out, expected_version ? expected_version : out->version, now);
	if (rc == STORE_CONFLICT)
		return SOURCE_SERVICE_NAME_TAKEN;
	if (rc == STORE_STALE && store_source_get(svc->store, id, a, out) == STORE_NOTFOUND)
		return STORE_NOTFOUND; /* removed meanwhile */
	if (rc == 0)
		written(svc, id);
	return rc;
}

int source_service_delete(const struct source_service *svc, struct arena *a, int64_t id, int64_t expected_version)
{
	struct scrape_source src;
	int rc = store_source_get(svc->store, id, a, &src);
	if (rc)
		return rc;
	if (source_service_managed(&src))
		return SOURCE_SERVICE_MANAGED;
	rc = store_source_delete(svc->store, id, expected_version);
	if (rc == 0)
		written(svc, id);
	return rc;
}

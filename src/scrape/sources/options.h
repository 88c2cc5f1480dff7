/* sources/options — reading an adapter's options (source_config.options_json,
 * a JSON object the admin writes) the same way in every adapter that has
 * some. A missing object means every option takes its default. */
#ifndef JT_SCRAPE_SOURCES_OPTIONS_H
#define JT_SCRAPE_SOURCES_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "scrape/source.h"

struct arena;

/* 0 when options_json is absent or a JSON object; -EINVAL with err filled otherwise. */
int src_options_check(const struct source_config *src, char *err, size_t errlen);
/* A boolean option (true/false, 1/0, "true"/"false"); dflt when absent or unreadable. */
bool src_option_bool(const struct source_config *src, const char *key, bool dflt);
/* A string option, trimmed, copied into the arena; NULL when absent or empty. */
const char *src_option_text(struct arena *a, const struct source_config *src, const char *key);
/* How many pages (or follow-up requests) a run may read: src->max_pages when set, else dflt. */
long src_page_limit(const struct source_config *src, long dflt);

#endif

/* sources/registry — the table of adapters. Adding an adapter: one file in
 * sources/ defining `const struct source_adapter source_<name>`, one line
 * here and one in meson.build. */
#include <errno.h>
#include <string.h>

#include "scrape/source.h"

extern const struct source_adapter source_greenhouse, source_lever, source_ashby, source_recruitee, source_remotive,
    source_remoteok;
extern const struct source_adapter source_smartrecruiters, source_workable, source_personio, source_workday,
    source_hackernews, source_linkedin, source_rss, source_xpath, source_jsonld;

static const struct source_adapter *const adapters[] = {
	&source_greenhouse, &source_lever,           &source_ashby,    &source_recruitee, &source_remotive,
	&source_remoteok,   &source_smartrecruiters, &source_workable, &source_personio,  &source_workday,
	&source_hackernews, &source_linkedin,        &source_rss, /* after the others: its detect takes any URL that ends like a feed */
	&source_xpath,      &source_jsonld, /* last: its detect takes any http(s) page the others do not know */
};

const struct source_adapter *const *source_adapters(size_t *count)
{
	*count = sizeof(adapters) / sizeof(adapters[0]);
	return adapters;
}

const struct source_adapter *source_adapter_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

const struct source_adapter *source_adapter_detect(struct arena *a, const char *url, const char **target)
{
	for (size_t i = 0; url && i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (adapters[i]->detect && adapters[i]->detect(a, url, target) == 0)
			return adapters[i];
	return NULL;
}

int source_run_begin(struct arena *run_arena, const struct source_adapter *ad, struct source_config *src)
{
	src->run_state = NULL;
	if (!ad || !ad->run_state_new)
		return 0;
	src->run_state = ad->run_state_new(run_arena, src);
	return src->run_state ? 0 : -ENOMEM;
}

/* sources/registry — the table of adapters. Adding an adapter: one file in
 * sources/ defining `const struct source_adapter source_<name>`, one line
 * here and one in meson.build. */
#include <string.h>

#include "scrape/source.h"

extern const struct source_adapter source_greenhouse, source_lever, source_ashby, source_recruitee, source_remotive,
    source_remoteok;
extern const struct source_adapter source_smartrecruiters, source_workable, source_personio, source_workday,
    source_hackernews, source_linkedin, source_rss, source_xpath;

static const struct source_adapter *const adapters[] = {
	&source_greenhouse, &source_lever,           &source_ashby,    &source_recruitee, &source_remotive,
	&source_remoteok,   &source_smartrecruiters, &source_workable, &source_personio,  &source_workday,
	&source_hackernews, &source_linkedin,        &source_rss, /* after the others: its detect takes any URL that ends like a feed */
	&source_xpath,
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

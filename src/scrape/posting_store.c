/* posting_store — a stored canonical posting as the normalised posting. */
#include "scrape/posting_store.h"

#include <string.h>

const struct posting_source *posting_store_best_listing(const struct store_posting *sp,
							const struct posting_source *sources, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sources[i].source_rank == sp->source_rank && sources[i].closed_at == 0)
			return &sources[i];
	return n ? &sources[0] : NULL;
}

/* A fixed-size field: copied when it fits, else left unknown (the store
 * only ever holds what ingest wrote from such a field). */
static void copy_fixed(char *dst, size_t size, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len < size)
		memcpy(dst, src ? src : "", len + 1);
}

void posting_from_store(const struct store_posting *sp, const struct posting_source *listing, struct posting *out)
{
	memset(out, 0, sizeof(*out));
	out->title = sp->title;
	out->company = sp->company;
	out->location.raw = sp->location_raw;
	out->location.locality = sp->locality;
	out->location.region = sp->region;
	copy_fixed(out->location.country, sizeof(out->location.country), sp->country);
	(void)workplace_from_name(sp->workplace, &out->workplace);
	out->employment_types = sp->employment_types;
	/* Ingest writes the salary columns only for a stated salary. */
	if (sp->salary_min > 0 || sp->salary_max > 0 || (sp->salary_currency && *sp->salary_currency) ||
	    (sp->salary_period && *sp->salary_period)) {
		out->salary.present = true;
		out->salary.min = sp->salary_min > 0 ? sp->salary_min : 0;
		out->salary.max = sp->salary_max > 0 ? sp->salary_max : 0;
		copy_fixed(out->salary.currency, sizeof(out->salary.currency), sp->salary_currency);
		(void)salary_period_from_name(sp->salary_period, &out->salary.period);
	}
	copy_fixed(out->date_posted, sizeof(out->date_posted), sp->date_posted);
	copy_fixed(out->valid_through, sizeof(out->valid_through), sp->valid_through);
	out->description_html = sp->description_html;
	out->description_text = sp->description_text;
	out->apply_url = sp->apply_url;
	out->url = sp->url;
	if (listing) {
		out->source = listing->source;
		out->external_id = listing->external_id;
	}
}

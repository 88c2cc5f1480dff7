/* A posting (a search result) as a row of the CSV and XLSX exports. */
#include <ctype.h>
#include <string.h>

#include "base/buf.h"
#include "export/rows.h"
#include "scrape/posting.h"

const struct table_column export_posting_columns[EXPORT_POSTING_COLUMNS] = {
	{ "id", TABLE_NUMBER, 8 },
	{ "title", TABLE_TEXT, 30 },
	{ "company", TABLE_TEXT, 22 },
	{ "location", TABLE_TEXT, 20 },
	{ "locality", TABLE_TEXT, 14 },
	{ "region", TABLE_TEXT, 12 },
	{ "country", TABLE_TEXT, 8 },
	{ "workplace", TABLE_TEXT, 10 },
	{ "employment_types", TABLE_TEXT, 16 },
	{ "salary_min", TABLE_NUMBER, 12 },
	{ "salary_max", TABLE_NUMBER, 12 },
	{ "salary_currency", TABLE_TEXT, 8 },
	{ "salary_period", TABLE_TEXT, 8 },
	{ "salary_year_min", TABLE_NUMBER, 12 },
	{ "salary_year_max", TABLE_NUMBER, 12 },
	{ "date_posted", TABLE_DATE, 12 },
	{ "valid_through", TABLE_DATE, 12 },
	{ "url", TABLE_TEXT, 30 },
	{ "apply_url", TABLE_TEXT, 30 },
	{ "first_seen", TABLE_TIME, 20 },
	{ "last_seen", TABLE_TIME, 20 },
	{ "closed_at", TABLE_TIME, 20 },
};

/* Salaries: 0 means "not stated" (scrape/posting.h). */
static struct table_cell amount(double v)
{
	return table_number(v, v != 0);
}

/* "FULL_TIME;PART_TIME" in enum order. */
static const char *types_text(unsigned types, struct arena *a)
{
	char out[128] = "";
	size_t len = 0;
	for (unsigned bit = 0; bit < EMPLOYMENT_TYPE_COUNT; bit++) {
		if (!(types & (1u << bit)))
			continue;
		const char *name = employment_type_name((enum employment_type)(1u << bit));
		size_t n = name ? strlen(name) : 0;
		if (!n || len + n + 2 > sizeof(out))
			continue;
		if (len)
			out[len++] = ';';
		memcpy(out + len, name, n);
		len += n;
		out[len] = 0;
	}
	return arena_strdup(a, out);
}

/* The period as the tracker and its API write it ("year"), not as the
 * postings store it ("YEAR"): both exports then agree. */
static const char *period_text(const char *period, struct arena *a)
{
	if (!period)
		return NULL;
	char *out = arena_strdup(a, period);
	for (char *c = out; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

void export_posting_cells(const struct store_posting *p, struct arena *a, struct table_cell *c)
{
	c[0] = (struct table_cell){ .number = (double)p->id };
	c[1] = table_text(p->title);
	c[2] = table_text(p->company);
	c[3] = table_text(p->location_raw);
	c[4] = table_text(p->locality);
	c[5] = table_text(p->region);
	c[6] = table_text(p->country);
	c[7] = table_text(p->workplace);
	c[8] = table_text(types_text(p->employment_types, a));
	c[9] = amount(p->salary_min);
	c[10] = amount(p->salary_max);
	c[11] = table_text(p->salary_currency);
	c[12] = table_text(period_text(p->salary_period, a));
	c[13] = amount(p->salary_year_min);
	c[14] = amount(p->salary_year_max);
	c[15] = table_text(p->date_posted);
	c[16] = table_text(p->valid_through);
	c[17] = table_text(p->url);
	c[18] = table_text(p->apply_url);
	c[19] = table_time(p->first_seen);
	c[20] = table_time(p->last_seen);
	c[21] = table_time(p->closed_at);
}

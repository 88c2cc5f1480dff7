/* An application as a row of the XLSX export (the CSV export is
 * tracker/csv.c's, which import reads back). */
#include <string.h>

#include "export/rows.h"
#include "tracker/application.h"

const struct table_column export_app_columns[EXPORT_APP_COLUMNS] = {
	{ "company", TABLE_TEXT, 24 },      { "position", TABLE_TEXT, 28 },       { "location", TABLE_TEXT, 18 },
	{ "url", TABLE_TEXT, 30 },          { "source", TABLE_TEXT, 12 },         { "salary_min", TABLE_NUMBER, 12 },
	{ "salary_max", TABLE_NUMBER, 12 }, { "salary_currency", TABLE_TEXT, 8 }, { "salary_period", TABLE_TEXT, 8 },
	{ "status", TABLE_TEXT, 12 },       { "priority", TABLE_NUMBER, 8 },      { "tags", TABLE_TEXT, 18 },
	{ "saved_on", TABLE_DATE, 12 },     { "applied_on", TABLE_DATE, 12 },     { "follow_up_on", TABLE_DATE, 12 },
	{ "notes", TABLE_TEXT, 40 },        { "created_at", TABLE_TIME, 20 },     { "updated_at", TABLE_TIME, 20 },
	{ "id", TABLE_NUMBER, 8 },
};

void export_app_cells(const struct application *app, struct arena *a, struct table_cell *c)
{
	c[0] = table_text(app->company);
	c[1] = table_text(app->position);
	c[2] = table_text(app->location);
	c[3] = table_text(app->url);
	c[4] = table_text(app->source);
	c[5] = table_number((double)app->salary_min, app->has_salary_min);
	c[6] = table_number((double)app->salary_max, app->has_salary_max);
	c[7] = table_text(app->salary_currency);
	c[8] = table_text(app->salary_period);
	c[9] = table_text(app->status);
	c[10] = table_number(app->priority, 1);
	c[11] = table_text(app_tags_joined(app, a));
	c[12] = table_text(app->saved_on);
	c[13] = table_text(app->applied_on);
	c[14] = table_text(app->follow_up_on);
	c[15] = table_text(app->notes);
	c[16] = table_time(app->created_at);
	c[17] = table_time(app->updated_at);
	c[18] = table_number((double)app->id, 1);
}

/* Spreadsheet exports (web/export_io.h): the API's, which the pages' download
 * links (/export.xlsx, /postings/export.csv|xlsx) share. */
#include "web/export_io.h"
#include "web/handlers.h"

/* GET /api/v1/applications.xlsx */
void api_apps_export_xlsx(struct request *req)
{
	export_io_apps(req, TABLE_XLSX);
}

/* GET /api/v1/postings.csv?q=&filters… (those of GET /api/v1/postings) */
void api_postings_export_csv(struct request *req)
{
	export_io_postings(req, TABLE_CSV);
}

/* GET /api/v1/postings.xlsx?q=&filters… */
void api_postings_export_xlsx(struct request *req)
{
	export_io_postings(req, TABLE_XLSX);
}

/* Addresses that only receive forms (POST), read as pages: a person who
 * types or reloads one is sent to the page that has the form, instead of an
 * error about methods. */
#include <string.h>

#include "web/handlers.h"
#include "web/http.h"

static const struct {
	const char *path, *to;
} moved[] = {
	{ "/scans", "/resumes" },         /* scans start from a resume or a posting */
	{ "/import", "/settings#csv" },   /* the CSV import form */
	{ "/export", "/settings#csv" },   /* the downloads: CSV and XLSX */
	{ "/backup", "/settings#backup" } /* download and restore */
};

/* GET /scans, /import, /export, /backup */
void page_moved(struct request *req)
{
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++)
		if (strcmp(req->path, moved[i].path) == 0) {
			resp_redirect(req, moved[i].to);
			return;
		}
	resp_redirect(req, "/board");
}

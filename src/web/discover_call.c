/* discover_call — import options and outcomes over HTTP; see discover_call.h. */
#include "web/discover_call.h"

#include "base/json_out.h"
#include "web/web.h"

struct import_options import_options_of(struct request *req)
{
	return (struct import_options){ .allow_private = req->web->cfg->import_private_addresses != 0 };
}

int import_http_status(const struct import_result *r, const char **code)
{
	static const struct {
		int status;
		const char *code;
	} map[] = {
		[IMPORT_OK] = { 201, NULL },
		[IMPORT_BAD_URL] = { 422, "invalid_url" },
		[IMPORT_PRIVATE] = { 422, "private_address" },
		[IMPORT_ROBOTS] = { 422, "robots_disallowed" },
		[IMPORT_UNREACHABLE] = { 502, "site_unreachable" },
		[IMPORT_NO_POSTING] = { 422, "no_posting" },
		[IMPORT_STORE] = { 503, "store_unavailable" },
		[IMPORT_TOO_MANY] = { 429, "too_many_imports" },
	};
	*code = map[r->status].code;
	if (r->status == IMPORT_OK && !r->app_created)
		return 200;
	if (r->status == IMPORT_STORE && r->rc != STORE_BUSY)
		return 500;
	return map[r->status].status;
}

void import_found_json(struct buf *b, const struct import_result *r)
{
	const struct page_facts *f = &r->facts;
	buf_puts(b, "{\"title\":");
	if (r->have_facts && f->title[0])
		json_out_string(b, f->title);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"json_ld_blocks\":%u,\"json_ld_types\":[", f->jsonld_blocks);
	for (size_t i = 0; i < f->ntypes; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, f->types[i]);
	}
	buf_puts(b, "],\"microdata\":");
	json_out_bool(b, f->microdata);
	buf_puts(b, ",\"html\":");
	json_out_bool(b, f->html);
	buf_printf(b, ",\"postings_found\":%zu,\"adapter\":", r->postings_found);
	json_out_string(b, r->adapter ? r->adapter : "");
	buf_puts(b, ",\"final_url\":");
	if (r->final_url)
		json_out_string(b, r->final_url);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"http_status\":%ld}", r->http_status);
}

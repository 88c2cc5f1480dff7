/* market_query.c — see analytics/market_query.h. */
#include "analytics/market_query.h"

static void add_field(struct buf *q, const char *field, const char *text)
{
	if (!text)
		return;
	buf_printf(q, "%s%s:\"", q->len ? " " : "", field);
	for (const char *c = text; *c; c++)
		buf_putc(q, *c == '"' ? ' ' : *c);
	buf_putc(q, '"');
}

void market_query_text(const char *title, const char *location, struct buf *out)
{
	add_field(out, "title", title);
	add_field(out, "location", location);
}

/* analytics/market_query — a salary question's title and location (what a
 * person typed) as the search language's text (search/query.h), so the
 * search index finds the postings it is about: each one phrase, kept to
 * its field ( title:"…" location:"…" ). A double quote in the text would
 * end the phrase early and let the rest be read as query syntax, so it
 * becomes a space: nothing typed can reach another field or an operator. */
#ifndef JT_ANALYTICS_MARKET_QUERY_H
#define JT_ANALYTICS_MARKET_QUERY_H

#include "base/buf.h"

/* Appends the query text for title and location (either may be NULL) to
 * out. */
void market_query_text(const char *title, const char *location, struct buf *out);

#endif

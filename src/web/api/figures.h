/* api/figures — the dashboard's figures as the API writes them, for the
 * dashboard page too: its tables are rendered from the very JSON the
 * endpoints answer (so a table and its chart cannot disagree), and a page
 * rendered leaves every body in the response cache for its charts'
 * requests. */
#ifndef JT_WEB_API_FIGURES_H
#define JT_WEB_API_FIGURES_H

#include "base/buf.h"
#include "web/http.h"

/* funnel, responses, activity, pipeline: /api/v1/analytics/NAME */
#define ANALYTICS_FIGURES 4
extern const char *const analytics_figure_names[ANALYTICS_FIGURES];
/* The four bodies of the signed-in user into out[] (initialised by the
 * caller); 0 or a store error (resp_store_error's). */
int api_analytics_json(struct request *req, long ghost_days, struct buf out[ANALYTICS_FIGURES]);

/* skills, salary, sources, daily, remote: /api/v1/analytics/market/NAME */
#define MARKET_FIGURES 5
extern const char *const market_figure_names[MARKET_FIGURES];
/* The five bodies into out[], with the parameters of the request's query
 * string (weeks, top, days, bins, title, location: the endpoints' own).
 * 0; -EINVAL with *field and *message for a bad parameter (or a title or
 * location that cannot be searched for); -EAGAIN while the postings are
 * still being read; -ENOMEM. */
int api_market_json(struct request *req, struct buf out[MARKET_FIGURES], const char **field, const char **message);

#endif

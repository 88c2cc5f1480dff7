/* view — rendering pages: the shared frame's data and the compiled templates. */
#ifndef JT_WEB_VIEW_H
#define JT_WEB_VIEW_H

#include <jansson.h>

#include "web/http.h"

struct tpl_set;

/* Compiles every embedded template (templates/NAME.mustache becomes NAME). */
int templates_load(struct tpl_set **out, char *err, size_t errlen);
void templates_free(struct tpl_set *set);
/* Pages render with web->tpl when the caller compiled it (tests), else with
 * a set view_render compiles on the first page; web_stop frees that one. */
void templates_unload(void);

/* The browser's UTC offset in minutes east (app.js keeps it in the jt_tzo
 * cookie), so "today" and "overdue" follow the person's calendar; 0 (UTC)
 * when unknown or implausible. */
int view_tz_offset(struct request *req);

/* Renders template tpl as the whole response. Adds what every page needs
 * (title, user, csrf, asset URLs, a pending flash message) to ctx, which it
 * takes ownership of (NULL means an empty object). */
void view_render(struct request *req, int status, const char *tpl, const char *title, json_t *ctx);

#endif

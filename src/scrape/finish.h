/* finish — the one step every posting passes between an adapter and the
 * bus, so that no adapter can forget a rule: the description is unescaped
 * when the source escaped it, sanitised by the allowlist (scrape/sanitize.h)
 * and turned into plain text; single-line fields (title, company, location
 * parts) lose markup entities, control characters and runs of spaces and are
 * cut at sane lengths; URLs are checked (http/https only) and the apply link
 * falls back to the posting's page; a salary with a negative amount or an
 * unknown currency code is dropped and min/max put in order; impossible
 * dates are cleared. A posting with no title or no identity is refused. */
#ifndef JT_SCRAPE_FINISH_H
#define JT_SCRAPE_FINISH_H

#include <stddef.h>

#include "scrape/posting.h"

struct arena;

#define FINISH_TITLE_MAX 300
#define FINISH_LINE_MAX  200

/* Cleans *p in place (new strings in the arena). 0; -EINVAL when the
 * posting cannot be kept (no title; no external id and no URL to stand for
 * one), with the reason in why; -ENOMEM. */
int posting_finish(struct arena *a, struct posting *p, char *why, size_t whylen);

/* A single-line field as finish cleans it: entities decoded once, controls
 * and line breaks turned into spaces, spaces collapsed, trimmed, cut at max
 * bytes on a character boundary. NULL for NULL or nothing left. */
const char *finish_line(struct arena *a, const char *s, size_t max);

#endif

/* template — a Mustache renderer (the spec's required modules; no lambdas).
 *
 * Templates are compiled once into a flat node array and stored by name in a
 * tpl_set. Rendering only reads the set, so any number of threads may render
 * from the same set at once; adding, replacing or freeing templates needs
 * exclusive access (do it at start-up, before serving).
 *
 * Semantics, as the Mustache spec defines them:
 *  - {{name}} HTML-escapes (& < > " ' become entities, see buf_put_html);
 *    {{{name}}} and {{&name}} insert the value raw.
 *  - Names resolve by walking the context stack from the innermost section
 *    outwards; "a.b.c" resolves "a" that way and then "b" and "c" only inside
 *    the result; "." is the innermost context itself.
 *  - Falsy values: missing, null, false and the empty array. Everything else,
 *    including "" and 0, is truthy (the JSON reading of the spec's `!!data`).
 *  - Strings print as they are, integers in decimal, reals in the shortest
 *    form that reads back to the same double (1.21 prints as "1.21"),
 *    true/false as "true"/"false"; null, objects and arrays print nothing.
 *  - A section over a non-empty array renders once per element with the
 *    element pushed; over any other truthy value it renders once with the
 *    value pushed. Inverted sections render when the value is falsy.
 *  - {{> name}} renders the partial `name` from the same set with the current
 *    context; a missing partial renders as nothing. A standalone partial tag
 *    indents every line of the partial by the whitespace in front of it.
 *  - {{! comments }}, {{=<% %>=}} delimiter changes and the standalone-line
 *    rule (a line holding only a section, inverted, close, comment, partial or
 *    delimiter tag plus whitespace disappears from the output) all work.
 *
 * Limits: a template nests sections at most TPL_MAX_NESTING deep (deeper is a
 * compile error). Partials nest at most TPL_MAX_PARTIAL_DEPTH deep and one
 * render expands at most TPL_MAX_PARTIAL_CALLS partials; beyond either limit a
 * partial tag renders as nothing, so a recursive partial can't hang or blow
 * the stack (the output is then truncated at that point, without an error).
 */
#ifndef JT_WEB_TEMPLATE_H
#define JT_WEB_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"

#define TPL_MAX_NESTING       64
#define TPL_MAX_PARTIAL_DEPTH 32
#define TPL_MAX_PARTIAL_CALLS 100000

/* A named collection of compiled templates; partials resolve by name inside the set. */
struct tpl_set;

/* Returns an empty set (free it with tpl_set_free), or NULL when out of memory. */
struct tpl_set *tpl_set_new(void);

/* Frees the set and every template in it. NULL is a no-op. */
void tpl_set_free(struct tpl_set *set);

/* Compiles src (len bytes, need not be NUL-terminated) and stores it under
 * name, replacing an earlier template of that name. The set keeps its own
 * copies of name and src; the caller keeps ownership of both.
 * Returns 0; -EINVAL on a syntax error (unclosed section, mismatched close
 * tag, unclosed tag, empty or malformed tag name, bad delimiter change,
 * sections nested too deeply) or a NULL set/name; -ENOMEM.
 * On -EINVAL a message naming the template and the line is written into err
 * (errlen bytes, always NUL-terminated when errlen > 0; err may be NULL when
 * errlen is 0). On any error the set is left as it was. */
int tpl_set_add(struct tpl_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen);

/* Returns 1 if the set holds a template called name, else 0. */
int tpl_set_has(const struct tpl_set *set, const char *name);

/* Renders template `name` with ctx (any JSON value; NULL means an empty
 * context) and appends the result to out. The caller owns out and ctx.
 * Returns 0, -ENOENT if there is no such template, or buf's error
 * (-E2BIG when out's bound was reached, -ENOMEM); after an error out holds a
 * truncated rendering. */
int tpl_render(const struct tpl_set *set, const char *name, const json_t *ctx, struct buf *out);

/* Compiles src once, renders it like tpl_render (partials come from
 * `partials`, which may be NULL) and throws the compiled form away.
 * Returns 0, -EINVAL on a syntax error (message in err as for tpl_set_add),
 * -ENOMEM, or buf's error. */
int tpl_render_string(const struct tpl_set *partials, const char *src, size_t len, const json_t *ctx, struct buf *out,
		      char *err, size_t errlen);

#endif

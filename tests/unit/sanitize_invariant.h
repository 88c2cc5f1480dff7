/* sanitize_invariant — a second opinion on sanitize_html's output, shared
 * by test_sanitize and the fuzz harness: the output is checked twice,
 * written independently of the sanitiser's own tables.
 *  1. Lexically, as a browser's tokenizer would meet it: every "<" opens an
 *     allowed start or end tag, attributes are the allowed ones, quoted,
 *     with no raw "<", ">" or quote inside; every "&" starts one of the
 *     five escapes we write; no ">" outside a tag.
 *  2. Parsed again with libxml2: no element outside the allowlist, no
 *     attribute but a[href] (a URL sanitize_url keeps as it is), a[rel] with
 *     our value, and th/td colspan/rowspan of 1–1000; no comment or other
 *     node.
 * Both outputs must also be valid UTF-8. */
#ifndef JT_TESTS_SANITIZE_INVARIANT_H
#define JT_TESTS_SANITIZE_INVARIANT_H

#include <stddef.h>

/* 0 when html[0..len) keeps the invariant; otherwise -1 with the reason in
 * why (NUL-terminated, cut to why_cap). */
int sanitize_invariant(const char *html, size_t len, char *why, size_t why_cap);

#endif

/* text — small string checks used at every input boundary. */
#ifndef JT_BASE_TEXT_H
#define JT_BASE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or NUL bytes). */
int text_utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t text_utf8_len(const char *s, size_t len);
/* 1 when s holds a control character: C0 (U+0000–U+001F) or DEL. */
int text_has_control(const char *s);
/* Parses a whole decimal integer in [min,max]; 0 on success, -1 otherwise. */
int text_parse_long(const char *s, long min, long max, long *out);
/* 1 for a plausible e-mail address: one @, a dot in the domain, no spaces, ≤ 254 bytes. */
int text_email_plausible(const char *s);
/* 1 for an absolute http(s) URL without spaces or control characters. */
int text_http_url(const char *s);
/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 to
 * out (room for 4 bytes); returns the bytes written. */
size_t text_utf8_put(uint32_t cp, char *out);
/* The value of one hexadecimal digit (either case), or -1. */
int text_hex_digit(unsigned char c);

#endif

/* length_check — the Content-Length values of a request head as it arrived
 * on the socket, judged before libmicrohttpd reads them. MHD 0.9.75 answers
 * a value it cannot read ("4, 5", "abc", "-1", one that overflows) itself and
 * writes the head of that answer twice, so a client or proxy could take the
 * second copy for the answer to the next request; server.c answers these
 * once instead, then closes the connection. */
#ifndef JT_WEB_LENGTH_CHECK_H
#define JT_WEB_LENGTH_CHECK_H

#include <stddef.h>

/* What `data` (the first n bytes received, not NUL-terminated) needs: 0 when
 * its head is incomplete or every Content-Length is a plain number of bytes
 * (MHD and the handlers judge the rest); 400 when one is not a number; 413
 * when one has more digits than any body we read could need (18). */
int length_check_head(const char *data, size_t n);

#endif

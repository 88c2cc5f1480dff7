/* http_fixture — a small HTTP/1.1 server on loopback ports, in threads of
 * the test process, whose handler writes raw bytes: so a test can answer
 * well, slowly, wrongly (two Content-Lengths, a body shorter than declared,
 * a reset) or endlessly, and count what the client did (connections at
 * once, arrival times, bytes it accepted).
 *
 * One thread per connection; connections are kept alive between requests
 * unless the handler or the client closes them. */
#ifndef JT_TESTS_HTTP_FIXTURE_H
#define JT_TESTS_HTTP_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hf_server;
struct hf_conn;

struct hf_request {
	int port_index;         /* which of the server's ports it came to */
	char method[16];
	char target[1024];      /* as sent: "/path?x=1", or an absolute URL through a proxy */
	char headers[8192];     /* the header lines as sent, CRLF-separated */
	char *body;             /* NUL-terminated; body_len bytes */
	size_t body_len;
	int64_t arrived_ms;     /* CLOCK_MONOTONIC */
};

typedef void hf_handler(struct hf_conn *c, const struct hf_request *req, void *ctx);

/* Starts listening on n_ports loopback ports (127.0.0.1, ports the kernel
 * picks). NULL on failure. */
struct hf_server *hf_start(int n_ports, hf_handler *handler, void *ctx);
int hf_port(const struct hf_server *s, int index);
/* Closes every connection and waits for their threads. */
void hf_stop(struct hf_server *s);

/* ---- inside a handler ---- */

/* Writes raw bytes; -1 once the client is gone. */
int hf_write(struct hf_conn *c, const void *data, size_t len);
int hf_printf(struct hf_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A complete response with Content-Length; extra_headers is "" or lines each ending in CRLF. */
int hf_respond(struct hf_conn *c, int status, const char *extra_headers, const void *body, size_t len);
/* The connection closes after this handler returns (with reset: an RST, not a FIN). */
void hf_close_after(struct hf_conn *c, bool reset);
/* The value of a request header (case-insensitive name) into out; false when absent. */
bool hf_header(const struct hf_request *req, const char *name, char *out, size_t outlen);
/* An integer query parameter of target ("?ms=80&n=2"); dflt when absent. */
long hf_query_long(const struct hf_request *req, const char *name, long dflt);
/* true while the server runs: endless handlers loop on it. */
bool hf_running(const struct hf_conn *c);
/* true once the client has closed its end (a handler that holds a request
 * stops early, so the next test's counters see no leftover). */
bool hf_client_gone(struct hf_conn *c);
/* Sleeps ms in small steps; false when the client left or the server stops. */
bool hf_hold(struct hf_conn *c, long ms);

/* ---- counters, for the test to read ---- */
struct hf_counters {
	unsigned long requests;   /* requests read */
	unsigned long connections; /* connections accepted */
	/* Requests received and not yet answered (the answer's first byte ends
	 * one), at the peak, over all ports and per port. */
	unsigned max_in_flight;
	unsigned max_in_flight_port[8];
	unsigned long long bytes_sent;
};
void hf_counters(struct hf_server *s, struct hf_counters *out);
/* Zeroes the counters and the arrival log. */
void hf_reset(struct hf_server *s);
/* Copies up to max arrival times (ms, monotonic) of requests whose target
 * starts with prefix; returns how many there were. */
size_t hf_arrivals(struct hf_server *s, const char *prefix, int64_t *out, size_t max);

int64_t hf_now_ms(void);

#endif

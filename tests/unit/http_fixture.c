/* http_fixture — the loopback test server; see http_fixture.h. */
#include "http_fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS    8
#define MAX_CONNS    256
#define MAX_ARRIVALS 4096
#define HEAD_MAX     (sizeof(((struct hf_request *)0)->headers) + 1200)
#define BODY_MAX     (1 << 20)

struct arrival {
	int64_t ms;
	char target[64];
};

struct hf_conn {
	struct hf_server *s;
	int fd;
	int port_index;
	bool close_after, reset;
	bool answering; /* a request is counted in flight until its answer starts */
	struct hf_request *req;
	char pending[HEAD_MAX]; /* bytes read past the previous request */
	size_t n_pending;
};

struct hf_server {
	hf_handler *handler;
	void *ctx;
	int n_ports;
	int listen_fd[MAX_PORTS];
	int port[MAX_PORTS];
	pthread_t acceptor;
	atomic_bool stop;

	pthread_mutex_t mu;
	pthread_cond_t idle;
	int conn_fds[MAX_CONNS];
	unsigned live; /* connection threads running */
	unsigned in_flight, in_flight_port[MAX_PORTS];
	struct hf_counters counters;
	struct arrival arrivals[MAX_ARRIVALS];
	size_t n_arrivals;
};

int64_t hf_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hf_port(const struct hf_server *s, int index)
{
	return s->port[index];
}

bool hf_running(const struct hf_conn *c)
{
	return !atomic_load(&c->s->stop);
}

bool hf_client_gone(struct hf_conn *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN | POLLRDHUP };
	if (poll(&p, 1, 0) <= 0)
		return false;
	if (p.revents & (POLLRDHUP | POLLHUP | POLLERR))
		return true;
	char b;
	return recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

bool hf_hold(struct hf_conn *c, long ms)
{
	int64_t until = hf_now_ms() + ms;
	while (hf_now_ms() < until) {
		if (!hf_running(c) || hf_client_gone(c))
			return false;
		struct timespec step = { 0, 5 * 1000000 };
		nanosleep(&step, NULL);
	}
	return true;
}

static void count_request(struct hf_server *s, const struct hf_request *req, int delta);

int hf_write(struct hf_conn *c, const void *data, size_t len)
{
	if (c->answering) { /* the client may send its next request as soon as it reads this */
		c->answering = false;
		count_request(c->s, c->req, -1);
	}
	const char *p = data;
	while (len) {
		ssize_t w = send(c->fd, p, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		pthread_mutex_lock(&c->s->mu);
		c->s->counters.bytes_sent += (unsigned long long)w;
		pthread_mutex_unlock(&c->s->mu);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int hf_printf(struct hf_conn *c, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	return hf_write(c, line, (size_t)n);
}

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Status";
	}
}

int hf_respond(struct hf_conn *c, int status, const char *extra_headers, const void *body, size_t len)
{
	if (hf_printf(c, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s\r\n", status, reason(status), len,
		      extra_headers ? extra_headers : "") < 0)
		return -1;
	return len ? hf_write(c, body, len) : 0;
}

void hf_close_after(struct hf_conn *c, bool reset)
{
	c->close_after = true;
	c->reset = reset;
}

bool hf_header(const struct hf_request *req, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *line = req->headers; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = len - (size_t)(v - line);
			if (vl >= outlen)
				vl = outlen - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return true;
		}
		if (!end)
			break;
		line = end + 2;
	}
	return false;
}

long hf_query_long(const struct hf_request *req, const char *name, long dflt)
{
	const char *q = strchr(req->target, '?');
	size_t nl = strlen(name);
	while (q) {
		q++;
		if (strncmp(q, name, nl) == 0 && q[nl] == '=')
			return strtol(q + nl + 1, NULL, 10);
		q = strchr(q, '&');
	}
	return dflt;
}

/* Reads one request head (and body) from c. 0, or -1 when the connection ended. */

/* "METHOD TARGET HTTP/1.1" into its first two words, each bounded by its buffer. */
static int split_request_line(const char *line, char *method, size_t msize, char *target, size_t tsize)
{
	const char *sp = strchr(line, ' ');
	if (!sp || (size_t)(sp - line) >= msize || sp == line)
		return -1;
	memcpy(method, line, (size_t)(sp - line));
	method[sp - line] = '\0';
	const char *t = sp + 1, *te = strchr(t, ' ');
	size_t tl = te ? (size_t)(te - t) : strlen(t);
	if (tl == 0 || tl >= tsize)
		return -1;
	memcpy(target, t, tl);
	target[tl] = '\0';
	return 0;
}

static int read_request(struct hf_conn *c, struct hf_request *req)
{
	char head[HEAD_MAX + 1];
	size_t n = c->n_pending;
	memcpy(head, c->pending, n);
	char *end;
	for (;;) {
		head[n] = '\0';
		if ((end = strstr(head, "\r\n\r\n")))
			break;
		if (n == HEAD_MAX)
			return -1;
		ssize_t r = recv(c->fd, head + n, HEAD_MAX - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n += (size_t)r;
	}
	req->arrived_ms = hf_now_ms();
	size_t head_len = (size_t)(end - head) + 4;
	char *line_end = strstr(head, "\r\n");
	*line_end = '\0';
	if (split_request_line(head, req->method, sizeof(req->method), req->target, sizeof(req->target)) != 0)
		return -1;
	size_t hl = head_len - (size_t)(line_end + 2 - head) - 2;
	if (hl >= sizeof(req->headers))
		hl = sizeof(req->headers) - 1;
	memcpy(req->headers, line_end + 2, hl);
	req->headers[hl] = '\0';

	char cl[32];
	size_t body_len = hf_header(req, "Content-Length", cl, sizeof(cl)) ? strtoul(cl, NULL, 10) : 0;
	if (body_len > BODY_MAX)
		return -1;
	req->body = malloc(body_len + 1);
	if (!req->body)
		return -1;
	size_t have = n - head_len;
	if (have > body_len)
		have = body_len;
	memcpy(req->body, head + head_len, have);
	size_t from_head = have;
	while (have < body_len) {
		ssize_t r = recv(c->fd, req->body + have, body_len - have, 0);
		if (r <= 0) {
			free(req->body);
			return -1;
		}
		have += (size_t)r;
	}
	req->body[body_len] = '\0';
	req->body_len = body_len;
	/* Pipelined bytes after this request wait for the next read. */
	size_t extra = n - head_len - from_head;
	memmove(c->pending, head + head_len + from_head, extra);
	c->n_pending = extra;
	return 0;
}

static void count_request(struct hf_server *s, const struct hf_request *req, int delta)
{
	pthread_mutex_lock(&s->mu);
	if (delta > 0) {
		s->counters.requests++;
		s->in_flight++;
		s->in_flight_port[req->port_index]++;
		if (s->in_flight > s->counters.max_in_flight)
			s->counters.max_in_flight = s->in_flight;
		if (s->in_flight_port[req->port_index] > s->counters.max_in_flight_port[req->port_index])
			s->counters.max_in_flight_port[req->port_index] = s->in_flight_port[req->port_index];
		if (s->n_arrivals < MAX_ARRIVALS) {
			struct arrival *a = &s->arrivals[s->n_arrivals++];
			a->ms = req->arrived_ms;
			snprintf(a->target, sizeof(a->target), "%.63s", req->target);
		}
	} else {
		s->in_flight--;
		s->in_flight_port[req->port_index]--;
	}
	pthread_mutex_unlock(&s->mu);
}

static void *serve_connection(void *arg)
{
	struct hf_conn *c = arg;
	struct hf_server *s = c->s;
	while (!atomic_load(&s->stop) && !c->close_after) {
		struct hf_request req;
		memset(&req, 0, sizeof(req));
		req.port_index = c->port_index;
		if (read_request(c, &req) < 0)
			break;
		count_request(s, &req, 1);
		c->answering = true;
		c->req = &req;
		s->handler(c, &req, s->ctx);
		if (c->answering)
			count_request(s, &req, -1);
		c->answering = false;
		char conn[32];
		if (hf_header(&req, "Connection", conn, sizeof(conn)) && strcasecmp(conn, "close") == 0)
			c->close_after = true;
		free(req.body);
	}
	if (c->reset) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conn_fds[i] == c->fd)
			s->conn_fds[i] = -1;
	close(c->fd);
	s->live--;
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->mu);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct hf_server *s = arg;
	struct pollfd pfd[MAX_PORTS];
	for (int i = 0; i < s->n_ports; i++)
		pfd[i] = (struct pollfd){ .fd = s->listen_fd[i], .events = POLLIN };
	while (!atomic_load(&s->stop)) {
		if (poll(pfd, (nfds_t)s->n_ports, 50) <= 0)
			continue;
		for (int i = 0; i < s->n_ports; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			int fd = accept(s->listen_fd[i], NULL, NULL);
			if (fd < 0)
				continue;
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			struct hf_conn *c = calloc(1, sizeof(*c));
			pthread_mutex_lock(&s->mu);
			int slot = -1;
			for (int k = 0; k < MAX_CONNS && slot < 0; k++)
				if (s->conn_fds[k] < 0)
					slot = k;
			pthread_t t;
			if (!c || slot < 0) {
				pthread_mutex_unlock(&s->mu);
				free(c);
				close(fd);
				continue;
			}
			s->conn_fds[slot] = fd;
			s->live++;
			s->counters.connections++;
			pthread_mutex_unlock(&s->mu);
			c->s = s;
			c->fd = fd;
			c->port_index = i;
			if (pthread_create(&t, NULL, serve_connection, c) != 0) {
				pthread_mutex_lock(&s->mu);
				s->conn_fds[slot] = -1;
				s->live--;
				pthread_mutex_unlock(&s->mu);
				close(fd);
				free(c);
				continue;
			}
			pthread_detach(t);
		}
	}
	return NULL;
}

struct hf_server *hf_start(int n_ports, hf_handler *handler, void *ctx)
{
	if (n_ports < 1 || n_ports > MAX_PORTS)
		return NULL;
	struct hf_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->handler = handler;
	s->ctx = ctx;
	s->n_ports = n_ports;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->idle, NULL);
	for (int i = 0; i < MAX_CONNS; i++)
		s->conn_fds[i] = -1;
	for (int i = 0; i < n_ports; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t al = sizeof(a);
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 128) < 0 ||
		    getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
			if (fd >= 0)
				close(fd);
			for (int k = 0; k < i; k++)
				close(s->listen_fd[k]);
			free(s);
			return NULL;
		}
		s->listen_fd[i] = fd;
		s->port[i] = ntohs(a.sin_port);
	}
	if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
		for (int k = 0; k < n_ports; k++)
			close(s->listen_fd[k]);
		free(s);
		return NULL;
	}
	return s;
}

void hf_stop(struct hf_server *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->acceptor, NULL);
	for (int i = 0; i < s->n_ports; i++)
		close(s->listen_fd[i]);
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conn_fds[i] >= 0)
			shutdown(s->conn_fds[i], SHUT_RDWR); /* wakes threads blocked in recv */
	while (s->live)
		pthread_cond_wait(&s->idle, &s->mu);
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->idle);
	free(s);
}

void hf_counters(struct hf_server *s, struct hf_counters *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->counters;
	pthread_mutex_unlock(&s->mu);
}

void hf_reset(struct hf_server *s)
{
	pthread_mutex_lock(&s->mu);
	memset(&s->counters, 0, sizeof(s->counters));
	s->n_arrivals = 0;
	pthread_mutex_unlock(&s->mu);
}

size_t hf_arrivals(struct hf_server *s, const char *prefix, int64_t *out, size_t max)
{
	size_t n = 0;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n_arrivals; i++)
		if (strncmp(s->arrivals[i].target, prefix, strlen(prefix)) == 0) {
			if (n < max)
				out[n] = s->arrivals[i].ms;
			n++;
		}
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* fixture_site — see fixture_site.h. */
#include "fixture_site.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_fixture.h"

#define LOG_MAX 256

struct fixture_site {
	struct hf_server *hf;
	const char *dir;
	const struct fixture_route *routes;
	size_t n_routes;
	char base[64];
	pthread_mutex_t lock;
	char log[LOG_MAX][1024]; /* as long as hf_request.target */
	int routed[LOG_MAX];
	size_t n_log;
};

static const char *content_type(const char *file)
{
	static const struct {
		const char *ext, *type;
	} types[] = { { ".json", "application/json" },
		      { ".html", "text/html; charset=utf-8" },
		      { ".rss", "application/rss+xml" },
		      { ".atom", "application/atom+xml" },
		      { ".xml", "application/xml" } };
	const char *dot = file ? strrchr(file, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

char *fixture_read(const char *dir, const char *file, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1)) != NULL) {
		if (fread(data, 1, (size_t)n, f) == (size_t)n) {
			data[n] = '\0';
			*len = (size_t)n;
		} else {
			free(data);
			data = NULL;
		}
	}
	fclose(f);
	return data;
}

static const struct fixture_route *route_for(const struct fixture_site *s, const struct hf_request *req)
{
	for (size_t i = 0; i < s->n_routes; i++) {
		const struct fixture_route *r = &s->routes[i];
		if (strcmp(r->target, req->target) == 0 &&
		    (!r->body_has || (req->body && strstr(req->body, r->body_has))))
			return r;
	}
	return NULL;
}

static void handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	struct fixture_site *s = ctx;
	const struct fixture_route *r = route_for(s, req);
	bool robots = !r && strcmp(req->target, "/robots.txt") == 0;
	pthread_mutex_lock(&s->lock);
	if (s->n_log < LOG_MAX) {
		snprintf(s->log[s->n_log], sizeof(s->log[0]), "%s", req->target);
		s->routed[s->n_log++] = r || robots;
	}
	pthread_mutex_unlock(&s->lock);
	if (robots) {
		static const char allow[] = "User-agent: *\nAllow: /\n";
		hf_respond(c, 200, "Content-Type: text/plain\r\n", allow, sizeof(allow) - 1);
		return;
	}
	if (!r) {
		hf_respond(c, 404, "Content-Type: text/plain\r\n", "no fixture", 10);
		return;
	}
	size_t len = r->body ? strlen(r->body) : 0;
	char *data = r->file ? fixture_read(s->dir, r->file, &len) : NULL;
	if (r->file && !data) {
		fprintf(stderr, "fixture_site: cannot read %s/%s\n", s->dir, r->file);
		hf_respond(c, 500, "", "", 0);
		return;
	}
	char headers[128];
	snprintf(headers, sizeof(headers), "Content-Type: %s\r\n", content_type(r->file ? r->file : ".json"));
	hf_respond(c, r->status ? r->status : 200, headers, data ? data : r->body, len);
	free(data);
}

struct fixture_site *fixture_site_start(const char *dir, const struct fixture_route *routes, size_t n)
{
	struct fixture_site *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->dir = dir;
	s->routes = routes;
	s->n_routes = n;
	pthread_mutex_init(&s->lock, NULL);
	s->hf = hf_start(1, handler, s);
	if (!s->hf) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d", hf_port(s->hf, 0));
	return s;
}

const char *fixture_site_base(const struct fixture_site *s)
{
	return s->base;
}

size_t fixture_site_hits(struct fixture_site *s, const char *prefix)
{
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n_log; i++)
		n += strncmp(s->log[i], prefix, strlen(prefix)) == 0;
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t fixture_site_unrouted(struct fixture_site *s)
{
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n_log; i++)
		if (!s->routed[i]) {
			fprintf(stderr, "fixture_site: no route for %s\n", s->log[i]);
			n++;
		}
	pthread_mutex_unlock(&s->lock);
	return n;
}

void fixture_site_stop(struct fixture_site *s)
{
	if (!s)
		return;
	hf_stop(s->hf);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

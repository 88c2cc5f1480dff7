#include "web/server_timing.h"

#include <stdio.h>

static void now(struct timespec *wall, struct timespec *cpu)
{
	clock_gettime(CLOCK_MONOTONIC, wall);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, cpu);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

void server_timing_start(struct server_timing *t)
{
	t->n = 0;
	now(&t->wall, &t->cpu);
}

void server_timing_mark(struct server_timing *t, const char *name)
{
	struct timespec wall, cpu;
	now(&wall, &cpu);
	if (t->n < SERVER_TIMING_PHASES) {
		t->phase[t->n].name = name;
		t->phase[t->n].wall_ms = ms_between(&t->wall, &wall);
		t->phase[t->n].cpu_ms = ms_between(&t->cpu, &cpu);
		t->n++;
	}
	t->wall = wall;
	t->cpu = cpu;
}

void server_timing_header(struct request *req, const struct server_timing *t)
{
	char v[512];
	size_t len = 0;
	double wall = 0, cpu = 0;
	for (int i = 0; i < t->n && len < sizeof(v); i++) {
		wall += t->phase[i].wall_ms;
		cpu += t->phase[i].cpu_ms;
		len += (size_t)snprintf(v + len, sizeof(v) - len, "%s;dur=%.3f, %s-cpu;dur=%.3f, ", t->phase[i].name,
					t->phase[i].wall_ms, t->phase[i].name, t->phase[i].cpu_ms);
	}
	if (len < sizeof(v))
		snprintf(v + len, sizeof(v) - len, "total;dur=%.3f, total-cpu;dur=%.3f", wall, cpu);
	resp_header(req, "Server-Timing", v);
}

/* scan/matcher_lazy — compiling the taxonomy on first use (see matcher.h):
 * an idle server keeps neither the parsed taxonomy nor its automata. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/matcher.h"

struct matcher_lazy {
	struct scan_matcher *m; /* the matcher it compiles into */
	matcher_load_fn load;
	void *ctx;
	pthread_mutex_t mu; /* one compile; the others wait */
	atomic_int state;   /* 0 not yet, 1 ready, -1 failed (err says why) */
	char err[512];
	atomic_bool preparing; /* matcher_prepare's thread started (joined by free) */
	pthread_t thread;
};

int matcher_build_lazy(struct scan_matcher *m, matcher_load_fn load, void *ctx)
{
	memset(m, 0, sizeof(*m));
	struct matcher_lazy *z = calloc(1, sizeof(*z));
	if (!z)
		return -1;
	z->m = m;
	z->load = load;
	z->ctx = ctx;
	pthread_mutex_init(&z->mu, NULL);
	m->lazy = z;
	return 0;
}

int matcher_built(const struct scan_matcher *m)
{
	return !m->lazy || atomic_load_explicit(&m->lazy->state, memory_order_acquire) == 1;
}

static void compile(struct matcher_lazy *z)
{
	const struct taxonomy *tax = NULL;
	struct scan_matcher built;
	int rc = z->load(z->ctx, &tax, z->err, sizeof(z->err));
	if (rc == 0)
		rc = matcher_build(&built, tax, z->err, sizeof(z->err));
	if (rc == 0) { /* every field but lazy, which other threads read meanwhile */
		struct scan_matcher *m = z->m;
		m->tax = built.tax;
		m->vocab = built.vocab;
		m->skills = built.skills;
		m->titles = built.titles;
		m->seniority = built.seniority;
		m->education = built.education;
		memcpy(m->version, built.version, sizeof(m->version));
	}
	atomic_store_explicit(&z->state, rc == 0 ? 1 : -1, memory_order_release);
}

int matcher_ready(const struct scan_matcher *m, char *err, size_t errlen)
{
	struct matcher_lazy *z = m->lazy;
	if (!z)
		return 0;
	int state = atomic_load_explicit(&z->state, memory_order_acquire);
	if (state == 0) {
		pthread_mutex_lock(&z->mu);
		if (atomic_load_explicit(&z->state, memory_order_relaxed) == 0)
			compile(z);
		pthread_mutex_unlock(&z->mu);
		state = atomic_load_explicit(&z->state, memory_order_acquire);
	}
	if (state == 1)
		return 0;
	snprintf(err, errlen, "%s", z->err);
	return -1;
}

static void *prepare_thread(void *arg)
{
	const struct scan_matcher *m = arg;
	char err[512];
	matcher_ready(m, err, sizeof(err)); /* a failure is the loader's to log, and the next user's to report */
	return NULL;
}

void matcher_prepare(const struct scan_matcher *m)
{
	struct matcher_lazy *z = m->lazy;
	bool no = false;
	if (!z || atomic_load_explicit(&z->state, memory_order_acquire) != 0 ||
	    !atomic_compare_exchange_strong(&z->preparing, &no, true))
		return;
	if (pthread_create(&z->thread, NULL, prepare_thread, (void *)m) != 0)
		atomic_store(&z->preparing, false); /* the first user compiles it then */
}

void matcher_lazy_free(struct matcher_lazy *z)
{
	if (!z)
		return;
	if (atomic_load(&z->preparing))
		pthread_join(z->thread, NULL);
	pthread_mutex_destroy(&z->mu);
	free(z);
}

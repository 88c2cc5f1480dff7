/* The scheduler (scrape/scheduler.h) as serve runs it: sources synced from a
 * sources file, run on their schedules and when asked, never two runs of one
 * source at once, live progress, ingest finishing the runs, reload taking a
 * disabled source off its schedule, and a clean stop. argv[1] is the
 * fixture folder (tests/fixtures/sources). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "blob/blob.h"
#include "bus/bus.h"
#include "fixture_site.h"
#include "http_fixture.h"
#include "scrape/scheduler.h"
#include "scrape_env.h"
#include "store_fixture.h"

static char *board;
static size_t board_len;

static void handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	(void)ctx;
	if (strstr(req->target, "/boards/slow/"))
		hf_hold(c, 800);
	if (strstr(req->target, "/boards/"))
		hf_respond(c, 200, "Content-Type: application/json\r\n", board, board_len);
	else
		hf_respond(c, 404, "", "", 0);
}

struct fx {
	struct store_fixture sf;
	struct hf_server *hf;
	struct scrape_env env;
	struct scrape_scheduler *sched;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1))
		return -1;
	if (scrape_env_open(&f->env, "sched"))
		return -1;
	f->hf = hf_start(1, handler, NULL);
	char err[256], path[128];
	snprintf(path, sizeof(path), "%s/sources.conf", f->env.dir);
	FILE *fp = fopen(path, "w");
	if (!fp)
		return -1;
	int port = hf_port(f->hf, 0);
	fprintf(fp,
		"[source slow]\nkind = greenhouse\ntarget = slow\ndelay = 0\nschedule = every 1h\nenabled = false\n"
		"options = {\"base_url\":\"http://127.0.0.1:%d\"}\n\n"
		"[source often]\nkind = greenhouse\ntarget = often\ndelay = 0\nschedule = every 1s\n"
		"options = {\"base_url\":\"http://127.0.0.1:%d\"}\n",
		port, port);
	fclose(fp);
	struct scrape_scheduler_options o = {
		.store = f->sf.s, .bus = f->env.bus, .blob = f->env.blob, .sources_file = path, .workers = 3
	};
	if (scrape_scheduler_start(&o, &f->sched, err, sizeof(err))) {
		fprintf(stderr, "scheduler: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	scrape_scheduler_stop(f->sched);
	hf_stop(f->hf);
	scrape_env_close(&f->env);
	store_fixture_destroy(&f->sf);
	free(f);
	return 0;
}

static int64_t source_id(struct fx *f, const char *name)
{
	struct arena a;
	arena_init(&a, 0);
	struct scrape_source s;
	assert_int_equal(store_source_by_name(f->sf.s, name, &a, &s), 0);
	arena_free(&a);
	return s.id;
}

/* Runs of a source: how many, and how many still running. */
static size_t runs(struct fx *f, int64_t id, size_t *running, struct scrape_run *last)
{
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run *r;
	size_t n;
	assert_int_equal(store_run_list(f->sf.s, id, 100, &a, &r, &n), 0);
	*running = 0;
	for (size_t i = 0; i < n; i++)
		*running += strcmp(r[i].status, "running") == 0;
	if (last && n) {
		*last = r[0];
		last->status = strcmp(r[0].status, "ok") == 0 ? "ok" : "other";
		last->message = NULL;
	}
	arena_free(&a);
	return n;
}

static void test_run_now_progress_and_busy(void **state)
{
	struct fx *f = *state;
	int64_t id = source_id(f, "slow"), run_id = -1;
	assert_int_equal(scrape_scheduler_run_now(f->sched, id, &run_id), 0); /* disabled, but asked */
	assert_int_equal(run_id, 0);
	/* While it runs: busy, with live progress. */
	struct scrape_run last = { 0 };
	size_t running = 0;
	for (int i = 0; i < 100 && (runs(f, id, &running, &last) == 0 || !running); i++)
		usleep(10000);
	assert_int_equal(running, 1);
	assert_int_equal(scrape_scheduler_run_now(f->sched, id, &run_id), -EBUSY);
	struct scrape_progress p;
	int prc = -1; /* the run record comes a moment before its first progress report */
	for (int i = 0; i < 50 && (prc = scrape_scheduler_progress(f->sched, last.id, &p)) != 0; i++)
		usleep(10000);
	assert_int_equal(prc, 0);
	assert_true(p.running);
	assert_int_equal(p.source_id, id);
	/* Ingest finishes the run. */
	for (int i = 0; i < 300 && (runs(f, id, &running, &last), running || strcmp(last.status, "ok") != 0); i++)
		usleep(10000);
	assert_int_equal(running, 0);
	assert_string_equal(last.status, "ok");
	assert_int_equal(last.counts.found, 2);
	for (int i = 0; i < 100 && scrape_scheduler_progress(f->sched, last.id, &p) == 0; i++)
		usleep(10000); /* ingest may finish the record before the task returns */
	assert_int_equal(scrape_scheduler_progress(f->sched, last.id, &p), -ENOENT);
	assert_int_equal(scrape_scheduler_run_now(f->sched, 999999, &run_id), -ENOENT);
	int64_t pending = -1;
	double oldest = -1;
	for (int i = 0; i < 300 && pending != 0; i++) {
		scrape_scheduler_ingest_lag(f->sched, &pending, &oldest);
		usleep(10000);
	}
	assert_int_equal(pending, 0);
}

static void test_schedule_and_reload(void **state)
{
	struct fx *f = *state;
	int64_t id = source_id(f, "often");
	size_t running;
	for (int i = 0; i < 400 && runs(f, id, &running, NULL) < 2; i++)
		usleep(10000);
	assert_true(runs(f, id, &running, NULL) >= 2); /* every second, by itself */
	/* Disabled: off its schedule after the reload. */
	struct arena a;
	arena_init(&a, 0);
	struct scrape_source s;
	assert_int_equal(store_source_get(f->sf.s, id, &a, &s), 0);
	s.enabled = 0;
	assert_int_equal(store_source_update(f->sf.s, &s, 0, 5), 0);
	scrape_scheduler_reload(f->sched, id);
	usleep(1200000); /* a run already started may finish */
	size_t n = runs(f, id, &running, NULL);
	usleep(2500000);
	assert_int_equal(runs(f, id, &running, NULL), n);
	arena_free(&a);
}

/* A feed's stated limit holds even for a row no writer checked (written
 * before the rule, or by hand): Remotive's "every 1s" runs every 6 h, so
 * not once in the seconds this test waits. */
static void test_a_feeds_limit_clamps_its_schedule(void **state)
{
	struct fx *f = *state;
	char config[128];
	snprintf(config, sizeof(config), "{\"base_url\":\"http://127.0.0.1:%d\",\"delay\":0}", hf_port(f->hf, 0));
	struct scrape_source s = {
		.name = "remotive-often",
		.kind = "remotive",
		.target = "software-dev",
		.config = config,
		.schedule = "every 1s",
		.enabled = 1,
	};
	assert_int_equal(store_source_insert(f->sf.s, &s, 10), 0);
	scrape_scheduler_reload(f->sched, s.id);
	usleep(2500000);
	size_t running;
	assert_int_equal(runs(f, s.id, &running, NULL), 0);
	/* Asked for by hand, it runs: the limit is on the schedule. */
	int64_t run_id;
	assert_int_equal(scrape_scheduler_run_now(f->sched, s.id, &run_id), 0);
	for (int i = 0; i < 300 && runs(f, s.id, &running, NULL) == 0; i++)
		usleep(10000);
	assert_int_equal(runs(f, s.id, &running, NULL), 1);
}

int main(int argc, char **argv)
{
	board = fixture_read(argc > 1 ? argv[1] : "tests/fixtures/sources", "greenhouse.json", &board_len);
	if (!board)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_now_progress_and_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_and_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_feeds_limit_clamps_its_schedule, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(board);
	return rc;
}

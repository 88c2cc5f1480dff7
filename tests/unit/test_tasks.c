/* Unit tests for src/base/schedule and src/base/tasks: what "every 6h" and
 * cron expressions mean (next fire times across month ends, leap years and
 * the day-of-month / day-of-week rule), the messages for what they refuse,
 * and the runner: interval tasks fire, a task never overlaps itself, "run
 * now" queues once, stop is quick and never waits past its deadline. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/schedule.h"
#include "base/tasks.h"
#include "base/timefmt.h"

/* Unix ms of a UTC wall-clock time. */
static int64_t utc(int year, int month, int day, int hour, int minute)
{
	struct tm tm = {
		.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = hour, .tm_min = minute
	};
	return (int64_t)timegm(&tm) * 1000;
}

static struct schedule parse_ok(const char *text)
{
	struct schedule s;
	char err[256] = "";
	if (schedule_parse(text, &s, err, sizeof(err)))
		fail_msg("\"%s\" refused: %s", text, err);
	return s;
}

/* The next fire time after `after` is `want`. */
static void next_is(const char *text, int64_t after, int64_t want)
{
	struct schedule s = parse_ok(text);
	int64_t got = schedule_next(&s, after);
	if (got != want) {
		char a[TIMEFMT_ISO_LEN], g[TIMEFMT_ISO_LEN], w[TIMEFMT_ISO_LEN];
		timefmt_iso((time_t)(after / 1000), a);
		timefmt_iso((time_t)(got / 1000), g);
		timefmt_iso((time_t)(want / 1000), w);
		fail_msg("\"%s\" after %s: got %s, want %s", text, a, got < 0 ? "never" : g, w);
	}
}

/* ---- intervals and shorthands -------------------------------------------------- */

static void test_intervals(void **state)
{
	(void)state;
	int64_t t = utc(2026, 3, 4, 12, 0) + 1234;
	next_is("every 6h", t, t + 6 * 3600 * 1000LL);
	next_is("every 30m", t, t + 30 * 60 * 1000LL);
	next_is("EVERY 1h30m", t, t + 90 * 60 * 1000LL);
	next_is("every 1h 30m", t, t + 90 * 60 * 1000LL);
	next_is("  every 90s  ", t, t + 90 * 1000LL);
	next_is("every 2d", t, t + 2 * 86400 * 1000LL);
	next_is("@every 5m", t, t + 5 * 60 * 1000LL);
	struct schedule s = schedule_every_ms(25);
	assert_int_equal(schedule_next(&s, 100), 125);
}

static void test_shorthands(void **state)
{
	(void)state;
	int64_t t = utc(2026, 3, 4, 12, 34); /* a Wednesday */
	next_is("@hourly", t, utc(2026, 3, 4, 13, 0));
	next_is("@daily", t, utc(2026, 3, 5, 0, 0));
	next_is("@midnight", t, utc(2026, 3, 5, 0, 0));
	next_is("@weekly", t, utc(2026, 3, 8, 0, 0)); /* Sunday */
	next_is("@monthly", t, utc(2026, 4, 1, 0, 0));
	next_is("@yearly", t, utc(2027, 1, 1, 0, 0));
	next_is("@ANNUALLY", t, utc(2027, 1, 1, 0, 0));
}

/* ---- cron next-fire ------------------------------------------------------------ */

static void test_cron_basics(void **state)
{
	(void)state;
	int64_t noon = utc(2026, 3, 4, 12, 0);
	next_is("0 */6 * * *", noon, utc(2026, 3, 4, 18, 0)); /* strictly after */
	next_is("0 */6 * * *", noon - 1000, noon);
	next_is("0 */6 * * *", noon + 1, utc(2026, 3, 4, 18, 0));
	next_is("0 */6 * * *", utc(2026, 3, 4, 18, 0), utc(2026, 3, 5, 0, 0));
	next_is("*/15 * * * *", utc(2026, 3, 4, 12, 7), utc(2026, 3, 4, 12, 15));
	next_is("* * * * *", noon + 59999, noon + 60000);
	next_is("5,35 9-17/4 * * *", noon, utc(2026, 3, 4, 13, 5)); /* hours 9, 13, 17 */
	next_is("5/20 * * * *", noon, utc(2026, 3, 4, 12, 5));      /* 5, 25, 45 */
	next_is("0 12 * jan,jul *", noon, utc(2026, 7, 1, 12, 0));
	next_is("0 12 * Jan-Mar *", noon, utc(2026, 3, 5, 12, 0));
	next_is("59 23 31 12 *", noon, utc(2026, 12, 31, 23, 59));
	next_is("0 0 1 1 *", utc(2026, 12, 31, 23, 59), utc(2027, 1, 1, 0, 0));
}

static void test_cron_month_ends_and_leap_years(void **state)
{
	(void)state;
	/* The 31st skips the months without one. */
	next_is("0 0 31 * *", utc(2026, 1, 31, 0, 0), utc(2026, 3, 31, 0, 0));
	next_is("0 0 31 * *", utc(2026, 3, 31, 0, 0), utc(2026, 5, 31, 0, 0));
	next_is("0 0 30 * *", utc(2026, 1, 30, 0, 0), utc(2026, 3, 30, 0, 0));
	next_is("0 0 29 * *", utc(2026, 1, 29, 0, 0), utc(2026, 3, 29, 0, 0)); /* 2026 is not a leap year */
	next_is("0 0 29 * *", utc(2028, 1, 29, 0, 0), utc(2028, 2, 29, 0, 0)); /* 2028 is */
	/* 29 February: every fourth year, but not in 2100. */
	next_is("0 0 29 2 *", utc(2026, 3, 1, 0, 0), utc(2028, 2, 29, 0, 0));
	next_is("0 0 29 2 *", utc(2096, 3, 1, 0, 0), utc(2104, 2, 29, 0, 0));
	next_is("0 0 29 2 *", utc(2000, 1, 1, 0, 0), utc(2000, 2, 29, 0, 0)); /* 2000 was */
	next_is("30 23 28-31 2 *", utc(2026, 2, 28, 23, 30), utc(2027, 2, 28, 23, 30));
	/* A 29 February that is a Sunday (star-slash-7 is Sundays, and a star
	 * makes both day fields count): 28 years apart. */
	next_is("0 0 29 2 */7", utc(2004, 3, 1, 0, 0), utc(2032, 2, 29, 0, 0));
}

static void test_cron_day_of_month_or_day_of_week(void **state)
{
	(void)state;
	int64_t sun = utc(2026, 3, 1, 12, 0); /* Sunday 1 March 2026 */
	/* Both restricted: either matches — the Friday (the 6th) comes before the 13th. */
	next_is("0 0 13 * fri", sun, utc(2026, 3, 6, 0, 0));
	next_is("0 0 13 * fri", utc(2026, 3, 6, 0, 0), utc(2026, 3, 13, 0, 0));
	next_is("0 0 13 * fri", utc(2026, 3, 13, 0, 0), utc(2026, 3, 20, 0, 0));
	next_is("0 0 2 * sun", sun, utc(2026, 3, 2, 0, 0));
	/* One of them '*': only the other counts. */
	next_is("0 0 13 * *", sun, utc(2026, 3, 13, 0, 0));
	next_is("0 0 * * fri", sun, utc(2026, 3, 6, 0, 0));
	/* A stepped star still counts as '*' (Vixie, cronie): both must match —
	 * odd days that are Mondays; Monday 2 March is even, 9 March is odd. */
	next_is("0 0 */2 * mon", sun, utc(2026, 3, 9, 0, 0));
	/* Weekdays: 0 and 7 are Sunday; names; ranges ending on Sunday. */
	next_is("0 0 * * 7", utc(2026, 3, 2, 0, 0), utc(2026, 3, 8, 0, 0));
	next_is("0 0 * * 0", utc(2026, 3, 2, 0, 0), utc(2026, 3, 8, 0, 0));
	next_is("0 0 * * SUN", utc(2026, 3, 2, 0, 0), utc(2026, 3, 8, 0, 0));
	next_is("30 9 * * mon-fri", utc(2026, 3, 6, 10, 0), utc(2026, 3, 9, 9, 30)); /* Friday → Monday */
	next_is("0 0 * * sat-sun", utc(2026, 3, 2, 0, 0), utc(2026, 3, 7, 0, 0));
	next_is("0 0 * * fri-7", utc(2026, 3, 7, 0, 0), utc(2026, 3, 8, 0, 0));
	next_is("0 0 * * mon-sun", utc(2026, 3, 2, 0, 0), utc(2026, 3, 3, 0, 0));
}

/* ---- refusals ------------------------------------------------------------------ */

static void refused(const char *text, const char *message_part)
{
	struct schedule s;
	char err[256] = "";
	if (schedule_parse(text, &s, err, sizeof(err)) != -EINVAL)
		fail_msg("\"%s\" was accepted", text);
	if (!strstr(err, message_part))
		fail_msg("\"%s\": message \"%s\" does not mention \"%s\"", text, err, message_part);
}

static void test_refusals_say_what_is_wrong(void **state)
{
	(void)state;
	refused("", "no schedule given");
	refused("   ", "no schedule given");
	refused("every", "needs a duration");
	refused("every 0m", "at least 1 second");
	refused("every 5x", "unknown unit \"x\"");
	refused("every 5", "needs a unit");
	refused("every h", "expected a number");
	refused("every 367d", "longer than 366 days");
	refused("every 99999999999999h", "longer than 366 days");
	refused("@reboot", "unknown shorthand");
	refused("* * * *", "5 fields");
	refused("* * * * * *", "5 fields");
	refused("61 * * * *", "minute field \"61\": 61 is out of range 0–59");
	refused("* 24 * * *", "hour field");
	refused("99999999 * * * *", "out of range 0–59");
	refused("*/99999999 * * * *", "a step");
	refused("* * 0 * *", "day-of-month field \"0\": 0 is out of range 1–31");
	refused("* * 32 * *", "day-of-month");
	refused("* * * 13 *", "month field");
	refused("* * * * 8", "day-of-week field");
	refused("5-2 * * * *", "starts after it ends");
	refused("*/0 * * * *", "a step");
	refused("*/61 * * * *", "a step");
	refused("1- * * * *", "needs an end");
	refused("1,,2 * * * *", "empty item");
	refused("1, * * * *", "comma at the end");
	refused("mon * * * *", "expected a number or *");
	refused("* * * foo *", "a name (such as jan or mon)");
	refused("* * * * monday", "day-of-week");
	refused("1.5 * * * *", "unexpected \".\"");
	refused("0 0 30 2 *", "never fires");
	refused("0 0 31 4,6,9,11 *", "never fires");
	refused("0 0 * * *\n", "plain text");
	char long_text[300];
	memset(long_text, '1', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	refused(long_text, "at most");
	/* …but 30 February or a Monday is fine (the day rule again). */
	parse_ok("0 0 30 2 mon");
}

/* ---- the runner ------------------------------------------------------------------ */

struct counter {
	atomic_int runs;
	atomic_int inside, most_inside; /* concurrent runs of this task */
	int sleep_ms;
	bool obey_cancel;
};

static int count_run(struct task_run *run)
{
	struct counter *c = run->arg;
	int in = atomic_fetch_add(&c->inside, 1) + 1;
	int most = atomic_load(&c->most_inside);
	while (in > most && !atomic_compare_exchange_weak(&c->most_inside, &most, in))
		;
	if (c->sleep_ms) {
		if (c->obey_cancel)
			task_sleep(run, c->sleep_ms);
		else
			usleep((useconds_t)c->sleep_ms * 1000);
	}
	atomic_fetch_sub(&c->inside, 1);
	atomic_fetch_add(&c->runs, 1);
	return -7;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Waits (up to 5 s, for a loaded machine) until t is running. */
static void wait_running(struct tasks *r, struct task *t)
{
	struct task_status st;
	for (int i = 0; i < 500; i++) {
		tasks_status(r, t, &st);
		if (st.running)
			return;
		usleep(10 * 1000);
	}
	fail_msg("task %s did not start", st.name);
}

static void test_interval_tasks_fire(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(2, &r), 0);
	struct counter c = { 0 };
	struct schedule every = schedule_every_ms(40);
	struct task *t;
	assert_int_equal(tasks_add(r, "tick", &every, count_run, &c, &t), 0);
	assert_ptr_equal(tasks_find(r, "tick"), t);
	assert_null(tasks_find(r, "tock"));
	assert_int_equal(tasks_add(r, "tick", &every, count_run, &c, NULL), -EEXIST);
	usleep(420 * 1000);
	int runs = atomic_load(&c.runs);
	/* About ten; generous bounds for a loaded machine, never more. */
	assert_true(runs >= 3);
	assert_true(runs <= 11);
	struct task_status st;
	tasks_status(r, t, &st);
	assert_string_equal(st.name, "tick");
	assert_true(st.runs >= 3);
	assert_int_equal(st.last_rc, -7);
	assert_true(st.next_ms > st.last_start_ms);
	assert_int_equal(tasks_stop(r, 1000), 0);
}

static void test_a_task_never_overlaps_itself(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(4, &r), 0);
	/* Due every 10 ms but takes 60: free workers must not start it again. */
	struct counter c = { .sleep_ms = 60 };
	struct schedule every = schedule_every_ms(10);
	struct task *t;
	assert_int_equal(tasks_add(r, "slow", &every, count_run, &c, &t), 0);
	usleep(400 * 1000);
	struct task_status st;
	tasks_status(r, t, &st);
	assert_int_equal(atomic_load(&c.most_inside), 1);
	assert_true(st.runs >= 2 && st.runs <= 8);
	assert_true(st.skipped >= 1); /* the times that came while it ran */
	assert_int_equal(tasks_stop(r, 1000), 0);
}

static void test_run_now_queues_once(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(2, &r), 0);
	struct counter c = { .sleep_ms = 100 };
	struct task *t;
	assert_int_equal(tasks_add(r, "on demand", NULL, count_run, &c, &t), 0);
	usleep(50 * 1000);
	assert_int_equal(atomic_load(&c.runs), 0); /* no schedule: only when asked */
	struct task_status st;
	tasks_status(r, t, &st);
	assert_int_equal(st.next_ms, 0);

	assert_int_equal(tasks_run_now(r, t), 0);
	wait_running(r, t);
	/* Asking while it runs: never blocks, and three asks make one more run. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(tasks_run_now(r, t), 0);
	assert_true(ms_since(&t0) < 50);
	tasks_status(r, t, &st);
	assert_true(st.running);
	assert_true(st.queued);
	for (int i = 0; i < 300 && atomic_load(&c.runs) < 2; i++)
		usleep(10 * 1000);
	usleep(250 * 1000); /* time for a third run, which must not come */
	assert_int_equal(atomic_load(&c.runs), 2);
	assert_int_equal(atomic_load(&c.most_inside), 1);
	assert_int_equal(tasks_stop(r, 1000), 0);
}

static void test_stop_is_quick_for_tasks_that_listen(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(2, &r), 0);
	struct counter c = { .sleep_ms = 60 * 1000, .obey_cancel = true };
	struct task *t;
	assert_int_equal(tasks_add(r, "long", NULL, count_run, &c, &t), 0);
	assert_int_equal(tasks_run_now(r, t), 0);
	wait_running(r, t);
	assert_int_equal(atomic_load(&c.inside), 1);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(tasks_stop(r, 2000), 0);
	assert_true(ms_since(&t0) < 500);
	assert_int_equal(atomic_load(&c.runs), 1);
}

static struct counter stubborn = { .sleep_ms = 1500 };

static void test_stop_keeps_its_deadline_with_a_stubborn_task(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(2, &r), 0);
	struct task *t;
	assert_int_equal(tasks_add(r, "stubborn", NULL, count_run, &stubborn, &t), 0);
	assert_int_equal(tasks_run_now(r, t), 0);
	wait_running(r, t);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(tasks_stop(r, 100), -ETIMEDOUT);
	double took = ms_since(&t0);
	assert_true(took >= 95 && took < 1000); /* well before the task ends */
	assert_int_equal(atomic_load(&stubborn.runs), 0);
	/* The straggler finishes on its own (and frees the runner: ASan would tell). */
	for (int i = 0; i < 500 && atomic_load(&stubborn.runs) == 0; i++)
		usleep(10 * 1000);
	usleep(100 * 1000);
	assert_int_equal(atomic_load(&stubborn.runs), 1);
}

static void test_no_new_work_after_stop_begins(void **state)
{
	(void)state;
	struct tasks *r;
	assert_int_equal(tasks_start(0, &r), -EINVAL);
	assert_int_equal(tasks_start(65, &r), -EINVAL);
	assert_int_equal(tasks_start(1, &r), 0);
	struct counter c = { .sleep_ms = 300, .obey_cancel = false };
	struct task *t;
	assert_int_equal(tasks_add(r, "", NULL, count_run, &c, NULL), -EINVAL);
	assert_int_equal(tasks_add(r, "bad\nname", NULL, count_run, &c, NULL), -EINVAL);
	assert_int_equal(tasks_add(r, "x", NULL, NULL, &c, NULL), -EINVAL);
	assert_int_equal(tasks_add(r, "busy", NULL, count_run, &c, &t), 0);
	assert_int_equal(tasks_run_now(r, t), 0);
	wait_running(r, t);
	assert_int_equal(tasks_run_now(r, t), 0); /* queued behind the first */
	assert_int_equal(tasks_stop(r, 2000), 0);
	/* The queued run never started: stop lets running work end, starts none. */
	assert_int_equal(atomic_load(&c.runs), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_shorthands),
		cmocka_unit_test(test_cron_basics),
		cmocka_unit_test(test_cron_month_ends_and_leap_years),
		cmocka_unit_test(test_cron_day_of_month_or_day_of_week),
		cmocka_unit_test(test_refusals_say_what_is_wrong),
		cmocka_unit_test(test_interval_tasks_fire),
		cmocka_unit_test(test_a_task_never_overlaps_itself),
		cmocka_unit_test(test_run_now_queues_once),
		cmocka_unit_test(test_stop_is_quick_for_tasks_that_listen),
		cmocka_unit_test(test_stop_keeps_its_deadline_with_a_stubborn_task),
		cmocka_unit_test(test_no_new_work_after_stop_begins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

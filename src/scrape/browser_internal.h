/* browser_internal — what browser.c (the pool, the Chromium process, its
 * profile directory) shares with browser_page.c (rendering a page jobtrack
 * fetched, over Chromium's DevTools pipe). Not for other callers. */
#ifndef JT_SCRAPE_BROWSER_INTERNAL_H
#define JT_SCRAPE_BROWSER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

struct browser_proc;
struct metric;

struct browser_pool {
	pthread_mutex_t lock;
	pthread_cond_t slot_free;
	unsigned active, max; /* renders going on, and the bound */
	char *chromium, *user_agent, *tmp_dir;
	int budget_ms;
	atomic_llong *active_gauge;
	atomic_ullong *renders, *failures;
	struct metric *seconds;
	/* Chromium processes browser_page.c keeps between renders (under
	 * lock): idle ones, and how many there are in all, idle or rendering
	 * (never more than max). */
	struct browser_proc *idle;
	unsigned instances;
};

/* Waits for a free slot (of max), and gives it back. */
void browser_slot_take(struct browser_pool *p);
void browser_slot_give(struct browser_pool *p);
/* A fresh profile directory in the pool's tmp_dir, and its removal. */
int browser_profile_new(const struct browser_pool *p, char *dir, size_t n, char *err, size_t errlen);
void browser_profile_remove(const char *dir);
/* Counts a render that ended with rc, started at started_ms, in /metrics. */
void browser_count(struct browser_pool *p, int rc, int64_t started_ms);

/* One Chromium started in a new process group, in profile dir, with the
 * flags every render shares and then extra (NULL-terminated). out_fd and
 * err_fd become its stdout and stderr (-1: /dev/null, and for stderr the
 * file err_path); cdp_in and cdp_out, when not -1, become descriptors 3 and
 * 4 of --remote-debugging-pipe (what it reads, what it writes). */
struct browser_spawn {
	const char *dir;
	const char *user_agent; /* NULL: the pool's */
	const char *const *extra;
	int out_fd, err_fd, cdp_in, cdp_out;
	const char *err_path;
};
int browser_spawn(const struct browser_pool *p, const struct browser_spawn *s, pid_t *pid);

/* Kills the whole group and waits (bounded) until no member still runs;
 * the leader is left unreaped (its zombie keeps the group id ours). */
void browser_kill_group(pid_t pid);
/* True once the process has exited (left unreaped). */
bool browser_has_exited(pid_t pid);
/* The last non-empty line of text. */
void browser_last_line(const char *text, size_t len, char *out, size_t outlen);
int64_t browser_now_ms(void);

/* One render's frame: checks Chromium is there (-ENOENT with the message
 * callers show), waits for a slot, makes a profile directory, calls run
 * with it, removes it, counts the render (and a failure) and its time in
 * /metrics, gives the slot back. Returns what run returned. */
typedef int browser_run_fn(struct browser_pool *p, const char *dir, void *arg, char *err, size_t errlen);
int browser_session(struct browser_pool *p, browser_run_fn *run, void *arg, char *err, size_t errlen);

#endif

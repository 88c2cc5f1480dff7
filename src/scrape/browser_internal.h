/* browser_internal — what browser.c (the pool, the Chromium process, its
 * profile directory) shares with browser_page.c (rendering a page jobtrack
 * fetched, over Chromium's DevTools pipe). Not for other callers. */
#ifndef JT_SCRAPE_BROWSER_INTERNAL_H
#define JT_SCRAPE_BROWSER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct browser_pool;

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
/* The pool's virtual-time budget, ms. */
int browser_budget_ms(const struct browser_pool *p);

/* One render's frame: checks Chromium is there (-ENOENT with the message
 * callers show), waits for a slot, makes a profile directory, calls run
 * with it, removes it, counts the render (and a failure) and its time in
 * /metrics, gives the slot back. Returns what run returned. */
typedef int browser_run_fn(struct browser_pool *p, const char *dir, void *arg, char *err, size_t errlen);
int browser_session(struct browser_pool *p, browser_run_fn *run, void *arg, char *err, size_t errlen);

#endif

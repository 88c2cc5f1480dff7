/* browser — one headless Chromium per render, in its own process group and
 * profile directory, bounded in number by a pool (browser.h says what
 * callers see). */
#include "scrape/browser.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/metrics.h"
#include "base/text.h"
#include "scrape/browser_internal.h"
#include "version.h"

extern char **environ;

#define DEFAULT_CONCURRENT 2
#define DEFAULT_BUDGET_MS  5000
/* How much of Chromium's stderr is kept, for the error message. */
#define STDERR_TAIL        2048
/* After Chromium's main process exits, how long its output may still take
 * to drain from helpers that kept the pipe open. */
#define DRAIN_MS           500
/* How long a killed group may take to be gone (a large renderer frees its
 * memory before it disappears; on a loaded machine that takes a while). */
#define REAP_MS            5000

int browser_pool_new(const struct browser_options *opt, struct browser_pool **out)
{
	static const struct browser_options none;
	if (!opt)
		opt = &none;
	struct browser_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	const char *env = getenv("JOBTRACK_CHROMIUM");
	const char *chromium = opt->chromium ? opt->chromium : env && *env ? env : BROWSER_CHROMIUM;
	const char *tmp = opt->tmp_dir ? opt->tmp_dir : getenv("TMPDIR");
	char agent[128];
	snprintf(agent, sizeof(agent), "Mozilla/5.0 (compatible; jobtrack/%s)", JOBTRACK_VERSION);
	p->chromium = strdup(chromium);
	p->user_agent = strdup(opt->user_agent ? opt->user_agent : agent);
	p->tmp_dir = strdup(tmp && *tmp ? tmp : "/tmp");
	if (!p->chromium || !p->user_agent || !p->tmp_dir) {
		browser_pool_free(p);
		return -ENOMEM;
	}
	p->max = opt->max_concurrent ? opt->max_concurrent : DEFAULT_CONCURRENT;
	p->budget_ms = opt->virtual_time_budget_ms > 0 ? opt->virtual_time_budget_ms : DEFAULT_BUDGET_MS;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->slot_free, NULL);
	p->active_gauge = metrics_gauge("jobtrack_browser_renders_active", "Headless Chromium renders running now.");
	p->renders = metrics_counter("jobtrack_browser_renders_total", "Headless Chromium renders started.");
	p->failures = metrics_counter("jobtrack_browser_render_failures_total",
				      "Headless Chromium renders that failed or ran out of time.");
	static const double le[] = { 0.5, 1, 2, 5, 10, 20, 60 };
	p->seconds = metrics_histogram("jobtrack_browser_render_seconds",
				       "Time of a headless Chromium render, waiting for a slot excluded.", le,
				       sizeof(le) / sizeof(le[0]), 1, NULL, NULL);
	*out = p;
	return 0;
}

void browser_pool_free(struct browser_pool *p)
{
	if (!p)
		return;
	if (p->chromium && p->user_agent && p->tmp_dir) { /* fully made: the lock exists */
		pthread_mutex_lock(&p->lock);
		unsigned active = p->active;
		pthread_mutex_unlock(&p->lock);
		if (active)
			abort(); /* freeing a pool under a running render is a caller bug */
		browser_pool_trim(p);
		pthread_cond_destroy(&p->slot_free);
		pthread_mutex_destroy(&p->lock);
	}
	free(p->chromium);
	free(p->user_agent);
	free(p->tmp_dir);
	free(p);
}

void browser_slot_take(struct browser_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->active >= p->max)
		pthread_cond_wait(&p->slot_free, &p->lock);
	p->active++;
	pthread_mutex_unlock(&p->lock);
	if (p->active_gauge)
		atomic_fetch_add_explicit(p->active_gauge, 1, memory_order_relaxed);
}

void browser_slot_give(struct browser_pool *p)
{
	if (p->active_gauge)
		atomic_fetch_sub_explicit(p->active_gauge, 1, memory_order_relaxed);
	pthread_mutex_lock(&p->lock);
	p->active--;
	pthread_cond_broadcast(&p->slot_free); /* shared with proc_take's wait for room (browser_page.c) */
	pthread_mutex_unlock(&p->lock);
}

int64_t browser_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the profile directory --------------------------------------------- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Removes the profile; a helper that was still dying may have written one
 * more file, so a directory that will not go is tried again briefly. */
static void remove_tree(const char *dir)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		if (access(dir, F_OK) != 0)
			return;
		usleep(25000);
	}
}

/* ---- the process ---------------------------------------------------------- */

/* The environment Chromium gets: ours, with HOME and the XDG directories in
 * the profile, so that nothing (NSS databases, caches) lands in the real
 * home directory. NULL when out of memory; free with free_env. */
static char **child_env(const char *dir)
{
	static const char *const replaced[] = { "HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=" };
	enum { N_REPLACED = sizeof(replaced) / sizeof(replaced[0]) };
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + N_REPLACED + 1, sizeof(*env));
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < N_REPLACED; i++) {
		size_t len = strlen(replaced[i]) + strlen(dir) + 1;
		if (!(env[k] = malloc(len))) {
			for (size_t j = 0; j < k; j++)
				free(env[j]);
			free(env);
			return NULL;
		}
		snprintf(env[k++], len, "%s%s", replaced[i], dir);
	}
	for (size_t i = 0; i < n; i++) {
		bool keep = true;
		for (size_t r = 0; r < N_REPLACED && keep; r++)
			keep = strncmp(environ[i], replaced[r], strlen(replaced[r])) != 0;
		if (keep)
			env[k++] = environ[i]; /* borrowed */
	}
	return env;
}

static void free_env(char **env)
{
	for (size_t i = 0; i < 3; i++)
		free(env[i]);
	free(env);
}

int browser_spawn(const struct browser_pool *p, const struct browser_spawn *s, pid_t *pid)
{
	char profile[4200], agent[600];
	snprintf(profile, sizeof(profile), "--user-data-dir=%s", s->dir);
	snprintf(agent, sizeof(agent), "--user-agent=%s", s->user_agent ? s->user_agent : p->user_agent);
	const char *argv[40];
	size_t n = 0;
	argv[n++] = p->chromium;
	argv[n++] = "--headless=new";
	if (geteuid() == 0)
		argv[n++] = "--no-sandbox"; /* the sandbox cannot start as root */
	argv[n++] = "--disable-gpu";
	argv[n++] = profile;
	argv[n++] = agent;
	argv[n++] = "--disable-extensions";
	argv[n++] = "--no-first-run";
	argv[n++] = "--no-default-browser-check";
	argv[n++] = "--disable-background-networking";
	argv[n++] = "--disable-component-update";
	argv[n++] = "--disable-sync";
	argv[n++] = "--disable-default-apps";
	argv[n++] = "--disable-dev-shm-usage";
	argv[n++] = "--mute-audio";
	argv[n++] = "--hide-scrollbars";
	for (size_t i = 0; s->extra && s->extra[i] && n < sizeof(argv) / sizeof(argv[0]) - 1; i++)
		argv[n++] = s->extra[i];
	argv[n] = NULL;

	char **env = child_env(s->dir);
	if (!env)
		return -ENOMEM;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (s->out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	if (s->err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->err_fd, STDERR_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, s->err_path ? s->err_path : "/dev/null",
						 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	/* The callers' pipe ends are above 4 (F_DUPFD_CLOEXEC from 10), so
	 * these dup2s cannot overwrite one another. */
	if (s->cdp_in >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->cdp_in, 3);
	if (s->cdp_out >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->cdp_out, 4);
	/* Its own process group, so a time-out kills every helper it started;
	 * signals as a fresh program has them (the server ignores SIGPIPE). */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	int rc = posix_spawn(pid, p->chromium, &fa, &attr, (char *const *)argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	free_env(env);
	return -rc;
}

/* True once the process has exited; it is left unreaped, so its process
 * group id cannot be reused while we still signal the group. */
bool browser_has_exited(pid_t pid)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

/* The last non-empty line of what Chromium said on stderr. */
void browser_last_line(const char *text, size_t len, char *out, size_t outlen)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	size_t start = len;
	while (start && text[start - 1] != '\n')
		start--;
	snprintf(out, outlen, "%.*s", (int)(len - start), text + start);
}

struct capture {
	struct buf *dom;
	size_t dom_start;
	char tail[STDERR_TAIL]; /* the end of stderr */
	size_t tail_len;
	bool out_open, err_open;
	bool too_big;
};

static void keep_tail(struct capture *c, const char *data, size_t n)
{
	if (n >= sizeof(c->tail)) {
		memcpy(c->tail, data + n - sizeof(c->tail), sizeof(c->tail));
		c->tail_len = sizeof(c->tail);
		return;
	}
	if (c->tail_len + n > sizeof(c->tail)) {
		size_t drop = c->tail_len + n - sizeof(c->tail);
		memmove(c->tail, c->tail + drop, c->tail_len - drop);
		c->tail_len -= drop;
	}
	memcpy(c->tail + c->tail_len, data, n);
	c->tail_len += n;
}

/* Reads what is ready on fd; false when the DOM passed its bound or
 * memory ran out (the render must stop). */
static bool drain(struct capture *c, int fd, bool is_dom)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return true; /* EAGAIN: nothing more for now */
		if (n == 0) {
			*(is_dom ? &c->out_open : &c->err_open) = false;
			return true;
		}
		if (!is_dom) {
			keep_tail(c, chunk, (size_t)n);
			continue;
		}
		size_t room = c->dom->max - c->dom->len;
		if ((size_t)n > room) {
			buf_append(c->dom, chunk, room);
			c->too_big = true;
			return false;
		}
		if (buf_append(c->dom, chunk, (size_t)n))
			return false;
	}
}

/* Members of process group pgid still running (zombies are done). */
static int group_members_alive(pid_t pgid)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' || strtol(e->d_name, NULL, 10) == (long)pgid)
			continue;
		char path[300], stat[512];
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		size_t len = fread(stat, 1, sizeof(stat) - 1, f);
		fclose(f);
		stat[len] = '\0';
		/* "pid (name) state ppid pgrp …"; the name may hold ')' */
		const char *close_paren = strrchr(stat, ')');
		if (!close_paren || strlen(close_paren) < 4)
			continue;
		char state = close_paren[2];
		char *end;
		strtol(close_paren + 4, &end, 10); /* ppid */
		long pgrp = strtol(end, NULL, 10);
		if (pgrp == (long)pgid && state != 'Z' && state != 'X')
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* Kills the whole group and waits (bounded) until no member still runs, so
 * that its profile directory can be removed and nothing outlives a render.
 * The leader is left unreaped until then: its zombie keeps the group id. */
void browser_kill_group(pid_t pid)
{
	int64_t give_up = browser_now_ms() + REAP_MS;
	do {
		kill(-pid, SIGKILL);
		if (!group_members_alive(pid))
			return;
		struct timespec pause = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	} while (browser_now_ms() < give_up);
}

/* Runs one Chromium and collects its output. */
static int run(struct browser_pool *p, const char *url, const char *dir, int timeout_ms, struct buf *dom, char *err,
	       size_t errlen)
{
	int out_pipe[2], err_pipe[2];
	if (pipe2(out_pipe, O_CLOEXEC))
		return -errno;
	if (pipe2(err_pipe, O_CLOEXEC)) {
		int e = -errno;
		close(out_pipe[0]);
		close(out_pipe[1]);
		return e;
	}
	char budget[64];
	snprintf(budget, sizeof(budget), "--virtual-time-budget=%d", p->budget_ms);
	const char *const extra[] = { "--dump-dom", budget, url, NULL };
	struct browser_spawn sp = {
		.dir = dir, .extra = extra, .out_fd = out_pipe[1], .err_fd = err_pipe[1], .cdp_in = -1, .cdp_out = -1
	};
	pid_t pid;
	int rc = browser_spawn(p, &sp, &pid);
	close(out_pipe[1]);
	close(err_pipe[1]);
	if (rc) {
		close(out_pipe[0]);
		close(err_pipe[0]);
		snprintf(err, errlen, "cannot start %s: %s", p->chromium, strerror(-rc));
		return rc;
	}
	fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);

	struct capture c = { .dom = dom, .dom_start = dom->len, .out_open = true, .err_open = true };
	int64_t deadline = browser_now_ms() + timeout_ms, drain_until = INT64_MAX;
	bool exited = false;
	while (c.out_open || c.err_open) {
		int64_t now = browser_now_ms();
		if (now >= drain_until)
			break; /* exited; a straggler outside the group holds the pipe */
		if (now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		struct pollfd fds[2] = {
			{ .fd = c.out_open ? out_pipe[0] : -1, .events = POLLIN },
			{ .fd = c.err_open ? err_pipe[0] : -1, .events = POLLIN },
		};
		int64_t wait = deadline - now < 100 ? deadline - now : 100;
		if (poll(fds, 2, (int)wait) < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if ((fds[0].revents && !drain(&c, out_pipe[0], true)) ||
		    (fds[1].revents && !drain(&c, err_pipe[0], false))) {
			rc = c.too_big ? -E2BIG : -ENOMEM;
			break;
		}
		if (!exited && browser_has_exited(pid)) {
			exited = true;
			kill(-pid, SIGKILL); /* helpers left behind; the leader's zombie keeps the group id ours */
			drain_until = browser_now_ms() + DRAIN_MS;
		}
	}
	browser_kill_group(pid);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(out_pipe[0]);
	close(err_pipe[0]);

	char said[300];
	browser_last_line(c.tail, c.tail_len, said, sizeof(said));
	if (rc == -ETIMEDOUT) {
		snprintf(err, errlen, "%s did not finish within %d ms; killed", url, timeout_ms);
	} else if (rc == -E2BIG) {
		snprintf(err, errlen, "the DOM of %s is larger than %zu bytes", url, dom->max);
	} else if (rc) {
		snprintf(err, errlen, "reading Chromium's output: %s", strerror(-rc));
	} else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		if (WIFSIGNALED(status))
			snprintf(err, errlen, "Chromium was killed by signal %d: %s", WTERMSIG(status), said);
		else
			snprintf(err, errlen, "Chromium exited with status %d: %s", WEXITSTATUS(status), said);
		rc = -EIO;
	} else if (dom->len == c.dom_start) {
		snprintf(err, errlen, "Chromium printed no DOM for %s: %s", url, said);
		rc = -EIO;
	}
	if (rc && rc != -E2BIG && dom->data) { /* no half page: the caller gets all or nothing */
		dom->len = c.dom_start;
		dom->data[dom->len] = '\0';
	}
	return rc;
}

int browser_pool_check(const struct browser_pool *p, char *err, size_t errlen)
{
	if (access(p->chromium, X_OK) == 0)
		return 0;
	snprintf(err, errlen,
		 "Chromium not found at %s: install Debian's chromium package (apt install chromium), or set "
		 "the chromium setting (JOBTRACK_CHROMIUM) to a Chromium program, or turn render off",
		 p->chromium);
	return -ENOENT;
}

int browser_profile_new(const struct browser_pool *p, char *dir, size_t n, char *err, size_t errlen)
{
	int w = snprintf(dir, n, "%s/jobtrack-chromium-XXXXXX", p->tmp_dir);
	if (w < 0 || (size_t)w >= n - 16) {
		snprintf(err, errlen, "the temporary directory's name is too long: %s", p->tmp_dir);
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(dir)) {
		int rc = -errno;
		snprintf(err, errlen, "cannot make a profile directory in %s: %s", p->tmp_dir, strerror(errno));
		return rc;
	}
	return 0;
}

void browser_profile_remove(const char *dir)
{
	remove_tree(dir);
}

void browser_count(struct browser_pool *p, int rc, int64_t started_ms)
{
	if (p->renders)
		atomic_fetch_add_explicit(p->renders, 1, memory_order_relaxed);
	if (rc && p->failures)
		atomic_fetch_add_explicit(p->failures, 1, memory_order_relaxed);
	if (p->seconds)
		metrics_observe(p->seconds, 0, (double)(browser_now_ms() - started_ms) / 1000.0);
}

int browser_session(struct browser_pool *p, browser_run_fn *run_fn, void *arg, char *err, size_t errlen)
{
	int rc = browser_pool_check(p, err, errlen);
	if (rc)
		return rc;
	browser_slot_take(p);
	int64_t t0 = browser_now_ms();
	char dir[4096];
	if ((rc = browser_profile_new(p, dir, sizeof(dir), err, errlen)) == 0) {
		rc = run_fn(p, dir, arg, err, errlen);
		remove_tree(dir);
	}
	browser_count(p, rc, t0);
	browser_slot_give(p);
	return rc;
}

struct dump_arg {
	const char *url;
	int timeout_ms;
	struct buf *dom;
};

static int run_dump(struct browser_pool *p, const char *dir, void *arg, char *err, size_t errlen)
{
	struct dump_arg *d = arg;
	return run(p, d->url, dir, d->timeout_ms, d->dom, err, errlen);
}

int browser_render(struct browser_pool *p, const char *url, int timeout_ms, struct buf *dom_out, char *err,
		   size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!url || !text_http_url(url) || timeout_ms <= 0) {
		snprintf(err, errlen, "not an http(s) URL or no time limit: %s", url ? url : "(null)");
		return -EINVAL;
	}
	struct dump_arg d = { .url = url, .timeout_ms = timeout_ms, .dom = dom_out };
	return browser_session(p, run_dump, &d, err, errlen);
}

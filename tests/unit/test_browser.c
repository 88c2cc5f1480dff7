/* Tests for src/scrape/browser: headless Chromium against a small HTTP
 * server on loopback (in this file). A page whose postings JavaScript
 * builds — fetched JSON turned into a JSON-LD script and a list after a
 * timer — must come back with them in the DOM; a page that never finishes
 * (an endless loop) must be killed at the time limit with nothing left
 * running; a pool of two must never run more than two Chromium processes.
 * Skipped when Chromium is not installed (except the test of that error). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "children.h"
#include "scrape/browser.h"

#define RENDER_MS 30000 /* generous: the machine may be busy; a render takes 1–3 s */

/* ---- the site ------------------------------------------------------------- */

static const char jobs_page[] =
    "<!doctype html><html><head><title>Careers</title></head><body>\n"
    "<h1>Open roles</h1><ul id=\"jobs\"></ul>\n"
    "<script>\n"
    "fetch('/api/jobs.json').then(function (r) { return r.json(); }).then(function (jobs) {\n"
    "  setTimeout(function () {\n" /* page time, which the virtual-time budget fast-forwards */
    "    var ld = document.createElement('script');\n"
    "    ld.type = 'application/ld+json';\n"
    "    ld.textContent = JSON.stringify({ '@context': 'https://schema.org', '@type': 'JobPosting',\n"
    "      title: jobs[0].title, jobLocation: jobs[0].location });\n"
    "    document.head.appendChild(ld);\n"
    "    jobs.forEach(function (j) {\n"
    "      var li = document.createElement('li');\n"
    "      li.className = 'job';\n"
    "      li.textContent = j.title + ' @ ' + j.location;\n"
    "      document.getElementById('jobs').appendChild(li);\n"
    "    });\n"
    "  }, 1500);\n"
    "});\n"
    "</script></body></html>\n";

static const char jobs_json[] = "[{\"title\":\"Platform Engineer\",\"location\":\"Berlin\"},"
				"{\"title\":\"Data Analyst\",\"location\":\"Lisbon\"}]";

static const char spin_page[] = "<!doctype html><html><body><p>loading</p>"
				"<script>for (;;) {}</script></body></html>";

static const char slow_page[] = "<!doctype html><html><body><p id=\"done\">slow page</p></body></html>";

struct site {
	int fd;
	int port;
	pthread_t thread;
	atomic_int open;     /* connections being answered */
	atomic_int slow_now; /* /slow requests being answered */
	atomic_int slow_max; /* the most at once */
	atomic_int slow_served;
};

static struct site site;

static void respond(int fd, const char *type, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 type, strlen(body));
	if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
		return;
}

static void *answer(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char req[4096];
	size_t len = 0;
	while (len < sizeof(req) - 1) {
		ssize_t n = read(fd, req + len, sizeof(req) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = '\0';
	if (strncmp(req, "GET /jobs ", 10) == 0) {
		respond(fd, "text/html", jobs_page);
	} else if (strncmp(req, "GET /api/jobs.json ", 19) == 0) {
		respond(fd, "application/json", jobs_json);
	} else if (strncmp(req, "GET /spin ", 10) == 0) {
		respond(fd, "text/html", spin_page);
	} else if (strncmp(req, "GET /slow ", 10) == 0) {
		int now = atomic_fetch_add(&site.slow_now, 1) + 1;
		for (int max = atomic_load(&site.slow_max); now > max;)
			if (atomic_compare_exchange_weak(&site.slow_max, &max, now))
				break;
		usleep(1500 * 1000);
		atomic_fetch_sub(&site.slow_now, 1);
		atomic_fetch_add(&site.slow_served, 1);
		respond(fd, "text/html", slow_page);
	} else {
		const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
		if (write(fd, nf, strlen(nf)) < 0)
			perror("write");
	}
	close(fd);
	atomic_fetch_sub(&site.open, 1);
	return NULL;
}

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(site.fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL; /* the listening socket was shut down */
		}
		atomic_fetch_add(&site.open, 1);
		pthread_t t;
		if (pthread_create(&t, NULL, answer, (void *)(intptr_t)fd) == 0) {
			pthread_detach(t);
		} else {
			close(fd);
			atomic_fetch_sub(&site.open, 1);
		}
	}
}

static int chromium_installed(void)
{
	const char *env = getenv("JOBTRACK_CHROMIUM");
	return access(env && *env ? env : BROWSER_CHROMIUM, X_OK) == 0;
}

static char tmp_dir[64];

static int site_start(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/jt-browser-test-XXXXXX");
	if (!mkdtemp(tmp_dir))
		return -1;
	site.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	if (site.fd < 0 || bind(site.fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(site.fd, 64) ||
	    getsockname(site.fd, (struct sockaddr *)&addr, &alen))
		return -1;
	site.port = ntohs(addr.sin_port);
	return pthread_create(&site.thread, NULL, serve, NULL) ? -1 : 0;
}

static int site_stop(void **state)
{
	(void)state;
	shutdown(site.fd, SHUT_RDWR);
	close(site.fd);
	pthread_join(site.thread, NULL);
	for (int i = 0; i < 500 && atomic_load(&site.open); i++)
		usleep(10000);
	rmdir(tmp_dir);
	return 0;
}

static void url_of(char *out, size_t n, const char *path)
{
	snprintf(out, n, "http://127.0.0.1:%d%s", site.port, path);
}

static struct browser_pool *pool_of(unsigned max)
{
	struct browser_options opt = { .max_concurrent = max, .tmp_dir = tmp_dir, .virtual_time_budget_ms = 5000 };
	struct browser_pool *p = NULL;
	assert_int_equal(browser_pool_new(&opt, &p), 0);
	return p;
}

/* ---- what is left behind -------------------------------------------------- */

/* Counts the processes for which counts(text of /proc/PID/FILE) is true. */
static int count_processes(const char *file, bool (*counts)(char *text, size_t len))
{
	int found = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], text[8192];
		snprintf(path, sizeof(path), "/proc/%s/%s", e->d_name, file);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		found += counts(text, n);
	}
	if (d)
		closedir(d);
	return found;
}

/* Every Chromium process carries --user-data-dir= in our temporary directory. */
static bool names_tmp_dir(char *cmdline, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (cmdline[i] == '\0')
			cmdline[i] = ' ';
	return strstr(cmdline, tmp_dir) != NULL;
}

static int processes_using_tmp_dir(void)
{
	return count_processes("cmdline", names_tmp_dir);
}

static int entries_in_tmp_dir(void)
{
	int n = 0;
	DIR *d = opendir(tmp_dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* No Chromium process is still running, and every profile was removed.
 * browser_render waits for the processes it killed, with a bound; on a
 * loaded machine a dying renderer may outlast it by a little, so this
 * allows a few more seconds before it calls one left behind. */
static void assert_nothing_left(void)
{
	for (int waited = 0; waited < 100 && processes_using_tmp_dir() > 0; waited++) {
		struct timespec pause = { .tv_sec = 0, .tv_nsec = 50 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	assert_int_equal(processes_using_tmp_dir(), 0);
	assert_int_equal(entries_in_tmp_dir(), 0);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* ---- the tests ----------------------------------------------------------- */

static void test_javascript_built_postings_are_in_the_dom(void **state)
{
	(void)state;
	if (!chromium_installed())
		skip();
	struct browser_pool *p = pool_of(2);
	char url[128], err[512];
	url_of(url, sizeof(url), "/jobs");
	struct buf dom;
	buf_init(&dom, BROWSER_DOM_MAX);
	int rc = browser_render(p, url, RENDER_MS, &dom, err, sizeof(err));
	if (rc)
		fail_msg("render failed (%d): %s", rc, err);
	/* none of these strings is in the page's source: scripts made them */
	assert_non_null(strstr(dom.data, "<script type=\"application/ld+json\">"));
	assert_non_null(strstr(dom.data, "\"@type\":\"JobPosting\""));
	assert_non_null(strstr(dom.data, "\"title\":\"Platform Engineer\""));
	assert_non_null(strstr(dom.data, "<li class=\"job\">Platform Engineer @ Berlin</li>"));
	assert_non_null(strstr(dom.data, "<li class=\"job\">Data Analyst @ Lisbon</li>"));
	assert_null(strstr(jobs_page, "Platform Engineer @ Berlin"));
	buf_free(&dom);
	assert_nothing_left();

	/* a DOM over the caller's bound is refused, and nothing is left running */
	buf_init(&dom, 100);
	assert_int_equal(browser_render(p, url, RENDER_MS, &dom, err, sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "larger than 100 bytes"));
	assert_true(dom.len <= 100);
	buf_free(&dom);
	assert_nothing_left();
	browser_pool_free(p);
}

static void test_a_page_that_never_finishes_is_killed_at_the_limit(void **state)
{
	(void)state;
	if (!chromium_installed())
		skip();
	struct browser_pool *p = pool_of(2);
	char url[128], err[512];
	url_of(url, sizeof(url), "/spin");
	struct buf dom;
	buf_init(&dom, BROWSER_DOM_MAX);
	buf_puts(&dom, "kept");
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int rc = browser_render(p, url, 3000, &dom, err, sizeof(err));
	double took = seconds_since(&start);
	assert_int_equal(rc, -ETIMEDOUT);
	assert_non_null(strstr(err, "did not finish within 3000 ms"));
	assert_true(took >= 3.0);
	assert_true(took < 6.0);               /* killed at the limit, cleaned up quickly */
	assert_string_equal(dom.data, "kept"); /* what the caller had stays; no half page is added */
	assert_nothing_left();
	buf_free(&dom);
	browser_pool_free(p);
}

struct render_job {
	struct browser_pool *pool;
	char url[128];
	int rc;
	char err[512];
	struct buf dom;
};

static void *render_thread(void *arg)
{
	struct render_job *j = arg;
	buf_init(&j->dom, BROWSER_DOM_MAX);
	j->rc = browser_render(j->pool, j->url, RENDER_MS, &j->dom, j->err, sizeof(j->err));
	return NULL;
}

static void test_the_pool_bounds_concurrent_renders(void **state)
{
	(void)state;
	if (!chromium_installed())
		skip();
	struct browser_pool *p = pool_of(2);
	enum { N = 4 };
	struct render_job jobs[N];
	pthread_t threads[N];
	atomic_store(&site.slow_max, 0);
	atomic_store(&site.slow_served, 0);
	for (int i = 0; i < N; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].pool = p;
		url_of(jobs[i].url, sizeof(jobs[i].url), "/slow");
		assert_int_equal(pthread_create(&threads[i], NULL, render_thread, &jobs[i]), 0);
	}
	/* sample this process's children until every render is done */
	int most = 0;
	while (atomic_load(&site.slow_served) < N) {
		int now = children_alive();
		if (now > most)
			most = now;
		usleep(20000);
		static int rounds;
		if (++rounds > 100 * 60 * 2)
			break; /* two minutes: give up, the joins below report */
	}
	for (int i = 0; i < N; i++) {
		pthread_join(threads[i], NULL);
		if (jobs[i].rc)
			fail_msg("render %d failed (%d): %s", i, jobs[i].rc, jobs[i].err);
		assert_non_null(strstr(jobs[i].dom.data, "<p id=\"done\">slow page</p>"));
		buf_free(&jobs[i].dom);
	}
	assert_int_equal(most, 2);                     /* two Chromium processes at once, never more */
	assert_true(atomic_load(&site.slow_max) <= 2); /* and the site saw at most two at a time */
	assert_nothing_left();
	browser_pool_free(p);
}

static void test_clear_errors(void **state)
{
	(void)state;
	struct browser_options opt = { .chromium = "/nonexistent/chromium", .tmp_dir = tmp_dir };
	struct browser_pool *p;
	assert_int_equal(browser_pool_new(&opt, &p), 0);
	char err[512];
	struct buf dom;
	buf_init(&dom, 1024);
	assert_int_equal(browser_render(p, "http://127.0.0.1/", 1000, &dom, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "Chromium not found at /nonexistent/chromium"));
	assert_non_null(strstr(err, "chromium package"));
	assert_int_equal(browser_render(p, "file:///etc/passwd", 1000, &dom, err, sizeof(err)), -EINVAL);
	assert_int_equal(browser_render(p, "http://127.0.0.1/", 0, &dom, err, sizeof(err)), -EINVAL);
	assert_int_equal(dom.len, 0);
	buf_free(&dom);
	browser_pool_free(p);
	/* a program that is not Chromium: it fails, and says how */
	opt.chromium = "/bin/false";
	assert_int_equal(browser_pool_new(&opt, &p), 0);
	buf_init(&dom, 1024);
	assert_int_equal(browser_render(p, "http://127.0.0.1/", 5000, &dom, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "exited with status 1"));
	buf_free(&dom);
	browser_pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear_errors),
		cmocka_unit_test(test_javascript_built_postings_are_in_the_dom),
		cmocka_unit_test(test_a_page_that_never_finishes_is_killed_at_the_limit),
		cmocka_unit_test(test_the_pool_bounds_concurrent_renders),
	};
	return cmocka_run_group_tests(tests, site_start, site_stop);
}

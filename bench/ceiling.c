/* The ceiling: the smallest libmicrohttpd server that answers every request
 * with a constant JSON body, configured like jobtrack's (thread pool, epoll,
 * response queued on the second callback). What it serves on this machine is
 * the most any server on this stack can. usage: ceiling PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char body[16384];
static size_t body_len;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)cls, (void)url, (void)method, (void)version, (void)upload;
	static int first;
	if (!*state) {
		*state = &first;
		return MHD_YES;
	}
	*upload_size = 0;
	struct MHD_Response *r = MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ceiling PORT THREADS\n");
		return 2;
	}
	/* About the size of jobtrack's 50-application list (~22 KB). */
	size_t n = 0;
	n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"items\":[");
	while (n < 15000)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "{\"id\":1,\"company\":\"Acme\",\"position\":\"Engineer\"},");
	n += (size_t)snprintf(body + n - 1, sizeof(body) - n, "]}") - 1;
	body_len = strlen(body);
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY, (uint16_t)strtol(argv[1], NULL, 10), NULL, NULL,
	    answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)strtol(argv[2], NULL, 10), MHD_OPTION_END);
	if (!d)
		return 1;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int sig;
	sigwait(&s, &sig);
	MHD_stop_daemon(d);
	return 0;
}

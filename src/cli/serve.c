/* jobtrack serve — the web UI and API. */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "version.h"
#include "web/web.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack serve [options]\n\n"
		     "Runs the web UI and the REST API. Stops cleanly on SIGTERM or Ctrl-C: requests in\n"
		     "flight finish and the database closes.\n\n"
		     "options:\n"
		     "  --print-config           print the effective settings (secrets masked) and exit\n");
	config_print_flags(out);
}

int cmd_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	struct config cfg;
	int rc = cli_config(&cfg, argc, argv, NULL);
	if (rc)
		return rc;
	if (cfg.print_config) {
		config_print(&cfg, stdout);
		config_free(&cfg);
		return 0;
	}
	int level = log_level_parse(cfg.log_level);
	if (level < 0) {
		fprintf(stderr, "jobtrack: unknown log level \"%s\": use debug, info, warn or error\n", cfg.log_level);
		config_free(&cfg);
		return 2;
	}
	log_set_level((enum log_level)level);

	/* Responses and arenas are tens of kilobytes per request: keep them on
	 * the heap and keep freed heap around, instead of mapping and faulting
	 * fresh pages for every request (measured: a fifth of the board's time). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 4 << 20);

	/* Block the stop signals in every thread; main waits for them below. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct store *store = NULL;
	uint8_t secret[32];
	size_t secret_len;
	if (cli_open_store(&cfg, &store) || cli_secret(&cfg, secret, &secret_len)) {
		store_close(store);
		config_free(&cfg);
		return 1;
	}
	struct web web = { .scheduler = NULL };
	char err[512] = "";
	if (web_start(&web, &cfg, store, secret, secret_len, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
		store_close(store);
		config_free(&cfg);
		return 1;
	}
	log_event(LOG_INFO, "serve.start", "jobtrack %s listening on %s://%s (port %u), data in %s", JOBTRACK_VERSION,
		  web.tls ? "https" : "http", cfg.listen, web.port, cfg.data_dir);
	int sig = 0;
	sigwait(&stop, &sig);
	log_event(LOG_INFO, "serve.stop", "received %s: finishing requests in flight",
		  sig == SIGTERM ? "SIGTERM" : "SIGINT");
	web_stop(&web);
	store_close(store);
	log_event(LOG_INFO, "serve.stopped", "database closed; goodbye");
	config_free(&cfg);
	return 0;
}

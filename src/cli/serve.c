/* jobtrack serve — the web UI and API. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "analytics/market.h"
#include "base/log.h"
#include "base/url_mask.h"
#include "blob/blob.h"
#include "resume/backup_files.h"
#include "bus/bus.h"
#include "cli/cli.h"
#include "notify/mail.h"
#include "notify/task.h"
#include "cli/serve_best.h"
#include "cli/serve_alerts.h"
#include "cli/serve_taxonomy.h"
#include "scrape/fetch.h"
#include "scrape/scheduler.h"
#include "search/service.h"
#include "version.h"
#include "resume/service.h"
#include "scan/service.h"
#include "web/web.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack serve [options]\n\n"
		     "Runs the web UI and the REST API, and in the background the configured sources on their\n"
		     "schedules (DATA_DIR/sources.conf is synced into the database at start) and the ingest\n"
		     "of what they find, and every --reminder-interval seconds the reminder task: follow-up\n"
		     "reminders by e-mail (with --smtp-url) and to users' webhooks, and auto-ghosting.\n"
		     "Resume scans use the built-in skills taxonomy with the extension in DATA_DIR/taxonomy/\n"
		     "(`jobtrack taxonomy import`) merged on top, read once at start: restart after an import.\n"
		     "Check it first with `jobtrack scan --check-taxonomy --data-dir DIR`.\n"
		     "Stops cleanly on SIGTERM or Ctrl-C: requests in flight finish,\n"
		     "running scrapes end as cancelled, and the database closes.\n\n"
		     "options:\n"
		     "  --sources FILE           the sources file (default DATA_DIR/sources.conf); it must exist.\n"
		     "                           Its sources are read-only in the admin pages and API\n"
		     "  --print-config           print the effective settings (secrets masked) and exit\n");
	config_print_flags(out);
}

static int feed_market(void *ctx, const struct store_posting *p, const struct posting_source_group *groups, size_t n)
{
	return market_put(ctx, p, groups, n);
}

int cmd_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	/* --sources FILE is serve's own; the rest are the shared settings. */
	const char *sources_arg = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int n_rest = 0;
	if (!rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--sources") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jobtrack: --sources needs a file (see: jobtrack serve --help)\n");
				free(rest);
				return 2;
			}
			sources_arg = argv[++i];
		} else if (strncmp(argv[i], "--sources=", 10) == 0) {
			sources_arg = argv[i] + 10;
		} else {
			rest[n_rest++] = argv[i];
		}
	}
	/* A file named on purpose must be there: syncing a missing one would
	 * disable every source an earlier file wrote. */
	struct stat sources_st;
	if (sources_arg && (!*sources_arg || stat(sources_arg, &sources_st) != 0 || !S_ISREG(sources_st.st_mode))) {
		fprintf(stderr, "jobtrack: --sources %s: %s\n", sources_arg,
			!*sources_arg || errno == ENOENT ? "no such file" : "not a readable file");
		free(rest);
		return 2;
	}
	struct config cfg;
	int rc = cli_config(&cfg, n_rest, rest, NULL);
	free(rest);
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

	/* The skills taxonomy with the user's extension (DATA_DIR/taxonomy/,
	 * `jobtrack taxonomy import`), compiled once for every scan: at start
	 * with an extension, else on first use (serve_taxonomy.h). */
	struct serve_taxonomy tax;
	if ((rc = serve_taxonomy_open(&tax, cfg.data_dir)) != 0) {
		config_free(&cfg);
		return rc;
	}
	struct scan_matcher *matcher = &tax.matcher;

	struct store *store = NULL;
	uint8_t secret[32];
	size_t secret_len;
	if (cli_open_store(&cfg, &store) || cli_secret(&cfg, secret, &secret_len)) {
		store_close(store);
		serve_taxonomy_close(&tax);
		config_free(&cfg);
		return 1;
	}
	/* The scraper's half: the queue, the raw archive, and the scheduler that
	 * runs sources and ingest on background threads (never request threads). */
	char err[1024] = "";
	struct bus *bus = NULL;
	struct blob *blob = NULL;
	struct scrape_scheduler *sched = NULL;
	char sources[4096];
	if (sources_arg)
		snprintf(sources, sizeof(sources), "%s", sources_arg);
	else
		snprintf(sources, sizeof(sources), "%s/sources.conf", cfg.data_dir);
	char user_agent[320];
	fetch_user_agent_make(user_agent, sizeof(user_agent), cfg.scrape_user_agent, cfg.scrape_contact_url);
	struct scrape_scheduler_options so = { .store = store,
					       .sources_file = sources,
					       .workers = (int)cfg.task_workers,
					       .user_agent = user_agent,
					       .chromium = cfg.chromium,
					       .render_browsers = (unsigned)cfg.render_browsers,
					       .render_timeout_ms = (int)cfg.render_timeout * 1000 };
	/* libcurl (and OpenSSL) start with the first fetch, webhook or
	 * e-mail (base/curl_once.h), not here. */
	if (bus_open(cfg.bus_url, cfg.data_dir, &bus, err, sizeof(err)) ||
	    blob_open(cfg.blob_url, cfg.data_dir, &blob, err, sizeof(err)))
		;
	else {
		so.bus = bus;
		so.blob = blob;
		if (scrape_scheduler_start(&so, &sched, err, sizeof(err)))
			sched = NULL;
	}
	if (!sched) {
		fprintf(stderr, "jobtrack: %s\n", err);
		blob_close(blob);
		bus_close(bus);
		store_close(store);
		serve_taxonomy_close(&tax);
		config_free(&cfg);
		return 1;
	}
	/* The search index builds on its own thread: listening starts at once. */
	struct search_service *search = NULL;
	/* The dashboard's market view, fed by the search index's thread; its
	 * skills come from the taxonomy compiled above. */
	struct market *market = market_new(matcher);
	struct search_feed feed = { feed_market, market };
	if (search_service_start_fed(store, SEARCH_SERVICE_POLL_MS, market ? &feed : NULL, &search))
		log_event(LOG_ERROR, "search.start", "the search index could not start: searches will answer 503");
	/* Resumes: files encrypted in the blob store, read by src/resume's
	 * extractor; scans use the taxonomy compiled above. */
	struct resume_service resumes;
	resume_service_init(&resumes, store, blob, secret, secret_len, resume_extract_text);
	struct scan_service scans;
	scan_service_init(&scans, store, &resumes, matcher);
	/* Backups carry resume files through the resumes' vault. */
	struct backup_files files;
	resume_backup_files(&resumes.vault, &files);
	/* Best matches: the posting term cache and its filling thread. */
	struct serve_best best;
	serve_best_start(&best, store, &resumes, search, matcher);
	struct web web = { .scheduler = sched,
			   .search = search,
			   .matcher = matcher,
			   .resumes = &resumes,
			   .scans = &scans,
			   .backup_files = &files,
			   .best = best.best,
			   .market = market };
	/* Saved-search digests by e-mail, when the admin configured SMTP. */
	struct serve_alerts *alerts = NULL;
	int started = web_start(&web, &cfg, store, secret, secret_len, err, sizeof(err));
	if (started == 0 &&
	    serve_alerts_start(&cfg, store, search, web.port, web.tls, secret, secret_len, &alerts, err, sizeof(err))) {
		web_stop(&web);
		started = -1;
	}
	if (started) {
		fprintf(stderr, "jobtrack: %s\n", err);
		serve_best_stop(&best);
		scan_service_fini(&scans);
		resume_service_fini(&resumes);
		search_service_stop(search);
		market_free(market);
		scrape_scheduler_stop(sched);
		blob_close(blob);
		bus_close(bus);
		store_close(store);
		serve_taxonomy_close(&tax);
		config_free(&cfg);
		return 1;
	}
	/* Follow-up reminders and auto-ghosting, on a thread of their own. */
	struct reminder_task *reminders = NULL;
	struct reminder_options ro = { .store = store,
				       .allow_private = cfg.webhook_allow_private != 0,
				       .webhook_timeout_ms = cfg.webhook_timeout * 1000,
				       .webhook_tries = 3,
				       .retry_base_s = cfg.reminder_interval,
				       .max_attempts = 5 };
	struct mail_config mail;
	char public_url[512];
	if (mail_config_from(&cfg, &mail, err, sizeof(err)))
		log_event(LOG_ERROR, "reminders.mail", "e-mail is off: %s", err);
	else if (mail_enabled(&mail)) {
		ro.mail = reminder_mail_smtp;
		ro.mail_ctx = &mail;
	}
	if (*cfg.public_url)
		snprintf(public_url, sizeof(public_url), "%s", cfg.public_url);
	else
		snprintf(public_url, sizeof(public_url), "%s://%s", web.tls ? "https" : "http", cfg.listen);
	size_t pl = strlen(public_url);
	if (pl && public_url[pl - 1] == '/')
		public_url[pl - 1] = '\0';
	ro.public_url = public_url;
	if (reminder_task_start(&ro, (int64_t)cfg.reminder_interval * 1000, &reminders))
		log_event(LOG_ERROR, "reminders.start", "the reminder task could not start: no reminders will be sent");
	char database[512];
	url_mask(cfg.database_url, database, sizeof(database));
	log_event(LOG_INFO, "serve.start", "jobtrack %s listening on %s://%s (port %u), database %s", JOBTRACK_VERSION,
		  web.tls ? "https" : "http", cfg.listen, web.port, database);
	int sig = 0;
	sigwait(&stop, &sig);
	log_event(LOG_INFO, "serve.stop", "received %s: finishing requests in flight",
		  sig == SIGTERM ? "SIGTERM" : "SIGINT");
	serve_alerts_stop(alerts);
	web_stop(&web);
	reminder_task_stop(reminders);
	serve_best_stop(&best); /* reads resumes through the service below */
	scan_service_fini(&scans);
	resume_service_fini(&resumes);
	search_service_stop(search);
	market_free(market);
	scrape_scheduler_stop(sched);
	blob_close(blob);
	bus_close(bus);
	curl_global_cleanup();
	store_close(store);
	log_event(LOG_INFO, "serve.stopped", "database closed; goodbye");
	serve_taxonomy_close(&tax);
	config_free(&cfg);
	return 0;
}

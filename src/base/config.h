/* config — the one place that knows every setting, its default, and where it
 * may come from. Precedence, lowest first: built-in defaults, the config file
 * (`--config FILE`, $JOBTRACK_CONFIG, or DATA_DIR/jobtrack.conf when present),
 * JOBTRACK_* environment variables, command-line flags.
 *
 * The config file is `key = value` lines; `#` starts a comment. Keys are the
 * flag names without dashes, with '_' for '-' (e.g. `data_dir = /srv/jt`). */
#ifndef JT_BASE_CONFIG_H
#define JT_BASE_CONFIG_H

#include <stdio.h>

struct config {
	char *listen; /* "127.0.0.1:8080" or "[::1]:8080" */
	char *data_dir;
	char *database_url;              /* "sqlite:PATH"; default sqlite:DATA_DIR/jobtrack.db */
	long database_lock_timeout;      /* ms a statement waits for a lock (store_set_timeouts) */
	long database_statement_timeout; /* ms a PostgreSQL statement may run; 0 = no limit */
	char *bus_url;                   /* "embedded:" (DATA_DIR/bus) or "embedded:/path"; bus/bus.h */
	char *blob_url;                  /* "file:" (DATA_DIR/blobs) or "file:/path"; blob/blob.h */
	char *secret_key;                /* empty: read or create DATA_DIR/secret.key */
	char *log_level;
	char *tls_cert; /* PEM files; both set turns TLS on */
	char *tls_key;
	char *trusted_proxies; /* comma-separated addresses whose X-Forwarded-* we believe */
	long threads;          /* HTTP worker threads; 0 = one per CPU */
	long max_json_body;    /* bytes */
	long max_form_body;
	long max_upload;
	long max_header;      /* bytes of request line + headers */
	long request_timeout; /* seconds a connection may idle or dawdle */
	long session_days;
	long jwt_ttl;                  /* seconds */
	long login_limit;              /* failed logins per account per window */
	long address_limit;            /* login + signup attempts per address per window */
	long limit_window;             /* seconds */
	long response_cache_mb;        /* budget of the listing cache; 0 turns it off */
	long task_workers;             /* background task threads in serve (base/tasks.h) */
	long import_private_addresses; /* 1: imports by URL may reach non-public addresses (base/address.h) */
	long reminder_interval;        /* seconds between reminder runs (notify/task.h) */
	long webhook_allow_private;    /* 1: webhooks may reach private and loopback addresses */
	long webhook_timeout;          /* seconds per webhook try */
	char *public_url;              /* how users reach this server, for links in e-mails; "" = from listen */
	char *smtp_url;                /* smtp:// or smtps://; "" = no e-mail (notify/mail.h) */
	long smtp_starttls;            /* 1: an smtp:// session must switch to TLS */
	char *smtp_from;
	char *smtp_user;
	char *smtp_password;
	long smtp_timeout;    /* seconds */
	long alert_interval;  /* seconds between looks for saved-search digests that are due */
	char *chromium;       /* headless Chromium for sources that render (scrape/browser.h) */
	long render_browsers; /* Chromium processes at once, across every run */
	long render_timeout;  /* seconds one page may take to render */
	/* The scraper's User-Agent (scrape/fetch.h fetch_user_agent_make): a
	 * whole one, which must name jobtrack, or "" for "jobtrack/VERSION
	 * (+CONTACT_URL)" with the contact URL where a site owner reads who we are. */
	char *scrape_user_agent;
	char *scrape_contact_url;
	int print_config; /* serve --print-config */
};

/* Fills cfg from all sources. argv holds only the flags of the subcommand
 * (options the caller handles itself are skipped when listed in `extra`,
 * a NULL-terminated list of long option names taking no value).
 * On a bad flag or value writes a message to err and returns -1. */
int config_load(struct config *cfg, int argc, char **argv, const char *const *extra, char *err, size_t errlen);
void config_free(struct config *cfg);
/* Prints the effective configuration as `key = value` lines, secrets masked. */
void config_print(const struct config *cfg, FILE *out);
/* Prints the flags config_load understands, for --help. */
void config_print_flags(FILE *out);
/* Only the flags named (without dashes; NULL = all), for commands that use a few. */
void config_print_some_flags(FILE *out, const char *const *names);

#endif

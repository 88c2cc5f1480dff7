#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/url_mask.h"

enum opt_kind { OPT_STR, OPT_LONG };

struct opt {
	const char *name; /* flag without "--"; '-' becomes '_' in files, upper-case in env */
	enum opt_kind kind;
	size_t offset;
	const char *def;
	long min, max;
	int secret;
	const char *help;
};

#define S(field, name, def, secret, help) \
	{ \
		name, OPT_STR, offsetof(struct config, field), def, 0, 0, secret, help \
	}
#define L(field, name, def, min, max, help) \
	{ \
		name, OPT_LONG, offsetof(struct config, field), def, min, max, 0, help \
	}

static const struct opt opts[] = {
	S(listen, "listen", "127.0.0.1:8080", 0, "address:port to listen on"),
	S(data_dir, "data-dir", "./jobtrack-data", 0, "directory for the database, secret key, uploads"),
	S(database_url, "database-url", "", 0,
	  "store URL: sqlite:PATH (default sqlite:DATA_DIR/jobtrack.db) or postgres://USER:PASSWORD@HOST:PORT/DB (also "
	  "?host=/socket/dir)"),
	L(database_lock_timeout, "database-lock-timeout", "5000", 1, 600000,
	  "milliseconds a database statement waits for a lock held elsewhere before the request answers 503 "
	  "(busy, try again)"),
	L(database_statement_timeout, "database-statement-timeout", "60000", 0, 86400000,
	  "milliseconds one PostgreSQL statement may run before it is cancelled and the request answers 503 "
	  "(0 = no limit; migrations and migrate --copy-to have none)"),
	S(bus_url, "bus-url", "embedded:", 0,
	  "message bus URL: embedded: (a durable queue in DATA_DIR/bus) or embedded:/path"),
	S(blob_url, "blob-url", "file:", 0, "blob store URL: file: (DATA_DIR/blobs) or file:/path"),
	S(secret_key, "secret-key", "", 1, "signing key (default: generated into DATA_DIR/secret.key)"),
	S(log_level, "log-level", "info", 0, "debug | info | warn | error"),
	S(tls_cert, "tls-cert", "", 0, "PEM certificate: serve HTTPS in-process (with --tls-key)"),
	S(tls_key, "tls-key", "", 1, "PEM private key for --tls-cert"),
	S(trusted_proxies, "trusted-proxies", "", 0,
	  "comma-separated proxy addresses whose X-Forwarded-For/-Proto count"),
	L(threads, "threads", "0", 0, 256, "HTTP worker threads (0 = one per CPU)"),
	L(max_json_body, "max-json-body", "1048576", 1024, 1L << 30, "largest JSON request body, bytes"),
	L(max_form_body, "max-form-body", "65536", 1024, 1L << 30, "largest form body, bytes"),
	L(max_upload, "max-upload", "10485760", 1024, 1L << 32, "largest upload (CSV import), bytes"),
	L(max_header, "max-header", "16384", 2048, 1L << 20, "largest request line + headers, bytes"),
	L(request_timeout, "request-timeout", "30", 1, 3600, "seconds before an idle or slow connection is closed"),
	L(session_days, "session-days", "30", 1, 3650, "days a browser session lasts"),
	L(jwt_ttl, "jwt-ttl", "3600", 60, 86400 * 30, "seconds an API token from /api/v1/auth/token lasts"),
	L(login_limit, "login-limit", "10", 1, 1000000,
	  "failed log-ins (and wrong current passwords) per account and address per window; past it from "
	  "many addresses an account's log-ins are only slowed down, for clients it does not know, and its "
	  "password changes wait for the window"),
	L(address_limit, "address-limit", "60", 1, 1000000, "log-in and sign-up attempts per address per window"),
	L(limit_window, "limit-window", "900", 1, 86400, "rate-limit window, seconds"),
	L(response_cache_mb, "response-cache-mb", "16", 0, 4096, "memory for cached API listings, MiB (0 = off)"),
	L(task_workers, "task-workers", "2", 1, 64, "threads running background tasks (scrapes, ingest) in serve"),
	L(import_private_addresses, "import-private-addresses", "0", 0, 1,
	  "1: \"Add a job by URL\" may fetch loopback and private-network addresses (an intranet's job pages, "
	  "tests); 0 refuses them"),
	L(reminder_interval, "reminder-interval", "900", 1, 86400,
	  "seconds between runs of the reminder task (follow-up reminders, auto-ghosting, retries)"),
	L(webhook_allow_private, "webhook-allow-private", "0", 0, 1,
	  "1 lets users' webhooks reach private and loopback addresses (only on a trusted network)"),
	L(webhook_timeout, "webhook-timeout", "10", 1, 120, "seconds a webhook receiver has to answer one try"),
	S(public_url, "public-url", "", 0,
	  "the address users open jobtrack at, for links in e-mails (default http://LISTEN)"),
	S(smtp_url, "smtp-url", "", 0,
	  "SMTP server for e-mail: smtp://HOST:PORT or smtps://HOST:PORT (empty: no e-mail)"),
	L(smtp_starttls, "smtp-starttls", "1", 0, 1, "1: an smtp:// connection must switch to TLS (STARTTLS)"),
	S(smtp_from, "smtp-from", "", 0, "sender of e-mails: ADDRESS or \"NAME <ADDRESS>\""),
	S(smtp_user, "smtp-user", "", 0, "SMTP user name (empty: no authentication)"),
	S(smtp_password, "smtp-password", "", 1, "SMTP password (better in the config file or JOBTRACK_SMTP_PASSWORD)"),
	L(smtp_timeout, "smtp-timeout", "30", 1, 600, "seconds one e-mail may take to send"),
	L(alert_interval, "alert-interval", "900", 1, 86400,
	  "seconds between looks for saved-search e-mail digests that are due (with smtp-url)"),
	S(chromium, "chromium", "/usr/bin/chromium", 0,
	  "headless Chromium for sources with render = true (JavaScript-built pages)"),
	L(render_browsers, "render-browsers", "2", 1, 16,
	  "Chromium processes rendering at once, across all sources (each takes a few hundred MB)"),
	L(render_timeout, "render-timeout", "20", 1, 60, "seconds one page may take to render before it is killed"),
	S(scrape_contact_url, "scrape-contact-url", "https://github.com/jobtrack/jobtrack", 0,
	  "a page where site owners learn who runs this scraper and how to reach you, sent in the "
	  "scraper's User-Agent \"jobtrack/VERSION (+URL)\""),
	S(scrape_user_agent, "scrape-user-agent", "", 0,
	  "the scraper's whole User-Agent instead (it must name jobtrack: robots.txt rules for jobtrack "
	  "apply to it); empty: built from scrape-contact-url"),
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static char **str_field(struct config *cfg, const struct opt *o)
{
	return (char **)((char *)cfg + o->offset);
}

static long *long_field(struct config *cfg, const struct opt *o)
{
	return (long *)((char *)cfg + o->offset);
}

static int set_value(struct config *cfg, const struct opt *o, const char *value, const char *origin, char *err,
		     size_t errlen)
{
	if (o->kind == OPT_STR) {
		char *copy = strdup(value);
		if (!copy) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		free(*str_field(cfg, o));
		*str_field(cfg, o) = copy;
		return 0;
	}
	long v;
	if (text_parse_long(value, o->min, o->max, &v)) {
		snprintf(err, errlen, "%s: %s must be a whole number from %ld to %ld, got \"%s\"", origin, o->name,
			 o->min, o->max, value);
		return -1;
	}
	*long_field(cfg, o) = v;
	return 0;
}

static const struct opt *find_opt(const char *name, size_t len, int file_style)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		const char *n = opts[i].name;
		if (strlen(n) != len)
			continue;
		size_t k = 0;
		for (; k < len; k++) {
			char want = n[k];
			if (file_style && want == '-')
				want = '_';
			if (name[k] != want)
				break;
		}
		if (k == len)
			return &opts[i];
	}
	return NULL;
}

static int load_file(struct config *cfg, const char *path, int must_exist, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!must_exist && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected `key = value`", path, lineno);
			rc = -1;
			break;
		}
		char *kend = eq;
		while (kend > p && isspace((unsigned char)kend[-1]))
			kend--;
		char *v = eq + 1;
		while (isspace((unsigned char)*v))
			v++;
		size_t vlen = strlen(v);
		while (vlen && isspace((unsigned char)v[vlen - 1]))
			v[--vlen] = '\0';
		const struct opt *o = find_opt(p, (size_t)(kend - p), 1);
		if (!o) {
			snprintf(err, errlen, "%s:%d: unknown setting \"%.*s\"", path, lineno, (int)(kend - p), p);
			rc = -1;
			break;
		}
		char origin[4200];
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		if (set_value(cfg, o, v, origin, err, errlen)) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static int is_extra(const char *name, const char *const *extra)
{
	for (; extra && *extra; extra++)
		if (strcmp(name, *extra) == 0)
			return 1;
	return 0;
}

/* Finds --name=value / --name value in argv without applying it. */
static const char *peek_flag(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	const char *found = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) || strncmp(a + 2, name, n))
			continue;
		if (a[2 + n] == '=')
			found = a + 3 + n;
		else if (a[2 + n] == '\0' && i + 1 < argc)
			found = argv[i + 1];
	}
	return found;
}

int config_load(struct config *cfg, int argc, char **argv, const char *const *extra, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_OPTS; i++)
		if (set_value(cfg, &opts[i], opts[i].def, "default", err, errlen))
			return -1;

	/* The config file's location depends on flags and env, so find it first. */
	const char *file = peek_flag(argc, argv, "config");
	int must_exist = 1;
	if (!file)
		file = getenv("JOBTRACK_CONFIG");
	char implicit[4096];
	if (!file || !*file) {
		const char *dir = peek_flag(argc, argv, "data-dir");
		if (!dir)
			dir = getenv("JOBTRACK_DATA_DIR");
		if (!dir)
			dir = cfg->data_dir;
		snprintf(implicit, sizeof(implicit), "%s/jobtrack.conf", dir);
		file = implicit;
		must_exist = 0;
	}
	if (load_file(cfg, file, must_exist, err, errlen))
		return -1;

	for (size_t i = 0; i < N_OPTS; i++) {
		char env[64] = "JOBTRACK_";
		size_t k = strlen(env);
		for (const char *p = opts[i].name; *p && k + 1 < sizeof(env); p++)
			env[k++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		env[k] = '\0';
		const char *v = getenv(env);
		if (v && set_value(cfg, &opts[i], v, env, err, errlen))
			return -1;
	}

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument \"%s\"", a);
			return -1;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (!eq && strcmp(name, "print-config") == 0) {
			cfg->print_config = 1;
			continue;
		}
		if (!eq && is_extra(name, extra))
			continue;
		if (nlen == 6 && strncmp(name, "config", 6) == 0) {
			if (!eq && ++i >= argc) {
				snprintf(err, errlen, "--config needs a value");
				return -1;
			}
			continue;
		}
		const struct opt *o = find_opt(name, nlen, 0);
		if (!o) {
			snprintf(err, errlen, "unknown option \"--%.*s\" (see --help)", (int)nlen, name);
			return -1;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "--%s needs a value", o->name);
				return -1;
			}
			v = argv[++i];
		}
		char origin[80];
		snprintf(origin, sizeof(origin), "--%s", o->name);
		if (set_value(cfg, o, v, origin, err, errlen))
			return -1;
	}

	if (!*cfg->database_url) {
		size_t n = strlen(cfg->data_dir) + 32;
		char *url = malloc(n);
		if (!url) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(url, n, "sqlite:%s/jobtrack.db", cfg->data_dir);
		free(cfg->database_url);
		cfg->database_url = url;
	}
	/* Only the shape here; the server reports an address it cannot bind. */
	const char *port = strrchr(cfg->listen, ':');
	long port_no;
	if (!port || port == cfg->listen || text_parse_long(port + 1, 0, 65535, &port_no)) {
		snprintf(err, errlen, "listen address \"%s\" must be HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080",
			 cfg->listen);
		return -1;
	}
	if (*cfg->public_url && !text_http_url(cfg->public_url)) {
		snprintf(err, errlen,
			 "public_url \"%s\" must be an http:// or https:// address, such as "
			 "https://jobs.example.com",
			 cfg->public_url);
		return -1;
	}
	if (!text_http_url(cfg->scrape_contact_url) || strlen(cfg->scrape_contact_url) > 200) {
		snprintf(err, errlen,
			 "scrape_contact_url \"%s\" must be an http:// or https:// address (up to 200 characters) "
			 "where site owners can reach you, such as https://jobs.example.com/about-our-crawler",
			 cfg->scrape_contact_url);
		return -1;
	}
	if (*cfg->scrape_user_agent &&
	    (text_has_control(cfg->scrape_user_agent) || strlen(cfg->scrape_user_agent) > 200 ||
	     !strcasestr(cfg->scrape_user_agent, "jobtrack"))) {
		snprintf(
		    err, errlen,
		    "scrape_user_agent must name jobtrack (robots.txt rules for jobtrack apply to it), in at most "
		    "200 characters without control characters, such as \"jobtrack/1.0 (+https://you.example/bot)\"; "
		    "or leave it empty and set scrape_contact_url");
		return -1;
	}
	if (!*cfg->tls_cert != !*cfg->tls_key) {
		snprintf(err, errlen, "--tls-cert and --tls-key go together: give both or neither");
		return -1;
	}
	return 0;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].kind == OPT_STR) {
			free(*str_field(cfg, &opts[i]));
			*str_field(cfg, &opts[i]) = NULL;
		}
}

void config_print(const struct config *cfg, FILE *out)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt *o = &opts[i];
		char key[64];
		size_t k = 0;
		for (const char *p = o->name; *p && k + 1 < sizeof(key); p++)
			key[k++] = *p == '-' ? '_' : *p;
		key[k] = '\0';
		if (o->kind == OPT_LONG) {
			fprintf(out, "%s = %ld\n", key, *long_field((struct config *)cfg, o));
			continue;
		}
		const char *v = *str_field((struct config *)cfg, o);
		if (o->secret && *v)
			v = "********";
		else if (strcmp(o->name, "secret-key") == 0)
			v = "(from DATA_DIR/secret.key)";
		if (strcmp(o->name, "database-url") == 0 || strcmp(o->name, "bus-url") == 0 ||
		    strcmp(o->name, "blob-url") == 0 || strcmp(o->name, "smtp-url") == 0) {
			/* Passwords in postgres:// (later kafka://, s3://) URLs are secrets too. */
			char masked[4096];
			url_mask(v, masked, sizeof(masked));
			fprintf(out, "%s = %s\n", key, masked);
			continue;
		}
		fprintf(out, "%s = %s\n", key, v);
	}
}

void config_print_flags(FILE *out)
{
	config_print_some_flags(out, NULL);
}

void config_print_some_flags(FILE *out, const char *const *names)
{
	fprintf(out, "  --config FILE            read settings from FILE (default DATA_DIR/jobtrack.conf)\n");
	for (size_t i = 0; i < N_OPTS; i++) {
		int wanted = !names;
		for (const char *const *n = names; n && *n && !wanted; n++)
			wanted = strcmp(*n, opts[i].name) == 0;
		if (!wanted)
			continue;
		char left[64];
		snprintf(left, sizeof(left), "--%s %s", opts[i].name, opts[i].kind == OPT_LONG ? "N" : "VALUE");
		fprintf(out, "  %-24s %s [%s]\n", left, opts[i].help, *opts[i].def ? opts[i].def : "-");
	}
	fprintf(out, "Every flag can also be set as JOBTRACK_<NAME> (e.g. JOBTRACK_DATA_DIR) or in the config file.\n");
}

/* jobtrack mail-test ADDRESS — sends one e-mail with the configured SMTP
 * settings, so an admin can check them before users rely on alerts. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "notify/mail.h"

static const char *const mail_flags[] = { "smtp-url",      "smtp-starttls", "smtp-from", "smtp-user",
					  "smtp-password", "smtp-timeout",  "data-dir",  NULL };

static void usage(FILE *out)
{
	fprintf(out, "usage: jobtrack mail-test ADDRESS [options]\n\n"
		     "Sends a short test e-mail to ADDRESS through the SMTP server the settings name,\n"
		     "and says what went wrong when it cannot.\n\n"
		     "options:\n");
	config_print_some_flags(out, mail_flags);
}

int cmd_mail_test(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc < 1 || strncmp(argv[0], "--", 2) == 0) {
		usage(stderr);
		return 2;
	}
	const char *to = argv[0];
	struct config cfg;
	int rc = cli_config(&cfg, argc - 1, argv + 1, NULL);
	if (rc)
		return rc;
	struct mail_config mc;
	char err[512];
	rc = 1;
	if (mail_config_from(&cfg, &mc, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
		goto out;
	}
	if (!mail_enabled(&mc)) {
		fprintf(stderr, "jobtrack: e-mail is off: set smtp_url (e.g. --smtp-url smtps://mail.example.com) "
				"and smtp_from\n");
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "jobtrack: libcurl failed to initialise\n");
		goto out;
	}
	struct mail_message msg = {
		.to = to,
		.subject = "jobtrack test e-mail",
		.text = "This is a test e-mail from jobtrack.\n\n"
			"Your SMTP settings work: saved-search alerts and reminders will arrive like this one.\n",
	};
	if (mail_send(&mc, &msg, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
	} else {
		printf("sent a test e-mail to %s\n", to);
		rc = 0;
	}
	curl_global_cleanup();
out:
	config_free(&cfg);
	return rc;
}

/* jobtrack version */
#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cli/cli.h"
#include "version.h"

int cmd_version(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: jobtrack version\n\nPrints the version of jobtrack and of the libraries it runs on.\n");
		return 0;
	}
	printf("jobtrack %s\n", JOBTRACK_VERSION);
	printf("  libmicrohttpd %s, SQLite %s, jansson %s, libsodium %s\n", MHD_get_version(), sqlite3_libversion(),
	       JANSSON_VERSION, sodium_version_string());
	return 0;
}

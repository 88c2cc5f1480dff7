/* cli — the subcommands of the jobtrack binary, one file each. */
#ifndef JT_CLI_CLI_H
#define JT_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "store/store.h"

/* Each returns the process exit status: 0 ok, 1 failure, 2 usage error. */
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_robots(int argc, char **argv);
int cmd_scrape(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_taxonomy(int argc, char **argv);
int cmd_mail_test(int argc, char **argv);

/* Loads config from argv (printing the error and returning 2 on failure). */
int cli_config(struct config *cfg, int argc, char **argv, const char *const *extra);
/* Creates the data directory (0700) if needed. */
int cli_data_dir(const struct config *cfg);
/* Opens (and migrates) the store named by the config. */
int cli_open_store(const struct config *cfg, struct store **out);
/* The master secret: --secret-key, or DATA_DIR/secret.key (made on first use). */
int cli_secret(const struct config *cfg, uint8_t *out, size_t *len);
/* The flags of commands that only open the store, for their --help. */
extern const char *const cli_store_flags[];
/* Opens a store that must already exist (read-only commands must not
 * create an empty database somewhere by mistake). */
int cli_open_existing_store(const struct config *cfg, struct store **out);
/* The skills taxonomy `serve` and `scan` use: the built-in one (or the one
 * in base_dir) with the user's extension in DATA_DIR/taxonomy/ merged on
 * top (scan/taxonomy_ext.h). The number of spellings left out as conflicts
 * goes to *conflicts, or (NULL) is noted on standard error. 0, or the exit
 * status after printing the error. */
struct taxonomy;
int cli_load_taxonomy(struct taxonomy *t, const char *base_dir, const char *data_dir, size_t *conflicts);
/* 1 when argv asks for help. */
int cli_wants_help(int argc, char **argv);

#endif

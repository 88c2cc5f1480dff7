/* cli/scan_best — `jobtrack scan RESUME --best …` (rank every open posting
 * in the store for a resume, filtered like the search) and `jobtrack scan
 * --fill-terms` (cache the postings' scan terms now, with progress). Called
 * by cli/scan.c, whose --help describes both. */
#ifndef JT_CLI_SCAN_BEST_H
#define JT_CLI_SCAN_BEST_H

/* 1 when argv asks for a ranking (--best). */
int scan_best_wanted(int argc, char **argv);
/* Exit status: 0 ranked, 1 failure, 2 usage error or unreadable input. */
int scan_best_main(int argc, char **argv);
/* argv after --fill-terms. */
int scan_fill_main(int argc, char **argv);

#endif

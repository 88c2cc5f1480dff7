/* children — how many child processes of the test process are alive now
 * (not zombies), read from /proc: a Chromium render is one (its helpers are
 * its own children), so this counts the renders going on. */
#ifndef JT_TESTS_CHILDREN_H
#define JT_TESTS_CHILDREN_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int children_alive(void)
{
	int found = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], stat[1024];
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *fp = fopen(path, "re");
		if (!fp)
			continue;
		size_t n = fread(stat, 1, sizeof(stat) - 1, fp);
		fclose(fp);
		stat[n] = '\0';
		/* "pid (name) state ppid …", and the name may hold spaces and parentheses */
		const char *close_paren = strrchr(stat, ')');
		found += close_paren && strlen(close_paren) > 4 && close_paren[2] != 'Z' &&
			 strtol(close_paren + 4, NULL, 10) == getpid();
	}
	if (d)
		closedir(d);
	return found;
}

#endif

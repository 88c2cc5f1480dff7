/* Backup import (backup_check, the whole checking half of backup_import):
 * an uploaded JSON backup, read with and without resume file access. A
 * refusal always says where and why; nothing else but out-of-memory may
 * come back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup.h"

#define NOW ((int64_t)1764979200) /* 2025-12-06T00:00:00Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	for (int files = 0; files < 2; files++) {
		int rc = backup_check((const char *)data, size, files, NOW, err, sizeof(err));
		if (rc == BACKUP_INVALID && !*err)
			abort(); /* a refusal without a reason */
		if (rc != 0 && rc != BACKUP_INVALID && rc != -ENOMEM)
			abort();
	}
	return 0;
}

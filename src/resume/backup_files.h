/* resume/backup_files — the resume vault as a backup's file access
 * (backup/backup.h), for the processes that link the resume readers. */
#ifndef JT_RESUME_BACKUP_FILES_H
#define JT_RESUME_BACKUP_FILES_H

#include "backup/backup.h"
#include "resume/vault.h"

/* Fills out with functions over v (borrowed: v must outlive out). */
void resume_backup_files(struct resume_vault *v, struct backup_files *out);

#endif

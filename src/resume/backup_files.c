#include "resume/backup_files.h"

static int read_file(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, unsigned char **data, size_t *len,
		     char *err, size_t errlen)
{
	return resume_vault_read(ctx, user_id, resume_id, a, NULL, data, len, err, errlen);
}

static int save_file(void *ctx, int64_t user_id, const char *name, const void *data, size_t len, int make_default,
		     int64_t now, int64_t *id, char *err, size_t errlen)
{
	struct arena a;
	arena_init(&a, 0);
	struct store_resume row;
	int rc = resume_vault_save(ctx, user_id, name, data, len, make_default, now, &a, &row, err, errlen);
	if (rc == 0)
		*id = row.id;
	arena_free(&a);
	return rc;
}

void resume_backup_files(struct resume_vault *v, struct backup_files *out)
{
	*out = (struct backup_files){ .read = read_file, .save = save_file, .ctx = v };
}

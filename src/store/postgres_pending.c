/* Until the PostgreSQL backend lands: a clear refusal. */
#include <stdio.h>

#include "store/backend.h"

int postgres_store_open(const char *url, int migrate, struct store **out, char *err, size_t errlen)
{
	(void)url;
	(void)migrate;
	*out = NULL;
	snprintf(err, errlen, "the PostgreSQL store is not built yet; use sqlite:PATH for now");
	return STORE_ERROR;
}

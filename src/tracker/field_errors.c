#include "tracker/field_errors.h"

#include <string.h>

void field_errors_add(struct field_errors *e, const char *field, const char *message)
{
	if (field_errors_get(e, field) || e->n == FIELD_ERRORS_MAX)
		return;
	e->items[e->n].field = field;
	e->items[e->n].message = message;
	e->n++;
}

const char *field_errors_get(const struct field_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return e->items[i].message;
	return NULL;
}

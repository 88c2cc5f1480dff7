/* field_errors — validation failures tied to the field they concern, so the
 * API can say {"field": …} and the forms can print the message beside it. */
#ifndef JT_TRACKER_FIELD_ERRORS_H
#define JT_TRACKER_FIELD_ERRORS_H

#include <stddef.h>

#define FIELD_ERRORS_MAX 32

struct field_error {
	const char *field;   /* static string or arena-owned */
	const char *message; /* a sentence that says how to fix it */
};

struct field_errors {
	struct field_error items[FIELD_ERRORS_MAX];
	size_t n;
};

/* Records an error unless the field already has one (the first is most useful). */
void field_errors_add(struct field_errors *e, const char *field, const char *message);
/* The message for field, or NULL. */
const char *field_errors_get(const struct field_errors *e, const char *field);

#endif

/* metrics_labels — bounded tables of label values; see base/metrics.h. */
#include <stdbool.h>
#include <string.h>

#include "base/metrics.h"

static bool plain(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (n >= METRICS_LABEL_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
						(c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ' '))
			return false;
	}
	return n > 0;
}

unsigned metrics_labels_slot(struct metrics_labels *t, const char *value)
{
	if (!value || !plain(value))
		return t->cap;
	/* Values are written before the count that publishes them (release),
	 * and read after loading it (acquire). */
	unsigned n = atomic_load_explicit(&t->n, memory_order_acquire);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(t->values[i], value) == 0)
			return i;
	pthread_mutex_lock(&t->mu);
	n = atomic_load_explicit(&t->n, memory_order_relaxed);
	unsigned slot = t->cap;
	for (unsigned i = 0; i < n && slot == t->cap; i++)
		if (strcmp(t->values[i], value) == 0)
			slot = i;
	if (slot == t->cap && n < t->cap) {
		memcpy(t->values[n], value, strlen(value) + 1);
		atomic_store_explicit(&t->n, n + 1, memory_order_release);
		slot = n;
	}
	pthread_mutex_unlock(&t->mu);
	return slot;
}

const char *metrics_labels_value(struct metrics_labels *t, unsigned slot)
{
	return slot < atomic_load_explicit(&t->n, memory_order_acquire) ? t->values[slot] : NULL;
}

#include "tracker/status.h"

#include <string.h>

const char *const status_names[STATUS_COUNT] = {
	"saved", "applied", "screening", "interviewing", "offer", "accepted", "rejected", "withdrawn", "ghosted",
};

const char *const status_labels[STATUS_COUNT] = {
	"Saved", "Applied", "Screening", "Interviewing", "Offer", "Accepted", "Rejected", "Withdrawn", "Ghosted",
};

int status_index(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < STATUS_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

const char *status_label(const char *name)
{
	int i = status_index(name);
	return i >= 0 ? status_labels[i] : name;
}

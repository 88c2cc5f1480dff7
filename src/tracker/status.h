/* status — the stages an application moves through, in board order. */
#ifndef JT_TRACKER_STATUS_H
#define JT_TRACKER_STATUS_H

#define STATUS_COUNT 9

/* "saved", "applied", …, "ghosted" in board order. */
extern const char *const status_names[STATUS_COUNT];
extern const char *const status_labels[STATUS_COUNT];

/* Index of name in status_names, or -1. */
int status_index(const char *name);
/* "Interviewing" for "interviewing"; the name itself when unknown. */
const char *status_label(const char *name);

#endif

/* calendar — one user's interviews and follow-ups as an iCalendar feed
 * (RFC 5545) that calendar apps subscribe to.
 *
 * - An interview (a timeline event of kind "interview") is a one-hour
 *   VEVENT at its time in UTC; UID "interview-<event id>@jobtrack", its
 *   SEQUENCE the event's version - 1, so an edit replaces it in place.
 * - A follow-up is the application's follow_up_on date (the tracker keeps
 *   it): an all-day, transparent VEVENT; UID "follow-up-<application
 *   id>@jobtrack", SEQUENCE from the application's version.
 * - DTSTAMP is when the entry last changed (an interview's creation, an
 *   application's updated_at), so the same data gives the same bytes.
 * Interviews from CALENDAR_PAST_DAYS before now on are included (at most
 * 100, store_interviews_between's limit), follow-ups of every application. */
#ifndef JT_EXPORT_CALENDAR_H
#define JT_EXPORT_CALENDAR_H

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

#define CALENDAR_PAST_DAYS   30
#define CALENDAR_FUTURE_DAYS 3660 /* ten years: anything scheduled at all */

/* Writes the feed of user_id as of now into out. A store status. */
int calendar_feed_write(struct store *s, int64_t user_id, int64_t now, struct arena *a, struct buf *out);

#endif

/* Unit tests for the tracker's service (src/tracker/service.h): the rules
 * that sit above the store, on whichever backend JT_TEST_STORE_URL names.
 * Each test gets a fresh store of that backend (store_fixture.h): a SQLite
 * file of its own, or a PostgreSQL database of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_fixture.h"

#include "base/arena.h"
#include "base/timefmt.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/event.h"
#include "tracker/service.h"

/* ---- fixture ------------------------------------------------------------ */

#define T0  1772625600 /* 2026-03-04T12:00:00Z */
#define DAY 86400

struct fx {
	struct store_fixture sf; /* a fresh store of the backend under test */
	struct store *s;
	struct arena a;
	int64_t alice, bob;
	struct tracker_call call; /* alice at T0, UTC */
};

static int64_t make_user(struct fx *f, const char *name)
{
	char email[128];
	snprintf(email, sizeof(email), "%s@example.com", name);
	struct user u;
	if (store_user_create(f->s, email, "hash", T0, &u))
		return 0;
	return u.id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1)) {
		free(f);
		return -1;
	}
	f->s = f->sf.s;
	arena_init(&f->a, 0);
	f->alice = make_user(f, "alice");
	f->bob = make_user(f, "bob");
	if (!f->alice || !f->bob)
		return -1;
	f->call = (struct tracker_call){ .store = f->s, .user_id = f->alice, .now = T0, .arena = &f->a };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

/* A key/value source: {"name", "value", …, NULL}. */
static const char *kv_get(void *ctx, const char *name)
{
	const char *const *kv = ctx;
	for (size_t i = 0; kv[i]; i += 2)
		if (strcmp(kv[i], name) == 0)
			return kv[i + 1];
	return NULL;
}

/* Alice's call at another time. */
static struct tracker_call at(struct fx *f, int64_t now)
{
	struct tracker_call c = f->call;
	c.now = now;
	return c;
}

static int64_t create(struct fx *f, const char *company, const char *const *kv)
{
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, T0);
	app.company = (char *)company;
	app.position = "Engineer";
	if (kv)
		app_apply_strings(&app, kv_get, (void *)kv, &f->a, &errs);
	assert_int_equal(errs.n, 0);
	assert_int_equal(tracker_app_create(&f->call, &app, &errs), 0);
	assert_true(app.id > 0);
	return app.id;
}

/* Patches the fields kv names, as the API does. */
static int patch(struct fx *f, const struct tracker_call *c, int64_t id, const char *const *kv, int64_t expected,
		 struct application *out, struct field_errors *errs)
{
	struct application values;
	app_init(&values, (time_t)c->now);
	unsigned fields = app_apply_strings(&values, kv_get, (void *)kv, &f->a, errs);
	return tracker_app_patch(c, id, &values, fields, expected, out, errs);
}

static struct application get(struct fx *f, int64_t id)
{
	struct application app;
	assert_int_equal(store_app_get(f->s, f->alice, id, &f->a, &app), STORE_OK);
	return app;
}

static size_t timeline(struct fx *f, int64_t id, struct app_event **ev)
{
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice, id, &f->a, ev, &n), STORE_OK);
	return n;
}

static void assert_follow_up(struct fx *f, int64_t id, const char *want)
{
	struct application app = get(f, id);
	if (!want)
		assert_null(app.follow_up_on);
	else {
		assert_non_null(app.follow_up_on);
		assert_string_equal(app.follow_up_on, want);
	}
}

static struct app_event add_event(const struct tracker_call *c, int64_t app_id, const char *kind, int64_t when)
{
	struct app_event ev = { .app_id = app_id, .kind = (char *)kind, .at = when, .title = "", .body = "x" };
	ev.interview_kind = ev.with_whom = "";
	assert_int_equal(tracker_event_add(c, &ev), 0);
	return ev;
}

/* Edits an entry's kind and time as the timeline's form does. */
static int edit_event(struct fx *f, int64_t app_id, int64_t id, const char *kind, int64_t when)
{
	char iso[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)when, iso);
	const char *kv[] = { "kind", kind, "at", iso, "body", "x", NULL };
	struct app_event out;
	struct field_errors errs = { .n = 0 };
	return tracker_event_edit(&f->call, app_id, id, kv_get, (void *)kv, 0, 0, &out, &errs);
}

/* ---- applications ------------------------------------------------------- */

static void test_create_records_the_created_entry(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Acme", NULL);
	struct application app = get(f, id);
	assert_int_equal(app.version, 1);
	assert_string_equal(app.saved_on, "2026-03-04");
	struct app_event *ev;
	assert_int_equal(timeline(f, id, &ev), 1);
	assert_string_equal(ev[0].kind, "created");
	assert_string_equal(ev[0].to_status, "saved");
	assert_int_equal(ev[0].at, T0);
}

static void test_create_refuses_what_breaks_a_rule(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, T0);
	app.company = "";
	app.position = "Dev";
	app.has_salary_min = app.has_salary_max = 1;
	app.salary_min = 10;
	app.salary_max = 5;
	assert_int_equal(tracker_app_create(&f->call, &app, &errs), TRACKER_INVALID);
	assert_non_null(field_errors_get(&errs, "company"));
	assert_non_null(field_errors_get(&errs, "salary_max"));
	assert_int_equal(app.id, 0);
	struct app_filter all = { 0 };
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, f->alice, &all, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 0);
}

static void test_status_change_is_recorded_once(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Status Co", NULL);
	struct tracker_call later = at(f, T0 + 100);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *move[] = { "status", "interviewing", NULL };
	assert_int_equal(patch(f, &later, id, move, 0, &out, &errs), 0);
	assert_string_equal(out.status, "interviewing");
	assert_int_equal(out.status_changed_at, T0 + 100);
	assert_int_equal(out.version, 2);

	/* The same status again (with another change) records nothing more. */
	struct tracker_call later2 = at(f, T0 + 200);
	const char *again[] = { "status", "interviewing", "notes", "same status", NULL };
	assert_int_equal(patch(f, &later2, id, again, 0, &out, &errs), 0);
	assert_int_equal(out.status_changed_at, T0 + 100);
	assert_int_equal(out.version, 3);
	/* Nothing changes at all: nothing is written. */
	assert_int_equal(patch(f, &later2, id, again, 0, &out, &errs), 0);
	assert_int_equal(out.version, 3);

	struct app_event *ev;
	assert_int_equal(timeline(f, id, &ev), 2);
	assert_string_equal(ev[0].kind, "status_change");
	assert_string_equal(ev[0].from_status, "saved");
	assert_string_equal(ev[0].to_status, "interviewing");
	assert_string_equal(ev[1].kind, "created");
}

static void test_applied_on_is_filled_in_on_the_persons_day(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Applied Co", NULL);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *applied[] = { "status", "applied", NULL };
	assert_int_equal(patch(f, &f->call, id, applied, 0, &out, &errs), 0);
	assert_string_equal(get(f, id).applied_on, "2026-03-04");

	/* Withdrawn can happen before applying: no date. */
	int64_t other = create(f, "Withdrawn Co", NULL);
	const char *withdrawn[] = { "status", "withdrawn", NULL };
	assert_int_equal(patch(f, &f->call, other, withdrawn, 0, &out, &errs), 0);
	assert_null(get(f, other).applied_on);

	/* 23:30 UTC is already tomorrow one hour east. */
	int64_t late = create(f, "Late Co", NULL);
	struct tracker_call berlin = at(f, T0 + 11 * 3600 + 1800);
	berlin.tz_offset_min = 60;
	assert_int_equal(patch(f, &berlin, late, applied, 0, &out, &errs), 0);
	assert_string_equal(get(f, late).applied_on, "2026-03-05");
}

static void test_patch_writes_only_the_fields_named(void **state)
{
	struct fx *f = *state;
	const char *full[] = { "notes", "keep me", "priority", "4", "tags", "remote, rust", "salary_min", "100", NULL };
	int64_t id = create(f, "Partial Co", full);
	struct application stale = get(f, id);

	/* Two edits made from the same old copy, of different fields: both stay. */
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *one[] = { "company", "Renamed Co", NULL };
	const char *two[] = { "notes", "new notes", NULL };
	assert_int_equal(patch(f, &f->call, id, one, 0, &out, &errs), 0);
	assert_int_equal(patch(f, &f->call, id, two, 0, &out, &errs), 0);
	struct application now = get(f, id);
	assert_string_equal(now.company, "Renamed Co");
	assert_string_equal(now.notes, "new notes");
	assert_int_equal(now.priority, 4);
	assert_int_equal(now.n_tags, 2);
	assert_string_equal(now.tags[1], "rust");
	assert_int_equal(now.salary_min, 100);
	assert_int_equal(now.version, stale.version + 2);
}

static void test_salary_rule_reads_the_stored_row(void **state)
{
	struct fx *f = *state;
	const char *range[] = { "salary_min", "50", "salary_max", "100", NULL };
	int64_t id = create(f, "Salary Co", range);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *too_high[] = { "salary_min", "200", NULL };
	assert_int_equal(patch(f, &f->call, id, too_high, 0, &out, &errs), TRACKER_INVALID);
	assert_non_null(field_errors_get(&errs, "salary_max"));
	assert_int_equal(get(f, id).salary_min, 50);
	assert_int_equal(get(f, id).version, 1);
}

static void test_stale_version_is_refused(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Stale Co", NULL);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *first[] = { "notes", "first", NULL };
	assert_int_equal(patch(f, &f->call, id, first, 1, &out, &errs), 0);
	assert_int_equal(out.version, 2);

	/* Someone who read version 1 is refused, and sees version 2. */
	const char *second[] = { "notes", "second", NULL };
	assert_int_equal(patch(f, &f->call, id, second, 1, &out, &errs), TRACKER_STALE);
	assert_int_equal(out.version, 2);
	assert_string_equal(get(f, id).notes, "first");
	assert_int_equal(tracker_app_delete(&f->call, id, 1), TRACKER_STALE);
	int moved;
	assert_int_equal(tracker_app_set_status(&f->call, id, "applied", 1, &out, &moved), TRACKER_STALE);
	assert_false(moved);
	assert_string_equal(get(f, id).status, "saved");

	/* Another user's application does not exist, whatever the version. */
	struct tracker_call bob = f->call;
	bob.user_id = f->bob;
	assert_int_equal(patch(f, &bob, id, second, 0, &out, &errs), STORE_NOTFOUND);
	assert_int_equal(tracker_app_delete(&bob, id, 0), STORE_NOTFOUND);

	assert_int_equal(tracker_app_delete(&f->call, id, 2), 0);
	assert_int_equal(store_app_get(f->s, f->alice, id, &f->a, &out), STORE_NOTFOUND);
}

/* The edit form: base is what it showed, typed what was sent. */
static void test_form_save_names_what_changed_meanwhile(void **state)
{
	struct fx *f = *state;
	const char *start[] = { "status", "applied", "notes", "old notes", NULL };
	int64_t id = create(f, "Form Co", start);
	struct application base = get(f, id), typed = base;
	typed.company = "Form Co GmbH";

	/* Meanwhile a note on the timeline: no field of the form changed. */
	add_event(&f->call, id, "note", T0);
	struct application out;
	unsigned changed;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(
	    tracker_app_save_form(&f->call, id, &typed, &base, APP_F_ALL, base.version, &out, &changed, &errs), 0);
	assert_string_equal(get(f, id).company, "Form Co GmbH");

	/* Meanwhile the status and the notes changed: nothing is written. */
	base = get(f, id);
	typed = base;
	typed.location = "Berlin";
	const char *elsewhere[] = { "status", "interviewing", "notes", "new notes", NULL };
	assert_int_equal(patch(f, &f->call, id, elsewhere, 0, &out, &errs), 0);
	assert_int_equal(
	    tracker_app_save_form(&f->call, id, &typed, &base, APP_F_ALL, base.version, &out, &changed, &errs),
	    TRACKER_STALE);
	assert_int_equal(changed, APP_F_STATUS | APP_F_NOTES);
	assert_string_equal(out.status, "interviewing");
	assert_string_equal(get(f, id).location, "");

	/* Saved again from the form as it came back (the current values with the
	 * person's edit), only that edit is written. */
	base = out;
	typed = out;
	typed.location = "Berlin";
	assert_int_equal(
	    tracker_app_save_form(&f->call, id, &typed, &base, APP_F_ALL, base.version, &out, &changed, &errs), 0);
	struct application now = get(f, id);
	assert_string_equal(now.location, "Berlin");
	assert_string_equal(now.status, "interviewing");
	assert_string_equal(now.notes, "new notes");
}

/* ---- timeline ----------------------------------------------------------- */

/* A planned follow-up sets the application's follow-up date; moving it into
 * the past, turning it into a note or removing it takes that date back. */
static void test_follow_up_entries_take_back_their_date(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Follow Co", NULL);
	struct app_event fu = add_event(&f->call, id, "follow_up", T0 + 6 * DAY);
	assert_follow_up(f, id, "2026-03-10");

	/* Rescheduled: the date moves with it. */
	assert_int_equal(edit_event(f, id, fu.id, "follow_up", T0 + 8 * DAY), 0);
	assert_follow_up(f, id, "2026-03-12");

	/* It happened yesterday after all: no reminder is left for the 12th. */
	assert_int_equal(edit_event(f, id, fu.id, "follow_up", T0 - DAY), 0);
	assert_follow_up(f, id, NULL);

	/* Planned again, then made a note: the date goes. */
	assert_int_equal(edit_event(f, id, fu.id, "follow_up", T0 + 2 * DAY), 0);
	assert_follow_up(f, id, "2026-03-06");
	assert_int_equal(edit_event(f, id, fu.id, "note", T0 + 2 * DAY), 0);
	assert_follow_up(f, id, NULL);

	/* A planned follow-up removed takes its date along... */
	struct app_event fu2 = add_event(&f->call, id, "follow_up", T0 + 3 * DAY);
	assert_follow_up(f, id, "2026-03-07");
	struct tracker_call bob = f->call;
	bob.user_id = f->bob;
	assert_int_equal(tracker_event_remove(&bob, id, fu2.id, 0), STORE_NOTFOUND);
	assert_follow_up(f, id, "2026-03-07");
	assert_int_equal(tracker_event_remove(&f->call, id, fu2.id, 0), 0);
	assert_follow_up(f, id, NULL);

	/* ...but not a date set by hand for another day. */
	struct app_event fu3 = add_event(&f->call, id, "follow_up", T0 + 3 * DAY);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *by_hand[] = { "follow_up_on", "2026-03-20", NULL };
	assert_int_equal(patch(f, &f->call, id, by_hand, 0, &out, &errs), 0);
	assert_int_equal(tracker_event_remove(&f->call, id, fu3.id, 0), 0);
	assert_follow_up(f, id, "2026-03-20");

	/* An earlier follow-up still ahead stays the next one; a later one does not replace it. */
	add_event(&f->call, id, "follow_up", T0 + 30 * DAY);
	assert_follow_up(f, id, "2026-03-20");
	/* A follow-up logged in the past settles a date due by then. */
	struct tracker_call later = at(f, T0 + 20 * DAY);
	add_event(&later, id, "follow_up", T0 + 18 * DAY);
	assert_follow_up(f, id, NULL);
}

/* A follow-up at 21:00 in New York is that day's, not the next UTC day's. */
static void test_follow_up_lands_on_the_writers_calendar(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Zone Co", NULL);
	struct tracker_call ny = f->call;
	ny.tz_offset_min = -300;
	struct app_event ev = { .app_id = id,
				.kind = "follow_up",
				.at = T0 + 6 * DAY + 14 * 3600, /* 2026-03-11T02:00Z = 10th, 21:00 in New York */
				.title = "",
				.body = "",
				.interview_kind = "",
				.with_whom = "",
				.tz_offset_min = -300 };
	assert_int_equal(tracker_event_add(&ny, &ev), 0);
	assert_follow_up(f, id, "2026-03-10");
	/* Removed, it takes that date back although the offset is not stored. */
	assert_int_equal(tracker_event_remove(&f->call, id, ev.id, 0), 0);
	assert_follow_up(f, id, NULL);
}

/* Two follow-ups on one day: removing or moving one leaves the date the
 * other still sets. Once the entry that set the date is gone, the next
 * planned follow-up takes over; one in the past never does. */
static void test_follow_up_date_stays_while_another_entry_sets_it(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Twice Co", NULL);
	struct app_event morning = add_event(&f->call, id, "follow_up", T0 + 6 * DAY - 3 * 3600);
	struct app_event evening = add_event(&f->call, id, "follow_up", T0 + 6 * DAY + 6 * 3600);
	assert_follow_up(f, id, "2026-03-10");
	assert_int_equal(tracker_event_remove(&f->call, id, morning.id, 0), 0);
	assert_follow_up(f, id, "2026-03-10");
	/* Moved, the other's day would only be the next one: the 10th stays. */
	struct app_event again = add_event(&f->call, id, "follow_up", T0 + 6 * DAY);
	assert_int_equal(edit_event(f, id, again.id, "follow_up", T0 + 9 * DAY), 0);
	assert_follow_up(f, id, "2026-03-10");
	/* Turned into a note, the last entry on the 10th hands over to the 13th. */
	assert_int_equal(edit_event(f, id, evening.id, "note", T0 + 6 * DAY), 0);
	assert_follow_up(f, id, "2026-03-13");

	/* A follow-up logged in the past does not come back as the date. */
	int64_t other = create(f, "Past Co", NULL);
	add_event(&f->call, other, "follow_up", T0 - 2 * DAY);
	struct app_event planned = add_event(&f->call, other, "follow_up", T0 + 2 * DAY);
	assert_follow_up(f, other, "2026-03-06");
	assert_int_equal(tracker_event_remove(&f->call, other, planned.id, 0), 0);
	assert_follow_up(f, other, NULL);
}

static void test_history_cannot_be_edited_or_removed(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "History Co", NULL);
	struct application out;
	struct field_errors errs = { .n = 0 };
	const char *move[] = { "status", "applied", NULL };
	assert_int_equal(patch(f, &f->call, id, move, 0, &out, &errs), 0);
	struct app_event *ev;
	assert_int_equal(timeline(f, id, &ev), 2);
	for (int i = 0; i < 2; i++) {
		const char *kv[] = { "title", "rewrite history", NULL };
		struct app_event edited;
		assert_int_equal(tracker_event_edit(&f->call, id, ev[i].id, kv_get, (void *)kv, 1, 0, &edited, &errs),
				 TRACKER_HISTORY);
		assert_int_equal(tracker_event_remove(&f->call, id, ev[i].id, 0), TRACKER_HISTORY);
	}
	struct app_event *after;
	assert_int_equal(timeline(f, id, &after), 2);
	assert_string_equal(after[0].title, ev[0].title);
}

static void test_event_edit_is_partial_and_versioned(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Entry Co", NULL);
	struct app_event iv = add_event(&f->call, id, "interview", T0 + DAY);
	int64_t app_version = get(f, id).version;
	assert_int_equal(iv.version, 1);
	const char *body[] = { "body", "Bring the portfolio", NULL };
	struct app_event out;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(tracker_event_edit(&f->call, id, iv.id, kv_get, (void *)body, 1, 1, &out, &errs), 0);
	assert_int_equal(out.version, 2);
	assert_int_equal(out.at, T0 + DAY);
	assert_string_equal(out.kind, "interview");
	assert_string_equal(out.body, "Bring the portfolio");
	/* Its application changed too: its version moved by one. */
	assert_int_equal(get(f, id).version, app_version + 1);
	assert_int_equal(tracker_event_edit(&f->call, id, iv.id, kv_get, (void *)body, 1, 1, &out, &errs),
			 TRACKER_STALE);
	assert_int_equal(out.version, 2);
	assert_int_equal(tracker_event_remove(&f->call, id, iv.id, 1), TRACKER_STALE);
	assert_int_equal(tracker_event_remove(&f->call, id, iv.id, 2), 0);
}

/* ---- contacts ----------------------------------------------------------- */

static void test_contact_add_and_link_are_one_change(void **state)
{
	struct fx *f = *state;
	struct contact ct = { .name = "Ada", .role = "", .email = "", .phone = "", .url = "", .notes = "" };
	assert_int_equal(tracker_contact_add(&f->call, &ct, 999999999), STORE_NOTFOUND);
	assert_int_equal(ct.id, 0);
	struct contact *all;
	size_t n;
	assert_int_equal(store_contact_list(f->s, f->alice, 0, &f->a, &all, &n), STORE_OK);
	assert_int_equal(n, 0);

	int64_t id = create(f, "Linked Co", NULL);
	assert_int_equal(tracker_contact_add(&f->call, &ct, id), 0);
	assert_int_equal(store_contact_list(f->s, f->alice, id, &f->a, &all, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(all[0].version, 1);

	/* Edited only through an application it is linked to, at its version. */
	int64_t other = create(f, "Other Co", NULL);
	const char *role[] = { "role", "Recruiter", NULL };
	struct contact out;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(tracker_contact_edit(&f->call, ct.id, other, kv_get, (void *)role, 0, &out, &errs),
			 STORE_NOTFOUND);
	assert_int_equal(tracker_contact_edit(&f->call, ct.id, id, kv_get, (void *)role, 1, &out, &errs), 0);
	assert_string_equal(out.role, "Recruiter");
	assert_string_equal(out.name, "Ada");
	assert_int_equal(out.version, 2);
	assert_int_equal(tracker_contact_edit(&f->call, ct.id, 0, kv_get, (void *)role, 1, &out, &errs), TRACKER_STALE);
	assert_int_equal(tracker_contact_delete(&f->call, ct.id, 1), TRACKER_STALE);
	assert_int_equal(tracker_contact_delete(&f->call, ct.id, 2), 0);
}

/* ---- import ------------------------------------------------------------- */

static void test_import_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct application rows[3];
	unsigned fields[3] = { APP_F_ALL, APP_F_NOTES, APP_F_ALL };
	for (int i = 0; i < 3; i++) {
		app_init(&rows[i], T0);
		rows[i].company = "Imported";
		rows[i].position = "Dev";
	}
	rows[1].id = 999999999; /* deleted since the file was read */
	struct csv_import result = { .apps = rows, .fields = fields, .n_apps = 3, .n_updates = 1 };
	char err[256];
	assert_int_equal(tracker_import_rows(&f->call, &result, err, sizeof(err)), STORE_NOTFOUND);
	assert_int_equal(rows[0].id, 0);
	assert_int_equal(rows[2].id, 0);
	struct app_filter all = { 0 };
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, f->alice, &all, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 0);

	/* A file shaped like our export updates only its own columns of a row with an id. */
	const char *keep[] = { "priority", "3", "tags", "kept", NULL };
	int64_t id = create(f, "Export Co", keep);
	char csv[256];
	snprintf(csv, sizeof(csv),
		 "company,position,notes,id\r\nExport Co,Engineer,from the file,%lld\r\nNew Co,Dev,,\r\n",
		 (long long)id);
	assert_int_equal(tracker_import(&f->call, csv, strlen(csv), &result, err, sizeof(err)), 0);
	assert_int_equal(result.n_apps, 2);
	struct application now = get(f, id);
	assert_string_equal(now.notes, "from the file");
	assert_int_equal(now.priority, 3);
	assert_int_equal(now.n_tags, 1);
	assert_int_equal(store_app_list(f->s, f->alice, &all, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 2);
	struct app_event *ev;
	assert_int_equal(timeline(f, result.apps[1].id, &ev), 1);
	assert_string_equal(ev[0].kind, "created");
}

/* ---- save to tracker ------------------------------------------------------ */

static int64_t ingest(struct fx *f, const char *external_id, const char *title, const char *company, const char *period,
		      double lo, double hi, double year_lo)
{
	struct posting_ingest in = { 0 };
	in.posting.canonical_key = external_id;
	in.posting.title = title;
	in.posting.company = company;
	in.posting.location_raw = "Berlin";
	in.posting.url = "https://boards.example/jobs/1";
	in.posting.salary_min = lo;
	in.posting.salary_max = hi;
	in.posting.salary_year_min = year_lo;
	in.posting.salary_currency = "EUR";
	in.posting.salary_period = period;
	in.source = "greenhouse";
	in.external_id = external_id;
	in.content_hash = "h";
	in.seen_at = T0;
	in.max_distance = -1;
	enum posting_change change;
	int64_t id = 0;
	assert_int_equal(store_posting_ingest(f->s, &in, &change, &id), STORE_OK);
	return id;
}

static void test_save_posting_once_per_user(void **state)
{
	struct fx *f = *state;
	int64_t posting = ingest(f, "p1", "Compiler Engineer", "Acme", "YEAR", 90000, 120000, 90000);
	struct application app, again, bobs;
	int created = -1;
	assert_int_equal(tracker_app_save_posting(&f->call, posting, &app, &created), 0);
	assert_int_equal(created, 1);
	assert_string_equal(app.status, "saved");
	assert_string_equal(app.company, "Acme");
	assert_string_equal(app.position, "Compiler Engineer");
	assert_string_equal(app.location, "Berlin");
	assert_string_equal(app.url, "https://boards.example/jobs/1");
	assert_string_equal(app.source, "greenhouse");
	assert_int_equal(app.salary_min, 90000);
	assert_int_equal(app.salary_max, 120000);
	assert_string_equal(app.salary_period, "year");
	assert_int_equal(app.posting_id, posting);
	/* Its "created" entry, as for any new application. */
	struct app_event *evs;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice, app.id, &f->a, &evs, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(tracker_app_save_posting(&f->call, posting, &again, &created), 0);
	assert_int_equal(created, 0);
	assert_int_equal(again.id, app.id);

	struct tracker_call bob = f->call;
	bob.user_id = f->bob;
	assert_int_equal(tracker_app_save_posting(&bob, posting, &bobs, &created), 0);
	assert_int_equal(created, 1);
	assert_true(bobs.id != app.id);
	assert_int_equal(tracker_app_save_posting(&f->call, posting + 1000, &again, &created), STORE_NOTFOUND);
}

static void test_save_posting_leaves_out_what_the_tracker_refuses(void **state)
{
	struct fx *f = *state;
	char title[400];
	memset(title, 'x', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	/* A weekly salary: the tracker keeps the yearly figure. */
	int64_t posting = ingest(f, "p2", title, NULL, "WEEK", 1000, 0, 52000);
	struct application app;
	int created;
	assert_int_equal(tracker_app_save_posting(&f->call, posting, &app, &created), 0);
	assert_int_equal(created, 1);
	assert_string_equal(app.company, "Unknown company");
	assert_string_equal(app.position, "Untitled position");
	assert_int_equal(app.salary_min, 52000);
	assert_false(app.has_salary_max);
	assert_string_equal(app.salary_period, "year");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_records_the_created_entry),
		T(test_create_refuses_what_breaks_a_rule),
		T(test_status_change_is_recorded_once),
		T(test_applied_on_is_filled_in_on_the_persons_day),
		T(test_patch_writes_only_the_fields_named),
		T(test_salary_rule_reads_the_stored_row),
		T(test_stale_version_is_refused),
		T(test_form_save_names_what_changed_meanwhile),
		T(test_follow_up_entries_take_back_their_date),
		T(test_follow_up_lands_on_the_writers_calendar),
		T(test_follow_up_date_stays_while_another_entry_sets_it),
		T(test_history_cannot_be_edited_or_removed),
		T(test_event_edit_is_partial_and_versioned),
		T(test_contact_add_and_link_are_one_change),
		T(test_import_is_all_or_nothing),
		T(test_save_posting_once_per_user),
		T(test_save_posting_leaves_out_what_the_tracker_refuses),
	};
	return cmocka_run_group_tests_name("tracker_service", tests, NULL, NULL);
}

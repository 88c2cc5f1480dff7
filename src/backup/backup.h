/* backup — one user's whole tracker as a single JSON document, and that
 * document read back into a user of any instance, so that moving between
 * servers (or backends) loses nothing.
 *
 * The document (format "jobtrack-backup", version 2; members marked (2)
 * are new in it, and a version 1 document without them is still read):
 *   {"format", "version", "exported_at", "jobtrack_version", "user": {"email"},
 *    "contacts": [{id, name, role, email, phone, url, notes, created_at, updated_at}],
 *    "applications": [{id, company, position, location, url, source,
 *        salary_min, salary_max, salary_currency, salary_period, status,
 *        priority, tags, saved_on, applied_on, follow_up_on, notes,
 *        created_at, updated_at, status_changed_at,
 *        reminder_muted (2: true when its default follow-up reminder is off),
 *        posting: {id, canonical_key, title, company} | null,
 *        contacts: [contact ids], events: [{id, kind, at, from_status,
 *        to_status, title, body, interview_kind, with_whom, created_at}]}],
 *    "resumes": [{id, name, type, size, is_default, created_at, updated_at,
 *        content_base64 (absent when the exporter had no access to files)}],
 *    "saved_searches" (2): [{name, query, alert, last_looked_at, last_alert_at,
 *        created_at, updated_at}],
 *    "hidden" (2): {"postings": [{title, company, created_at,
 *        listings: [{source, external_id}]}], "companies": [{name, created_at}]},
 *    "reminders" (2): {follow_up_days, ghost_days, email, webhook_url,
 *        updated_at} | null (never saved: the defaults)}
 * Times are ISO 8601 UTC; ids are the exporting instance's and only tie the
 * document together (an event to its application, a link to its contact).
 *
 * What is not carried, on purpose: sessions, API tokens and the calendar
 * feed's address (secrets of the old instance: make new ones), and row
 * versions (concurrency tokens of one instance: imported rows start at 1).
 * A posting link is kept when the importing instance has the same posting
 * (same id and canonical key), else dropped (postings are the instance's).
 * A hidden posting goes by its listings (source adapter and external id,
 * the same on any instance scraping that source): hidden again when the
 * importing instance has one of them, else skipped and counted, never an
 * error. Blocked companies go by name. Importing adds to what the user has,
 * never a second copy of what the user has already (so restoring a backup
 * into the account it came from, or twice, doubles nothing): left out and
 * counted (backup_counts' *_already) are an application with the same
 * company, position and created_at as one of the user's (the created_at
 * second is what ties it to the original: two applications for one job
 * made at different times stay two), a contact with the same name, e-mail
 * and created_at (applications imported link to the user's own), a resume
 * whose file has the same bytes (a hash of them), and a posting or company
 * the user hides already. Beyond that:
 * a saved search whose name the user has already is skipped, and so is
 * what is past a bound (SAVED_SEARCHES_MAX, STORE_HIDDEN_MAX); reminder
 * settings replace the user's. The webhook secret is never exported (as
 * the other secrets): a webhook URL keeps the importer's secret or gets a
 * new one (backup_counts.webhook_secret says which).
 * Not carried either: resume scan history (its results name postings and
 * resumes by the old instance's ids; scan again), reminders sent, and a
 * settings' updated_at (set when imported).
 *
 * Export streams: it writes through a sink in chunks of at most
 * BACKUP_CHUNK bytes, holding one application (and one resume file) at a
 * time. Import reads a document of at most BACKUP_MAX_BYTES, checks all of
 * it before writing anything, and writes it in one transaction: all or
 * nothing. Resume files go to the blob store as they are written; when the
 * transaction then fails they are left unreferenced (encrypted, harmless). */
#ifndef JT_BACKUP_BACKUP_H
#define JT_BACKUP_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define BACKUP_FORMAT    "jobtrack-backup"
#define BACKUP_VERSION   2 /* 1 is read too: it lacks the members marked (2) */
#define BACKUP_CHUNK     (64u << 10)
#define BACKUP_MAX_BYTES ((size_t)256 << 20)

/* Resume files, for the backup's resumes: src/resume/vault.h behind
 * function pointers, so that the backup does not pull in the resume
 * readers (MuPDF). Both return 0, or a negative errno with err set. */
struct backup_files {
	int (*read)(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, unsigned char **data, size_t *len,
		    char *err, size_t errlen);
	/* *id gets the new resume's id. */
	int (*save)(void *ctx, int64_t user_id, const char *name, const void *data, size_t len, int make_default,
		    int64_t now, int64_t *id, char *err, size_t errlen);
	void *ctx;
};

/* Receives the document piece by piece; 0, or non-zero to stop (the export
 * then fails). */
typedef int (*backup_sink)(void *ctx, const char *data, size_t len);

/* Writes user_id's document. files may be NULL: resumes then carry their
 * metadata only. Returns 0, or a negative store status / -EIO (the sink or
 * a file failed) with err set. */
int backup_export(struct store *s, int64_t user_id, const char *email, const struct backup_files *files,
		  backup_sink sink, void *sink_ctx, int64_t now, char *err, size_t errlen);

/* What became of the webhook secret: backups never carry it. */
enum backup_secret {
	BACKUP_SECRET_NONE, /* no webhook (or no reminder settings in the backup) */
	BACKUP_SECRET_KEPT, /* the importing user's own secret stays */
	BACKUP_SECRET_NEW,  /* a new random one was made: the receiver must be given it */
};

struct backup_counts {
	size_t applications, events, contacts, links, resumes, postings_linked;
	size_t mutes, saved_searches, saved_searches_skipped;
	size_t hidden_postings, hidden_skipped, blocked_companies, blocked_skipped;
	/* Left out because the user has them already (see above); their
	 * timeline entries, links and mutes are not counted above either. */
	size_t applications_already, contacts_already, resumes_already, hidden_already, blocked_already;
	int reminders; /* 1: the backup's reminder settings replaced the user's */
	enum backup_secret webhook_secret;
};

/* "none", "kept" or "new", and a sentence for the user (NULL for none). */
const char *backup_secret_name(enum backup_secret w);
const char *backup_secret_note(enum backup_secret w);

enum { BACKUP_INVALID = 1 };
/* Adds the document's data to user_id (whatever the user already has
 * stays). files may be NULL when the document has no resume files.
 * Returns 0; BACKUP_INVALID when the document is not acceptable (err names
 * the place: "applications[3].events[0].at: …"), nothing written; or a
 * negative store status / errno, nothing kept. */
int backup_import(struct store *s, int64_t user_id, const struct backup_files *files, const char *data, size_t len,
		  int64_t now, struct backup_counts *counts, char *err, size_t errlen);

/* Checks a document as backup_import does, writing nothing (a dry run, and
 * the fuzz harness): 0, BACKUP_INVALID with err set, or -ENOMEM.
 * with_files: whether the importer could store resume files. */
int backup_check(const char *data, size_t len, int with_files, int64_t now, char *err, size_t errlen);

#endif

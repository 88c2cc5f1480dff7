/* The SQLite schema, one entry per version. Never edit a shipped entry:
 * add a new one. Version N is migrations[N-1]. */
#include "store/sqlite/sqlite.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 1: accounts and the tracker */
	"CREATE TABLE settings (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE users (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
	"  password_hash TEXT NOT NULL,\n"
	"  is_admin INTEGER NOT NULL DEFAULT 0,\n"
	"  token_version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE sessions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  token_hash BLOB NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER NOT NULL,\n"
	"  user_agent TEXT NOT NULL DEFAULT '',\n"
	"  address TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX sessions_user ON sessions(user_id);\n"
	"CREATE TABLE api_tokens (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  prefix TEXT NOT NULL,\n"
	"  token_hash BLOB NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  last_used_at INTEGER NOT NULL DEFAULT 0,\n"
	"  revoked_at INTEGER\n"
	");\n"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);\n"
	"CREATE TABLE applications (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  company TEXT NOT NULL,\n"
	"  position TEXT NOT NULL,\n"
	"  location TEXT NOT NULL DEFAULT '',\n"
	"  url TEXT NOT NULL DEFAULT '',\n"
	"  source TEXT NOT NULL DEFAULT '',\n"
	"  salary_min INTEGER,\n"
	"  salary_max INTEGER,\n"
	"  salary_currency TEXT NOT NULL DEFAULT '',\n"
	"  salary_period TEXT NOT NULL DEFAULT '',\n"
	"  status TEXT NOT NULL,\n"
	"  priority INTEGER NOT NULL DEFAULT 0,\n"
	"  tags TEXT NOT NULL DEFAULT '',\n" /* ",a,b," so one tag matches with instr() */
	"  saved_on TEXT,\n"
	"  applied_on TEXT,\n"
	"  follow_up_on TEXT,\n"
	"  notes TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  status_changed_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX applications_user_updated ON applications(user_id, updated_at DESC, id DESC);\n"
	"CREATE INDEX applications_user_status ON applications(user_id, status);\n"
	"CREATE TABLE events (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  from_status TEXT,\n"
	"  to_status TEXT,\n"
	"  title TEXT NOT NULL DEFAULT '',\n"
	"  body TEXT NOT NULL DEFAULT '',\n"
	"  interview_kind TEXT NOT NULL DEFAULT '',\n"
	"  with_whom TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX events_application ON events(application_id, at DESC, id DESC);\n"
	"CREATE TABLE contacts (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  role TEXT NOT NULL DEFAULT '',\n"
	"  email TEXT NOT NULL DEFAULT '',\n"
	"  phone TEXT NOT NULL DEFAULT '',\n"
	"  url TEXT NOT NULL DEFAULT '',\n"
	"  notes TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX contacts_user ON contacts(user_id);\n"
	"CREATE TABLE application_contacts (\n"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,\n"
	"  PRIMARY KEY (application_id, contact_id)\n"
	");\n"
	"CREATE INDEX application_contacts_contact ON application_contacts(contact_id);\n",

	/* 2: a per-user data version that changes with every change to the user's
	 * tracker data, so responses can carry ETags and be cached safely. Triggers
	 * keep it exact whichever statement writes. */
	"ALTER TABLE users ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE TRIGGER applications_version_ins AFTER INSERT ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER applications_version_upd AFTER UPDATE ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER applications_version_del AFTER DELETE ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TRIGGER events_version_ins AFTER INSERT ON events BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER events_version_del AFTER DELETE ON events BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TRIGGER contacts_version_ins AFTER INSERT ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER contacts_version_upd AFTER UPDATE ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER contacts_version_del AFTER DELETE ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TRIGGER links_version_ins AFTER INSERT ON application_contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = NEW.application_id); END;\n"
	"CREATE TRIGGER links_version_del AFTER DELETE ON application_contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = OLD.application_id); END;\n",

	/* 3: ids are never reused. A deleted application's id handed to a new one
	 * would let a script holding the old id change the wrong record; with
	 * AUTOINCREMENT SQLite remembers the highest id ever used. Rebuilding a
	 * table drops its indexes and triggers, so they are made again here; the
	 * link triggers name applications and would stop the rename, so they go
	 * first and come back last. */
	"DROP TRIGGER links_version_ins;\n"
	"DROP TRIGGER links_version_del;\n"
	"CREATE TABLE applications_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  company TEXT NOT NULL,\n"
	"  position TEXT NOT NULL,\n"
	"  location TEXT NOT NULL DEFAULT '',\n"
	"  url TEXT NOT NULL DEFAULT '',\n"
	"  source TEXT NOT NULL DEFAULT '',\n"
	"  salary_min INTEGER,\n"
	"  salary_max INTEGER,\n"
	"  salary_currency TEXT NOT NULL DEFAULT '',\n"
	"  salary_period TEXT NOT NULL DEFAULT '',\n"
	"  status TEXT NOT NULL,\n"
	"  priority INTEGER NOT NULL DEFAULT 0,\n"
	"  tags TEXT NOT NULL DEFAULT '',\n" /* ",a,b," so one tag matches with instr() */
	"  saved_on TEXT,\n"
	"  applied_on TEXT,\n"
	"  follow_up_on TEXT,\n"
	"  notes TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  status_changed_at INTEGER NOT NULL\n"
	");\n"
	"INSERT INTO applications_new SELECT * FROM applications;\n"
	"DROP TABLE applications;\n"
	"ALTER TABLE applications_new RENAME TO applications;\n"
	"CREATE INDEX applications_user_updated ON applications(user_id, updated_at DESC, id DESC);\n"
	"CREATE INDEX applications_user_status ON applications(user_id, status);\n"
	"CREATE TRIGGER applications_version_ins AFTER INSERT ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER applications_version_upd AFTER UPDATE ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER applications_version_del AFTER DELETE ON applications BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TABLE events_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  from_status TEXT,\n"
	"  to_status TEXT,\n"
	"  title TEXT NOT NULL DEFAULT '',\n"
	"  body TEXT NOT NULL DEFAULT '',\n"
	"  interview_kind TEXT NOT NULL DEFAULT '',\n"
	"  with_whom TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"INSERT INTO events_new SELECT * FROM events;\n"
	"DROP TABLE events;\n"
	"ALTER TABLE events_new RENAME TO events;\n"
	"CREATE INDEX events_application ON events(application_id, at DESC, id DESC);\n"
	"CREATE TRIGGER events_version_ins AFTER INSERT ON events BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER events_version_del AFTER DELETE ON events BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TABLE contacts_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  role TEXT NOT NULL DEFAULT '',\n"
	"  email TEXT NOT NULL DEFAULT '',\n"
	"  phone TEXT NOT NULL DEFAULT '',\n"
	"  url TEXT NOT NULL DEFAULT '',\n"
	"  notes TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	"INSERT INTO contacts_new SELECT * FROM contacts;\n"
	"DROP TABLE contacts;\n"
	"ALTER TABLE contacts_new RENAME TO contacts;\n"
	"CREATE INDEX contacts_user ON contacts(user_id);\n"
	"CREATE TRIGGER contacts_version_ins AFTER INSERT ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER contacts_version_upd AFTER UPDATE ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n"
	"CREATE TRIGGER contacts_version_del AFTER DELETE ON contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id; END;\n"
	"CREATE TRIGGER links_version_ins AFTER INSERT ON application_contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = NEW.application_id); END;\n"
	"CREATE TRIGGER links_version_del AFTER DELETE ON application_contacts BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = OLD.application_id); END;\n",

	/* 4: the board's "Up next" asks for one user's interviews in a time range. */
	"CREATE INDEX events_user_kind_at ON events(user_id, kind, at);\n",

	/* 5: timeline entries can be edited, and an edit is a change of data. */
	"CREATE TRIGGER events_version_upd AFTER UPDATE ON events BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id; END;\n",

	/* 6: row versions (ETags, If-Match, stale forms); tags as rows of their
	 * own instead of ",a,b," matched with instr(); log-in attempt counters
	 * that every process on the database shares. The old tags column is
	 * split into rows in its order, then dropped. */
	"ALTER TABLE applications ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"CREATE TABLE application_tags (\n"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  tag TEXT NOT NULL,\n"
	"  tag_key TEXT NOT NULL,\n" /* ASCII-lower-cased tag: "Remote" and "remote" are one tag */
	"  PRIMARY KEY (application_id, position)\n"
	");\n"
	"CREATE INDEX application_tags_key ON application_tags(tag_key, application_id);\n"
	"WITH RECURSIVE split(app_id, pos, rest, tag) AS (\n"
	"  SELECT id, -1, substr(tags, 2), NULL FROM applications WHERE tags <> ''\n"
	"  UNION ALL\n"
	"  SELECT app_id, pos + 1, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)\n"
	"  FROM split WHERE instr(rest, ',') > 0\n"
	")\n"
	"INSERT INTO application_tags(application_id, position, tag, tag_key)\n"
	"  SELECT app_id, pos, tag, lower(tag) FROM split WHERE pos >= 0;\n"
	"ALTER TABLE applications DROP COLUMN tags;\n"
	/* The rows are the truth (the tag filter reads them); tag_list is their
	 * copy in order, joined by char(31), kept by the store beside them so a
	 * listing reads one column instead of a query per row. */
	"ALTER TABLE applications ADD COLUMN tag_list TEXT NOT NULL DEFAULT '';\n"
	"UPDATE applications SET tag_list = coalesce((SELECT group_concat(tag, char(31)) FROM\n"
	"  (SELECT tag FROM application_tags t WHERE t.application_id = applications.id ORDER BY t.position)), '');\n"
	"CREATE TRIGGER tags_version_ins AFTER INSERT ON application_tags BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = NEW.application_id); END;\n"
	"CREATE TRIGGER tags_version_del AFTER DELETE ON application_tags BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"  WHERE id = (SELECT user_id FROM applications WHERE id = OLD.application_id); END;\n"
	"CREATE TABLE rate_limits (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  window_start INTEGER NOT NULL,\n"
	"  count INTEGER NOT NULL\n"
	");\n"
	/* Session and token ids are never reused either: a stale "sign out
	 * session 7" must not end whoever got 7 next. (Users are never
	 * deleted, so their ids cannot come back.) */
	"CREATE TABLE sessions_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  token_hash BLOB NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER NOT NULL,\n"
	"  user_agent TEXT NOT NULL DEFAULT '',\n"
	"  address TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"INSERT INTO sessions_new SELECT * FROM sessions;\n"
	"DROP TABLE sessions;\n"
	"ALTER TABLE sessions_new RENAME TO sessions;\n"
	"CREATE INDEX sessions_user ON sessions(user_id);\n"
	"CREATE TABLE api_tokens_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  prefix TEXT NOT NULL,\n"
	"  token_hash BLOB NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  last_used_at INTEGER NOT NULL DEFAULT 0,\n"
	"  revoked_at INTEGER\n"
	");\n"
	"INSERT INTO api_tokens_new SELECT * FROM api_tokens;\n"
	"DROP TABLE api_tokens;\n"
	"ALTER TABLE api_tokens_new RENAME TO api_tokens;\n"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);\n",

	/* 7: the scraper's tables, shared by every user of the instance:
	 * configured sources, their runs, canonical postings and each source's
	 * listing of one; and the link from an application to the posting it
	 * was saved from. sources.last_run_id has no foreign key: runs refer to
	 * sources, and a cycle would stop store_copy inserting either first. At
	 * most one run per source is 'running' (runs never overlap), which the
	 * partial unique index holds in every process. */
	"CREATE TABLE sources (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  kind TEXT NOT NULL,\n"
	"  target TEXT NOT NULL DEFAULT '',\n"
	"  config TEXT NOT NULL DEFAULT '{}',\n"
	"  schedule TEXT NOT NULL DEFAULT '',\n"
	"  enabled INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  blocked_until INTEGER NOT NULL DEFAULT 0,\n"
	"  last_run_id INTEGER\n"
	");\n"
	"CREATE TABLE scrape_runs (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,\n"
	"  started_at INTEGER NOT NULL,\n"
	"  finished_at INTEGER,\n"
	"  status TEXT NOT NULL\n"
	"    CHECK (status IN ('running', 'ok', 'failed', 'blocked', 'crashed', 'cancelled')),\n"
	"  pages INTEGER NOT NULL DEFAULT 0,\n"
	"  bytes INTEGER NOT NULL DEFAULT 0,\n"
	"  found INTEGER NOT NULL DEFAULT 0,\n"
	"  new INTEGER NOT NULL DEFAULT 0,\n"
	"  updated INTEGER NOT NULL DEFAULT 0,\n"
	"  closed INTEGER NOT NULL DEFAULT 0,\n"
	"  errors INTEGER NOT NULL DEFAULT 0,\n"
	"  message TEXT NOT NULL DEFAULT '',\n"
	"  heartbeat_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX scrape_runs_source ON scrape_runs(source_id, started_at DESC, id DESC);\n"
	"CREATE INDEX scrape_runs_started ON scrape_runs(started_at DESC, id DESC);\n"
	"CREATE UNIQUE INDEX scrape_runs_one_running ON scrape_runs(source_id) WHERE status = 'running';\n"
	"CREATE TABLE postings (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  canonical_key TEXT NOT NULL,\n"
	"  simhash INTEGER NOT NULL,\n"
	"  title TEXT,\n"
	"  company TEXT,\n"
	"  location_raw TEXT,\n"
	"  locality TEXT,\n"
	"  region TEXT,\n"
	"  country TEXT,\n"
	"  workplace TEXT,\n"
	"  employment_types INTEGER NOT NULL DEFAULT 0,\n"
	"  salary_min REAL,\n"
	"  salary_max REAL,\n"
	"  salary_currency TEXT,\n"
	"  salary_period TEXT,\n"
	"  salary_year_min REAL,\n"
	"  salary_year_max REAL,\n"
	"  date_posted TEXT,\n"
	"  valid_through TEXT,\n"
	"  description_html TEXT,\n"
	"  description_text TEXT,\n"
	"  apply_url TEXT,\n"
	"  url TEXT,\n"
	"  source_rank INTEGER NOT NULL,\n"
	"  first_seen INTEGER NOT NULL,\n"
	"  last_seen INTEGER NOT NULL,\n"
	"  closed_at INTEGER,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  version INTEGER NOT NULL DEFAULT 1\n"
	");\n"
	"CREATE INDEX postings_key ON postings(canonical_key);\n"
	"CREATE INDEX postings_newest ON postings(first_seen DESC, id DESC);\n"
	"CREATE TABLE posting_sources (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  posting_id INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,\n"
	"  source TEXT NOT NULL,\n"
	"  external_id TEXT NOT NULL,\n"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,\n"
	"  url TEXT,\n"
	"  apply_url TEXT,\n"
	"  content_hash TEXT NOT NULL,\n"
	"  source_rank INTEGER NOT NULL,\n"
	"  first_seen INTEGER NOT NULL,\n"
	"  last_seen INTEGER NOT NULL,\n"
	"  missing_runs INTEGER NOT NULL DEFAULT 0,\n"
	"  closed_at INTEGER,\n"
	"  UNIQUE (source, external_id)\n"
	");\n"
	"CREATE INDEX posting_sources_posting ON posting_sources(posting_id);\n"
	"CREATE INDEX posting_sources_source_id ON posting_sources(source_id, last_seen);\n"
	"ALTER TABLE applications ADD COLUMN posting_id INTEGER REFERENCES postings(id) ON DELETE SET NULL;\n"
	"CREATE INDEX applications_posting ON applications(posting_id);\n",

	/* 8: scrape runs gain the status 'partial' (some requests failed, but
	 * postings were found), blocked (how many requests the source answered
	 * with a block during the run) and their owner (host name and process
	 * id of the process running it, so a start on the same host can tell a
	 * run whose process is gone from one that is only quiet). SQLite cannot
	 * change a CHECK in place: the table is rebuilt, keeping its
	 * AUTOINCREMENT counter so run ids are never reused. */
	"CREATE TABLE scrape_runs_new (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,\n"
	"  started_at INTEGER NOT NULL,\n"
	"  finished_at INTEGER,\n"
	"  status TEXT NOT NULL\n"
	"    CHECK (status IN ('running', 'ok', 'partial', 'failed', 'blocked', 'crashed', 'cancelled')),\n"
	"  pages INTEGER NOT NULL DEFAULT 0,\n"
	"  bytes INTEGER NOT NULL DEFAULT 0,\n"
	"  found INTEGER NOT NULL DEFAULT 0,\n"
	"  new INTEGER NOT NULL DEFAULT 0,\n"
	"  updated INTEGER NOT NULL DEFAULT 0,\n"
	"  closed INTEGER NOT NULL DEFAULT 0,\n"
	"  errors INTEGER NOT NULL DEFAULT 0,\n"
	"  message TEXT NOT NULL DEFAULT '',\n"
	"  heartbeat_at INTEGER NOT NULL,\n"
	"  blocked INTEGER NOT NULL DEFAULT 0,\n"
	"  owner_host TEXT NOT NULL DEFAULT '',\n"
	"  owner_pid INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"INSERT INTO scrape_runs_new(id, source_id, started_at, finished_at, status, pages, bytes, found, new, "
	"updated,\n"
	"  closed, errors, message, heartbeat_at)\n"
	"  SELECT id, source_id, started_at, finished_at, status, pages, bytes, found, new, updated, closed, errors,\n"
	"  message, heartbeat_at FROM scrape_runs;\n"
	"DELETE FROM sqlite_sequence WHERE name = 'scrape_runs_new';\n"
	"INSERT INTO sqlite_sequence(name, seq) SELECT 'scrape_runs_new', seq FROM sqlite_sequence\n"
	"  WHERE name = 'scrape_runs';\n"
	"DROP TABLE scrape_runs;\n"
	"ALTER TABLE scrape_runs_new RENAME TO scrape_runs;\n"
	"CREATE INDEX scrape_runs_source ON scrape_runs(source_id, started_at DESC, id DESC);\n"
	"CREATE INDEX scrape_runs_started ON scrape_runs(started_at DESC, id DESC);\n"
	"CREATE UNIQUE INDEX scrape_runs_one_running ON scrape_runs(source_id) WHERE status = 'running';\n",

	/* 9: a user's resumes (the files are in the blob store, encrypted);
	 * at most one default per user, which the partial index enforces. */
	"CREATE TABLE resumes (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  type TEXT NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  blob_key TEXT NOT NULL UNIQUE,\n"
	"  is_default INTEGER NOT NULL DEFAULT 0,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX resumes_user ON resumes(user_id, created_at);\n"
	"CREATE UNIQUE INDEX resumes_one_default ON resumes(user_id) WHERE is_default = 1;\n",

	/* 10: postings by (updated_at, id), for store_posting_changed: the search
	 * index reads every posting in that order at start and then polls it
	 * for changes every second; without this each read scans the table. */
	"CREATE INDEX postings_changed ON postings(updated_at, id);\n",

	/* 11: tag rows lose their data_version triggers, as in PostgreSQL's
	 * version 11: the store writes them only together with their
	 * application's tag_list (the copy listings read), whose write bumps
	 * already. SQLite keeps bumping once per row otherwise: an in-process
	 * UPDATE of one row is cheap here, and store.h promises a change, not a
	 * count (PostgreSQL bumps once per transaction). */
	"DROP TRIGGER tags_version_ins;\n"
	"DROP TRIGGER tags_version_del;\n",

	/* 12: what a user hid from their postings: single postings, and whole
	 * companies by company_key (the name lower-cased, ASCII, as the search
	 * index folds it; company keeps the name as the user saw it). */
	"CREATE TABLE hidden_postings (\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  posting_id INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (user_id, posting_id)\n"
	");\n"
	"CREATE TABLE blocked_companies (\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  company_key TEXT NOT NULL,\n"
	"  company TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (user_id, company_key)\n"
	");\n",
	/* 13: reminders and automation (src/notify/). A user's settings
	 * (defaults when there is no row), the applications whose default
	 * follow-up reminder the user turned off, and one record per reminder
	 * and channel, unique, so a reminder goes out once and a failed one
	 * keeps its attempts and error for the user to see. */
	"CREATE TABLE notify_settings (\n"
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,\n"
	"  follow_up_days INTEGER NOT NULL,\n"
	"  ghost_days INTEGER NOT NULL,\n"
	"  email INTEGER NOT NULL,\n"
	"  webhook_url TEXT NOT NULL DEFAULT '',\n"
	"  webhook_secret TEXT NOT NULL DEFAULT '',\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE reminder_mutes (\n"
	"  application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE\n"
	");\n"
	"CREATE TABLE reminder_sends (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,\n"
	"  due_on TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),\n"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  next_at INTEGER NOT NULL,\n"
	"  sent_at INTEGER,\n"
	"  last_error TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  UNIQUE (application_id, due_on, channel)\n"
	");\n"
	"CREATE INDEX reminder_sends_user ON reminder_sends(user_id, updated_at DESC, id DESC);\n"
	/* A posting closing (or reopening) at its source changes what the
	 * applications saved from it show (posting_closed_at): their users'
	 * data_version moves, so no cached listing shows the old state. */
	"CREATE TRIGGER postings_closed_version AFTER UPDATE OF closed_at ON postings\n"
	"WHEN OLD.closed_at IS NOT NEW.closed_at BEGIN\n"
	"  UPDATE users SET data_version = data_version + 1\n"
	"    WHERE id IN (SELECT user_id FROM applications WHERE posting_id = NEW.id);\n"
	"END;\n",
	/* 14: resume scans, the user's history: the whole explained result as
	 * the API returns it, and what finds the scan before it of the same
	 * resume and job (job_key: "posting:ID", or "text:" and a hash of a
	 * pasted description) for the delta. A resume's scans go with it; a
	 * posting's leave posting_id NULL and keep their job_key. */
	"CREATE TABLE scans (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  resume_id INTEGER NOT NULL REFERENCES resumes(id) ON DELETE CASCADE,\n"
	"  posting_id INTEGER REFERENCES postings(id) ON DELETE SET NULL,\n"
	"  job_key TEXT NOT NULL,\n"
	"  job_title TEXT NOT NULL,\n"
	"  score_tenths INTEGER NOT NULL,\n"
	"  result TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX scans_user ON scans(user_id, id);\n"
	"CREATE INDEX scans_job ON scans(user_id, resume_id, job_key, id);\n",
	/* 15: a user's calendar feed, reached by a secret URL whose token
	 * is kept only as its SHA-256; one per user. */
	"CREATE TABLE calendar_feeds (\n"
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,\n"
	"  token_hash BLOB NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n",

	/* 16: each posting's scan terms as the resume scanner read them
	 * (store.h, "postings' cached scan terms"), so that ranking every open
	 * posting for a resume reads bytes, not descriptions. A row is current
	 * while its taxonomy key and version match; it goes with its posting. */
	"CREATE TABLE posting_terms (\n"
	"  posting_id INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,\n"
	"  taxonomy TEXT NOT NULL,\n"
	"  version INTEGER NOT NULL,\n"
	"  terms BLOB NOT NULL,\n"
	"  updated_at INTEGER NOT NULL\n"
	");\n"
	/* The open postings' ids and versions alone: checking which rows are
	 * current reads this, not the postings' wide rows (descriptions). */
	"CREATE INDEX postings_open_version ON postings(id, version) WHERE closed_at IS NULL;\n",

	/* 17: saved searches (store.h): a user's named postings searches with
	 * an alert period; the partial index serves the digest task's look for
	 * the ones due. */
	"CREATE TABLE saved_searches (\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  query TEXT NOT NULL,\n"
	"  alert TEXT NOT NULL DEFAULT 'none' CHECK (alert IN ('none', 'daily', 'weekly')),\n"
	"  last_looked_at INTEGER NOT NULL,\n"
	"  last_alert_at INTEGER NOT NULL DEFAULT 0,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  UNIQUE (user_id, name)\n"
	");\n"
	"CREATE INDEX saved_searches_alerts ON saved_searches(last_alert_at) WHERE alert <> 'none';\n",

	/* 18: reposts (store.h): when a posting was last reposted (NULL: never)
	 * and how many times. Finding one reads postings_key (migration 7). */
	"ALTER TABLE postings ADD COLUMN reposted_at INTEGER;\n"
	"ALTER TABLE postings ADD COLUMN repost_count INTEGER NOT NULL DEFAULT 0;\n",

	/* 19: nothing. PostgreSQL's version 19 stamps each application with the
	 * data_version that last wrote it, so that a remembered listing is
	 * brought up to date across the process boundary by the rows written
	 * since; SQLite reads in-process, where reading the page again costs
	 * no more. Kept so that the two numberings stay one. */
	"-- nothing: PostgreSQL's version 19 is its listings' change stamp\n",

	/* 20: the addresses each user signed in from lately (store.h, "log-in
	 * addresses"): the log-in throttle lets them skip an attacked
	 * account's pacing. Rows older than the throttle keeps them are swept
	 * on the next write. */
	"CREATE TABLE login_addresses (\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  address TEXT NOT NULL,\n"
	"  last_ok INTEGER NOT NULL,\n"
	"  PRIMARY KEY (user_id, address)\n"
	");\n"
	"CREATE INDEX login_addresses_last_ok ON login_addresses(last_ok);\n",
};

const char *sqlite_migration(int version)
{
	int n = (int)(sizeof(migrations) / sizeof(migrations[0]));
	return version >= 1 && version <= n ? migrations[version - 1] : NULL;
}

int sqlite_migrations_latest(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

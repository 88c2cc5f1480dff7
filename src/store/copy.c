/* store_copy — moves a whole instance from one store to another (e.g. the
 * embedded SQLite file into PostgreSQL), through the backends' copy
 * operations, so no backend needs to know another. */
#include <stdio.h>

#include "base/log.h"
#include "store/backend.h"

/* In foreign-key order (the instance's postings before the applications
 * saved from them). rate_limits is left behind: its counters are minutes
 * old at most and mean nothing on another instance; so is posting_terms,
 * a cache the destination's scanner fills again (its taxonomy may differ). */
const struct copy_table store_copy_tables[] = {
	{ "settings", "key, value", 2, 0 },
	{ "users", "id, email, password_hash, is_admin, token_version, created_at, updated_at, data_version", 8, 1 },
	{ "sessions", "id, user_id, token_hash, created_at, expires_at, user_agent, address", 7, 1 },
	{ "api_tokens", "id, user_id, name, prefix, token_hash, created_at, last_used_at, revoked_at", 8, 1 },
	{ "calendar_feeds", "user_id, token_hash, created_at", 3, 0 },
	{ "resumes", "id, user_id, name, type, size, blob_key, is_default, created_at, updated_at", 9, 1 },
	{ "sources",
	  "id, name, kind, target, config, schedule, enabled, created_at, updated_at, version, blocked_until, "
	  "last_run_id",
	  12, 1 },
	{ "scrape_runs",
	  "id, source_id, started_at, finished_at, status, pages, bytes, found, new, updated, closed, errors, message, "
	  "heartbeat_at, blocked, owner_host, owner_pid",
	  17, 1 },
	{ "postings",
	  "id, canonical_key, simhash, title, company, location_raw, locality, region, country, workplace, "
	  "employment_types, salary_min, salary_max, salary_currency, salary_period, salary_year_min, salary_year_max, "
	  "date_posted, valid_through, description_html, description_text, apply_url, url, source_rank, first_seen, "
	  "last_seen, closed_at, created_at, updated_at, version, reposted_at, repost_count",
	  32, 1 },
	{ "posting_sources",
	  "id, posting_id, source, external_id, source_id, url, apply_url, content_hash, source_rank, first_seen, "
	  "last_seen, missing_runs, closed_at",
	  13, 1 },
	{ "applications",
	  "id, user_id, company, position, location, url, source, salary_min, salary_max, salary_currency, "
	  "salary_period, status, priority, saved_on, applied_on, follow_up_on, notes, created_at, updated_at, "
	  "status_changed_at, version, tag_list, posting_id",
	  23, 1 },
	{ "application_tags", "application_id, position, tag, tag_key", 4, 0 },
	{ "events",
	  "id, user_id, application_id, kind, at, from_status, to_status, title, body, interview_kind, with_whom, "
	  "created_at, version",
	  13, 1 },
	{ "contacts", "id, user_id, name, role, email, phone, url, notes, created_at, updated_at, version", 11, 1 },
	{ "application_contacts", "application_id, contact_id", 2, 0 },
	{ "hidden_postings", "user_id, posting_id, created_at", 3, 0 },
	{ "blocked_companies", "user_id, company_key, company, created_at", 4, 0 },
	{ "notify_settings", "user_id, follow_up_days, ghost_days, email, webhook_url, webhook_secret, updated_at", 7,
	  0 },
	{ "reminder_mutes", "application_id, user_id", 2, 0 },
	{ "reminder_sends",
	  "id, user_id, application_id, due_on, channel, state, attempts, next_at, sent_at, last_error, created_at, "
	  "updated_at",
	  12, 1 },
	{ "scans", "id, user_id, resume_id, posting_id, job_key, job_title, score_tenths, result, created_at", 9, 1 },
	{ "saved_searches", "id, user_id, name, query, alert, last_looked_at, last_alert_at, created_at, updated_at", 9,
	  1 },
};
const size_t store_copy_n_tables = sizeof(store_copy_tables) / sizeof(store_copy_tables[0]);

struct copy_run {
	struct store *dst;
	const struct copy_table *table;
	int64_t rows;
};

static int copy_row(const struct copy_value *values, void *ctx)
{
	struct copy_run *run = ctx;
	run->rows++;
	return run->dst->core->copy_write(run->dst, run->table, values);
}

static int copy_table(struct store *src, struct store *dst, const struct copy_table *t, int64_t *rows)
{
	struct copy_run run = { .dst = dst, .table = t };
	int rc = src->core->copy_read(src, t, copy_row, &run);
	*rows = run.rows;
	if (rc == 0 && t->has_id_sequence) {
		int64_t counter = 0;
		rc = src->core->copy_id_counter(src, t, &counter);
		if (rc == 0)
			rc = dst->core->copy_set_id_counter(dst, t, counter);
	}
	return rc;
}

int store_copy(struct store *src, struct store *dst, void (*progress)(const char *table, int64_t rows, void *ctx),
	       void *ctx, char *err, size_t errlen)
{
	int v_src, v_dst, latest;
	if (store_schema_version(src, &v_src, &latest) || store_schema_version(dst, &v_dst, &latest)) {
		snprintf(err, errlen, "cannot read the schema versions (see the log)");
		return STORE_ERROR;
	}
	if (v_src != v_dst) {
		snprintf(err, errlen, "the schemas differ (version %d here, %d there): migrate both first", v_src,
			 v_dst);
		return STORE_ERROR;
	}
	/* Into an empty database only: one row already there (a posting, a
	 * setting) would collide with the copy's ids, or mix two instances. */
	for (size_t i = 0; i < store_copy_n_tables; i++) {
		const struct copy_table *t = &store_copy_tables[i];
		int has = 0;
		if (dst->core->copy_has_rows(dst, t, &has)) {
			snprintf(err, errlen, "cannot read the target database's %s table (see the log)", t->name);
			return STORE_ERROR;
		}
		if (has) {
			snprintf(err, errlen,
				 "the target database is not empty (its %s table has rows): copy only into a new, "
				 "empty database (create one, e.g. createdb, and give its URL), or empty this one "
				 "first",
				 t->name);
			return STORE_CONFLICT;
		}
	}
	/* One transaction on each side: a consistent picture of the source, and
	 * all or nothing on the target (but for PostgreSQL's id sequences, which
	 * no transaction undoes: a failed copy leaves them moved on, harmlessly). */
	int rc = store_tx_begin_snapshot(src);
	if (rc) {
		snprintf(err, errlen, "cannot start reading the source database (see the log)");
		return rc;
	}
	rc = store_tx_begin(dst, 0);
	if (rc) {
		snprintf(err, errlen, "cannot start writing the target database (see the log)");
		store_tx_end(src, 0);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < store_copy_n_tables; i++) {
		int64_t rows = 0;
		rc = copy_table(src, dst, &store_copy_tables[i], &rows);
		if (rc)
			snprintf(err, errlen, "copying %s failed after %lld rows (see the log); nothing was copied",
				 store_copy_tables[i].name, (long long)rows);
		else if (progress)
			progress(store_copy_tables[i].name, rows, ctx);
	}
	int rc_dst = store_tx_end(dst, rc);
	store_tx_end(src, 0);
	if (rc == 0 && rc_dst)
		snprintf(err, errlen,
			 "the target database refused the copy at commit (see the log); nothing was copied");
	return rc ? rc : rc_dst;
}

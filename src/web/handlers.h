/* handlers — every route handler, grouped by the file that defines it. */
#ifndef JT_WEB_HANDLERS_H
#define JT_WEB_HANDLERS_H

#include "web/http.h"

/* api/system.c */
void api_healthz(struct request *req);
void api_metrics(struct request *req);
void api_openapi(struct request *req);
/* api/auth.c */
void api_signup(struct request *req);
void api_token(struct request *req);
void api_me(struct request *req);
void api_me_password(struct request *req);
void api_tokens_list(struct request *req);
void api_tokens_create(struct request *req);
void api_tokens_revoke(struct request *req);
void api_sessions_list(struct request *req);
void api_sessions_revoke(struct request *req);
void api_admin_settings_get(struct request *req);
void api_admin_settings_patch(struct request *req);
/* api/applications.c */
void api_apps_list(struct request *req);
void api_apps_create(struct request *req);
void api_apps_get(struct request *req);
void api_apps_patch(struct request *req);
void api_apps_delete(struct request *req);
/* api/events.c */
void api_events_list(struct request *req);
void api_events_create(struct request *req);
void api_events_get(struct request *req);
void api_events_patch(struct request *req);
void api_events_delete(struct request *req);
/* api/contacts.c */
void api_contacts_list(struct request *req);
void api_contacts_create(struct request *req);
void api_contacts_get(struct request *req);
void api_contacts_patch(struct request *req);
void api_contacts_delete(struct request *req);
void api_app_contacts_list(struct request *req);
void api_app_contacts_add(struct request *req);
void api_app_contacts_remove(struct request *req);
/* api/analytics.c */
void api_analytics_funnel(struct request *req);
void api_analytics_responses(struct request *req);
void api_analytics_activity(struct request *req);
void api_analytics_pipeline(struct request *req);
/* reminders (api/reminders.c) */
void api_reminders_list(struct request *req);
void api_reminder_settings_get(struct request *req);
void api_reminder_settings_put(struct request *req);
void api_app_follow_up_put(struct request *req);
void api_app_follow_up_delete(struct request *req);
/* reminder forms (pages/reminders.c) */
void page_app_follow_up(struct request *req);
void page_settings_reminders(struct request *req);
/* The settings page with the reminder form's errors (pages/settings.c). */
void page_settings_render_reminders(struct request *req, int status, const struct field_errors *errs);
/* api/market.c */
void api_market_skills(struct request *req);
void api_market_salary(struct request *req);
void api_market_sources(struct request *req);
void api_market_daily(struct request *req);
void api_market_remote(struct request *req);
/* api/postings.c */
void api_postings_list(struct request *req);
void api_postings_get(struct request *req);
void api_postings_save(struct request *req);
/* api/discover.c */
void api_postings_import(struct request *req);
void api_hidden_list(struct request *req);
void api_hidden_posting_add(struct request *req);
void api_hidden_posting_remove(struct request *req);
void api_hidden_company_add(struct request *req);
void api_hidden_company_remove(struct request *req);
/* api/sources.c (administrators only) */
void api_sources_list(struct request *req);
void api_sources_create(struct request *req);
void api_sources_get(struct request *req);
void api_sources_patch(struct request *req);
void api_sources_delete(struct request *req);
void api_sources_run(struct request *req);
void api_sources_runs(struct request *req);
void api_runs_get(struct request *req);
/* api/csv.c */
void api_apps_export(struct request *req);
void api_apps_import(struct request *req);
/* api/export.c (the pages' download links too) */
void api_apps_export_xlsx(struct request *req);
void api_postings_export_csv(struct request *req);
void api_postings_export_xlsx(struct request *req);
/* api/backup.c */
void api_backup_export(struct request *req);
void api_backup_import(struct request *req);
/* api/calendar.c */
void api_calendar_feed(struct request *req);
void api_calendar_feed_get(struct request *req);
void api_calendar_feed_create(struct request *req);
void api_calendar_feed_delete(struct request *req);
/* api/calendar.c, shared with the settings page: a new feed token for the
 * user (the old one stops working); its path, with the secret (shown once),
 * into path. A store status. */
#define CALENDAR_PATH_MAX 128
int api_calendar_feed_issue(struct request *req, char path[CALENDAR_PATH_MAX]);

/* api/auth.c, shared with the settings page: makes a personal API token,
 * writing its secret (shown once) to secret. */
int api_token_issue(struct request *req, const char *name, char secret[64], int64_t *id);

/* pages/auth.c */
void page_home(struct request *req);
void page_login(struct request *req);
void page_login_post(struct request *req);
void page_signup(struct request *req);
void page_signup_post(struct request *req);
void page_logout(struct request *req);
/* pages/board.c */
void page_board(struct request *req);
void page_app_status_post(struct request *req);
/* pages/list.c */
void page_list(struct request *req);
/* pages/dashboard.c */
void page_dashboard(struct request *req);
/* pages/application.c */
void page_app_new(struct request *req);
void page_app_create(struct request *req);
void page_app_show(struct request *req);
void page_app_update(struct request *req);
void page_app_delete(struct request *req);
void page_event_create(struct request *req);
void page_event_update(struct request *req);
void page_event_delete(struct request *req);
void page_contact_create(struct request *req);
void page_contact_link(struct request *req);
void page_contact_update(struct request *req);
void page_contact_unlink(struct request *req);
/* api/resumes.c */
void api_resumes_list(struct request *req);
void api_resumes_create(struct request *req);
void api_resumes_get(struct request *req);
void api_resumes_file(struct request *req);
void api_resumes_replace(struct request *req);
void api_resumes_patch(struct request *req);
void api_resumes_delete(struct request *req);
/* api/scans.c */
void api_scans_create(struct request *req);
void api_scans_list(struct request *req);
void api_scans_get(struct request *req);
void api_scans_delete(struct request *req);
void api_scans_rerun(struct request *req);
void api_scans_marks(struct request *req);
/* pages/resumes.c */
void page_resumes(struct request *req);
void page_resume(struct request *req);
void page_resume_upload(struct request *req);
void page_resume_default(struct request *req);
void page_resume_delete(struct request *req);
void page_resume_file(struct request *req);
void page_resume_replace(struct request *req);
void page_scan_new(struct request *req);
void page_scan_create(struct request *req);
void page_scan(struct request *req);
void page_scan_rerun(struct request *req);
void page_scan_delete(struct request *req);
/* pages/settings.c */
void page_settings(struct request *req);
void page_settings_password(struct request *req);
void page_settings_token_create(struct request *req);
void page_settings_token_revoke(struct request *req);
void page_settings_signup(struct request *req);
void page_settings_session_revoke(struct request *req);
void page_settings_sessions_revoke_others(struct request *req);
/* pages/backup.c */
void page_settings_backup_import(struct request *req);
/* pages/calendar.c: the settings page's calendar feed section */
void page_settings_calendar_create(struct request *req);
void page_settings_calendar_revoke(struct request *req);
/* Adds "calendar": {active, created_rel, created_iso} to the settings page's context. */
void page_settings_calendar_ctx(struct request *req, json_t *ctx);
/* api/matches.c, pages/matches.c: a resume's best matches */
void api_resume_matches(struct request *req);
void page_resume_matches(struct request *req);
/* api/saved_searches.c */
void api_saved_list(struct request *req);
void api_saved_create(struct request *req);
void api_saved_get(struct request *req);
void api_saved_patch(struct request *req);
void api_saved_delete(struct request *req);
void api_saved_looked(struct request *req);
void api_saved_new(struct request *req);

/* pages/saved_searches.c */
void page_saved_list(struct request *req);
void page_saved_create(struct request *req);
void page_saved_update(struct request *req);
void page_saved_delete(struct request *req);
void page_saved_open(struct request *req);
void page_saved_unsubscribe(struct request *req);
void page_saved_unsubscribe_post(struct request *req);

/* pages/postings.c */
void page_postings(struct request *req);
void page_posting(struct request *req);
void page_posting_save(struct request *req);
/* pages/discover.c */
void page_import(struct request *req);
void page_import_post(struct request *req);
void page_posting_hide(struct request *req);
void page_posting_hide_company(struct request *req);
void page_hidden_posting_unhide(struct request *req);
void page_hidden_company_unhide(struct request *req);
/* pages/sources.c (administrators only) */
void page_sources(struct request *req);
void page_source_create(struct request *req);
void page_source(struct request *req);
void page_source_update(struct request *req);
void page_source_enable(struct request *req);
void page_source_run(struct request *req);
void page_source_delete(struct request *req);
/* pages/csv.c */
void page_export_csv(struct request *req);
void page_import_csv(struct request *req);
/* pages/moved.c */
void page_moved(struct request *req);

#endif

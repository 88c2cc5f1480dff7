/* routes — every URL the server answers, at a glance.
 * {id} segments match positive integers and reach the handler as req->params. */
#include "web/handlers.h"
#include "web/route.h"

/* clang-format off */
#define R(method, pattern, handler, auth, body) {HTTP_##method, pattern, handler, AUTH_##auth, BODY_##body}

const struct route routes[] = {
	/* operations */
	R(GET, "/healthz", api_healthz, PUBLIC, NONE),
	R(GET, "/metrics", api_metrics, PUBLIC, NONE),
	R(GET, "/api/v1/openapi.json", api_openapi, PUBLIC, NONE),

	/* API: accounts */
	R(POST, "/api/v1/auth/signup", api_signup, PUBLIC, JSON),
	R(POST, "/api/v1/auth/token", api_token, PUBLIC, JSON),
	R(GET, "/api/v1/me", api_me, API, NONE),
	R(POST, "/api/v1/me/password", api_me_password, API, JSON),
	R(GET, "/api/v1/tokens", api_tokens_list, API, NONE),
	R(POST, "/api/v1/tokens", api_tokens_create, API, JSON),
	R(DELETE, "/api/v1/tokens/{id}", api_tokens_revoke, API, NONE),
	R(GET, "/api/v1/sessions", api_sessions_list, API, NONE),
	R(DELETE, "/api/v1/sessions/{id}", api_sessions_revoke, API, NONE),
	R(GET, "/api/v1/admin/settings", api_admin_settings_get, API, NONE),
	R(PATCH, "/api/v1/admin/settings", api_admin_settings_patch, API, JSON),

	/* API: the tracker */
	R(GET, "/api/v1/applications", api_apps_list, API, NONE),
	R(POST, "/api/v1/applications", api_apps_create, API, JSON),
	R(GET, "/api/v1/applications.csv", api_apps_export, API, NONE),
	R(POST, "/api/v1/applications/import", api_apps_import, API, UPLOAD),
	R(GET, "/api/v1/applications/{id}", api_apps_get, API, NONE),
	R(PATCH, "/api/v1/applications/{id}", api_apps_patch, API, JSON),
	R(DELETE, "/api/v1/applications/{id}", api_apps_delete, API, NONE),
	R(GET, "/api/v1/applications/{id}/events", api_events_list, API, NONE),
	R(POST, "/api/v1/applications/{id}/events", api_events_create, API, JSON),
	R(GET, "/api/v1/applications/{id}/events/{id}", api_events_get, API, NONE),
	R(PATCH, "/api/v1/applications/{id}/events/{id}", api_events_patch, API, JSON),
	R(DELETE, "/api/v1/applications/{id}/events/{id}", api_events_delete, API, NONE),
	R(GET, "/api/v1/applications/{id}/contacts", api_app_contacts_list, API, NONE),
	R(POST, "/api/v1/applications/{id}/contacts", api_app_contacts_add, API, JSON),
	R(DELETE, "/api/v1/applications/{id}/contacts/{id}", api_app_contacts_remove, API, NONE),
	R(GET, "/api/v1/contacts", api_contacts_list, API, NONE),
	R(POST, "/api/v1/contacts", api_contacts_create, API, JSON),
	R(GET, "/api/v1/contacts/{id}", api_contacts_get, API, NONE),
	R(PATCH, "/api/v1/contacts/{id}", api_contacts_patch, API, JSON),
	R(DELETE, "/api/v1/contacts/{id}", api_contacts_delete, API, NONE),

	/* API: the dashboard's numbers */
	R(GET, "/api/v1/analytics/funnel", api_analytics_funnel, API, NONE),
	R(GET, "/api/v1/analytics/responses", api_analytics_responses, API, NONE),
	R(GET, "/api/v1/analytics/activity", api_analytics_activity, API, NONE),
	R(GET, "/api/v1/analytics/pipeline", api_analytics_pipeline, API, NONE),

	/* API: reminders and automation */
	R(GET, "/api/v1/reminders", api_reminders_list, API, NONE),
	R(GET, "/api/v1/reminders/settings", api_reminder_settings_get, API, NONE),
	R(PUT, "/api/v1/reminders/settings", api_reminder_settings_put, API, JSON),
	R(PUT, "/api/v1/applications/{id}/follow-up", api_app_follow_up_put, API, JSON),
	R(DELETE, "/api/v1/applications/{id}/follow-up", api_app_follow_up_delete, API, NONE),

	/* API: scraped postings, and the sources that find them (admins) */
	R(GET, "/api/v1/postings", api_postings_list, API, NONE),
	R(GET, "/api/v1/postings/{id}", api_postings_get, API, NONE),
	R(POST, "/api/v1/postings/{id}/save", api_postings_save, API, NONE),
	R(POST, "/api/v1/postings/import", api_postings_import, API, JSON),
	R(GET, "/api/v1/hidden", api_hidden_list, API, NONE),
	R(POST, "/api/v1/hidden/postings", api_hidden_posting_add, API, JSON),
	R(DELETE, "/api/v1/hidden/postings/{id}", api_hidden_posting_remove, API, NONE),
	R(POST, "/api/v1/hidden/companies", api_hidden_company_add, API, JSON),
	R(DELETE, "/api/v1/hidden/companies", api_hidden_company_remove, API, NONE),
	R(GET, "/api/v1/admin/sources", api_sources_list, API, NONE),
	R(POST, "/api/v1/admin/sources", api_sources_create, API, JSON),
	R(GET, "/api/v1/admin/sources/{id}", api_sources_get, API, NONE),
	R(PATCH, "/api/v1/admin/sources/{id}", api_sources_patch, API, JSON),
	R(DELETE, "/api/v1/admin/sources/{id}", api_sources_delete, API, NONE),
	R(POST, "/api/v1/admin/sources/{id}/run", api_sources_run, API, NONE),
	R(GET, "/api/v1/admin/sources/{id}/runs", api_sources_runs, API, NONE),
	R(GET, "/api/v1/admin/runs/{id}", api_runs_get, API, NONE),

	/* API: resumes, and scans of them against postings */
	R(GET, "/api/v1/resumes", api_resumes_list, API, NONE),
	R(POST, "/api/v1/resumes", api_resumes_create, API, UPLOAD),
	R(GET, "/api/v1/resumes/{id}", api_resumes_get, API, NONE),
	R(GET, "/api/v1/resumes/{id}/file", api_resumes_file, API, NONE),
	R(PUT, "/api/v1/resumes/{id}/file", api_resumes_replace, API, UPLOAD),
	R(PATCH, "/api/v1/resumes/{id}", api_resumes_patch, API, JSON),
	R(DELETE, "/api/v1/resumes/{id}", api_resumes_delete, API, NONE),
	R(POST, "/api/v1/scans", api_scans_create, API, JSON),
	R(GET, "/api/v1/scans", api_scans_list, API, NONE),
	R(GET, "/api/v1/scans/{id}", api_scans_get, API, NONE),
	R(DELETE, "/api/v1/scans/{id}", api_scans_delete, API, NONE),
	R(POST, "/api/v1/scans/{id}/rerun", api_scans_rerun, API, NONE),
	R(GET, "/api/v1/scans/{id}/marks", api_scans_marks, API, NONE),

	/* pages: accounts */
	R(GET, "/", page_home, PUBLIC, NONE),
	R(GET, "/login", page_login, PUBLIC, NONE),
	R(POST, "/login", page_login_post, PUBLIC, FORM),
	R(GET, "/signup", page_signup, PUBLIC, NONE),
	R(POST, "/signup", page_signup_post, PUBLIC, FORM),
	R(POST, "/logout", page_logout, PAGE, FORM),

	/* pages: the tracker */
	R(GET, "/board", page_board, PAGE, NONE),
	R(GET, "/applications", page_list, PAGE, NONE),
	R(POST, "/applications", page_app_create, PAGE, FORM),
	R(GET, "/applications/new", page_app_new, PAGE, NONE),
	R(GET, "/applications/{id}", page_app_show, PAGE, NONE),
	R(POST, "/applications/{id}", page_app_update, PAGE, FORM),
	R(POST, "/applications/{id}/status", page_app_status_post, PAGE, FORM),
	R(POST, "/applications/{id}/follow-up", page_app_follow_up, PAGE, FORM),
	R(POST, "/applications/{id}/delete", page_app_delete, PAGE, FORM),
	R(POST, "/applications/{id}/events", page_event_create, PAGE, FORM),
	R(POST, "/applications/{id}/events/{id}", page_event_update, PAGE, FORM),
	R(POST, "/applications/{id}/events/{id}/delete", page_event_delete, PAGE, FORM),
	R(POST, "/applications/{id}/contacts", page_contact_create, PAGE, FORM),
	R(POST, "/applications/{id}/contacts/link", page_contact_link, PAGE, FORM),
	R(POST, "/applications/{id}/contacts/{id}", page_contact_update, PAGE, FORM),
	R(POST, "/applications/{id}/contacts/{id}/unlink", page_contact_unlink, PAGE, FORM),
	R(GET, "/export.csv", page_export_csv, PAGE, NONE),
	R(POST, "/import", page_import_csv, PAGE, UPLOAD),

	/* pages: postings, and the sources that find them (admins) */
	R(GET, "/postings", page_postings, PAGE, NONE),
	R(GET, "/postings/{id}", page_posting, PAGE, NONE),
	R(POST, "/postings/{id}/save", page_posting_save, PAGE, FORM),
	R(GET, "/postings/import", page_import, PAGE, NONE),
	R(POST, "/postings/import", page_import_post, PAGE, FORM),
	R(POST, "/postings/{id}/hide", page_posting_hide, PAGE, FORM),
	R(POST, "/postings/{id}/hide-company", page_posting_hide_company, PAGE, FORM),
	R(POST, "/settings/hidden/postings/{id}/unhide", page_hidden_posting_unhide, PAGE, FORM),
	R(POST, "/settings/hidden/companies/unhide", page_hidden_company_unhide, PAGE, FORM),
	R(GET, "/admin/sources", page_sources, PAGE, NONE),
	R(POST, "/admin/sources", page_source_create, PAGE, FORM),
	R(GET, "/admin/sources/{id}", page_source, PAGE, NONE),
	R(POST, "/admin/sources/{id}", page_source_update, PAGE, FORM),
	R(POST, "/admin/sources/{id}/enabled", page_source_enable, PAGE, FORM),
	R(POST, "/admin/sources/{id}/run", page_source_run, PAGE, FORM),
	R(POST, "/admin/sources/{id}/delete", page_source_delete, PAGE, FORM),

	/* pages: resumes and scans */
	R(GET, "/resumes", page_resumes, PAGE, NONE),
	R(POST, "/resumes", page_resume_upload, PAGE, UPLOAD),
	R(GET, "/resumes/{id}", page_resume, PAGE, NONE),
	R(GET, "/resumes/{id}/file", page_resume_file, PAGE, NONE),
	R(POST, "/resumes/{id}/file", page_resume_replace, PAGE, UPLOAD),
	R(POST, "/resumes/{id}/default", page_resume_default, PAGE, FORM),
	R(POST, "/resumes/{id}/delete", page_resume_delete, PAGE, FORM),
	R(GET, "/scans/new", page_scan_new, PAGE, NONE),
	R(POST, "/scans", page_scan_create, PAGE, FORM),
	R(GET, "/scans/{id}", page_scan, PAGE, NONE),
	R(POST, "/scans/{id}/rerun", page_scan_rerun, PAGE, FORM),
	R(POST, "/scans/{id}/delete", page_scan_delete, PAGE, FORM),

	/* pages: settings */
	R(GET, "/settings", page_settings, PAGE, NONE),
	R(POST, "/settings/password", page_settings_password, PAGE, FORM),
	R(POST, "/settings/tokens", page_settings_token_create, PAGE, FORM),
	R(POST, "/settings/tokens/{id}/revoke", page_settings_token_revoke, PAGE, FORM),
	R(POST, "/settings/signup", page_settings_signup, PAGE, FORM),
	R(POST, "/settings/reminders", page_settings_reminders, PAGE, FORM),
	R(POST, "/settings/sessions/{id}/revoke", page_settings_session_revoke, PAGE, FORM),
	R(POST, "/settings/sessions/revoke-others", page_settings_sessions_revoke_others, PAGE, FORM),
};
/* clang-format on */

const size_t n_routes = sizeof(routes) / sizeof(routes[0]);

/* curl_once — libcurl's global initialisation, once per process, by the
 * first user that needs it (a fetch, a webhook, an e-mail), not at start:
 * curl_global_init starts OpenSSL, whose tables are some 2 MiB of resident
 * memory an idle server that never fetches does without.
 *
 * Thread-safe (pthread_once); every code path that makes a libcurl handle
 * calls it first. The process may call curl_global_cleanup at exit as
 * before (a no-op when nothing initialised it). */
#ifndef JT_BASE_CURL_ONCE_H
#define JT_BASE_CURL_ONCE_H

/* 0, or -1 when libcurl could not initialise (no handle will work). */
int curl_once(void);

#endif

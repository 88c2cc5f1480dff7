/* curl_once — see curl_once.h. */
#include "base/curl_once.h"

#include <pthread.h>

#include <curl/curl.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode init_rc;

static void init(void)
{
	init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int curl_once(void)
{
	pthread_once(&once, init);
	return init_rc == CURLE_OK ? 0 : -1;
}

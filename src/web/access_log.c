#include "web/access_log.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>

#include "base/json_out.h"
#include "base/log.h"
#include "base/timefmt.h"

static atomic_uint_fast64_t next_id;
static uint32_t process_tag;
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static void pick_tag(void)
{
	process_tag = randombytes_random();
}

void access_log_new_id(char *out, size_t outlen)
{
	pthread_once(&tag_once, pick_tag);
	uint64_t n = atomic_fetch_add(&next_id, 1) + 1;
	snprintf(out, outlen, "%08" PRIx32 "%08" PRIx64, process_tag, n);
}

void access_log_write(const struct request *req, double seconds)
{
	if (!log_enabled(LOG_INFO))
		return;
	char ts[TIMEFMT_ISO_MS_LEN];
	timefmt_now_iso_ms(ts);
	struct buf b;
	buf_init(&b, 8192);
	buf_puts(&b, "{\"ts\":");
	json_out_string(&b, ts);
	buf_puts(&b, ",\"level\":\"info\",\"event\":\"http\",\"id\":");
	json_out_string(&b, req->id);
	buf_puts(&b, ",\"method\":");
	json_out_string(&b, req->method_name);
	buf_puts(&b, ",\"path\":");
	json_out_string(&b, req->path);
	buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.3f,\"addr\":", req->status, req->bytes_sent,
		   seconds * 1000.0);
	json_out_string(&b, req->client_addr);
	if (req->auth != AUTH_NONE)
		buf_printf(&b, ",\"user\":%" PRId64, req->user.id);
	buf_putc(&b, '}');
	if (!buf_failed(&b))
		log_raw_line(b.data, b.len);
	buf_free(&b);
}

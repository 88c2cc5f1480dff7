/* cache.c — users and browser sessions remembered in this process, so that
 * the request path (who is this? what is their data version?) does not cost
 * a round trip to the database on every request.
 *
 * Correct across processes because PostgreSQL tells us what changed: the
 * schema's triggers NOTIFY jobtrack_cache with "u<id>" when a user row
 * changes (every change of a user's data bumps its data_version) and "s<id>"
 * when a session of that user ends. A listener thread holds its own
 * connection, LISTENs, and forgets what the notifications name.
 *
 * Writes made by this process update the cache themselves as soon as they
 * commit, before the caller answers, so a client always reads its own
 * writes: a transaction that held a user's row lock reads that row just
 * before COMMIT (in the same round trip) and remembers it, so the user's
 * next request needs no lookup. The notifications of this process's own
 * commits (be_pid is one of its connections) are therefore not applied:
 * they would only forget what was just remembered. That holds only if
 * every write this process makes to a users row or a session either runs
 * in a transaction that names the user (pg_tx_begin) or forgets what it
 * changed itself (as accounts.c does): a new kind of write must do one or
 * the other.
 *
 * Across processes a notification arrives a little after its commit (the
 * server's delivery time: under a millisecond idle, a few ms under load),
 * so a process that answered from memory could miss another's change for
 * that long: a client writing through one process and reading through
 * another at once would now and then miss its own write. So each process
 * says on the channel that it is there: "H" once when it starts listening
 * (every other process answers at once with "h"), and "h" every
 * HEARTBEAT_MS. While another process has been heard within PEER_GONE_MS
 * (or this one started listening less than ALONE_AFTER_MS ago, waiting for
 * answers), a request's first lookup (the session or the JWT's user:
 * pg_cache_fresh) first makes sure that every notification committed
 * before it has arrived: it sends an empty query on the listener's
 * connection and waits for its answer. PostgreSQL signals listeners before
 * a commit returns, and a listening backend sends what it was signalled
 * for before it answers the next query, so once the answer is in, every
 * change committed before the query was sent is known (and applied). One
 * such round trip serves every request that waited for it; the rest of the
 * request answers from memory. Alone on the database, nothing changes but
 * through this process, whose commits update the cache before it answers:
 * no round trip at all.
 *
 * The cache is used only while the listener is connected ("live"): when its
 * connection drops, everything is forgotten and every lookup goes to the
 * database until it is back; no entry is believed for longer than
 * CACHE_TTL_SECONDS in any case. A lookup that raced with a change (the
 * epoch moved while the row was being read) is answered but not remembered. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "store/postgres/pg.h"

#define CACHE_SLOTS 1024

/* A bound on how long anything is believed without asking again: should a
 * connection die so quietly that neither the keepalives nor the kernel
 * notice for a while, a missed notification is wrong for this long at most. */
#define CACHE_TTL_SECONDS 30

/* How often a process says it is there, how long after the last word of
 * another one this process still believes it is not alone, and how long a
 * starting process waits for the others' answers. */
#define HEARTBEAT_MS   5000
#define PEER_GONE_MS   15000
#define ALONE_AFTER_MS 1000
#define SYNC_WAIT_MS   1000
#define HELLO_SQL      "NOTIFY jobtrack_cache, 'H'"
#define HEARTBEAT_SQL  "NOTIFY jobtrack_cache, 'h'"

struct user_slot {
	int valid;
	int64_t at; /* monotonic seconds when it was read */
	struct user u;
};

struct session_slot {
	int valid;
	int64_t at;
	uint8_t hash[32];
	int64_t user_id, expires_at;
};

struct pg_cache {
	struct pg_store *owner; /* whose connections' notifications are our own */
	pthread_mutex_t mu;
	int live;            /* the listener is connected and LISTENing */
	uint64_t epoch;      /* moves with every forget */
	int64_t live_at;     /* monotonic ms when listening began */
	int64_t heard_until; /* monotonic ms: another process was heard less than PEER_GONE_MS before */
	int logged_heard;    /* what log_sharing last said */
	struct user_slot users[CACHE_SLOTS];
	struct session_slot sessions[CACHE_SLOTS];

	pthread_mutex_t listen_mu; /* the listener's connection, and: */
	PGconn *listener;
	int64_t said_at;         /* monotonic ms of the last "h" sent */
	int answer_due;          /* another process said "H": answer "h" */
	int in_flight;           /* a command's answer is still to be read */
	uint64_t sent, answered; /* commands sent on the connection, and answered */
	pthread_cond_t answer;   /* with listen_mu: answered moved */
	pthread_t thread;
	int started;
	volatile int stop;
	char *url;
};

static int64_t mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec;
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* With mu held: another process is there, or may be (this one started
 * listening too lately for the others' answers to have come). */
static int shared_locked(const struct pg_cache *pc, int64_t now)
{
	return now < pc->heard_until || now < pc->live_at + ALONE_AFTER_MS;
}

static int fresh(int64_t at, int64_t now)
{
	return now - at < CACHE_TTL_SECONDS;
}

static size_t user_slot_of(int64_t id)
{
	return (size_t)((uint64_t)id % CACHE_SLOTS);
}

static size_t session_slot_of(const uint8_t hash[32])
{
	uint64_t h;
	memcpy(&h, hash, sizeof(h)); /* a SHA-256: any 8 bytes are uniform */
	return (size_t)(h % CACHE_SLOTS);
}

/* With mu held: forgets the user's sessions, and the user too unless
 * sessions_only. */
static void forget_user_locked(struct pg_cache *pc, int64_t user_id, int sessions_only)
{
	struct user_slot *us = &pc->users[user_slot_of(user_id)];
	if (!sessions_only && us->valid && us->u.id == user_id)
		us->valid = 0;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (pc->sessions[i].valid && pc->sessions[i].user_id == user_id)
			pc->sessions[i].valid = 0;
	pc->epoch++;
}

static void forget_all_locked(struct pg_cache *pc)
{
	memset(pc->users, 0, sizeof(pc->users));
	memset(pc->sessions, 0, sizeof(pc->sessions));
	pc->epoch++;
}

/* Applies the notifications that have arrived on the listener's connection;
 * with listen_mu held. Returns -1 when the connection is broken. */
static int drain_locked(struct pg_cache *pc)
{
	if (!pc->listener || !PQconsumeInput(pc->listener))
		return -1;
	/* A command's answer comes after every notification sent before it:
	 * read up to it first, apply what came, then count it answered. */
	PGresult *res;
	int completed = 0;
	while (pc->in_flight && !completed && !PQisBusy(pc->listener)) {
		if ((res = PQgetResult(pc->listener)) == NULL)
			completed = 1;
		PQclear(res);
	}
	PGnotify *n;
	int own_pid = PQbackendPID(pc->listener);
	while ((n = PQnotifies(pc->listener)) != NULL) {
		if (n->be_pid == own_pid || pg_own_backend(pc->owner, n->be_pid)) {
			PQfreemem(n); /* this process's own commit: accounted for at commit */
			continue;
		}
		int64_t id = 0;
		const char *p = n->extra;
		int sessions_only = p[0] == 's';
		if ((p[0] == 'h' || p[0] == 'H') && p[1] == '\0') {
			pthread_mutex_lock(&pc->mu);
			pc->heard_until = mono_ms() + PEER_GONE_MS;
			pthread_mutex_unlock(&pc->mu);
			pc->answer_due |= p[0] == 'H';
		} else if ((p[0] == 'u' || p[0] == 's') && pg_parse_int(p + 1, &id) == 0) {
			pthread_mutex_lock(&pc->mu);
			forget_user_locked(pc, id, sessions_only);
			pthread_mutex_unlock(&pc->mu);
		} else {
			/* Something we do not understand: forgetting everything is always safe. */
			pthread_mutex_lock(&pc->mu);
			forget_all_locked(pc);
			pthread_mutex_unlock(&pc->mu);
		}
		PQfreemem(n);
	}
	if (completed) {
		pc->in_flight = 0;
		pc->answered = pc->sent;
		pthread_cond_broadcast(&pc->answer);
	}
	return 0;
}

/* With listen_mu held: sends sql on the listener's connection (its answer
 * is read by drain_locked). 0, or -1 when it cannot be sent now. */
static int send_locked(struct pg_cache *pc, const char *sql)
{
	if (!pc->listener || pc->in_flight || !PQsendQuery(pc->listener, sql))
		return -1;
	pc->in_flight = 1;
	pc->sent++;
	PQflush(pc->listener);
	return 0;
}

static void set_live(struct pg_cache *pc, int live)
{
	pthread_mutex_lock(&pc->mu);
	forget_all_locked(pc);
	pc->live = live;
	if (live)
		pc->live_at = mono_ms();
	pthread_mutex_unlock(&pc->mu);
}

/* With listen_mu held: says "h" when it is time (or another process said
 * "H"), unless a command is on its way (then at the next turn). */
static void say_locked(struct pg_cache *pc)
{
	int64_t now = mono_ms();
	if (pc->listener && pc->in_flight)
		PQflush(pc->listener); /* what the last send could not send yet */
	if ((pc->answer_due || now - pc->said_at >= HEARTBEAT_MS) && send_locked(pc, HEARTBEAT_SQL) == 0) {
		pc->said_at = now;
		pc->answer_due = 0;
	}
}

/* Logs when this process starts or stops sharing the database. */
static void log_sharing(struct pg_cache *pc)
{
	pthread_mutex_lock(&pc->mu);
	int shared = pc->live && mono_ms() < pc->heard_until, was = pc->logged_heard;
	pc->logged_heard = shared;
	pthread_mutex_unlock(&pc->mu);
	if (shared && !was)
		log_event(LOG_INFO, "store.pg.cache",
			  "another jobtrack process uses this database: each request first makes sure that the "
			  "changes made there have reached this one (one round trip), and every process needs the "
			  "same --secret-key and a shared --blob-url");
	else if (!shared && was)
		log_event(LOG_INFO, "store.pg.cache", "no other jobtrack process heard from: caching users again");
}

static int listen_connect(struct pg_cache *pc)
{
	PGconn *db = pg_connect(pc->url);
	if (!db)
		return -1;
	if (PQstatus(db) == CONNECTION_OK) {
		PGresult *res = PQexec(db, "LISTEN jobtrack_cache");
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		/* Then "H": every other process answers, and from now on none of
		 * them answers from memory what this one may change. */
		res = ok ? PQexec(db, HELLO_SQL) : NULL;
		ok = ok && PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		if (ok && PQsetnonblocking(db, 1) == 0) {
			pthread_mutex_lock(&pc->listen_mu);
			pc->listener = db;
			pc->said_at = mono_ms();
			pc->in_flight = pc->answer_due = 0;
			pc->answered = pc->sent;
			pthread_cond_broadcast(&pc->answer);
			pthread_mutex_unlock(&pc->listen_mu);
			/* Live only from here: anything cached before LISTEN could have
			 * missed a change. */
			set_live(pc, 1);
			return 0;
		}
	}
	PQfinish(db);
	return -1;
}

static void listen_disconnect(struct pg_cache *pc)
{
	set_live(pc, 0);
	pthread_mutex_lock(&pc->listen_mu);
	PQfinish(pc->listener);
	pc->listener = NULL;
	pc->in_flight = 0;
	pthread_cond_broadcast(&pc->answer); /* waiters give up: no answer is coming */
	pthread_mutex_unlock(&pc->listen_mu);
}

static void *listen_loop(void *arg)
{
	struct pg_cache *pc = arg;
	int was_live = 1;
	while (!pc->stop) {
		if (!pc->listener) {
			if (listen_connect(pc)) {
				if (was_live)
					log_event(LOG_WARN, "store.pg.cache",
						  "cannot listen for changes: caching users is off until the database "
						  "answers");
				was_live = 0;
				for (int i = 0; i < 10 && !pc->stop; i++) /* retry in a second, stop within 100 ms */
					nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
				continue;
			}
			if (!was_live)
				log_event(LOG_INFO, "store.pg.cache",
					  "listening for changes again: caching users is on");
			was_live = 1;
		}
		struct pollfd pfd = { .fd = PQsocket(pc->listener), .events = POLLIN };
		if (poll(&pfd, 1, 100) < 0)
			continue;
		pthread_mutex_lock(&pc->listen_mu);
		int broken = drain_locked(pc) || PQstatus(pc->listener) != CONNECTION_OK;
		if (!broken)
			say_locked(pc);
		pthread_mutex_unlock(&pc->listen_mu);
		if (broken)
			listen_disconnect(pc);
		log_sharing(pc);
	}
	return NULL;
}

int pg_cache_start(struct pg_store *ps)
{
	struct pg_cache *pc = calloc(1, sizeof(*pc));
	if (!pc || !(pc->url = strdup(ps->url))) {
		free(pc);
		return STORE_ERROR;
	}
	pc->owner = ps;
	pthread_mutex_init(&pc->mu, NULL);
	pthread_mutex_init(&pc->listen_mu, NULL);
	pthread_condattr_t monotonic;
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&pc->answer, &monotonic);
	pthread_condattr_destroy(&monotonic);
	ps->cache = pc;
	/* Connect once here, so the cache is live from the first request. */
	if (listen_connect(pc))
		log_event(LOG_WARN, "store.pg.cache", "cannot listen for changes yet: caching users is off for now");
	if (pthread_create(&pc->thread, NULL, listen_loop, pc) != 0) {
		pg_cache_stop(ps);
		return STORE_ERROR;
	}
	pc->started = 1;
	return 0;
}

void pg_cache_stop(struct pg_store *ps)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return;
	pc->stop = 1;
	if (pc->started)
		pthread_join(pc->thread, NULL);
	PQfinish(pc->listener);
	pthread_mutex_destroy(&pc->mu);
	pthread_mutex_destroy(&pc->listen_mu);
	pthread_cond_destroy(&pc->answer);
	free(pc->url);
	free(pc);
	ps->cache = NULL;
}

/* Before answering from the cache: apply what has already arrived, so a
 * change committed elsewhere just before this request is not missed. */
static void catch_up(struct pg_cache *pc)
{
	pthread_mutex_lock(&pc->listen_mu); /* held only while notifications are applied */
	if (pc->listener)
		drain_locked(pc);
	pthread_mutex_unlock(&pc->listen_mu);
}

/* Waits until a command sent after this call began has been answered on
 * the listener's connection (so every notification committed before it
 * has been applied): 1, or 0 when that cannot be had within SYNC_WAIT_MS
 * (the connection is down or slow; the caller then asks the database). A
 * command already on its way started earlier and does not count; one sent
 * for another waiter after this call began does. */
static int sync_with_others(struct pg_cache *pc)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += SYNC_WAIT_MS / 1000;
	pthread_mutex_lock(&pc->listen_mu);
	uint64_t target = pc->sent + 1;
	int ok = 1;
	/* The listener thread reads the answer (it polls the connection), or
	 * a lookup's catch_up does; either applies it and wakes the waiters. */
	while (ok && pc->answered < target) {
		if (!pc->in_flight && send_locked(pc, "") != 0)
			ok = 0;
		else if (pthread_cond_timedwait(&pc->answer, &pc->listen_mu, &deadline) != 0)
			ok = pc->answered >= target;
	}
	pthread_mutex_unlock(&pc->listen_mu);
	return ok;
}

int pg_cache_fresh(struct pg_store *ps)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return 0;
	pthread_mutex_lock(&pc->mu);
	int live = pc->live, shared = shared_locked(pc, mono_ms());
	pthread_mutex_unlock(&pc->mu);
	return live && (!shared || sync_with_others(pc));
}

uint64_t pg_cache_epoch(struct pg_store *ps)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return 0;
	pthread_mutex_lock(&pc->mu);
	uint64_t e = pc->live ? pc->epoch : 0;
	pthread_mutex_unlock(&pc->mu);
	return e;
}

int pg_cache_user(struct pg_store *ps, int64_t id, struct user *out)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return 0;
	catch_up(pc);
	pthread_mutex_lock(&pc->mu);
	struct user_slot *us = &pc->users[user_slot_of(id)];
	int hit = pc->live && us->valid && us->u.id == id && fresh(us->at, mono_now());
	if (hit)
		*out = us->u;
	pthread_mutex_unlock(&pc->mu);
	return hit;
}

void pg_cache_put_user(struct pg_store *ps, uint64_t epoch, const struct user *u)
{
	struct pg_cache *pc = ps->cache;
	if (!pc || !epoch)
		return;
	pthread_mutex_lock(&pc->mu);
	if (pc->live && pc->epoch == epoch) {
		struct user_slot *us = &pc->users[user_slot_of(u->id)];
		us->u = *u;
		us->at = mono_now();
		us->valid = 1;
	}
	pthread_mutex_unlock(&pc->mu);
}

int pg_cache_session(struct pg_store *ps, const uint8_t hash[32], int64_t now, struct user *out)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return 0;
	catch_up(pc);
	pthread_mutex_lock(&pc->mu);
	struct session_slot *ss = &pc->sessions[session_slot_of(hash)];
	int64_t mono = mono_now();
	int hit =
	    pc->live && ss->valid && ss->expires_at > now && fresh(ss->at, mono) && memcmp(ss->hash, hash, 32) == 0;
	if (hit) {
		struct user_slot *us = &pc->users[user_slot_of(ss->user_id)];
		hit = us->valid && us->u.id == ss->user_id && fresh(us->at, mono);
		if (hit)
			*out = us->u;
	}
	pthread_mutex_unlock(&pc->mu);
	return hit;
}

void pg_cache_put_session(struct pg_store *ps, uint64_t epoch, const uint8_t hash[32], int64_t expires_at,
			  const struct user *u)
{
	struct pg_cache *pc = ps->cache;
	if (!pc || !epoch)
		return;
	pthread_mutex_lock(&pc->mu);
	if (pc->live && pc->epoch == epoch) {
		struct session_slot *ss = &pc->sessions[session_slot_of(hash)];
		int64_t mono = mono_now();
		memcpy(ss->hash, hash, 32);
		ss->user_id = u->id;
		ss->expires_at = expires_at;
		ss->at = mono;
		ss->valid = 1;
		struct user_slot *us = &pc->users[user_slot_of(u->id)];
		us->u = *u;
		us->at = mono;
		us->valid = 1;
	}
	pthread_mutex_unlock(&pc->mu);
}

void pg_cache_forget_user(struct pg_store *ps, int64_t user_id)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return;
	pthread_mutex_lock(&pc->mu);
	forget_user_locked(pc, user_id, 0);
	pthread_mutex_unlock(&pc->mu);
}

void pg_cache_commit_user(struct pg_store *ps, uint64_t epoch, const struct user *u)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return;
	pthread_mutex_lock(&pc->mu);
	/* Another commit of this process, or another process's notification,
	 * since the row was read: u may be older than what is known, and only
	 * forgetting is safe. Either way the epoch moves, so a commit of the
	 * same user by another thread that read its row before this one
	 * committed cannot put an older row back afterwards. */
	if (pc->live && epoch && pc->epoch == epoch) {
		struct user_slot *us = &pc->users[user_slot_of(u->id)];
		us->u = *u;
		us->at = mono_now();
		us->valid = 1;
		pc->epoch++;
	} else {
		forget_user_locked(pc, u->id, 0);
	}
	pthread_mutex_unlock(&pc->mu);
}

void pg_cache_forget_session(struct pg_store *ps, const uint8_t hash[32])
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return;
	pthread_mutex_lock(&pc->mu);
	struct session_slot *ss = &pc->sessions[session_slot_of(hash)];
	if (ss->valid && memcmp(ss->hash, hash, 32) == 0)
		ss->valid = 0;
	pc->epoch++;
	pthread_mutex_unlock(&pc->mu);
}

void pg_cache_forget_all(struct pg_store *ps)
{
	struct pg_cache *pc = ps->cache;
	if (!pc)
		return;
	pthread_mutex_lock(&pc->mu);
	forget_all_locked(pc);
	pthread_mutex_unlock(&pc->mu);
}

/* store_faults — makes an operation of an open store fail on demand, so that
 * unit suites can check what callers do when the database is busy or broken
 * (STORE_BUSY must become 503 with Retry-After, never "open" or "logged out").
 *
 * Use:
 *	store_fault(s, FAULT_SETTING_GET, STORE_BUSY);  // every call fails so
 *	…
 *	store_fault(s, FAULT_SETTING_GET, 0);           // calls go through again
 *
 * It swaps the store's operation tables for copies whose entries fail while
 * a fault is set and otherwise call the backend's own: one store at a time,
 * from one thread. store_faults_clear() puts the backend's tables back (do
 * it before store_close). */
#ifndef JT_TESTS_STORE_FAULTS_H
#define JT_TESTS_STORE_FAULTS_H

#include "store/store.h"

enum store_fault_op {
	FAULT_SETTING_GET,
	FAULT_USER_BY_EMAIL,
	FAULT_USER_SET_PASSWORD,
	FAULT_SESSION_DELETE,
	FAULT_TX_BEGIN,
	FAULT_SETTING_SET,
	FAULT_SESSION_CREATE,
	FAULT_SESSION_REVOKE,
	FAULT_SESSIONS_END_OTHERS,
	FAULT_TOKEN_CREATE,
	FAULT_TOKEN_REVOKE,
	FAULT_RESUME_LIST,
	FAULT_N
};

/* Makes op fail with rc (a negative enum store_err), or pass with rc 0. */
void store_fault(struct store *s, enum store_fault_op op, int rc);
/* Ends every fault and gives s its own operation tables back. */
void store_faults_clear(struct store *s);

#endif

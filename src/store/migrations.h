/* migrations — the versioned schema of each backend (store-internal). */
#ifndef JT_STORE_MIGRATIONS_H
#define JT_STORE_MIGRATIONS_H

/* SQL that takes the schema from version-1 to version, or NULL past the end. */
const char *migrations_sqlite(int version);
int migrations_sqlite_latest(void);

#endif

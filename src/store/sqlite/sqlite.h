/* placeholder */
const char *sqlite_migration(int version);
int sqlite_migrations_latest(void);

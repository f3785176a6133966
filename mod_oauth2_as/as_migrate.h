/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_migrate: applies the embedded sql/ migrations under a PostgreSQL advisory lock. */
#ifndef AS_MIGRATE_H
#define AS_MIGRATE_H

#include <httpd.h>

/** One migration file, embedded at build time by tools/sql2c. */
typedef struct oauth2_as_migration {
    int version;
    const char *name;
    const char *sql;
} oauth2_as_migration;

/* Terminated by an entry with name NULL. */
extern const oauth2_as_migration oauth2_as_migrations[];

/**
 * Finds the DBDriver and DBDParams that apply to a server in the parsed
 * configuration tree (mod_dbd does not export them).
 * @return non-zero when a DBDriver is configured
 */
int oauth2_as_dbd_config(apr_pool_t *p, server_rec *s, const char **driver,
                         const char **params);

/**
 * Brings the schema up to date with its own connection (mod_dbd cannot
 * prepare statements against tables that do not exist yet). Several nodes
 * may run this at once: a PostgreSQL advisory lock serialises them and
 * each migration runs in one transaction. Logs what it does.
 * @param p a pool for the connection, destroyed by the caller
 * @return APR_SUCCESS, or an error when the database is unreachable or a
 *         migration failed
 */
apr_status_t oauth2_as_migrate(apr_pool_t *p, server_rec *s);

/**
 * Marks the schema as up to date in this process (post_config success).
 */
void oauth2_as_schema_set_ready(void);

/**
 * For request time: makes sure the schema was brought up to date once in
 * this process, retrying the migration when the database was unreachable
 * at startup. Thread-safe.
 * @return APR_SUCCESS when the schema is ready
 */
apr_status_t oauth2_as_schema_ensure(request_rec *r);

/**
 * child_init: creates the mutex behind oauth2_as_schema_ensure().
 */
void oauth2_as_schema_child_init(apr_pool_t *p);

#endif

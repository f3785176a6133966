/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_file: reading a whole small file (keys, JWKS, secrets, templates) with a size limit. */
#ifndef OA2_FILE_H
#define OA2_FILE_H

#include <apr_pools.h>

/**
 * Reads a whole file of at most `max` bytes into a NUL-terminated buffer.
 * @param p pool that owns the buffer (wipe secrets yourself)
 * @param why on failure, a reason that names the file (from p)
 * @return APR_SUCCESS, the error from opening or reading, or APR_EINVAL
 *         when the file is larger than max
 */
apr_status_t oa2_file_read(apr_pool_t *p, const char *path, apr_size_t max,
                           char **buf, apr_size_t *len, const char **why);

#endif

/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_file: reading a whole small file (keys, JWKS, secrets, templates) with a size limit. */
#include <apr_file_io.h>
#include <apr_strings.h>

#include "oa2_file.h"

apr_status_t oa2_file_read(apr_pool_t *p, const char *path, apr_size_t max,
                           char **buf, apr_size_t *len, const char **why)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t n;
    apr_status_t rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, p);

    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot open %s: %pm", path, &rv);
        return rv;
    }
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    if (rv != APR_SUCCESS) {
        apr_file_close(f);
        *why = apr_psprintf(p, "cannot read %s: %pm", path, &rv);
        return rv;
    }
    if (fi.size < 0 || (apr_uint64_t)fi.size > max) {
        apr_file_close(f);
        *why = apr_psprintf(p, "%s is larger than %" APR_SIZE_T_FMT
                            " bytes", path, max);
        return APR_EINVAL;
    }
    n = (apr_size_t)fi.size;
    *buf = apr_palloc(p, n + 1);
    rv = n ? apr_file_read_full(f, *buf, n, &n) : APR_SUCCESS;
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot read %s: %pm", path, &rv);
        return rv;
    }
    (*buf)[n] = '\0';
    *len = n;
    return APR_SUCCESS;
}

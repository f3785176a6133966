/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_basic: the credentials of an HTTP Basic Authorization header
 * (oa2_form_basic_credentials: base64, then form-urldecoding of client_id
 * and secret, RFC 6749 §2.3.1), and the base64 / base64url codecs under it.
 * Input: the part after "Basic " (up to the first NUL). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "oa2_b64url.h"
#include "oa2_form.h"
#include "oa2_json.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *cred = fz_memdup(data, strnlen((const char *)data, size));
    char *raw_in = fz_exact(data, size);
    const char *user = NULL, *pw = NULL;
    unsigned char *raw;
    apr_size_t raw_len;

    if (oa2_form_basic_credentials(p, cred, &user, &pw) == APR_SUCCESS) {
        FZ_ASSERT(user != NULL && pw != NULL && *user != '\0');
        FZ_ASSERT(oa2_utf8_valid(user, strlen(user)));
        FZ_ASSERT(oa2_utf8_valid(pw, strlen(pw)));
    }

    /* each value has exactly one encoding: decode then encode is the
     * identity, for base64url directly, for base64 up to the alphabet
     * and padding */
    if (oa2_b64url_decode(p, raw_in, size, &raw, &raw_len) == APR_SUCCESS) {
        const char *enc = oa2_b64url_encode(p, raw, raw_len);
        FZ_ASSERT(strlen(enc) == size && memcmp(enc, raw_in, size) == 0);
    }
    if (oa2_b64_decode(p, raw_in, size, &raw, &raw_len) == APR_SUCCESS) {
        const char *enc = oa2_b64url_encode(p, raw, raw_len);
        unsigned char *back;
        apr_size_t back_len;
        FZ_ASSERT(size % 4 == 0);
        FZ_ASSERT(oa2_b64url_decode(p, enc, strlen(enc), &back, &back_len)
                  == APR_SUCCESS);
        FZ_ASSERT(back_len == raw_len && memcmp(back, raw, raw_len) == 0);
    }
    /* and encoding any bytes decodes back to them */
    {
        const char *enc = oa2_b64url_encode(p, data, size);
        FZ_ASSERT(oa2_b64url_decode(p, enc, strlen(enc), &raw, &raw_len)
                  == APR_SUCCESS);
        FZ_ASSERT(raw_len == size && (size == 0
                                      || memcmp(raw, data, size) == 0));
    }
    free(cred);
    free(raw_in);
    fz_pool_done(p);
    return 0;
}

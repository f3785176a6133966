/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_saml: SAML bearer assertions: signature, wrapping, conditions, DTDs */
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_saml.h"

/* The fixtures in tests/unit/saml/ (make-fixtures.sh) use fixed times. */
#define T0 APR_INT64_C(1893456000)   /* 2030-01-01T00:00:00Z: IssueInstant */
#define NOW (T0 + 60)
#define IDP "https://idp.example.org"
#define IDP_EC "https://idp-ec.example.org"
#define AS "https://as.example.org"
#define TOKEN_URL "https://as.example.org/token"
#define ID "_a75adf55-01d7-40cc-929f-dbd8372ebdfc"
#define SAML_NS "urn:oasis:names:tc:SAML:2.0:assertion"
#define EMAIL_FORMAT "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

static const char *path_of(apr_pool_t *p, const char *name)
{
    return apr_pstrcat(p, OA2_SAML_FIXTURES "/", name, NULL);
}

/* A fixture file, NUL-terminated. */
static char *fixture(apr_pool_t *p, const char *name)
{
    apr_file_t *f;
    apr_finfo_t fi;
    char *buf;

    assert_int_equal(apr_file_open(&f, path_of(p, name), APR_FOPEN_READ,
                                   APR_OS_DEFAULT, p), APR_SUCCESS);
    assert_int_equal(apr_file_info_get(&fi, APR_FINFO_SIZE, f),
                     APR_SUCCESS);
    buf = apr_palloc(p, (apr_size_t)fi.size + 1);
    assert_int_equal(apr_file_read_full(f, buf, (apr_size_t)fi.size, NULL),
                     APR_SUCCESS);
    buf[fi.size] = '\0';
    apr_file_close(f);
    return buf;
}

/* The signed saml:Assertion of a fixture, without the prolog. */
static const char *assertion_of(apr_pool_t *p, const char *name)
{
    const char *s = strstr(fixture(p, name), "<saml:Assertion");

    assert_non_null(s);
    return s;
}

/* The fixture's ds:Signature element, as text. */
static const char *signature_of(apr_pool_t *p, const char *xml)
{
    const char *b = strstr(xml, "<ds:Signature "), *e;

    assert_non_null(b);
    e = strstr(b, "</ds:Signature>");
    assert_non_null(e);
    return apr_pstrmemdup(p, b, (apr_size_t)(e - b) + 15);
}

/* s with its only occurrence of `from` replaced by `to`. */
static char *replace(apr_pool_t *p, const char *s, const char *from,
                     const char *to)
{
    const char *at = strstr(s, from);

    assert_non_null(at);
    assert_null(strstr(at + 1, from));
    return apr_pstrcat(p, apr_pstrmemdup(p, s, (apr_size_t)(at - s)), to,
                       at + strlen(from), NULL);
}

static oa2_saml_idp_t *idp(apr_pool_t *p, const char *cert, const char *eid)
{
    oa2_saml_idp_t *out = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_saml_idp_load(p, path_of(p, cert), eid, &out, &why),
                     APR_SUCCESS);
    assert_null(why);
    assert_non_null(out);
    return out;
}

static apr_array_header_t *strs(apr_pool_t *p, const char *a, const char *b)
{
    apr_array_header_t *arr = apr_array_make(p, 2, sizeof(const char *));

    APR_ARRAY_PUSH(arr, const char *) = a;
    if (b != NULL) {
        APR_ARRAY_PUSH(arr, const char *) = b;
    }
    return arr;
}

/* Trusts the RSA and the EC test IdP; the AS is https://as.example.org. */
static oa2_saml_rules_t *rules(apr_pool_t *p)
{
    oa2_saml_rules_t *r = apr_pcalloc(p, sizeof(*r));
    apr_array_header_t *idps = apr_array_make(p, 2,
                                              sizeof(oa2_saml_idp_t *));

    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = idp(p, "test-only-idp.crt",
                                                  IDP);
    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = idp(p, "test-only-idp-ec.crt",
                                                  IDP_EC);
    r->idps = idps;
    r->audiences = strs(p, AS, TOKEN_URL);
    r->recipient = TOKEN_URL;
    r->now = NOW;
    return r;
}

static oa2_saml_assertion_t *verify_ok(apr_pool_t *p,
                                       const oa2_saml_rules_t *r,
                                       const char *xml)
{
    oa2_err_t err = { NULL, NULL, 0 };
    oa2_saml_assertion_t *a = NULL;
    apr_status_t rv = oa2_saml_verify(p, xml, strlen(xml), r, &a, &err);

    if (rv != APR_SUCCESS) {
        fail_msg("refused: %s", err.description);
    }
    assert_null(err.error);
    assert_non_null(a);
    return a;
}

/* Fails with invalid_grant, 400 and exactly `why`. */
static void verify_bad_len(apr_pool_t *p, const oa2_saml_rules_t *r,
                           const char *xml, apr_size_t len, const char *why)
{
    oa2_err_t err = { NULL, NULL, 0 };
    oa2_saml_assertion_t *a = (oa2_saml_assertion_t *)&err;

    assert_int_equal(oa2_saml_verify(p, xml, len, r, &a, &err), APR_EINVAL);
    assert_null(a);
    assert_non_null(err.error);
    assert_string_equal(err.error, "invalid_grant");
    assert_int_equal(err.status, 400);
    assert_non_null(err.description);
    assert_string_equal(err.description, why);
}

static void verify_bad(apr_pool_t *p, const oa2_saml_rules_t *r,
                       const char *xml, const char *why)
{
    verify_bad_len(p, r, xml, strlen(xml), why);
}

/* An unsigned assertion for the attacker's subject, with `inner` in its
 * Advice and `sig` as its ds:Signature. */
static const char *evil(apr_pool_t *p, const char *id, const char *sig,
                        const char *inner)
{
    return apr_pstrcat(p,
        "<saml:Assertion xmlns:saml=\"" SAML_NS "\" ID=\"", id, "\""
        " Version=\"2.0\" IssueInstant=\"2030-01-01T00:00:00Z\">"
        "<saml:Issuer>" IDP "</saml:Issuer>", sig,
        "<saml:Subject><saml:NameID>mallory@example.com</saml:NameID>"
        "<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:"
        "bearer\"><saml:SubjectConfirmationData"
        " NotOnOrAfter=\"2030-01-01T00:05:00Z\" Recipient=\"" TOKEN_URL "\"/>"
        "</saml:SubjectConfirmation></saml:Subject>"
        "<saml:Conditions><saml:AudienceRestriction><saml:Audience>" AS
        "</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        "<saml:Advice>", inner, "</saml:Advice></saml:Assertion>", NULL);
}

/* ---- accepted ------------------------------------------------------------ */

static void test_valid(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_assertion_t *a = verify_ok(p, rules(p),
                                        fixture(p, "valid.xml"));

    assert_string_equal(a->id, ID);
    assert_string_equal(a->issuer, IDP);
    assert_string_equal(a->subject, "alice@example.com");
    assert_string_equal(a->name_id_format, EMAIL_FORMAT);
    /* the earlier of SubjectConfirmationData (00:05) and Conditions
     * (00:10) */
    assert_true(a->not_on_or_after == T0 + 300);
}

static void test_valid_ecdsa(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_assertion_t *a = verify_ok(p, rules(p),
                                        fixture(p, "valid-ec.xml"));

    assert_string_equal(a->issuer, IDP_EC);
    assert_string_equal(a->subject, "alice@example.com");
}

static void test_audience_any_of_ours(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);

    r->audiences = strs(p, "https://elsewhere.example.org", AS);
    verify_ok(p, r, fixture(p, "valid.xml"));
}

/* A comment inside NameID is not signed (exclusive c14n drops it): the
 * subject is the whole text, not the part before the comment. */
static void test_comment_in_name_id(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = replace(p, fixture(p, "valid.xml"),
                              ">alice@example.com<",
                              ">alice@exa<!-- x -->mple.com<");

    assert_string_equal(verify_ok(p, rules(p), xml)->subject,
                        "alice@example.com");
}

/* Whitespace after the root pads it to exactly the limit. */
static void test_size_limit_exact(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");
    apr_size_t len = strlen(xml);
    char *big = apr_palloc(p, OA2_SAML_MAX_LEN + 1);

    assert_true(len < OA2_SAML_MAX_LEN);
    memcpy(big, xml, len);
    memset(big + len, ' ', OA2_SAML_MAX_LEN - len);
    big[OA2_SAML_MAX_LEN] = '\0';
    verify_ok(p, rules(p), big);
}

/* ---- time ---------------------------------------------------------------- */

static void test_times(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);
    const char *xml = fixture(p, "valid.xml");

    r->now = T0 + 299;
    verify_ok(p, r, xml);
    r->now = T0 + 300;
    verify_bad(p, r, xml, "subject confirmation expired");
    r->now = T0 + 330;
    r->leeway = 31;
    verify_ok(p, r, xml);
    r->leeway = 30;
    verify_bad(p, r, xml, "subject confirmation expired");
    /* Conditions NotOnOrAfter (00:10:00.000, fractions allowed) */
    r->leeway = 0;
    r->now = T0 + 600;
    verify_bad(p, r, xml, "assertion expired");
    /* Conditions NotBefore is 23:59:00 */
    r->now = T0 - 61;
    verify_bad(p, r, xml, "assertion not yet valid");
    r->leeway = 1;
    verify_bad(p, r, xml, "assertion issued in the future");
    r->leeway = 61;
    verify_ok(p, r, xml);
}

static void test_max_lifetime(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);
    const char *xml = fixture(p, "valid.xml");

    r->max_lifetime = 240;
    verify_ok(p, r, xml);
    r->max_lifetime = 239;
    verify_bad(p, r, xml, "assertion lifetime too long");
}

static void test_scd_not_before(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);
    const char *xml = fixture(p, "scd-notbefore.xml");

    /* SubjectConfirmationData NotBefore is 00:02 */
    verify_bad(p, r, xml, "subject confirmation not yet valid");
    r->now = T0 + 120;
    verify_ok(p, r, xml);
}

static void test_scd_no_expiry(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "scd-no-expiry.xml"),
               "subject confirmation has no NotOnOrAfter");
}

static void test_time_with_offset(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "time-offset.xml"), "malformed time");
}

/* ---- audience, recipient, confirmation, conditions ----------------------- */

static void test_wrong_audience(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);

    r->audiences = strs(p, TOKEN_URL, "https://as.example.org/");
    verify_bad(p, r, fixture(p, "valid.xml"), "wrong audience");
}

static void test_wrong_recipient(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);

    r->recipient = "https://as.example.org/token/";
    verify_bad(p, r, fixture(p, "valid.xml"), "wrong recipient");
}

static void test_no_bearer_confirmation(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "no-bearer.xml"),
               "no bearer subject confirmation");
}

static void test_unknown_condition(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "unknown-condition.xml"),
               "unsupported condition");
}

/* ---- issuer and key ------------------------------------------------------ */

/* Signed by the untrusted key, but claiming to be the trusted IdP. */
static void test_wrong_key(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "wrong-key.xml"), "invalid signature");
}

static void test_untrusted_issuer(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);

    verify_bad(p, r, fixture(p, "untrusted-issuer.xml"), "untrusted issuer");
    r->idps = NULL;
    verify_bad(p, r, fixture(p, "valid.xml"), "untrusted issuer");
}

/* The EC IdP's key cannot check the RSA IdP's signature. */
static void test_other_trusted_key(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_rules_t *r = rules(p);
    apr_array_header_t *idps = apr_array_make(p, 1,
                                              sizeof(oa2_saml_idp_t *));

    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = idp(p, "test-only-idp-ec.crt",
                                                  IDP);
    r->idps = idps;
    verify_bad(p, r, fixture(p, "valid.xml"), "invalid signature");
}

static void test_issuer_format(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = replace(p, fixture(p, "valid.xml"), "<saml:Issuer>",
        "<saml:Issuer Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:"
        "unspecified\">");

    verify_bad(p, rules(p), xml, "unsupported Issuer Format");
}

static void test_tampered(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");

    verify_bad(p, rules(p), replace(p, xml, ">alice@example.com<",
                                    ">mallory@example.com<"),
               "invalid signature");
    verify_bad(p, rules(p), replace(p, xml, "NotOnOrAfter=\"2030-01-01T00:05",
                                    "NotOnOrAfter=\"2030-01-01T10:05"),
               "invalid signature");
}

/* ---- signature wrapping -------------------------------------------------- */

/* (a) the signed assertion moved into the Advice of an unsigned one */
static void test_wrap_in_advice(void **state)
{
    apr_pool_t *p = *state;
    const char *signed_a = assertion_of(p, "valid.xml");

    verify_bad(p, rules(p), evil(p, "_evil", "", signed_a),
               "assertion is not signed");
    /* ... with the signature copied to the new root: it still names the
     * inner assertion */
    verify_bad(p, rules(p),
               evil(p, "_evil", signature_of(p, signed_a), signed_a),
               "signature reference does not match the assertion");
}

/* (a) the signed assertion inside some other document element */
static void test_wrap_in_wrapper(void **state)
{
    apr_pool_t *p = *state;
    const char *signed_a = assertion_of(p, "valid.xml");

    verify_bad(p, rules(p),
               apr_pstrcat(p, "<x:Wrapper xmlns:x=\"urn:example:evil\">",
                           signed_a, "</x:Wrapper>", NULL),
               "not a SAML 2.0 Assertion");
    verify_bad(p, rules(p),
               apr_pstrcat(p, "<samlp:Response xmlns:samlp=\"urn:oasis:names:"
                           "tc:SAML:2.0:protocol\" ID=\"_r\" Version=\"2.0\">",
                           signed_a, "</samlp:Response>", NULL),
               "not a SAML 2.0 Assertion");
}

/* (b) two elements with the signed ID: the evil root takes the ID and the
 * signature, the original keeps its content in the Advice */
static void test_wrap_duplicate_id(void **state)
{
    apr_pool_t *p = *state;
    const char *signed_a = assertion_of(p, "valid.xml");
    const char *sig = signature_of(p, signed_a);

    verify_bad(p, rules(p),
               evil(p, ID, sig, replace(p, signed_a, sig, "")),
               "duplicate ID in assertion");
    verify_bad(p, rules(p), evil(p, ID, sig, signed_a),
               "duplicate ID in assertion");
    /* the same ID on any element, under any ID attribute */
    verify_bad(p, rules(p),
               replace(p, signed_a, "</saml:Issuer>",
                       "</saml:Issuer><x:E xmlns:x=\"urn:example:evil\""
                       " xml:id=\"" ID "\"/>"),
               "duplicate ID in assertion");
    verify_bad(p, rules(p),
               replace(p, signed_a, "<saml:Subject>",
                       "<saml:Subject Id=\"" ID "\">"),
               "duplicate ID in assertion");
}

/* (c) a valid signature by the trusted IdP over another element */
static void test_reference_elsewhere(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");

    verify_bad(p, rules(p), fixture(p, "ref-inner.xml"),
               "signature reference does not match the assertion");
    verify_bad(p, rules(p), replace(p, xml, "URI=\"#" ID "\"", "URI=\"\""),
               "signature reference does not match the assertion");
    verify_bad(p, rules(p),
               replace(p, xml, "URI=\"#" ID "\"",
                       "URI=\"#xpointer(id('" ID "'))\""),
               "signature reference does not match the assertion");
}

/* (d) no signature, or not where it belongs */
static void test_signature_placement(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");
    const char *sig = signature_of(p, xml);
    const char *unsigned_a = replace(p, xml, sig, "");

    verify_bad(p, rules(p), unsigned_a, "assertion is not signed");
    verify_bad(p, rules(p),
               replace(p, unsigned_a, "</saml:Subject>",
                       apr_pstrcat(p, sig, "</saml:Subject>", NULL)),
               "assertion is not signed");
    verify_bad(p, rules(p),
               replace(p, xml, "</saml:Issuer>",
                       apr_pstrcat(p, "</saml:Issuer>", sig, NULL)),
               "more than one signature");
}

/* ---- algorithms ---------------------------------------------------------- */

static void test_sha1_refused(void **state)
{
    apr_pool_t *p = *state;

    verify_bad(p, rules(p), fixture(p, "sha1-signature.xml"),
               "signature algorithm not allowed");
    verify_bad(p, rules(p), fixture(p, "sha1-digest.xml"),
               "digest algorithm not allowed");
}

static void test_transforms_refused(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");
    const char *exc = "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/"
                      "xml-exc-c14n#\"/>";

    verify_bad(p, rules(p),
               replace(p, xml, exc,
                       "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/"
                       "REC-xslt-19991116\"/>"),
               "signature transform not allowed");
    verify_bad(p, rules(p),
               replace(p, xml, "<ds:CanonicalizationMethod Algorithm=\"http:"
                       "//www.w3.org/2001/10/xml-exc-c14n#\"/>",
                       "<ds:CanonicalizationMethod Algorithm=\"http://www.w3."
                       "org/2001/10/xml-exc-c14n#WithComments\"/>"),
               "canonicalization method not allowed");
}

/* ---- hostile or broken XML ----------------------------------------------- */

static void test_dtd_refused(void **state)
{
    apr_pool_t *p = *state;
    const char *signed_a = assertion_of(p, "valid.xml");

    verify_bad(p, rules(p),
               apr_pstrcat(p, "<!DOCTYPE saml:Assertion>", signed_a, NULL),
               "assertion must not contain a DTD");
    verify_bad(p, rules(p),
               apr_pstrcat(p, "<!DOCTYPE saml:Assertion SYSTEM "
                           "\"http://127.0.0.1:1/evil.dtd\">", signed_a, NULL),
               "assertion must not contain a DTD");
    verify_bad(p, rules(p),
               "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n"
               "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
               "<x>&xxe;</x>",
               "assertion must not contain a DTD");
}

/* Nine levels of ten: 10^9 "lol"s if anything expanded them. */
static void test_billion_laughs(void **state)
{
    apr_pool_t *p = *state;
    const char *dtd = " <!ENTITY lol0 \"lol\">\n";
    int i, j;

    for (i = 1; i <= 9; i++) {
        dtd = apr_psprintf(p, "%s <!ENTITY lol%d \"", dtd, i);
        for (j = 0; j < 10; j++) {
            dtd = apr_psprintf(p, "%s&lol%d;", dtd, i - 1);
        }
        dtd = apr_pstrcat(p, dtd, "\">\n", NULL);
    }
    verify_bad(p, rules(p),
               apr_pstrcat(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n",
                           dtd, "]>\n<saml:Assertion xmlns:saml=\"" SAML_NS
                           "\" ID=\"_x\" Version=\"2.0\"><saml:Issuer>&lol9;"
                           "</saml:Issuer></saml:Assertion>", NULL),
               "assertion must not contain a DTD");
}

static void test_oversized(void **state)
{
    apr_pool_t *p = *state;
    char *big = apr_palloc(p, OA2_SAML_MAX_LEN + 1);

    memset(big, ' ', OA2_SAML_MAX_LEN + 1);
    verify_bad_len(p, rules(p), big, OA2_SAML_MAX_LEN + 1,
                   "assertion too large");
}

static void test_not_xml(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");
    const char *why = "assertion is not well-formed XML";

    verify_bad(p, rules(p), "hello", why);
    verify_bad(p, rules(p), "", why);
    verify_bad_len(p, rules(p), xml, strlen(xml) / 2, why);
    verify_bad(p, rules(p), apr_pstrcat(p, xml, "<saml:Assertion/>", NULL),
               why);
}

static void test_wrong_root(void **state)
{
    apr_pool_t *p = *state;
    const char *xml = fixture(p, "valid.xml");

    verify_bad(p, rules(p),
               replace(p, xml, "xmlns:saml=\"" SAML_NS "\"",
                       "xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\""),
               "not a SAML 2.0 Assertion");
    verify_bad(p, rules(p), "<Assertion/>", "not a SAML 2.0 Assertion");
    verify_bad(p, rules(p), replace(p, xml, "Version=\"2.0\"",
                                    "Version=\"1.1\""),
               "unsupported assertion version");
    verify_bad(p, rules(p), replace(p, xml, "ID=\"" ID "\"", ""),
               "assertion has no valid ID");
    verify_bad(p, rules(p), replace(p, xml, "ID=\"" ID "\"",
                                    "ID=\"a')or('1\""),
               "assertion has no valid ID");
}

/* ---- loading IdPs -------------------------------------------------------- */

static void test_idp_load(void **state)
{
    apr_pool_t *p = *state;
    oa2_saml_idp_t *i = NULL;
    const char *why = NULL;

    assert_string_equal(oa2_saml_idp_entity_id(idp(p, "test-only-idp.crt",
                                                   IDP)), IDP);
    assert_int_equal(oa2_saml_idp_load(p, path_of(p, "no-such.crt"), IDP, &i,
                                       &why), APR_ENOENT);
    assert_null(i);
    assert_non_null(strstr(why, "cannot open"));
    assert_int_equal(oa2_saml_idp_load(p, path_of(p, "test-only-idp.key"),
                                       IDP, &i, &why), APR_EINVAL);
    assert_null(i);
    assert_string_equal(why, "not a PEM certificate");
    assert_int_equal(oa2_saml_idp_load(p,
                                       path_of(p, "test-only-weak-rsa1024.crt"),
                                       IDP, &i, &why), APR_EINVAL);
    assert_null(i);
    assert_string_equal(why, "RSA key shorter than 2048 bits");
    assert_int_equal(oa2_saml_idp_load(p, path_of(p, "test-only-idp.crt"),
                                       "", &i, &why), APR_EINVAL);
    assert_string_equal(why, "empty entity id");
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        UNIT_TEST(test_valid),
        UNIT_TEST(test_valid_ecdsa),
        UNIT_TEST(test_audience_any_of_ours),
        UNIT_TEST(test_comment_in_name_id),
        UNIT_TEST(test_size_limit_exact),
        UNIT_TEST(test_times),
        UNIT_TEST(test_max_lifetime),
        UNIT_TEST(test_scd_not_before),
        UNIT_TEST(test_scd_no_expiry),
        UNIT_TEST(test_time_with_offset),
        UNIT_TEST(test_wrong_audience),
        UNIT_TEST(test_wrong_recipient),
        UNIT_TEST(test_no_bearer_confirmation),
        UNIT_TEST(test_unknown_condition),
        UNIT_TEST(test_wrong_key),
        UNIT_TEST(test_untrusted_issuer),
        UNIT_TEST(test_other_trusted_key),
        UNIT_TEST(test_issuer_format),
        UNIT_TEST(test_tampered),
        UNIT_TEST(test_wrap_in_advice),
        UNIT_TEST(test_wrap_in_wrapper),
        UNIT_TEST(test_wrap_duplicate_id),
        UNIT_TEST(test_reference_elsewhere),
        UNIT_TEST(test_signature_placement),
        UNIT_TEST(test_sha1_refused),
        UNIT_TEST(test_transforms_refused),
        UNIT_TEST(test_dtd_refused),
        UNIT_TEST(test_billion_laughs),
        UNIT_TEST(test_oversized),
        UNIT_TEST(test_not_xml),
        UNIT_TEST(test_wrong_root),
        UNIT_TEST(test_idp_load),
    };
    int rc;

    if (oa2_saml_global_init() != APR_SUCCESS) {
        return 1;
    }
    rc = UNIT_RUN(tests);
    oa2_saml_global_term();
    return rc;
}

/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_saml: SAML 2.0 bearer assertions (RFC 7522): oa2_saml_verify with
 * the test IdPs of tests/unit/saml/ (the RSA one with two keys), rules.now
 * fixed at 2030-01-01T00:01Z.
 * Input: an assertion. One whose ds:Signature has an empty SignatureValue
 * is a template: the harness signs it first with the test IdP's RSA key
 * (as make-fixtures.sh does), so that mutations also reach what is only
 * read after the signature verified (conditions, times, subject). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include "harness.h"
#include "oa2_saml.h"

#ifndef OA2_FUZZ_SAML_DIR
#error "OA2_FUZZ_SAML_DIR: the directory of the SAML test fixtures"
#endif

/* as in test_oa2_saml.c */
#define T0 APR_INT64_C(1893456000)   /* 2030-01-01T00:00:00Z */
#define IDP "https://idp.example.org"
#define IDP_EC "https://idp-ec.example.org"
#define AS "https://as.example.org"
#define TOKEN_URL "https://as.example.org/token"
#define SAML_NS "urn:oasis:names:tc:SAML:2.0:assertion"
/* what every signed fixture of tests/unit/saml/ says */
#define FIXTURE_ID "_a75adf55-01d7-40cc-929f-dbd8372ebdfc"
#define FIXTURE_SUBJECT "alice@example.com"
#define FIXTURE_NOT_ON_OR_AFTER (T0 + 300)

static oa2_saml_rules_t rules;
static xmlSecKeyPtr sign_key;

static oa2_saml_idp_t *load_idp(apr_pool_t *p, const char *cert,
                                const char *eid)
{
    oa2_saml_idp_t *idp = NULL;
    const char *why = NULL;

    if (oa2_saml_idp_load(p, apr_pstrcat(p, OA2_FUZZ_SAML_DIR "/", cert,
                                         NULL), eid, &idp, &why)
        != APR_SUCCESS) {
        fz_fail(why ? why : cert, __FILE__, __LINE__);
    }
    return idp;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    apr_pool_t *g;
    apr_array_header_t *idps, *auds;

    (void)argc;
    (void)argv;
    fz_init();
    g = fz_global_pool();
    if (oa2_saml_global_init() != APR_SUCCESS) {
        fz_fail("oa2_saml_global_init", __FILE__, __LINE__);
    }
    idps = apr_array_make(g, 3, sizeof(oa2_saml_idp_t *));
    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = load_idp(g, "test-only-idp.crt",
                                                      IDP);
    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = load_idp(
        g, "test-only-idp-ec.crt", IDP_EC);
    /* a second key of the RSA IdP, as during a key rollover: what the
     * "untrusted" key signs for IDP verifies after the first key failed */
    APR_ARRAY_PUSH(idps, oa2_saml_idp_t *) = load_idp(
        g, "test-only-untrusted.crt", IDP);
    auds = apr_array_make(g, 2, sizeof(const char *));
    APR_ARRAY_PUSH(auds, const char *) = AS;
    APR_ARRAY_PUSH(auds, const char *) = TOKEN_URL;
    rules.idps = idps;
    rules.audiences = auds;
    rules.recipient = TOKEN_URL;
    rules.now = T0 + 60;
    rules.leeway = 30;
    rules.max_lifetime = 3600;
    sign_key = xmlSecCryptoAppKeyLoad(OA2_FUZZ_SAML_DIR "/test-only-idp.key",
                                      xmlSecKeyDataFormatPem, NULL, NULL,
                                      NULL);
    if (sign_key == NULL) {
        fz_fail("test-only-idp.key", __FILE__, __LINE__);
    }
    return 0;
}

/* Only what oa2_saml_verify accepts, so that the harness runs no XSLT or
 * XPath of the input's choosing. */
static int restrict_dsig(xmlSecDSigCtxPtr dsig)
{
    xmlSecTransformId sig[] = {
        xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id,
        xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id
    };
    xmlSecTransformId ref[] = {
        xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId,
        xmlSecTransformSha256Id, xmlSecTransformSha384Id,
        xmlSecTransformSha512Id
    };
    size_t i;

    for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
        if (xmlSecDSigCtxEnableSignatureTransform(dsig, sig[i]) < 0) {
            return 0;
        }
    }
    for (i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
        if (xmlSecDSigCtxEnableReferenceTransform(dsig, ref[i]) < 0) {
            return 0;
        }
    }
    dsig->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
    dsig->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
    return 1;
}

static int blank(const xmlChar *s)
{
    for (; s != NULL && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
            return 0;
        }
    }
    return 1;
}

/* The input signed, when it is a template; NULL otherwise. The caller
 * frees the result with xmlFree. */
static xmlChar *sign_template(const uint8_t *data, size_t size, int *len)
{
    xmlDocPtr doc;
    xmlNodePtr root, sig, sv;
    xmlAttrPtr id;
    xmlChar *idv = NULL, *content, *out = NULL;
    xmlSecDSigCtxPtr dsig = NULL;

    if (size > OA2_SAML_MAX_LEN) {
        return NULL;
    }
    doc = xmlReadMemory((const char *)data, (int)size, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR
                        | XML_PARSE_NOWARNING);
    if (doc == NULL || doc->intSubset != NULL || doc->extSubset != NULL
        || (root = xmlDocGetRootElement(doc)) == NULL
        || (sig = xmlSecFindChild(root, xmlSecNodeSignature, xmlSecDSigNs))
           == NULL
        || (sv = xmlSecFindChild(sig, xmlSecNodeSignatureValue,
                                 xmlSecDSigNs)) == NULL) {
        goto done;
    }
    content = xmlNodeGetContent(sv);
    if (!blank(content)) {
        xmlFree(content);
        goto done;
    }
    xmlFree(content);
    /* what make-fixtures.sh says with --id-attr:ID */
    if ((id = xmlHasProp(root, BAD_CAST "ID")) != NULL
        && (idv = xmlNodeListGetString(doc, id->children, 1)) != NULL
        && xmlGetID(doc, idv) == NULL) {
        xmlAddID(NULL, doc, idv, id);
    }
    if ((dsig = xmlSecDSigCtxCreate(NULL)) == NULL || !restrict_dsig(dsig)
        || (dsig->signKey = xmlSecKeyDuplicate(sign_key)) == NULL
        || xmlSecDSigCtxSign(dsig, sig) < 0) {
        goto done;
    }
    xmlDocDumpMemory(doc, &out, len);
done:
    if (dsig != NULL) {
        xmlSecDSigCtxDestroy(dsig);
    }
    xmlFree(idv);
    xmlFreeDoc(doc);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    int signed_len = 0;
    xmlChar *signed_xml = sign_template(data, size, &signed_len);
    int harness_signed = signed_xml != NULL;
    char *xml;
    size_t len;
    oa2_saml_assertion_t *a = NULL;
    oa2_err_t err;
    apr_status_t rv;

    if (signed_xml != NULL) {
        len = (size_t)signed_len;
        xml = fz_exact(signed_xml, len);
        xmlFree(signed_xml);
    }
    else {
        len = size;
        xml = fz_exact(data, size);
    }
    memset(&err, 0, sizeof(err));
    rv = oa2_saml_verify(p, xml, len, &rules, &a, &err);
    fz_debug("%s: %s", harness_signed ? "signed by the harness" : "as is",
             rv == APR_SUCCESS ? a->subject : err.description);
    if (rv == APR_SUCCESS) {
        FZ_ASSERT(a != NULL && a->id != NULL && a->issuer != NULL);
        FZ_ASSERT(a->subject != NULL && *a->subject != '\0');
        FZ_ASSERT(strcmp(a->issuer, IDP) == 0 || strcmp(a->issuer, IDP_EC) == 0);
        FZ_ASSERT(a->not_on_or_after > rules.now - rules.leeway);
        FZ_ASSERT(a->not_on_or_after
                  <= rules.now + rules.max_lifetime + rules.leeway);
        if (!harness_signed) {
            /* not signed here: only the fixtures' signatures exist, so
             * whatever verifies says what a fixture says (a mutation that
             * changes a signed value and still verifies is a wrapping or
             * canonicalisation bug) */
            FZ_ASSERT(strcmp(a->id, FIXTURE_ID) == 0);
            FZ_ASSERT(strcmp(a->subject, FIXTURE_SUBJECT) == 0);
            FZ_ASSERT(a->not_on_or_after == FIXTURE_NOT_ON_OR_AFTER);
        }
    }
    else {
        FZ_ASSERT(a == NULL && err.error != NULL && err.status == 400);
    }
    free(xml);
    fz_pool_done(p);
    return 0;
}

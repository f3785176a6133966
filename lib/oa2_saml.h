/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_saml: SAML 2.0 bearer assertions as authorization grants (RFC 7522). */
#ifndef OA2_SAML_H
#define OA2_SAML_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "oa2_error.h"

/* Assertions larger than this are refused before parsing. */
#define OA2_SAML_MAX_LEN 65536

/** A trusted identity provider: its entity id and its signing key. */
typedef struct oa2_saml_idp_t oa2_saml_idp_t;

/** What an assertion must satisfy. All members but max_lifetime are
 * required: with no IdPs, audiences or recipient everything is refused. */
typedef struct oa2_saml_rules_t {
    const apr_array_header_t *idps;       /* oa2_saml_idp_t *: trusted IdPs */
    const apr_array_header_t *audiences;  /* const char *: the AS issuer and
                                           * token endpoint URL; every
                                           * AudienceRestriction must name
                                           * one of them */
    const char *recipient;                /* the token endpoint URL: the
                                           * bearer SubjectConfirmationData
                                           * Recipient must equal it */
    apr_int64_t now;                      /* seconds since the epoch */
    int leeway;                           /* seconds allowed for clock skew */
    apr_int64_t max_lifetime;             /* not_on_or_after may be at most
                                           * now + this + leeway
                                           * (0: unchecked) */
} oa2_saml_rules_t;

/** What a verified assertion says. */
typedef struct oa2_saml_assertion_t {
    const char *id;               /* Assertion/@ID: the caller enforces
                                   * one-time use until not_on_or_after */
    const char *issuer;           /* the IdP's entity id */
    const char *subject;          /* Subject/NameID text, never empty */
    const char *name_id_format;   /* NameID/@Format, or NULL when absent */
    apr_int64_t not_on_or_after;  /* the earliest of Conditions/@NotOnOrAfter
                                   * and the accepted bearer
                                   * SubjectConfirmationData/@NotOnOrAfter */
} oa2_saml_assertion_t;

/**
 * Initialises libxml2 and xmlsec (OpenSSL backend) and routes their error
 * messages to oa2_log at TRACE. Call once at startup, before any thread
 * exists; later calls do nothing.
 * @return APR_SUCCESS, or APR_EGENERAL when xmlsec cannot be initialised
 *         (the library version does not match the headers, or the crypto
 *         backend fails); nothing is logged
 */
apr_status_t oa2_saml_global_init(void);

/**
 * Undoes oa2_saml_global_init() for xmlsec, for tests and tools that want a
 * clean exit. Call after every pool holding an oa2_saml_idp_t is gone. It
 * leaves libxml2 alone, which other httpd modules may share.
 */
void oa2_saml_global_term(void);

/**
 * Loads the signing certificate of a trusted IdP. Only its public key is
 * kept: validity dates and issuer are not checked, the key is pinned.
 * The key must be RSA of at least 2048 bits or EC P-256. Calls
 * oa2_saml_global_init() first, so call it where that may be called:
 * at startup (a directive handler), before any thread exists.
 * @param p pool that owns the result; its cleanup frees the key
 * @param cert_pem_path a PEM file whose first certificate is used
 * @param entity_id the IdP's entity id, compared exactly with Issuer
 * @param out the IdP
 * @param why on failure, a static reason (does not log)
 * @return APR_SUCCESS, APR_EINVAL for a bad or weak certificate, or the
 *         error from opening the file
 */
apr_status_t oa2_saml_idp_load(apr_pool_t *p, const char *cert_pem_path,
                               const char *entity_id, oa2_saml_idp_t **out,
                               const char **why);

/**
 * @return the entity id an IdP was loaded with
 */
const char *oa2_saml_idp_entity_id(const oa2_saml_idp_t *idp);

/**
 * Verifies a signed SAML 2.0 assertion presented as an authorization grant
 * (RFC 7522 §3 and the SAML 2.0 bearer subject confirmation). The document
 * element must be the signed saml:Assertion: its only ds:Signature is its
 * direct child, references it by ID with exclusive c14n and SHA-256/384/512
 * (RSA or ECDSA-SHA256; never SHA-1), and verifies with the key of the IdP
 * named by its Issuer. DTDs, duplicate IDs and unsupported Conditions are
 * refused. Unsigned or encrypted assertions are not supported.
 * One-time use of the ID is the caller's job.
 * @param p pool that owns the result; the parsed document lives in a
 *          subpool that is gone when this returns
 * @param xml the assertion's XML (already base64url-decoded)
 * @param len its length; more than OA2_SAML_MAX_LEN is refused
 * @param rules what to check; the IdPs must come from oa2_saml_idp_load()
 * @param out the assertion's fields, on success
 * @param err invalid_grant, 400 and a short reason on failure
 * @return APR_SUCCESS, or APR_EINVAL on any failure; logs only xmlsec and
 *         libxml2 diagnostics, at TRACE
 */
apr_status_t oa2_saml_verify(apr_pool_t *p, const char *xml, apr_size_t len,
                             const oa2_saml_rules_t *rules,
                             oa2_saml_assertion_t **out, oa2_err_t *err);

#endif

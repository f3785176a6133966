/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_saml: SAML 2.0 bearer assertions as authorization grants (RFC 7522). */
#include <string.h>
#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/keys.h>
#include <xmlsec/list.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>

#include "oa2_log.h"
#include "oa2_file.h"
#include "oa2_saml.h"

#define SAML_NS "urn:oasis:names:tc:SAML:2.0:assertion"
#define DS_NS "http://www.w3.org/2000/09/xmldsig#"
#define XML_NS "http://www.w3.org/XML/1998/namespace"
#define SAML_CM_BEARER "urn:oasis:names:tc:SAML:2.0:cm:bearer"
#define SAML_NAMEID_ENTITY "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
#define ALG_EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ALG_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* Longest ID and certificate file we accept. */
#define SAML_MAX_ID 256
#define SAML_MAX_CERT 65536

/* The URIs allowed in SignedInfo. SHA-1 is deliberately absent. The same
 * list is also given to xmlsec as its enabled transforms. */
static const char *const saml_sig_algs[] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    NULL
};
static const char *const saml_digest_algs[] = {
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
    NULL
};
static const char *const saml_c14n_algs[] = {
    ALG_EXC_C14N,
    NULL
};
static const char *const saml_transform_algs[] = {
    ALG_ENVELOPED,
    ALG_EXC_C14N,
    NULL
};

struct oa2_saml_idp_t {
    const char *entity_id;
    xmlSecKeyPtr key;        /* public key only; freed by a pool cleanup */
};

/* The state of one oa2_saml_verify() call. */
typedef struct saml_ctx {
    apr_pool_t *p;           /* the caller's pool: results */
    apr_pool_t *tmp;         /* subpool: document, parser, dsig context */
    const oa2_saml_rules_t *rules;
    oa2_err_t *err;
    xmlDocPtr doc;
    xmlNodePtr root;         /* the saml:Assertion */
    const char *id;
    const char *issuer;
    const oa2_saml_idp_t *idp;
    xmlNodePtr sig;          /* its ds:Signature child */
} saml_ctx;

/* Set once by oa2_saml_global_init() at startup, read-only afterwards. */
static int saml_initialised;

static int saml_err(oa2_err_t *err, const char *why)
{
    return oa2_err_set(err, 400, OA2_ERR_INVALID_GRANT, why);
}

/* ---- global init ------------------------------------------------------ */

/* xmlsec prints to stderr by default; its messages name functions and
 * objects, never key material. */
static void saml_xmlsec_error(const char *file, int line, const char *func,
                              const char *obj, const char *subj, int reason,
                              const char *msg)
{
    (void)file;
    (void)line;
    OA2_LOG(OA2_LOG_TRACE, "saml: xmlsec %s: %s %s: reason %d: %s",
            func ? func : "-", obj ? obj : "-", subj ? subj : "-", reason,
            msg ? msg : "-");
}

apr_status_t oa2_saml_global_init(void)
{
    if (saml_initialised) {
        return APR_SUCCESS;
    }
    xmlInitParser();
    if (xmlSecInit() < 0) {
        return APR_EGENERAL;
    }
    if (xmlSecCheckVersion() != 1) {
        xmlSecShutdown();
        return APR_EGENERAL;
    }
    if (xmlSecCryptoAppInit(NULL) < 0) {
        xmlSecShutdown();
        return APR_EGENERAL;
    }
    if (xmlSecCryptoInit() < 0) {
        xmlSecCryptoAppShutdown();
        xmlSecShutdown();
        return APR_EGENERAL;
    }
    /* after xmlSecCryptoInit(), which installs a callback of its own */
    xmlSecErrorsSetCallback(saml_xmlsec_error);
    saml_initialised = 1;
    return APR_SUCCESS;
}

void oa2_saml_global_term(void)
{
    if (!saml_initialised) {
        return;
    }
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
    saml_initialised = 0;
}

/* ---- trusted IdPs ----------------------------------------------------- */

static apr_status_t saml_idp_cleanup(void *data)
{
    oa2_saml_idp_t *idp = data;

    if (idp->key != NULL) {
        xmlSecKeyDestroy(idp->key);
        idp->key = NULL;
    }
    return APR_SUCCESS;
}

/* @return NULL when the key is strong enough, else why not */
static const char *saml_key_weakness(EVP_PKEY *pkey)
{
    char group[64];

    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
        return EVP_PKEY_get_bits(pkey) >= 2048
               ? NULL : "RSA key shorter than 2048 bits";
    case EVP_PKEY_EC:
        if (EVP_PKEY_get_utf8_string_param(pkey,
                                           OSSL_PKEY_PARAM_GROUP_NAME,
                                           group, sizeof(group), NULL)
            && strcmp(group, "prime256v1") == 0) {
            return NULL;
        }
        return "EC key is not on P-256";
    default:
        return "certificate key is neither RSA nor EC";
    }
}

/* Reads a whole (small) file into p. */
/* The public key of the first PEM certificate in buf, checked for
 * strength; NULL with *why set otherwise. */
static EVP_PKEY *saml_cert_key(const char *buf, apr_size_t len,
                               const char **why)
{
    BIO *bio = BIO_new_mem_buf(buf, (int)len);
    X509 *x509;
    EVP_PKEY *pkey = NULL;

    if (bio == NULL) {
        *why = "out of memory";
        return NULL;
    }
    x509 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (x509 == NULL) {
        ERR_clear_error();
        *why = "not a PEM certificate";
        return NULL;
    }
    pkey = X509_get_pubkey(x509);
    X509_free(x509);
    if (pkey == NULL) {
        *why = "certificate has no usable public key";
        return NULL;
    }
    if ((*why = saml_key_weakness(pkey)) != NULL) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

apr_status_t oa2_saml_idp_load(apr_pool_t *p, const char *cert_pem_path,
                               const char *entity_id, oa2_saml_idp_t **out,
                               const char **why)
{
    oa2_saml_idp_t *idp;
    EVP_PKEY *pkey;
    xmlSecKeyDataPtr data;
    apr_status_t rv;
    char *buf;
    apr_size_t len;

    *out = NULL;
    *why = NULL;
    /* IdPs are loaded by directive handlers, before post_config */
    if (oa2_saml_global_init() != APR_SUCCESS) {
        *why = "cannot initialise xmlsec";
        return APR_EGENERAL;
    }
    if (entity_id == NULL || *entity_id == '\0') {
        *why = "empty entity id";
        return APR_EINVAL;
    }
    rv = oa2_file_read(p, cert_pem_path, SAML_MAX_CERT, &buf, &len, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if ((pkey = saml_cert_key(buf, len, why)) == NULL) {
        return APR_EINVAL;
    }
    /* xmlsec takes the EVP_PKEY over on success only */
    if ((data = xmlSecOpenSSLEvpKeyAdopt(pkey)) == NULL) {
        EVP_PKEY_free(pkey);
        *why = "xmlsec cannot use the key";
        return APR_EINVAL;
    }
    idp = apr_pcalloc(p, sizeof(*idp));
    idp->entity_id = apr_pstrdup(p, entity_id);
    idp->key = xmlSecKeyCreate();
    if (idp->key == NULL || xmlSecKeySetValue(idp->key, data) < 0) {
        xmlSecKeyDataDestroy(data);
        if (idp->key != NULL) {
            xmlSecKeyDestroy(idp->key);
        }
        *why = "xmlsec cannot use the key";
        return APR_EINVAL;
    }
    apr_pool_cleanup_register(p, idp, saml_idp_cleanup,
                              apr_pool_cleanup_null);
    *out = idp;
    return APR_SUCCESS;
}

const char *oa2_saml_idp_entity_id(const oa2_saml_idp_t *idp)
{
    return idp->entity_id;
}

/* ---- small XML helpers ------------------------------------------------ */

static int saml_is_el(const xmlNode *n, const char *ns, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL
           && n->ns->href != NULL
           && strcmp((const char *)n->ns->href, ns) == 0
           && strcmp((const char *)n->name, name) == 0;
}

/* The first child element ns:name of parent; *count gets how many. */
static xmlNodePtr saml_child(xmlNodePtr parent, const char *ns,
                             const char *name, int *count)
{
    xmlNodePtr n, found = NULL;

    *count = 0;
    for (n = parent->children; n != NULL; n = n->next) {
        if (saml_is_el(n, ns, name)) {
            if (found == NULL) {
                found = n;
            }
            (*count)++;
        }
    }
    return found;
}

/* The child element ns:name, or NULL when there is none or several. */
static xmlNodePtr saml_one_child(xmlNodePtr parent, const char *ns,
                                 const char *name)
{
    int count;
    xmlNodePtr n = saml_child(parent, ns, name, &count);

    return count == 1 ? n : NULL;
}

/* An attribute without namespace, copied to p, or NULL when absent. */
static const char *saml_attr(apr_pool_t *p, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    const char *s;

    if (v == NULL) {
        return NULL;
    }
    s = apr_pstrdup(p, (const char *)v);
    xmlFree(v);
    return s;
}

/* The text of an element that holds only text, copied to p. Comments and
 * processing instructions are skipped, not ends of the text: exclusive
 * c14n leaves comments out of what was signed, so "a<!---->b" is the
 * signed "ab". NULL when the element has child elements. */
static const char *saml_text(apr_pool_t *p, xmlNodePtr el)
{
    xmlNodePtr n;
    const char *s = "";

    for (n = el->children; n != NULL; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content != NULL) {
                s = apr_pstrcat(p, s, (const char *)n->content, NULL);
            }
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        default:
            return NULL;
        }
    }
    return s;
}

/* @return non-zero when the Algorithm attribute is one of algs */
static int saml_alg_in(apr_pool_t *p, xmlNodePtr n, const char *const *algs)
{
    const char *alg;

    if (n == NULL || (alg = saml_attr(p, n, "Algorithm")) == NULL) {
        return 0;
    }
    for (; *algs != NULL; algs++) {
        if (strcmp(alg, *algs) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- xs:dateTime ------------------------------------------------------ */

static int saml_digits(const char *s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to a proleptic Gregorian date, y >= 1 (H. Hinnant's
 * days_from_civil): no timegm(), which is neither standard nor needed. */
static apr_int64_t saml_days(int y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An xs:dateTime in UTC, YYYY-MM-DDThh:mm:ss[.f+]Z, to seconds since the
 * epoch (fractions are dropped). Offsets, missing zones, 24:00:00, leap
 * seconds and years beyond 4 digits are refused.
 * @return non-zero on success */
static int saml_time(const char *s, apr_int64_t *out)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31 };
    int y, mo, d, h, mi, sec, leap;

    if (s == NULL
        || !saml_digits(s, 4, &y) || s[4] != '-'
        || !saml_digits(s + 5, 2, &mo) || s[7] != '-'
        || !saml_digits(s + 8, 2, &d) || s[10] != 'T'
        || !saml_digits(s + 11, 2, &h) || s[13] != ':'
        || !saml_digits(s + 14, 2, &mi) || s[16] != ':'
        || !saml_digits(s + 17, 2, &sec)) {
        return 0;
    }
    s += 19;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9') {
            return 0;
        }
        while (*s >= '0' && *s <= '9') {
            s++;
        }
    }
    if (strcmp(s, "Z") != 0) {
        return 0;
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || mo < 1 || mo > 12 || d < 1
        || d > mdays[mo - 1] + (mo == 2 && leap)
        || h > 23 || mi > 59 || sec > 59) {
        return 0;
    }
    *out = saml_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 1;
}

/* An optional time attribute. @return 0 when present but malformed */
static int saml_time_attr(saml_ctx *c, xmlNodePtr n, const char *name,
                          apr_int64_t *out, int *present)
{
    const char *v = saml_attr(c->tmp, n, name);

    *present = (v != NULL);
    return v == NULL || saml_time(v, out);
}

/* ---- parsing ---------------------------------------------------------- */

/* Called by libxml2 when it meets <!DOCTYPE, before the internal subset is
 * read: stopping here means no entity is ever declared, let alone
 * expanded, and nothing external is loaded. */
static void saml_sax_dtd(void *ctx, const xmlChar *name,
                         const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;

    (void)name;
    (void)external_id;
    (void)system_id;
    *(int *)ctxt->_private = 1;
    xmlStopParser(ctxt);
}

static apr_status_t saml_ctxt_cleanup(void *data)
{
    xmlFreeParserCtxt(data);
    return APR_SUCCESS;
}

static apr_status_t saml_doc_cleanup(void *data)
{
    xmlFreeDoc(data);
    return APR_SUCCESS;
}

static apr_status_t saml_parse(saml_ctx *c, const char *xml, apr_size_t len)
{
    xmlParserCtxtPtr ctxt;
    int has_dtd = 0;

    if (len > OA2_SAML_MAX_LEN) {
        return saml_err(c->err, "assertion too large");
    }
    if (xml == NULL || len == 0) {
        return saml_err(c->err, "assertion is not well-formed XML");
    }
    if ((ctxt = xmlNewParserCtxt()) == NULL) {
        return saml_err(c->err, "out of memory");
    }
    apr_pool_cleanup_register(c->tmp, ctxt, saml_ctxt_cleanup,
                              apr_pool_cleanup_null);
    ctxt->sax->internalSubset = saml_sax_dtd;
    ctxt->_private = &has_dtd;
    /* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
     * network, no XInclude, no HUGE: libxml2's default limits apply */
    c->doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR
                               | XML_PARSE_NOWARNING);
    if (c->doc != NULL) {
        apr_pool_cleanup_register(c->tmp, c->doc, saml_doc_cleanup,
                                  apr_pool_cleanup_null);
    }
    if (has_dtd || (c->doc != NULL && (c->doc->intSubset != NULL
                                       || c->doc->extSubset != NULL))) {
        return saml_err(c->err, "assertion must not contain a DTD");
    }
    if (c->doc == NULL || !ctxt->wellFormed) {
        return saml_err(c->err, "assertion is not well-formed XML");
    }
    return APR_SUCCESS;
}

/* ---- before the signature: shape, issuer, IDs ------------------------- */

/* IDs are xs:ID, an NCName; we take the ASCII subset IdPs use, which also
 * keeps "#" + ID a plain same-document reference, never an XPointer. */
static int saml_id_valid(const char *id)
{
    apr_size_t i, n;

    if (id == NULL || (n = strlen(id)) == 0 || n > SAML_MAX_ID
        || !(apr_isalpha(id[0]) || id[0] == '_')) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if (!(apr_isalnum(id[i]) || id[i] == '_' || id[i] == '-'
              || id[i] == '.')) {
            return 0;
        }
    }
    return 1;
}

static apr_status_t saml_check_root(saml_ctx *c)
{
    const char *v;

    c->root = xmlDocGetRootElement(c->doc);
    if (!saml_is_el(c->root, SAML_NS, "Assertion")) {
        return saml_err(c->err, "not a SAML 2.0 Assertion");
    }
    v = saml_attr(c->tmp, c->root, "Version");
    if (v == NULL || strcmp(v, "2.0") != 0) {
        return saml_err(c->err, "unsupported assertion version");
    }
    c->id = saml_attr(c->p, c->root, "ID");
    if (!saml_id_valid(c->id)) {
        return saml_err(c->err, "assertion has no valid ID");
    }
    return APR_SUCCESS;
}

/* Finds the IdP by Issuer, before any crypto: an unknown issuer costs us
 * no signature check. */
static apr_status_t saml_check_issuer(saml_ctx *c)
{
    const oa2_saml_rules_t *r = c->rules;
    xmlNodePtr iss = saml_one_child(c->root, SAML_NS, "Issuer");
    const char *fmt;
    int i;

    if (iss == NULL || (c->issuer = saml_text(c->p, iss)) == NULL
        || *c->issuer == '\0') {
        return saml_err(c->err, "assertion has no Issuer");
    }
    fmt = saml_attr(c->tmp, iss, "Format");
    if (fmt != NULL && strcmp(fmt, SAML_NAMEID_ENTITY) != 0) {
        return saml_err(c->err, "unsupported Issuer Format");
    }
    for (i = 0; r->idps != NULL && i < r->idps->nelts; i++) {
        const oa2_saml_idp_t *idp = APR_ARRAY_IDX(r->idps, i,
                                                  const oa2_saml_idp_t *);
        if (strcmp(idp->entity_id, c->issuer) == 0) {
            c->idp = idp;
            return APR_SUCCESS;
        }
    }
    return saml_err(c->err, "untrusted issuer");
}

/* The attributes that name an element in some vocabulary: SAML's ID and
 * AssertionID, XML DSig's Id, and xml:id (which libxml2 registers). */
static int saml_is_id_attr(const xmlAttr *a)
{
    const char *name = (const char *)a->name;

    if (a->ns == NULL) {
        return strcmp(name, "ID") == 0 || strcmp(name, "Id") == 0
               || strcmp(name, "id") == 0 || strcmp(name, "AssertionID") == 0;
    }
    return a->ns->href != NULL
           && strcmp((const char *)a->ns->href, XML_NS) == 0
           && strcmp(name, "id") == 0;
}

/* Signature wrapping needs a second element answering to the signed ID;
 * refuse any ID value that appears twice, whatever the attribute. */
static apr_status_t saml_check_ids(saml_ctx *c)
{
    apr_hash_t *seen = apr_hash_make(c->tmp);
    xmlNodePtr n = c->root;
    xmlAttrPtr a;

    /* depth first over every node under the root, without recursion */
    while (n != NULL) {
        if (n->type == XML_ELEMENT_NODE) {
            for (a = n->properties; a != NULL; a = a->next) {
                xmlChar *v;
                const char *s;

                if (!saml_is_id_attr(a)) {
                    continue;
                }
                v = xmlNodeListGetString(c->doc, a->children, 1);
                s = apr_pstrdup(c->tmp, v != NULL ? (const char *)v : "");
                xmlFree(v);
                if (apr_hash_get(seen, s, APR_HASH_KEY_STRING) != NULL) {
                    return saml_err(c->err, "duplicate ID in assertion");
                }
                apr_hash_set(seen, s, APR_HASH_KEY_STRING, s);
            }
            if (n->children != NULL) {
                n = n->children;
                continue;
            }
        }
        while (n != c->root && n->next == NULL) {
            n = n->parent;
        }
        n = (n == c->root) ? NULL : n->next;
    }
    return APR_SUCCESS;
}

/* Makes the root's ID the only one xmlsec can resolve "#ID" to. */
static apr_status_t saml_register_id(saml_ctx *c)
{
    xmlAttrPtr a = xmlHasNsProp(c->root, BAD_CAST "ID", NULL);

    /* with DTDs refused, only xml:id could have registered it already,
     * and saml_check_ids() refuses that; this is the belt to its braces */
    if (a == NULL || xmlGetID(c->doc, BAD_CAST c->id) != NULL
        || xmlAddID(NULL, c->doc, BAD_CAST c->id, a) == NULL) {
        return saml_err(c->err, "duplicate ID in assertion");
    }
    return APR_SUCCESS;
}

/* Checks SignedInfo against what we allow before xmlsec reads it: one
 * Reference, to "#" + the root's ID, exclusive c14n, no SHA-1. */
static apr_status_t saml_check_signed_info(saml_ctx *c)
{
    xmlNodePtr si, ref, tr, n;
    const char *uri;
    int count;

    c->sig = saml_child(c->root, DS_NS, "Signature", &count);
    if (count == 0) {
        return saml_err(c->err, "assertion is not signed");
    }
    if (count > 1) {
        return saml_err(c->err, "more than one signature");
    }
    if ((si = saml_one_child(c->sig, DS_NS, "SignedInfo")) == NULL) {
        return saml_err(c->err, "malformed signature");
    }
    if (!saml_alg_in(c->tmp, saml_one_child(si, DS_NS,
                                            "CanonicalizationMethod"),
                     saml_c14n_algs)) {
        return saml_err(c->err, "canonicalization method not allowed");
    }
    if (!saml_alg_in(c->tmp, saml_one_child(si, DS_NS, "SignatureMethod"),
                     saml_sig_algs)) {
        return saml_err(c->err, "signature algorithm not allowed");
    }
    ref = saml_child(si, DS_NS, "Reference", &count);
    uri = (count == 1) ? saml_attr(c->tmp, ref, "URI") : NULL;
    if (uri == NULL || uri[0] != '#' || strcmp(uri + 1, c->id) != 0) {
        return saml_err(c->err,
                        "signature reference does not match the assertion");
    }
    if ((tr = saml_one_child(ref, DS_NS, "Transforms")) != NULL) {
        for (n = tr->children; n != NULL; n = n->next) {
            if (n->type == XML_ELEMENT_NODE
                && (!saml_is_el(n, DS_NS, "Transform")
                    || !saml_alg_in(c->tmp, n, saml_transform_algs))) {
                return saml_err(c->err, "signature transform not allowed");
            }
        }
    }
    if (!saml_alg_in(c->tmp, saml_one_child(ref, DS_NS, "DigestMethod"),
                     saml_digest_algs)) {
        return saml_err(c->err, "digest algorithm not allowed");
    }
    return APR_SUCCESS;
}

/* ---- the signature ---------------------------------------------------- */

static apr_status_t saml_dsig_cleanup(void *data)
{
    xmlSecDSigCtxDestroy(data);
    return APR_SUCCESS;
}

/* The same allow-list as saml_check_signed_info(), enforced again by
 * xmlsec itself: anything else fails while SignedInfo is read. */
static int saml_dsig_restrict(xmlSecDSigCtxPtr dsig)
{
    xmlSecTransformId sig[] = {
        xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id,
        xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id,
        xmlSecTransformEcdsaSha256Id
    };
    xmlSecTransformId ref[] = {
        xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId,
        xmlSecTransformSha256Id, xmlSecTransformSha384Id,
        xmlSecTransformSha512Id
    };
    apr_size_t i;

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

/* After verification: the one reference xmlsec digested must be the
 * document element itself. xmlsec resolves a "#ID" URI with an XPointer
 * transform, id('ID'), which is libxml2's ID table: so the reference
 * verified must be that URI, resolved by XPointer, and the table must
 * hold the root's ID and nothing else. (xmlsec frees the resolved node
 * set once it is digested, so it cannot be read back afterwards.) */
static int saml_reference_is_root(saml_ctx *c, xmlSecDSigCtxPtr dsig)
{
    xmlSecDSigReferenceCtxPtr ref;
    xmlSecTransformPtr first;
    xmlAttrPtr id;

    if (xmlSecPtrListGetSize(&dsig->signedInfoReferences) != 1) {
        return 0;
    }
    ref = xmlSecPtrListGetItem(&dsig->signedInfoReferences, 0);
    if (ref == NULL || ref->status != xmlSecDSigStatusSucceeded
        || ref->uri == NULL || ref->uri[0] != '#'
        || strcmp((const char *)ref->uri + 1, c->id) != 0) {
        return 0;
    }
    first = ref->transformCtx.first;
    if (first == NULL || first->id != xmlSecTransformXPointerId) {
        return 0;
    }
    id = xmlGetID(c->doc, BAD_CAST c->id);
    return id != NULL && id->parent == c->root && c->doc->ids != NULL
           && xmlHashSize((xmlHashTablePtr)c->doc->ids) == 1;
}

static apr_status_t saml_verify_with(saml_ctx *c)
{
    xmlSecDSigCtxPtr dsig = xmlSecDSigCtxCreate(NULL);

    if (dsig == NULL) {
        return saml_err(c->err, "out of memory");
    }
    apr_pool_cleanup_register(c->tmp, dsig, saml_dsig_cleanup,
                              apr_pool_cleanup_null);
    if (!saml_dsig_restrict(dsig)) {
        return saml_err(c->err, "cannot set up signature verification");
    }
    /* the pinned key: with signKey set and no keys manager, xmlsec never
     * looks at KeyInfo, so a certificate sent along is ignored */
    if ((dsig->signKey = xmlSecKeyDuplicate(c->idp->key)) == NULL) {
        return saml_err(c->err, "out of memory");
    }
    if (xmlSecDSigCtxVerify(dsig, c->sig) < 0
        || dsig->status != xmlSecDSigStatusSucceeded) {
        return saml_err(c->err, "invalid signature");
    }
    if (!saml_reference_is_root(c, dsig)) {
        return saml_err(c->err,
                        "signature reference does not match the assertion");
    }
    return APR_SUCCESS;
}

/* Every configured key of the Issuer is tried in turn, so that an IdP can
 * roll its signing key over (two OAuthASSAMLTrust lines, one entity id). */
static apr_status_t saml_check_signature(saml_ctx *c)
{
    const apr_array_header_t *idps = c->rules->idps;
    apr_status_t rv = saml_verify_with(c);
    int i;

    for (i = 0; rv != APR_SUCCESS && i < idps->nelts; i++) {
        const oa2_saml_idp_t *idp = APR_ARRAY_IDX(idps, i,
                                                  const oa2_saml_idp_t *);
        if (idp != c->idp && strcmp(idp->entity_id, c->issuer) == 0) {
            c->idp = idp;
            rv = saml_verify_with(c);
        }
    }
    return rv;
}

/* ---- after the signature: conditions and subject ---------------------- */

/* @return non-zero when an Audience of the restriction is one of ours */
static int saml_audience_ok(saml_ctx *c, xmlNodePtr restriction)
{
    const apr_array_header_t *auds = c->rules->audiences;
    xmlNodePtr n;
    const char *a;
    int i;

    for (n = restriction->children; n != NULL; n = n->next) {
        if (!saml_is_el(n, SAML_NS, "Audience")
            || (a = saml_text(c->tmp, n)) == NULL) {
            continue;
        }
        for (i = 0; auds != NULL && i < auds->nelts; i++) {
            if (strcmp(a, APR_ARRAY_IDX(auds, i, const char *)) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* Every AudienceRestriction must name us (SAML core §2.5.1.4); a condition
 * we do not understand makes the assertion invalid for us (§2.5.1). */
static apr_status_t saml_check_condition_list(saml_ctx *c, xmlNodePtr cond)
{
    xmlNodePtr n;
    int restrictions = 0;

    for (n = cond->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (saml_is_el(n, SAML_NS, "AudienceRestriction")) {
            restrictions++;
            if (!saml_audience_ok(c, n)) {
                return saml_err(c->err, "wrong audience");
            }
        }
        else if (!saml_is_el(n, SAML_NS, "OneTimeUse")
                 && !saml_is_el(n, SAML_NS, "ProxyRestriction")) {
            return saml_err(c->err, "unsupported condition");
        }
    }
    if (restrictions == 0) {
        return saml_err(c->err, "assertion has no audience");
    }
    return APR_SUCCESS;
}

/* Conditions is required (RFC 7522 §3 item 4). The leeway moves `now`,
 * never the attacker's values. */
static apr_status_t saml_check_conditions(saml_ctx *c, apr_int64_t *noa,
                                          int *has_noa)
{
    const oa2_saml_rules_t *r = c->rules;
    xmlNodePtr cond = saml_one_child(c->root, SAML_NS, "Conditions");
    apr_int64_t nb = 0, issued = 0;
    int has_nb, has_issued;

    if (cond == NULL) {
        return saml_err(c->err, "assertion has no Conditions");
    }
    if (!saml_time_attr(c, cond, "NotBefore", &nb, &has_nb)
        || !saml_time_attr(c, cond, "NotOnOrAfter", noa, has_noa)
        || !saml_time_attr(c, c->root, "IssueInstant", &issued,
                           &has_issued)) {
        return saml_err(c->err, "malformed time");
    }
    if (!has_issued) {
        return saml_err(c->err, "assertion has no IssueInstant");
    }
    if (has_nb && nb > r->now + r->leeway) {
        return saml_err(c->err, "assertion not yet valid");
    }
    if (*has_noa && *noa <= r->now - r->leeway) {
        return saml_err(c->err, "assertion expired");
    }
    if (issued > r->now + r->leeway) {
        return saml_err(c->err, "assertion issued in the future");
    }
    return saml_check_condition_list(c, cond);
}

/* One bearer SubjectConfirmation (SAML profiles §4.1.4.2, RFC 7522 §3
 * item 5). @return NULL when it is satisfied, else why not */
static const char *saml_bearer_fails(saml_ctx *c, xmlNodePtr sc,
                                     apr_int64_t *noa)
{
    const oa2_saml_rules_t *r = c->rules;
    xmlNodePtr d = saml_one_child(sc, SAML_NS, "SubjectConfirmationData");
    const char *recipient;
    apr_int64_t nb = 0;
    int has_noa, has_nb;

    if (d == NULL) {
        return "subject confirmation has no NotOnOrAfter";
    }
    if (!saml_time_attr(c, d, "NotOnOrAfter", noa, &has_noa)
        || !saml_time_attr(c, d, "NotBefore", &nb, &has_nb)) {
        return "malformed time";
    }
    if (!has_noa) {
        return "subject confirmation has no NotOnOrAfter";
    }
    if (*noa <= r->now - r->leeway) {
        return "subject confirmation expired";
    }
    if (has_nb && nb > r->now + r->leeway) {
        return "subject confirmation not yet valid";
    }
    recipient = saml_attr(c->tmp, d, "Recipient");
    if (recipient == NULL || r->recipient == NULL
        || strcmp(recipient, r->recipient) != 0) {
        return "wrong recipient";
    }
    return NULL;
}

/* The NameID, and the first bearer confirmation that holds; when none
 * does, the reason the last one failed. */
static apr_status_t saml_check_subject(saml_ctx *c, oa2_saml_assertion_t *a,
                                       apr_int64_t *noa)
{
    xmlNodePtr subject = saml_one_child(c->root, SAML_NS, "Subject");
    xmlNodePtr nid, n;
    const char *why = "no bearer subject confirmation";
    const char *method;

    if (subject == NULL) {
        return saml_err(c->err, "assertion has no Subject");
    }
    nid = saml_one_child(subject, SAML_NS, "NameID");
    if (nid == NULL || (a->subject = saml_text(c->p, nid)) == NULL
        || *a->subject == '\0') {
        return saml_err(c->err, "assertion has no NameID");
    }
    a->name_id_format = saml_attr(c->p, nid, "Format");
    for (n = subject->children; n != NULL; n = n->next) {
        if (!saml_is_el(n, SAML_NS, "SubjectConfirmation")
            || (method = saml_attr(c->tmp, n, "Method")) == NULL
            || strcmp(method, SAML_CM_BEARER) != 0) {
            continue;
        }
        if ((why = saml_bearer_fails(c, n, noa)) == NULL) {
            return APR_SUCCESS;
        }
    }
    return saml_err(c->err, why);
}

/* ---- the whole check -------------------------------------------------- */

static apr_status_t saml_verify(saml_ctx *c, const char *xml,
                                apr_size_t len, oa2_saml_assertion_t **out)
{
    const oa2_saml_rules_t *r = c->rules;
    oa2_saml_assertion_t *a;
    apr_int64_t cond_noa = 0, scd_noa = 0;
    int has_cond_noa = 0;
    apr_status_t rv;

    if (!saml_initialised) {
        return saml_err(c->err, "SAML support not initialised");
    }
    if ((rv = saml_parse(c, xml, len)) != APR_SUCCESS
        || (rv = saml_check_root(c)) != APR_SUCCESS
        || (rv = saml_check_issuer(c)) != APR_SUCCESS
        || (rv = saml_check_ids(c)) != APR_SUCCESS
        || (rv = saml_register_id(c)) != APR_SUCCESS
        || (rv = saml_check_signed_info(c)) != APR_SUCCESS
        || (rv = saml_check_signature(c)) != APR_SUCCESS) {
        return rv;
    }
    /* from here on, everything read is covered by the signature */
    a = apr_pcalloc(c->p, sizeof(*a));
    if ((rv = saml_check_conditions(c, &cond_noa, &has_cond_noa))
        != APR_SUCCESS
        || (rv = saml_check_subject(c, a, &scd_noa)) != APR_SUCCESS) {
        return rv;
    }
    a->not_on_or_after = (has_cond_noa && cond_noa < scd_noa)
                         ? cond_noa : scd_noa;
    if (r->max_lifetime > 0
        && a->not_on_or_after > r->now + r->max_lifetime + r->leeway) {
        return saml_err(c->err, "assertion lifetime too long");
    }
    a->id = c->id;
    a->issuer = c->issuer;
    *out = a;
    return APR_SUCCESS;
}

apr_status_t oa2_saml_verify(apr_pool_t *p, const char *xml, apr_size_t len,
                             const oa2_saml_rules_t *rules,
                             oa2_saml_assertion_t **out, oa2_err_t *err)
{
    saml_ctx c;
    apr_status_t rv;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.rules = rules;
    c.err = err;
    /* the document, parser and dsig context die with this subpool, before
     * we return, whatever the outcome */
    if (apr_pool_create(&c.tmp, p) != APR_SUCCESS) {
        return saml_err(err, "out of memory");
    }
    rv = saml_verify(&c, xml, len, out);
    apr_pool_destroy(c.tmp);
    /* a refused signature leaves OpenSSL errors queued on this thread,
     * where the next OpenSSL user (mod_ssl) would find them */
    ERR_clear_error();
    return rv;
}

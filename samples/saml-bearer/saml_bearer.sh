#!/bin/sh
# SAML 2.0 bearer assertion grant (RFC 7522 §2.1): a client that holds a
# signed SAML assertion about a user (from the organisation's identity
# provider, after a SAML single sign-on) trades it for an OAuth access token,
# so a SAML-federated application can call OAuth-protected APIs.
#
# Here the sample plays the identity provider too: it writes the assertion
# and signs it with the IdP's key using the xmlsec1 command-line tool
# (enveloped XML signature, exclusive canonicalisation, RSA-SHA256). The
# server must trust that IdP: OAuthASSAMLTrust <idp-cert.pem> <entity-id>
# (tools/demo configures run/keys/saml-idp.crt as https://idp.example.com).
#
# Needs: sh, curl, openssl, python3 (only to read JSON), and xmlsec1
# (Debian: apt-get install xmlsec1).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   API_URL                  the protected API        (default $AS_URL/flickr/photos)
#   CLIENT_ID, CLIENT_SECRET a client registered with grant type
#                            urn:ietf:params:oauth:grant-type:saml2-bearer
#   IDP_KEY, IDP_CERT        the IdP's signing key and certificate (default: the
#                            demo's run/keys/saml-idp.key and .crt in this source tree)
#   IDP_ENTITY_ID            the IdP's entity id, its <Issuer> (default https://idp.example.com)
#   SUBJECT                  the user's NameID, the token's sub (default demo)
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
API_URL=${API_URL:-$AS_URL/flickr/photos}
KEYS=$(dirname "$0")/../../run/keys
IDP_KEY=${IDP_KEY:-$KEYS/saml-idp.key}
IDP_CERT=${IDP_CERT:-$KEYS/saml-idp.crt}
IDP_ENTITY_ID=${IDP_ENTITY_ID:-https://idp.example.com}
SUBJECT=${SUBJECT:-demo}
TOKEN_URL=$AS_URL/oauth2/token
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
command -v xmlsec1 >/dev/null || { echo "this sample needs xmlsec1 (apt-get install xmlsec1)" >&2; exit 1; }

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
# ts SECONDS-FROM-NOW: an xs:dateTime in UTC (GNU date, else BSD date)
ts() { t=$(($(date +%s) + $1)); date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$t" +%Y-%m-%dT%H:%M:%SZ; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. The assertion, with an empty ds:Signature template that xmlsec1 fills
#    in. What the server checks:
#    - Issuer: a trusted IdP (OAuthASSAMLTrust), whose key signed the assertion
#    - ID: unique (used once); the Reference URI points at it
#    - Subject/NameID: the user, becomes the token's sub
#    - SubjectConfirmation: bearer method, Recipient = the token endpoint,
#      NotOnOrAfter in the future
#    - Conditions: NotBefore/NotOnOrAfter around now, Audience = the token
#      endpoint (or the issuer URL)
ID=_$(openssl rand -hex 16)
cat > "$WORK/assertion.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="$ID" Version="2.0" IssueInstant="$(ts 0)">
  <saml:Issuer>$IDP_ENTITY_ID</saml:Issuer>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="#$ID">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue/>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue/>
  </ds:Signature>
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">$SUBJECT</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData NotOnOrAfter="$(ts 300)" Recipient="$TOKEN_URL"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="$(ts -60)" NotOnOrAfter="$(ts 300)">
    <saml:AudienceRestriction><saml:Audience>$TOKEN_URL</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="$(ts 0)">
    <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
  </saml:AuthnStatement>
</saml:Assertion>
XML
echo "==> assertion $ID: Issuer $IDP_ENTITY_ID, NameID $SUBJECT, Audience/Recipient $TOKEN_URL"

# 2. Sign it as the IdP. --id-attr tells xmlsec1 that the Assertion's ID
#    attribute is what URI="#..." refers to.
xmlsec1 --sign --privkey-pem "$IDP_KEY,$IDP_CERT" \
    --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
    --output "$WORK/signed.xml" "$WORK/assertion.xml"
echo "==> signed by xmlsec1 with $IDP_KEY:"
sed -n 's/.*<ds:SignatureValue>\(.\{40\}\).*/    SignatureValue \1.../p' "$WORK/signed.xml"

# 3. The token request: the assertion base64url-encoded (RFC 7522 §2.1),
#    the client authenticated as usual (Basic).
ASSERTION=$(openssl base64 -A < "$WORK/signed.xml" | tr '+/' '-_' | tr -d '=')
echo "==> POST $TOKEN_URL grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer assertion=<base64url XML> scope=photos"
RESPONSE=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" \
    --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer" \
    --data-urlencode "assertion=$ASSERTION" -d scope=photos "$TOKEN_URL")
echo "$RESPONSE" | python3 -m json.tool
TOKEN=$(echo "$RESPONSE" | json access_token)
if [ -z "$TOKEN" ]; then
    echo "no access token: $(echo "$RESPONSE" | json error): $(echo "$RESPONSE" | json error_description)" >&2
    exit 1
fi
echo "<== an access token for $SUBJECT"

# 4. The API call.
echo "==> GET $API_URL (Authorization: Bearer <token>)"
OUT=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$API_URL")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 200 ]

#!/bin/sh
# JWT bearer assertion grant (RFC 7523 §2.1): the client signs a short JWT
# saying "I, client X, ask for a token for subject Y" with its own private
# key and trades it for an access token. The server verifies the signature
# with the public key the client registered (its "jwks"; make it with
# jwk.sh), checks iss = the client, aud = this server, exp, and that the jti
# is used only once. Typical use: a trusted backend acting for a user it has
# already authenticated, without a browser round trip. (An assertion from a
# separate identity provider works the same when the server trusts that
# issuer with OAuthASJWTBearerIssuer.)
#
# The JWT is built and signed with openssl alone: RS256 is RSASSA-PKCS1-v1_5
# with SHA-256, exactly what `openssl dgst -sha256 -sign` outputs. (ES256
# would need the DER signature converted to raw r||s; RS256 needs nothing.)
#
# Needs: sh, curl, openssl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   API_URL                  the protected API        (default $AS_URL/flickr/photos)
#   CLIENT_ID, CLIENT_SECRET a client registered with grant type
#                            urn:ietf:params:oauth:grant-type:jwt-bearer and a jwks
#   CLIENT_KEY               the client's RSA private key (default: the demo's,
#                            run/keys/sample-client.pem in this source tree)
#   KEY_ID                   the kid of that key in the registered jwks (default sample-1)
#   SUBJECT                  whom the token is for (default demo)
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
API_URL=${API_URL:-$AS_URL/flickr/photos}
CLIENT_KEY=${CLIENT_KEY:-$(dirname "$0")/../../run/keys/sample-client.pem}
KEY_ID=${KEY_ID:-sample-1}
SUBJECT=${SUBJECT:-demo}
TOKEN_URL=$AS_URL/oauth2/token
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
[ -r "$CLIENT_KEY" ] || { echo "cannot read the client key $CLIENT_KEY (set CLIENT_KEY)" >&2; exit 1; }

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
# base64url without padding (RFC 7515 §2), from stdin
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# 1. The assertion. The values are put into the JSON as they are: fine for
#    client ids and user names without quotes or backslashes.
NOW=$(date +%s)
HEADER="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"$KEY_ID\"}"
CLAIMS="{\"iss\":\"$CLIENT_ID\",\"sub\":\"$SUBJECT\",\"aud\":\"$TOKEN_URL\",\"iat\":$NOW,\"exp\":$((NOW + 300)),\"jti\":\"$(openssl rand -hex 16)\"}"
echo "==> assertion header: $HEADER"
echo "==> assertion claims: $CLAIMS"
#    iss   the client itself (a self-issued assertion)
#    sub   the user the token is for
#    aud   the token endpoint (the issuer URL is accepted too)
#    exp   a few minutes at most (OAuthASAssertionMaxLifetime, default 1h)
#    jti   unique: the server refuses a second use
SIGNING_INPUT=$(printf '%s' "$HEADER" | b64url).$(printf '%s' "$CLAIMS" | b64url)
SIGNATURE=$(printf '%s' "$SIGNING_INPUT" | openssl dgst -sha256 -sign "$CLIENT_KEY" | b64url)
ASSERTION=$SIGNING_INPUT.$SIGNATURE
echo "==> signed with $CLIENT_KEY (RS256): $(echo "$ASSERTION" | cut -c1-40)..."

# 2. The token request: the assertion in the form, the client authenticated
#    as usual (Basic).
echo "==> POST $TOKEN_URL grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer assertion=<jwt> scope=photos"
RESPONSE=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" \
    --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer" \
    --data-urlencode "assertion=$ASSERTION" -d scope=photos "$TOKEN_URL")
echo "$RESPONSE" | python3 -m json.tool
TOKEN=$(echo "$RESPONSE" | json access_token)
if [ -z "$TOKEN" ]; then
    echo "no access token: $(echo "$RESPONSE" | json error): $(echo "$RESPONSE" | json error_description)" >&2
    exit 1
fi
echo "<== an access token for $SUBJECT (no refresh token: the client makes a new assertion instead)"

# 3. The API call.
echo "==> GET $API_URL (Authorization: Bearer <token>)"
OUT=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$API_URL")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 200 ]

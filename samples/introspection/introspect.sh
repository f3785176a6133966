#!/bin/sh
# Token introspection (RFC 7662): a resource server that receives an access
# token asks the authorization server whether it is active and what it
# allows. This is how a resource server checks opaque tokens
# (OAuthASAccessTokenFormat opaque), or sees a revocation at once;
# mod_oauth2_rs does it for you with OAuthRSIntrospect.
#
# The caller must be a confidential client (the resource server registers
# one for itself); the token owner's identity is never enough.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                        the authorization server (default http://127.0.0.1:8080)
#   RS_CLIENT_ID, RS_CLIENT_SECRET the resource server's own client (default: CLIENT_ID, CLIENT_SECRET)
#   TOKEN                         the access token to check; when unset the sample gets one
#                                 with client credentials as CLIENT_ID / CLIENT_SECRET
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
RS_CLIENT_ID=${RS_CLIENT_ID:-${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}}
RS_CLIENT_SECRET=${RS_CLIENT_SECRET:-${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}}

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

if [ -z "${TOKEN:-}" ]; then
    echo "==> no TOKEN given: getting one with client credentials"
    TOKEN=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \
        -d scope=photos "$AS_URL/oauth2/token" | json access_token)
    [ -n "$TOKEN" ] || { echo "could not get a token" >&2; exit 1; }
fi

# 1. Ask about the token: POST, form-encoded, the caller authenticated with
#    Basic. token_type_hint (access_token | refresh_token) is optional.
echo "==> POST $AS_URL/oauth2/introspect token=<access token> (as $RS_CLIENT_ID)"
RESPONSE=$(curl -sS -u "$RS_CLIENT_ID:$RS_CLIENT_SECRET" \
    --data-urlencode "token=$TOKEN" -d token_type_hint=access_token "$AS_URL/oauth2/introspect")
echo "$RESPONSE" | python3 -m json.tool
# The decision the resource server makes: active, and the scope it needs.
if [ "$(echo "$RESPONSE" | json active)" != True ]; then
    echo "the token is not active" >&2
    exit 1
fi
echo "<== active: client $(echo "$RESPONSE" | json client_id), scope \"$(echo "$RESPONSE" | json scope)\"," \
     "expires at $(echo "$RESPONSE" | json exp) (Unix time)"

# 2. Anything that is not a valid token (unknown, expired, revoked, forged)
#    gets just {"active": false}: no reason is given.
echo "==> POST $AS_URL/oauth2/introspect token=not-a-token"
RESPONSE=$(curl -sS -u "$RS_CLIENT_ID:$RS_CLIENT_SECRET" -d token=not-a-token \
    "$AS_URL/oauth2/introspect")
echo "<== $RESPONSE"
[ "$(echo "$RESPONSE" | json active)" = False ]

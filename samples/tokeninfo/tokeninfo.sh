#!/bin/sh
# The token information endpoint: given an access token, says whose it is,
# which client it was issued to (audience) and what it allows, in the classic
# API-gateway format (audience, user_id, scope, expires_in) plus active,
# client_id, sub and exp. No client authentication: whoever holds the token
# may ask. A client uses it to check that a token it received was meant for
# it (audience == its client_id) before trusting it.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   TOKEN                    the access token; when unset the sample gets one with
#                            client credentials as CLIENT_ID / CLIENT_SECRET
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

if [ -z "${TOKEN:-}" ]; then
    : "${CLIENT_ID:?set TOKEN, or CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
    echo "==> no TOKEN given: getting one with client credentials"
    TOKEN=$(curl -sS -u "$CLIENT_ID:${CLIENT_SECRET:-}" -d grant_type=client_credentials \
        -d scope=photos "$AS_URL/oauth2/token" | json access_token)
    [ -n "$TOKEN" ] || { echo "could not get a token" >&2; exit 1; }
fi

# 1. GET with the token in the query: the classic form. It is simple but puts
#    the token in URLs (proxy logs, history), so prefer 2. or 3.
echo "==> GET $AS_URL/oauth2/tokeninfo?access_token=<token>"
curl -sS -G --data-urlencode "access_token=$TOKEN" "$AS_URL/oauth2/tokeninfo" | python3 -m json.tool

# 2. POST with the token in the form body.
echo "==> POST $AS_URL/oauth2/tokeninfo access_token=<token>"
INFO=$(curl -sS --data-urlencode "access_token=$TOKEN" "$AS_URL/oauth2/tokeninfo")
echo "<== $INFO"

# 3. GET with the token in the Authorization header, as for any API call.
echo "==> GET $AS_URL/oauth2/tokeninfo (Authorization: Bearer <token>)"
INFO=$(curl -sS -H "Authorization: Bearer $TOKEN" "$AS_URL/oauth2/tokeninfo")
echo "<== $INFO"
[ "$(echo "$INFO" | json active)" = True ] || { echo "the token is not valid" >&2; exit 1; }
# user_id is the resource owner; a client credentials token has none.
USER_ID=$(echo "$INFO" | json user_id)
echo "<== issued to client $(echo "$INFO" | json audience)," \
     "user ${USER_ID:-(none: the client acts for itself)}," \
     "scope \"$(echo "$INFO" | json scope)\", $(echo "$INFO" | json expires_in) s left"

# 4. An invalid, expired or revoked token: 400 {"error":"invalid_token"}.
echo "==> GET $AS_URL/oauth2/tokeninfo?access_token=not-a-token"
OUT=$(curl -sS -w '\n%{http_code}' "$AS_URL/oauth2/tokeninfo?access_token=not-a-token")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 400 ]

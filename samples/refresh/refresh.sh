#!/bin/sh
# Refresh tokens (RFC 6749 §6): a client that acts for a user keeps the
# refresh token and trades it for a fresh access token when the old one
# expires, without asking the user again. This server rotates refresh tokens
# (RFC 9700 §4.14.2): every use returns a new one and retires the old one;
# a retired one presented again means it leaked, so the whole family (every
# token of that grant) is revoked. The last two steps show that.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   API_URL                  the protected API        (default $AS_URL/flickr/photos)
#   CLIENT_ID, CLIENT_SECRET the client the refresh token was issued to
#   REFRESH_TOKEN            the refresh token to use; when unset the sample first gets one
#                            with the password grant as OAUTH_USER / OAUTH_PASSWORD
#                            (default demo / demo), which the demo server enables
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
API_URL=${API_URL:-$AS_URL/flickr/photos}
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
token() { curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" "$@" "$AS_URL/oauth2/token"; }

# 0. A refresh token to start with.
if [ -z "${REFRESH_TOKEN:-}" ]; then
    echo "==> no REFRESH_TOKEN given: getting one with the password grant as ${OAUTH_USER:-demo}"
    RESPONSE=$(token -d grant_type=password -d scope=photos \
        --data-urlencode "username=${OAUTH_USER:-demo}" \
        --data-urlencode "password=${OAUTH_PASSWORD:-demo}")
    REFRESH_TOKEN=$(echo "$RESPONSE" | json refresh_token)
    [ -n "$REFRESH_TOKEN" ] || { echo "no refresh token: $RESPONSE" >&2; exit 1; }
fi
OLD=$REFRESH_TOKEN
echo "<== refresh token $(echo "$OLD" | cut -c1-8)..."

# 1. The refresh request: the client authenticates as usual (a refresh token
#    only works for the client it was issued to). scope may be left out (the
#    same scope as before) or narrowed, never widened.
echo "==> POST $AS_URL/oauth2/token grant_type=refresh_token"
RESPONSE=$(token -d grant_type=refresh_token --data-urlencode "refresh_token=$OLD")
echo "$RESPONSE" | python3 -m json.tool
ACCESS=$(echo "$RESPONSE" | json access_token)
NEW=$(echo "$RESPONSE" | json refresh_token)
[ -n "$ACCESS" ] || { echo "refresh failed: $(echo "$RESPONSE" | json error)" >&2; exit 1; }
echo "<== a new access token and a new refresh token $(echo "$NEW" | cut -c1-8)... (rotated:" \
     "the old one is now retired; keep only the new one)"

# 2. The new access token works.
echo "==> GET $API_URL (Authorization: Bearer <new token>)"
OUT=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $ACCESS" "$API_URL")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 200 ]

# 3. Someone replays the old refresh token (as a thief would): refused ...
echo "==> POST $AS_URL/oauth2/token grant_type=refresh_token with the OLD refresh token"
RESPONSE=$(token -d grant_type=refresh_token --data-urlencode "refresh_token=$OLD")
echo "<== $RESPONSE"
[ "$(echo "$RESPONSE" | json error)" = invalid_grant ]

# 4. ... and the server has revoked the whole family: the new one is dead too,
#    so the thief cannot use whichever of the two it holds. (The user signs in
#    again; an access token already issued as a JWT stays valid at resource
#    servers that check it locally until it expires.)
echo "==> POST $AS_URL/oauth2/token grant_type=refresh_token with the NEW refresh token"
RESPONSE=$(token -d grant_type=refresh_token --data-urlencode "refresh_token=$NEW")
echo "<== $RESPONSE"
[ "$(echo "$RESPONSE" | json error)" = invalid_grant ]
echo "done: rotation and reuse detection work"

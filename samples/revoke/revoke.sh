#!/bin/sh
# Token revocation (RFC 7009): a client that is done (the user signs out,
# uninstalls the app, unlinks the account) tells the server to forget its
# tokens. Revoking the refresh token ends the grant: no new access tokens
# come from it. Revoking the access token makes introspection and tokeninfo
# report it inactive at once; a resource server that validates JWT access
# tokens locally (no call to the server) accepts it until it expires, so keep
# access tokens short-lived, or use OAuthRSIntrospect where that matters.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   CLIENT_ID, CLIENT_SECRET the client the tokens were issued to (only it may revoke them)
#   ACCESS_TOKEN, REFRESH_TOKEN  the tokens to revoke; when unset the sample gets a pair
#                            with the password grant as OAUTH_USER / OAUTH_PASSWORD
#                            (default demo / demo), which the demo server enables
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
post() { path=$1; shift; curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" "$@" "$AS_URL/oauth2/$path"; }
# tokeninfo TOKEN: prints what the server says about an access token
tokeninfo() { curl -sS --data-urlencode "access_token=$1" "$AS_URL/oauth2/tokeninfo"; }

if [ -z "${ACCESS_TOKEN:-}" ] || [ -z "${REFRESH_TOKEN:-}" ]; then
    echo "==> getting an access token and a refresh token (password grant as ${OAUTH_USER:-demo})"
    RESPONSE=$(post token -d grant_type=password -d scope=photos \
        --data-urlencode "username=${OAUTH_USER:-demo}" \
        --data-urlencode "password=${OAUTH_PASSWORD:-demo}")
    ACCESS_TOKEN=$(echo "$RESPONSE" | json access_token)
    REFRESH_TOKEN=$(echo "$RESPONSE" | json refresh_token)
    [ -n "$REFRESH_TOKEN" ] || { echo "no tokens: $RESPONSE" >&2; exit 1; }
fi
echo "<== tokeninfo before: $(tokeninfo "$ACCESS_TOKEN")"

# 1. Revoke the refresh token. The client authenticates (Basic) like at the
#    token endpoint; token_type_hint only speeds up the lookup. The answer is
#    200 with an empty body whether or not the token was known (RFC 7009 §2.2),
#    so nobody learns anything from it.
echo "==> POST $AS_URL/oauth2/revoke token=<refresh token> token_type_hint=refresh_token"
STATUS=$(post revoke -o /dev/null -w '%{http_code}' \
    --data-urlencode "token=$REFRESH_TOKEN" -d token_type_hint=refresh_token)
echo "<== HTTP $STATUS"
[ "$STATUS" = 200 ]

# 2. The refresh token no longer works.
echo "==> POST $AS_URL/oauth2/token grant_type=refresh_token"
RESPONSE=$(post token -d grant_type=refresh_token --data-urlencode "refresh_token=$REFRESH_TOKEN")
echo "<== $RESPONSE"
[ "$(echo "$RESPONSE" | json error)" = invalid_grant ]

# 3. Revoke the access token too.
echo "==> POST $AS_URL/oauth2/revoke token=<access token> token_type_hint=access_token"
STATUS=$(post revoke -o /dev/null -w '%{http_code}' \
    --data-urlencode "token=$ACCESS_TOKEN" -d token_type_hint=access_token)
echo "<== HTTP $STATUS"
[ "$STATUS" = 200 ]

# 4. The server now calls it invalid.
INFO=$(tokeninfo "$ACCESS_TOKEN")
echo "<== tokeninfo after: $INFO"
[ "$(echo "$INFO" | json error)" = invalid_token ]
echo "done: both tokens are revoked"

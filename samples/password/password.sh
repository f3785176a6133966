#!/bin/sh
# Resource owner password credentials grant (RFC 6749 §4.3): the client
# collects the user's name and password itself and trades them for tokens.
#
# Only for a legacy first-party client that the user already trusts with the
# password. The OAuth 2.0 Security BCP (RFC 9700 §2.4) says MUST NOT: the
# client sees the password, and no second factor, consent page or federated
# login can work. Prefer the authorization code flow (../native-app). The
# server keeps this grant off unless OAuthASGrantTypes lists "password" (the
# demo does) and checks the password with an Apache authn provider
# (OAuthASPasswordProvider file|dbd|ldap ...), throttling failures.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   API_URL                  the protected API        (default $AS_URL/flickr/photos)
#   CLIENT_ID, CLIENT_SECRET a client registered with grant_types ["password", "refresh_token"]
#   OAUTH_USER, OAUTH_PASSWORD  the resource owner    (default demo / demo, the demo user)
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
API_URL=${API_URL:-$AS_URL/flickr/photos}
OAUTH_USER=${OAUTH_USER:-demo}
OAUTH_PASSWORD=${OAUTH_PASSWORD:-demo}
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"

json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

# 1. The token request: the user's credentials in the form body (urlencoded),
#    the client's own credentials in the Basic header.
echo "==> POST $AS_URL/oauth2/token grant_type=password username=$OAUTH_USER password=*** scope=photos"
RESPONSE=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=password \
    --data-urlencode "username=$OAUTH_USER" --data-urlencode "password=$OAUTH_PASSWORD" \
    -d scope=photos "$AS_URL/oauth2/token")
echo "$RESPONSE" | python3 -m json.tool
TOKEN=$(echo "$RESPONSE" | json access_token)
if [ -z "$TOKEN" ]; then
    # a wrong name and a wrong password get the same invalid_grant, on purpose
    echo "no access token: $(echo "$RESPONSE" | json error): $(echo "$RESPONSE" | json error_description)" >&2
    exit 1
fi
echo "<== an access token for $OAUTH_USER; the client should now forget the password" \
     "and keep the refresh token instead (see ../refresh)"

# 2. The API call on the user's behalf.
echo "==> GET $API_URL (Authorization: Bearer <token>)"
OUT=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$API_URL")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 200 ]

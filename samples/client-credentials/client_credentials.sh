#!/bin/sh
# Client credentials grant (RFC 6749 §4.4): a program acting on its own
# behalf (no user involved) proves who it is with its client_id and
# client_secret, gets an access token and calls the protected photo API.
#
# Needs: sh, curl, python3 (only to read JSON).
# Environment (tools/demo prints the values; or: . run/samples.env):
#   AS_URL                   the authorization server (default http://127.0.0.1:8080)
#   API_URL                  the protected API        (default $AS_URL/flickr/photos)
#   CLIENT_ID, CLIENT_SECRET a client registered with grant_types ["client_credentials"]
#   SCOPE                    the scope to ask for     (default photos)
set -eu
AS_URL=${AS_URL:-http://127.0.0.1:8080}
API_URL=${API_URL:-$AS_URL/flickr/photos}
SCOPE=${SCOPE:-photos}
: "${CLIENT_ID:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"
: "${CLIENT_SECRET:?set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)}"

# json NAME: one member of the JSON object on stdin ("" when absent)
json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

# 1. The token request. The client authenticates with HTTP Basic
#    (client_secret_basic): curl -u builds the Authorization header.
echo "==> POST $AS_URL/oauth2/token grant_type=client_credentials scope=$SCOPE"
RESPONSE=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" \
    -d grant_type=client_credentials --data-urlencode "scope=$SCOPE" \
    "$AS_URL/oauth2/token")
echo "$RESPONSE" | python3 -m json.tool
TOKEN=$(echo "$RESPONSE" | json access_token)
if [ -z "$TOKEN" ]; then
    echo "no access token: $(echo "$RESPONSE" | json error)" >&2
    exit 1
fi
echo "<== an access token for scope \"$(echo "$RESPONSE" | json scope)\"," \
     "valid $(echo "$RESPONSE" | json expires_in) s (no refresh token: the client can always ask again)"

# 2. The API call, with the token in the Authorization header (RFC 6750 §2.1).
echo "==> GET $API_URL (Authorization: Bearer <token>)"
OUT=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$API_URL")
STATUS=$(echo "$OUT" | tail -n 1)
echo "<== HTTP $STATUS $(echo "$OUT" | sed '$d')"
[ "$STATUS" = 200 ]

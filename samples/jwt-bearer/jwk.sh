#!/bin/sh
# jwk.sh KEY.pem [KID]: prints the JWK Set (RFC 7517) of an RSA key's public
# half, ready to register as a client's "jwks" (RFC 7591). The private key
# stays with the client; only n and e are published.
#
#   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.pem
#   samples/jwt-bearer/jwk.sh client.pem my-key-1
#   -> {"keys": [{"kty": "RSA", "kid": "my-key-1", "use": "sig", "alg": "RS256", "n": "...", "e": "AQAB"}]}
#
# Needs: openssl, python3 (only to turn the hex numbers into base64url).
set -eu
KEY=${1:?usage: jwk.sh KEY.pem [KID]}
KID=${2:-sample-1}

# The public key, from a private key or a public key PEM.
PUB=$(openssl pkey -in "$KEY" -pubout 2>/dev/null || openssl pkey -pubin -in "$KEY" -pubout)
# n (the modulus, hex) and e (the public exponent, decimal) as openssl prints them.
N_HEX=$(echo "$PUB" | openssl rsa -pubin -noout -modulus | sed 's/^Modulus=//')
E_DEC=$(echo "$PUB" | openssl rsa -pubin -noout -text | sed -n 's/^Exponent: *\([0-9]*\).*/\1/p')

# RFC 7518 §6.3.1: n and e are unsigned big-endian integers, base64url without padding.
python3 - "$N_HEX" "$E_DEC" "$KID" <<'PY'
import base64, json, sys
n_hex, e_dec, kid = sys.argv[1:4]
def b64u(i):
    raw = i.to_bytes((i.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
print(json.dumps({"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
                            "n": b64u(int(n_hex, 16)), "e": b64u(int(e_dec))}]}))
PY

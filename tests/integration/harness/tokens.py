"""Forging and reading JWTs with an independent library (python3-jwcrypto)."""
import json
import time
import uuid

from jwcrypto import jwk, jws, jwt


def load_key(path):
    with open(path, "rb") as f:
        return jwk.JWK.from_pem(f.read())


def forge(key, claims=None, kid="k1", alg="ES256", typ="at+jwt", **overrides):
    """A token signed by `key` with sane defaults, overridable claim by claim."""
    now = int(time.time())
    body = {"iss": None, "sub": "alice", "aud": None, "exp": now + 300, "iat": now,
            "jti": uuid.uuid4().hex, "client_id": "forged-client", "scope": "photos"}
    body.update(claims or {})
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    header = {"alg": alg}
    if kid is not None:
        header["kid"] = kid
    if typ is not None:
        header["typ"] = typ
    t = jwt.JWT(header=header, claims=body)
    t.make_signed_token(key)
    return t.serialize()


def unsigned(claims, kid="k1"):
    """alg none: header.payload. with an empty signature."""
    import base64

    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return b64({"alg": "none", "kid": kid, "typ": "at+jwt"}) + "." + b64(claims) + "."


def hs256_with_public_key(pub_pem_bytes, claims, kid="k1"):
    """The classic key-confusion attack: HMAC keyed with the public key PEM."""
    key = jwk.JWK(kty="oct", k=jwk.base64url_encode(pub_pem_bytes))
    t = jwt.JWT(header={"alg": "HS256", "kid": kid, "typ": "at+jwt"}, claims=claims)
    t.make_signed_token(key)
    return t.serialize()


def decode(token, jwks_json):
    """Verifies with the published JWKS and returns (header, claims)."""
    keyset = jwk.JWKSet.from_json(jwks_json)
    s = jws.JWS()
    s.deserialize(token)
    key = keyset.get_key(s.jose_header["kid"])
    assert key is not None, "kid not in the JWKS"
    s.verify(key)
    return s.jose_header, json.loads(s.payload)

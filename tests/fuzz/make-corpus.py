#!/usr/bin/python3
# Licensed under the Apache License, Version 2.0 (see LICENSE).
# make-corpus.py: writes the seed inputs (seed-*) of tests/fuzz/corpus/<t>/
# from RFC examples and the unit tests' vectors. Other files there are
# inputs the fuzzers found (kept with -merge=1) and are left alone.
# Needs python3-cryptography (signing with the published RFC example keys).
# Run it after changing a seed; check in what it writes.
import base64
import hashlib
import hmac
import json
import os
import re
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import \
    Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import \
    decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
SAML = os.path.join(TOP, "tests", "unit", "saml")


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def dumps(o):
    return json.dumps(o, separators=(",", ":"))


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def fields(*parts):
    return b"\0".join(p.encode() if isinstance(p, str) else p for p in parts)


# ---- keys: published examples only (RFC 7515 A.2/A.3, RFC 8037 A.1) ------
def pem_text(name):
    src = open(os.path.join(TOP, "tests", "unit", "test_oa2_jose.c")).read()
    m = re.search(r"static const char %s\[\] =\n(.*?);\n" % name, src, re.S)
    return "".join(s + "\n" for s in re.findall(r'"(.*?)\\n"', m.group(1)))


RSA_PEM = pem_text("A2_PRIVATE_PEM")
RSA_PUB_PEM = pem_text("A2_PUBLIC_PEM")
RSA = serialization.load_pem_private_key(RSA_PEM.encode(), None)
EC_D = int.from_bytes(unb64u("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"),
                      "big")
EC = ec.derive_private_key(EC_D, ec.SECP256R1())
ED = Ed25519PrivateKey.from_private_bytes(
    unb64u("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))


def sign(alg, header, payload):
    """A compact JWS; header and payload are dicts or raw strings."""
    h = header if isinstance(header, str) else json.dumps(header, separators=(",", ":"))
    pl = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    inp = (b64u(h.encode()) + "." + b64u(pl.encode())).encode()
    if alg == "RS256":
        sig = RSA.sign(inp, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "PS256":
        sig = RSA.sign(inp, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                       hashes.SHA256())
    elif alg == "ES256":
        r, s = decode_dss_signature(EC.sign(inp, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = ED.sign(inp)
    return inp.decode() + "." + b64u(sig)


# ---- jws ------------------------------------------------------------------
RFC7515_PAYLOAD = ("eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6"
                   "Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ")
write("jws", "rfc7515-a1-hs256",
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + RFC7515_PAYLOAD +
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
write("jws", "rfc7515-a2-rs256",
      "eyJhbGciOiJSUzI1NiJ9." + RFC7515_PAYLOAD + "." + b64u(RSA.sign(
          ("eyJhbGciOiJSUzI1NiJ9." + RFC7515_PAYLOAD).encode(),
          padding.PKCS1v15(), hashes.SHA256())))
write("jws", "rfc7515-a3-es256",
      "eyJhbGciOiJFUzI1NiJ9." + RFC7515_PAYLOAD + ".DtEhU3ljbEg8L38VWAfUAq"
      "OyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")
write("jws", "rfc7515-a5-none", "eyJhbGciOiJub25lIn0." + RFC7515_PAYLOAD + ".")
write("jws", "rfc8037-a4-eddsa-not-json",
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_"
      "MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sV"
      "vpAr_MuM0KAg")

AT = {"iss": "https://as.example.com", "sub": "alice",
      "aud": ["https://rs.example.com"], "client_id": "c1",
      "scope": "read write", "iat": 1700000000, "nbf": 1700000000,
      "exp": 1700000600, "jti": "7f3a"}


def at(**kw):
    d = dict(AT)
    for k, v in kw.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


ED_AT = {"alg": "EdDSA", "kid": "ed", "typ": "at+jwt"}
write("jws", "at-eddsa", sign("EdDSA", ED_AT, at()))
write("jws", "at-es256-app-typ-aud-string",
      sign("ES256", {"alg": "ES256", "typ": "application/at+jwt"},
           at(aud="api")))
write("jws", "at-rs256-kid", sign("RS256", {"alg": "RS256", "kid": "2010-12-29",
                                            "typ": "at+jwt"}, at()))
write("jws", "at-ps256-kid", sign("PS256", {"alg": "PS256", "kid": "2010-12-29",
                                            "typ": "at+jwt"}, at()))
write("jws", "at-expired", sign("EdDSA", ED_AT, at(exp=1699999000)))
write("jws", "at-exp-float", sign("EdDSA", ED_AT, '{"iss":"https://as.exampl'
      'e.com","aud":"api","exp":1700000600.5}'))
write("jws", "at-exp-huge", sign("EdDSA", ED_AT, '{"iss":"https://as.example'
      '.com","aud":"api","exp":18446744073709551615,"nbf":-922337203685477'
      '5808,"iat":9223372036854775807}'))
write("jws", "at-nbf-future", sign("EdDSA", ED_AT, at(nbf=1800000000)))
write("jws", "at-too-long", sign("EdDSA", ED_AT, at(exp=1900000000)))
write("jws", "at-no-exp", sign("EdDSA", ED_AT, at(exp=None)))
write("jws", "at-aud-mixed", sign("EdDSA", ED_AT,
                                  at(aud=[1, None, {"a": 1}, "api"])))
write("jws", "at-wrong-typ", sign("EdDSA", {"alg": "EdDSA", "kid": "ed",
                                            "typ": "JWT"}, at()))
write("jws", "crit", sign("EdDSA", {"alg": "EdDSA", "crit": ["exp"],
                                    "exp": 1}, at()))
write("jws", "kid-not-string", sign("EdDSA", {"alg": "EdDSA", "kid": 7},
                                    at()))
write("jws", "kid-unknown", sign("ES256", {"alg": "ES256", "kid": "nope"},
                                 at()))
write("jws", "alg-key-mismatch", sign("EdDSA", {"alg": "ES256", "kid": "ed"},
                                      at()))

# the same as header NUL payload NUL signature, encoded by the harness
write("jws", "raw-at", fields(dumps(ED_AT), dumps(at()), b"\1" * 64))
write("jws", "raw-rfc7515", fields('{"typ":"JWT",\r\n "alg":"RS256"}',
                                   '{"iss":"joe",\r\n "exp":1300819380,\r\n'
                                   ' "http://example.com/is_root":true}',
                                   b"\0" * 256))
write("jws", "raw-claims", fields(
    '{"alg":"ES256","typ":"Application/AT+JWT","kid":"x"}',
    '{"iss":"https://as.example.com","aud":["x","api"],"exp":1700000600,'
    '"nbf":1699999990,"iat":-1}', b"\xff" * 64))

# ---- jwks -----------------------------------------------------------------
A2_N = ("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp"
        "-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOW"
        "vG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUs"
        "LA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9k"
        "G4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2"
        "PAcDTW9gb54h4FRWyuXpoQ")
RSA_JWK = {"kty": "RSA", "kid": "2010-12-29", "e": "AQAB", "n": A2_N}
EC_JWK = {"kty": "EC", "crv": "P-256",
          "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
ED_JWK = {"kty": "OKP", "crv": "Ed25519", "kid": "ed",
          "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
# RFC 7517 A.1 and the RFC 7638 §3.1 example key
RFC7517_A1 = ('{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526'
              'iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlb'
              'bM4IFyM","use":"enc","kid":"1"},{"kty":"RSA","n":"0vx7agoebGcQS'
              'uuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxu'
              'hDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBX'
              'Arwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJ'
              'ZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4v'
              'MQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU'
              '8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}]}')


write("jwks", "three-keys", dumps({"keys": [RSA_JWK, EC_JWK, ED_JWK]}))
write("jwks", "rfc7517-a1", RFC7517_A1)
write("jwks", "one-jwk-ec", dumps(EC_JWK))
write("jwks", "one-jwk-okp-alg", dumps(dict(ED_JWK, alg="EdDSA", use="sig")))
write("jwks", "rsa-ps256-only", dumps({"keys": [dict(RSA_JWK, alg="PS256")]}))
write("jwks", "alg-mismatch", dumps({"keys": [dict(EC_JWK, alg="RS256")]}))
write("jwks", "not-on-curve", dumps({"keys": [dict(EC_JWK, y=EC_JWK["x"])]}))
write("jwks", "rsa-small-e-short-n",
      dumps({"keys": [{"kty": "RSA", "e": "AQ", "n": b64u(b"\xff" * 64)},
                      {"kty": "RSA", "e": "AAAAAAAAAAM", "n": "AA" + A2_N},
                      {"kty": "OKP", "crv": "X25519", "x": ED_JWK["x"]},
                      {"kty": "oct", "k": "AAAA"}, "x", 1, None]}))
write("jwks", "empty-keys", '{"keys":[]}')
write("jwks", "pem-public", RSA_PUB_PEM)
write("jwks", "pem-private", RSA_PEM)
write("jwks", "pem-cert-ec", open(os.path.join(SAML, "test-only-idp-ec.crt")).read())
write("jwks", "pem-ec-private", EC.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption()))
write("jwks", "pem-p384-public", ec.generate_private_key(ec.SECP384R1())
      .public_key().public_bytes(serialization.Encoding.PEM,
                                 serialization.PublicFormat.SubjectPublicKeyInfo))
write("jwks", "pem-rsa1024-cert", open(os.path.join(
    SAML, "test-only-weak-rsa1024.crt")).read())
# an RSA modulus past RSA_MAX_BITS (not a real key: only its size matters)
write("jwks", "pem-rsa-too-large", rsa.RSAPublicNumbers(
    65537, (1 << 16392) - 1).public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo))
write("jwks", "pem-ed25519-public", ED.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

# ---- json: RFC 7591 registration bodies and plain JSON ---------------------
CB = "https://app.example/cb"
write("json", "rfc7591-3.1", '''{
 "redirect_uris":[
   "https://client.example.org/callback",
   "https://client.example.org/callback2"],
 "client_name":"My Example Client",
 "client_name#ja-Jpan-JP":
    "\\u30AF\\u30E9\\u30A4\\u30A2\\u30F3\\u30C8\\u540D",
 "token_endpoint_auth_method":"client_secret_basic",
 "logo_uri":"https://client.example.org/logo.png",
 "jwks_uri":"https://client.example.org/my_public_keys.jwks",
 "example_extension_parameter": "example_value"
}''')
write("json", "native-public-pkce", dumps({
    "redirect_uris": ["http://127.0.0.1/cb", "com.example.app:/oauth2redirect",
                      "http://[::1]:8080/cb"],
    "token_endpoint_auth_method": "none", "require_pkce": True,
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"], "scope": "openid profile offline_access",
    "client_name": "Caf\u00e9 & <Co>", "contacts": ["ops@app.example"]}))
write("json", "private-key-jwt", dumps({
    "grant_types": ["client_credentials",
                    "urn:ietf:params:oauth:grant-type:jwt-bearer"],
    "token_endpoint_auth_method": "private_key_jwt",
    "jwks": {"keys": [EC_JWK]}, "scope": "read write"}))
write("json", "implicit-token", dumps({
    "redirect_uris": [CB], "grant_types": ["implicit"],
    "response_types": ["token"], "token_endpoint_auth_method": "none",
    "client_uri": "https://app.example/", "logo_uri":
    "http://localhost/l.png"}))
write("json", "all-grants", dumps({
    "redirect_uris": [CB], "grant_types": [
        "authorization_code", "refresh_token", "client_credentials",
        "password", "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:saml2-bearer", "implicit"],
    "response_types": ["code", "token"],
    "token_endpoint_auth_method": "client_secret_post"}))
write("json", "nulls-and-unknowns", '{"redirect_uris":["%s"],"client_name":nu'
      'll,"scope":null,"software_id":"x","tos_uri":5,"jwks":null}' % CB)
write("json", "pkce-not-boolean", dumps({"redirect_uris": [CB],
                                         "require_pkce": "yes"}))
write("json", "bad-types", '{"redirect_uris":"%s","grant_types":[1],"respons'
      'e_types":[true],"require_pkce":"yes"}' % CB)
write("json", "bad-redirects", dumps({"redirect_uris": [
    "javascript:alert(1)", "https://c.example/cb#x", "http://10.0.0.1/cb",
    "myapp:/cb", "https://c.example/a b"]}))
write("json", "jwks-and-uri", dumps({
    "grant_types": ["client_credentials"], "jwks": {"keys": [ED_JWK]},
    "jwks_uri": "https://app.example/jwks"}))
write("json", "claims", '{"iss":"https://as.example","exp":1300819380,"ok":tr'
      'ue,"aud":["a","b"],"n":null,"d":1.5e3,"big":18446744073709551616}')
write("json", "scalars", ' \t[1,-7,1.5,true,false,"s\\u00e9\\\\u0000",{}]\r\n')
write("json", "depth-16", '{"a":' * 15 + '{}' + '}' * 15)
write("json", "escaped-nul", '{"a":"good\\u0000evil"}')
write("json", "surrogates", '["\\ud83d\\ude00","\\udc00","\xf0\x9f\x98\x80"]')

# ---- form: byte 0 picks the name to redact (0 access_token, 1 code, ...) --
def form(sel, body):
    return bytes([sel]) + (body.encode() if isinstance(body, str) else body)


write("form", "rfc6749-4.1.3-token", form(1,
      "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_u"
      "ri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb"))
write("form", "rfc6749-4.1.1-authorize", form(7,
      "response_type=code&client_id=s6BhdRkqt3&state=xyz&redirect_uri=https"
      "%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb&code_challenge=E9Melhoa2OwvFrEM"
      "TJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"))
write("form", "rfc6749-6-refresh", form(4,
      "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&scope="
      "read+write"))
write("form", "password-grant", form(3,
      "grant_type=password&username=johndoe&password=A3ddj3w%26x%3Dy&client"
      "_secret=s%2Bcr%C3%A9t"))
write("form", "rfc6750-request-line", form(0,
      "GET /resource?access_token=mF_9.B5f-4.1JqM&p=q HTTP/1.1"))
write("form", "query-fragment", form(0, "x=1&access_token=a#access_token=b&"
                                        "access_token"))
write("form", "empty-segments", form(5, "&a=1&&b=2&=x&c=x=y&d=%3D&e"))
write("form", "repeat-case", form(5, "a=1&A=2&%61=3"))
write("form", "bad-escapes", form(6, "token=%4g&x=%%41&y=%C3%28&z=%ED%A0%80"))
write("form", "65-params", form(0, "&".join("p%d=%d" % (i, i)
                                            for i in range(65))))
write("form", "nul-bytes", form(2, b"a=b\0c&client_secret=%00"))

# ---- basic: base64 credentials ----------------------------------------------
write("basic", "rfc6749-2.3.1", "czZCaGRSa3F0MzpnWDFmQmF0M2JW")
write("basic", "urlencoded", base64.b64encode(
    b"my%3Aclient:se%3Acret%2Bx+y%25").decode())
write("basic", "empty-secret", base64.b64encode(b"id:").decode())
write("basic", "utf8", base64.b64encode("caf\u00e9:p\u00e4ss:w".encode()).decode())
write("basic", "one-pad", base64.b64encode(b"id:pw").decode())
write("basic", "no-colon", base64.b64encode(b"nocolon").decode())
write("basic", "unpadded", "aWQ6cHc")
write("basic", "url-alphabet", "_-__")

# ---- pkce: method NUL challenge NUL verifier -------------------------------
V = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
C = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
write("pkce", "rfc7636-b-s256", fields("S256", C, V))
write("pkce", "plain", fields("plain", V, V))
write("pkce", "s256-wrong", fields("S256", C, V[:-1] + "l"))
write("pkce", "lowercase-method", fields("s256", C, V))
write("pkce", "128-chars", fields("plain", "A" * 128, "A" * 128))
write("pkce", "bad-charset", fields("S256", C, V.replace("-", "+") + "=~."))

# ---- scope: requested NUL granted ------------------------------------------
write("scope", "openid", fields("openid profile email", "email openid"))
write("scope", "spaces-dups", fields("  read    write read ", "read"))
write("scope", "odd-chars", fields("! # [ ] ~ a:b urn:x:y/z?q=1&r=2 {}",
                                   "urn:x:y/z?q=1&r=2 ~"))
write("scope", "bad-chars", fields('read "write" a\\b', "a\tb"))
write("scope", "alg-list", fields("ES256 RS256,PS256\tEdDSA", "HS256 none"))
write("scope", "grant-list", fields(
    "authorization_code refresh_token urn:ietf:params:oauth:grant-type:"
    "saml2-bearer", "implicit password"))
write("scope", "65-tokens", fields(" ".join("t%d" % i for i in range(65)),
                                   "t1"))

# ---- uri: requested NUL registered... --------------------------------------
write("uri", "exact", fields("https://client.example.com/cb",
                             "https://client.example.com/cb"))
write("uri", "loopback-port", fields("http://127.0.0.1:51004/cb?x=1",
                                     "http://127.0.0.1/cb?x=1",
                                     "http://[::1]/cb"))
write("uri", "loopback-v6", fields("http://[::1]:8080/cb", "http://[::1]/cb"))
write("uri", "localhost-no-port-freedom", fields("http://localhost:8080/cb",
                                                 "http://localhost/cb"))
write("uri", "private-use", fields("com.example.app:/oauth2redirect",
                                   "com.example.app:/oauth2redirect/"))
write("uri", "hostile", fields("javascript:alert(1)", "JavaScript://x/%0aale"
                               "rt(1)", "data:text/html;base64,PHNjcmlwdD4=",
                               "file:///etc/passwd", "https://c.example/cb#",
                               "//c.example/cb", "https:///cb",
                               "http://127.0.0.1.evil.example/cb"))
write("uri", "too-long", fields("https://c.example/" + "a" * 2031,
                                "https://c.example/" + "a" * 2030))
write("uri", "bad-scheme", fields("com.ex_ample:/cb", "a$b.c:/cb"))
write("uri", "userinfo", fields("https://user:pw@c.example/cb",
                                "http://user@127.0.0.1:80/cb",
                                "http://127.0.0.1/cb"))

# ---- csrf: token NUL purpose NUL binding (fuzz_csrf.c's key and time) ------
CSRF_KEY = b"fuzz-csrf-key-0123456789abcdef!\0"
PURPOSE = "consent"
BINDING = "alice\nclient-1\n/authorize?x=1"
NOW = 1700000000


def csrf(purpose, binding, expiry, nonce=bytes(range(16))):
    body = nonce + struct.pack(">q", expiry)
    mac = hmac.new(CSRF_KEY, purpose.encode() + b"\0" + binding.encode() +
                   b"\0" + body, hashlib.sha256).digest()
    return b64u(body) + "." + b64u(mac)


write("csrf", "valid", csrf(PURPOSE, BINDING, NOW + 300))
write("csrf", "expired", csrf(PURPOSE, BINDING, NOW - 1))
write("csrf", "other-purpose", fields(csrf("logout", "bob", NOW + 60),
                                      "logout", "bob"))
write("csrf", "wrong-binding", fields(csrf(PURPOSE, BINDING, NOW + 60),
                                      PURPOSE, "mallory"))
write("csrf", "negative-expiry", csrf(PURPOSE, BINDING, -1))
write("csrf", "truncated", csrf(PURPOSE, BINDING, NOW + 300)[:-5])

# ---- tmpl: template NUL values for the consent names in order --------------
src = open(os.path.join(TOP, "mod_oauth2_as", "as_html.c")).read()
m = re.search(r"static const char consent_default\[\] =\n(.*?);\n", src, re.S)
consent = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
consent = consent.encode().decode("unicode_escape")
write("tmpl", "consent-default", fields(
    consent, "Caf\u00e9 & <Co>", '<img class="logo" src="x">',
    "<li>read</li>", "/authorize", '<input type="hidden" name="a" value="b">',
    "tok.en", "alice\"'", "/oauth2/style.css", "https://app.example/"))
write("tmpl", "small", fields("<p>{{client_name}}</p>{{{scopes}}}{{user}}",
                              "a&b<c>d\"e'f", "<li>x</li>"))
write("tmpl", "unknown-name", "a {{nope}} b {{ client_name }}")
write("tmpl", "unterminated", "hello {{{client_name}} there {{csrf")
write("tmpl", "braces", "{{{{client_name}}}}{{}}{{{}}}{}{{csrf}}}")

# ---- duration -------------------------------------------------------------
for name, s in (("plain", "90"), ("seconds", "90s"), ("minutes", "15m"),
                ("hours", "36h"), ("days", "14d"), ("zeros", "0015m"),
                ("max", "36500d"), ("over", "36501d"),
                ("overflow", "99999999999999999999"), ("fraction", "1.5h"),
                ("sign", "-1"), ("unit-twice", "1ms")):
    write("duration", name, s)

# ---- saml: the signed fixtures, and templates the harness signs -----------
for f in ("valid", "valid-ec", "scd-notbefore", "no-bearer", "ref-inner",
          "sha1-digest", "time-offset", "unknown-condition",
          "untrusted-issuer", "wrong-key"):
    write("saml", "fixture-" + f, open(os.path.join(SAML, f + ".xml"),
                                       "rb").read())

TPL = open(os.path.join(SAML, "assertion.xml.in")).read()
TPL = re.sub(r"<!-- TEST ONLY.*?-->\n", "", TPL)
SCD = ('NotOnOrAfter="2030-01-01T00:05:00Z" '
       'Recipient="https://as.example.org/token"')


def template(issuer="https://idp.example.org",
             sigalg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
             digalg="http://www.w3.org/2001/04/xmlenc#sha256",
             refuri="#_a75adf55-01d7-40cc-929f-dbd8372ebdfc",
             method="urn:oasis:names:tc:SAML:2.0:cm:bearer", scd=SCD,
             condition="", advice="", edit=None):
    t = (TPL.replace("@ISSUER@", issuer).replace("@SIGALG@", sigalg)
         .replace("@DIGALG@", digalg).replace("@REFURI@", refuri)
         .replace("@METHOD@", method).replace("@SCDATTRS@", scd)
         .replace("@CONDITION@", condition).replace("@ADVICE@", advice))
    if edit:
        t = edit(t)
    return t


write("saml", "tpl-valid", template())
write("saml", "tpl-rsa-sha512", template(
    sigalg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    digalg="http://www.w3.org/2001/04/xmlenc#sha512"))
write("saml", "tpl-times", template(
    scd='NotBefore="2030-01-01T00:00:30.123Z" NotOnOrAfter="2030-01-01T00:'
        '30:00Z" Recipient="https://as.example.org/token"',
    edit=lambda t: t.replace('NotBefore="2029-12-31T23:59:00Z"',
                             'NotBefore="2028-02-29T23:59:59Z"')))
write("saml", "tpl-bad-time", template(
    scd='NotOnOrAfter="2030-02-30T24:00:00+01:00" Recipient="https://as.'
        'example.org/token"'))
write("saml", "tpl-conditions", template(condition='''
    <saml:OneTimeUse/>
    <saml:ProxyRestriction Count="0"/>
    <saml:AudienceRestriction>
      <saml:Audience>urn:other</saml:Audience>
      <saml:Audience>https://as.example.org/token</saml:Audience>
    </saml:AudienceRestriction>'''))
write("saml", "tpl-two-confirmations", template(
    edit=lambda t: t.replace("</saml:Subject>", '''  <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData NotOnOrAfter="2030-01-01T00:20:00Z" Recipient="https://as.example.org/token"/>
    </saml:SubjectConfirmation>
  </saml:Subject>''')))
write("saml", "tpl-nameid-comment", template(
    edit=lambda t: t.replace(">alice@example.com<",
                             "><![CDATA[al]]>ice<!---->@example.com<")))
write("saml", "tpl-no-conditions", template(
    edit=lambda t: re.sub(r"<saml:Conditions.*?</saml:Conditions>", "", t,
                          flags=re.S)))
write("saml", "tpl-dup-id", template(advice='''
  <saml:Advice><x:y xmlns:x="urn:x" Id="_a75adf55-01d7-40cc-929f-dbd8372ebdfc"/></saml:Advice>'''))
write("saml", "tpl-issuer-format", template(edit=lambda t: t.replace(
    "<saml:Issuer>", '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:'
    'nameid-format:entity">')))
write("saml", "tpl-issuer-format-bad", template(edit=lambda t: t.replace(
    "<saml:Issuer>", '<saml:Issuer Format="urn:oasis:names:tc:SAML:1.1:'
    'nameid-format:emailAddress">')))
write("saml", "tpl-no-subject", template(
    edit=lambda t: re.sub(r"<saml:Subject>.*?</saml:Subject>", "", t,
                          flags=re.S)))
write("saml", "tpl-two-signatures", template(
    edit=lambda t: t.replace("<saml:Subject>", re.search(
        r"<ds:Signature .*?</ds:Signature>", t, re.S).group(0) +
        "\n  <saml:Subject>")))
write("saml", "dtd", '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "x">]>\n'
      '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
      'ID="_a" Version="2.0">&e;</saml:Assertion>')
# ---- claims: digest texts (oa2_claims_text) and JSON objects to digest ------
def claims_text(claims):
    """oa2_claims_text of a digest, for claims of strings, integers and
    arrays of strings only (whose rendering is easy to predict here)."""
    def field(v):
        if v is None:
            return "-"
        v = str(v)
        return "%d:%s," % (len(v.encode()), v)

    def render(v):
        return " ".join(v) if isinstance(v, list) else str(v)
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else [
        a for a in (aud or []) if isinstance(a, str)]
    user = claims.get("sub", claims.get("client_id"))
    out = "c1" + field(claims.get("iss")) + field(user) + \
        field(claims.get("scope"))
    for t in ("exp", "nbf", "iat"):
        out += field(claims.get(t))
    out += field(len(auds)) + "".join(field(a) for a in auds)
    out += field(len(claims)) + "".join(
        field(k) + field(render(v)) for k, v in claims.items())
    return out + field(json.dumps(claims, separators=(",", ":"),
                                  ensure_ascii=False))


AT = {"iss": "https://as.example.test", "sub": "alice", "aud": "api",
      "exp": 1900000000, "iat": 1700000000, "scope": "read write",
      "client_id": "B30SVdXvFJWSlvSqDLGYcg", "jti": "j1"}
write("claims", "text-typical", claims_text(AT))
write("claims", "text-empty", claims_text({}))
write("claims", "text-aud-array", claims_text(
    {"aud": ["a", "b,c", "1:x,"], "sub": "-", "nbf": -5, "roles": ["r1", "r2"]}))
write("claims", "text-unicode", claims_text({"sub": "\u00e9t\u00e9 \u2603"}))
write("claims", "json-typical", dumps(AT))
write("claims", "json-mixed", dumps(
    {"aud": ["api", 7], "scp": ["a", "b c", "d"], "exp": 1.5, "x": None}))
write("claims", "json-nested", dumps(
    {"act": {"sub": "svc"}, "cnf": {"jkt": "abc"}, "admin": True,
     "nbf": 1700000000, "iat": 2000000000, "line": "a\nb\u007f",
     "bad\tname": [1, "two", {"3": 4}]}))
print("corpus written to", CORPUS)

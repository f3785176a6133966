#!/usr/bin/python3
"""Keys and JWT access tokens for the resource-server cases of bench/run.

Adapted from ../shared/peers/mod_oauth2/gen_tokens.py (same claims, kids and
file names), but signs in-process with python3-cryptography (a dependency of
python3-jwcrypto, installed by tools/deps) instead of one openssl process per
token, so that tens of thousands of tokens take seconds.

Usage: gen_tokens.py OUTDIR [--hot N] [--pool N] [--rounds N]

Writes into OUTDIR:
  rsa.pem rsa_pub.pem        RSA-2048 key pair (PKCS#8 / SPKI PEM), kid rs1
  ec.pem  ec_pub.pem         EC P-256 key pair, kid ec1
  rsa.jwk.json ec.jwk.json   the public keys as one-line JWKs (mod_oauth2 config)
  jwks.json                  {"keys": [rsa, ec]}
  {rs,es}256.tok             one good token (the "same token reused" cases)
  {rs,es}256_hot.txt         --hot distinct good tokens (the "rotating" cases)
  {rs,es}256_new_rN.txt      --pool distinct good tokens for round N = 1..--rounds
                             (the "all new" cases: each file is sent once)
  {rs,es}256_noscope.tok     valid signature, scope "write" only (expect 403)
  {rs,es}256_badsig.tok      one signature bit flipped (expect 401)
  wrongiss.tok               ES256, iss of another issuer (expect 401)

Every good token: header {"alg", "typ": "at+jwt", "kid"}, claims iss, sub,
aud, exp (2100-01-01), iat (now - 60), scope "read write", client_id, jti.
"""
import argparse
import base64
import json
import multiprocessing
import os
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ISS = "https://as.example.test"
AUD = "https://rs.example.test"
EXP = 4102444800  # 2100-01-01T00:00:00Z


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def ib(n: int, size=None) -> bytes:
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def load(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def sign(alg, key, data: bytes) -> bytes:
    if alg == "RS256":
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return ib(r, 32) + ib(s, 32)


def make_jwt(alg, key, kid, claims):
    hdr = {"alg": alg, "typ": "at+jwt", "kid": kid}
    si = (b64u(json.dumps(hdr, separators=(",", ":")).encode()) + "." +
          b64u(json.dumps(claims, separators=(",", ":")).encode()))
    return si + "." + b64u(sign(alg, key, si.encode()))


def claims(i, tag, **over):
    c = {"iss": ISS, "sub": "user-%d" % i, "aud": AUD, "exp": EXP,
         "iat": int(time.time()) - 60, "scope": "read write",
         "client_id": "bench-client", "jti": "%s-%d-%s" % (tag, i, os.urandom(6).hex())}
    c.update(over)
    return c


_KEYS = {}


def _worker_init(outdir):
    _KEYS["RS256"] = (load(os.path.join(outdir, "rsa.pem")), "rs1")
    _KEYS["ES256"] = (load(os.path.join(outdir, "ec.pem")), "ec1")


def _batch(args):
    alg, tag, start, n = args
    key, kid = _KEYS[alg]
    return [make_jwt(alg, key, kid, claims(i, tag)) for i in range(start, start + n)]


def pool_tokens(pool, alg, tag, n):
    step = 500
    jobs = [(alg, tag, s, min(step, n - s)) for s in range(0, n, step)]
    out = []
    for part in pool.map(_batch, jobs):
        out.extend(part)
    assert len(set(out)) == n
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--hot", type=int, default=1000)
    ap.add_argument("--pool", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    out = a.outdir
    os.makedirs(out, exist_ok=True)
    p = lambda f: os.path.join(out, f)

    rk = rsa.generate_private_key(65537, 2048)
    ek = ec.generate_private_key(ec.SECP256R1())
    for name, k in (("rsa", rk), ("ec", ek)):
        with open(p(name + ".pem"), "wb") as f:
            f.write(k.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
        with open(p(name + "_pub.pem"), "wb") as f:
            f.write(k.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo))
    rn = rk.public_key().public_numbers()
    en = ek.public_key().public_numbers()
    rj = {"kty": "RSA", "kid": "rs1", "use": "sig", "alg": "RS256",
          "n": b64u(ib(rn.n)), "e": b64u(ib(rn.e))}
    ej = {"kty": "EC", "kid": "ec1", "use": "sig", "alg": "ES256", "crv": "P-256",
          "x": b64u(ib(en.x, 32)), "y": b64u(ib(en.y, 32))}
    for name, obj in (("rsa.jwk.json", rj), ("ec.jwk.json", ej),
                      ("jwks.json", {"keys": [rj, ej]})):
        with open(p(name), "w") as f:
            f.write(json.dumps(obj, separators=(",", ":")) + "\n")

    def w(name, toks):
        with open(p(name), "w") as f:
            f.write("\n".join(toks) + "\n")

    keys = {"RS256": (rk, "rs1"), "ES256": (ek, "ec1")}
    for alg in ("RS256", "ES256"):
        k, kid = keys[alg]
        low = alg.lower()
        w(low + ".tok", [make_jwt(alg, k, kid, claims(0, "same"))])
        w(low + "_noscope.tok", [make_jwt(alg, k, kid, claims(1, "neg", scope="write"))])
        good = make_jwt(alg, k, kid, claims(2, "neg"))
        h, pl, sg = good.split(".")
        raw = bytearray(base64.urlsafe_b64decode(sg + "=" * (-len(sg) % 4)))
        raw[len(raw) // 2] ^= 0x01
        w(low + "_badsig.tok", [h + "." + pl + "." + b64u(bytes(raw))])
    w("wrongiss.tok", [make_jwt("ES256", ek, "ec1", claims(3, "neg", iss="https://evil.example.test"))])

    t0 = time.time()
    with multiprocessing.Pool(max(1, min(2, os.cpu_count() or 1)), _worker_init, (out,)) as pool:
        for alg in ("RS256", "ES256"):
            low = alg.lower()
            w(low + "_hot.txt", pool_tokens(pool, alg, "hot", a.hot))
            for r in range(1, a.rounds + 1):
                w("%s_new_r%d.txt" % (low, r), pool_tokens(pool, alg, "new%d" % r, a.pool))
    print("gen_tokens: keys, %d hot and %d x %d new tokens per algorithm in %s (%.1f s)"
          % (a.hot, a.rounds, a.pool, out, time.time() - t0))


if __name__ == "__main__":
    main()

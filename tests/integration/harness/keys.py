"""Keys and secrets for the tests, made once per session with the openssl CLI."""
import os
import subprocess

from . import env


def _openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, capture_output=True)


class Keys:
    def __init__(self):
        self.dir = os.path.join(env.GEN, "keys")

    def path(self, name):
        return os.path.join(self.dir, name)

    def create(self):
        os.makedirs(self.dir, exist_ok=True)
        p = self.path
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", p("es256.pem"))
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", p("other-es256.pem"))
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", p("rs256.pem"))
        _openssl("genpkey", "-algorithm", "ED25519", "-out", p("ed25519.pem"))
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
                 "-out", p("weak-rsa1024.pem"))
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
                 "-out", p("p384.pem"))
        for name in ("es256", "rs256", "ed25519", "other-es256"):
            _openssl("pkey", "-in", p(name + ".pem"), "-pubout", "-out", p(name + ".pub.pem"))
        for name in ("saml-idp", "saml-untrusted", "saml-old"):
            _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                     "-keyout", p(name + ".key"), "-out", p(name + ".crt"),
                     "-subj", "/CN=test " + name)
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", p("client-es256.pem"))
        with open(p("secret"), "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        with open(p("short-secret"), "w") as f:
            f.write("too-short\n")
        with open(p("encrypted.pem"), "wb") as f:
            f.write(subprocess.run(
                ["openssl", "pkey", "-in", p("es256.pem"), "-aes256", "-passout", "pass:x"],
                check=True, capture_output=True).stdout)
        with open(p("garbage.pem"), "w") as f:
            f.write("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
        subprocess.run(["htpasswd", "-cbB", p("htpasswd"), "admin", "admin-pw"],
                       check=True, capture_output=True)
        subprocess.run(["htpasswd", "-bB", p("htpasswd"), "alice", "alice-pw"],
                       check=True, capture_output=True)
        for f in os.listdir(self.dir):
            os.chmod(os.path.join(self.dir, f), 0o644)

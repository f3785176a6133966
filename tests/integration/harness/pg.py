"""A private PostgreSQL cluster in gen/pg on a free port (initdb/pg_ctl as user postgres)."""
import os
import pwd
import shutil
import subprocess
import time

from . import env


def _as_postgres(args, **kw):
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--"] + args
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


class PgCluster:
    def __init__(self, name="pg"):
        self.dir = os.path.join(env.GEN, name)
        self.port = env.free_port()
        self.db = "oauth2"
        self.user = "oauth2"

    @property
    def dbd_params(self):
        return f"host=127.0.0.1 port={self.port} dbname={self.db} user={self.user}"

    def start(self):
        if os.path.exists(self.dir):
            self.stop(quiet=True)
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        _as_postgres([os.path.join(env.PG_BIN, "initdb"), "-D", self.dir, "-A", "trust",
                      "-U", "postgres", "--no-sync"])
        with open(os.path.join(self.dir, "postgresql.conf"), "a") as f:
            f.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                    f"unix_socket_directories = '{self.dir}'\nfsync = off\n"
                    "synchronous_commit = off\nmax_connections = 200\n")
        self.pg_ctl("start", "-w", "-l", os.path.join(self.dir, "server.log"))
        self.psql("CREATE ROLE oauth2 LOGIN", db="postgres")
        self.psql("CREATE DATABASE oauth2 OWNER oauth2", db="postgres")

    def pg_ctl(self, *args):
        _as_postgres([os.path.join(env.PG_BIN, "pg_ctl"), "-D", self.dir] + list(args))

    def stop(self, quiet=False):
        try:
            self.pg_ctl("stop", "-m", "fast", "-w")
        except subprocess.CalledProcessError:
            if not quiet:
                raise

    def restart(self):
        self.pg_ctl("start", "-w", "-l", os.path.join(self.dir, "server.log"))

    def psql(self, sql, db=None, user="postgres"):
        """Runs SQL and returns rows as lists of strings."""
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", user,
                              "-d", db or self.db, "-X", "-A", "-t", "-F", "\t",
                              "-v", "ON_ERROR_STOP=1", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def tables(self):
        return [r[0] for r in self.psql(
            "SELECT tablename FROM pg_tables WHERE schemaname='public'")]

    def clean(self):
        """Empties every table but the schema version between tests."""
        names = [t for t in self.tables() if t != "oauth2_schema_version"]
        if names:
            self.psql("TRUNCATE " + ", ".join(names) + " CASCADE")

    def wait_ready(self, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            try:
                self.psql("SELECT 1")
                return True
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        return False

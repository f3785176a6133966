"""A real httpd (Debian's apache2) with the freshly built modules, in gen/httpd.

Like httpd's own test/pyhttpd: httpd.conf comes from a ${var} template, each
test writes test.conf, the server is started with -k start and stopped with
a separate stop.conf (so a broken test.conf can still be stopped), and the
error log is an oracle: warnings and errors must be expected by tag.
"""
import os
import re
import shutil
import signal
import string
import subprocess
import time

import requests

from . import env

LOG_LINE = re.compile(r"^\[[^\]]+\] \[(?P<module>[^:\]]+):(?P<level>\w+)\]")
LOG_TAG = re.compile(r"\b(AH\d{5}|OA\d{5}):")
BAD_LEVELS = {"warn", "error", "crit", "alert", "emerg"}


def render(template_name, **values):
    with open(os.path.join(env.CONF_DIR, template_name)) as f:
        return string.Template(f.read()).substitute(values)


class Httpd:
    def __init__(self, pg, keys, name="httpd"):
        self.root = os.path.join(env.GEN, name)
        self.pg = pg
        self.keys = keys
        self.port = env.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.error_log = os.path.join(self.root, "logs", "error.log")
        self.access_log = os.path.join(self.root, "logs", "access.log")
        self.pid_file = os.path.join(self.root, "logs", "httpd.pid")
        self._log_pos = 0
        self._expected = set()

    # ---- configuration -------------------------------------------------
    @property
    def values(self):
        return dict(server_root=self.root, port=self.port, modules=env.MODULES,
                    mod_as=env.module_path("mod_oauth2_as"),
                    mod_rs=env.module_path("mod_oauth2_rs"),
                    dbd_params=self.pg.dbd_params, keys=self.keys.dir,
                    issuer=self.url, url=self.url, top=env.TOP)

    def setup(self):
        if os.path.isdir(self.root):
            self.stop()
            shutil.rmtree(self.root)
        for d in ("logs", "htdocs/flickr", "htdocs/api", "htdocs/open", "htdocs/aud", "htdocs/introspected", "htdocs/introspected-cached",
                  "cgi-bin"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        with open(os.path.join(self.root, "htdocs/flickr/photos"), "w") as f:
            f.write('{"photos": ["beach.jpg", "mountain.jpg"]}\n')
        for d in ("api", "open", "aud", "introspected", "introspected-cached"):
            with open(os.path.join(self.root, "htdocs", d, "index.json"), "w") as f:
                f.write('{"ok": true}\n')
        echo = os.path.join(self.root, "cgi-bin", "echo")
        with open(echo, "w") as f:
            f.write("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\n"
                    "printf 'REMOTE_USER=%s\\nAUTH_TYPE=%s\\n' \"$REMOTE_USER\" \"$AUTH_TYPE\"\n"
                    "env | grep -E '^(OAUTH2_|HTTP_OAUTH2_CLAIM)' | sort\n")
        os.chmod(echo, 0o755)
        os.chmod(self.root, 0o755)
        self.write("httpd.conf", render("httpd.conf.template", **self.values))
        self.write("stop.conf", render("stop.conf.template", **self.values))
        self.write_test_conf(self.default_test_conf())

    def default_test_conf(self):
        return render("as_rs.conf.template", **self.values)

    def write(self, name, text):
        with open(os.path.join(self.root, name), "w") as f:
            f.write(text)

    def write_test_conf(self, text):
        self.write("test.conf", text)

    # ---- control -------------------------------------------------------
    def apachectl(self, conf, *args):
        environ = dict(os.environ)
        if env.LD_PRELOAD:
            # sanitizer builds: the runtime must be loaded before the modules
            environ["LD_PRELOAD"] = env.LD_PRELOAD
        return subprocess.run([env.APACHE2, "-d", self.root, "-f",
                               os.path.join(self.root, conf)] + list(args),
                              capture_output=True, text=True, env=environ)

    def config_test(self):
        """apache2 -t: returns (exit code, output)."""
        p = self.apachectl("httpd.conf", "-t")
        return p.returncode, p.stdout + p.stderr

    def start(self, expect_fail=False):
        self.mark_log()
        p = self.apachectl("httpd.conf", "-k", "start")
        if p.returncode != 0:
            if expect_fail:
                return p.returncode, p.stdout + p.stderr
            raise RuntimeError(f"httpd did not start: {p.stdout}{p.stderr}{self.recent_log()}")
        if not self.wait_live(expect_fail):
            if expect_fail:
                return 1, self.recent_log()
            raise RuntimeError("httpd is not answering:\n" + self.recent_log())
        return 0, ""

    def wait_live(self, expect_fail=False, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            try:
                requests.get(self.url + "/", timeout=1)
                return True
            except requests.RequestException:
                if expect_fail and not self.running():
                    return False
                time.sleep(0.1)
        return False

    def running(self):
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().strip())
            os.kill(pid, 0)
            return True
        except (OSError, ValueError):
            return False

    def stop(self):
        if not os.path.exists(os.path.join(self.root, "stop.conf")):
            return
        self.apachectl("stop.conf", "-k", "stop")
        end = time.time() + 10
        while self.running() and time.time() < end:
            time.sleep(0.1)
        if self.running():
            with open(self.pid_file) as f:
                os.kill(int(f.read().strip()), signal.SIGKILL)

    def restart(self, conf=None):
        """Stops, writes test.conf (when given) and starts again."""
        self.stop()
        if conf is not None:
            self.write_test_conf(conf)
        self.start()

    def graceful(self):
        self.apachectl("httpd.conf", "-k", "graceful")
        time.sleep(1)
        self.wait_live()

    # ---- the error log as an oracle ------------------------------------
    def mark_log(self):
        self._log_pos = os.path.getsize(self.error_log) if os.path.exists(self.error_log) else 0
        self._expected = set()

    def recent_log(self):
        if not os.path.exists(self.error_log):
            return ""
        with open(self.error_log, errors="replace") as f:
            f.seek(self._log_pos)
            return f.read()

    def expect_log(self, *tags):
        """Acknowledges warnings/errors carrying these tags (AH01631, OA10201, ...)."""
        self._expected.update(tags)

    def unexpected_log_lines(self):
        bad = []
        for line in self.recent_log().splitlines():
            if "exit signal" in line:           # a crashed child, at notice
                bad.append(line)
                continue
            m = LOG_LINE.match(line)
            if not m or m.group("level") not in BAD_LEVELS:
                continue
            tag = LOG_TAG.search(line)
            if tag and tag.group(1) in self._expected:
                continue
            bad.append(line)
        return bad

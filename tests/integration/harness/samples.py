"""Running the sample clients of samples/ as a user would: as separate
processes, configured only through environment variables."""
import os
import queue
import subprocess
import threading
import time

import requests

from . import env

SAMPLES = os.path.join(env.TOP, "samples")


def sample_path(rel):
    return os.path.join(SAMPLES, rel)


def command(rel):
    """sh for the .sh samples, Debian's python3 for the .py ones (stdlib only)."""
    path = sample_path(rel)
    return (["sh", path] if path.endswith(".sh") else ["/usr/bin/python3", "-u", path])


def sample_env(**values):
    """A clean environment: nothing from the caller's shell (a sourced
    run/samples.env, say) leaks into the sample; None values are left out."""
    e = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    e.update({k: str(v) for k, v in values.items() if v is not None})
    return e


def run(rel, timeout=60, **values):
    """Runs a sample to its end; returns (exit code, stdout + stderr)."""
    p = subprocess.run(command(rel), env=sample_env(**values), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    return p.returncode, p.stdout


class Background:
    """A sample running in the background whose output is read line by line."""

    def __init__(self, rel, **values):
        self.proc = subprocess.Popen(command(rel), env=sample_env(**values),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.output = []
        self._lines = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def text(self):
        return "".join(self.output)

    def wait_line(self, predicate, timeout=20):
        """The first output line for which predicate(line) is true."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                line = self._lines.get(timeout=max(0.1, end - time.time()))
            except queue.Empty:
                break
            if line is None:
                break
            if predicate(line):
                return line.strip()
        raise AssertionError("the sample did not print the expected line:\n" + self.text())

    def finish(self, timeout=30):
        """Waits for the exit; returns (exit code, all output)."""
        rc = self.proc.wait(timeout)
        self._reader.join(5)
        return rc, self.text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)


def wait_http(url, timeout=10):
    """Waits until something answers HTTP at url."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            requests.get(url, timeout=1)
            return True
        except requests.RequestException:
            time.sleep(0.1)
    return False

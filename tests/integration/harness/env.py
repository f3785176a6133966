"""Where things are: the source tree, the build, the generated server root."""
import os
import socket

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.path.abspath(os.environ.get("OA2_BUILD_DIR", os.path.join(TOP, "build")))
GEN = os.path.abspath(os.environ.get("OA2_GEN_DIR", os.path.join(TOP, "tests", "gen")))
CONF_DIR = os.path.join(TOP, "tests", "integration", "conf")
APACHE2 = os.environ.get("OA2_APACHE2", "/usr/sbin/apache2")
MODULES = os.environ.get("OA2_HTTPD_MODULES", "/usr/lib/apache2/modules")
PG_BIN = os.environ.get("OA2_PG_BIN", "/usr/lib/postgresql/15/bin")
LD_PRELOAD = os.environ.get("OA2_LD_PRELOAD", "")


def module_path(name):
    """The freshly built module .so (mod_oauth2_as / mod_oauth2_rs)."""
    return os.path.join(BUILD, name, ".libs", name + ".so")


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

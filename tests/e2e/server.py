"""The application in a real server for the browser: a fresh SQLite database, migrated, with demo data."""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# "  admin       beheer@delinde.example" and "  nl  code ABCD-EFGH-KMNP  Jan Jansen <jan@example.org>"
STAFF_LINE = re.compile(r"^\s{2}(?P<roles>[a-z_]+(?:, [a-z_]+)*)\s+(?P<email>\S+@\S+)\s*$")
TENANT_LINE = re.compile(r"^\s{2}(?P<lang>[a-z]{2})\s+code (?P<code>[A-Z0-9-]+)\s+(?P<name>.+?) <(?P<email>[^>]+)>\s*$")
PASSWORD_LINE = re.compile(r"password for all: (?P<password>[^)]+)\)")
# "  proxy holder   code E43A-3KTP-9FYA  Henk Jansen (votes for Joke de Vries)"
COUNCIL_LINE = re.compile(
    r"^\s{2}(?P<role>secretary|member|proxy holder)\s+code (?P<code>[A-Z0-9-]+)\s+(?P<name>.+?)"
    r"(?: \(votes for (?P<proxy_for>.+)\)| \((?P<council>.+)\))?\s*$"
)


@dataclass(frozen=True)
class DemoTenant:
    """A demo tenant with a working letter code, as `flask inspraak demo` printed it."""

    lang: str
    code: str
    name: str
    email: str


@dataclass(frozen=True)
class DemoCouncilMember:
    """A member of the demo tenant council with a working letter code; `proxy_for` is whom they vote for."""

    role: str
    code: str
    name: str
    proxy_for: str | None = None


@dataclass
class Demo:
    """How to sign in to the demo data: staff e-mail per role, the shared password, tenants per language."""

    password: str
    staff: dict[str, str] = field(default_factory=dict)  # role → email
    tenants: dict[str, DemoTenant] = field(default_factory=dict)  # preferred language → tenant
    council: dict[str, DemoCouncilMember] = field(default_factory=dict)  # secretary, member, proxy holder
    council_name: str = ""

    @classmethod
    def parse(cls, output: str) -> Demo:
        password = PASSWORD_LINE.search(output)
        if password is None:
            raise RuntimeError(f"`flask inspraak demo` printed no staff password:\n{output}")
        demo = cls(password=password["password"])
        for line in output.splitlines():
            if match := COUNCIL_LINE.match(line):
                demo.council[match["role"]] = DemoCouncilMember(match["role"], match["code"], match["name"],
                                                                match["proxy_for"])
                demo.council_name = match["council"] or demo.council_name
            elif match := TENANT_LINE.match(line):
                demo.tenants[match["lang"]] = DemoTenant(match["lang"], match["code"], match["name"], match["email"])
            elif match := STAFF_LINE.match(line):
                for role in match["roles"].split(", "):
                    demo.staff.setdefault(role, match["email"])
        if not demo.staff or not demo.tenants:
            raise RuntimeError(f"Could not read staff and tenants from `flask inspraak demo`:\n{output}")
        return demo


@dataclass
class Server:
    """A running inspraak at `url`, over the SQLite file `db_path`."""

    url: str
    db_path: Path
    demo: Demo
    log_path: Path
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(db_path: Path, url: str) -> dict[str, str]:
    """Production settings over a throw-away database; mail stays in the outbox (no worker runs)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "INSPRAAK_"))}
    env.update(
        FLASK_APP="inspraak",
        INSPRAAK_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{db_path}",
        BASE_URL=url,
        MAIL_BACKEND="console",
        # Every page of the suite comes from 127.0.0.1: the per-address limit would otherwise
        # count all journeys together. The per-account limit stays as configured.
        SIGNIN_LIMIT_PER_ADDRESS="1000 per 15 minutes",
        RATELIMIT_STORAGE_URI="memory://",  # one gunicorn worker (below): its memory is the only counter
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def start_server(workdir: Path) -> Server:
    """Migrate a fresh database, load the demo, and serve it with gunicorn on a free loopback port."""
    db_path = workdir / "e2e.db"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_environment(db_path, url)
    _run(["db", "upgrade"], env)
    demo = Demo.parse(_run(["inspraak", "demo"], env))
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--threads", "4",
                "--access-logfile", "-", "--error-logfile", "-",
                "inspraak:create_app()",
            ],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    server = Server(url=url, db_path=db_path, demo=demo, log_path=log_path, process=process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped at start:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"The server did not answer within 30 seconds:\n{server.log_tail()}")

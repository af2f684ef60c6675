"""The compose smoke test: build docker-compose.yml's images, start the stack, use it, stop it.

    python -m tests.deploy.smoke        (make compose-smoke; tests/deploy/test_compose_smoke.py)

Every image comes from Debian's packages (no image registry is reachable): the base made by
.ci/docker-base-image (cached, tagged with its recipe's hash), the app built FROM it, and
PostgreSQL and Redis run from it (docker-compose.smoke.yml). Steps, each timed:

 1. the base image (built once per recipe), the app's wheels (once per requirements.txt);
 2. build the app image;
 3. up -d: postgres and redis healthy, the migrate job (as the owner role, then the grants)
    exits 0, web, worker and beat start;      4. web, worker and beat report healthy;
 5. the sign-in page answers through the published port, asked as the TLS proxy asks;
 6. demo users are seeded and one signs in with password and authenticator code;
 7. the System status page shows the worker's heartbeats, sent by beat, as running;
 8. a checklist sweep sent by beat has run in the worker;
 9. down -v (always, even after a failure; with the logs printed first).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "safeguarding.example"
ADMIN_EMAIL = "admin@westshire.example"
COMPOSE_FILES = ["docker-compose.yml", "docker-compose.smoke.yml"]
APP_IMAGE = "safeguarding-smoke:latest"
WHEELS = ROOT / "var" / "docker-wheels"
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat")


class SmokeFailure(AssertionError):
    pass


def compose_command() -> list[str] | None:
    """`docker-compose` (v1.29, Debian's package) or the `docker compose` plugin (v2)."""
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return None


def engine_problem() -> str | None:
    """Why the smoke test cannot run here, or None."""
    if not shutil.which("docker"):
        return "no docker client (apt-get install docker.io; .ci/run installs it)"
    info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
    if info.returncode != 0:
        return f"no Docker engine answers (dockerd not running or not startable here): {info.stderr.strip()[:200]}"
    if compose_command() is None:
        return "no docker-compose (apt-get install docker-compose; .ci/run installs it)"
    if not shutil.which("debootstrap"):
        return "no debootstrap to make the base image (apt-get install debootstrap)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Steps:
    """Times each step and prints it as it ends."""

    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        self.out(f"--> {name}")
        try:
            yield
        finally:
            took = time.monotonic() - started
            self.timings.append((name, took))
            self.out(f"    {took:6.1f}s  {name}")

    def summary(self) -> str:
        lines = [f"{took:7.1f}s  {name}" for name, took in self.timings]
        lines.append(f"{sum(t for _, t in self.timings):7.1f}s  in all")
        return "\n".join(lines)


class Browser:
    """Just enough of a browser for the sign-in: cookies (Secure ones too: the proxy in front
    speaks HTTPS to the user), the CSRF token, no automatic redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        headers = {
            "Host": HOST,
            # What the TLS-terminating proxy adds (PROXY_COUNT=1).
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.10",
            "User-Agent": "safeguarding-compose-smoke",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers.items()), response.read().decode(errors="replace")

    def csrf_token(self, path: str) -> str:
        status, _, html = self.request(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not match:
            raise SmokeFailure(f"{path} answered {status} without a form")
        return match.group(1)


class Smoke:
    def __init__(self, out: Callable[[str], None] = print) -> None:
        self.out = out
        self.steps = Steps(out)
        self.compose = compose_command() or ["docker-compose"]
        self.project = f"sgsmoke{os.getpid()}"
        self.port = free_port()
        self.secrets = Path(tempfile.mkdtemp(prefix="safeguarding-smoke-"))
        self.env = {**os.environ, "WEB_PORT": str(self.port), "APP_IMAGE": APP_IMAGE}
        self.env["SMOKE_SECRETS"] = str(self.secrets / "secrets")

    def run(self, *args: str, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=capture, text=True)
        if check and result.returncode != 0:
            raise SmokeFailure(
                f"{' '.join(args)} exited {result.returncode}\n{(result.stdout or '')[-3000:]}{(result.stderr or '')[-3000:]}"
            )
        return result

    def dc(self, *args: str, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess[str]:
        files = [arg for name in COMPOSE_FILES for arg in ("-f", name)]
        return self.run(*self.compose, "-p", self.project, *files, *args, check=check, capture=capture)

    def manage(self, *args: str) -> str:
        return self.dc("exec", "-T", "web", "python", "manage.py", *args).stdout

    def container(self, service: str) -> str:
        ids = self.dc("ps", "-q", service).stdout.split()
        if not ids:
            raise SmokeFailure(f"no container for {service}")
        return ids[0]

    def state(self, service: str) -> dict:
        return json.loads(self.run("docker", "inspect", "--format", "{{json .State}}", self.container(service)).stdout)

    def wait(self, what: str, condition: Callable[[], object], timeout: float) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(1)
        raise SmokeFailure(f"timed out after {timeout:.0f}s waiting for {what}")

    # --- the steps ---------------------------------------------------------------

    def base_image(self) -> None:
        tag = self.run(str(ROOT / ".ci" / "docker-base-image")).stdout.strip().splitlines()[-1]
        self.env["SMOKE_BASE_IMAGE"] = self.env["BASE_IMAGE"] = tag
        self.out(f"    base image {tag}")

    def wheels(self) -> None:
        """The app's wheels, once per requirements.txt and base image. The build cannot reach
        the package index (the host's network needs a certificate authority the image does not
        have), so pip downloads them in a container of the base image, trusting the host's
        certificates for that run only: the wheels are the ones the base's own Python 3.11
        needs (its markers, e.g. async-timeout before 3.11.3), and nothing of the host's trust
        store reaches the image."""
        requirements = ROOT / "requirements.txt"
        recipe = requirements.read_bytes() + self.env["SMOKE_BASE_IMAGE"].encode()
        stamp = WHEELS / f".downloaded-{hashlib.sha256(recipe).hexdigest()[:12]}"
        if stamp.exists():
            self.out("    wheels already downloaded")
            return
        shutil.rmtree(WHEELS, ignore_errors=True)
        WHEELS.mkdir(parents=True)
        host_ca = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
        self.run(
            "docker", "run", "--rm",
            "-v", f"{requirements}:/build/requirements.txt:ro",
            "-v", f"{WHEELS}:/wheels",
            "-v", f"{host_ca}:/etc/ssl/certs/host-ca.crt:ro",
            "-e", "PIP_CERT=/etc/ssl/certs/host-ca.crt",
            "-e", "PIP_DISABLE_PIP_VERSION_CHECK=1",
            self.env["SMOKE_BASE_IMAGE"],
            "sh", "-c",
            "python3.11 -m venv /tmp/pip && /tmp/pip/bin/pip download --quiet --only-binary :all: "
            "--dest /wheels -r /build/requirements.txt",
        )  # fmt: skip
        stamp.touch()

    def write_secrets(self) -> None:
        self.run(str(ROOT / ".ci" / "compose-secrets"), self.env["SMOKE_SECRETS"])

    def build(self) -> None:
        self.dc("build", "--quiet" if self.compose == ["docker", "compose"] else "-q")

    def up(self) -> None:
        # Compose starts postgres and redis, waits for their health checks, runs the migrate
        # job to completion, and only then starts web, worker and beat.
        self.dc("up", "-d")
        migrate = self.state("migrate")
        if migrate["Status"] != "exited" or migrate["ExitCode"] != 0:
            raise SmokeFailure(f"the migrate job did not exit 0: {migrate}")

    def healthy(self) -> None:
        def all_healthy() -> bool:
            states = {service: self.state(service) for service in LONG_RUNNING}
            for service, state in states.items():
                if state["Status"] != "running":
                    raise SmokeFailure(f"{service} is {state['Status']} (exit code {state.get('ExitCode')})")
            return all(state.get("Health", {}).get("Status") == "healthy" for state in states.values())

        try:
            self.wait("every service's health check", all_healthy, timeout=240)
        except SmokeFailure as failure:
            report = []
            for service in LONG_RUNNING:
                health = self.state(service).get("Health", {})
                last = (health.get("Log") or [{}])[-1]
                report.append(f"{service}: {health.get('Status')} {last.get('Output', '').strip()[:300]}")
            raise SmokeFailure(f"{failure}\n" + "\n".join(report)) from None

    def sign_in_page(self, browser: Browser) -> None:
        status, _, html = browser.request("/sign-in/")
        if status != 200 or "Sign in" not in html:
            raise SmokeFailure(f"the sign-in page answered {status}")
        # Plain HTTP (no proxy header) is sent to HTTPS: the proxy in front must terminate TLS.
        plain = urllib.request.Request(  # noqa: S310
            f"{browser.base}/sign-in/", headers={"Host": HOST, "X-Forwarded-For": "203.0.113.10"}
        )
        try:
            browser.opener.open(plain, timeout=30)
            raise SmokeFailure("plain HTTP was answered, not redirected to HTTPS")
        except urllib.error.HTTPError as error:
            if error.code != 301 or not error.headers["Location"].startswith("https://"):
                raise SmokeFailure(f"plain HTTP answered {error.code}, not a redirect to HTTPS") from None

    def sign_in(self, browser: Browser) -> None:
        self.manage("seed_demo", "--if-empty")
        token = browser.csrf_token("/sign-in/")
        status, headers, _ = browser.request(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "email": ADMIN_EMAIL, "password": "correct-horse-battery-staple"},
        )
        if status != 302 or headers.get("Location") != "/sign-in/code/":
            raise SmokeFailure(f"the password step answered {status} {headers.get('Location')}")
        # Before the code: every other page sends the user back to the second factor.
        status, headers, _ = browser.request("/manage/system/")
        if status != 302:
            raise SmokeFailure(f"the status page answered {status} before the authenticator code")
        token = browser.csrf_token("/sign-in/code/")
        code = self.manage("demo_code", ADMIN_EMAIL).strip()
        status, headers, _ = browser.request("/sign-in/code/", {"csrfmiddlewaretoken": token, "code": code})
        if status != 302:
            raise SmokeFailure(f"the authenticator code step answered {status}")
        status, _, html = browser.request("/")
        if status != 200:
            raise SmokeFailure(f"home answered {status} after signing in")

    def heartbeats(self, browser: Browser) -> None:
        def running() -> str | None:
            status, _, html = browser.request("/manage/system/")
            if status != 200:
                raise SmokeFailure(f"the System status page answered {status}")
            row = re.search(r"<td[^>]*>worker</td>.*?<td[^>]*>(\d+)</td>.*?(Running|Stopped)", html, re.S)
            # Two check-ins at least: beat keeps sending, the worker keeps answering.
            if row and int(row.group(1)) >= 2 and row.group(2) == "Running":
                return row.group(0)
            return None

        self.wait("two worker heartbeats sent by beat on the System status page", running, timeout=90)

    def sweep(self) -> None:
        def swept() -> bool:
            logs = self.dc("logs", "--no-color", "worker").stdout
            return bool(re.search(r"Task custody\.clock\.tasks\.checklist_sweep\[[^\]]+\] succeeded", logs))

        self.wait("a checklist sweep to run in the worker", swept, timeout=90)

    def down(self) -> None:
        self.dc("down", "-v", "--remove-orphans", check=False)

    def main(self) -> None:
        browser = Browser(f"http://127.0.0.1:{self.port}")
        try:
            with self.steps.step("base image from Debian's packages"):
                self.base_image()
            with self.steps.step("wheels for the app image"):
                self.wheels()
            with self.steps.step("secrets"):
                self.write_secrets()
            with self.steps.step("build the app image"):
                self.build()
            with self.steps.step("up -d (postgres, redis healthy; migrate exits 0)"):
                self.up()
            with self.steps.step("web, worker and beat healthy"):
                self.healthy()
            with self.steps.step("sign-in page through the published port"):
                self.sign_in_page(browser)
            with self.steps.step("demo sign-in with an authenticator code"):
                self.sign_in(browser)
            with self.steps.step("System status: worker heartbeats sent by beat"):
                self.heartbeats(browser)
            with self.steps.step("checklist sweep ran in the worker"):
                self.sweep()
        except BaseException:
            logs = self.dc("logs", "--no-color", "--tail", "60", check=False).stdout
            self.out(f"--- the stack's logs ---\n{logs}")
            raise
        finally:
            with self.steps.step("down -v"):
                self.down()
            shutil.rmtree(self.secrets, ignore_errors=True)
            self.out(self.steps.summary())


def main() -> int:
    problem = engine_problem()
    if problem:
        print(f"compose smoke test not run: {problem}", file=sys.stderr)
        return 1
    try:
        Smoke().main()
    except SmokeFailure as failure:
        print(f"compose smoke test FAILED: {failure}", file=sys.stderr)
        return 1
    print("compose smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

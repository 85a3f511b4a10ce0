"""The web app under load: Today page and cramp API against the same server's minimal endpoint.

A real server (`crampwise serve`, uvicorn) on loopback and a real load generator (`wrk`, from
Debian) with 16 and 64 concurrent connections, `--duration` seconds each (after a warm-up), on
the demo athlete (a year of journal):

- local mode: SQLite, one process, no sign-in;
- server mode: PostgreSQL (`CRAMPWISE_TEST_POSTGRES_URL`, as scripts/with-postgres.sh sets it;
  skipped with a note when unset), `--multi-user --workers 2`, every request with a bearer
  token of the athlete's account.

For each it prints requests per second, the median and 99th-percentile latency of `GET /`
(Today: next session's plan and risk, red flags, latest cramp), `GET /api/v1/cramps` (the
athlete's cramps as JSON) and the floor `GET /healthz` (no store, no template), their ratios to
the floor, and the server's peak resident memory (VmHWM of each process). Aims (issue 17):
Today at 25 % or more of the floor's throughput, with a p99 under 10x the floor's.

wrk and the server share the machine's cores: on 2 cores the load generator takes part of
the CPU the server would have, alike for every endpoint, which the ratios absorb.

    python benchmarks/web_load_bench.py                  # 5 s per run
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/web_load_bench.py --duration 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

PATHS = {"floor (/healthz)": "/healthz", "Today (/)": "/", "cramp API (/api/v1/cramps)": "/api/v1/cramps"}
CONNECTIONS = (16, 64)
AIM_THROUGHPUT_SHARE = 0.25
AIM_P99_RATIO = 10.0
SCRIPT = Path(sys.executable).with_name("crampwise")


@dataclass(frozen=True)
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx answers, socket errors and timeouts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}[unit]


def parse_wrk(output: str) -> Run:
    """Throughput, latency percentiles and failures from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        bad += sum(int(n) for n in socket_errors.groups())
    return Run(rps, p50, p99, requests, bad)


def wrk(url: str, connections: int, seconds: float, headers: dict[str, str]) -> Run:
    argv = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=True)
    run = parse_wrk(done.stdout)
    if run.bad:
        raise SystemExit(f"{url}: {run.bad} failed requests of {run.requests} under load:\n{done.stdout}")
    return run


def get(url: str, headers: dict[str, str] | None = None) -> bytes:
    """The body of a 200 answer to GET `url`; anything else (a redirect to a sign-in page
    included, which wrk would count as a success) stops the benchmark."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request("GET", parts.path or "/", headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    if answer.status != 200:
        raise SystemExit(f"GET {url}: HTTP {answer.status}, not 200: {body[:200]!r}")
    return body


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def peak_rss_mb(pid: int) -> list[float]:
    """The peak resident memory (VmHWM) of `pid` and of each process under it, in MiB."""
    peaks = []
    for proc in descendants(pid):
        try:
            status = Path(f"/proc/{proc}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return peaks


@contextmanager
def serving(argv: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`crampwise serve ...` until its /healthz answers; stopped (SIGTERM, then SIGKILL) after."""
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        yield from _until_stopped(server, log, port)


def _until_stopped(
    server: subprocess.Popen[bytes], log: IO[bytes], port: int
) -> Iterator[subprocess.Popen[bytes]]:
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit(f"the server did not start:\n{log.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def measure(label: str, port: int, server_pid: int, seconds: float, headers: dict[str, str]) -> None:
    base = f"http://127.0.0.1:{port}"
    results: dict[int, dict[str, Run]] = {}
    for connections in CONNECTIONS:
        results[connections] = {}
        for name, path in PATHS.items():
            sent = {} if path == "/healthz" else headers  # the floor: no credentials to check
            get(base + path, sent)  # a 200 (not a redirect) before it is loaded
            wrk(base + path, connections, 1, sent)  # warm-up: caches, connection pools
            results[connections][name] = wrk(base + path, connections, seconds, sent)
    peaks = peak_rss_mb(server_pid)
    print(f"\n{label}")
    print(
        f"{'endpoint':<28} {'conns':>5} {'req/s':>8} {'p50':>9} {'p99':>9} {'rps/floor':>10} {'p99/floor':>10}  aims"
    )
    for connections, runs in results.items():
        floor = runs["floor (/healthz)"]
        for name, run in runs.items():
            share, slow = run.rps / floor.rps, run.p99_ms / floor.p99_ms
            aims = ""
            if name.startswith("Today"):
                met = share >= AIM_THROUGHPUT_SHARE and slow < AIM_P99_RATIO
                aims = "met" if met else "MISSED"
                aims += f" (>= {AIM_THROUGHPUT_SHARE:.0%} of floor, p99 < {AIM_P99_RATIO:.0f}x)"
            print(
                f"{name:<28} {connections:>5} {run.rps:8.0f} {run.p50_ms:7.1f}ms {run.p99_ms:7.1f}ms"
                f" {share:9.0%} {slow:9.1f}x  {aims}"
            )
    print(
        "server peak resident memory: "
        + ", ".join(f"{p:.0f} MiB" for p in peaks)
        + f" ({len(peaks)} process{'es' if len(peaks) != 1 else ''})"
    )


def journal_check(port: int, headers: dict[str, str]) -> None:
    """The server answers for the demo athlete's journal, not an empty one (measured pages must
    do their real work)."""
    cramps = json.loads(get(f"http://127.0.0.1:{port}/api/v1/cramps", headers))
    if len(cramps) < 10:
        raise SystemExit(f"the served journal has {len(cramps)} cramps: not the demo athlete's")


def local_mode(seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="crampwise-web-load-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        env = {**os.environ, "CRAMPWISE_DATA_DIR": folder}
        subprocess.run([str(SCRIPT), "--db", url, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        argv = [str(SCRIPT), "--db", url, "serve", "--port", str(port)]
        with serving(argv, env, port) as server:
            journal_check(port, {})
            measure("local mode: SQLite, 1 process, no sign-in", port, server.pid, seconds, {})


def fresh_database(base_url: str) -> str:
    """A new, empty database next to the one `base_url` names; its URL."""
    import psycopg

    name = f"crampwise_web_load_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(base_url.replace("postgresql+psycopg://", "postgresql://", 1))
    with psycopg.connect(urllib.parse.urlunsplit(parts), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.replace("postgresql+psycopg://", "postgresql://", 1).rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_mode(base_url: str, seconds: float) -> None:
    url = fresh_database(base_url)
    try:
        with tempfile.TemporaryDirectory(prefix="crampwise-web-load-") as folder:
            env = {
                **os.environ,
                "CRAMPWISE_DATA_DIR": folder,
                "CRAMPWISE_DATABASE_URL": url,
                "CRAMPWISE_SECRET_KEY": secrets.token_urlsafe(48),
            }
            password = secrets.token_urlsafe(18)
            # The demo athlete's journal under the account's own name: `user add NAME` keeps the
            # journal of the athlete called NAME (`user add --athlete X` is taken for the global
            # --athlete option by the command line, so it cannot link another name).
            demo_db = f"sqlite:///{Path(folder) / 'demo.db'}"
            subprocess.run(
                [str(SCRIPT), "--db", demo_db, "demo"], env=env, check=True, stdout=subprocess.DEVNULL
            )
            exported = subprocess.run(
                [str(SCRIPT), "--db", demo_db, "export", "--no-recordings"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            bundle = json.loads(exported)
            bundle["athlete"]["name"] = "ana"
            (Path(folder) / "ana.json").write_text(json.dumps(bundle), encoding="utf-8")
            subprocess.run(
                [str(SCRIPT), "--db", url, "import", str(Path(folder) / "ana.json")],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            subprocess.run(
                [str(SCRIPT), "user", "add", "ana", "--role", "athlete", "--password-stdin"],
                env=env,
                input=password + "\n",
                text=True,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            port = free_port()
            argv = [str(SCRIPT), "serve", "--multi-user", "--port", str(port), "--workers", "2"]
            with serving(argv, env, port) as server:
                body = urllib.parse.urlencode({"username": "ana", "password": password}).encode()
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/token", data=body)
                with urllib.request.urlopen(request, timeout=30) as answer:
                    token = re.search(rb'"access_token":"([^"]+)"', answer.read()).group(1).decode()  # type: ignore[union-attr]
                headers = {"Authorization": f"Bearer {token}"}
                journal_check(port, headers)
                measure(
                    "server mode: PostgreSQL, 2 web processes, bearer token",
                    port,
                    server.pid,
                    seconds,
                    headers,
                )
    finally:
        drop_database(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per run (default 5)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (make system-deps installs it)")
    print(
        f"wrk, 2 threads, {args.duration:g} s per run after a 1 s warm-up; {os.cpu_count()} cores shared with it"
    )
    local_mode(args.duration)
    base_url = os.environ.get("CRAMPWISE_TEST_POSTGRES_URL")
    if base_url:
        server_mode(base_url, args.duration)
    else:
        print(
            "\nserver mode: skipped (CRAMPWISE_TEST_POSTGRES_URL is not set; run under scripts/with-postgres.sh)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

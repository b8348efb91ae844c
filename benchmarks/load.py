"""Load on loopback: the product served as in production beside a hello-world floor.

Serves the product with gunicorn (production settings, PostgreSQL, the demo's data) and a
hello-world WSGI application with the same server settings (workers, bind), then drives each with
`wrk` (Debian: `apt-get install wrk`) from this machine only, for a bounded time, and prints
throughput and p50/p95/p99 latency for each page as a share of the floor measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/load.py [--database thidua_load] [--duration 10] \\
        [--connections 50] [--workers 4] [--only staff_home …] [--cache-url redis://…]

DATABASE_URL names the server only: the data go to the database `--database` (default
thidua_load), migrated and seeded with `manage.py seed_demo` the first time (about 10 minutes on
this machine; later runs reuse it). Each scenario runs `--duration` seconds (wrk stops by itself;
every request goes to 127.0.0.1). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "thidua-demo-2026"
HOST = "127.0.0.1"
# what every browser sends (wrk sends nothing unless told); --identity sends none
ACCEPT_ENCODING = ["gzip, deflate, br"]


def hello(environ, start_response):
    """The floor: a WSGI application that does nothing."""
    body = b"Hello, world!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


WRK_SCRIPT = r"""
local paths = {}
local weights = {}
local cookie = os.getenv("LOAD_COOKIE") or ""
local anonymous_share = tonumber(os.getenv("LOAD_ANONYMOUS_SHARE") or "1")
local encoding = os.getenv("LOAD_ACCEPT_ENCODING") or ""
local headers = {}
if encoding ~= "" then headers["Accept-Encoding"] = encoding end
local anonymous = {}
local staff = {}
for path in string.gmatch(os.getenv("LOAD_ANONYMOUS") or "", "[^ ]+") do
  table.insert(anonymous, path)
end
for path in string.gmatch(os.getenv("LOAD_STAFF") or "", "[^ ]+") do
  table.insert(staff, path)
end
math.randomseed(os.time())
request = function()
  if #staff == 0 or (#anonymous > 0 and math.random() < anonymous_share) then
    return wrk.format("GET", anonymous[math.random(#anonymous)], headers)
  end
  local signed_in = {["Cookie"] = cookie}
  if encoding ~= "" then signed_in["Accept-Encoding"] = encoding end
  return wrk.format("GET", staff[math.random(#staff)], signed_in)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def database_url(name: str) -> str:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL=postgres://… (the server; the data go to --database).")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("This benchmark runs on PostgreSQL only.")
    user = config.get("USER") or ""
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{credentials}{config.get('HOST') or HOST}{port}/{name}"


def psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", url, "-Atqc", sql], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def prepare(url: str, name: str, env: dict) -> None:
    server = url.rsplit("/", 1)[0] + "/postgres"
    if not psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(server, f'CREATE DATABASE "{name}"')
    manage = [sys.executable, str(PROJECT / "manage.py")]
    if psql(url, "SELECT 1 FROM accounts_user WHERE username = 'lanhdao'") == "1":
        print(f"Reusing {name} (the demo is loaded; migrating it to this version).")
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        return
    started = time.perf_counter()
    print(f"Loading the demo into {name} (migrate, seed_demo)…", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"Loaded in {time.perf_counter() - started:.0f}s.")


class Server:
    def __init__(
        self,
        app: str,
        port: int,
        workers: int,
        env: dict,
        log: Path,
        *,
        worker_class: str = "sync",
        threads: int = 1,
    ):
        self.port = port
        command = [
            str(VENV_BIN / "gunicorn"),
            app,
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--bind",
            f"{HOST}:{port}",
            "--no-control-socket",
            "--chdir",
            str(PROJECT),
        ]
        self.process = subprocess.Popen(
            command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _h, _b = request(
                    port, "/healthz" if app != "benchmarks.load:hello" else "/"
                )
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn on port {port} did not start: see {log}")

    def worker_rss_mib(self) -> list[float]:
        sizes = []
        for child in Path("/proc").glob("[0-9]*"):
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", status, re.M):
                rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
                if rss:
                    sizes.append(int(rss.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(port: int, path: str, *, method="GET", body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def login(port: int, username: str) -> str:
    status, headers, body = request(port, "/accounts/login/")
    cookies = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    status, headers, body = request(
        port,
        "/accounts/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    cookies.update(cookies_of(headers))
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"login as {username} failed ({status})")
    return f"sessionid={cookies['sessionid']}"


def wrk(
    port: int,
    *,
    anonymous: list[str],
    staff: list[str] = (),
    cookie: str = "",
    anonymous_share: float = 1.0,
    connections: int,
    duration: int,
    threads: int,
) -> dict:
    script = Path(tempfile.gettempdir()) / f"thidua-load-{os.getpid()}.lua"
    script.write_text(WRK_SCRIPT)
    env = {
        **os.environ,
        "LOAD_ANONYMOUS": " ".join(anonymous),
        "LOAD_STAFF": " ".join(staff),
        "LOAD_COOKIE": cookie,
        "LOAD_ANONYMOUS_SHARE": str(anonymous_share),
        "LOAD_ACCEPT_ENCODING": ACCEPT_ENCODING[0],
    }
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://{HOST}:{port}/",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=True,
    )
    script.unlink(missing_ok=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    # the server still works off the requests queued when wrk stopped: let it, so the next
    # scenario starts on an idle server
    time.sleep(min(30.0, connections / max(data["rps"], 1.0) + 1.0))
    return data


def targets(url: str) -> dict[str, str]:
    """Addresses in the demo's data: a certificate, the Hà Nội movement with most reports."""
    serial = psql(url, "SELECT serial FROM honors_certificate ORDER BY id LIMIT 1")
    movement = psql(
        url,
        "SELECT m.id FROM movements_movement m JOIN org_unit u ON u.id = m.owner_unit_id "
        "LEFT JOIN movements_report r ON r.movement_id = m.id "
        "WHERE u.name = 'Thành phố Hà Nội' GROUP BY m.id ORDER BY count(r.id) DESC, m.id LIMIT 1",
    )
    if not serial or not movement:
        sys.exit("The demo's certificates or Hà Nội movements are missing: re-run seed_demo.")
    return {
        "public_home": "/",
        "public_list": "/p/initiatives/",
        "certificate_check": f"/p/verify/{serial}/",
        "staff_home": "/staff/",
        "hanoi_dashboard": f"/movements/{movement}/dashboard/",
        "api_list": "/api/v1/units/",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="thidua_load")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--mixed-connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (both servers)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn worker class (both servers)",
    )
    parser.add_argument(
        "--server-threads", type=int, default=1, help="gunicorn threads a worker (both servers)"
    )
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--floor-port", type=int, default=8211)
    parser.add_argument("--cache-url", default="", help="CACHE_URL for the product (Redis)")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    parser.add_argument(
        "--staff-page",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="another page to load as the city leader, e.g. inbox=/staff/inbox/ (repeatable)",
    )
    parser.add_argument(
        "--identity",
        action="store_true",
        help="send no Accept-Encoding (uncompressed bodies), as runs before 12/2026 did",
    )
    args = parser.parse_args()
    if args.identity:
        ACCEPT_ENCODING[0] = ""
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = database_url(args.database)
    static_root = PROJECT / "var" / "load-static"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
        "THIDUA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": args.cache_url,
        "PYTHONPATH": f"{PROJECT / 'src'}:{PROJECT}",
        # every login comes from 127.0.0.1 here
        "RATE_LIMIT_LOGINS": "1000/h",
    }
    prepare(url, args.database, env)
    subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    paths = targets(url)
    extra = dict(item.split("=", 1) for item in args.staff_page)
    paths.update(extra)
    logs = PROJECT / "var"
    logs.mkdir(exist_ok=True)
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    print(f"Load average before: {' '.join(uptime)} ({os.cpu_count()} cores)")
    served = {"worker_class": args.worker_class, "threads": args.server_threads}
    print(
        f"gunicorn for both: {args.workers} workers, {args.worker_class}, "
        f"{args.server_threads} thread(s) a worker"
    )
    floor = Server(
        "benchmarks.load:hello", args.floor_port, args.workers, env, logs / "floor.log", **served
    )
    try:
        floor_result = wrk(
            args.floor_port,
            anonymous=["/"],
            connections=args.connections,
            duration=args.duration,
            threads=args.threads,
        )
        floor_mixed = wrk(
            args.floor_port,
            anonymous=["/"],
            connections=args.mixed_connections,
            duration=args.duration,
            threads=args.threads,
        )
    finally:
        floor.stop()
    product = Server(
        "thidua.wsgi", args.port, args.workers, env, logs / "load-product.log", **served
    )
    rows = [("floor (hello world)", args.connections, floor_result, floor_result)]
    try:
        cookie = login(args.port, "lanhdao")
        staff_pages = {"staff_home", "hanoi_dashboard", "api_list", *extra}
        for name, path in paths.items():
            if args.only is not None and name not in args.only:
                continue
            request(args.port, path, headers={"Cookie": cookie})  # warm the worker's caches
            rows.append(
                (
                    name,
                    args.connections,
                    wrk(
                        args.port,
                        anonymous=[] if name in staff_pages else [path],
                        staff=[path] if name in staff_pages else [],
                        cookie=cookie,
                        connections=args.connections,
                        duration=args.duration,
                        threads=args.threads,
                    ),
                    floor_result,
                )
            )
            if name in {"staff_home", "hanoi_dashboard", *extra}:
                rows.append(
                    (
                        f"{name}, one at a time",
                        1,
                        wrk(
                            args.port,
                            anonymous=[],
                            staff=[path],
                            cookie=cookie,
                            connections=1,
                            duration=max(5, args.duration // 2),
                            threads=1,
                        ),
                        floor_result,
                    )
                )
        if args.only is None or "mixed" in args.only:
            anonymous = [
                paths["public_home"],
                paths["public_list"],
                "/p/movements/",
                paths["certificate_check"],
            ]
            staff = [paths["staff_home"], paths["hanoi_dashboard"], paths["api_list"]]
            rows.append(
                (
                    f"mixed, {args.mixed_connections} users (80 % anonymous)",
                    args.mixed_connections,
                    wrk(
                        args.port,
                        anonymous=anonymous,
                        staff=staff,
                        cookie=cookie,
                        anonymous_share=0.8,
                        connections=args.mixed_connections,
                        duration=args.duration,
                        threads=args.threads,
                    ),
                    floor_mixed,
                )
            )
        memory = product.worker_rss_mib()
    finally:
        product.stop()
    print()
    print(
        f"{'scenario':44} {'conn':>5} {'req/s':>9} {'floor':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for name, connections, result, base in rows:
        print(
            f"{name:44} {connections:>5} {result['rps']:>9.1f} "
            f"{100 * result['rps'] / base['rps']:>6.1f}% {result['p50'] / 1000:>8.1f} "
            f"{result['p95'] / 1000:>8.1f} {result['p99'] / 1000:>8.1f} "
            f"{result['errors'] + result['bad_status']:>7}"
        )
    print(f"(floor at {args.mixed_connections} connections: {floor_mixed['rps']:.0f} req/s)")
    if memory:
        print(f"Product workers' memory after the run: {', '.join(f'{m:.0f}' for m in memory)} MiB")
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    print(f"Load average after: {' '.join(uptime)}")


if __name__ == "__main__":
    main()

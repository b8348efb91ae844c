"""Profile one staff page as a demo user: median time, query count and the top of cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load \\
        .venv/bin/python benchmarks/profile_pages.py [--user lanhdao] [--repeat 20] \\
        [--top 25] [--queries] /staff/ /work/ /movements/<id>/dashboard/

Runs in-process through Django's test client (no server, no network), against a database that
`benchmarks/load.py` loaded (the Hà Nội demo), with DEBUG off; each page is requested once to
warm the caches, then `--repeat` times. `--queries` prints each query of the last request with
its time (through the connection's execute wrapper), slowest first. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", default="lanhdao")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from thidua.accounts.models import User

    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    for path in args.paths:
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path}: {response.status_code}")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        log: list[dict] = []

        def logged(execute, sql, params, many, context, log=log):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append({"sql": sql, "time": time.perf_counter() - started})

        with connection.execute_wrapper(logged):
            response = client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        client.get(path)
        profile.disable()
        print(
            f"\n{path}: median {statistics.median(times):.1f} ms, "
            f"p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.1f} ms, "
            f"{len(log)} queries "
            f"({sum(float(q['time']) for q in log) * 1000:.1f} ms), "
            f"{len(response.content) / 1024:.0f} KiB"
        )
        if args.queries:
            for query in sorted(log, key=lambda q: -float(q["time"])):
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()

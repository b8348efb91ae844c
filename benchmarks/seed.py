"""How long the demo and the country's tree take to load: the timings the test suite used to
assert (the demo seeds under 60 s of CPU, the country's import under 600 s) are measured here and
never asserted in a test.

    .venv/bin/python benchmarks/seed.py [--country] [--repeat 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench_seed \\
        .venv/bin/python benchmarks/seed.py [--country]

Each run loads into a fresh test database, as the test suite does (SQLite in memory, or
`test_<name>` on the PostgreSQL server of DATABASE_URL, dropped afterwards):

1. `import_vietnam --province 01` (Hà Nội's tree of 2024 and after the 2025 reform);
2. `seed_demo` on top of it, whose own lines give each step (movements, practices, initiatives,
   honours, …);
3. with `--country`, in another fresh database, `import_vietnam` of the whole country.

It prints wall-clock and CPU seconds of each, with the machine's load average before and after:
on a shared machine the wall clock says more about the neighbours than about the code; the CPU
seconds of this process are the steadier figure.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings_test")


def timed(label: str, run) -> str:
    out = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    run(out)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<40} {wall:8.1f} s wall {cpu:8.1f} s CPU", flush=True)
    return out.getvalue()


def fresh_database(work) -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        work()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--country", action="store_true", help="also import the whole country")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (fresh databases)")
    parser.add_argument("--steps", action="store_true", help="print seed_demo's step lines")
    args = parser.parse_args()

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    print(f"Database: {connection.vendor}; load average {os.getloadavg()}", flush=True)
    for run in range(1, args.repeat + 1):

        def demo(run=run) -> None:
            timed(
                f"[{run}] import_vietnam --province 01",
                lambda out: call_command("import_vietnam", province="01", stdout=out),
            )
            output = timed(f"[{run}] seed_demo", lambda out: call_command("seed_demo", stdout=out))
            for line in output.splitlines():
                if args.steps or "done in" in line:
                    print(f"      {line}")

        fresh_database(demo)
        if args.country:
            fresh_database(
                lambda run=run: timed(
                    f"[{run}] import_vietnam (the whole country)",
                    lambda out: call_command("import_vietnam", stdout=out),
                )
            )
    print(f"Load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

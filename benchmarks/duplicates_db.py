"""One duplicate check as the app runs it, on PostgreSQL, against 100,000 indexed submissions.

The database counterpart of `benchmarks/duplicates.py` (which measures `MemoryIndex`, in memory):
the same generated Vietnamese/Indonesian submissions with planted near-duplicates (its `Corpus`,
same seed), stored as submitted `Submission` rows of one call, and indexed in bulk in the tables
the app uses (SimilaritySignature, SimilarityBand, SimilaritySentence: the rows `_store` writes,
loaded by COPY; this is data, its time is reported but is not the check). Then `--checks`
held-out submissions (half of them near-duplicates of indexed ones), submitted but not indexed,
are each run through `duplicates.update_duplicate_index(submission_id=…)`, the background task's
whole path (fingerprint, its rows written, boilerplate, candidates, exact scores, pairs recorded),
after 10 warm-ups. Reported: wall ms per check (median, p95, max) against the 100 ms of issue #5,
time per step, queries of one check with their times, candidates per check, and whether the
planted pair was recorded (recall) and how many other pairs were.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/duplicates_db.py [--n 100000] [--checks 500] [--reuse]

Only the server of DATABASE_URL is used: the benchmark always works in `thidua_bench_duplicates`,
which it drops and recreates unless --reuse finds it loaded with the same sizes (the held-out
submissions are then taken out of the index again before timing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
sys.path.insert(0, str(PROJECT / "benchmarks"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

import _pg as bench  # noqa: E402  benchmarks/_pg.py: the bench database, bench_info, timing
import duplicates as generator  # noqa: E402  benchmarks/duplicates.py: the corpus and its seed

BENCH_DB = "thidua_bench_duplicates"
TARGET_MS = 100
WARM_UPS = 10
BATCH = 10_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="indexed submissions")
    parser.add_argument("--copies", type=float, default=0.12, help="share that are copies")
    parser.add_argument("--checks", type=int, default=500, help="timed held-out checks")
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    return parser.parse_args()


def sizes_key(args: argparse.Namespace) -> str:
    return f"{args.n}/{args.copies}/{args.checks}/{generator.SEED}"


# --- the corpus ----------------------------------------------------------------------------------


def plant(n: int, copies: float, held: int, seed: int):
    """`generator.plant` step for step (the same texts for the same seed), keeping the documents,
    each one's family (the original it descends from) and each held-out copy's source."""
    corpus = generator.Corpus(seed)
    rng = corpus.rng
    derived = set(rng.sample(range(n // 20, n), int(n * copies)))
    docs, family, originals, copied = [], [], [], Counter()
    for i in range(n):
        if i in derived:
            source = rng.choice(originals)
            while copied[source] >= 2:
                source = rng.choice(originals)
            copied[source] += 1
            docs.append(corpus.derive(docs[source])[0])
            family.append(family[source])
        else:
            docs.append(corpus.original())
            originals.append(i)
            family.append(i)
    held_out = []  # (doc, the indexed document it copies or None)
    for k in range(held):
        if k % 2:
            source = rng.randrange(n)
            held_out.append((corpus.derive(docs[source])[0], source))
        else:
            held_out.append((corpus.original(), None))
    return docs, family, held_out


# --- loading -------------------------------------------------------------------------------------


def fixture():
    """One unit, one field, one call (through the service)."""
    from thidua.core.actors import SystemActor
    from thidua.initiatives import services
    from thidua.org.models import Unit, UnitKind
    from thidua.org.services import place_units
    from thidua.shared.models import Field

    unit = Unit(
        code="bench-dup",
        name="Bench: Phường Sáng Tạo",
        kind=UnitKind.objects.get(code="ward"),
        parent=None,
        valid_from=dt.date(2020, 1, 1),
    )
    place_units([unit])
    field, _created = Field.objects.get_or_create(
        code="sang-kien-sang-tao",
        defaults={
            "name_vi": "Sáng kiến – sáng tạo",
            "name_en": "Initiatives and innovation",
            "name_id": "Inisiatif dan inovasi",
        },
    )
    call = services.create_call(
        SystemActor("benchmarks/duplicates_db"),
        owner_unit=unit,
        title="Bench: sáng kiến (trùng lặp)",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    return unit, field, call


def create_submissions(unit, field, call, docs: list) -> list[int]:
    """Submitted submissions, numbered 1… in the order of `docs`; their ids in that order."""
    from django.utils import timezone

    from thidua.initiatives.models import Submission

    now = timezone.now()
    rows = (
        Submission(
            call=call,
            number=number,
            title=doc.title[:300],
            summary=" ".join(doc.summary),
            description=" ".join(doc.description),
            expected_benefit="Lợi ích kinh tế – xã hội." if doc.language == "vi" else "Manfaat.",
            field=field,
            unit=unit,
            applicant_kind=Submission.ApplicantKind.PERSON,
            applicant_name=f"Người đề xuất {number}",
            applicant_language=doc.language,
            status=Submission.Status.SUBMITTED,
            submitted_at=now,
        )
        for number, doc in enumerate(docs, start=1)
    )
    return [s.pk for s in Submission.objects.bulk_create(rows, batch_size=5000)]


def index_in_bulk(ids: list[int]) -> dict[str, float]:
    """The rows `duplicates.index._store` writes, for every submission in `ids`, by COPY in
    batches."""
    from django.db import connection
    from django.utils import timezone

    from thidua.initiatives import duplicates
    from thidua.initiatives.duplicates import index as database_index
    from thidua.initiatives.models import Submission
    from thidua.initiatives.models_duplicates import (
        SimilarityBand,
        SimilaritySentence,
        SimilaritySignature,
    )

    seconds = {"fingerprints": 0.0, "COPY": 0.0}
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        t0 = time.perf_counter()
        signatures, bands, sentences = [], [], []
        for submission in Submission.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "call_id", "title", "summary", "description"
        ):
            text = duplicates.text_of(submission)
            print_ = duplicates.fingerprint(text)
            signatures.append(
                (
                    submission.pk,
                    print_.signature.astype("<u4").tobytes(),
                    len(print_.shingles),
                    database_index._text_hash(text),
                    duplicates.METHOD,
                    now,
                )
            )
            bands += [(submission.pk, key) for key in set(print_.keys)]
            sentences += [
                (submission.pk, submission.call_id, key) for key in duplicates.sentence_keys(text)
            ]
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            for model, columns, rows in (
                (
                    SimilaritySignature,
                    "submission_id, minhash, shingle_count, text_hash, method, updated_at",
                    signatures,
                ),
                (SimilarityBand, "submission_id, key", bands),
                (SimilaritySentence, "submission_id, call_id, key", sentences),
            ):
                with cursor.cursor.copy(
                    f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
        seconds["COPY"] += time.perf_counter() - t1
        seconds["fingerprints"] += t1 - t0
        done = min(start + BATCH, len(ids))
        print(f"    {done:,} indexed, {sum(seconds.values()):.0f} s", flush=True)
    return seconds


def record_truth(rows: list[tuple[int, int, int | None, str]]) -> None:
    """bench_truth: each submission's family (the id of its original), the indexed submission a
    held-out copy was made from, and its role (indexed, warm-up, check)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_truth (submission_id int PRIMARY KEY, family int NOT NULL,"
            " source int, role text NOT NULL)"
        )
        with cursor.cursor.copy("COPY bench_truth FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def load(args: argparse.Namespace, config: dict[str, Any]) -> dict[str, str]:
    import django

    timer = bench.Timer()
    print(f"Building {BENCH_DB} (dropped and recreated):")
    timer.run("create database", lambda: bench.recreate_database(config, BENCH_DB))
    django.setup()
    timer.run("migrate", bench.migrate)
    held = WARM_UPS + args.checks
    docs, family, held_out = timer.run(
        f"generate {args.n:,} + {held:,} submissions (benchmarks/duplicates.py's corpus)",
        lambda: plant(args.n, args.copies, held, generator.SEED),
    )
    unit, field, call = timer.run("unit, field, call", fixture)
    ids = timer.run(
        f"{args.n + held:,} submitted submissions (bulk)",
        lambda: create_submissions(unit, field, call, docs + [doc for doc, _ in held_out]),
    )
    indexed, checked = ids[: args.n], ids[args.n :]
    print(f"  index {args.n:,} submissions (fingerprints in Python, rows by COPY):")
    start = time.perf_counter()
    parts = index_in_bulk(indexed)
    timer.steps["index (total)"] = time.perf_counter() - start
    for label, seconds in parts.items():
        timer.steps[f"index: {label}"] = seconds
    timer.run("VACUUM ANALYZE", bench.analyse)
    rows = [(pk, indexed[family[i]], None, "indexed") for i, pk in enumerate(indexed)]
    for k, (pk, (_doc, source)) in enumerate(zip(checked, held_out, strict=True)):
        role = "warm-up" if k < WARM_UPS else "check"
        if source is None:
            rows.append((pk, pk, None, role))
        else:
            rows.append((pk, indexed[family[source]], indexed[source], role))
    record_truth(rows)
    info = {
        "sizes": sizes_key(args),
        "planted pairs among the indexed": sum(1 for i, f in enumerate(family) if f != i),
        **{f"time {key}": f"{seconds:.1f}" for key, seconds in timer.steps.items()},
    }
    bench.record_info(info)
    return {key: str(value) for key, value in info.items()}


def unindex(ids: list[int]) -> None:
    """--reuse: the held-out submissions out of the index again (rows and pairs of a last run)."""
    from django.db import connection
    from django.db.models import Q

    from thidua.initiatives.models_duplicates import (
        DuplicateCandidate,
        SimilarityBand,
        SimilaritySentence,
        SimilaritySignature,
    )

    DuplicateCandidate.objects.filter(Q(a_id__in=ids) | Q(b_id__in=ids)).delete()
    for model in (SimilarityBand, SimilaritySentence, SimilaritySignature):
        model.objects.filter(submission_id__in=ids).delete()
    with connection.cursor() as cursor:
        for model in (DuplicateCandidate, SimilarityBand, SimilaritySentence, SimilaritySignature):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


# --- timing --------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


class Steps:
    """Wraps the module's private steps (looked up at call time by `update_duplicate_index`) to
    time each; `_boilerplate` and `_texts` run inside `_find` / `_settle…` / `_recheck`."""

    NAMES = ("_store", "_settle_new_boilerplate", "_find", "_recheck", "_boilerplate", "_texts")

    def __init__(self) -> None:
        from thidua.initiatives import duplicates

        self.module = duplicates
        self.originals = {name: getattr(duplicates, name) for name in self.NAMES}
        self.current: dict[str, float] = defaultdict(float)
        self.runs: list[dict[str, float]] = []

    def __enter__(self) -> Steps:
        for name, original in self.originals.items():
            setattr(self.module, name, self._timed(name, original))
        return self

    def _timed(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.current[name] += (time.perf_counter() - start) * 1000

        return timed

    def finish(self) -> None:
        self.runs.append(dict(self.current))
        self.current.clear()

    def __exit__(self, *exc: Any) -> None:
        for name, original in self.originals.items():
            setattr(self.module, name, original)


def lsh_candidates(pk: int) -> int:
    """Indexed submissions sharing MIN_BAND_MATCHES band keys with `pk` (what `_find` scores)."""
    from django.db.models import Count

    from thidua.initiatives import duplicates
    from thidua.initiatives.models_duplicates import SimilarityBand

    keys = SimilarityBand.objects.filter(submission_id=pk).values("key")
    return (
        SimilarityBand.objects.filter(key__in=keys)
        .exclude(submission_id=pk)
        .values("submission_id")
        .annotate(matches=Count("submission_id"))
        .filter(matches__gte=duplicates.MIN_BAND_MATCHES)
        .count()
    )


def run(args: argparse.Namespace, info: dict[str, str]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.initiatives import duplicates
    from thidua.initiatives.models_duplicates import (
        DuplicateCandidate,
        SimilarityBand,
        SimilaritySentence,
        SimilaritySignature,
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT submission_id, family, source, role FROM bench_truth ORDER BY 1")
        truth = cursor.fetchall()
    family = {pk: fam for pk, fam, _source, _role in truth}
    warm_ups = [(pk, source) for pk, _fam, source, role in truth if role == "warm-up"]
    checks = [(pk, source) for pk, _fam, source, role in truth if role == "check"]
    print("\nSizes:")
    for model in (SimilaritySignature, SimilarityBand, SimilaritySentence):
        print(f"  {model.__name__}: {model.objects.count():,} rows")
    print(f"  held out: {len(warm_ups)} warm-ups, {len(checks)} timed checks")
    print("Load times (s):")
    for key, value in info.items():
        if key.startswith("time "):
            print(f"  {key[5:]}: {value}")

    print(f"\nWarm-ups ({len(warm_ups)}), then {len(checks)} timed checks…", flush=True)
    for pk, _source in warm_ups[:-1]:
        duplicates.update_duplicate_index(submission_id=pk)
    timed_queries: list[tuple[float, str]] = []

    def clock(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed_queries.append(((time.perf_counter() - start) * 1000, sql))

    # The last warm-up: its queries counted, each timed (Django's own times are whole ms).
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(clock):
        duplicates.update_duplicate_index(submission_id=warm_ups[-1][0])
    load_before = os.getloadavg()
    times, cpu, found = [], [], {}
    with Steps() as steps:
        for pk, _source in checks:
            start, cpu_start = time.perf_counter(), time.process_time()
            result = duplicates.update_duplicate_index(submission_id=pk)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
            steps.finish()
            found[pk] = [c.other(pk) for c in result]
    load_after = os.getloadavg()

    verdict = "ok" if p95(times) < TARGET_MS else f"OVER {TARGET_MS} ms"
    print(
        f"\nupdate_duplicate_index, {len(times)} checks against {info['sizes'].split('/')[0]}"
        f" indexed submissions (wall ms): median {statistics.median(times):.1f}, p95"
        f" {p95(times):.1f}, max {max(times):.1f}  [{verdict}]; this process's CPU: median"
        f" {statistics.median(cpu):.1f} ms"
    )
    print(
        f"Load average (1/5/15 min) before timing {load_before[0]:.2f}/{load_before[1]:.2f}/"
        f"{load_before[2]:.2f}, after {load_after[0]:.2f}/{load_after[1]:.2f}/"
        f"{load_after[2]:.2f} on {os.cpu_count()} CPUs."
    )
    print("Per step (ms; _boilerplate and _texts are inside the others):")
    for name in Steps.NAMES:
        values = [run.get(name, 0.0) for run in steps.runs]
        print(
            f"  {name:<25} median {statistics.median(values):6.1f}  p95 {p95(values):6.1f}"
            f"  max {max(values):6.1f}"
        )

    statements = sum(ms for ms, _sql in timed_queries)
    print(
        f"\nQueries of one check (the last warm-up): {len(queries)} with the transaction"
        f" commands; {len(timed_queries)} statements, {statements:.1f} ms in all; the slowest:"
    )
    for ms, sql in sorted(timed_queries, key=lambda q: -q[0])[:6]:
        sql = " ".join(sql.split())
        print(f"  {ms:6.2f} ms  {sql[:150]}")

    lsh = [lsh_candidates(pk) for pk, _source in checks]
    recorded = [len(found[pk]) for pk, _source in checks]
    copies = [(pk, source) for pk, source in checks if source is not None]
    hits = sum(
        DuplicateCandidate.objects.filter(a_id=min(pk, source), b_id=max(pk, source)).exists()
        for pk, source in copies
    )
    others = same_family = 0
    for pk, source in checks:
        for other in found[pk]:
            if other != source:
                others += 1
                same_family += family.get(other) == family[pk]
    print(
        f"\nCandidates per check (sharing ≥{duplicates.MIN_BAND_MATCHES} band keys: signatures"
        " read and estimated):"
        f" median {statistics.median(lsh):.0f}, p95 {p95(lsh)}, max {max(lsh)}; pairs recorded:"
        f" median {statistics.median(recorded):.0f}, p95 {p95(recorded)}, max {max(recorded)}."
    )
    slow = sorted(range(len(times)), key=lambda i: -times[i])[: max(1, len(times) // 20)]
    print(
        f"The slowest 5 % of checks ({len(slow)}, from {min(times[i] for i in slow):.1f} ms):"
        f" median {statistics.median(lsh[i] for i in slow):.0f} candidates, against"
        f" {statistics.median(lsh):.0f} over all checks."
    )
    print(
        f"Recall on the held-out planted copies: {hits}/{len(copies)}"
        f" ({hits / max(1, len(copies)):.4f}) had the pair with their source recorded."
    )
    print(
        f"Other pairs recorded: {others} ({same_family} with another copy or the original of the"
        f" same family, {others - same_family} unrelated) over {len(checks)} checks."
    )


def main() -> None:
    args = parse_args()
    config = bench.database_settings(BENCH_DB)
    info = bench.loaded_info(config, BENCH_DB) if args.reuse else None
    if info is not None and info.get("sizes") == sizes_key(args):
        import django

        print(f"Reusing {BENCH_DB}: {info['sizes']} (n/copies/checks/seed).")
        django.setup()
        bench.migrate()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT submission_id FROM bench_truth WHERE role <> 'indexed'")
            unindex([pk for (pk,) in cursor.fetchall()])
    else:
        info = load(args, config)
    run(args, info)


if __name__ == "__main__":
    main()

"""Scale-out on real services (started by tests/scaleout/run.sh): RQ workers on Redis, sessions
in Redis shared by two web processes, reads from a streaming replica with read-your-writes and
fallback, media and private files on an S3 API server, readiness of each dependency."""

import datetime as dt
import io
import os
import re
import subprocess
import time
import uuid
import zipfile

import boto3
import psycopg
import pytest
import requests
from django.conf import settings

pytestmark = [pytest.mark.scaleout, pytest.mark.usefixtures("db_access")]

WEB_A = os.environ.get("SCALEOUT_WEB_A", "")
WEB_B = os.environ.get("SCALEOUT_WEB_B", "")
PASSWORD = "correct-horse-42"
CERTIFICATES = int(os.environ.get("SCALEOUT_CERTIFICATES", "200"))


def wait_for(predicate, *, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up waiting for {what} after {timeout:.0f}s")


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def s3():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
        region_name=os.environ["S3_REGION"],
    )


def keys(prefix: str) -> list[str]:
    found = []
    for page in (
        s3()
        .get_paginator("list_objects_v2")
        .paginate(Bucket=settings.STORAGES["default"]["OPTIONS"]["bucket_name"], Prefix=prefix)
    ):
        found += [item["Key"] for item in page.get("Contents", [])]
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A city, two wards, a leader of the city and an officer of another ward; the bucket."""
    from tests.factories import UserFactory, make_unit
    from thidua.honors.catalogue import ensure_catalogue

    bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    existing = [b["Name"] for b in s3().list_buckets().get("Buckets", [])]
    if bucket not in existing:
        s3().create_bucket(Bucket=bucket)
    with django_db_blocker.unblock():
        suffix = uuid.uuid4().hex[:6]
        city = make_unit("Thành phố Thử", code=f"S{suffix}", kind_code="province")
        ward = make_unit("Phường Một", parent=city, code=f"S{suffix}-1", kind_code="ward")
        other = make_unit("Phường Hai", parent=city, code=f"S{suffix}-2", kind_code="ward")
        leader = UserFactory(
            username=f"leader-{suffix}", full_name="Trần Thị Lãnh Đạo", roles=[("leader", city)]
        )
        outsider = UserFactory(username=f"outsider-{suffix}", roles=[("officer", other)])
        ensure_catalogue()
    return {"city": city, "ward": ward, "leader": leader, "outsider": outsider}


def test_every_dependency_is_ready():
    for base in (WEB_A, WEB_B):
        response = requests.get(f"{base}/readyz", timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["checks"] == {
            "database": "ok",
            "cache": "ok",
            "queue": "ok",
            "storage": "ok",
            "replica": "ok",
        }
    assert "thidua_tasks_queued" in requests.get(f"{WEB_A}/metrics", timeout=30).text


def test_a_task_enqueued_once_runs_once_across_two_workers():
    import django_rq

    from tests.scaleout.probe import count_run

    redis = django_rq.get_connection("default")
    redis.delete("scaleout:workers")
    names = [f"t{n}-{uuid.uuid4().hex[:6]}" for n in range(20)]
    for name in names:
        count_run.enqueue(name)
    wait_for(
        lambda: all(redis.get(f"scaleout:runs:{n}") for n in names),
        timeout=120,
        what="20 tasks to run",
    )
    time.sleep(1)  # a duplicate run would show by now
    assert [int(redis.get(f"scaleout:runs:{n}")) for n in names] == [1] * 20
    assert redis.scard("scaleout:workers") == 2  # both workers took part


def test_a_session_made_through_one_web_process_works_through_the_other(world):
    browser = login(WEB_A, world["leader"].username)
    page = browser.get(f"{WEB_B}/staff/", timeout=60, allow_redirects=False)
    assert page.status_code == 200 and "Trần Thị Lãnh Đạo" in page.text
    # the session lives in Redis (written through to the database), not in either process
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    assert cache.get(KEY_PREFIX + browser.cookies["sessionid"]) is not None


def test_a_batch_of_certificates_is_shared_by_two_workers_into_one_zip_in_object_storage(world):
    import django_rq
    from rq.registry import FinishedJobRegistry

    from thidua.honors import services
    from thidua.honors.models import AwardType, Certificate, CertificateBatch, Nomination, Round

    ward = world["ward"]
    award = AwardType.objects.get(code="bang-khen")
    round_ = Round.objects.create(
        title="Thử quy mô",
        kind="regular",
        owner_unit=world["city"],
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(
            round=round_,
            award_type=award,
            nominee_kind="person",
            nominee_name=f"Người số {i}",
            search_name=f"nguoi so {i}",
            nominee_key=f"nguoi so {i}||{ward.pk}",
            unit=ward,
            proposing_unit=ward,
            current_unit=ward,
            achievements="…",
            nominated_on=dt.date(2026, 3, 1),
            status="approved",
        )
        for i in range(CERTIFICATES)
    )
    decision = services.issue_decision(
        world["leader"],
        round=round_,
        number=f"{uuid.uuid4().hex[:4]}/QĐ-UBND",
        signed_on=dt.date(2026, 3, 2),
        signer="Trần Thị Lãnh Đạo",
        nominations=nominations,
    )
    browser = login(WEB_A, world["leader"].username)
    page = browser.get(f"{WEB_A}/honors/decisions/{decision.pk}/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    started = browser.post(
        f"{WEB_A}/honors/decisions/{decision.pk}/certificates/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{WEB_A}/honors/decisions/{decision.pk}/"},
        timeout=60,
    )
    assert started.status_code == 200
    batch = CertificateBatch.objects.get(decision=decision)

    def done():
        batch.refresh_from_db()
        assert batch.status != CertificateBatch.Status.FAILED, batch.error
        return batch.status == CertificateBatch.Status.DONE

    wait_for(done, timeout=float(os.environ.get("SCALEOUT_BATCH_TIMEOUT", "720")), what="batch")
    certificates = Certificate.objects.filter(honour__decision=decision)
    assert certificates.count() == CERTIFICATES
    assert certificates.filter(pdf="").count() == 0
    # in the private part of object storage: each PDF once, and one ZIP
    pdfs = {c.pdf.name for c in certificates}
    stored = set(keys("private/honors/"))
    assert {f"private/{name}" for name in pdfs} <= stored
    zips = [k for k in stored if k == f"private/{batch.archive.name}"]
    assert len(zips) == 1
    # chunks ran on both workers
    queue = django_rq.get_queue("default")
    registry = FinishedJobRegistry(queue=queue)
    workers = set()
    for job in queue.job_class.fetch_many(registry.get_job_ids(), connection=queue.connection):
        chunk = job is not None and job.func_name.endswith("generate_certificate_chunk")
        if chunk and job.args and job.args[0] == batch.pk:
            workers.add(job.worker_name)
    assert len(workers) == 2, workers
    # the ZIP, through the other web process, to the leader; refused to an officer elsewhere
    url = f"/honors/decisions/{decision.pk}/certificates/{batch.pk}/certificates.zip"
    response = browser.get(f"{WEB_B}{url}", timeout=120)
    assert response.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == CERTIFICATES
    outsider = login(WEB_B, world["outsider"].username)
    refused = outsider.get(f"{WEB_B}{url}", timeout=60, allow_redirects=False)
    assert refused.status_code in (403, 404)
    assert b"PK" not in refused.content[:2]


def test_private_files_land_in_the_private_part_of_object_storage():
    """The "private" storage (STORAGES["private"]) is the bucket's private/ prefix: files there
    are handed out only by the permission-checking views."""
    from django.core.files.base import ContentFile

    from thidua.initiatives.models import private_storage

    storage = private_storage()
    name = storage.save(f"initiatives/minutes/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4"))
    assert f"private/{name}" in keys("private/")
    with storage.open(name, "rb") as file:
        assert file.read() == b"%PDF-1.4"
    # Uploads are private by default (STORAGES["default"] is this storage too); the test above
    # shows a private file in object storage handed out by a permission-checking view to the
    # leader and refused to an officer elsewhere (the decision's certificate ZIP).
    from django.core.files.storage import default_storage

    assert default_storage.location == storage.location


def _replica_sql(sql: str):
    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True) as conn:
        return conn.execute(sql).fetchone()


def _primary_sql(sql: str):
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        return conn.execute(sql).fetchone()


def _public_movement(world):
    from thidua.movements import services
    from thidua.movements.models import Movement
    from thidua.org.models import UnitKind

    admin = world["leader"]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    movement = services.create_movement(
        admin,
        title=f"Phong trào thử bản sao {uuid.uuid4().hex[:6]}",
        owner_unit=world["city"],
        kind=Movement.Kind.STANDING,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        scope_kinds=[UnitKind.objects.get(code="ward")],
        indicators=[{"name": "Gia đình văn hóa", "aggregation": "sum"}],
    )
    Movement.objects.filter(pk=movement.pk).update(status=Movement.Status.LAUNCHED)
    return movement


def test_reads_go_to_the_replica_except_after_a_write_and_fall_back_when_it_lags_or_stops(
    world,
):
    anonymous = requests.Session()
    # the replica has replayed everything so far
    target = _primary_sql("SELECT pg_current_wal_lsn()::text")[0]
    wait_for(
        lambda: _replica_sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0],
        timeout=30,
        what="the replica to catch up",
    )
    _replica_sql("SELECT pg_wal_replay_pause()")
    try:
        movement = _public_movement(world)  # on the primary only
        url = f"{WEB_A}/p/movements/{movement.slug}/"
        # a public page read goes to the replica, which has not seen it yet
        assert anonymous.get(url, timeout=60).status_code == 404
        # a user who just wrote (logging in writes) reads the primary
        writer = login(WEB_A, world["leader"].username)
        assert "thidua_wrote" in writer.cookies
        assert writer.get(url, timeout=60).status_code == 200
        # the replica falls behind beyond REPLICA_MAX_LAG_SECONDS: pages answer from the primary
        wait_for(
            lambda: anonymous.get(url, timeout=60).status_code == 200,
            timeout=60,
            every=1,
            what="the lagging replica to be skipped",
        )
        ready = requests.get(f"{WEB_A}/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["checks"]["replica"] == "lagging"
    finally:
        _replica_sql("SELECT pg_wal_replay_resume()")
    # caught up again, the replica serves it
    wait_for(
        lambda: requests.get(f"{WEB_B}/readyz", timeout=30).json()["checks"]["replica"] == "ok",
        timeout=60,
        what="the replica to be used again",
    )
    assert anonymous.get(f"{WEB_B}/p/movements/{movement.slug}/", timeout=60).status_code == 200
    # the replica stops: the pages still answer, from the primary
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            f"{os.environ['SCALEOUT_PG_BIN']}/pg_ctl",
            "-D",
            os.environ["SCALEOUT_REPLICA_PGDATA"],
            "-m",
            "fast",
            "-w",
            "stop",
        ]
        if os.getuid() == 0
        else [
            f"{os.environ['SCALEOUT_PG_BIN']}/pg_ctl",
            "-D",
            os.environ["SCALEOUT_REPLICA_PGDATA"],
            "-m",
            "fast",
            "-w",
            "stop",
        ],
        check=True,
        capture_output=True,
    )
    for base in (WEB_A, WEB_B):
        assert anonymous.get(f"{base}/p/movements/{movement.slug}/", timeout=60).status_code == 200
        assert anonymous.get(f"{base}/p/movements/", timeout=60).status_code == 200
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["checks"]["replica"] == "error"


def test_a_write_in_any_process_retires_the_stored_public_pages_of_every_web_process(world):
    """Each web process keeps the public versions it has read while it hears every change on
    Redis: a write elsewhere (here, this test's process) is seen by the next request to each."""
    anonymous = requests.Session()
    url = "/p/movements/"

    def etags():
        return {
            base: anonymous.get(f"{base}{url}", timeout=60).headers["ETag"]
            for base in (WEB_A, WEB_B)
        }

    before = etags()
    assert etags() == before  # stored, and answered again from each process's table
    _public_movement(world)  # an audited service write: the movements' version moves on
    after = etags()
    assert all(after[base] != before[base] for base in (WEB_A, WEB_B)), (before, after)
    assert etags() == after

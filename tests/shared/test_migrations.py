"""Fields of work and councils moved to `thidua.shared` without losing a row or a link: a database
migrated to just before the move, filled, then migrated past it keeps every row, every foreign key
and every many-to-many link, on SQLite and on PostgreSQL (whichever the suite runs on)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from thidua.initiatives.models import Call
from thidua.practices.models import Practice
from thidua.shared.models import Council, CouncilMember, Field

BEFORE = [
    ("movements", "0006_move_files_to_private_storage"),
    ("initiatives", "0007_sentence_call"),
    ("practices", "0003_move_files_to_private_storage"),
    ("honors", "0013_move_files_to_private_storage"),
    ("shared", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # the state of every other app as it is in the database (their latest migration)
    moved_apps = {app for app, _ in targets}
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in moved_apps]
    return executor.loader.project_state(others + [t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_field_and_council_to_shared_keeps_every_row_and_link():
    old = _migrate(BEFORE)
    # the historical models of before the move: Field in movements, Council in initiatives
    OldField = old.get_model("movements", "Field")
    OldCouncil = old.get_model("initiatives", "Council")
    OldMember = old.get_model("initiatives", "CouncilMember")
    kind, _ = old.get_model("org", "UnitKind").objects.get_or_create(
        code="province",
        defaults={"name_vi": "Tỉnh", "name_en": "Province", "name_id": "P", "order": 0},
    )
    unit = old.get_model("org", "Unit").objects.create(
        code="01", name="Hà Nội", search_name="ha noi", kind=kind, path="01",
        valid_from=dt.date(2025, 7, 1),
    )  # fmt: skip
    user = old.get_model("accounts", "User").objects.create(username="uyvien")
    field = OldField.objects.create(
        code="moi-truong", name_vi="Môi trường", name_en="Environment", name_id="Lingkungan"
    )
    council = OldCouncil.objects.create(name="Hội đồng sáng kiến", owner_unit=unit)
    member = OldMember.objects.create(council=council, user=user, role="chair", unit=unit)
    member.expertise.add(field)
    call = old.get_model("initiatives", "Call").objects.create(
        title="Sáng kiến 2026", slug="sang-kien-2026", owner_unit=unit, council=council,
        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 3, 31),
    )  # fmt: skip
    call.fields.add(field)
    practice = old.get_model("practices", "Practice").objects.create(
        title="Phân loại rác", owner_unit=unit, field=field, started_on=dt.date(2025, 1, 1)
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Field.objects.get(pk=field.pk)
    assert moved.code == "moi-truong" and moved.name_vi == "Môi trường"
    seat = CouncilMember.objects.get(pk=member.pk)
    assert seat.council == Council.objects.get(pk=council.pk, name="Hội đồng sáng kiến")
    assert seat.role == "chair" and seat.user.username == "uyvien"
    assert list(seat.expertise.all()) == [moved]
    assert Call.objects.get(pk=call.pk).council_id == council.pk
    assert list(Call.objects.get(pk=call.pk).fields.all()) == [moved]
    assert Practice.objects.get(pk=practice.pk).field == moved
    # new rows still get fresh keys in the kept tables (sequences carried over)
    assert Field.objects.create(code="an-sinh", name_vi="An sinh", name_en="S", name_id="S").pk
    assert Council.objects.create(name="Hội đồng thi đua", owner_unit_id=unit.pk).pk > council.pk

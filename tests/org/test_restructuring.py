"""`apply_restructuring` / `undo_restructuring`: each operation, dry runs, refusals, undo.

The `tree` fixture (tests/conftest.py): Hà Nội → Long Biên (Bồ Đề → Tổ dân phố 1, Phúc Lợi) and
Tây Hồ (Quảng An), all in force since 2020-01-01.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.factories import UserFactory, grant, kind, make_unit
from thidua.core.models import AuditEvent
from thidua.org.models import Lineage, Restructuring, Unit
from thidua.org.selectors import children, subtree
from thidua.org.services import apply_restructuring, create_unit, undo_restructuring

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 1)
BEFORE = DAY - dt.timedelta(days=1)


def restructure(actor, *operations, title="Sắp xếp 2025", dry_run=False, day=DAY):
    return apply_restructuring(
        actor, effective_date=day, title=title, operations=list(operations), dry_run=dry_run
    )


def snapshot() -> dict[str, object]:
    """Everything a restructuring may write, to prove that nothing was written."""
    return {
        "units": list(
            Unit.objects.order_by("pk").values_list(
                "pk", "code", "name", "parent_id", "path", "valid_from", "valid_to"
            )
        ),
        "lineage": Lineage.objects.count(),
        "restructurings": list(Restructuring.objects.values_list("pk", "status")),
        "audit": AuditEvent.objects.count(),
    }


def reload(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def links(restructuring: Restructuring) -> set[tuple[int, int, Decimal, bool]]:
    return set(
        restructuring.lineages.values_list("predecessor_id", "successor_id", "share", "is_default")
    )


def opened_under(parent: Unit, name: str) -> Unit:
    return Unit.objects.get(parent=parent, name=name, valid_from=DAY)


def assert_closed(unit: Unit, restructuring: Restructuring) -> None:
    fresh = reload(unit)
    assert fresh.valid_to == BEFORE
    assert fresh.closed_by_restructuring == restructuring
    assert (fresh.path, fresh.parent_id, fresh.name) == (unit.path, unit.parent_id, unit.name)


def assert_placed(unit: Unit, parent: Unit | None) -> None:
    assert unit.parent_id == (parent.pk if parent else None)
    assert unit.path.startswith(parent.path if parent else "")
    assert unit.path_ids()[-1] == unit.pk
    assert unit.path_ids()[:-1] == (parent.path_ids() if parent else [])
    assert unit.depth == (parent.depth + 1 if parent else 0)


# --- each operation ---------------------------------------------------------------------------


def test_rename_closes_the_unit_and_carries_its_children(tree, superuser):
    long_bien = tree["long_bien"]
    restructuring, plan = restructure(
        superuser, {"op": "rename", "unit": long_bien.pk, "name": "Quận Long Biên mới"}
    )
    assert_closed(long_bien, restructuring)
    renamed = opened_under(tree["city"], "Quận Long Biên mới")
    assert_placed(renamed, tree["city"])
    assert (renamed.code, renamed.kind, renamed.valid_to) == (long_bien.code, long_bien.kind, None)
    assert renamed.created_by_restructuring == restructuring
    # the wards and their residential group are reopened one to one under the new district
    bo_de, phuc_loi = (
        opened_under(renamed, "Phường Bồ Đề"),
        opened_under(renamed, "Phường Phúc Lợi"),
    )
    group = opened_under(bo_de, "Tổ dân phố 1")
    for old in ("bo_de", "phuc_loi", "group"):
        assert_closed(tree[old], restructuring)
    assert links(restructuring) == {
        (long_bien.pk, renamed.pk, Decimal(1), True),
        (tree["bo_de"].pk, bo_de.pk, Decimal(1), True),
        (tree["phuc_loi"].pk, phuc_loi.pk, Decimal(1), True),
        (tree["group"].pk, group.pk, Decimal(1), True),
    }
    assert sorted(u.name for u in children(tree["city"], as_of=DAY)) == [
        "Quận Long Biên mới",
        "Quận Tây Hồ",
    ]
    assert len(plan.closed) == len(plan.opened) == 4
    event = AuditEvent.objects.get(verb="org.apply_restructuring")
    assert event.target_id == str(restructuring.pk)


def test_merge_opens_one_unit_for_all(tree, superuser):
    restructuring, _ = restructure(
        superuser,
        {
            "op": "merge",
            "units": [tree["bo_de"].pk, tree["phuc_loi"].pk],
            "into": {"code": "00127", "name": "Phường Việt Hưng"},
        },
    )
    merged = opened_under(tree["long_bien"], "Phường Việt Hưng")
    assert merged.code == "00127"
    assert merged.kind == tree["bo_de"].kind
    assert_placed(merged, tree["long_bien"])
    assert_closed(tree["bo_de"], restructuring)
    assert_closed(tree["phuc_loi"], restructuring)
    group = opened_under(merged, "Tổ dân phố 1")
    assert links(restructuring) == {
        (tree["bo_de"].pk, merged.pk, Decimal(1), True),
        (tree["phuc_loi"].pk, merged.pk, Decimal(1), True),
        (tree["group"].pk, group.pk, Decimal(1), True),
    }
    assert reload(tree["long_bien"]).valid_to is None


def test_merge_into_another_parent(tree, superuser):
    restructuring, _ = restructure(
        superuser,
        {
            "op": "merge",
            "units": [tree["phuc_loi"].pk, tree["quang_an"].pk],
            "into": {"code": "X1", "name": "Phường Mới", "parent": tree["tay_ho"].pk},
        },
    )
    merged = opened_under(tree["tay_ho"], "Phường Mới")
    assert_placed(merged, tree["tay_ho"])
    assert len(links(restructuring)) == 2


def test_split_divides_by_share_and_children_follow_the_default(tree, superuser):
    long_bien = tree["long_bien"]
    restructuring, _ = restructure(
        superuser,
        {
            "op": "split",
            "unit": long_bien.pk,
            "into": [
                {"code": "LB-N", "name": "Quận Long Biên Bắc", "share": "0.6", "is_default": True},
                {"code": "LB-S", "name": "Quận Long Biên Nam", "share": "0.4"},
            ],
        },
    )
    north = opened_under(tree["city"], "Quận Long Biên Bắc")
    south = opened_under(tree["city"], "Quận Long Biên Nam")
    assert_closed(long_bien, restructuring)
    assert {(p, s, share, d) for p, s, share, d in links(restructuring) if p == long_bien.pk} == {
        (long_bien.pk, north.pk, Decimal("0.6"), True),
        (long_bien.pk, south.pk, Decimal("0.4"), False),
    }
    assert sorted(u.name for u in children(north, as_of=DAY)) == ["Phường Bồ Đề", "Phường Phúc Lợi"]
    assert not children(south, as_of=DAY).exists()
    assert subtree(north, as_of=DAY).count() == 4  # north, two wards, the residential group


def test_move_reopens_under_the_new_parent(tree, superuser):
    quang_an = tree["quang_an"]
    restructuring, _ = restructure(
        superuser, {"op": "move", "unit": quang_an.pk, "parent": tree["long_bien"].pk}
    )
    moved = opened_under(tree["long_bien"], quang_an.name)
    assert_placed(moved, tree["long_bien"])
    assert moved.code == quang_an.code
    assert_closed(quang_an, restructuring)
    assert links(restructuring) == {(quang_an.pk, moved.pk, Decimal(1), True)}
    assert not children(tree["tay_ho"], as_of=DAY).exists()


def test_abolish_level_hands_children_to_the_parent(tree, superuser):
    restructuring, _ = restructure(
        superuser, {"op": "abolish_level", "kind": "district", "under": tree["city"].pk}
    )
    city = tree["city"]
    for name in ("long_bien", "tay_ho", "bo_de", "phuc_loi", "quang_an", "group"):
        assert_closed(tree[name], restructuring)
    now = list(children(city, as_of=DAY))
    assert sorted(u.name for u in now) == ["Phường Bồ Đề", "Phường Phúc Lợi", "Phường Quảng An"]
    assert {u.depth for u in now} == {1}
    assert (tree["long_bien"].pk, city.pk, Decimal(1), True) in links(restructuring)
    assert (tree["tay_ho"].pk, city.pk, Decimal(1), True) in links(restructuring)
    assert not subtree(city, as_of=DAY).filter(kind__code="district").exists()
    assert subtree(city, as_of=DAY).filter(kind__code="residential_area").count() == 1


def test_create_opens_a_unit_without_lineage(tree, superuser):
    restructuring, _ = restructure(
        superuser,
        {
            "op": "create",
            "code": "00100",
            "name": "Phường Mới",
            "kind": "ward",
            "parent": tree["tay_ho"].pk,
        },
    )
    new = opened_under(tree["tay_ho"], "Phường Mới")
    assert_placed(new, tree["tay_ho"])
    assert not restructuring.lineages.exists()
    assert not restructuring.closed_units.exists()


def test_old_units_keep_their_paths_and_parents(tree, superuser):
    before = {u.pk: (u.path, u.parent_id, u.depth) for u in Unit.objects.all()}
    restructure(
        superuser,
        {"op": "rename", "unit": tree["tay_ho"].pk, "name": "Quận Tây Hồ mới"},
        {"op": "move", "unit": tree["phuc_loi"].pk, "parent": tree["city"].pk},
    )
    after = {u.pk: (u.path, u.parent_id, u.depth) for u in Unit.objects.filter(pk__in=before)}
    assert after == before


def test_the_old_tree_is_unchanged_the_day_before(tree, superuser):
    old = list(subtree(tree["city"], as_of=BEFORE).values_list("pk", flat=True))
    restructure(superuser, {"op": "abolish_level", "kind": "district"})
    assert list(subtree(tree["city"], as_of=BEFORE).values_list("pk", flat=True)) == old


def test_dry_run_writes_nothing(tree, superuser):
    before = snapshot()
    restructuring, plan = restructure(
        superuser,
        {"op": "merge", "units": [tree["bo_de"].pk, tree["phuc_loi"].pk], "into": {"code": "M"}},
        dry_run=True,
    )
    assert restructuring is None
    assert {u.pk for u in plan.closed} == {tree[n].pk for n in ("bo_de", "phuc_loi", "group")}
    assert len(plan.opened) == 2 and all(u.pk is None for u in plan.opened)
    assert len(plan.summary()["lineage"]) == 3
    assert snapshot() == before


# --- bad input --------------------------------------------------------------------------------


def split(unit: Unit, *parts: tuple[str, bool]) -> dict:
    return {
        "op": "split",
        "unit": unit.pk,
        "into": [
            {"code": f"P{i}", "name": f"Phần {i}", "share": share, "is_default": is_default}
            for i, (share, is_default) in enumerate(parts)
        ],
    }


def closed_unit(tree) -> Unit:
    return make_unit(
        "Phường Cũ", parent=tree["long_bien"], code="00999", valid_to=dt.date(2023, 12, 31)
    )


def not_yet_in_force(tree) -> Unit:
    return make_unit("Phường Sau", parent=tree["tay_ho"], code="00888", valid_from=DAY)


# case -> (operations on the tree, what the error says)
BAD_OPERATIONS = {
    "shares below 1": (
        lambda t: [split(t["long_bien"], ("0.5", True), ("0.4", False))],
        "sum to 1",
    ),
    "shares above 1": (
        lambda t: [split(t["long_bien"], ("0.7", True), ("0.4", False))],
        "sum to 1",
    ),
    "a zero share": (lambda t: [split(t["long_bien"], ("1", True), ("0", False))], "positive"),
    "a negative share": (
        lambda t: [split(t["long_bien"], ("1.5", True), ("-0.5", False))],
        "positive",
    ),
    "a share that is not a number": (
        lambda t: [split(t["long_bien"], ("half", True), ("0.5", False))],
        "not a number",
    ),
    "two defaults": (
        lambda t: [split(t["long_bien"], ("0.5", True), ("0.5", True))],
        "exactly one part",
    ),
    "no default": (
        lambda t: [split(t["long_bien"], ("0.5", False), ("0.5", False))],
        "exactly one part",
    ),
    "a split into one part": (
        lambda t: [split(t["long_bien"], ("1", True))],
        "two or more parts",
    ),
    "unknown unit id": (
        lambda t: [{"op": "rename", "unit": 987654, "name": "X"}],
        "does not exist",
    ),
    "unit no longer in force": (
        lambda t: [{"op": "rename", "unit": closed_unit(t).pk, "name": "X"}],
        "not in force",
    ),
    "unit not yet in force": (
        lambda t: [{"op": "rename", "unit": not_yet_in_force(t).pk, "name": "X"}],
        "not in force",
    ),
    "unknown operation": (
        lambda t: [{"op": "teleport", "unit": t["bo_de"].pk}],
        "unknown operation",
    ),
    "unknown kind": (lambda t: [{"op": "abolish_level", "kind": "galaxy"}], "Unknown unit kind"),
    "merge of one unit": (
        lambda t: [{"op": "merge", "units": [t["bo_de"].pk]}],
        "two or more units",
    ),
    "merge with an unknown unit": (
        lambda t: [{"op": "merge", "units": [t["bo_de"].pk, 987654]}],
        "does not exist",
    ),
    "move under itself": (
        lambda t: [{"op": "move", "unit": t["long_bien"].pk, "parent": t["long_bien"].pk}],
        "under itself",
    ),
    "move under its own ward": (
        lambda t: [{"op": "move", "unit": t["long_bien"].pk, "parent": t["bo_de"].pk}],
        "under itself",
    ),
    "move under an unknown parent": (
        lambda t: [{"op": "move", "unit": t["bo_de"].pk, "parent": 987654}],
        "does not exist",
    ),
    "one unit in two operations": (
        lambda t: [
            {"op": "rename", "unit": t["bo_de"].pk, "name": "A"},
            {"op": "move", "unit": t["bo_de"].pk, "parent": t["tay_ho"].pk},
        ],
        "two operations",
    ),
    "a unit opening under a closed one": (
        lambda t: [
            {"op": "rename", "unit": t["tay_ho"].pk, "name": "A"},
            {"op": "move", "unit": t["bo_de"].pk, "parent": t["tay_ho"].pk},
        ],
        "under a closed unit",
    ),
    "two new units with one code": (
        lambda t: [
            {
                "op": "split",
                "unit": t["long_bien"].pk,
                "into": [
                    {"code": "SAME", "share": "0.5", "is_default": True},
                    {"code": "SAME", "share": "0.5"},
                ],
            }
        ],
        "would have the code SAME",
    ),
    "create without a kind": (
        lambda t: [{"op": "create", "code": "N", "name": "N"}],
        "code, name and kind are required",
    ),
}


@pytest.mark.parametrize("case", list(BAD_OPERATIONS))
def test_bad_operations_are_refused_and_write_nothing(tree, superuser, case):
    make_operations, message = BAD_OPERATIONS[case]
    operations = make_operations(tree)
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        restructure(superuser, *operations)
    assert any(message in text for text in error.value.messages), error.value.messages
    assert snapshot() == before


@pytest.mark.parametrize("title", ["", "   "])
def test_a_title_is_required(tree, superuser, title):
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="needs a title"):
        restructure(superuser, {"op": "rename", "unit": tree["bo_de"].pk, "name": "X"}, title=title)
    assert snapshot() == before


def test_dry_run_reports_bad_input_too(tree, superuser):
    with pytest.raises(ValidationError):
        restructure(
            superuser, split(tree["long_bien"], ("0.5", True), ("0.4", False)), dry_run=True
        )


# Bad input the service lets through to the database (see the report for each).


def test_unknown_unit_code_is_a_validation_error(tree, superuser):
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(superuser, {"op": "rename", "unit": "no-such-unit", "name": "X"})
    assert snapshot() == before


def test_merge_listing_a_unit_twice_is_refused(tree, superuser):
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(
            superuser,
            {"op": "merge", "units": [tree["bo_de"].pk, tree["bo_de"].pk], "into": {"code": "M"}},
        )
    assert snapshot() == before


def test_merge_with_own_descendant_is_refused(tree, superuser):
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(
            superuser,
            {
                "op": "merge",
                "units": [tree["long_bien"].pk, tree["bo_de"].pk],
                "into": {"code": "M", "name": "Quận Mới"},
            },
        )
    assert snapshot() == before


def test_move_under_a_closed_parent_is_refused(tree, superuser):
    old_district = make_unit(
        "Quận Cũ", parent=tree["city"], code="099", valid_to=dt.date(2023, 12, 31)
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(superuser, {"op": "move", "unit": tree["bo_de"].pk, "parent": old_district.pk})
    assert snapshot() == before


def test_two_new_units_with_one_code_under_different_parents_are_refused(tree, superuser):
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(
            superuser,
            {
                "op": "create",
                "code": "SAME",
                "name": "A",
                "kind": "ward",
                "parent": tree["long_bien"].pk,
            },
            {
                "op": "create",
                "code": "SAME",
                "name": "B",
                "kind": "ward",
                "parent": tree["tay_ho"].pk,
            },
        )
    assert snapshot() == before


def test_a_share_finer_than_stored_is_refused(tree, superuser):
    """Lineage.share keeps 8 decimal places; 1e-9 would be stored as 0."""
    before = snapshot()
    with pytest.raises(ValidationError):
        restructure(
            superuser, split(tree["long_bien"], ("0.999999999", True), ("0.000000001", False))
        )
    assert snapshot() == before


def test_carried_children_sit_one_level_below_their_new_parent(tree, superuser):
    restructure(superuser, {"op": "rename", "unit": tree["long_bien"].pk, "name": "Quận Mới"})
    renamed = opened_under(tree["city"], "Quận Mới")
    bo_de = opened_under(renamed, "Phường Bồ Đề")
    group = opened_under(bo_de, "Tổ dân phố 1")
    assert (renamed.depth, bo_de.depth, group.depth) == (1, 2, 3)
    for unit in subtree(tree["city"], as_of=DAY):
        assert unit.depth == len(unit.path_ids()) - 1, unit


def test_units_may_be_named_by_their_code(tree, superuser):
    """GSO codes are digits ("004"); a code must not be mistaken for the id of another unit."""
    # A district whose code reads as the id of the ward Bồ Đề.
    district = make_unit("Quận Mới", parent=tree["city"], code=f"{tree['bo_de'].pk:05d}")
    restructure(superuser, {"op": "move", "unit": tree["quang_an"].pk, "parent": district.code})
    assert children(district, as_of=DAY).filter(name="Phường Quảng An").exists()
    assert not children(tree["bo_de"], as_of=DAY).filter(name="Phường Quảng An").exists()


# --- permissions ------------------------------------------------------------------------------


def merge_long_bien_wards(tree) -> dict:
    return {
        "op": "merge",
        "units": [tree["bo_de"].pk, tree["phuc_loi"].pk],
        "into": {"code": "M", "name": "Phường Mới"},
    }


@pytest.fixture
def tay_ho_admin(tree):
    user = UserFactory(username="th-admin", roles=[("administrator", tree["tay_ho"])])
    return user


@pytest.fixture
def long_bien_admin(tree):
    user = UserFactory(username="lb-admin", roles=[("administrator", tree["long_bien"])])
    return user


def test_district_administrator_may_restructure_inside_the_district(tree, long_bien_admin):
    restructuring, _ = restructure(long_bien_admin, merge_long_bien_wards(tree))
    assert restructuring.created_by == long_bien_admin


def test_city_administrator_may_move_between_districts(tree, admin_user):
    restructure(
        admin_user, {"op": "move", "unit": tree["quang_an"].pk, "parent": tree["long_bien"].pk}
    )
    assert opened_under(tree["long_bien"], "Phường Quảng An")


@pytest.mark.parametrize(
    ("who", "operations"),
    [
        ("officer", lambda t: [merge_long_bien_wards(t)]),
        ("tay_ho_admin", lambda t: [merge_long_bien_wards(t)]),
        ("tay_ho_admin", lambda t: [{"op": "rename", "unit": t["long_bien"].pk, "name": "X"}]),
        ("tay_ho_admin", lambda t: [{"op": "abolish_level", "kind": "district"}]),
        # the ward is theirs but the new parent is not
        (
            "long_bien_admin",
            lambda t: [{"op": "move", "unit": t["bo_de"].pk, "parent": t["tay_ho"].pk}],
        ),
        # the new parent is theirs but the ward is not
        (
            "tay_ho_admin",
            lambda t: [{"op": "move", "unit": t["bo_de"].pk, "parent": t["tay_ho"].pk}],
        ),
        (
            "long_bien_admin",
            lambda t: [
                {"op": "create", "code": "N", "name": "N", "kind": "ward", "parent": t["tay_ho"].pk}
            ],
        ),
        (
            "long_bien_admin",
            lambda t: [
                {
                    "op": "merge",
                    "units": [t["bo_de"].pk, t["phuc_loi"].pk],
                    "into": {"code": "M", "name": "M", "parent": t["tay_ho"].pk},
                }
            ],
        ),
    ],
)
def test_refused_users_write_nothing(tree, request, who, operations):
    actor = request.getfixturevalue(who)
    ops = operations(tree)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        restructure(actor, *ops)
    with pytest.raises(PermissionDenied):
        restructure(actor, *ops, dry_run=True)
    assert snapshot() == before


def test_permission_is_checked_before_input_is_reported(tree, officer):
    with pytest.raises(PermissionDenied):
        restructure(officer, merge_long_bien_wards(tree), title="")


def test_district_administrator_cannot_create_a_top_unit(tree, long_bien_admin):
    with pytest.raises(PermissionDenied):
        create_unit(
            long_bien_admin,
            code="T",
            name="Tỉnh Mới",
            kind=kind("province"),
            parent=None,
            valid_from=DAY,
        )
    before = snapshot()
    with pytest.raises(PermissionDenied):
        restructure(
            long_bien_admin, {"op": "create", "code": "T", "name": "Tỉnh Mới", "kind": "province"}
        )
    assert snapshot() == before


# --- undo -------------------------------------------------------------------------------------


def merge_childless_wards(tree) -> dict:
    """Phúc Lợi (Long Biên) and Quảng An (Tây Hồ) into a new ward of Long Biên."""
    return {
        "op": "merge",
        "units": [tree["phuc_loi"].pk, tree["quang_an"].pk],
        "into": {"code": "M", "name": "Phường Mới"},
    }


def test_undo_restores_the_tree_when_nothing_is_attached(tree, superuser):
    before = snapshot()
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    undone = undo_restructuring(superuser, restructuring=restructuring)
    assert undone.status == Restructuring.Status.UNDONE
    after = snapshot()
    assert after["units"] == before["units"]
    assert after["lineage"] == before["lineage"]
    assert after["audit"] == before["audit"] + 2
    assert AuditEvent.objects.filter(verb="org.undo_restructuring").count() == 1
    assert reload(tree["phuc_loi"]).closed_by_restructuring is None
    assert {u.pk for u in children(tree["long_bien"], as_of=DAY)} == {
        tree["bo_de"].pk,
        tree["phuc_loi"].pk,
    }
    assert {u.pk for u in children(tree["tay_ho"], as_of=DAY)} == {tree["quang_an"].pk}


def test_undo_removes_carried_children_too(tree, superuser):
    before = snapshot()
    restructuring, _ = restructure(superuser, merge_long_bien_wards(tree))
    undo_restructuring(superuser, restructuring=restructuring)
    assert snapshot()["units"] == before["units"]


def test_undo_twice_is_refused(tree, superuser):
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    undo_restructuring(superuser, restructuring=restructuring)
    with pytest.raises(ValidationError):
        undo_restructuring(superuser, restructuring=restructuring)


def test_undo_is_refused_once_a_grant_is_attached_to_a_new_unit(tree, superuser):
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    merged = opened_under(tree["long_bien"], "Phường Mới")
    grant(UserFactory(username="new-ward-officer"), "officer", merged, valid_from=DAY)
    before = snapshot()
    with pytest.raises(ValidationError):
        undo_restructuring(superuser, restructuring=restructuring)
    assert snapshot() == before


def test_undo_is_refused_after_a_later_restructuring_of_its_units(tree, superuser):
    first, _ = restructure(superuser, merge_childless_wards(tree))
    merged = opened_under(tree["long_bien"], "Phường Mới")
    restructure(
        superuser,
        {"op": "rename", "unit": merged.pk, "name": "Phường Mới Hơn"},
        day=DAY + dt.timedelta(days=30),
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        undo_restructuring(superuser, restructuring=first)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["officer", "tay_ho_admin"])
def test_undo_refused_to_others(tree, superuser, request, who):
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        undo_restructuring(request.getfixturevalue(who), restructuring=restructuring)
    assert snapshot() == before


def test_undo_of_a_restructuring_that_only_closed_units_is_refused_to_an_officer(
    tree, superuser, officer
):
    restructuring, _ = restructure(
        superuser,
        {"op": "abolish_level", "kind": "residential_area", "under": tree["long_bien"].pk},
    )
    assert not restructuring.opened_units.exists()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        undo_restructuring(officer, restructuring=restructuring)
    assert snapshot() == before


def test_undo_is_refused_once_a_unit_was_created_under_a_new_unit(tree, superuser):
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    merged = opened_under(tree["long_bien"], "Phường Mới")
    create_unit(
        superuser,
        code="TDP-9",
        name="Tổ dân phố 9",
        kind=kind("residential_area"),
        parent=merged,
        valid_from=DAY,
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        undo_restructuring(superuser, restructuring=restructuring)
    assert snapshot() == before


def test_undo_restores_a_planned_end_date(tree, superuser):
    planned = make_unit(
        "Phường Tạm", parent=tree["tay_ho"], code="00777", valid_to=dt.date(2030, 12, 31)
    )
    restructuring, _ = restructure(superuser, {"op": "rename", "unit": planned.pk, "name": "X"})
    undo_restructuring(superuser, restructuring=restructuring)
    assert reload(planned).valid_to == dt.date(2030, 12, 31)


# --- undoing a large restructuring needs its name typed ----------------------------------------


def merge_six_wards(tree) -> tuple[dict, list[Unit]]:
    wards = [
        make_unit(f"Phường Tây Hồ {n}", parent=tree["tay_ho"], code=f"TH{n}") for n in range(6)
    ]
    return {
        "op": "merge",
        "units": [w.pk for w in wards],
        "into": {"code": "TH", "name": "Phường Tây Hồ Mới"},
    }, wards


def test_undo_of_a_restructuring_closing_more_than_five_units_needs_its_name(tree, superuser):
    operation, _wards = merge_six_wards(tree)
    restructuring, _ = restructure(superuser, operation, title="Sắp xếp phường Tây Hồ")
    before = snapshot()
    for typed in ("", "Sắp xếp", "Sắp xếp phường Ba Đình"):
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            undo_restructuring(superuser, restructuring=restructuring, confirmation=typed)
        assert "gõ đúng tên" in " ".join(refused.value.messages)
        assert snapshot() == before
    undone = undo_restructuring(
        superuser, restructuring=restructuring, confirmation="  sắp xếp phường  Tây Hồ "
    )
    assert undone.status == Restructuring.Status.UNDONE


def test_undo_of_a_small_restructuring_needs_no_name(tree, superuser):
    restructuring, _ = restructure(superuser, merge_childless_wards(tree))
    assert undo_restructuring(superuser, restructuring=restructuring).status == "undone"

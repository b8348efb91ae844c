import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory, make_unit
from thidua.core.models import AuditEvent
from thidua.practices import selectors, services
from thidua.practices.models import Exemplar, Practice, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_officer(tree):
    user = UserFactory(username="tdp-officer", roles=[("officer", tree["group"])])
    return user


@pytest.fixture
def ward_leader(tree):
    user = UserFactory(username="bode-leader", roles=[("leader", tree["bo_de"])])
    return user


@pytest.fixture
def practice(tree, group_officer, fields):
    return services.record_practice(
        group_officer,
        owner_unit=tree["group"],
        title="Tuyến phố xanh – sạch – đẹp",
        field=fields["environment"],
        started_on=dt.date(2026, 1, 5),
    )


def summarise(practice, leader, tree):
    services.set_nurture_plan(
        leader,
        practice=practice,
        mentoring_unit=tree["bo_de"],
        checkpoints=[("Trồng 200 cây", dt.date(2026, 3, 1))],
    )
    services.move_stage(leader, practice=practice, to_stage=Stage.NURTURED, note="Bắt đầu")
    services.write_summary(
        leader,
        practice=practice,
        results="Sạch hơn",
        lessons="Đồng thuận",
        how_to_replicate="Tổ chức ra quân mỗi tháng",
    )
    return services.move_stage(leader, practice=practice, to_stage=Stage.SUMMARISED)


def test_practice_goes_through_the_stages_with_history(practice, ward_leader, tree):
    summarise(practice, ward_leader, tree)
    practice.refresh_from_db()
    assert practice.stage == Stage.SUMMARISED
    assert list(practice.stage_changes.values_list("to_stage", flat=True)) == [
        "discovered",
        "nurtured",
        "summarised",
    ]
    assert practice.plan.checkpoints.count() == 1


def test_nurturing_needs_a_plan_and_summary_needs_a_report(practice, ward_leader):
    with pytest.raises(ValidationError):
        services.move_stage(ward_leader, practice=practice, to_stage=Stage.NURTURED)
    services.set_nurture_plan(ward_leader, practice=practice, mentoring_unit=practice.owner_unit)
    services.move_stage(ward_leader, practice=practice, to_stage=Stage.NURTURED)
    with pytest.raises(ValidationError):
        services.move_stage(ward_leader, practice=practice, to_stage=Stage.SUMMARISED)
    # Not even an override makes it summarised without the report.
    with pytest.raises(ValidationError):
        services.move_stage(
            ward_leader, practice=practice, to_stage=Stage.SUMMARISED, override_reason="Gấp"
        )
    assert Practice.objects.get(pk=practice.pk).stage == Stage.NURTURED


def test_going_back_or_skipping_needs_an_audited_override(practice, ward_leader, tree):
    summarise(practice, ward_leader, tree)
    with pytest.raises(ValidationError):
        services.move_stage(ward_leader, practice=practice, to_stage=Stage.DISCOVERED)
    services.move_stage(
        ward_leader,
        practice=practice,
        to_stage=Stage.DISCOVERED,
        override_reason="Mô hình ngừng hoạt động ba tháng",
    )
    change = practice.stage_changes.last()
    assert change.is_override and change.reason == "Mô hình ngừng hoạt động ba tháng"
    event = AuditEvent.objects.get(verb="practices.override_stage")
    assert event.data["reason"] == "Mô hình ngừng hoạt động ba tháng"


def test_officer_cannot_move_stages_and_outsiders_cannot_touch(practice, group_officer, tree):
    with pytest.raises(PermissionDenied):
        services.move_stage(group_officer, practice=practice, to_stage=Stage.NURTURED)
    outsider = UserFactory(username="tayho-leader", roles=[("leader", tree["tay_ho"])])
    with pytest.raises(PermissionDenied):
        services.set_nurture_plan(outsider, practice=practice, mentoring_unit=tree["tay_ho"])
    assert Practice.objects.get(pk=practice.pk).stage == Stage.DISCOVERED


def test_replication_before_summary_needs_a_leaders_override(practice, ward_leader, tree):
    phuc_loi_officer = UserFactory(username="pl-officer", roles=[("officer", tree["phuc_loi"])])
    with pytest.raises(ValidationError):
        services.replicate(phuc_loi_officer, source=practice, adopting_unit=tree["phuc_loi"])
    with pytest.raises(PermissionDenied):
        services.replicate(
            phuc_loi_officer,
            source=practice,
            adopting_unit=tree["phuc_loi"],
            override_reason="Xin làm trước",
        )
    assert not Practice.objects.filter(source=practice).exists()
    leader = UserFactory(username="pl-leader", roles=[("leader", tree["phuc_loi"])])
    replica = services.replicate(
        leader, source=practice, adopting_unit=tree["phuc_loi"], override_reason="Thí điểm sớm"
    )
    assert replica.source == practice
    assert AuditEvent.objects.get(verb="practices.replicate").data["override_reason"]


def test_replication_rules_and_reach(practice, ward_leader, tree, fields):
    summarise(practice, ward_leader, tree)
    quang_an_officer = UserFactory(username="qa-officer", roles=[("officer", tree["quang_an"])])
    with pytest.raises(ValidationError):
        services.replicate(ward_leader, source=practice, adopting_unit=tree["group"])
    replica = services.replicate(
        quang_an_officer, source=practice, adopting_unit=tree["quang_an"], adaptations="Theo phường"
    )
    practice.refresh_from_db()
    assert practice.stage == Stage.REPLICATED
    with pytest.raises(ValidationError):
        services.replicate(quang_an_officer, source=practice, adopting_unit=tree["quang_an"])
    reach = selectors.reach(practice)
    assert reach.total == 2
    by_kind = {kind.code: n for kind, n in reach.by_kind}
    assert by_kind == {"province": 1, "district": 2, "ward": 2, "residential_area": 1}
    # A replication of the replication is in the tree, and in the origin's reach.
    tree_root = selectors.replication_tree(replica)
    assert tree_root.practice == practice and tree_root.children[0].practice == replica
    assert selectors.reach(replica).total == 1


def test_reach_after_the_replicating_ward_is_merged(practice, ward_leader, tree, admin_user):
    """Phúc Lợi replicates; then Phúc Lợi and Bồ Đề are merged. Today the practice is held by
    the residential group (carried to the merged ward) and the merged ward: 2 units, 1 ward."""
    from thidua.org.services import apply_restructuring

    summarise(practice, ward_leader, tree)
    services.replicate(admin_user, source=practice, adopting_unit=tree["phuc_loi"])
    assert selectors.reach(practice).total == 2
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Sáp nhập",
        operations=[
            {
                "op": "merge",
                "units": [tree["bo_de"].code, tree["phuc_loi"].code],
                "into": {"code": "LB-NEW", "name": "Phường Long Biên mới"},
            }
        ],
    )
    after = selectors.reach(practice, on=dt.date(2026, 8, 1))
    by_kind = {kind.code: n for kind, n in after.by_kind}
    assert after.total == 2
    assert by_kind["ward"] == 1 and by_kind["residential_area"] == 1
    before = selectors.reach(practice, on=dt.date(2026, 6, 1))
    assert {kind.code: n for kind, n in before.by_kind}["ward"] == 2


def test_coverage_lists_the_gaps_by_field(practice, tree, fields, group_officer):
    second_group = make_unit("Tổ dân phố 2", parent=tree["bo_de"], code="00127-02")
    cover = selectors.coverage(
        tree["long_bien"], kind=tree["group"].kind, fields=[fields["environment"], fields["social"]]
    )
    rows = {row.unit.code: row for row in cover.rows}
    assert rows[tree["group"].code].has(fields["environment"].pk)
    assert not rows[tree["group"].code].has(fields["social"].pk)
    assert [u.code for u in cover.gaps(fields["environment"].pk)] == [second_group.code]
    assert cover.complete == 0
    assert cover.stage_counts == {(fields["environment"].pk, "discovered"): 1}


def test_bad_input_writes_nothing(tree, group_officer, fields, practice):
    with pytest.raises(ValidationError):
        services.record_practice(
            group_officer, owner_unit=tree["group"], title="Không lĩnh vực", field=None
        )
    html = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationError):
        services.record_practice(
            group_officer,
            owner_unit=tree["group"],
            title="Ảnh giả",
            field=fields["social"],
            evidence=html,
        )
    with pytest.raises(ValidationError):
        services.replicate(
            group_officer, source=practice, adopting_unit=tree["group"], override_reason="x"
        )
    assert Practice.objects.count() == 1


def test_exemplar_verified_by_the_parent_leader_only(tree, group_officer, ward_leader):
    exemplar = services.propose_exemplar(
        group_officer,
        owner_unit=tree["group"],
        kind=Exemplar.Kind.PERSON,
        name="Bà Nguyễn Thị Hằng",
        deeds="20 năm quét dọn ngõ phố",
    )
    with pytest.raises(PermissionDenied):
        services.verify_exemplar(group_officer, exemplar=exemplar, accept=True)
    services.verify_exemplar(ward_leader, exemplar=exemplar, accept=True)
    assert exemplar.status == Exemplar.Status.VERIFIED
    editor = UserFactory(username="editor", roles=[("editor", tree["city"])])
    services.feature_exemplar(editor, exemplar=exemplar, featured=True)
    assert selectors.public_exemplars().filter(pk=exemplar.pk, is_featured=True).exists()

"""Demo practices: Long Biên's 37 models in two field groups, and exemplars with their stories.

The source document says Long Biên runs 37 emulation models in two field groups (urban beauty &
environment; social security) and that each residential group's Front committee keeps a model
for green, clean and beautiful streets. Since 1 July 2025 Quận Long Biên is gone: its wards are
carried by Phường Bồ Đề, Phường Long Biên, Phường Phúc Lợi and Phường Việt Hưng (checked against
the lineage of the 2024 wards), and `record_practice` refuses closed units, so the 37 originals
are recorded on those four wards and their residential groups ("Tổ dân phố N").

`seed_practices()` writes everything through the services, as the demo superuser `admin` (a
system actor when it is missing): every original is recorded, given a nurture plan, summarised
and replicated as far as its stage says; twelve are replicated into residential groups of Long
Biên and into wards elsewhere in Hà Nội (two of them a second time, from the replica); three
carry an audited override (a practice put back to discovered and paused, one summarised without
the nurturing stage, one replicated before its summary). Nine exemplars, persons and
collectives, are proposed with their deeds and stories; seven are verified, three featured, one
returned with a reason, one still waiting.

Idempotent: an original that exists (same unit, same title) is skipped with everything that
hangs from it, and so is an exemplar (same unit, same name). Each original is written in one
transaction with its plan, summary, stages and replications.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thidua.core.actors import SystemActor
from thidua.demo import datafiles
from thidua.org.models import Unit
from thidua.org.selectors import successor_map
from thidua.practices import services
from thidua.practices.models import Exemplar, Practice, Stage
from thidua.shared.models import Field

# the literal tables: src/thidua/demo/data/practices.json
DATA = datafiles.load("practices.json")

HANOI_CODE = "01"
LEGACY_LONG_BIEN = "004"  # Quận Long Biên in the 2024 tree
GROUP = "Tổ dân phố {n}"

# The current wards that carry old Long Biên (each is a successor of its 2024 wards).
BO_DE, LONG_BIEN, PHUC_LOI, VIET_HUNG = (
    "Phường Bồ Đề",
    "Phường Long Biên",
    "Phường Phúc Lợi",
    "Phường Việt Hưng",
)
HOME_WARDS = (BO_DE, LONG_BIEN, PHUC_LOI, VIET_HUNG)

# Same codes and names as the fields of the demo movements (`thidua.demo.movements.FIELDS`).
ENVIRONMENT = "my-quan-do-thi-moi-truong"
SOCIAL = "an-sinh-xa-hoi"
FIELDS = (
    (
        ENVIRONMENT,
        "Mỹ quan đô thị – môi trường",
        "Urban beauty and environment",
        "Keindahan kota dan lingkungan hidup",
    ),
    (SOCIAL, "An sinh xã hội", "Social security", "Jaminan sosial"),
)

D, N, S, R = Stage.DISCOVERED, Stage.NURTURED, Stage.SUMMARISED, Stage.REPLICATED


@dataclass(frozen=True)
class Replica:
    """A unit adopting a practice: a ward (group None) or one of its residential groups."""

    ward: str
    group: int | None
    started_on: dt.date
    adaptations: str
    stage: str = D  # how far the replica itself has come
    results: str = ""  # its summary, when it is summarised
    children: tuple[Replica, ...] = ()


@dataclass(frozen=True)
class Spec:
    ward: str
    group: int | None
    field: str
    title: str
    description: str
    started_on: dt.date
    stage: str  # the stage the original ends at
    results: str = ""  # the summary report's results (summarised and replicated ones)
    replicas: tuple[Replica, ...] = ()
    # an audited override: "back" (nurtured, then back to discovered and paused), "skip"
    # (summarised without nurturing), "early" (replicated before its summary)
    override: str = ""
    reason: str = ""


PRACTICES: tuple[Spec, ...] = datafiles.build(tuple[Spec, ...], DATA["practices"])

LESSONS = {
    ENVIRONMENT: (
        "Thành công nhờ người đứng đầu khu dân cư gương mẫu làm trước, bàn bạc dân chủ với các "
        "hộ, công khai kết quả chấm điểm trên bảng tin và nhóm liên lạc của tổ dân phố."
    ),
    SOCIAL: (
        "Huy động được nguồn lực xã hội khi công khai minh bạch từng khoản đóng góp và danh sách "
        "người được hỗ trợ; lấy sự tự nguyện, vừa sức của các gia đình làm gốc."
    ),
}
HOW_TO_REPLICATE = {
    ENVIRONMENT: (
        "Họp khu dân cư thống nhất quy ước; chọn một tuyến ngõ làm điểm; phân công hộ phụ trách; "
        "sơ kết sau 3 tháng rồi mở rộng; gắn với bình xét gia đình văn hóa cuối năm."
    ),
    SOCIAL: (
        "Lập danh sách người cần giúp cùng Ban công tác Mặt trận; vận động nhà hảo tâm nhận phần "
        "việc cố định; cử người ghi sổ, báo cáo thu chi hằng quý với khu dân cư."
    ),
}


@dataclass(frozen=True)
class ExemplarSpec:
    ward: str
    group: int | None
    kind: str
    name: str
    deeds: str
    story: str
    practices: tuple[str, ...]  # titles of originals of the ward or its residential groups
    decision: str = "verified"  # "verified", "returned" or "" (still proposed)
    reason: str = ""  # why it was returned
    featured: bool = False
    put_forward: bool = False


PERSON, COLLECTIVE = Exemplar.Kind.PERSON, Exemplar.Kind.COLLECTIVE

EXEMPLARS: tuple[ExemplarSpec, ...] = datafiles.build(tuple[ExemplarSpec, ...], DATA["exemplars"])


class DemoDataMissing(Exception):
    """The unit tree the demo needs is not there (run `seed_demo` or `import_vietnam`)."""


@dataclass
class Places:
    """The wards and residential groups the demo names, looked up once."""

    wards: dict[str, Unit]
    groups: dict[tuple[int, int], Unit]  # (ward id, number) -> residential group
    hanoi: Unit

    def unit(self, ward: str, group: int | None) -> Unit:
        unit = self.wards[ward]
        return unit if group is None else self.groups[(unit.pk, group)]


def ward_names() -> set[str]:
    """Every ward the demo writes to: the four of old Long Biên and those that replicate."""

    def walk(replicas: tuple[Replica, ...]) -> set[str]:
        return {r.ward for r in replicas} | {w for r in replicas for w in walk(r.children)}

    names = set(HOME_WARDS)
    for spec in PRACTICES:
        names |= walk(spec.replicas)
    return names


def _places() -> Places:
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    names = ward_names()
    wards = {
        unit.name: unit
        for unit in Unit.objects.filter(
            parent=hanoi, kind__code="ward", valid_to__isnull=True, name__in=names
        ).select_related("kind")
    }
    missing = sorted(names - set(wards))
    if missing:
        raise DemoDataMissing(
            f"Wards missing from today's Hà Nội tree: {', '.join(missing)}. "
            "Run `manage.py seed_demo` first."
        )
    _check_long_bien(hanoi, [wards[name] for name in HOME_WARDS])
    home_ids = [wards[name].pk for name in HOME_WARDS]
    groups = {}
    for unit in Unit.objects.filter(
        parent_id__in=home_ids,
        kind__code="residential_area",
        valid_to__isnull=True,
        name__startswith="Tổ dân phố ",
    ).select_related("kind"):
        number = unit.name.removeprefix("Tổ dân phố ")
        if number.isdigit():
            groups[(unit.parent_id, int(number))] = unit
    needed = _needed_groups()
    lacking = sorted(
        f"{ward} / {GROUP.format(n=n)}" for ward, n in needed if (wards[ward].pk, n) not in groups
    )
    if lacking:
        raise DemoDataMissing(
            f"Residential groups missing: {', '.join(lacking)}. Run `manage.py seed_demo` first."
        )
    return Places(wards=wards, groups=groups, hanoi=hanoi)


def _needed_groups() -> set[tuple[str, int]]:
    def walk(replicas: tuple[Replica, ...]) -> set[tuple[str, int]]:
        out = {(r.ward, r.group) for r in replicas if r.group is not None}
        for replica in replicas:
            out |= walk(replica.children)
        return out

    needed: set[tuple[str, int]] = set()
    for spec in PRACTICES:
        if spec.group is not None:
            needed.add((spec.ward, spec.group))
        needed |= walk(spec.replicas)
    for exemplar in EXEMPLARS:
        if exemplar.group is not None:
            needed.add((exemplar.ward, exemplar.group))
    return needed


def _check_long_bien(hanoi: Unit, home: list[Unit]) -> None:
    """The four wards must carry the 2024 wards of Quận Long Biên (the 2025 reform's lineage)."""
    legacy = list(
        Unit.objects.filter(
            parent__parent=hanoi,
            parent__code=LEGACY_LONG_BIEN,
            kind__code="ward",
            valid_to__isnull=False,
        ).values_list("pk", flat=True)
    )
    if not legacy:
        raise DemoDataMissing("The 2024 wards of Quận Long Biên are missing: run `seed_demo`.")
    carriers = {
        successor.unit_id
        for successors in successor_map(unit_ids=legacy).values()
        for successor in successors
    }
    strangers = [unit.name for unit in home if unit.pk not in carriers]
    if strangers:
        raise DemoDataMissing(f"{', '.join(strangers)} do not carry old Long Biên today.")


def _actor() -> Any:
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    if admin is None or not admin.is_superuser:
        return SystemActor("seed_practices")
    return admin


def _fields() -> dict[str, Field]:
    """The two field groups (reference data, not edited if they exist)."""
    out = {}
    for code, vi, en, id_ in FIELDS:
        out[code], _created = Field.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_}
        )
    return out


# --- writing --------------------------------------------------------------------------------


class _Seeder:
    def __init__(self, actor: Any, places: Places, fields: dict[str, Field], today: dt.date):
        self.actor = actor
        self.places = places
        self.fields = fields
        self.today = today
        self.replications = 0

    def day(self, day: dt.date) -> dt.date:
        """Demo dates never lie in the future of the day the demo is loaded."""
        return min(day, self.today)

    def mentor(self, unit: Unit) -> Unit:
        """A residential group is mentored by its ward, a ward by the city."""
        return self.places.hanoi if unit.kind.code == "ward" else unit.parent

    def original(self, spec: Spec) -> Practice:
        unit = self.places.unit(spec.ward, spec.group)
        practice = services.record_practice(
            self.actor,
            owner_unit=unit,
            title=spec.title,
            field=self.fields[spec.field],
            description=spec.description,
            started_on=self.day(spec.started_on),
            note=f"Ban công tác Mặt trận {_lower(unit.name)} đăng ký mô hình.",
        )
        if spec.override == "skip":
            self.summary(practice, spec.field, spec.results)
            services.move_stage(
                self.actor,
                practice=practice,
                to_stage=S,
                note="Tổng kết mô hình.",
                override_reason=spec.reason,
            )
        elif spec.stage != D or spec.override == "back":
            self.nurture(practice, spec.started_on)
            if spec.override == "back":
                services.move_stage(
                    self.actor, practice=practice, to_stage=D, override_reason=spec.reason
                )
                services.set_active(self.actor, practice=practice, active=False)
            elif spec.stage in (S, R):
                self.summary(practice, spec.field, spec.results)
                services.move_stage(
                    self.actor,
                    practice=practice,
                    to_stage=S,
                    note="Hội nghị tổng kết mô hình, đề nghị nhân rộng.",
                )
        for replica in spec.replicas:
            early = spec.reason if spec.override == "early" else ""
            self.replicate(practice, spec.field, replica, early)
        return practice

    def nurture(self, practice: Practice, started_on: dt.date) -> None:
        services.set_nurture_plan(
            self.actor,
            practice=practice,
            mentoring_unit=self.mentor(practice.owner_unit),
            goals=(
                f"Duy trì, hoàn thiện mô hình “{practice.title}”, đánh giá hiệu quả sau 6 tháng "
                "và chuẩn bị tài liệu để nhân rộng."
            ),
            checkpoints=[
                (
                    "Khảo sát, thống nhất cách làm với các hộ",
                    started_on + dt.timedelta(days=60),
                ),
                (
                    "Sơ kết 6 tháng, báo cáo Ban Thường trực",
                    started_on + dt.timedelta(days=180),
                ),
            ],
        )
        services.move_stage(
            self.actor,
            practice=practice,
            to_stage=N,
            note="Ban Thường trực đánh giá mô hình có hiệu quả, đưa vào bồi dưỡng.",
        )

    def summary(self, practice: Practice, field_code: str, results: str) -> None:
        services.write_summary(
            self.actor,
            practice=practice,
            results=results,
            lessons=LESSONS[field_code],
            how_to_replicate=HOW_TO_REPLICATE[field_code],
        )

    def replicate(
        self, source: Practice, field_code: str, spec: Replica, override_reason: str = ""
    ) -> Practice:
        replica = services.replicate(
            self.actor,
            source=source,
            adopting_unit=self.places.unit(spec.ward, spec.group),
            started_on=self.day(spec.started_on),
            adaptations=spec.adaptations,
            override_reason=override_reason,
        )
        self.replications += 1
        if spec.stage in (N, S):
            self.nurture(replica, spec.started_on)
        if spec.stage == S:
            self.summary(replica, field_code, spec.results)
            services.move_stage(self.actor, practice=replica, to_stage=S)
        for child in spec.children:
            self.replicate(replica, field_code, child)
        return replica

    def exemplar(self, spec: ExemplarSpec) -> None:
        ward = self.places.wards[spec.ward]
        practices = Practice.objects.filter(
            source__isnull=True, title__in=spec.practices, owner_unit__path__startswith=ward.path
        )
        exemplar = services.propose_exemplar(
            self.actor,
            owner_unit=self.places.unit(spec.ward, spec.group),
            kind=spec.kind,
            name=spec.name,
            deeds=spec.deeds,
            story=spec.story,
            practices=list(practices),
        )
        if spec.decision:
            services.verify_exemplar(
                self.actor,
                exemplar=exemplar,
                accept=spec.decision == "verified",
                reason=spec.reason,
            )
        if spec.featured or spec.put_forward:
            services.feature_exemplar(
                self.actor,
                exemplar=exemplar,
                featured=spec.featured,
                put_forward=spec.put_forward or None,
            )


def seed_practices(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create Long Biên's 37 practices and the exemplars (skipping those that exist); return
    what was done."""
    started = time.perf_counter()
    places = _places()
    fields = _fields()
    seeder = _Seeder(_actor(), places, fields, timezone.localdate())
    existing = set(
        Practice.objects.filter(source__isnull=True).values_list("owner_unit_id", "title")
    )
    created = skipped = 0
    for spec in PRACTICES:
        unit = places.unit(spec.ward, spec.group)
        if (unit.pk, spec.title) in existing:
            skipped += 1
            continue
        with transaction.atomic():
            seeder.original(spec)
        created += 1

    existing_exemplars = set(Exemplar.objects.values_list("owner_unit_id", "name"))
    exemplars_created = exemplars_skipped = 0
    for spec in EXEMPLARS:
        unit = places.unit(spec.ward, spec.group)
        if (unit.pk, spec.name) in existing_exemplars:
            exemplars_skipped += 1
            continue
        with transaction.atomic():
            seeder.exemplar(spec)
        exemplars_created += 1

    summary = {
        "created": created,
        "skipped": skipped,
        "replications": seeder.replications,
        "exemplars_created": exemplars_created,
        "exemplars_skipped": exemplars_skipped,
        "stages": stage_counts(),
        "seconds": round(time.perf_counter() - started, 2),
    }
    if stdout is not None:
        stages = ", ".join(f"{stage} {n}" for stage, n in summary["stages"].items())
        stdout.write(
            f"Practices created: {created}, already there: {skipped}; replications created: "
            f"{seeder.replications}\n"
            f"Originals by stage: {stages}\n"
            f"Exemplars created: {exemplars_created}, already there: {exemplars_skipped} "
            f"({summary['seconds']} s)\n"
        )
    return summary


def stage_counts() -> dict[str, int]:
    """Originals (not replications) by stage, in the order of the stages."""
    counts = dict(
        Practice.objects.filter(source__isnull=True)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def _lower(name: str) -> str:
    """A name inside a sentence: "Tổ dân phố 3" -> "tổ dân phố 3"."""
    return name[:1].lower() + name[1:]


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_practices`); a CommandError without the tree."""
    try:
        return seed_practices(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error

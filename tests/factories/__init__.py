"""factory_boy factories shared by the test suite, and the unit-tree builders.

One place per app: `tests/factories/<app>.py` builds that app's objects through its services
(`open_call`, `nominate`, `launched_movement`, …), so that test data goes through the same checks
and audit as real data. Shared fixtures are in `tests/fixtures/`."""

import datetime as dt

import factory

from thidua.accounts.models import RoleGrant, User
from thidua.org.models import Unit, UnitKind
from thidua.org.services import place_units


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-42")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        """`UserFactory(username="bode-officer", roles=[("officer", tree["bo_de"])])`."""
        if create and extracted:
            for role, unit in extracted:
                grant(obj, role, unit)


VIETNAM_KINDS = [
    ("nation", "Toàn quốc", "Nation", "Nasional", 0),
    ("province", "Tỉnh / Thành phố", "Province / City", "Provinsi", 1),
    ("district", "Quận / Huyện", "District", "Kabupaten / Kota", 2),
    ("ward", "Phường / Xã", "Ward / Commune", "Kelurahan / Desa", 3),
    ("residential_area", "Khu dân cư / Tổ dân phố", "Residential area", "Kawasan perumahan", 4),
    ("organisation", "Tổ chức chính trị - xã hội", "Member organisation", "Organisasi anggota", 10),
]


def ensure_kinds() -> None:
    """The data migration seeds these; transactional tests flush them, so put them back."""
    for code, vi, en, id_, order in VIETNAM_KINDS:
        UnitKind.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_, "order": order}
        )


def kind(code: str) -> UnitKind:
    ensure_kinds()
    return UnitKind.objects.get(code=code)


def make_unit(
    name: str,
    *,
    parent: Unit | None = None,
    kind_code: str | None = None,
    code: str | None = None,
    valid_from: dt.date = dt.date(2020, 1, 1),
    valid_to: dt.date | None = None,
    **figures,
) -> Unit:
    ensure_kinds()
    order = 0 if parent is None else parent.kind.order + 1
    unit_kind = kind(kind_code) if kind_code else UnitKind.objects.get(order=order)
    unit = Unit(
        code=code or name.lower().replace(" ", "-")[:40],
        name=name,
        kind=unit_kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        **figures,
    )
    place_units([unit])
    return unit


def grant(user: User, role: str, unit: Unit, *, valid_from=dt.date(2020, 1, 1), valid_to=None):
    return RoleGrant.objects.create(
        user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to
    )


def warm(client) -> None:
    """What any earlier request leaves behind for the signed-in user: their grants, two-factor
    step and menu are kept between requests until a grant or the tree changes (`core.versioned`).
    Query-count tests call this before each measured request, so that "1 item" and "3 items"
    are measured in the same state whatever the writes in between moved on."""
    client.get("/staff/")

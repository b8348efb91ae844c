import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import UserFactory, make_unit

# Shared fixtures live in plugin modules of `tests/`, never imported from another test module.
pytest_plugins = [
    "tests.hanoi_demo",
    "tests.fixtures.fields",
    "tests.fixtures.movements",
    "tests.fixtures.initiatives",
    "tests.fixtures.honors",
    "tests.fixtures.flush",
]


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Each test starts with no abuse-limit counter (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def file_storages(request, tmp_path_factory):
    """Every test stores its uploads in its own directories, never in the project's (the tests
    of the shared demo keep the demo's, whose files its pages link to)."""
    if "hanoi_demo" in request.fixturenames:
        return {}
    settings = request.getfixturevalue("settings")
    root = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = root / "public"
    settings.PRIVATE_MEDIA_ROOT = root / "private"
    return {"public": settings.MEDIA_ROOT, "private": settings.PRIVATE_MEDIA_ROOT}


@pytest.fixture
def tree(db):
    """City → two districts → wards → a residential group."""
    city = make_unit("Hà Nội", code="01", kind_code="province")
    long_bien = make_unit("Quận Long Biên", parent=city, code="004")
    tay_ho = make_unit("Quận Tây Hồ", parent=city, code="003")
    bo_de = make_unit("Phường Bồ Đề", parent=long_bien, code="00127")
    phuc_loi = make_unit("Phường Phúc Lợi", parent=long_bien, code="00118")
    quang_an = make_unit("Phường Quảng An", parent=tay_ho, code="00097")
    group = make_unit("Tổ dân phố 1", parent=bo_de, code="00127-01")
    return {
        "city": city,
        "long_bien": long_bien,
        "tay_ho": tay_ho,
        "bo_de": bo_de,
        "phuc_loi": phuc_loi,
        "quang_an": quang_an,
        "group": group,
    }


@pytest.fixture
def admin_user(db, tree):
    return UserFactory(username="city-admin", roles=[("administrator", tree["city"])])


@pytest.fixture
def officer(db, tree):
    return UserFactory(username="lb-officer", roles=[("officer", tree["long_bien"])])


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)

"""What every staff request used to read from the database — the user's grants, their
two-factor step, their menu — is kept between requests (`core.versioned`, the menu per process
by roles): a change of any of them is seen on the very next request, whatever path wrote it."""

import datetime as dt

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, grant
from thidua.accounts import services
from thidua.accounts.models import RoleGrant
from thidua.core.policy import can


def fresh(user):
    """The same person in a new request (grants are read once per user object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_grant_given_or_ended_is_seen_by_the_next_request(tree, admin_user):
    user = UserFactory(username="newcomer")
    assert not can(fresh(user), "movements.view", tree["bo_de"])  # cached: no grant
    given = services.grant_role(
        admin_user, user=user, role="leader", unit=tree["bo_de"], valid_from=dt.date(2020, 1, 1)
    )
    assert can(fresh(user), "movements.view", tree["bo_de"])
    assert not can(fresh(user), "movements.view", tree["quang_an"])  # another scope
    services.end_grant(admin_user, grant=given, last_day=dt.date(2021, 1, 1))
    assert not can(fresh(user), "movements.view", tree["bo_de"])


def test_a_grant_written_around_the_service_is_seen_too(tree):
    user = UserFactory(username="newcomer")
    assert not can(fresh(user), "movements.view", tree["bo_de"])
    made = grant(user, "leader", tree["bo_de"])  # a plain save: the model's signal moves it on
    assert can(fresh(user), "movements.view", tree["bo_de"])
    RoleGrant.objects.filter(pk=made.pk).delete()  # a queryset delete sends post_delete too
    assert not can(fresh(user), "movements.view", tree["bo_de"])


def test_pages_follow_a_grant_at_once(client, tree, admin_user, movement):
    user = UserFactory(username="newcomer", roles=[("officer", tree["bo_de"])])
    client.force_login(user)
    url = reverse("movements:dashboard", args=[movement.pk])
    assert client.get(url, {"unit": tree["quang_an"].pk}).status_code == 404
    services.grant_role(admin_user, user=user, role="leader", unit=tree["tay_ho"])
    assert client.get(url, {"unit": tree["quang_an"].pk}).status_code == 200
    RoleGrant.objects.filter(user=user, unit=tree["tay_ho"]).delete()
    assert client.get(url, {"unit": tree["quang_an"].pk}).status_code == 404


def test_a_two_factor_policy_applies_on_the_next_request(client, tree, superuser):
    user = UserFactory(username="ward-leader", roles=[("leader", tree["bo_de"])])
    client.force_login(user)
    assert client.get(reverse("staff_home")).status_code == 200  # step cached: nothing to do
    services.set_two_factor_policy(superuser, role="leader", required=True)
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")


def test_a_device_added_anywhere_asks_for_a_code_on_the_next_request(client, tree):
    user = UserFactory(username="ward-leader", roles=[("leader", tree["bo_de"])])
    client.force_login(user)
    assert client.get(reverse("staff_home")).status_code == 200
    # a device made outside the service (the admin's device pages): the model's signal
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_each_set_of_roles_has_its_own_menu(client, tree, admin_user):
    officer = UserFactory(username="ward-officer", roles=[("officer", tree["bo_de"])])
    client.force_login(admin_user)
    assert reverse("core:audit_log") in client.get(reverse("staff_home")).content.decode()
    client.force_login(officer)
    page = client.get(reverse("staff_home")).content.decode()
    assert reverse("core:audit_log") not in page  # never the administrator's menu
    services.grant_role(admin_user, user=officer, role="administrator", unit=tree["bo_de"])
    page = client.get(reverse("staff_home")).content.decode()
    assert reverse("core:audit_log") in page


def test_the_menu_marks_the_page_it_is_on(client, tree, admin_user):
    client.force_login(admin_user)
    home = client.get(reverse("staff_home")).content.decode()
    inbox = client.get(reverse("work")).content.decode()
    assert 'href="/staff/" aria-current="page"' in home
    assert 'href="/staff/" aria-current="page"' not in inbox
    assert 'href="/work/" aria-current="page"' in inbox


def test_without_a_shared_cache_grants_are_read_every_request(tree, settings):
    """Production on the local-memory cache (several workers, each its own cache) must not keep
    grants between requests: a grant ended where no signal reaches another worker (here a
    queryset update, which sends none) is refused on the next request all the same."""
    settings.CACHE_GRANTS = False
    user = UserFactory(username="newcomer")
    made = grant(user, "leader", tree["bo_de"])
    assert can(fresh(user), "movements.view", tree["bo_de"])
    RoleGrant.objects.filter(pk=made.pk).update(
        valid_from=dt.date(1999, 1, 1), valid_to=dt.date(2000, 1, 1)
    )
    assert not can(fresh(user), "movements.view", tree["bo_de"])


def test_production_keeps_grants_between_requests_only_with_redis():
    import importlib
    import os
    from unittest import mock

    import thidua.settings as base

    try:
        with mock.patch.dict(
            os.environ,
            {"THIDUA_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"},
        ):
            os.environ.pop("CACHE_URL", None)
            os.environ.pop("REDIS_URL", None)
            os.environ.pop("CACHE_GRANTS", None)
            assert importlib.reload(base).CACHE_GRANTS is False
            os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
            assert importlib.reload(base).CACHE_GRANTS is True
    finally:
        importlib.reload(base)

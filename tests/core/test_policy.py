import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import UserFactory, grant
from thidua.core.policy import can, require, scope_paths

pytestmark = pytest.mark.django_db


def test_officer_allowed_on_own_unit_and_descendants(tree, officer):
    for name in ("long_bien", "bo_de", "phuc_loi", "group"):
        assert can(officer, "unit.enter_data", tree[name]), name


def test_officer_refused_on_sibling_parent_and_cousins(tree, officer):
    for name in ("tay_ho", "city", "quang_an"):
        assert not can(officer, "unit.enter_data", tree[name]), name


def test_officer_refused_after_grant_valid_to(tree):
    user = UserFactory(username="expired")
    grant(user, "officer", tree["long_bien"], valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert not can(user, "unit.enter_data", tree["bo_de"])
    assert can(
        user, "unit.enter_data", tree["bo_de"], on=timezone.localdate() - dt.timedelta(days=2)
    )


def test_grant_not_yet_in_force_is_refused(tree):
    user = UserFactory(username="future")
    grant(
        user, "officer", tree["long_bien"], valid_from=timezone.localdate() + dt.timedelta(days=3)
    )
    assert not can(user, "unit.enter_data", tree["long_bien"])


def test_role_must_allow_the_action(tree, officer):
    assert not can(officer, "unit.approve", tree["bo_de"])
    assert not can(officer, "org.restructure", tree["bo_de"])
    with pytest.raises(PermissionDenied):
        require(officer, "accounts.grant_role", tree["bo_de"])


def test_anonymous_and_inactive_users_are_refused(tree, officer, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "org.view_unit", tree["bo_de"])
    officer.is_active = False
    assert not can(officer, "org.view_unit", tree["bo_de"])


def test_unknown_action_is_a_programming_error(tree, officer):
    with pytest.raises(KeyError):
        can(officer, "no.such_action", tree["bo_de"])


def test_scope_paths_drop_nested_grants(tree):
    user = UserFactory(
        username="nested",
        roles=[
            ("officer", tree["long_bien"]),
            ("officer", tree["bo_de"]),
            ("officer", tree["quang_an"]),
        ],
    )
    assert scope_paths(user, "unit.enter_data") == sorted(
        [tree["long_bien"].path, tree["quang_an"].path]
    )


def test_superuser_may_do_everything(tree, superuser):
    assert can(superuser, "org.restructure", tree["city"])
    assert scope_paths(superuser, "org.view_unit") is None

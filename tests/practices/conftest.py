"""The practices tests: one practice of a residential group."""

import datetime as dt

import pytest

from thidua.practices import services


@pytest.fixture
def practice(tree, fields, admin_user):
    return services.record_practice(
        admin_user,
        owner_unit=tree["group"],
        title="Ngõ xanh",
        field=fields["environment"],
        started_on=dt.date(2026, 1, 1),
    )

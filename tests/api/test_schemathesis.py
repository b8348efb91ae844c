"""schemathesis against /api/v1, in process, as an administrator of the city: no server error
and every answer as the document describes it (status code declared, content type, body schema).
The ward officer's run is `test_schemathesis_officer.py`; the fuzzing is `tests/api/fuzzing.py`.
"""

import pytest

from tests.api.fuzzing import ADMINISTRATOR, run

pytestmark = pytest.mark.django_db


def test_as_a_city_administrator(app, admin_user, existing):
    failures = run(app, admin_user, existing, ADMINISTRATOR)
    assert failures == [], "\n\n".join(failures)

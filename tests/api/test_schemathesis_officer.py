"""schemathesis against /api/v1, in process, as a ward officer: no server error and every answer as
the document describes it (in a module of its own so that it runs beside the administrator's run,
`test_schemathesis.py`, on the other worker; the fuzzing is `tests/api/fuzzing.py`).
"""

import pytest

from tests.api.fuzzing import OFFICER, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_as_a_ward_officer(app, tree, existing):
    officer = UserFactory(username="bode-api-officer", roles=[("officer", tree["bo_de"])])
    failures = run(app, officer, existing, OFFICER)
    assert failures == [], "\n\n".join(failures)

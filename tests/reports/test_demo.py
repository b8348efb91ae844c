import pytest

from tests.factories import UserFactory, grant
from thidua.demo import reports as demo
from thidua.reports.models import StatReport

pytestmark = pytest.mark.django_db


def test_the_demo_computes_the_city_forms_of_2025_at_several_steps_once(
    tree, seven_movements, ten_certificates
):
    admin = UserFactory(username="admin")
    grant(admin, "administrator", tree["city"])
    grant(UserFactory(username="lanhdao"), "leader", tree["city"])
    demo.seed()
    demo.seed()
    reports = {r.form.code: r for r in StatReport.objects.filter(unit=tree["city"], year=2025)}
    assert set(reports) == {"0601", "0602", "0603", "mttq-bs"}
    assert reports["0601"].state == "submitted" and reports["0601"].xlsx_hash
    assert reports["0601"].computed["01|1"] == 7
    assert reports["0602"].state == "checked"
    assert reports["0603"].state == "signed" and reports["0603"].computed["05|2"] == 10
    assert reports["mttq-bs"].state == "draft" and reports["mttq-bs"].computed["04|3"] == 10
    earlier = StatReport.objects.filter(unit=tree["city"], year=2024)
    assert earlier.count() == 4 and {r.state for r in earlier} == {"draft"}

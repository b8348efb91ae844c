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


@pytest.mark.usefixtures("hanoi_demo")
def test_the_seeded_city_form_0601_of_2025_counts_the_wards_movements_of_that_year():
    from thidua.org.models import Unit

    city = Unit.objects.get(code="01", kind__code="province", valid_to__isnull=True)
    form = StatReport.objects.get(unit=city, year=2025, form__code="0601")
    assert form.computed["01|1"] >= 3  # launched between 1/12/2024 and 30/11/2025
    assert form.computed["01|4"] == form.computed["01|1"]  # by the wards (agency level)
    assert form.computed["11|1"] and form.computed["12|1"]  # thematic and regular

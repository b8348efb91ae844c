"""Writers' fee rates as dated data: a version of the rates in force from a date; a fee uses the
rate in force on the publication date (an issue's date, or the day a web story went live); the
month's list in XLSX; the staff page to add a version; refusals on the page and the API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.publishing.conftest import publish, write
from thidua.publishing import services
from thidua.publishing.models import Fee, Story
from thidua.publishing.services.fees import rate_in_force

pytestmark = pytest.mark.django_db

RATES = {"news": 300_000, "article": 600_000, "feature": 800_000, "photo": 400_000,
         "interview": 700_000}  # fmt: skip


def live_on(story, day: dt.date) -> Story:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Story.objects.filter(pk=story.pk).update(published_at=at)
    story.refresh_from_db()
    return story


def test_the_rate_in_force_on_a_day_and_the_nearest_board_above(tree, chief):
    city, ward = tree["city"], tree["bo_de"]
    assert rate_in_force(ward, "news", dt.date(2024, 1, 1)) == (Decimal(300_000), None)
    services.add_rate_version(chief, unit=city, valid_from=dt.date(2024, 1, 1), rates=RATES)
    services.add_rate_version(
        chief, unit=city, valid_from=dt.date(2025, 1, 1), rates={**RATES, "news": "350.000"}
    )
    assert rate_in_force(ward, "news", dt.date(2024, 12, 31)) == (300_000, dt.date(2024, 1, 1))
    assert rate_in_force(ward, "news", dt.date(2025, 1, 1)) == (350_000, dt.date(2025, 1, 1))
    assert rate_in_force(city, "news", dt.date(2023, 6, 1))[1] is None  # before any version
    with pytest.raises(ValidationError):  # one version per date
        services.add_rate_version(chief, unit=city, valid_from=dt.date(2025, 1, 1), rates=RATES)
    with pytest.raises(ValidationError):  # every type, whole đồng above zero
        services.add_rate_version(
            chief, unit=city, valid_from=dt.date(2026, 1, 1), rates={**RATES, "photo": "-5"}
        )


def test_a_months_web_fees_use_the_rate_of_each_publication_day(
    client, tree, columns, contributor, city_editor, chief
):
    city = tree["city"]
    services.add_rate_version(chief, unit=city, valid_from=dt.date(2024, 1, 1), rates=RATES)
    services.add_rate_version(
        chief, unit=city, valid_from=dt.date(2024, 10, 16), rates={**RATES, "news": 320_000}
    )
    early = live_on(
        publish(
            write(contributor, tree["group"], columns["vi-nguoi-ngheo"]), contributor, city_editor
        ),
        dt.date(2024, 10, 5),
    )
    late = live_on(
        publish(
            write(contributor, tree["group"], columns["vi-nguoi-ngheo"], title="Bài hai"),
            contributor,
            city_editor,
        ),
        dt.date(2024, 10, 20),
    )
    live_on(
        publish(
            write(contributor, tree["group"], columns["vi-nguoi-ngheo"], title="Tháng sau"),
            contributor,
            city_editor,
        ),
        dt.date(2024, 11, 2),
    )
    with pytest.raises(PermissionDenied):  # a contributor proposes nothing
        services.propose_month_fees(contributor, unit=city, period="2024-10")
    made = services.propose_month_fees(city_editor, unit=city, period="2024-10")
    assert {(f.story_id, f.amount, f.rate_from) for f in made} == {
        (early.pk, 300_000, dt.date(2024, 1, 1)),
        (late.pk, 320_000, dt.date(2024, 10, 16)),
    }
    assert services.propose_month_fees(city_editor, unit=city, period="2024-10") == []
    with pytest.raises(PermissionDenied):
        services.approve_month_fees(city_editor, unit=city, period="2024-10")
    assert services.approve_month_fees(chief, unit=city, period="2024-10") == 2
    client.force_login(city_editor)
    answer = client.get(f"{reverse('publishing:fee_list_xlsx')}?unit={city.pk}&period=2024-10")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:-1]]
    assert [(r["Ngày đăng"].date(), r["Đơn giá (đ)"]) for r in body] == [
        (dt.date(2024, 10, 5), 300_000),
        (dt.date(2024, 10, 20), 320_000),
    ]
    assert rows[-1][header.index("Số tiền (đ)")] == 620_000
    page = client.get(f"{reverse('publishing:fee_list')}?unit={city.pk}&period=2024-10")
    assert "620.000" in page.content.decode()
    assert Fee.objects.filter(status="approved").count() == 2


def test_the_chief_adds_a_rate_version_on_the_page_and_an_editor_cannot(
    client, tree, city_editor, chief
):
    url = f"{reverse('publishing:fee_list')}?unit={tree['city'].pk}"
    form = {"valid_from": "01/01/2025", "note": "Quyết định số 12/QĐ-MTTQ"}
    form.update({f"rate_{k}": str(v) for k, v in RATES.items()})
    form["rate_news"] = "310.000"
    client.force_login(city_editor)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="add-rates"' not in page.content.decode()
    assert client.post(url, form).status_code == 403
    answer = client.post(
        "/api/v1/publishing/fee-rates",
        {"unit_id": tree["city"].pk, "valid_from": "2025-01-01", "rates": RATES},
        content_type="application/json",
    )
    assert answer.status_code == 403
    client.force_login(chief)
    assert client.post(url, form).status_code == 302
    assert rate_in_force(tree["bo_de"], "news", dt.date(2025, 2, 1)) == (
        310_000,
        dt.date(2025, 1, 1),
    )
    versions = client.get(f"/api/v1/publishing/fee-rates?unit_id={tree['city'].pk}").json()
    assert versions[0]["rates"]["news"] == 310_000
    assert versions[0]["note"] == "Quyết định số 12/QĐ-MTTQ"


def test_fees_page_and_api_refuse_alike(client, tree, contributor, sibling_editor, city_editor):
    """Parity: a contributor holds no fee action (refused on both); a ward editor asking for the
    city's fees gets 404 on both."""
    city = tree["city"]
    page = f"{reverse('publishing:fee_list')}?unit={city.pk}&period=2024-10"
    api = f"/api/v1/publishing/fees?unit_id={city.pk}&period=2024-10"
    client.force_login(contributor)
    assert client.get(reverse("publishing:fee_list")).status_code == 403
    assert client.get(page).status_code in (403, 404)
    assert client.get(api).status_code in (403, 404)
    client.force_login(sibling_editor)
    assert client.get(page).status_code == client.get(api).status_code == 404
    assert client.get(f"/api/v1/publishing/fee-rates?unit_id={city.pk}").status_code == 404
    client.force_login(city_editor)
    assert client.get(page).status_code == client.get(api).status_code == 200


def test_proposed_fees_wait_in_the_chiefs_inbox(
    client, tree, columns, contributor, city_editor, chief
):
    story = publish(
        write(contributor, tree["group"], columns["vi-nguoi-ngheo"]), contributor, city_editor
    )
    live_on(story, dt.date(2024, 10, 5))
    services.propose_month_fees(city_editor, unit=tree["city"], period="2024-10")
    client.force_login(chief)
    inbox = client.get(reverse("work")).content.decode()
    assert "2024-10" in inbox and "period=2024-10" in inbox
    services.approve_month_fees(chief, unit=tree["city"], period="2024-10")
    assert "period=2024-10" not in client.get(reverse("work")).content.decode()

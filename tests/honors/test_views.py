import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory, warm
from tests.factories.honors import documents, nominate, pdf
from thidua.honors import services
from thidua.honors.models import Certificate, Decision, Honour

pytestmark = pytest.mark.django_db


def test_pages_render_for_staff(client, people, city_round, decision):
    client.force_login(people["city_leader"])
    for url in [
        reverse("honors:home"),
        reverse("honors:catalogue"),
        reverse("honors:round_list"),
        reverse("honors:round_detail", args=[city_round.pk]),
        reverse("honors:nomination_create", args=[city_round.pk]),
        reverse("honors:decision_detail", args=[decision.pk]),
        reverse("honors:registry"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_nomination_form_posts_with_checklist(client, tree, people, city_round, awards):
    client.force_login(people["bode_officer"])
    url = reverse("honors:nomination_create", args=[city_round.pk])
    page = client.get(url)
    assert "Minutes of the vote" in page.content.decode()
    data = {
        "award_type": awards["bang-khen"].pk,
        "nominee_kind": "person",
        "nominee_name": "Đỗ Thị Mai",
        "unit": tree["bo_de"].pk,
        "achievements": "Gương người tốt việc tốt",
        "doc_proposal_letter": pdf(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Missing documents" in response.content.decode()
    data.update(doc_proposal_letter=pdf(), doc_achievement_report=pdf(), doc_vote_minutes=pdf())
    response = client.post(url, data)
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "No obstacle found" in detail.content.decode()


def test_outside_scope_is_404_and_forbidden_actions_are_refused(
    client, tree, people, city_round, awards
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    client.force_login(people["quangan_officer"])
    assert client.get(reverse("honors:nomination_detail", args=[nomination.pk])).status_code == 404
    assert client.get(reverse("honors:nomination_detail", args=[999999])).status_code == 404
    # The ward officer sees it but cannot endorse (a leader's act), nor issue decisions.
    client.force_login(people["bode_officer"])
    client.post(reverse("honors:nomination_submit", args=[nomination.pk]))
    response = client.post(
        reverse("honors:nomination_decide", args=[nomination.pk]), {"decision": "endorse"}
    )
    assert response.status_code == 403
    assert client.get(reverse("honors:decision_create", args=[city_round.pk])).status_code == 403
    outsider = UserFactory(username="citizen", roles=[("citizen", tree["bo_de"])])
    client.force_login(outsider)
    assert client.get(reverse("honors:registry")).status_code == 403
    # nor is the registry offered to them
    assert reverse("honors:registry") not in client.get(reverse("honors:home")).content.decode()
    assert client.get(reverse("honors:round_detail", args=[city_round.pk])).status_code == 404


def test_certificate_pdf_download_and_excel_annex(client, people, decision):
    client.force_login(people["city_leader"])
    certificate = Certificate.objects.get(honour__decision=decision)
    response = client.get(reverse("honors:certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert certificate.serial in text and "Nguyễn Thị Hoa" in text
    response = client.get(reverse("honors:decision_export", args=[decision.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "Nguyễn Thị Hoa"
    assert rows[-1][5] == 2_340_000


def test_public_verification_page(client, people, decision):
    certificate = Certificate.objects.get(honour__decision=decision)
    url = reverse("public_honors:verify", args=[certificate.serial])
    good = client.get(url, {"h": certificate.content_hash}).content.decode()
    assert 'data-status="valid"' in good and "Nguyễn Thị Hoa" in good and "7/QĐ-MTTQ" in good
    bad = client.get(url, {"h": "f" * 64}).content.decode()
    assert 'data-status="wrong_code"' in bad and "Nguyễn Thị Hoa" not in bad
    wrong = reverse("public_honors:verify", args=[certificate.serial + "X"])
    assert (
        'data-status="not_found"'
        in client.get(wrong, {"h": certificate.content_hash}).content.decode()
    )
    client.force_login(people["city_leader"])
    client.post(reverse("honors:certificate_revoke", args=[certificate.pk]), {"reason": "Sai"})
    client.logout()
    revoked = client.get(url, {"h": certificate.content_hash}).content.decode()
    assert 'data-status="revoked"' in revoked and "Sai" in revoked


def test_registry_search_ignores_diacritics_and_shows_shares(client, tree, people, awards):
    for name, gender, direct in [
        ("Nguyễn Thị Hoa", "female", True),
        ("Trần Văn Nam", "male", False),
    ]:
        services.record_honour(
            people["city_leader"],
            award_type=awards["giay-khen"],
            recipient_name=name,
            unit=tree["bo_de"],
            conferred_on=dt.date(2025, 5, 1),
            gender=gender,
            is_direct_worker=direct,
        )
    client.force_login(people["bode_officer"])
    assert reverse("honors:registry") in client.get(reverse("honors:home")).content.decode()
    page = client.get(reverse("honors:registry"), {"q": "nguyen thi hoa"}).content.decode()
    assert "Nguyễn Thị Hoa" in page and "Trần Văn Nam" not in page
    page = client.get(reverse("honors:registry")).content.decode()
    assert "women 50%" in page and "direct workers 50%" in page  # 0.5 as a share, English way
    client.force_login(people["quangan_officer"])
    page = client.get(reverse("honors:registry")).content.decode()
    assert "Nguyễn Thị Hoa" not in page


def _add_nominations(round_, people, tree, awards, count):
    for i in range(count):
        nominate(
            round_,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_name=f"Người {i} {round_.nominations.count()}",
            documents=documents(["proposal_letter", "achievement_report", "vote_minutes"]),
        )


def _add_honours(people, tree, awards, count):
    for i in range(count):
        services.record_honour(
            people["city_leader"],
            award_type=awards["giay-khen"],
            recipient_name=f"Người {i}",
            unit=tree["bo_de"],
            conferred_on=dt.date(2025, 1, 1),
        )


@pytest.mark.parametrize(
    "name,add",
    [("round_detail", _add_nominations), ("registry", None), ("home", _add_nominations)],
)
def test_list_query_counts_do_not_grow(
    client, django_assert_max_num_queries, people, tree, awards, city_round, name, add
):
    client.force_login(people["city_leader"])
    url = reverse(f"honors:{name}", args=[city_round.pk] if name == "round_detail" else [])

    def grow(n):
        if add is None:
            _add_honours(people, tree, awards, n)
        else:
            add(city_round, people, tree, awards, n)

    grow(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm(client)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    grow(2)
    warm(client)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(one) == len(three)


def test_the_registry_links_only_the_decisions_the_reader_may_open(
    client, tree, people, awards, city_round
):
    city_decision = Decision.objects.create(
        unit=tree["city"],
        round=city_round,
        number="12/QĐ-MTTQ",
        signed_on=dt.date(2025, 5, 1),
        signer="Chủ tịch",
    )
    honour = services.record_honour(
        people["city_leader"],
        award_type=awards["bang-khen"],
        recipient_name="Nguyễn Thị Hoa",
        unit=tree["bo_de"],
        conferred_on=dt.date(2025, 5, 1),
    )
    Honour.objects.filter(pk=honour.pk).update(decision=city_decision)
    link = reverse("honors:decision_detail", args=[city_decision.pk])
    client.force_login(people["bode_officer"])  # sees the ward's honour, not the city's decision
    page = client.get(reverse("honors:registry")).content.decode()
    assert "12/QĐ-MTTQ" in page and link not in page
    assert client.get(link).status_code == 404
    round_page = reverse("honors:round_detail", args=[city_round.pk])
    assert link not in client.get(round_page).content.decode()  # nor from the round's page
    client.force_login(people["city_officer"])
    assert link in client.get(reverse("honors:registry")).content.decode()
    assert link in client.get(round_page).content.decode()

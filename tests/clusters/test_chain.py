"""The review chain of an organising unit: its page and its endpoint (who may change it, what is
refused, what a newly submitted sheet then follows)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.clusters.conftest import self_assess
from tests.clusters.test_services import sheet_of
from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity
from thidua.clusters import services
from thidua.clusters.models import REVIEW_STEPS, ReviewChain, Step
from thidua.core.audit_text import describe
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def chain_of(unit):
    return ReviewChain.objects.filter(owner_unit=unit).first()


def test_the_chain_page_and_endpoint_refuse_the_same_people(cluster, crew, tree, superuser):
    people = {
        "admin": superuser,
        "specialist": crew["specialist"],
        "council": crew["council"],
        "member": crew["ward0"],
        "outsider": crew["outsider"],
        "citizen": UserFactory(username="cl-citizen"),
        "anonymous": AnonymousUser(),
    }
    city = tree["city"]
    seen = answers(people, f"/clusters/chains/{city.pk}/", f"{API}/clusters/chains/{city.pk}")
    assert_parity(seen, allowed={"admin", "specialist", "council"})


def test_a_permitted_officer_changes_the_chain_on_the_page(cluster, crew, tree, client):
    city = tree["city"]
    client.force_login(crew["specialist"])
    listing = client.get("/clusters/").content.decode()
    assert f"/clusters/chains/{city.pk}/" in listing  # reachable from the cluster list
    assert f"/clusters/chains/{city.pk}/" in client.get(f"/clusters/{cluster.pk}/").content.decode()
    page = client.get(f"/clusters/chains/{city.pk}/")
    assert page.status_code == 200 and 'data-testid="chain-form"' in page.content.decode()
    response = client.post(
        f"/clusters/chains/{city.pk}/",
        {"steps": [Step.STANDING_REVIEW, Step.SPECIALIST_REVIEW], "peer_scoring": "on",
         "confirm": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    chain = chain_of(city)
    assert chain.steps == [Step.SPECIALIST_REVIEW, Step.STANDING_REVIEW]  # the fixed order
    assert chain.peer_scoring
    event = AuditEvent.objects.filter(verb="clusters.configure_chain").get()
    with translation.override("en"):
        assert describe(event).endswith("set the review chain of the emulation clusters of Hà Nội")


def test_a_permitted_officer_changes_the_chain_through_the_api(cluster, crew, tree, client):
    city = tree["city"]
    client.force_login(crew["specialist"])
    body = client.get(f"{API}/clusters/chains/{city.pk}").json()
    assert body["steps"] == [str(s) for s in REVIEW_STEPS]
    assert body["configured"] is False and body["peer_scoring"] is False
    response = client.put(
        f"{API}/clusters/chains/{city.pk}",
        {"steps": [Step.BOARD_REVIEW], "peer_scoring": False},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["steps"] == [Step.BOARD_REVIEW]
    assert chain_of(city).steps == [Step.BOARD_REVIEW]


def test_forbidden_people_cannot_change_the_chain(cluster, crew, tree, client):
    city = tree["city"]
    # the council member sees the chain but does not manage the clusters: 403
    client.force_login(crew["council"])
    page = client.get(f"/clusters/chains/{city.pk}/")
    assert page.status_code == 200 and 'data-testid="chain-form"' not in page.content.decode()
    post = {"steps": [Step.BOARD_REVIEW], "confirm": "on"}
    assert client.post(f"/clusters/chains/{city.pk}/", post).status_code == 403
    put = {"steps": [Step.BOARD_REVIEW], "peer_scoring": False}
    response = client.put(f"{API}/clusters/chains/{city.pk}", put, content_type="application/json")
    assert response.status_code == 403
    # a member ward's officer and an officer elsewhere do not see it: 404
    for user in (crew["ward0"], crew["outsider"]):
        client.force_login(user)
        assert client.post(f"/clusters/chains/{city.pk}/", post).status_code == 404
        response = client.put(
            f"{API}/clusters/chains/{city.pk}", put, content_type="application/json"
        )
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.configure_chain(crew["council"], owner_unit=city, steps=[Step.BOARD_REVIEW])
    assert chain_of(city) is None


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "Chọn ít nhất một bước xét duyệt."),
        (["published"], "Bước xét duyệt không có: published."),
        ([Step.BOARD_REVIEW, Step.BOARD_REVIEW], "Mỗi bước xét duyệt chỉ chọn một lần."),
    ],
)
def test_an_invalid_chain_is_refused_with_a_translated_error_and_changes_nothing(
    cluster, crew, tree, client, steps, message
):
    city = tree["city"]
    client.cookies["django_language"] = "vi"
    client.force_login(crew["specialist"])
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.configure_chain(crew["specialist"], owner_unit=city, steps=steps)
    assert message in error.value.messages
    response = client.put(
        f"{API}/clusters/chains/{city.pk}",
        {"steps": steps},
        content_type="application/json",
        headers={"accept-language": "vi"},
    )
    assert response.status_code in (400, 422)
    assert message in str(response.json())
    if len(set(steps)) == len(steps):  # a form cannot send a step twice
        page = client.post(f"/clusters/chains/{city.pk}/", {"steps": steps, "confirm": "on"})
        assert page.status_code == 400
        assert message in page.content.decode() or "lựa chọn hợp lệ" in page.content.decode()
    page = client.post(f"/clusters/chains/{city.pk}/", {"steps": [Step.BOARD_REVIEW]})
    assert page.status_code == 400  # without the confirmation
    assert chain_of(city) is None
    assert not AuditEvent.objects.filter(verb="clusters.configure_chain").exists()


def test_the_chain_cannot_change_while_a_sheet_is_in_review(review, crew, wards, tree, client):
    city = tree["city"]
    self_assess(review, crew, wards[:1])
    client.force_login(crew["specialist"])
    page = client.get(f"/clusters/chains/{city.pk}/").content.decode()
    assert 'data-testid="chain-locked"' in page
    with pytest.raises(ValidationError) as error:
        services.configure_chain(crew["specialist"], owner_unit=city, steps=[Step.BOARD_REVIEW])
    assert error.value.code == "sheets_in_review"
    response = client.put(
        f"{API}/clusters/chains/{city.pk}",
        {"steps": [Step.BOARD_REVIEW]},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert chain_of(city) is None
    # saving the chain as it is changes nothing and is allowed
    services.configure_chain(crew["specialist"], owner_unit=city, steps=list(REVIEW_STEPS))
    # once the sheet is back with its member, the chain may change
    services.return_sheet(crew["specialist"], sheet=sheet_of(review, wards[0]), reason="Bổ sung")
    services.configure_chain(crew["specialist"], owner_unit=city, steps=[Step.BOARD_REVIEW])
    assert chain_of(city).steps == [Step.BOARD_REVIEW]


def test_a_newly_submitted_sheet_follows_the_changed_chain(review, crew, wards, tree):
    services.configure_chain(
        crew["specialist"], owner_unit=tree["city"], steps=[Step.BOARD_REVIEW, Step.COUNCIL_REVIEW]
    )
    self_assess(review, crew, wards[:1])
    sheet = sheet_of(review, wards[0])
    assert sheet.status == Step.SUBMITTED
    # the specialist takes the submitted sheet in; the next step is the board, not the specialist
    services.forward_sheet(crew["specialist"], sheet=sheet)
    assert sheet.status == Step.BOARD_REVIEW
    with pytest.raises(PermissionDenied):
        services.forward_sheet(crew["specialist"], sheet=sheet)
    services.forward_sheet(crew["leader"], sheet=sheet)
    assert sheet.status == Step.COUNCIL_REVIEW
    with pytest.raises(ValidationError):  # the council is the last step: it publishes
        services.forward_sheet(crew["council"], sheet=sheet)


def test_peer_scoring_follows_the_chain(crew, cluster, table, tree):
    services.configure_chain(
        crew["specialist"], owner_unit=tree["city"], steps=[Step.SPECIALIST_REVIEW]
    )
    with pytest.raises(ValidationError):  # this chain runs no peer scoring
        services.open_review(crew["specialist"], cluster=cluster, year=2025, table=table,
                             peer_count=2)  # fmt: skip
    services.configure_chain(
        crew["specialist"], owner_unit=tree["city"], steps=[Step.SPECIALIST_REVIEW],
        peer_scoring=True,
    )  # fmt: skip
    review = services.open_review(
        crew["specialist"], cluster=cluster, year=2025, table=table, peer_count=2
    )
    services.assign_peers(crew["specialist"], review=review)
    wards = [m.unit for m in cluster.memberships.order_by("unit__name")]
    self_assess(review, crew, [w for w in wards if w.code == "w0"])
    sheet = review.sheets.get(unit__code="w0")
    services.forward_sheet(crew["specialist"], sheet=sheet)
    assert sheet.status == Step.PEER_SCORING

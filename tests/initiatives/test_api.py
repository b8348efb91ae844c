"""The /api/v1/initiatives/ endpoints: the public form and private link, the secretariat, the
reviewers (their own assignments only, blind), through the same services and scope rules as the
pages."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, make_unit, warm
from tests.factories.initiatives import payload
from thidua.core.models import AuditEvent
from thidua.initiatives import services
from thidua.initiatives.models import Assignment, Call, Review, Submission

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives/"
TODAY = timezone.localdate()
APPLICANT = "Trần Thị Bình"
EMAIL = "binh@example.org"


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def new_call(admin_user, tree, council, title, **options):
    call = services.create_call(
        admin_user,
        owner_unit=tree["city"],
        council=council,
        title=title,
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=30),
        award_levels=[("Giải A", 5_000_000)],
        **options,
    )
    return services.set_call_status(admin_user, call=call, status=Call.Status.OPEN)


def entered(admin_user, setup, tree, call=None, **extra):
    """Entered by an officer on behalf of a citizen: submitted at once."""
    return services.submit_initiative(
        admin_user,
        call=call or setup["call"],
        data={
            "unit": tree["bo_de"],
            "field": setup["field"],
            "applicant_kind": "person",
            "applicant_name": APPLICANT,
            "applicant_email": EMAIL,
            "applicant_phone": "0912345678",
            "title": "Thu gom rác thông minh",
            "summary": "Tóm tắt",
            "description": "Mô tả",
            "expected_benefit": "Sạch",
            **extra,
        },
    )


def reviewed_by(admin_user, setup, tree, *names, call=None, **extra):
    """Entered, screened in and assigned to the council members `names`."""
    submission = entered(admin_user, setup, tree, call=call, **extra)
    services.screen(admin_user, submission=submission, accept=True)
    for name in names:
        member = setup["council"].members.get(user=setup["users"][name])
        services.assign(admin_user, submission=submission, member=member)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def under_review(setup, tree, admin_user):
    return reviewed_by(admin_user, setup, tree, "m1")


def scores(call, value):
    return {str(criterion.pk): value for criterion in call.criteria.all()}


def leaks(response, *secrets):
    """The secrets found in a response, in its raw body or in its decoded JSON."""
    raw = response.content.decode()
    decoded = json.dumps(response.json(), ensure_ascii=False)
    return [secret for secret in secrets if secret in raw or secret in decoded]


def keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


# --- public: calls --------------------------------------------------------------------------


def test_public_calls_and_a_call_with_its_criteria_and_award_levels(client, setup, admin_user):
    draft = services.create_call(
        admin_user,
        owner_unit=setup["call"].owner_unit,
        title="Bản nháp",
        opens_on=TODAY,
        closes_on=TODAY,
    )
    body = client.get(f"{API}calls").json()
    assert [c["slug"] for c in body["items"]] == [setup["call"].slug]
    assert body["items"][0]["is_open"] is True
    detail = client.get(f"{API}calls/{setup['call'].slug}").json()
    assert len(detail["criteria"]) == 4 and detail["criteria"][0]["max_score"] == 10
    assert [level["name"] for level in detail["award_levels"]] == ["Giải A"]
    assert client.get(f"{API}calls/{draft.slug}").status_code == 404
    assert client.get(f"{API}calls/nope").status_code == 404


# --- public: submissions and the private link ----------------------------------------------


def test_anonymous_submission_is_a_draft_until_the_emailed_link_confirms_it(
    client, setup, tree, django_capture_on_commit_callbacks
):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, payload(setup, tree))
    assert response.status_code == 201, response.content
    assert response.json() == {"number": 1, "status": "draft"}  # the token goes only by email
    submission = Submission.objects.get()
    assert submission.status == "draft" and submission.entered_by is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.org"]
    assert submission.token in mail.outbox[0].body

    own = client.get(f"{API}submissions/{submission.token}").json()
    assert own["status"] == "draft" and own["call"]["slug"] == setup["call"].slug
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{API}submissions/{submission.token}/confirm")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert [event["status"] for event in response.json()["history"]] == ["draft", "submitted"]
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.email_confirmed_at is not None
    assert len(mail.outbox) == 2  # "we received it"
    assert post(client, f"{API}submissions/{submission.token}/confirm").json()["status"] == (
        "submitted"
    )


def test_the_same_client_token_saves_one_submission(
    client, setup, tree, django_capture_on_commit_callbacks
):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, url, payload(setup, tree))
        second = post(client, url, payload(setup, tree))
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Submission.objects.count() == 1 and len(mail.outbox) == 1


def test_missing_fields_are_named_and_nothing_is_written(
    client, setup, tree, django_capture_on_commit_callbacks
):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, {"client_token": "tok-empty"})
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {
        "applicant_kind",
        "applicant_name",
        "unit_id",
        "field",
        "title",
        "summary",
        "description",
        "expected_benefit",
    }
    outside = make_unit("Tỉnh khác", code="99", kind_code="province")
    today = timezone.localdate()  # not the module's TODAY: a run may cross midnight in Hà Nội
    closed = make_unit("Phường đã giải thể", parent=tree["long_bien"], valid_to=today)
    yesterday_closed = make_unit(
        "Phường cũ", parent=tree["long_bien"], valid_to=today - dt.timedelta(days=1)
    )
    for extra, name in [
        ({"title": "  "}, "title"),
        ({"applicant_email": ""}, "applicant_email"),
        ({"applicant_email": "not-an-email"}, "applicant_email"),
        ({"applicant_kind": "robot"}, "applicant_kind"),
        ({"unit_id": outside.pk}, "unit_id"),
        ({"unit_id": yesterday_closed.pk}, "unit_id"),
        ({"unit_id": 999999}, "unit_id"),
        ({"field": "nope"}, "field"),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, url, payload(setup, tree, **extra))
        assert response.status_code == 422, extra
        assert name in response.json()["detail"], (extra, response.json())
    assert not Submission.objects.exists()
    assert not AuditEvent.objects.filter(verb="initiatives.submit").exists()
    assert mail.outbox == []
    # A unit closing today is still in force today.
    response = post(client, url, payload(setup, tree, unit_id=closed.pk, client_token="ok"))
    assert response.status_code == 201


def test_a_closed_call_refuses_and_an_unknown_call_is_404(client, setup, tree, admin_user):
    services.set_call_status(admin_user, call=setup["call"], status=Call.Status.CLOSED)
    url = f"{API}calls/{setup['call'].slug}/submissions"
    assert post(client, url, payload(setup, tree)).status_code == 422
    assert post(client, f"{API}calls/nope/submissions", payload(setup, tree)).status_code == 404
    assert not Submission.objects.exists()


def test_a_script_in_the_title_comes_back_as_plain_text(client, setup, tree):
    title = "<script>alert(1)</script> Lọc nước"
    url = f"{API}calls/{setup['call'].slug}/submissions"
    assert post(client, url, payload(setup, tree, title=title)).status_code == 201
    token = Submission.objects.get().token
    response = client.get(f"{API}submissions/{token}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == title


def test_the_applicant_withdraws_by_the_private_link(client, setup, tree, admin_user):
    submission = entered(admin_user, setup, tree)
    response = post(client, f"{API}submissions/{submission.token}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = post(client, f"{API}submissions/{submission.token}/withdraw")
    assert again.status_code == 422
    missing = client.get(f"{API}calls/nope")
    for url in ("submissions/nope", "submissions/nope/confirm", "submissions/nope/withdraw"):
        response = client.get(f"{API}{url}") if url.count("/") == 1 else post(client, f"{API}{url}")
        assert response.status_code == 404, url
        assert response.json() == missing.json()


def test_an_officer_enters_on_behalf_only_with_a_valid_csrf_token(client, setup, tree, admin_user):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(admin_user)
    response = post(forged, url, payload(setup, tree, client_token="forged"))
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert Submission.objects.get(client_token__endswith=":forged").entered_by is None
    client.force_login(admin_user)  # the test client passes the CSRF check
    response = post(client, url, payload(setup, tree, client_token="officer", applicant_email=""))
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    assert Submission.objects.get(client_token__endswith=":officer").entered_by == admin_user


# --- public: recognised initiatives ---------------------------------------------------------


def recognise(admin_user, setup, call, submissions):
    """Meeting with everyone, three "yes" of four for each, the chair's decision."""
    users = setup["users"]
    meeting = services.record_meeting(
        users["secretary"], call=call, held_on=TODAY, present=list(setup["council"].members.all())
    )
    for submission in submissions:
        for name in ("chair", "secretary", "m1"):
            services.cast_vote(users[name], meeting=meeting, submission=submission, choice="yes")
    return services.finalise_decision(
        users["chair"], call=call, number=f"{call.pk}/QĐ", decided_on=TODAY, meeting=meeting
    )


def test_recognised_initiatives_show_names_only_when_published(client, setup, tree, admin_user):
    named = reviewed_by(admin_user, setup, tree, "m1", title="Thu gom rác thông minh")
    hidden = reviewed_by(
        admin_user,
        setup,
        tree,
        "m1",
        title="Vườn rau sạch",
        applicant_name="Lê Văn Kín",
        co_authors="Phạm Thị Ẩn",
        publish_names=False,
    )
    recognise(admin_user, setup, setup["call"], [named, hidden])
    body = client.get(f"{API}recognised").json()
    assert body["count"] == 2
    by_title = {item["title"]: item for item in body["items"]}
    assert by_title["Thu gom rác thông minh"]["applicant_name"] == APPLICANT
    assert by_title["Vườn rau sạch"]["applicant_name"] is None
    assert by_title["Vườn rau sạch"]["co_authors"] is None
    assert by_title["Vườn rau sạch"]["decision"]["number"] == f"{setup['call'].pk}/QĐ"
    response = client.get(f"{API}recognised")
    assert not leaks(response, "Lê Văn Kín", "Phạm Thị Ẩn", EMAIL)

    def titles(**params):
        return [i["title"] for i in client.get(f"{API}recognised", params).json()["items"]]

    assert titles(q="rac thong minh") == ["Thu gom rác thông minh"]
    assert len(titles(field="env", unit_id=tree["long_bien"].pk, year=TODAY.year)) == 2
    assert titles(unit_id=tree["tay_ho"].pk) == []
    assert titles(year=TODAY.year - 1) == []
    assert client.get(f"{API}recognised", {"field": "nope"}).status_code == 422


# --- staff: the secretariat -----------------------------------------------------------------


def test_the_secretariat_lists_screens_and_auto_assigns(client, setup, tree, admin_user):
    call = setup["call"]
    submission = entered(admin_user, setup, tree)
    client.force_login(setup["users"]["secretary"])
    body = client.get(f"{API}calls/{call.pk}/submissions").json()
    assert body["count"] == 1 and body["items"][0]["applicant_email"] == EMAIL
    assert "token" not in body["items"][0]
    assert client.get(f"{API}calls/{call.pk}/submissions", {"status": "draft"}).json()["count"] == 0

    url = f"{API}submissions/{submission.pk}/screen"
    response = post(client, url, {"accept": False})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    submission.refresh_from_db()
    assert submission.status == "submitted"
    response = post(client, url, {"accept": True})
    assert response.status_code == 200 and response.json()["status"] == "screened_in"

    response = post(client, f"{API}calls/{call.pk}/auto-assign")
    assert response.status_code == 200, response.content
    seats = {m.pk: m.user.username for m in setup["council"].members.select_related("user")}
    reviewers = {seats[row["reviewer"]["id"]] for row in response.json()}
    assert len(reviewers) == call.reviews_per_submission
    assert "m2" not in reviewers  # from Long Biên, above the applicant's ward
    progress = client.get(f"{API}calls/{call.pk}/progress").json()
    assert sum(row["assigned"] for row in progress) == 2
    assert {seats[row["member"]["id"]] for row in progress} == {"chair", "secretary", "m1", "m2"}
    assert {row["member"]["name"] for row in progress} == {str(u) for u in setup["users"].values()}


def test_a_plain_member_gets_404_on_secretariat_endpoints(client, setup, tree, admin_user):
    call = setup["call"]
    submission = entered(admin_user, setup, tree)
    client.force_login(setup["users"]["m2"])
    assert client.get(f"{API}calls/{call.pk}/submissions").status_code == 404
    assert client.get(f"{API}calls/{call.pk}/progress").status_code == 404
    assert post(client, f"{API}calls/{call.pk}/auto-assign").status_code == 404
    screen = post(client, f"{API}submissions/{submission.pk}/screen", {"accept": True})
    assert screen.status_code == 404
    assert screen.json() == client.get(f"{API}calls/999999/progress").json()
    assert client.get(f"{API}calls/{call.pk}/ranked").status_code == 200  # the council's table
    submission.refresh_from_db()
    assert submission.status == "submitted" and not Assignment.objects.exists()

    outsider = UserFactory(username="outsider", roles=[("officer", tree["tay_ho"])])
    client.force_login(outsider)
    assert client.get(f"{API}calls/{call.pk}/ranked").status_code == 404
    assert client.get(f"{API}calls/{call.slug}/submissions").status_code == 404


def test_anonymous_gets_401_on_staff_and_reviewer_endpoints(client, setup, under_review):
    call = setup["call"]
    assignment = under_review.assignments.get()
    for method, url in [
        ("get", f"calls/{call.pk}/submissions"),
        ("get", f"calls/{call.pk}/ranked"),
        ("get", f"calls/{call.pk}/progress"),
        ("post", f"calls/{call.pk}/auto-assign"),
        ("post", f"submissions/{under_review.pk}/screen"),
        ("post", f"submissions/{under_review.pk}/conflict"),
        ("get", "assignments"),
        ("get", f"assignments/{assignment.pk}"),
        ("post", f"assignments/{assignment.pk}/review"),
        ("put", f"assignments/{assignment.pk}/review"),
    ]:
        if method == "get":
            response = client.get(f"{API}{url}")
        else:
            response = getattr(client, method)(f"{API}{url}", {}, content_type="application/json")
        assert response.status_code == 401, url


# --- reviewers ------------------------------------------------------------------------------


def test_a_reviewer_sees_only_their_own_assignments(client, setup, tree, admin_user, under_review):
    other_call = new_call(admin_user, tree, setup["council"], "Sáng kiến mở", blind=False)
    reviewed_by(admin_user, setup, tree, "m1", call=other_call, title="Không ẩn danh")
    elsewhere = reviewed_by(admin_user, setup, tree, unit=tree["quang_an"], title="Của người khác")
    services.assign(
        admin_user,
        submission=elsewhere,
        member=setup["council"].members.get(user=setup["users"]["m2"]),
    )
    client.force_login(setup["users"]["m1"])
    body = client.get(f"{API}assignments").json()
    assert body["count"] == 2
    by_title = {item["submission"]["title"]: item for item in body["items"]}
    assert set(by_title) == {"Thu gom rác thông minh", "Không ẩn danh"}
    assert by_title["Thu gom rác thông minh"]["submission"]["applicant"] is None
    assert by_title["Không ẩn danh"]["submission"]["applicant"]["email"] == EMAIL  # not blind
    assert by_title["Thu gom rác thông minh"]["review"] is None

    theirs = elsewhere.assignments.get()
    assert client.get(f"{API}assignments/{theirs.pk}").status_code == 404
    review = put(client, f"{API}assignments/{theirs.pk}/review", {"comment": "x"})
    assert review.status_code == 404
    conflict = post(client, f"{API}submissions/{elsewhere.pk}/conflict", {"reason": "x"})
    assert conflict.status_code == 404
    assert client.get(f"{API}assignments/999999").json() == review.json() == conflict.json()
    assert not Review.objects.exists() and not elsewhere.conflicts.exists()


def test_blind_review_never_shows_the_applicant(client, setup, under_review):
    call = setup["call"]
    assignment = under_review.assignments.get()
    client.force_login(setup["users"]["m1"])
    secrets = (APPLICANT, EMAIL, "0912345678", "Phường Bồ Đề")
    responses = [
        client.get(f"{API}assignments"),
        client.get(f"{API}assignments/{assignment.pk}"),
        put(client, f"{API}assignments/{assignment.pk}/review", {"scores": scores(call, 7)}),
        post(
            client,
            f"{API}assignments/{assignment.pk}/review",
            {"scores": scores(call, 8), "recommendation": "recognise", "submit": True},
        ),
        client.get(f"{API}assignments/{assignment.pk}"),
        post(client, f"{API}submissions/{under_review.pk}/conflict", {"reason": "Người quen"}),
    ]
    for response in responses:
        assert response.status_code == 200, response.content
        assert leaks(response, *secrets) == [], response.request["PATH_INFO"]
        found = set(keys(response.json()))
        assert not found & {"unit", "unit_id", "applicant_name", "applicant_email", "co_authors"}
    detail = responses[1].json()
    assert detail["submission"]["applicant"] is None
    assert detail["submission"]["description"] == "Mô tả"
    assert len(detail["criteria"]) == 4
    assert responses[4].json()["review"]["status"] == "submitted"
    # The secretariat sees the applicant of the same submission.
    client.force_login(setup["users"]["secretary"])
    staff = client.get(f"{API}calls/{call.pk}/submissions")
    assert leaks(staff, APPLICANT, EMAIL) == [APPLICANT, EMAIL]


def test_a_declared_conflict_takes_the_submission_away(client, setup, under_review):
    call = setup["call"]
    assignment = under_review.assignments.get()
    client.force_login(setup["users"]["m1"])
    # A draft review exists: the service keeps the assignment, the reviewer still loses it.
    put(client, f"{API}assignments/{assignment.pk}/review", {"scores": scores(call, 5)})
    response = post(client, f"{API}submissions/{under_review.pk}/conflict", {"reason": "Họ hàng"})
    assert response.status_code == 200 and response.json()["reason"] == "Họ hàng"
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert client.get(f"{API}assignments").json()["count"] == 0
    assert client.get(f"{API}assignments/{assignment.pk}").status_code == 404
    review = put(client, f"{API}assignments/{assignment.pk}/review", {"scores": scores(call, 9)})
    assert review.status_code == 404
    again = post(client, f"{API}submissions/{under_review.pk}/conflict", {"reason": "x"})
    assert again.status_code == 404
    assert {s.score for s in Review.objects.get().scores.all()} == {5}


def test_a_conflict_needs_a_reason(client, setup, under_review):
    client.force_login(setup["users"]["m1"])
    response = post(client, f"{API}submissions/{under_review.pk}/conflict", {"reason": " "})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    assert not under_review.conflicts.exists()


def test_a_submitted_review_changes_only_with_a_reason(client, setup, under_review):
    call = setup["call"]
    first = call.criteria.first()
    url = f"{API}assignments/{under_review.assignments.get().pk}/review"
    client.force_login(setup["users"]["m1"])
    incomplete = post(client, url, {"scores": {str(first.pk): 8}, "submit": True})
    assert incomplete.status_code == 422
    assert {"recommendation", f"score_{call.criteria.last().pk}"} <= set(
        incomplete.json()["detail"]
    )
    assert not Review.objects.exists()

    body = {"scores": scores(call, 8), "recommendation": "recognise", "submit": True}
    response = put(client, url, body)
    assert response.status_code == 200, response.content
    review = response.json()
    assert review["status"] == "submitted" and review["weighted_score"] == "80.000"
    assert review["scores"][str(first.pk)] == "8.00"

    changed = {**body, "scores": {**scores(call, 8), str(first.pk): 2}, "comment": "Khác"}
    locked = put(client, url, changed)
    assert locked.status_code == 422 and "amend_reason" in locked.json()["detail"]
    stored = Review.objects.get()
    assert stored.scores.get(criterion=first).score == 8 and stored.comment == ""
    assert not AuditEvent.objects.filter(verb="initiatives.amend_review").exists()

    amended = put(client, url, {**changed, "amend_reason": "Đọc lại phụ lục"})
    assert amended.status_code == 200 and amended.json()["scores"][str(first.pk)] == "2.00"
    assert AuditEvent.objects.filter(verb="initiatives.amend_review").count() == 1


def test_the_council_table_ranks_by_mean_score(client, setup, tree, admin_user, under_review):
    call = setup["call"]
    assignment = under_review.assignments.get()
    services.save_review(
        setup["users"]["m1"],
        assignment=assignment,
        scores={c.pk: 6 for c in call.criteria.all()},
        recommendation="recognise",
        submit=True,
    )
    reviewed_by(admin_user, setup, tree, "m1", title="Chưa chấm")
    client.force_login(setup["users"]["m2"])
    body = client.get(f"{API}calls/{call.pk}/ranked").json()
    assert body["meeting"] is None
    assert [(r["submission"]["title"], r["mean"]) for r in body["rows"]] == [
        ("Thu gom rác thông minh", "60.00"),
        ("Chưa chấm", None),
    ]
    assert body["rows"][1]["reviews"] == 0 and len(body["rows"][1]["flags"]) == 1


# --- query counts: the same with one item and with three ----------------------------------------


def count_queries(client, url):
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(queries), body["count"] if "count" in body else len(body["rows"])


def test_public_lists_cost_the_same_with_one_and_three_items(client, setup, tree, admin_user):
    first = reviewed_by(admin_user, setup, tree, "m1")
    recognise(admin_user, setup, setup["call"], [first])
    one_call = count_queries(client, f"{API}calls")
    one_recognised = count_queries(client, f"{API}recognised")
    second = new_call(admin_user, tree, setup["council"], "Đợt hai")
    new_call(admin_user, tree, setup["council"], "Đợt ba")
    more = [
        reviewed_by(admin_user, setup, tree, "m1", call=second, title=f"Số {n}") for n in range(2)
    ]
    recognise(admin_user, setup, second, more)
    assert one_call[1] == 1 and count_queries(client, f"{API}calls") == (one_call[0], 3)
    three_recognised = count_queries(client, f"{API}recognised")
    assert one_recognised[1] == 1 and three_recognised == (one_recognised[0], 3)


def test_staff_lists_cost_the_same_with_one_and_three_items(
    client, setup, tree, admin_user, under_review
):
    call = setup["call"]
    other_call = new_call(admin_user, tree, setup["council"], "Đợt hai", blind=False)
    urls = {
        "secretary": [f"{API}calls/{call.pk}/submissions", f"{API}calls/{call.pk}/ranked"],
        "m1": [f"{API}assignments"],
    }
    before = {}
    for name, user_urls in urls.items():
        client.force_login(setup["users"][name])
        for url in user_urls:
            before[url] = count_queries(client, url)
    reviewed_by(admin_user, setup, tree, "m1", title="Hai")
    reviewed_by(admin_user, setup, tree, "m1", call=other_call, title="Ba")
    reviewed_by(admin_user, setup, tree, "chair", title="Bốn")
    for name, user_urls in urls.items():
        client.force_login(setup["users"][name])
        for url in user_urls:
            queries, items = count_queries(client, url)
            assert before[url][1] == 1 and items == 3, url
            assert queries == before[url][0], url

"""Near-duplicate detection: the text method on real Vietnamese, Indonesian and English wording,
the incremental index kept by the background task, the officers' marks, and the screening pages
(secretariat only)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory
from tests.factories.duplicate_texts import (
    LIGHTS,
    NEAR_DUPLICATES,
    SAMPAH,
    UNRELATED,
    WASTE,
    WATER,
    copyedit,
    paraphrase_id,
    paraphrase_vi,
    reorder,
    strip_all,
    text,
)
from tests.factories.initiatives import enter, open_call
from thidua.core.models import AuditEvent
from thidua.initiatives import duplicates
from thidua.initiatives.duplicates import algorithm
from thidua.initiatives.duplicates import index as database_index
from thidua.initiatives.models import (
    DuplicateCandidate,
    DuplicateMark,
    SimilarityBand,
    SimilaritySentence,
    SimilaritySignature,
    Submission,
)
from thidua.initiatives.services.duplicates import mark_duplicate


def test_normalisation_folds_diacritics_case_and_punctuation():
    assert duplicates.normalise("Đường làng, ngõ xóm!") == duplicates.normalise(
        "duong LANG ngo-xom"
    )
    assert duplicates.normalise(unicodedata.normalize("NFD", "Nước sạch")) == "nuocsach"
    assert duplicates.normalise("") == ""


@pytest.mark.parametrize("name", NEAR_DUPLICATES)
def test_near_duplicates_are_found(name):
    original, copy = NEAR_DUPLICATES[name]
    index = duplicates.MemoryIndex()
    index.add(1, text(original))
    index.add(2, text(LIGHTS if original is not LIGHTS else WASTE))
    found = dict(index.query(text(copy)))
    assert 1 in found, duplicates.similarity(
        duplicates.fingerprint(text(original)).shingles,
        duplicates.fingerprint(text(copy)).shingles,
    )
    assert found[1].is_duplicate


@pytest.mark.parametrize("name", UNRELATED)
def test_unrelated_initiatives_are_not_duplicates(name):
    first, second = UNRELATED[name]
    result = duplicates.similarity(
        duplicates.fingerprint(text(first)).shingles, duplicates.fingerprint(text(second)).shingles
    )
    assert not result.is_duplicate, result
    index = duplicates.MemoryIndex()
    index.add(1, text(first))
    assert index.query(text(second)) == []


# Stock sentences many submissions share (a form's headings, a committee's standard phrasing).
STOCK = (
    "Tổ chức thực hiện: Ủy ban MTTQ phường, xã hướng dẫn; các chi hội đoàn thể phân công hội "
    "viên phụ trách từng nhóm hộ; có sổ theo dõi và sơ kết hằng quý.\n"
    "Khả năng nhân rộng: Cách làm đơn giản, chi phí thấp, có thể nhân rộng ra các khu dân cư "
    "có điều kiện tương tự.\n"
)
TOPICS = [
    "Công khai thu chi bằng mã QR dán tại bảng tin",
    "Lịch tiếp dân lưu động tại nhà văn hóa",
    "Vườn rau sinh kế cho hộ khó khăn",
    "Tủ sách dùng chung ở nhà văn hóa",
    "Camera an ninh do dân góp tiền lắp",
]


def stock_text(number: int, topic: str = "") -> str:
    topic = topic or TOPICS[number % len(TOPICS)]
    return f"{topic} số {number}\nThực trạng: {topic}, lần {number}.\n{STOCK}"


NEW_TOPIC = "Sân chơi an toàn cho trẻ em trong ngõ nhỏ"


def test_boilerplate_shared_by_many_submissions_does_not_make_them_duplicates():
    index = duplicates.MemoryIndex()
    for number in range(duplicates.BOILERPLATE_SUBMISSIONS):
        index.add(number, stock_text(number))
    index.add(100, text(WATER) + "\n" + STOCK)
    # the stock sentences are most of each text: without step 5 these would all be pairs
    assert duplicates.similarity(
        duplicates.fingerprint(stock_text(1)).shingles,
        duplicates.fingerprint(stock_text(2)).shingles,
    ).is_duplicate
    assert index.query(stock_text(1000, NEW_TOPIC)) == []
    # a real resubmission carrying the same stock sentences is still found, and only it
    found = dict(index.query(text(paraphrase_vi(WATER)) + "\n" + STOCK))
    assert list(found) == [100]


def test_sentences_below_the_boilerplate_count_still_count():
    index = duplicates.MemoryIndex()
    for number in range(duplicates.BOILERPLATE_SUBMISSIONS - 2):
        index.add(number, stock_text(number), call=number)  # each in a call of its own
    # 19 submissions sharing it once this one is in, never more than one per call: evidence
    assert index.query(stock_text(1000, NEW_TOPIC))


def test_a_stock_sentence_of_one_small_call_stops_counting():
    """A call of a hundred: a closing formula in a handful of its submissions is boilerplate
    there, long before it is in BOILERPLATE_SUBMISSIONS of the whole index."""
    index = duplicates.MemoryIndex()
    for number in range(duplicates.BOILERPLATE_IN_CALL - 1):
        index.add(number, stock_text(number), call="small")
    # one short of the count in the call: the stock sentences still make a pair
    assert index.query(stock_text(1000, NEW_TOPIC))
    sharing = index.add(duplicates.BOILERPLATE_IN_CALL, stock_text(50), call="small")
    assert index.query(stock_text(1000, NEW_TOPIC)) == []
    # pairs recorded before the line was crossed are scored again, and go
    assert sharing == {*range(duplicates.BOILERPLATE_IN_CALL - 1), duplicates.BOILERPLATE_IN_CALL}
    assert index.settle({(0, 1), (1, 2)}, sharing) == {(0, 1), (1, 2)}
    # a real copy carrying the same stock sentences is still found
    index.add(200, text(WATER) + "\n" + STOCK, call="small")
    assert list(dict(index.query(text(paraphrase_vi(WATER)) + "\n" + STOCK))) == [200]


def test_a_family_of_resubmissions_across_calls_keeps_its_sentences():
    """The same initiative sent to four calls in turn: each sentence is in one submission of
    each call, so nothing of it is boilerplate and every pair is found."""
    index = duplicates.MemoryIndex()
    for year in range(4):
        index.add(year, text(WATER if year % 2 else reorder(WATER)), call=year)
    assert len(index.query(text(paraphrase_vi(WATER)))) == 4


def test_signatures_and_keys_are_deterministic():
    first, second = duplicates.fingerprint(text(WATER)), duplicates.fingerprint(text(WATER))
    assert (first.signature == second.signature).all()
    assert first.keys == second.keys and len(first.keys) == duplicates.BANDS
    assert duplicates.fingerprint("").is_empty and duplicates.fingerprint("...").keys == ()


def test_shared_passages_find_moved_sentences_and_ignore_accents():
    mine = "Mở đầu khác hẳn. Kinh phí xây dựng khoảng mười lăm triệu đồng do dân góp."
    theirs = "KINH PHI xay dung khoang muoi lam trieu dong. Nước mưa từ mái nhà."
    passages = duplicates.shared_passages(mine, theirs)
    assert "".join(p.text for p in passages) == mine
    assert [p.text for p in passages if p.shared] == [
        "Kinh phí xây dựng khoảng mười lăm triệu đồng"
    ]
    assert duplicates.shared_passages("", theirs) == []
    assert not any(p.shared for p in duplicates.shared_passages("Mở đầu khác hẳn.", theirs))


# --- the index in the database --------------------------------------------------------------


def make(admin_user, call, data, parts: dict[str, str], **extra) -> Submission:
    return enter(admin_user, call, data(**parts, **extra))


def index(submission: Submission) -> list[DuplicateCandidate]:
    return duplicates.update_duplicate_index(submission_id=submission.pk)


def state() -> tuple:
    return (
        sorted(SimilaritySignature.objects.values_list("submission_id", "minhash", "text_hash")),
        sorted(SimilarityBand.objects.values_list("submission_id", "key")),
        sorted(DuplicateCandidate.objects.values_list("pk", "a_id", "b_id", "score", "updated_at")),
    )


def test_a_copy_in_the_same_call_is_recorded_once_as_an_ordered_pair(call, data, admin_user):
    original = make(admin_user, call, data, WATER)
    unrelated = make(admin_user, call, data, LIGHTS)
    copy = make(admin_user, call, data, strip_all(paraphrase_vi(WATER)))
    for submission in (original, unrelated, copy):
        index(submission)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.a_id, candidate.b_id) == (original.pk, copy.pk)
    assert candidate.score >= duplicates.JACCARD_THRESHOLD
    assert candidate.method == duplicates.METHOD


def test_a_copy_in_another_call_of_another_unit_is_found(
    call, data, admin_user, tree, council, fields
):
    original = make(admin_user, call, data, SAMPAH, unit=tree["bo_de"])
    index(original)
    later = open_call(
        admin_user,
        owner_unit=tree["tay_ho"],
        council=council,
        fields=fields,
        title="Sáng kiến 2027",
    )
    copy = make(admin_user, later, data, paraphrase_id(SAMPAH), unit=tree["quang_an"])
    found = index(copy)
    assert [(c.a_id, c.b_id) for c in found] == [(original.pk, copy.pk)]
    panel = duplicates.duplicate_panel(original)
    assert panel.indexed and [row.other.pk for row in panel.rows] == [copy.pk]
    assert panel.rows[0].other.call == later


def test_the_database_index_leaves_boilerplate_out_too(call, data, admin_user, monkeypatch):
    monkeypatch.setattr(algorithm, "BOILERPLATE_SUBMISSIONS", 3)
    parts = [
        {"title": f"Sáng kiến {n}", "summary": f"Thực trạng: {TOPICS[n]}.", "description": STOCK}
        for n in range(3)
    ]
    stock = [make(admin_user, call, data, p) for p in parts]
    for submission in stock:
        index(submission)
    assert DuplicateCandidate.objects.count() == 0
    keys = set(SimilaritySentence.objects.filter(submission=stock[0]).values_list("key", flat=True))
    # the topic and six stock pieces (cut at . : ;); the short title and heading do not count
    assert keys == duplicates.sentence_keys(duplicates.text_of(stock[0])) and len(keys) == 7
    original = make(admin_user, call, data, {**WATER, "description": WATER["description"] + STOCK})
    index(original)
    copy = paraphrase_vi(WATER)
    copy = make(admin_user, call, data, {**copy, "description": copy["description"] + STOCK})
    assert [(c.a_id, c.b_id) for c in index(copy)] == [(original.pk, copy.pk)]


def test_the_database_counts_boilerplate_per_call(call, data, admin_user, tree, council, fields):
    """A stock sentence in BOILERPLATE_IN_CALL submissions of one call is boilerplate: the pairs
    it made before are dropped when the last of them is indexed."""
    topics = [*TOPICS[:3], TOPICS[4], NEW_TOPIC]  # no two alike without the stock sentences
    parts = [
        {"title": f"Sáng kiến {n}", "summary": f"Thực trạng: {topic}.", "description": STOCK}
        for n, topic in enumerate(topics[: duplicates.BOILERPLATE_IN_CALL])
    ]
    stock = [make(admin_user, call, data, p) for p in parts]
    for submission in stock[:-1]:
        index(submission)
    assert DuplicateCandidate.objects.count() > 0  # not yet common in the call
    index(stock[-1])
    assert DuplicateCandidate.objects.count() == 0
    assert set(
        SimilaritySentence.objects.filter(submission=stock[0]).values_list("call_id", flat=True)
    ) == {call.pk}
    before = state()
    index(stock[-1])
    assert state() == before  # indexing again changes nothing
    # ... and it is stock text everywhere: the same form in another call makes no pair either
    later = open_call(
        admin_user, owner_unit=tree["tay_ho"], council=council, fields=fields, title="Đợt 2027"
    )
    form = {**parts[0], "summary": "Thực trạng: Bể chứa nước mưa cho trường tiểu học."}
    again = make(admin_user, later, data, form, unit=tree["quang_an"])
    assert index(again) == []


def test_indexing_order_does_not_matter(call, data, admin_user):
    original = make(admin_user, call, data, WATER)
    copy = make(admin_user, call, data, reorder(WATER))
    index(copy)  # the later one first: the earlier is not indexed yet
    assert not DuplicateCandidate.objects.exists()
    index(original)
    assert DuplicateCandidate.objects.filter(a=original, b=copy).exists()


def test_a_pair_the_other_side_recorded_survives_a_lookup_that_missed_it(
    call, data, admin_user, monkeypatch
):
    """The race of two tasks, played in order: this task's lookup ran before the other task
    committed its keys, so it returns nothing; the pair the other task recorded must stay."""
    original = make(admin_user, call, data, WATER)
    copy = make(admin_user, call, data, reorder(WATER))
    index(original)
    index(copy)
    monkeypatch.setattr(database_index, "_find", lambda submission_id, print_, text: {})
    assert [(c.a_id, c.b_id) for c in index(original)] == [(original.pk, copy.pk)]


def test_the_task_is_idempotent(call, data, admin_user):
    original = make(admin_user, call, data, WATER)
    copy = make(admin_user, call, data, copyedit(WATER))
    duplicates.index_submission.enqueue(original.pk)
    result = duplicates.index_submission.enqueue(copy.pk)
    assert result.return_value == 1
    before = state()
    for submission in (copy, original, copy):
        duplicates.index_submission.enqueue(submission.pk)
    assert state() == before
    assert SimilarityBand.objects.filter(submission=copy).count() == duplicates.BANDS


def test_schedule_indexing_runs_after_commit_and_skips_drafts(
    call, data, admin_user, anonymous, django_capture_on_commit_callbacks
):
    submitted = make(admin_user, call, data, WATER)
    public = enter(anonymous, call, data(**WASTE))
    assert public.status == Submission.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        duplicates.schedule_indexing(submitted)
        duplicates.schedule_indexing(public)
    assert len(callbacks) == 1
    assert SimilaritySignature.objects.filter(submission=submitted).exists()
    assert not SimilaritySignature.objects.filter(submission=public).exists()


def test_a_draft_is_not_indexed(call, data, anonymous, admin_user):
    make(admin_user, call, data, WATER)
    draft = enter(anonymous, call, data(**WATER))
    assert index(draft) == []
    assert not SimilaritySignature.objects.filter(submission=draft).exists()


def test_marks_survive_a_reindex_even_when_the_pair_is_no_longer_found(call, data, admin_user):
    original = make(admin_user, call, data, WATER)
    copy = make(admin_user, call, data, reorder(WATER))
    other_copy = make(admin_user, call, data, strip_all(WATER))
    for submission in (original, copy, other_copy):
        index(submission)
    marked = DuplicateCandidate.objects.get(a=original, b=copy)
    mark = mark_duplicate(
        admin_user,
        submission=original,
        candidate=marked,
        verdict=DuplicateMark.Verdict.DUPLICATE,
        note="Cùng một sáng kiến, nộp lại",
    )
    index(original)
    index(copy)
    assert DuplicateMark.objects.get() == mark
    # The copies are rewritten into something else: the unmarked pairs go, the marked one stays.
    Submission.objects.filter(pk=copy.pk).update(**LIGHTS)
    Submission.objects.filter(pk=other_copy.pk).update(**WASTE)
    index(copy)
    index(other_copy)
    index(original)
    assert list(DuplicateCandidate.objects.values_list("a_id", "b_id")) == [(original.pk, copy.pk)]
    assert list(DuplicateMark.objects.all()) == [mark]
    row = duplicates.duplicate_panel(original).rows[0]
    assert row.verdict == DuplicateMark.Verdict.DUPLICATE


def test_a_mark_needs_the_secretariat_and_a_pair_of_this_submission(call, data, admin_user, seats):
    from django.core.exceptions import PermissionDenied, ValidationError

    original = make(admin_user, call, data, WATER)
    copy = make(admin_user, call, data, reorder(WATER))
    third = make(admin_user, call, data, LIGHTS)
    index(original)
    index(copy)
    candidate = DuplicateCandidate.objects.get()
    with pytest.raises(PermissionDenied):
        mark_duplicate(
            seats["m1"].user, submission=original, candidate=candidate, verdict="duplicate"
        )
    with pytest.raises(ValidationError):
        mark_duplicate(admin_user, submission=third, candidate=candidate, verdict="duplicate")
    with pytest.raises(ValidationError):
        mark_duplicate(admin_user, submission=original, candidate=candidate, verdict="maybe")
    assert not DuplicateMark.objects.exists()
    mark_duplicate(
        seats["secretary"].user,
        submission=copy,
        candidate=candidate,
        verdict=DuplicateMark.Verdict.NOT_DUPLICATE,
    )
    event = AuditEvent.objects.filter(verb="initiatives.mark_duplicate").get()
    assert event.data["verdict"] == "not_duplicate" and event.data["other"] == original.pk


def test_the_panel_costs_the_same_queries_with_one_or_three_pairs(call, data, admin_user):
    original = make(admin_user, call, data, WATER)
    index(original)
    copies = [
        make(admin_user, call, data, variant)
        for variant in (reorder(WATER), strip_all(WATER), copyedit(WATER))
    ]
    index(copies[0])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            panel = duplicates.duplicate_panel(original)
            render_to_string("initiatives/duplicates_panel.html", {"panel": panel})
        return len(context)

    one = queries()
    for copy in copies[1:]:
        index(copy)
    assert len(duplicates.duplicate_panel(original).rows) == 3
    assert queries() == one == 2


# --- the screening pages --------------------------------------------------------------------


@pytest.fixture
def pair(call, data, admin_user):
    original = make(
        admin_user,
        call,
        data,
        {**WATER, "title": "Bể lọc <script>alert(1)</script> nước mưa ba tầng cho tổ dân phố"},
    )
    copy = make(admin_user, call, data, reorder(WATER), applicant_name="Lê Văn Copy")
    index(original)
    index(copy)
    return original, copy, DuplicateCandidate.objects.get()


def test_the_panel_says_possible_duplicate_of(pair, call):
    original, copy, _candidate = pair
    with translation.override("en"):
        html = render_to_string(
            "initiatives/duplicates_panel.html", {"panel": duplicates.duplicate_panel(copy)}
        )
    assert f"Possible duplicate of #{original.number}" in html
    assert "<script>" not in html
    url = reverse("initiatives:duplicate", args=[call.pk, copy.pk, pair[2].pk])
    assert url in html


def test_the_side_by_side_page_highlights_escaped_overlaps_and_records_a_mark(
    client, pair, call, seats
):
    original, copy, candidate = pair
    url = reverse("initiatives:duplicate", args=[call.pk, original.pk, candidate.pk])
    client.force_login(seats["secretary"].user)
    body = client.get(url).content.decode()
    assert "<mark>" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "Lê Văn Copy" in body  # the same call's secretariat sees the other applicant
    response = client.post(url, {"verdict": "duplicate", "note": "Nộp lại năm sau"})
    assert response.status_code == 302
    mark = DuplicateMark.objects.get()
    assert (mark.candidate, mark.verdict, mark.by) == (
        candidate,
        "duplicate",
        seats["secretary"].user,
    )
    assert "Nộp lại năm sau" in client.get(url).content.decode()
    assert client.post(url, {"verdict": "perhaps"}).status_code == 200
    assert DuplicateMark.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "chair-less outsider", "anonymous"])
def test_the_side_by_side_page_is_404_for_anyone_but_the_secretariat(
    who, client, pair, call, seats
):
    original, _copy, candidate = pair
    url = reverse("initiatives:duplicate", args=[call.pk, original.pk, candidate.pk])
    if who == "member":
        client.force_login(seats["m1"].user)
    elif who == "chair-less outsider":
        client.force_login(UserFactory(username="stranger"))
    response_get, response_post = client.get(url), client.post(url, {"verdict": "duplicate"})
    if who == "anonymous":
        assert response_get.status_code == response_post.status_code == 302  # to the login
    else:
        assert response_get.status_code == response_post.status_code == 404
    assert not DuplicateMark.objects.exists()


def test_a_pair_of_another_submission_or_call_is_404(client, pair, call, data, admin_user):
    original, _copy, candidate = pair
    unrelated = make(admin_user, call, data, LIGHTS)
    client.force_login(admin_user)
    wrong_submission = reverse("initiatives:duplicate", args=[call.pk, unrelated.pk, candidate.pk])
    assert client.get(wrong_submission).status_code == 404
    missing = reverse("initiatives:duplicate", args=[call.pk, original.pk, candidate.pk + 99])
    assert client.get(missing).status_code == 404


def test_another_calls_applicant_is_hidden_from_this_secretariat(
    client, call, data, admin_user, tree, fields
):
    """The other call belongs to a unit this secretariat does not manage."""
    from thidua.initiatives import services

    district_admin = UserFactory(username="tay-ho-admin", roles=[("administrator", tree["tay_ho"])])
    council = services.create_council(
        district_admin,
        owner_unit=tree["tay_ho"],
        name="Hội đồng Tây Hồ",
        members=[{"user": district_admin, "role": "chair"}],
    )
    district_call = open_call(
        district_admin, owner_unit=tree["tay_ho"], council=council, fields=fields, title="Tây Hồ"
    )
    original = make(admin_user, call, data, WATER, applicant_name="Người Gốc")
    copy = make(
        district_admin,
        district_call,
        data,
        strip_all(WATER),
        unit=tree["quang_an"],
        applicant_name="Người Chép",
    )
    index(original)
    index(copy)
    candidate = DuplicateCandidate.objects.get()
    client.force_login(district_admin)
    url = reverse("initiatives:duplicate", args=[district_call.pk, copy.pk, candidate.pk])
    body = client.get(url).content.decode()
    assert "Người Chép" in body and "Người Gốc" not in body
    assert "<mark>" in body
    # …and the city's call is not theirs: its side of the pair is 404 for them.
    other_side = reverse("initiatives:duplicate", args=[call.pk, original.pk, candidate.pk])
    assert client.get(other_side).status_code == 404


def test_the_index_keeps_working_when_a_submission_is_submitted_later(
    call, data, anonymous, admin_user, django_capture_on_commit_callbacks
):
    from thidua.initiatives import services

    original = make(admin_user, call, data, WATER)
    index(original)
    public = enter(anonymous, call, data(**strip_all(WATER)))
    confirmed = services.confirm_email(token=public.token)
    with django_capture_on_commit_callbacks(execute=True):
        duplicates.schedule_indexing(confirmed)
    assert DuplicateCandidate.objects.filter(a=original, b=public).exists()
    assert timezone.now() - DuplicateCandidate.objects.get().found_at < dt.timedelta(minutes=5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_copies_indexed_at_the_same_moment_find_each_other_once(call, data, admin_user):
    """Each task commits its keys before it looks for candidates, so of two submissions indexed
    at once at least one sees the other; the pair is written once, whoever writes it."""
    import threading

    submissions = [
        make(admin_user, call, data, variant)
        for variant in (WATER, reorder(WATER), strip_all(WATER), copyedit(WATER))
    ]
    barrier = threading.Barrier(len(submissions))
    errors: list[Exception] = []

    def work(submission_id: int) -> None:
        try:
            barrier.wait()
            duplicates.update_duplicate_index(submission_id=submission_id)
        except Exception as error:  # reported to the main thread, which asserts on it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(s.pk,)) for s in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and not any(thread.is_alive() for thread in threads)
    pairs = sorted(DuplicateCandidate.objects.values_list("a_id", "b_id"))
    ids = [s.pk for s in submissions]
    assert pairs == [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]

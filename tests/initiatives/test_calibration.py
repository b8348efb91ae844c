"""Calibration and ranking: simulated reviewers with known biases, Krippendorff's alpha against
hand-worked examples, flags, the report on a real call, and the page (who may see it, the chair's
choice recorded in the audit chain)."""

from __future__ import annotations

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from scipy.stats import spearmanr

from tests.factories import UserFactory, grant
from tests.factories.initiatives import submit_review, to_review
from thidua.core.models import AuditEvent
from thidua.initiatives import calibration
from thidua.initiatives.calibration import calibrate, hinges, krippendorff_alpha
from thidua.initiatives.models import Call
from thidua.initiatives.services.calibration import choose_ranking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- the array layer ----------------------------------------------------------------------------


def simulate(seed: int, *, n: int = 300, m: int = 30, k: int = 3, confounded: bool = False):
    """Reviewers with a known bias (±8 points), scale and noise score submissions of known
    quality; with `confounded`, lenient reviewers tend to draw the better submissions."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(60, 10, n)
    bias = rng.normal(0, 8, m)
    scale = np.exp(rng.normal(0, 0.3, m))
    noise = rng.uniform(3, 8, m)
    reviewers, submissions, scores = [], [], []
    for j in range(n):
        weights = np.ones(m)
        if confounded:
            weights = np.exp(0.15 * bias * (quality[j] - 60) / 10)
        for r in rng.choice(m, k, replace=False, p=weights / weights.sum()):
            reviewers.append(int(r))
            submissions.append(j)
            value = 60 + bias[r] + scale[r] * (quality[j] - 60) + rng.normal(0, noise[r])
            scores.append(float(np.clip(value, 0, 100)))
    return quality, reviewers, submissions, scores


def correlation(quality, reviewers, submissions, scores, method: str) -> float:
    fit = calibrate(reviewers, submissions, scores, method=method)
    estimate = [fit.submissions[j].score for j in range(len(quality))]
    return spearmanr(estimate, quality).statistic


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calibration_raises_the_correlation_with_true_quality(seed):
    data = simulate(seed)
    raw = correlation(*data, "raw")
    assert correlation(*data, "zscore") > raw + 0.02
    assert correlation(*data, "bayes") > raw + 0.02


def test_consensus_adjustment_is_not_fooled_by_who_drew_the_strong_submissions():
    data = simulate(7, confounded=True)
    assert correlation(*data, "bayes") > correlation(*data, "zscore") + 0.1


def test_a_reviewer_with_one_review_is_trusted_less_to_be_biased():
    # Reviewer "a" scored 10 once; the others (mean 60) review three submissions.
    reviewers = ["a", "b", "c", "b", "c", "b", "c"]
    submissions = [1, 1, 2, 2, 3, 3, 1]
    scores = [10, 50, 70, 55, 65, 60, 40]
    zscore = calibrate(reviewers, submissions, scores, method="zscore")
    bayes = calibrate(reviewers, submissions, scores, method="bayes")
    # z-score: one review has no spread, so it becomes the pooled mean; shrinkage keeps most
    # of its message (it is far below the others of submission 1).
    assert zscore.calibrated[0] == pytest.approx(zscore.pooled_mean)
    assert bayes.calibrated[0] < bayes.pooled_mean - 10
    assert bayes.reviewers["a"].weight == pytest.approx(1 / 4)


def test_intervals_narrow_with_more_reviews_and_outliers_are_flagged():
    reviewers = ["a", "b", "c", "d", "a", "b", "c", "d", "e"]
    submissions = [1, 1, 1, 1, 2, 2, 2, 2, 3]
    scores = [60, 62, 61, 95, 40, 42, 41, 43, 50]
    fit = calibrate(reviewers, submissions, scores, method="raw")
    one, three = fit.submissions[3], fit.submissions[2]
    assert (one.high - one.low) > (three.high - three.low)
    assert one.low < one.score < one.high
    assert list(fit.outliers) == [3] and fit.outliers[3] > 2.5  # d's 95 on submission 1


def test_krippendorff_alpha_hand_worked():
    # Units {1, 2} and {3, 3}: n = 4 pairable values.
    # D_o = (1/4) · [(1−2)² + (2−1)²] / (2−1) = 0.5
    # D_e = 2 · Σ_{pairs}(v−v')² / (4·3) = 2 · (1 + 4 + 4 + 1 + 1 + 0) / 12 = 11/6
    # α = 1 − 0.5 / (11/6) = 8/11
    assert krippendorff_alpha([[1, 2], [3, 3], [7]]) == pytest.approx(8 / 11)
    # Krippendorff's own reliability data (4 coders × 12 units, gaps): interval α = 0.849.
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[c[u] for c in coders if c[u] is not None] for u in range(12)]
    assert krippendorff_alpha(units) == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha([[4, 4], [4, 4]]) is None  # no variation: undefined
    assert krippendorff_alpha([[1], [2]]) is None  # nothing pairable
    assert krippendorff_alpha([[1, 1], [5, 5]]) == pytest.approx(1.0)


def test_hinges_find_the_review_that_moves_a_submission_across_the_line():
    scores = {"a": 80.0, "b": 65.0, "c": 62.0, "d": 30.0}
    reviews = {
        "a": [("x", 80.0), ("y", 80.0)],
        "b": [("x", 90.0), ("y", 40.0)],  # without x's 90 it falls to 40, below c
        "c": [("x", 62.0), ("z", 62.0)],
        "d": [("y", 30.0)],
    }
    # Line after place 2: a and b are in. Without x's 90, b falls to 40, below c: it hinges on
    # x. c's two reviews agree, a's too, and d has one review (flagged otherwise).
    assert hinges(scores, reviews, places=2) == {"b": ["x"]}
    # Line after place 3: b is safely in whichever review is dropped (40 > d's 30).
    assert hinges(scores, reviews, places=3) == {}


# --- the Django layer --------------------------------------------------------------------------


@pytest.fixture
def reviewed(call, data, admin_user, seats, tree):
    """Six initiatives from Quảng An, reviewed by m1 (lenient), m2 (harsh), m4 and m6."""
    pairs = [("m1", "m2"), ("m1", "m4"), ("m2", "m6"), ("m4", "m6"), ("m1", "m6"), ("m2", "m4")]
    quality = [7, 6, 8, 5, 4, 9]
    offset = {"m1": 2, "m2": -2, "m4": 0, "m6": 0}
    submissions = []
    for (a, b), q in zip(pairs, quality, strict=True):
        submission = to_review(
            admin_user, call, data(unit=tree["quang_an"]), reviewers=[seats[a], seats[b]]
        )
        for name in (a, b):
            submit_review(seats[name], submission, max(0, min(10, q + offset[name])))
        submissions.append(submission)
    return submissions


def test_report_ranks_raw_and_calibrated_with_flags_and_agreement(call, reviewed, seats):
    report = calibration.calibration_report(call, places=2)
    assert [r.raw_rank for r in report.raw_order] == [1, 2, 3, 4, 5, 6]
    assert {r.submission.pk for r in report.calibrated_order} == {s.pk for s in reviewed}
    assert all(r.low < r.score < r.high for r in report.calibrated_order)
    lenient = next(r for r in report.reviewers if r.member == seats["m1"].user)
    harsh = next(r for r in report.reviewers if r.member == seats["m2"].user)
    assert lenient.shift < 0 < harsh.shift
    assert "lenient" in lenient.explanation and "harsher" in harsh.explanation
    assert [a.units for a in report.agreement] == [6] * 5  # four criteria and the total
    assert report.agreement[-1].alpha is not None
    assert report.chosen is None


def test_report_query_count_does_not_grow(call, data, admin_user, seats, tree):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            calibration.calibration_report(call)
        return len(queries)

    def one():
        submission = to_review(
            admin_user, call, data(unit=tree["quang_an"]), reviewers=[seats["m1"], seats["m2"]]
        )
        submit_review(seats["m1"], submission, 6)
        submit_review(seats["m2"], submission, 8)

    one()
    first = count()
    one()
    one()
    assert count() == first <= 6


def test_only_the_chair_chooses_the_ranking(call, reviewed, seats):
    with pytest.raises(PermissionDenied):
        choose_ranking(seats["m1"].user, call=call, ranking="calibrated")
    assert not AuditEvent.objects.filter(verb="initiatives.choose_ranking").exists()
    data = choose_ranking(seats["chair"].user, call=call, ranking="raw", places=3)
    assert data["ranking"] == "raw" and data["places"] == 3
    assert data["order"] == [
        r.submission.number for r in calibration.calibration_report(call).raw_order
    ]
    chosen = calibration.chosen_ranking(call)
    assert chosen["ranking"] == "raw" and chosen["by"] == seats["chair"].user.get_username()
    # kept on the call itself, not only in the audit chain
    fresh = Call.objects.get(pk=call.pk)
    assert fresh.ranking_choice["order"] == data["order"]
    assert fresh.ranking_chosen_by == seats["chair"].user


# --- the page ------------------------------------------------------------------------------------


def test_outsiders_get_404(client, call, reviewed, tree):
    url = reverse("initiatives:intelligence", args=[call.pk])
    stranger = UserFactory(username="stranger")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    officer = UserFactory(username="ward-officer")
    grant(officer, "officer", tree["quang_an"])  # sees nothing of a city call
    client.force_login(officer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "choose", "ranking": "raw"}).status_code == 404
    assert not AuditEvent.objects.filter(verb="initiatives.choose_ranking").exists()


def test_a_member_sees_both_rankings_with_explanations(client, call, reviewed, seats):
    client.force_login(seats["m4"].user)
    page = client.get(reverse("initiatives:intelligence", args=[call.pk]), {"places": 2})
    assert page.status_code == 200
    content = page.content.decode()
    for testid in ("raw-ranking", "calibrated-ranking", "reviewers", "agreement"):
        assert f'data-testid="{testid}"' in content
    assert "Krippendorff" in content and "lenient" in content
    assert 'data-testid="choose-ranking"' not in content  # only the chair chooses
    assert 'data-testid="assignment-run"' not in content  # only the secretariat assigns


def test_the_chair_chooses_and_the_choice_is_recorded(client, call, reviewed, seats):
    url = reverse("initiatives:intelligence", args=[call.pk])
    client.force_login(seats["m1"].user)
    assert client.post(url, {"action": "choose", "ranking": "raw"}).status_code == 403
    client.force_login(seats["chair"].user)
    page = client.get(url)
    assert 'data-testid="choose-ranking"' in page.content.decode()
    response = client.post(
        f"{url}?method=zscore&places=2", {"action": "choose", "ranking": "calibrated"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="initiatives.choose_ranking")
    assert event.actor == seats["chair"].user and event.target_id == str(call.pk)
    assert event.data["ranking"] == "calibrated" and event.data["method"] == "zscore"
    assert event.data["places"] == 2 and len(event.data["order"]) == len(reviewed)
    page = client.get(url)
    assert "chose the calibrated ranking" in page.content.decode()

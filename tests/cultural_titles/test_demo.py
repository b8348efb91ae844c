import io

from tests.factories import UserFactory, make_unit
from thidua.cultural_titles import selectors
from thidua.cultural_titles.models import AreaAssessment, TitleRound
from thidua.demo import cultural_titles as demo
from thidua.org.models import Household


def test_the_demo_ward_has_30_groups_9000_households_86_percent_one_late_one_contested(db):
    from thidua.honors.catalogue import ensure_catalogue

    ensure_catalogue()
    admin = UserFactory(username="admin")
    admin.is_superuser = True
    admin.save()
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    out = io.StringIO()
    demo.seed(stdout=out)
    round_ = TitleRound.objects.get()
    areas = list(round_.areas.all())
    assert len(areas) == 30
    households = Household.objects.count()
    assert 8_500 <= households <= 9_500
    totals = selectors.totals(selectors.dashboard(round_))
    assert 0.85 <= totals.share <= 0.87 and totals.late == 1
    decided = round_.decisions.get()
    assert decided.areas == 29 and decided.households < totals.eligible
    assert sum(a.status == AreaAssessment.Status.POSTED for a in areas) == 1  # the late group
    assert sum(a.households.filter(contested=True).count() for a in areas) == 1
    proposed = list(round_.area_titles.select_related("nomination"))
    assert len(proposed) == 24  # 80 %: the late group and the five lowest shares are not
    late = next(a for a in areas if a.status == AreaAssessment.Status.POSTED)
    assert late.area_id not in {p.area_id for p in proposed}
    assert {p.nomination.status for p in proposed} == {"at_council"}  # awaiting the vote
    demo.seed(stdout=out)
    assert Household.objects.count() == households

from tests.factories import UserFactory, grant
from thidua.demo import training as demo
from thidua.training.models import Attendance, Certificate, Course, Enrolment


def test_the_demo_seeds_its_three_classes_once(db, tree):
    grant(UserFactory(username="admin"), "administrator", tree["city"])
    demo.seed()
    demo.seed()
    city = Course.objects.get(title=demo.CITY_TITLE)
    assert city.enrolments.count() == 125
    assert city.sessions.count() == 8
    assert Certificate.objects.filter(enrolment__course=city).count() == 120
    assert city.enrolments.filter(status=Enrolment.Status.NOT_COMPLETED).count() == 5
    commune = Course.objects.get(title=demo.COMMUNE_TITLE)
    assert commune.starts_on.year == 2025 and commune.enrolments.count() == 1
    # the central class: 12 days, 150 learners, all completed, 30 proposed for commendation
    central = Course.objects.get(title=demo.CENTRAL_TITLE)
    assert central.level == Course.Level.CENTRAL and central.days == 12
    assert central.has_assessment
    assert central.enrolments.count() == 150
    assert central.enrolments.filter(status=Enrolment.Status.COMPLETED).count() == 150
    assert Certificate.objects.filter(enrolment__course=central).count() == 150
    assert central.enrolments.filter(commended=True).count() == 30
    assert Attendance.objects.filter(session__course=central, excused=True).count() == 1

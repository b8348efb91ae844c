from tests.factories import UserFactory, grant
from thidua.demo import training as demo
from thidua.training.models import Certificate, Course, Enrolment


def test_the_demo_seeds_a_city_course_and_a_commune_class_once(db, tree):
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

"""One live dossier per nominee, award and round: a second is refused with a message naming the
first (no id), also when two arrive at the same instant (PostgreSQL, threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests.factories.honors import nominate, to_council
from thidua.accounts.models import User
from thidua.core.models import AuditEvent
from thidua.honors import services
from thidua.honors.models import AwardType, Nomination, NominationDocument, Round
from thidua.org.models import Unit


def _counts():
    return (
        Nomination.objects.count(),
        NominationDocument.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_a_second_live_nomination_is_refused_naming_the_first(tree, people, city_round, awards):
    first = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    before = _counts()
    with pytest.raises(ValidationError) as error:
        # the same person, typed differently, proposed by the district above
        nominate(
            city_round,
            people["city_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_name="  nguyễn thị  HOA ",
            proposing_unit=tree["long_bien"],
        )
    message = error.value.messages[0]
    assert "Nguyễn Thị Hoa is already nominated for" in message
    assert awards["bang-khen"].name in message and "Phường Bồ Đề" in message
    assert first.nominated_on.strftime("%d/%m/%Y") in message and f"#{first.pk}" not in message
    assert _counts() == before


@pytest.mark.django_db
def test_other_awards_other_people_and_refused_dossiers_do_not_block(
    tree, people, city_round, awards
):
    first = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        nominee_name="Lê Văn Nam",
    )
    nominate(
        city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"], birth_year=1990
    )
    to_council(first, people)
    services.reject_nomination(people["city_leader"], nomination=first, reason="Thiếu hồ sơ")
    again = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    assert again.status == Nomination.Status.DRAFT
    assert Nomination.objects.filter(nominee_key=first.nominee_key).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_row(tree, people, city_round, awards):
    first = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    copy = Nomination.objects.get(pk=first.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_nominations_make_one_dossier(tree, people, city_round, awards):
    barrier = threading.Barrier(2)
    results = []

    def job():
        try:
            actor = User.objects.get(pk=people["bode_officer"].pk)
            round_ = Round.objects.select_related("owner_unit").get(pk=city_round.pk)
            award = AwardType.objects.get(pk=awards["bang-khen"].pk)
            unit = Unit.objects.get(pk=tree["bo_de"].pk)
            barrier.wait()
            results.append(nominate(round_, actor, unit, award))
        except ValidationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    made = [r for r in results if isinstance(r, Nomination)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert "already nominated" in refused[0].messages[0]
    assert Nomination.objects.count() == 1


@pytest.mark.django_db
def test_an_invisible_character_does_not_make_another_nominee(tree, people, city_round, awards):
    first = nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        nominee_name="Nguyễn Thị\u200b Hoa\u202e",
    )
    assert first.nominee_name == "Nguyễn Thị Hoa"
    with pytest.raises(ValidationError):
        nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_name="\u2066Nguyễn\u200d Thị Hoa\u2069",
        )

"""The demo's proposals upward from the 2024 round (demo.honors.upward), on the shared Hà Nội
demo: three nominees decided by the city People's Committee, one returned by the Government
and sent again, waiting past its follow-up date in the inbox of the leader who sent it."""

import pytest
from django.urls import reverse

from thidua.accounts.models import User
from thidua.core.work import WorkFilter
from thidua.honors import upward_work
from thidua.honors.models import Certificate, Honour, UpwardProposal

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedUpward:
    def test_three_honoured_by_the_committee_one_returned_then_resent(self):
        city = UpwardProposal.objects.get(number="05/TTr-MTTQ-BTT")
        assert city.body.code == "ubnd-tp-ha-noi" and city.status == "decided"
        assert city.decision.number == "452/QĐ-UBND" and city.decision.file
        honours = Honour.objects.filter(outside_decision=city.decision)
        assert honours.count() == 3
        assert not Certificate.objects.filter(honour__in=honours).exists()
        government = UpwardProposal.objects.get(number="06/TTr-MTTQ-BTT")
        assert government.body.code == "chinh-phu" and government.status == "sent"
        actions = list(government.events.values_list("action", flat=True))
        assert actions == ["created", "sent", "returned", "resent"]
        assert government.events.get(action="returned").reason
        assert government.overdue  # its follow-up date is long past

    def test_the_sender_sees_the_follow_up_and_the_pages_open(self, client):
        government = UpwardProposal.objects.get(number="06/TTr-MTTQ-BTT")
        sender = government.sent_by
        items = upward_work.follow_ups(sender).items(WorkFilter(), 10)
        assert [i.url for i in items] == [reverse("honors:upward_detail", args=[government.pk])]
        client.force_login(User.objects.get(pk=sender.pk))
        for url in (reverse("honors:upward_list"), items[0].url):
            assert client.get(url).status_code == 200

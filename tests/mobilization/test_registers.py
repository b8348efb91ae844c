"""Staff registers: donors, pledges, transfers between funds and bank accounts — list with
search and pages, create and edit through the services (audited), detail; refusals on the page
and on the API."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import UserFactory, grant
from thidua.core.models import AuditEvent
from thidua.mobilization import services
from thidua.mobilization.models import BankAccount, Donor, Pledge, Transfer

pytestmark = pytest.mark.django_db
API = "/api/v1/mobilization"


def test_donor_created_searched_edited_and_shown(client, people, tree):
    client.force_login(people["accountant"])
    response = client.post(
        reverse("mobilization:donor_new"),
        {
            "unit": tree["bo_de"].pk,
            "kind": "enterprise",
            "name": "Công ty Sông Hồng",
            "wants_public": "on",
        },
    )
    donor = Donor.objects.get()
    assert response.status_code == 302 and donor.public_name == "Công ty Sông Hồng"
    services.add_donor(people["accountant"], unit=tree["bo_de"], kind="individual", name="Lê Bình")
    listing = client.get(reverse("mobilization:donor_list"), {"q": "sông"}).content.decode()
    assert "Công ty Sông Hồng" in listing and "Lê Bình" not in listing
    client.post(
        reverse("mobilization:donor_edit", args=[donor.pk]),
        {"kind": "anonymous", "name": "Công ty Sông Hồng"},
    )
    donor.refresh_from_db()
    assert donor.is_anonymous and donor.public_name == ""
    assert AuditEvent.objects.filter(verb="mobilization.update_donor").exists()
    page = client.get(reverse("mobilization:donor", args=[donor.pk]))
    assert page.status_code == 200 and "Công ty Sông Hồng" in page.content.decode()


def test_donor_list_pages(client, people, tree):
    for n in range(55):
        Donor.objects.create(unit=tree["bo_de"], kind="individual", name=f"Người {n:02d}")
    client.force_login(people["accountant"])
    first = client.get(reverse("mobilization:donor_list")).content.decode()
    second = client.get(reverse("mobilization:donor_list"), {"page": 2}).content.decode()
    assert "Người 00" in first and "Người 54" not in first and "Người 54" in second


def test_donors_refused_to_those_who_may_not_see_names(client, people, tree):
    donor = services.add_donor(
        people["accountant"], unit=tree["bo_de"], kind="individual", name="Lê Bình"
    )
    sibling = UserFactory(username="pl-officer")
    grant(sibling, "officer", tree["phuc_loi"])
    client.force_login(people["editor"])  # sees funds, never donors' names
    assert client.get(reverse("mobilization:donor_list")).status_code == 403
    assert client.get(f"{API}/donors").status_code == 403
    client.force_login(sibling)
    assert client.get(reverse("mobilization:donor", args=[donor.pk])).status_code == 404
    assert client.get(f"{API}/donors/{donor.pk}").status_code == 404
    assert client.get(reverse("mobilization:donor_edit", args=[donor.pk])).status_code == 404
    client.force_login(people["accountant"])
    assert client.get(f"{API}/donors/{donor.pk}").json()["name"] == "Lê Bình"


def test_pledge_created_and_edited_through_the_page(client, drive, people, tree):
    donor = services.add_donor(
        people["accountant"], unit=tree["bo_de"], kind="enterprise", name="Công ty A"
    )
    client.force_login(people["accountant"])
    client.post(
        reverse("mobilization:pledge_new"),
        {"drive": drive.pk, "donor": donor.pk, "amount": "5.000.000", "instalments": 2},
    )
    pledge = Pledge.objects.get()
    assert pledge.amount == 5_000_000 and pledge.instalments == 2
    bad = client.post(
        reverse("mobilization:pledge_edit", args=[pledge.pk]),
        {"amount": "-1", "instalments": 1},
    )
    assert bad.status_code == 200
    pledge.refresh_from_db()
    assert pledge.amount == 5_000_000
    client.post(
        reverse("mobilization:pledge_edit", args=[pledge.pk]),
        {"amount": "6000000", "instalments": 3, "due_on": "2024-11-30"},
    )
    pledge.refresh_from_db()
    assert (pledge.amount, pledge.due_on) == (6_000_000, dt.date(2024, 11, 30))
    listing = client.get(reverse("mobilization:pledge_list"), {"q": "Công ty"}).content.decode()
    assert pledge.reference in listing
    assert client.get(reverse("mobilization:pledge", args=[pledge.pk])).status_code == 200
    assert client.get(f"{API}/pledges").json()["count"] == 1
    client.force_login(people["editor"])
    assert client.get(reverse("mobilization:pledge_list")).status_code == 403
    assert client.get(f"{API}/pledges").status_code == 403


def test_transfer_recorded_by_a_leader_only(client, ward_fund, city_fund, people):
    client.force_login(people["accountant"])  # an officer: no transfers
    assert client.get(reverse("mobilization:transfer_new")).status_code == 403
    client.force_login(people["ward_leader"])
    response = client.post(
        reverse("mobilization:transfer_new"),
        {
            "from_fund": ward_fund.pk,
            "to_fund": city_fund.pk,
            "amount": "10.000.000",
            "made_on": "2024-12-01",
            "decision": "QĐ 12/QĐ-MT",
        },
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.amount == 10_000_000
    assert "QĐ 12/QĐ-MT" in client.get(reverse("mobilization:transfer_list")).content.decode()
    assert client.get(reverse("mobilization:transfer", args=[transfer.pk])).status_code == 200
    assert client.get(f"{API}/transfers").json()["count"] == 1


def test_account_added_and_edited_by_a_leader(client, ward_fund, people):
    client.force_login(people["ward_leader"])
    client.post(
        reverse("mobilization:account_new"),
        {
            "fund": ward_fund.pk,
            "bank": "Vietinbank",
            "number": "1234567",
            "holder": "Ban vận động",
            "bank_bin": "970415",
        },
    )
    account = BankAccount.objects.get()
    assert not account.statements_public
    client.post(
        reverse("mobilization:account_edit", args=[account.pk]),
        {"holder": "UB MTTQ phường Bồ Đề", "bank_bin": "970415", "statements_public": "on"},
    )
    account.refresh_from_db()
    assert account.statements_public and account.holder == "UB MTTQ phường Bồ Đề"
    assert AuditEvent.objects.filter(verb="mobilization.update_account").exists()
    client.force_login(people["accountant"])
    assert client.get(reverse("mobilization:account_edit", args=[account.pk])).status_code == 403
    assert client.get(reverse("mobilization:account", args=[account.pk])).status_code == 200
    assert client.get(f"{API}/accounts").json()["count"] == 1


def test_the_registers_are_in_the_staff_menu(client, people):
    client.force_login(people["ward_leader"])
    html = client.get(reverse("mobilization:home")).content.decode()
    for name in ("donor_list", "pledge_list", "transfer_list", "account_list"):
        assert reverse(f"mobilization:{name}") in html

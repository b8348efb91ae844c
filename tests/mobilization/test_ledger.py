import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.factories import UserFactory, grant
from tests.mobilization.conftest import cash
from thidua.core.audit import verify_chain
from thidua.mobilization import selectors, services
from thidua.mobilization.models import Donor, Receipt
from thidua.mobilization.services.ledger import amend_receipt
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db


def test_record_confirm_reverse_returns_the_balance(drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    assert receipt.number == "2024-000001" and receipt.status == Receipt.Status.RECORDED
    assert selectors.fund_totals(drive.fund).balance == 0  # not confirmed yet
    services.confirm_receipt(people["accountant"], receipt=receipt)
    assert selectors.fund_totals(drive.fund).balance == 500_000
    reversal = services.reverse_receipt(people["accountant"], receipt=receipt, reason="Ghi nhầm")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.REVERSED
    assert reversal.amount == -500_000 and reversal.reverses == receipt
    assert selectors.fund_totals(drive.fund).balance == 0
    numbers = [r["number"] for r in selectors.public_ledger(drive.fund)]
    assert set(numbers) == {receipt.number, reversal.number}
    assert services.verify_receipt_chain(drive.fund) == (2, None)
    assert verify_chain()[1] is None


def test_a_confirmed_receipt_cannot_be_updated_or_deleted_by_the_service(drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    services.confirm_receipt(people["accountant"], receipt=receipt)
    receipt.refresh_from_db()
    with pytest.raises(ValidationError):
        amend_receipt(people["accountant"], receipt=receipt, amount=1)
    receipt.amount = 1
    with pytest.raises(ValidationError):
        receipt.save()
    with pytest.raises(ValidationError):
        receipt.delete()
    assert Receipt.objects.get(pk=receipt.pk).amount == 500_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_update_or_delete_a_confirmed_receipt(drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    services.confirm_receipt(people["accountant"], receipt=receipt)
    for statement in (Receipt.objects.filter(pk=receipt.pk).update,):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement(amount=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Receipt.objects.filter(pk=receipt.pk)._raw_delete(Receipt.objects.db)
    assert Receipt.objects.get(pk=receipt.pk).amount == 500_000


def test_the_recorder_cannot_confirm(drive, tree, people):
    receipt = cash(people["accountant"], drive, tree["group"])
    with pytest.raises(PermissionDenied):
        services.confirm_receipt(people["accountant"], receipt=receipt)
    assert Receipt.objects.get(pk=receipt.pk).status == Receipt.Status.RECORDED


def test_a_unit_with_one_officer_self_confirms_and_is_marked(tree, db):
    officer = UserFactory(username="alone")
    grant(officer, "leader", tree["quang_an"])
    fund = services.create_fund(officer, unit=tree["quang_an"], kind="relief", name="Quỹ Cứu trợ")
    receipt = services.record_receipt(
        officer,
        fund=fund,
        drive=None,
        unit=tree["quang_an"],
        kind="cash",
        amount=100_000,
        received_on=dt.date(2024, 9, 12),
    )
    confirmed = services.confirm_receipt(officer, receipt=receipt)
    assert confirmed.self_confirmed is True


def test_forbidden_user_cannot_record_or_confirm(drive, tree, people):
    with pytest.raises(PermissionDenied):
        cash(people["editor"], drive, tree["group"])
    receipt = cash(people["group_officer"], drive, tree["group"])
    with pytest.raises(PermissionDenied):
        services.confirm_receipt(people["editor"], receipt=receipt)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "cash", "amount": -5000}, "amount"),
        ({"kind": "cash", "amount": "500.000,5"}, "amount"),
        ({"kind": "cash", "amount": 1500.5}, "amount"),
        ({"kind": "cash", "amount": "năm trăm"}, "amount"),
        ({"kind": "in_kind", "amount": 12_500_000, "quantity": 50, "valued_by": "Cán bộ"}, "item"),
        ({"kind": "labour", "labour_days": 0}, "labour_days"),
        ({"kind": "cash", "amount": 1000, "received_on": dt.date(2024, 12, 30)}, "received_on"),
    ],
)
def test_bad_receipts_are_refused_and_nothing_is_written(drive, tree, people, fields, field):
    fields = {"received_on": dt.date(2024, 10, 20), **fields}
    with pytest.raises(ValidationError) as error:
        services.record_receipt(
            people["group_officer"], fund=drive.fund, drive=drive, unit=tree["group"], **fields
        )
    assert field in error.value.message_dict
    assert not Receipt.objects.exists()


def test_money_accepts_the_office_forms():
    assert services.parse_money("1.500.000 đ") == 1_500_000
    assert services.parse_money(2_000_000.0) == 2_000_000
    assert services.parse_money("20000") == 20_000


def test_in_kind_and_labour_are_totalled_apart(drive, tree, people):
    rice = services.record_receipt(
        people["group_officer"],
        fund=drive.fund,
        drive=drive,
        unit=tree["group"],
        kind="in_kind",
        amount=12_500_000,
        item="Gạo",
        quantity="50",
        measure="bao",
        valued_by="Cán bộ phường",
        received_on=dt.date(2024, 10, 21),
    )
    labour = services.record_receipt(
        people["group_officer"],
        fund=drive.fund,
        drive=drive,
        unit=tree["group"],
        kind="labour",
        labour_days="120",
        received_on=dt.date(2024, 10, 21),
    )
    for receipt in (rice, labour):
        services.confirm_receipt(people["accountant"], receipt=receipt)
    totals = selectors.fund_totals(drive.fund)
    assert (totals.money, totals.in_kind, totals.labour_days) == (0, 12_500_000, 120)


def test_a_transfer_to_the_city_is_counted_once(tree, people, city_fund):
    leader = people["ward_leader"]
    commune = services.create_fund(leader, unit=tree["bo_de"], kind="for_the_poor", name="Quỹ xã")
    receipt = services.record_receipt(
        people["group_officer"],
        fund=commune,
        drive=None,
        unit=tree["group"],
        kind="cash",
        amount=20_000_000,
        received_on=dt.date(2024, 10, 20),
    )
    services.confirm_receipt(people["accountant"], receipt=receipt)
    services.record_transfer(
        leader, from_fund=commune, to_fund=city_fund, amount=5_000_000, made_on=dt.date(2024, 11, 1)
    )
    assert selectors.mobilised(root=tree["city"]).total == 20_000_000
    assert selectors.fund_totals(commune).balance == 15_000_000
    assert selectors.fund_totals(city_fund).balance == 5_000_000


def test_a_2024_receipt_in_a_ward_split_in_2025_follows_the_tree_asked(tree, people, admin_user):
    from thidua.org.services import apply_restructuring

    old = tree["phuc_loi"]
    leader = people["city_leader"]
    fund = services.create_fund(leader, unit=tree["city"], kind="for_the_poor", name="Quỹ TP")
    receipt = services.record_receipt(
        leader,
        fund=fund,
        drive=None,
        unit=old,
        kind="cash",
        amount=3_000_000,
        received_on=dt.date(2024, 10, 20),
    )
    other = UserFactory(username="city-accountant")
    grant(other, "officer", tree["city"])
    services.confirm_receipt(other, receipt=receipt)
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2025, 7, 1),
        title="Chia tách phường Phúc Lợi",
        operations=[
            {
                "op": "split",
                "unit": old.code,
                "into": [
                    {"code": "PL-A", "name": "Phường Phúc Lợi", "share": "0.6", "is_default": True},
                    {"code": "PL-B", "name": "Phường Việt Hưng", "share": "0.4"},
                ],
            }
        ],
    )
    new_a = Unit.objects.get(code="PL-A")
    then = selectors.mobilised(root=tree["long_bien"], tree="then")
    assert then.by_child.get(old.pk) == 3_000_000
    today = selectors.mobilised(root=tree["long_bien"], tree=dt.date(2025, 12, 1))
    assert today.by_child == {new_a.pk: 3_000_000}
    assert today.total == 3_000_000


def test_drive_window_ending_before_it_starts_is_refused(ward_fund, people):
    with pytest.raises(ValidationError) as error:
        services.create_drive(
            people["ward_leader"],
            fund=ward_fund,
            title="Sai",
            opens_on=dt.date(2024, 11, 1),
            closes_on=dt.date(2024, 10, 1),
        )
    assert "closes_on" in error.value.message_dict
    assert not ward_fund.drives.exists()


def test_decree93_window_beyond_90_days_needs_the_donors_commitment(ward_fund, people):
    kwargs = dict(
        fund=ward_fund,
        title="Cứu trợ bão Yagi",
        opens_on=dt.date(2024, 9, 10),
        closes_on=dt.date(2025, 1, 7),
        decree93=True,
    )
    with pytest.raises(ValidationError) as error:
        services.create_drive(people["ward_leader"], **kwargs)
    assert "donor_commitment" in error.value.message_dict
    drive = services.create_drive(
        people["ward_leader"],
        donor_commitment="Nhà tài trợ cam kết",
        distribute_by=dt.date(2025, 3, 1),
        **kwargs,
    )
    warnings = services.drive_warnings(drive)
    assert len(warnings) == 2


def test_anonymous_donor_shows_as_anonymous(drive, tree, people):
    donor = services.add_donor(
        people["group_officer"], unit=tree["group"], kind=Donor.Kind.ANONYMOUS, name="Hoàng Bí Mật"
    )
    assert donor.public_name == ""
    receipt = cash(people["group_officer"], drive, tree["group"], donor=donor)
    services.confirm_receipt(people["accountant"], receipt=receipt)
    row = selectors.public_row(next(iter(selectors.public_ledger(drive.fund))))
    assert row["donor"] != "Hoàng Bí Mật"
    assert not list(selectors.public_ledger(drive.fund, selectors.LedgerFilter(name="Bí Mật")))

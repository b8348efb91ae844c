import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.mobilization.conftest import cash
from thidua.mobilization import services
from thidua.mobilization.models import Receipt, StatementLine, SupportCase
from thidua.mobilization.services.bank import crc16_ccitt

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ward_fund, tree, people):
    return services.survey_case(
        people["group_officer"],
        fund=ward_fund,
        unit=tree["group"],
        kind="house_new",
        household_class="poor",
        head_name="Nguyễn Văn Nghèo",
        id_number="001085012345",
        requested_amount=60_000_000,
    )


def test_id_number_is_encrypted(case, people):
    assert "001085012345" not in case.id_number_encrypted
    assert services.id_number_of(people["accountant"], case) == "001085012345"
    with pytest.raises(PermissionDenied):
        services.id_number_of(people["editor"], case)


def test_approving_without_an_amount_fails(case, people):
    with pytest.raises(ValidationError) as error:
        services.approve_case(
            people["ward_leader"], case=case, amount="", decision_number="12/QĐ-BVĐ"
        )
    assert "amount" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == SupportCase.Status.SURVEYED and case.approved_amount is None


def test_settling_needs_the_full_amount_or_a_recorded_difference(case, people):
    leader, officer = people["ward_leader"], people["accountant"]
    services.approve_case(leader, case=case, amount="60.000.000", decision_number="12/QĐ-BVĐ")
    with pytest.raises(PermissionDenied):  # the approver does not pay
        services.disburse(leader, case=case, amount=10_000_000)
    services.change_case_status(officer, case=case, to="in_progress")
    services.disburse(officer, case=case, amount=50_000_000, witness="Tổ trưởng Lê Văn Chứng")
    with pytest.raises(ValidationError):
        services.disburse(officer, case=case, amount=20_000_000)  # over the approved amount
    services.change_case_status(officer, case=case, to="handed_over")
    with pytest.raises(ValidationError):
        services.settle_case(leader, case=case)
    case.refresh_from_db()
    assert case.status == "handed_over"
    services.settle_case(leader, case=case, difference_note="Hộ tự góp 10 triệu đồng")
    assert case.status == "settled"


def test_pausing_needs_a_reason_and_resumes_where_it_was(case, people):
    with pytest.raises(ValidationError):
        services.change_case_status(people["accountant"], case=case, to="paused")
    services.change_case_status(people["accountant"], case=case, to="paused", reason="Chờ đất")
    services.change_case_status(people["accountant"], case=case, to="surveyed")
    assert case.status == "surveyed"


def statement(drive, rows):
    lines = ["date,amount,description,reference"]
    lines += [f"{d},{a},{desc},{ref}" for d, a, desc, ref in rows]
    return "\n".join(lines).encode()


def test_reimporting_a_statement_creates_nothing(drive, people, tree):
    account = services.add_account(
        people["ward_leader"],
        fund=drive.fund,
        bank="Agribank",
        number="150000111",
        holder="UB MTTQ phường Bồ Đề",
        statements_public=True,
        bank_bin="970405",
    )
    data = statement(
        drive,
        [
            ("20/10/2024", 1000000, f"Ung ho {drive.reference} ho gia dinh", "FT001"),
            ("21/10/2024", 250000, "chuyen tien", "FT002"),
        ],
    )
    first = services.import_statement(
        people["accountant"], account=account, data=data, file_name="sao-ke.csv"
    )
    assert (first.created, first.matched) == (2, 1)
    assert Receipt.objects.filter(kind="transfer", status="recorded").count() == 1
    assert StatementLine.objects.filter(status="unmatched").count() == 1
    again = services.import_statement(
        people["accountant"], account=account, data=data, file_name="sao-ke.csv"
    )
    assert (again.created, again.matched, again.skipped) == (0, 0, 2)
    assert Receipt.objects.count() == 1 and StatementLine.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"ngay,tien\n20/10/2024,1000\n",
        b"date,amount,description,reference\n20/10/2024,1000.5,x,FT1\n",
        b"date,amount,description,reference\n32/10/2024,1000,x,FT1\n",
    ],
)
def test_a_statement_in_the_wrong_shape_writes_nothing(drive, people, content):
    account = services.add_account(
        people["ward_leader"],
        fund=drive.fund,
        bank="BIDV",
        number="1234",
        holder="UB",
        statements_public=True,
    )
    try:
        result = services.import_statement(
            people["accountant"], account=account, data=content, file_name="x.csv"
        )
        assert result.errors
    except ValidationError:
        pass
    assert not StatementLine.objects.exists() and not account.statements.exists()


def test_vietqr_payload_is_emvco_with_a_valid_crc(city_fund):
    account = city_fund.accounts.get(statements_public=True)
    payload = services.vietqr_payload(account, reference="VD12AB34", amount=200000)
    assert payload.startswith("000201010212") and "A000000727" in payload
    assert "0208QRIBFTTA" in payload and "5303704" in payload and "5802VN" in payload
    assert payload[-4:] == crc16_ccitt(payload[:-4])
    assert crc16_ccitt("123456789") == "29B1"  # CRC-16/CCITT-FALSE check value


def test_warehouse_never_goes_negative(drive, tree, people):
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
        valued_by="Cán bộ",
        received_on=dt.date(2024, 10, 21),
    )
    services.confirm_receipt(people["accountant"], receipt=rice)
    rice.refresh_from_db()
    move = services.stock_in(people["accountant"], unit=tree["bo_de"], receipt=rice)
    with pytest.raises(ValidationError):
        services.stock_out(people["accountant"], item=move.item, quantity="60", recipient="Hộ A")
    services.stock_out(people["accountant"], item=move.item, quantity="20", recipient="Hộ A")
    move.item.refresh_from_db()
    assert move.item.on_hand == 30


def test_work_items_list_receipts_to_confirm_for_the_accountant(drive, tree, people):
    from thidua.core import work

    cash(people["group_officer"], drive, tree["group"])
    kinds = {s.kind: s.count(work.WorkFilter()).total for s in work.sources(people["accountant"])}
    assert kinds["mobilization.receipt_confirm"] == 1
    own = {s.kind: s.count(work.WorkFilter()).total for s in work.sources(people["group_officer"])}
    assert own.get("mobilization.receipt_confirm", 0) == 0


def test_the_handover_minute_names_the_decision_amount_in_words_and_witness(client, case, people):
    import io

    from pypdf import PdfReader

    services.approve_case(
        people["ward_leader"], case=case, amount=60_000_000, decision_number="12/QĐ-BVĐ"
    )
    services.change_case_status(people["accountant"], case=case, to="in_progress")
    services.disburse(people["accountant"], case=case, amount=60_000_000, witness="Lê Văn Chứng")
    client.force_login(people["accountant"])
    response = client.get(f"/mobilization/cases/{case.pk}/minutes/handover.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "12/QĐ-BVĐ" in text and "Lê Văn Chứng" in text
    assert "sáu mươi triệu" in text.lower()
    client.force_login(people["editor"])
    assert client.get(f"/mobilization/cases/{case.pk}/minutes/handover.pdf").status_code in (
        403,
        404,
    )

"""Writes of the mobilization app, one module per topic; everything is re-exported here."""

from thidua.mobilization.services.bank import (
    import_statement,
    match_line,
    receipt_from_line,
    vietqr_payload,
)
from thidua.mobilization.services.bulk import receipt_template, record_bulk
from thidua.mobilization.services.cases import (
    add_case_photo,
    approve_case,
    change_case_status,
    disburse,
    id_number_of,
    post_names,
    set_photo_public,
    settle_case,
    survey_case,
)
from thidua.mobilization.services.disclosures import publish_disclosure, verify_disclosure
from thidua.mobilization.services.funds import (
    add_account,
    add_donor,
    create_drive,
    create_fund,
    drive_warnings,
    record_pledge,
    record_transfer,
    update_account,
    update_donor,
    update_pledge,
)
from thidua.mobilization.services.ledger import (
    confirm_receipt,
    record_receipt,
    reverse_receipt,
    verify_receipt_chain,
)
from thidua.mobilization.services.money import parse_money
from thidua.mobilization.services.stock import stock_in, stock_out

__all__ = [
    "add_case_photo",
    "match_line",
    "post_names",
    "receipt_from_line",
    "set_photo_public",
    "update_account",
    "update_donor",
    "update_pledge",
    "add_account",
    "add_donor",
    "approve_case",
    "change_case_status",
    "confirm_receipt",
    "create_drive",
    "create_fund",
    "disburse",
    "drive_warnings",
    "id_number_of",
    "import_statement",
    "parse_money",
    "publish_disclosure",
    "receipt_template",
    "record_bulk",
    "record_pledge",
    "record_receipt",
    "record_transfer",
    "reverse_receipt",
    "settle_case",
    "stock_in",
    "stock_out",
    "survey_case",
    "verify_disclosure",
    "verify_receipt_chain",
    "vietqr_payload",
]

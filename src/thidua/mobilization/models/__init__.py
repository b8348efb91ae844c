from thidua.mobilization.models.bank import BankStatement, StatementLine
from thidua.mobilization.models.cases import CasePhoto, Disbursement, SupportCase
from thidua.mobilization.models.disclosures import Disclosure
from thidua.mobilization.models.funds import (
    BankAccount,
    Donor,
    Drive,
    Fund,
    Pledge,
    SuggestedLevel,
    Transfer,
    WindowRule,
)
from thidua.mobilization.models.ledger import Receipt, ReceiptBatch
from thidua.mobilization.models.stock import StockItem, StockMove

__all__ = [
    "BankAccount",
    "BankStatement",
    "CasePhoto",
    "Disbursement",
    "Disclosure",
    "Donor",
    "Drive",
    "Fund",
    "Pledge",
    "Receipt",
    "ReceiptBatch",
    "StatementLine",
    "StockItem",
    "StockMove",
    "SuggestedLevel",
    "SupportCase",
    "Transfer",
    "WindowRule",
]

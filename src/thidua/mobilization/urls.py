from django.urls import path

from thidua.core.public_cache import public_page
from thidua.mobilization import views, views_cases, views_public, views_registers

app_name = "mobilization"

urlpatterns = [
    path("", views.home, name="home"),
    path("funds/<int:pk>/", views.fund, name="fund"),
    path("funds/<int:pk>/confirm/", views.confirm_list, name="confirm_list"),
    path("funds/<int:pk>/receipts/", views.receipts, name="receipts"),
    path("funds/<int:pk>/drives/new/", views.drive_new, name="drive_new"),
    path("funds/<int:pk>/disclose/", views.disclosure_new, name="disclosure_new"),
    path("funds/<int:pk>/cases/", views_cases.case_board, name="case_board"),
    path("funds/<int:pk>/cases/new/", views_cases.case_new, name="case_new"),
    path("drives/<int:pk>/", views.drive, name="drive"),
    path("drives/<int:pk>/entry/", views.bulk_entry, name="bulk_entry"),
    path("drives/<int:pk>/template.xlsx", views.bulk_template, name="bulk_template"),
    path("drives/<int:pk>/export/<slug:book>.xlsx", views_cases.export, name="export"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("receipts/<int:pk>/stock-in/", views.stock_in, name="stock_in"),
    path("accounts/<int:pk>/statements/", views.statement_import, name="statement_import"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case"),
    path("cases/<int:pk>/minutes/<slug:kind>.pdf", views_cases.minute, name="minute"),
    path("warehouse/", views_cases.warehouse, name="warehouse"),
    path("drives/<int:pk>/decree93.<slug:fmt>", views.decree93_report, name="decree93_report"),
    path("cases/<int:pk>/photos/", views_cases.photo_add, name="photo_add"),
    path("photos/<int:pk>/public/", views_cases.photo_public, name="photo_public"),
    path("donors/", views_registers.donor_list, name="donor_list"),
    path("donors/new/", views_registers.donor_new, name="donor_new"),
    path("donors/<int:pk>/", views_registers.donor, name="donor"),
    path("donors/<int:pk>/edit/", views_registers.donor_edit, name="donor_edit"),
    path("donors/<int:pk>/commend/", views.donor_commend, name="donor_commend"),
    path("pledges/", views_registers.pledge_list, name="pledge_list"),
    path("pledges/new/", views_registers.pledge_new, name="pledge_new"),
    path("pledges/<int:pk>/", views_registers.pledge, name="pledge"),
    path("pledges/<int:pk>/edit/", views_registers.pledge_edit, name="pledge_edit"),
    path("transfers/", views_registers.transfer_list, name="transfer_list"),
    path("transfers/new/", views_registers.transfer_new, name="transfer_new"),
    path("transfers/<int:pk>/", views_registers.transfer, name="transfer"),
    path("accounts/", views_registers.account_list, name="account_list"),
    path("accounts/new/", views_registers.account_new, name="account_new"),
    path("accounts/<int:pk>/", views_registers.account, name="account"),
    path("accounts/<int:pk>/edit/", views_registers.account_edit, name="account_edit"),
    path("lines/<int:pk>/", views_registers.line_match, name="line_match"),
]

cached = public_page("mobilization")  # until a fund, receipt, case or disclosure changes

public_urlpatterns = [
    path("funds/", cached(views_public.fund_list), name="fund_list"),
    # a fund's page lists the newsroom's stories about its drives
    path(
        "funds/<int:pk>/",
        public_page("mobilization", "publishing")(views_public.fund_page),
        name="fund",
    ),
    path("funds/<int:pk>/ledger/", cached(views_public.ledger), name="ledger"),
    path("funds/<int:pk>/ledger.csv", views_public.ledger_csv, name="ledger_csv"),
    path("funds/<int:pk>/ledger.json", views_public.ledger_json, name="ledger_json"),
    path("funds/<int:pk>/support/", cached(views_public.support), name="support"),
    path(
        "funds/<int:pk>/receipts/<str:number>/",
        cached(views_public.receipt_check),
        name="receipt_check",
    ),
    path("photos/<int:pk>/", views_public.photo, name="photo"),
    path("disclosures/", cached(views_public.disclosure_list), name="disclosure_list"),
    path("disclosures/<int:pk>/", cached(views_public.disclosure), name="disclosure"),
    path("disclosures/check/", cached(views_public.disclosure_check), name="disclosure_check"),
    path(
        "disclosures/<int:pk>/snapshot.<slug:kind>",
        views_public.disclosure_file,
        name="disclosure_file",
    ),
]

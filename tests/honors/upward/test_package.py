"""The package of a proposal upward: one ZIP in a fixed layout whose manifest lists every file
with a checksum that matches, rebuilt only when its content changes."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories.honors import pdf
from tests.honors.upward.helpers import complete
from thidua.core.models import AuditEvent
from thidua.honors.services import upward

pytestmark = pytest.mark.django_db


def _download(client, user, proposal) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get(reverse("honors:upward_package", args=[proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_manifest_lists_every_file_with_a_matching_checksum(client, proposal, people):
    complete(proposal, people["city_officer"])
    archive = _download(client, people["city_officer"], proposal)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json", "SHA256SUMS"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert sorted(sums) == sorted(f"{e['sha256']}  {p}" for p, e in listed.items())

    # the predictable layout: the letter, the annex twice, the dossier's own documents, then
    # one folder per nominee with the documents of their nomination
    assert {"00_to-trinh.pdf", "01_phu-luc-danh-sach.xlsx", "01_phu-luc-danh-sach.pdf"} <= names
    assert "02_ho-so-chung/01_vote-minutes.pdf" in names
    hoa = sorted(n for n in names if n.startswith("03_nguoi-duoc-de-nghi/01_nguyen-thi-hoa/"))
    assert [n.rsplit("/", 1)[1] for n in hoa] == [
        "01_achievement-report.pdf",
        "02_initiative-proof.pdf",
        "03_proposal-letter.pdf",
        "04_vote-minutes.pdf",
    ]
    assert any(n.startswith("03_nguoi-duoc-de-nghi/02_tran-van-minh/") for n in names)

    letter = PdfReader(io.BytesIO(archive.read("00_to-trinh.pdf"))).pages[0].extract_text()
    assert "TỜ TRÌNH" in letter and "12/TTr-MTTQ-BTT" in letter
    assert "Chủ tịch Ủy ban nhân dân thành phố Hà Nội" in letter
    sheet = load_workbook(io.BytesIO(archive.read("01_phu-luc-danh-sach.xlsx"))).active
    names_in_annex = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names_in_annex == ["Nguyễn Thị Hoa", "Trần Văn Minh"]
    assert sheet.cell(row=2, column=7).value == "5/5"  # the council's vote, of all members


def test_the_package_is_rebuilt_only_when_its_content_changes(client, proposal, people):
    user = people["city_officer"]
    _download(client, user, proposal)
    proposal.refresh_from_db()
    first = proposal.package.name
    _download(client, user, proposal)
    proposal.refresh_from_db()
    assert proposal.package.name == first
    assert AuditEvent.objects.filter(verb="honors.prepare_upward_package").count() == 1

    upward.add_upward_document(user, proposal=proposal, kind="other", file=pdf("them.pdf"))
    archive = _download(client, user, proposal)
    proposal.refresh_from_db()
    assert proposal.package.name != first
    assert "02_ho-so-chung/01_other.pdf" in archive.namelist()
    assert AuditEvent.objects.filter(verb="honors.prepare_upward_package").count() == 2

"""The package of a proposal upward: one ZIP with the proposal letter (PDF), the annex table
(XLSX and PDF, in the form the body's rule names), the dossier's own documents and every
nominee's documents, in a fixed folder layout, with a manifest of SHA-256 checksums:

    00_to-trinh.pdf
    01_phu-luc-danh-sach.xlsx
    01_phu-luc-danh-sach.pdf
    02_ho-so-chung/<NN>_<kind>.<ext>
    03_nguoi-duoc-de-nghi/<NN>_<name>/<MM>_<kind>.<ext>
    manifest.json            every file above: path, size, sha256
    SHA256SUMS               the same, in the format of `sha256sum -c`

The package is stored and regenerated only when its content changes: `fingerprint` hashes
everything that goes into it (the letter's fields, the nominees, every document's identity).
Builds only; the service `prepare_upward_package` stores it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from thidua.core.audit import canonical_json
from thidua.core.excel import add_table, new_workbook
from thidua.core.pdf import render_pdf
from thidua.core.text import normalise_search
from thidua.honors.models import (
    NominationDocument,
    UpwardDocument,
    UpwardEntry,
    UpwardProposal,
    Vote,
)

PACKAGE_VERSION = 1  # raise when the layout or the templates change: every package is rebuilt
LETTER = "00_to-trinh.pdf"
ANNEX_XLSX = "01_phu-luc-danh-sach.xlsx"
ANNEX_PDF = "01_phu-luc-danh-sach.pdf"
COMMON = "02_ho-so-chung"
NOMINEES = "03_nguoi-duoc-de-nghi"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
# A fixed time inside the archive: the same files give the same ZIP entries
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def slug(text: str) -> str:
    """A file-name part every system reads: ASCII letters, digits and dashes."""
    ascii_text = normalise_search(text)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "x"


@dataclass
class Row:
    entry: UpwardEntry
    vote: Vote | None
    documents: list[Any]  # NominationDocument and UpwardDocument rows, in order


def _rows(proposal: UpwardProposal) -> tuple[list[Row], list[UpwardDocument]]:
    """The nominees with their votes and documents; the dossier's own documents. Four
    queries."""
    entries = list(
        proposal.entries.select_related(
            "nomination", "nomination__unit__parent", "nomination__vote"
        ).order_by("order", "id")
    )
    nomination_documents: dict[int, list[Any]] = {}
    for document in NominationDocument.objects.filter(
        nomination_id__in=[e.nomination_id for e in entries]
    ).order_by("kind", "id"):
        nomination_documents.setdefault(document.nomination_id, []).append(document)
    common: list[UpwardDocument] = []
    per_entry: dict[int, list[Any]] = {}
    for document in proposal.documents.order_by("kind", "id"):
        if document.entry_id is None:
            common.append(document)
        else:
            per_entry.setdefault(document.entry_id, []).append(document)
    rows = [
        Row(
            entry=entry,
            vote=getattr(entry.nomination, "vote", None),
            documents=nomination_documents.get(entry.nomination_id, [])
            + per_entry.get(entry.pk, []),
        )
        for entry in entries
    ]
    return rows, common


def _document_identity(document: Any) -> dict[str, Any]:
    return {
        "model": type(document).__name__,
        "id": document.pk,
        "kind": document.kind,
        "file": document.file.name,
        "size": document.size,
        "sha256": getattr(document, "sha256", ""),
    }


def fingerprint(proposal: UpwardProposal) -> str:
    """A hash of everything the package holds: changes when a field of the letter, a nominee,
    a vote or a document changes, and only then."""
    rows, common = _rows(proposal)
    content = {
        "version": PACKAGE_VERSION,
        "proposal": {
            "number": proposal.number,
            "dated": proposal.dated.isoformat(),
            "signer": proposal.signer,
            "summary": proposal.summary,
            "unit": proposal.unit.name,
            "body": [proposal.body.name_vi, proposal.body.addressee],
            "award": proposal.award_type.name_vi,
            "rule": [proposal.rule_id, proposal.rule.annex_form, proposal.rule.legal_basis],
        },
        "nominees": [
            {
                "nomination": row.entry.nomination_id,
                "name": row.entry.nomination.nominee_name,
                "birth_year": row.entry.nomination.birth_year,
                "gender": row.entry.nomination.gender,
                "unit": row.entry.nomination.unit.name,
                "achievements": row.entry.nomination.achievements,
                "vote": [row.vote.yes, row.vote.members] if row.vote else None,
                "documents": [_document_identity(d) for d in row.documents],
            }
            for row in rows
        ],
        "common": [_document_identity(d) for d in common],
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _extension(document: Any) -> str:
    return os.path.splitext(document.file.name)[1].lower() or ".bin"


def _read(document: Any) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _annex_header() -> list[str]:
    return [
        "STT",
        "Họ và tên / Tên tập thể",
        "Năm sinh",
        "Giới tính",
        "Đơn vị",
        "Tóm tắt thành tích",
        "Kết quả biểu quyết của Hội đồng",
    ]


def _annex_rows(rows: list[Row]) -> list[list[Any]]:
    table = []
    for index, row in enumerate(rows, start=1):
        nomination = row.entry.nomination
        vote = ""
        if row.vote is not None and row.vote.members:
            vote = f"{row.vote.yes}/{row.vote.members}"
        table.append(
            [
                index,
                nomination.nominee_name,
                nomination.birth_year or "",
                nomination.get_gender_display() if nomination.gender else "",
                nomination.unit.display_name,
                nomination.achievements,
                vote,
            ]
        )
    return table


def annex_xlsx(proposal: UpwardProposal, rows: list[Row]) -> bytes:
    workbook = new_workbook()
    sheet = add_table(workbook, "Phu luc", _annex_header(), _annex_rows(rows))
    sheet.oddHeader.center.text = proposal.rule.annex_form[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _context(proposal: UpwardProposal, rows: list[Row]) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "rows": rows,
        "header": _annex_header(),
        "table": _annex_rows(rows),
    }


def letter_pdf(proposal: UpwardProposal, rows: list[Row]) -> bytes:
    with translation.override("vi"):
        html = render_to_string("honors/upward_letter_pdf.html", _context(proposal, rows))
    return render_pdf(html)


def annex_pdf(proposal: UpwardProposal, rows: list[Row]) -> bytes:
    with translation.override("vi"):
        html = render_to_string("honors/upward_annex_pdf.html", _context(proposal, rows))
    return render_pdf(html)


def files(proposal: UpwardProposal) -> list[tuple[str, bytes]]:
    """Every file of the package but the manifest, by path, in the package's order."""
    rows, common = _rows(proposal)
    out: list[tuple[str, bytes]] = [
        (LETTER, letter_pdf(proposal, rows)),
        (ANNEX_XLSX, annex_xlsx(proposal, rows)),
        (ANNEX_PDF, annex_pdf(proposal, rows)),
    ]
    for index, document in enumerate(common, start=1):
        out.append(
            (f"{COMMON}/{index:02d}_{slug(document.kind)}{_extension(document)}", _read(document))
        )
    for number, row in enumerate(rows, start=1):
        folder = f"{NOMINEES}/{number:02d}_{slug(row.entry.nomination.nominee_name)}"
        for index, document in enumerate(row.documents, start=1):
            out.append(
                (
                    f"{folder}/{index:02d}_{slug(document.kind)}{_extension(document)}",
                    _read(document),
                )
            )
    return out


def manifest(proposal: UpwardProposal, contents: list[tuple[str, bytes]], stamp: str) -> dict:
    return {
        "proposal": proposal.number,
        "date": proposal.dated.isoformat(),
        "from": proposal.unit.name,
        "to": proposal.body.name_vi,
        "award": proposal.award_type.name_vi,
        "fingerprint": stamp,
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in contents
        ],
    }


def build(proposal: UpwardProposal, stamp: str) -> bytes:
    """The ZIP of the package (see the module's docstring)."""
    contents = files(proposal)
    listing = manifest(proposal, contents, stamp)
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in listing["files"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents:
            archive.writestr(zipfile.ZipInfo(path, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        archive.writestr(
            zipfile.ZipInfo(MANIFEST, ZIP_TIME),
            json.dumps(listing, ensure_ascii=False, indent=2),
            zipfile.ZIP_DEFLATED,
        )
        archive.writestr(zipfile.ZipInfo(SUMS, ZIP_TIME), sums, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def download_name(proposal: UpwardProposal) -> str:
    return f"ho-so-{slug(proposal.number)}.zip"

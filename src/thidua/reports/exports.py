"""The report as the form looks on paper: an XLSX with the form's header block, merged column
headers, the A/B/1.. code row, row codes and the preparer's and signer's blocks; the same as a
PDF. Always in Vietnamese, the language of the statutory forms."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.core.excel import write_cell
from thidua.core.formatting import format_date
from thidua.core.pdf import render_pdf
from thidua.reports.selectors import Sheet, localised, sheet

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FIRST_DATA_ROW = 11


def _header_groups(columns: list[dict]) -> list[tuple[dict | None, list[dict]]]:
    """Consecutive columns sharing a group label, in order (a column without one stands
    alone)."""
    groups: list[tuple[dict | None, list[dict]]] = []
    for column in columns:
        group = column.get("group")
        if group and groups and groups[-1][0] == group:
            groups[-1][1].append(column)
        else:
            groups.append((group, [column]))
    return groups


def form_sheet(report) -> Sheet:
    return sheet(report, language="vi")


def build_workbook(report) -> Workbook:
    data = form_sheet(report)
    form = report.form
    regime = form.regime
    columns = form.columns
    last = 2 + len(columns)
    last_letter = get_column_letter(last)
    workbook = Workbook()
    ws = workbook.active
    ws.title = (form.official_code or form.code)[:31].replace("/", "-")
    bold = Font(bold=True)

    def text(row: int, col: int, value, font=None, align=None):
        cell = ws.cell(row=row, column=col)
        write_cell(cell, value)
        if font:
            cell.font = font
        if align:
            cell.alignment = align
        return cell

    right_col = max(3, last - 1)
    if form.official_code:
        text(1, 1, f"Biểu số: {form.official_code}", bold)
        text(2, 1, f"Ban hành kèm theo Thông tư số {regime.number}")
        text(3, 1, f"Ngày nhận báo cáo: ngày {regime.due_day:02d}/{regime.due_month:02d} năm sau")
    else:
        text(1, 1, "Biểu bổ sung (không thuộc chế độ báo cáo thống kê)", bold)
    text(1, right_col, f"Đơn vị báo cáo: {report.unit.name}")
    text(2, right_col, f"Đơn vị nhận báo cáo: {report.receiving_unit or ''}")
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=last)
    text(5, 1, form.name_vi.upper(), Font(bold=True, size=13), CENTER)
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=last)
    text(
        6,
        1,
        f"(Số liệu từ ngày {format_date(report.period_start, language='vi')} "
        f"đến ngày {format_date(report.period_end, language='vi')}; năm {report.year})",
        Font(italic=True),
        CENTER,
    )
    text(7, last, f"Đơn vị tính: {localised(form.unit_of_count, 'vi')}", Font(italic=True))

    # the header: A and B span both header rows; grouped columns under one merged label
    ws.merge_cells(start_row=8, start_column=1, end_row=9, end_column=1)
    ws.merge_cells(start_row=8, start_column=2, end_row=9, end_column=2)
    text(8, 1, "", bold, CENTER)
    text(8, 2, "Mã số", bold, CENTER)
    col = 3
    for group, members in _header_groups(columns):
        if group:
            ws.merge_cells(
                start_row=8, start_column=col, end_row=8, end_column=col + len(members) - 1
            )
            text(8, col, localised(group, "vi"), bold, CENTER)
            for offset, column in enumerate(members):
                text(9, col + offset, localised(column["label"], "vi"), bold, CENTER)
        else:
            ws.merge_cells(start_row=8, start_column=col, end_row=9, end_column=col)
            text(8, col, localised(members[0]["label"], "vi"), bold, CENTER)
        col += len(members)
    text(10, 1, "A", Font(italic=True), CENTER)
    text(10, 2, "B", Font(italic=True), CENTER)
    for index, column in enumerate(columns):
        text(10, 3 + index, column["code"], Font(italic=True), CENTER)

    row_number = FIRST_DATA_ROW
    for row in data.rows:
        indent = "    " * max(row.level - 1, 0)
        text(row_number, 1, indent + row.label, bold if row.heading or row.level == 0 else None)
        if not row.heading:
            text(row_number, 2, row.code, None, CENTER)
            for index, cell in enumerate(row.cells):
                write_cell(ws.cell(row=row_number, column=3 + index), cell.reported)
        row_number += 1
    for r in range(8, row_number):
        for c in range(1, last + 1):
            ws.cell(row=r, column=c).border = BOX

    # the preparer's and the signer's blocks
    block = row_number + 2
    text(block, 1, "NGƯỜI LẬP BIỂU", bold, CENTER)
    text(block + 1, 1, "(Ký, ghi rõ họ tên)", Font(italic=True), CENTER)
    text(block + 5, 1, report.preparer_name, bold, CENTER)
    signed = report.signed_at
    date_line = (
        f"Ngày {signed:%d} tháng {signed:%m} năm {signed:%Y}"
        if signed
        else "Ngày ..... tháng ..... năm ......"
    )
    ws.merge_cells(start_row=block - 1, start_column=3, end_row=block - 1, end_column=last)
    text(block - 1, 3, date_line, Font(italic=True), CENTER)
    ws.merge_cells(start_row=block, start_column=3, end_row=block, end_column=last)
    text(block, 3, "THỦ TRƯỞNG ĐƠN VỊ", bold, CENTER)
    ws.merge_cells(start_row=block + 1, start_column=3, end_row=block + 1, end_column=last)
    text(block + 1, 3, "(Ký, đóng dấu, ghi rõ họ tên)", Font(italic=True), CENTER)
    ws.merge_cells(start_row=block + 5, start_column=3, end_row=block + 5, end_column=last)
    text(block + 5, 3, report.signer_name, bold, CENTER)

    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 8
    for index in range(len(columns)):
        ws.column_dimensions[get_column_letter(3 + index)].width = 14
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.print_area = f"A1:{last_letter}{block + 5}"
    return workbook


def xlsx_bytes(report) -> bytes:
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    return buffer.getvalue()


def pdf_bytes(report) -> bytes:
    data = form_sheet(report)
    with translation.override("vi"):
        html = render_to_string(
            "reports/form_pdf.html",
            {
                "report": report,
                "form": report.form,
                "sheet": data,
                "groups": [
                    (localised(g, "vi") if g else "", [localised(c["label"], "vi") for c in m])
                    for g, m in _header_groups(report.form.columns)
                ],
                "column_codes": data.column_codes,
                "unit_label": localised(report.form.unit_of_count, "vi"),
            },
        )
    return render_pdf(html)

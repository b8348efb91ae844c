"""Writing an offline upload: every checked row becomes a submitted report in one transaction,
with one audit event for the whole import; and the background job that runs it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.uploads import files_removed_on_failure
from thidua.movements.models import (
    ImportJob,
    Movement,
    Report,
    ReportEvent,
    ReportValue,
)
from thidua.movements.offline import limits
from thidua.movements.offline.checking import ImportResult, _check_rows, _Checked, _CheckedFile
from thidua.movements.offline.reading import (
    Progress,
    _file_error,
    _open_upload,
    check_workbook_file,
)
from thidua.movements.offline.template import template_columns
from thidua.org.models import Unit


def import_reports(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    rows_or_path: Any,
    progress: Progress | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row of an offline template, then write all of it as submitted reports in one
    transaction, or nothing (ImportFailed names every bad row and column).

    `rows_or_path`: a path, bytes or an uploaded file (.xlsx), or a list of rows (header first).
    `progress(done, total)` is called every limits.PROGRESS_EVERY rows while checking and writing.
    `on_written(result)` runs inside the writing transaction (a job marks itself done there, so
    a retried task never imports twice).
    """
    require(actor, "unit.enter_data", unit)
    if movement.status != Movement.Status.LAUNCHED:
        raise _file_error(_("This movement is not open for registrations and reports."))
    if not unit.path.startswith(movement.owner_unit.path):
        raise _file_error(_("%(unit)s is not in this movement's scope.") % {"unit": unit})
    columns = template_columns(movement)
    headers = {get_column_letter(i + 1): c.label for i, c in enumerate(columns)}
    upload = _open_upload(rows_or_path, width=len(columns) + 8)
    try:
        checked = _check_rows(movement, unit, columns, upload, headers, progress)
    finally:
        upload.close()
    return _write(
        actor,
        movement=movement,
        unit=unit,
        checked=checked,
        progress=progress,
        on_written=on_written,
    )


def _write(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    checked: _CheckedFile,
    progress: Progress | None,
    on_written: Callable[[ImportResult], None] | None,
) -> ImportResult:
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    rows = checked.rows
    replaced = [row.replaces for row in rows if row.replaces is not None]
    new = [row for row in rows if row.replaces is None]
    done, total = checked.scanned, checked.scanned + len(rows)
    result = ImportResult(created=len(rows), skipped=checked.skipped, rows=checked.read)

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    try:
        with transaction.atomic():
            if replaced:
                _replace_open_reports(rows, now, user)
                step(len(replaced))
            if connection.vendor == "postgresql":
                _copy_new_reports(movement, new, now, user, step)
            else:
                _create_new_reports(movement, new, now, user, step)
            audit.record(
                actor,
                "movements.import_reports",
                movement,
                {
                    "unit": unit.pk,
                    "reports": len(rows),
                    "replaced": len(replaced),
                    "skipped": checked.skipped,
                    "periods": sorted({row.period_id for row in rows}),
                },
                unit=unit,
            )
            if on_written is not None:
                on_written(result)
    except IntegrityError as error:  # a report saved by someone else since the check
        raise _file_error(
            _(
                "Another report for one of these units and periods was saved meanwhile: "
                "upload the file again."
            )
        ) from error
    if progress is not None:
        progress(total, total)
    return result


def _replace_open_reports(rows: list[_Checked], now: dt.datetime, user: Any) -> None:
    """Drafts and returned reports in the file are submitted with the file's values."""
    by_id = {row.replaces: row for row in rows if row.replaces is not None}
    reports = list(Report.objects.select_for_update().filter(pk__in=by_id))
    if any(r.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED) for r in reports):
        raise IntegrityError("submitted since the check")
    for report in reports:
        report.status = Report.Status.SUBMITTED
        report.submitted_at = now
        report.narrative = by_id[report.pk].narrative
        report.return_reason = ""
    Report.objects.bulk_update(reports, ["status", "submitted_at", "narrative", "return_reason"])
    ReportValue.objects.filter(report_id__in=by_id).delete()
    ReportValue.objects.bulk_create(
        ReportValue(report_id=row.replaces, indicator_id=i, value=v, base=b)
        for row in by_id.values()
        for i, v, b in row.values
    )
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report_id=row.replaces,
            status=Report.Status.SUBMITTED,
            actor=user,
            values=_snapshot(row.values),
        )
        for row in by_id.values()
    )


def _snapshot(values: list[tuple[int, Decimal, Decimal | None]]) -> dict[str, list[str | None]]:
    """The values as a report event keeps them (as `services.save_report` does)."""
    return {str(pk): [str(v), str(b) if b is not None else None] for pk, v, b in values}


def _snapshot_json(values: list[tuple[int, Decimal, Decimal | None]]) -> str:
    """`_snapshot` as JSON text, written directly (for COPY: no dict, no json.dumps per row)."""
    parts = []
    for pk, value, base in values:
        quoted = "null" if base is None else f'"{base}"'
        parts.append(f'"{pk}":["{value}",{quoted}]')
    return "{" + ",".join(parts) + "}"


def _create_new_reports(
    movement: Movement,
    new: list[_Checked],
    now: dt.datetime,
    user: Any,
    step: Callable[[int], None],
) -> None:
    for start in range(0, len(new), limits.WRITE_BATCH):
        batch = new[start : start + limits.WRITE_BATCH]
        reports = Report.objects.bulk_create(
            Report(
                movement=movement,
                period_id=row.period_id,
                unit_id=row.unit_id,
                status=Report.Status.SUBMITTED,
                narrative=row.narrative,
                submitted_at=now,
            )
            for row in batch
        )
        ReportValue.objects.bulk_create(
            ReportValue(report_id=report.pk, indicator_id=i, value=v, base=b)
            for report, row in zip(reports, batch, strict=True)
            for i, v, b in row.values
        )
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report_id=report.pk,
                status=Report.Status.SUBMITTED,
                actor=user,
                values=_snapshot(row.values),
            )
            for report, row in zip(reports, batch, strict=True)
        )
        step(len(batch))


def _copy_new_reports(
    movement: Movement,
    new: list[_Checked],
    now: dt.datetime,
    user: Any,
    step: Callable[[int], None],
) -> None:
    """PostgreSQL: ids drawn from the reports' sequence in one query, then the reports, their
    values and their events each in one COPY (the same rows `_create_new_reports` writes;
    several times faster than INSERTs for a large file)."""
    if not new:
        return
    report_table = connection.ops.quote_name(Report._meta.db_table)
    value_table = connection.ops.quote_name(ReportValue._meta.db_table)
    event_table = connection.ops.quote_name(ReportEvent._meta.db_table)
    actor_id = user.pk if user is not None else None
    submitted = Report.Status.SUBMITTED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Report._meta.db_table, len(new)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(
            f"COPY {report_table} (id, movement_id, period_id, unit_id, status, narrative,"
            " return_reason, submitted_at, created_at) FROM STDIN"
        ) as copy:
            for count, (pk, row) in enumerate(zip(ids, new, strict=True), start=1):
                line = (pk, movement.pk, row.period_id, row.unit_id, submitted, row.narrative)
                copy.write_row((*line, "", now, now))
                if count % limits.WRITE_BATCH == 0:
                    step(limits.WRITE_BATCH)
        with raw.copy(
            f"COPY {value_table} (report_id, indicator_id, value, base) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, new, strict=True):
                for indicator_id, value, base in row.values:
                    copy.write_row((pk, indicator_id, value, base))
        with raw.copy(
            f'COPY {event_table} (report_id, status, actor_id, reason, "values", at) FROM STDIN'
        ) as copy:
            for pk, row in zip(ids, new, strict=True):
                copy.write_row((pk, submitted, actor_id, "", _snapshot_json(row.values), now))
    step(len(new) % limits.WRITE_BATCH)


def start_import(actor: Any, *, movement: Movement, unit: Unit, file: Any) -> ImportJob:
    """Keep the uploaded file as a job and check and import it in the background."""
    # the task module imports this one (the task runs `import_reports`)
    from thidua.movements.tasks import run_import  # noqa: PLC0415

    require(actor, "unit.enter_data", unit)
    if movement.status != Movement.Status.LAUNCHED:
        raise ValidationError(_("This movement is not open for registrations and reports."))
    if not unit.path.startswith(movement.owner_unit.path):
        raise PermissionDenied(_("You do not have permission to do this."))
    check_workbook_file(file)
    file.name = "workbook.xlsx"  # stored under a generated name with the checked type's extension
    with files_removed_on_failure(), transaction.atomic():
        job = ImportJob.objects.create(
            movement=movement,
            unit=unit,
            file=file,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job

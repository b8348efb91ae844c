"""Background tasks of movements. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.movements.models import ImportJob
from thidua.movements.offline import ImportFailed, ImportResult
from thidua.movements.services.offline import import_reports
from thidua.org.imports import RowError

MAX_STORED_ERRORS = 500

Status = ImportJob.Status


@task()
def run_import(job_id: int) -> str:
    """Check and import an uploaded offline template; record progress, then the errors or done.

    A job already done or refused is left as it is. A job found running (a worker died, or the
    task was delivered twice) runs again: the import is all or nothing and marks the job done in
    the same transaction as its writes, so a file is never imported twice.
    """
    job = ImportJob.objects.select_related("movement", "unit", "created_by").filter(pk=job_id)
    job = job.first()
    if job is None:
        return "missing"
    if job.status in (Status.DONE, Status.FAILED):
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    actor = job.created_by
    language = getattr(actor, "language", "") or settings.LANGUAGE_CODE
    this_job = ImportJob.objects.filter(pk=job.pk)

    def progress(done: int, total: int) -> None:
        this_job.filter(status=Status.RUNNING).update(processed_rows=done, total_rows=total)

    def written(result: ImportResult) -> None:
        # Runs inside the import's transaction: the reports and "done" commit together.
        this_job.update(
            status=Status.DONE,
            processed_rows=result.created,
            total_rows=result.created,
            errors=[],
            finished_at=timezone.now(),
        )

    with translation.override(language):
        try:
            if actor is None or not actor.is_active:
                raise PermissionDenied(_("You do not have permission to do this."))
            with job.file.open("rb") as file:
                import_reports(
                    actor,
                    movement=job.movement,
                    unit=job.unit,
                    rows_or_path=file,
                    progress=progress,
                    on_written=written,
                )
        except ImportFailed as failure:
            _fail(job, failure)
        except PermissionDenied as error:
            _fail(job, ImportFailed([_file_error_row(str(error))]))
        except FileNotFoundError:
            _fail(job, ImportFailed([_file_error_row(_("The uploaded file is missing."))]))
        except Exception:
            # Nothing was written (the import is one transaction); say so rather than leave the
            # page waiting, and let the task backend record the error.
            message = _(
                "The import stopped on an unexpected error and nothing was imported. Upload the "
                "file again; if it happens again, tell an administrator."
            )
            _fail(job, ImportFailed([_file_error_row(message)]))
            raise
    return ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _file_error_row(message: str) -> RowError:
    return RowError(0, "", message)


def _fail(job: ImportJob, failure: ImportFailed) -> None:
    """Store the first errors (row, column and its label, message) and how many more there are."""
    errors = [
        {
            "row": error.row,
            "column": error.column,
            "header": failure.headers.get(error.column, ""),
            "message": str(error.message),
        }
        for error in failure.errors[:MAX_STORED_ERRORS]
    ]
    more = failure.count - len(errors)
    if more > 0:
        errors.append({"more": more})
    # Only a job still running fails: a duplicate delivery must not undo a finished import.
    ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED,
        errors=errors,
        processed_rows=F("total_rows"),
        finished_at=timezone.now(),
    )

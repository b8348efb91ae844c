from django import template

from thidua.initiatives.models import Submission

register = template.Library()


@register.filter
def submission_status(code: str) -> str:
    """The translated label of a submission status (for emails rendered in a task)."""
    try:
        return str(Submission.Status(code).label)
    except ValueError:
        return code

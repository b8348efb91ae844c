"""The training's work items: courses that have ended while some learners still wait for their
completion to be decided or for their certificate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.policy import scope_filter
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.training.models import Course, Enrolment

COURSE_TO_FINISH = "training.course_to_finish"
LABEL = gettext_lazy("Courses to finish")

Status = Enrolment.Status


def courses_to_finish(user: Any) -> QuerySetSource:
    waiting = Enrolment.objects.filter(course=OuterRef("pk")).filter(
        Q(status__in=[Status.INVITED, Status.REGISTERED, Status.ATTENDED])
        | Q(status=Status.COMPLETED, certificate__isnull=True)
    )
    rows = (
        Course.objects.filter(scope_filter(user, "training.manage", "owner_unit__path"))
        .filter(ends_on__lt=timezone.localdate())
        .filter(Exists(waiting))
        .select_related("owner_unit", "owner_unit__kind", "owner_unit__parent")
    )

    def to_item(course: Course) -> WorkItem:
        return WorkItem(
            kind=COURSE_TO_FINISH,
            kind_label=str(LABEL),
            title=_("Course: %(title)s") % {"title": course.title},
            unit=course.owner_unit,
            due=course.ends_on,
            url=reverse("training:detail", args=[course.pk]),
            action=_("Decide completion and issue certificates"),
            order=course.pk,
        )

    return QuerySetSource(
        kind=COURSE_TO_FINISH,
        label=str(LABEL),
        queryset=rows,
        unit_path="owner_unit__path",
        due="ends_on",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [courses_to_finish(user)]

"""Screening for near-duplicates: a pair side by side with the shared passages marked, and the
secretariat's verdict on it. The list of a submission's possible duplicates is a partial of the
submission's staff page (`initiatives/duplicates_panel.html`, fed by
`duplicates.duplicate_panel`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.initiatives import duplicates, selectors
from thidua.initiatives.models_duplicates import DuplicateMark
from thidua.initiatives.services.duplicates import mark_duplicate


class DuplicateMarkForm(forms.Form):
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"),
        choices=DuplicateMark.Verdict.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
def duplicate_compare(request: HttpRequest, pk: int, sid: int, cid: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    comparison = duplicates.get_comparison_for_user(request.user, call, sid, cid)
    form = DuplicateMarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark_duplicate(
                request.user,
                submission=comparison.submission,
                candidate=comparison.candidate,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your verdict was recorded."))
            return redirect("initiatives:duplicate", pk=call.pk, sid=sid, cid=cid)
    return render(
        request,
        "initiatives/duplicates_compare.html",
        {"call": call, "comparison": comparison, "form": form},
    )

"""Forms of the newsroom: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from thidua.publishing.models import Column, IssueSlot, LinkKind, StoryType


class StoryForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=True)
    column = forms.ModelChoiceField(label=_("Portal column"), queryset=Column.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    lead = forms.CharField(
        label=_("Lead"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Paragraphs, headings, lists, links and quotes are kept (HTML: p, h2, h3, ul, ol, "
            "blockquote, a); scripts and styles are removed."
        ),
    )
    story_type = forms.ChoiceField(label=_("Type"), choices=StoryType.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    byline = forms.CharField(label=_("Byline"), required=False, max_length=200)

    def __init__(self, *args, units=None, columns=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
        self.fields["column"].queryset = columns
        if editing:
            del self.fields["unit"]
            del self.fields["language"]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the editors"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=300)
    credit = forms.CharField(label=_("Photo credit"), required=False, max_length=200)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tells about"), choices=LinkKind.choices)
    object_id = forms.IntegerField(label=_("Record number"), min_value=1)


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40, help_text=_("For example 10/2024."))
    issued_on = forms.DateField(
        label=_("Date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    editor_in_chief = forms.CharField(label=_("Editor-in-chief"), max_length=200)
    masthead = forms.CharField(label=_("Masthead line"), required=False, max_length=300)
    planned_pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=64, initial=8)


class PlaceForm(forms.Form):
    story = forms.ModelChoiceField(label=_("Story to place"), queryset=None)
    page = forms.IntegerField(label=_("Page"), min_value=1)
    layout = forms.ChoiceField(label=_("Layout"), choices=IssueSlot.Layout.choices)

    def __init__(self, *args, stories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = stories
        self.fields["story"].label_from_instance = lambda story: story.revision.title


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class ColumnForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    name_id = forms.CharField(label=_("Name in Indonesian"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateVersionForm(forms.Form):
    """A new version of the writers' fee rates: one rate per story type, from a date."""

    valid_from = forms.DateField(
        label=_("In force from"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Basis"),
        required=False,
        max_length=300,
        help_text=_("For example the decision that sets the rates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in StoryType.choices:
            self.fields[f"rate_{value}"] = forms.CharField(
                label=_("%(type)s (đ)") % {"type": label},
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )

    def rates(self) -> dict[str, str]:
        return {value: self.cleaned_data[f"rate_{value}"] for value in StoryType.values}


class PeriodForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Choose a month (for example 2024-10).")},
    )


class LinkSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tells about"), choices=LinkKind.choices)
    q = forms.CharField(
        label=_("Find by name"),
        max_length=200,
        help_text=_("Accents and capitals do not matter: “nguyen van” finds “Nguyễn Văn”."),
    )

"""Forms of the clusters' staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.clusters.models import Cluster

DATE = forms.DateInput(attrs={"type": "date"})


def _unit_choices(units) -> list[tuple[int, str]]:
    return [(u.pk, u.display_name) for u in units]


class ClusterForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=_("Organising unit"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Cluster.Kind.choices)
    min_members = forms.IntegerField(label=_("Minimum members"), min_value=2, initial=5)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = _unit_choices(units)


class MembersForm(forms.Form):
    units = forms.TypedMultipleChoiceField(label=_("Member units"), coerce=int)
    joined_on = forms.DateField(label=_("Member from"), widget=DATE)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = _unit_choices(units)


class TermForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    head = forms.TypedChoiceField(
        label=_("Head unit"), coerce=int, required=False, empty_value=None
    )
    deputy = forms.TypedChoiceField(
        label=_("Deputy unit"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Proposed by the rotation")), *_unit_choices(units)]
        self.fields["head"].choices = choices
        self.fields["deputy"].choices = [("", "—"), *_unit_choices(units)]


class ElectionForm(forms.Form):
    head = forms.TypedChoiceField(label=_("Elected head"), coerce=int)
    elected_on = forms.DateField(label=_("Election date"), widget=DATE)
    note = forms.CharField(label=_("Election record"), widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    voters = forms.IntegerField(label=_("Voters"), min_value=0, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].choices = _unit_choices(units)


class PledgeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TargetForm(forms.Form):
    unit = forms.TypedChoiceField(label=pgettext_lazy("emulation cluster", "Member"), coerce=int)
    description = forms.CharField(label=_("Target"), max_length=300)
    value = forms.DecimalField(label=_("Value"), required=False)
    measure = forms.CharField(label=_("Measure"), max_length=60, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    table = forms.TypedChoiceField(label=_("Score table"), coerce=int)
    peer_count = forms.IntegerField(
        label=_("Peers each member scores (0: no peer scoring)"), min_value=0, initial=0
    )
    flag_quota = forms.IntegerField(label=_("Flags proposed"), min_value=0, initial=1)
    meeting_on = forms.DateField(label=_("Review meeting"), widget=DATE, required=False)

    def __init__(self, *args, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(t.pk, str(t)) for t in tables]


class TableForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=_("Organising unit"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = _unit_choices(units)


class GroupForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10)
    title = forms.CharField(label=_("Title"), max_length=300)


class CriterionForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Group"), coerce=int)
    parent = forms.TypedChoiceField(
        label=_("Sub-criterion of"), coerce=int, required=False, empty_value=None
    )
    code = forms.CharField(label=_("Code"), max_length=12)
    title = forms.CharField(label=_("Title"), max_length=400)
    max_points = forms.DecimalField(label=_("Maximum points"), min_value=0, initial=0)
    bonus_max = forms.DecimalField(label=_("Bonus up to"), min_value=0, initial=0)
    penalty_max = forms.DecimalField(label=_("Penalty up to"), min_value=0, initial=0)
    required = forms.BooleanField(label=_("Must be scored"), required=False, initial=True)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    scoring_guide = forms.CharField(
        label=_("Scoring guide"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, table=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, str(g)) for g in table.groups.all()]
        self.fields["parent"].choices = [("", "—")] + [
            (c.pk, str(c)) for c in table.criteria.filter(parent__isnull=True)
        ]


class EditCriterionForm(forms.Form):
    criterion = forms.TypedChoiceField(label=_("Criterion"), coerce=int)
    max_points = forms.DecimalField(label=_("Maximum points"), min_value=0)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    note = forms.CharField(label=_("What changes (told to the members)"), required=False)

    def __init__(self, *args, table=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.pk, str(c)) for c in table.criteria.all()]


class ChainForm(forms.Form):
    """The review steps an organising unit runs (in their fixed order) and peer scoring."""

    steps = forms.MultipleChoiceField(
        label=_("Review steps"),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says what is wrong with an empty choice
    )
    peer_scoring = forms.BooleanField(label=_("Peer scoring"), required=False)
    confirm = forms.BooleanField(
        label=_(
            "I confirm: score sheets submitted from now on follow this chain; sheets already "
            "published keep their history."
        ),
        required=True,
        error_messages={"required": _("Tick the confirmation to change the chain.")},
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = [(str(step), step.label) for step in steps]

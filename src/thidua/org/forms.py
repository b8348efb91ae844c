from django import forms
from django.utils.translation import gettext_lazy as _


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search units"), required=False, max_length=100)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RestructuringForm(forms.Form):
    """One operation of a restructuring, as an administrator describes it."""

    OPERATION_CHOICES = [
        ("rename", _("Rename a unit")),
        ("merge", _("Merge units into one")),
        ("split", _("Split a unit")),
        ("move", _("Move a unit under another parent")),
        ("abolish_level", _("Abolish a level (its units go to the level above)")),
        ("create", _("Create a unit")),
    ]

    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    operation = forms.ChoiceField(label=_("Operation"), choices=OPERATION_CHOICES)
    units = forms.CharField(
        label=_("Unit codes"),
        required=False,
        help_text=_("The unit(s) concerned, by code; several separated by commas."),
    )
    new_code = forms.CharField(label=_("New code"), required=False, max_length=40)
    new_name = forms.CharField(label=_("New name"), required=False, max_length=200)
    parent = forms.CharField(label=_("Parent code"), required=False, max_length=40)
    kind = forms.CharField(
        label=_("Unit kind"),
        required=False,
        max_length=40,
        help_text=_("For creating a unit or abolishing a level: province, district, ward…"),
    )
    parts = forms.CharField(
        label=_("Parts of a split"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per new unit: code; name; share; default (yes on exactly one)."),
    )

    def clean(self):
        data = super().clean()
        operation = data.get("operation")
        codes = [c.strip() for c in (data.get("units") or "").split(",") if c.strip()]
        data["unit_codes"] = codes
        needs_units = {"rename": 1, "merge": 2, "split": 1, "move": 1}
        if operation in needs_units and len(codes) < needs_units[operation]:
            self.add_error("units", _("Name the unit(s) this operation applies to."))
        if operation in ("rename", "split", "move") and len(codes) > 1:
            self.add_error("units", _("This operation applies to one unit."))
        if operation == "rename" and not data.get("new_name"):
            self.add_error("new_name", _("Give the new name."))
        if operation == "move" and not data.get("parent"):
            self.add_error("parent", _("Give the code of the new parent."))
        if operation in ("abolish_level", "create") and not data.get("kind"):
            self.add_error("kind", _("Give the unit kind."))
        if operation == "create" and not (data.get("new_code") and data.get("new_name")):
            self.add_error("new_name", _("Give the code and name of the new unit."))
        parts = []
        if operation == "split":
            for number, line in enumerate((data.get("parts") or "").splitlines(), start=1):
                if not line.strip():
                    continue
                fields = [f.strip() for f in line.split(";")]
                if len(fields) < 3:
                    self.add_error(
                        "parts",
                        _("Line %(n)s: write code; name; share; default.") % {"n": number},
                    )
                    continue
                parts.append(
                    {
                        "code": fields[0],
                        "name": fields[1],
                        "share": fields[2].replace(",", "."),
                        "is_default": len(fields) > 3
                        and fields[3].lower() in ("yes", "có", "ya", "x", "1", "default"),
                    }
                )
            if len(parts) < 2:
                self.add_error("parts", _("A split needs two or more parts."))
        data["split_parts"] = parts
        return data

    def operations(self) -> list[dict]:
        data = self.cleaned_data
        operation = data["operation"]
        codes = data["unit_codes"]
        if operation == "rename":
            return [
                {
                    "op": "rename",
                    "unit": codes[0],
                    "name": data["new_name"],
                    "code": data.get("new_code") or None,
                }
            ]
        if operation == "merge":
            return [
                {
                    "op": "merge",
                    "units": codes,
                    "into": {
                        "code": data.get("new_code") or None,
                        "name": data.get("new_name") or None,
                        "parent": data.get("parent") or None,
                    },
                }
            ]
        if operation == "split":
            return [{"op": "split", "unit": codes[0], "into": data["split_parts"]}]
        if operation == "move":
            return [{"op": "move", "unit": codes[0], "parent": data["parent"]}]
        if operation == "abolish_level":
            return [
                {"op": "abolish_level", "kind": data["kind"], "under": codes[0] if codes else None}
            ]
        return [
            {
                "op": "create",
                "code": data["new_code"],
                "name": data["new_name"],
                "kind": data["kind"],
                "parent": data.get("parent") or None,
            }
        ]

from django.contrib import admin

from thidua.cultural_titles.models import CriteriaSet


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    """The province's detailed standards are dated data: a new year's set is a new row."""

    list_display = ("title", "kind", "valid_from", "legal_basis")
    list_filter = ("kind",)

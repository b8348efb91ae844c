from django.contrib import admin

from thidua.org.models import Lineage, Restructuring, Unit, UnitKind


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "name_id", "order")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Units change only through restructurings (audited services), never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_name")


@admin.register(Restructuring)
class RestructuringAdmin(ReadOnlyAdmin):
    list_display = ("effective_date", "title", "legal_basis", "status")


@admin.register(Lineage)
class LineageAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "share", "is_default")

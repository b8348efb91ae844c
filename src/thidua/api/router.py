"""The /api/v1 router: mounts each app's endpoints and turns domain errors into JSON errors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth

from thidua.core.api import router as work_router
from thidua.honors.api import router as honors_router
from thidua.initiatives.api import router as initiatives_router
from thidua.movements.api import router as movements_router
from thidua.org.api import router as org_router
from thidua.practices.api import router as practices_router

api = NinjaAPI(
    title="Thidua API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("/units/", org_router)
api.add_router("/movements/", movements_router)
api.add_router("/initiatives/", initiatives_router)
api.add_router("/practices/", practices_router)
api.add_router("/honors/", honors_router)
api.add_router("/work/", work_router)

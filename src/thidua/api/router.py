"""The /api/v1 router: mounts each app's endpoints and turns domain errors into JSON errors.

Every error answers `ErrorOut` (`{"detail": …}`), and every operation declares the errors it
may answer in the OpenAPI document (`ERROR_RESPONSES`, added here once so that no app repeats
them): 401 without a session (operations that need one), 403 refused, 404 missing or outside the
caller's reach, 409 a conflict with the stored data, 422 invalid input.

The interactive documentation (`/api/v1/docs`, Swagger UI from ninja's own static files, no CDN)
is open in development; in production only to logged-in staff. The OpenAPI document itself
(`/api/v1/openapi.json`) stays public: it describes the operations, never data.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from thidua.api.schemas import ErrorOut
from thidua.clusters.api import router as clusters_router
from thidua.core import limits
from thidua.core.api import router as work_router
from thidua.core.policy import active_grants
from thidua.cultural_titles.api import router as cultural_titles_router
from thidua.honors.api import router as honors_router
from thidua.initiatives.api import router as initiatives_router
from thidua.mobilization.api import router as mobilization_router
from thidua.movements.api import router as movements_router
from thidua.org.api import router as org_router
from thidua.practices.api import router as practices_router
from thidua.publishing.api import router as publishing_router
from thidua.reports.api import router as reports_router
from thidua.surveys.api import router as surveys_router
from thidua.training.api import router as training_router

ERROR_RESPONSES = {
    400: "The request body is not readable (malformed JSON).",
    401: "Not logged in: the operation needs a session.",
    403: "Refused: the caller may not do this (or the CSRF token is missing).",
    404: "Missing, or outside the caller's reach.",
    409: "Conflicts with data stored meanwhile (e.g. a duplicate).",
    422: "Invalid input: the messages name the parameters or fields.",
    429: "Too many requests from this client (or to this e-mail address): try again later.",
}


def may_read_docs(user) -> bool:
    """Staff: a user holding a role somewhere, or an administrator of the site."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or active_grants(user).exists()


class Docs(Swagger):
    """Swagger UI from local static files (ninja's templates, `ninja` being an installed app);
    in production only for logged-in staff."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if settings.PRODUCTION and not may_read_docs(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().render_page(request, api, **kwargs)


class ThiduaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_errors(unique_operation_ids(schema))


def unique_operation_ids(schema: dict) -> dict:
    """An operation answering two methods (PUT and POST) gets one id from ninja; the document
    must name each once, so the second method's id takes the method as a suffix."""
    seen: set[str] = set()
    for path_item in schema["paths"].values():
        for method, operation in list(path_item.items()):
            if operation.get("operationId") in seen:
                # ninja shares one dict between the methods: the copy gets the new id
                operation = path_item[method] = {
                    **operation,
                    "operationId": f"{operation['operationId']}_{method}",
                }
            seen.add(operation.get("operationId"))
    return schema


def declare_errors(schema: dict) -> dict:
    """Add `ERROR_RESPONSES` (with the `ErrorOut` body) to every operation of the document; 401
    only where a session is required, 400 only where there is a body to read."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components[ErrorOut.__name__] = error_schema
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status == 401 and not operation.get("security"):
                    continue
                if status == 400 and "requestBody" not in operation:
                    continue
                responses.setdefault(status, {"description": description, **body})
    return schema


api = ThiduaAPI(
    title="Thidua API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs=Docs(),
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


@api.exception_handler(limits.Refused)
def too_many_requests(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=429)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    """A database constraint refused the write (two requests raced past the services' checks)."""
    return api.create_response(
        request,
        {"detail": _("This conflicts with data saved in the meantime. Reload and try again.")},
        status=409,
    )


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/ (an id that is not a number, a mistyped path) answers the
    API's JSON 404, not the site's HTML page."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/units/", org_router)
api.add_router("/movements/", movements_router)
api.add_router("/initiatives/", initiatives_router)
api.add_router("/practices/", practices_router)
api.add_router("/honors/", honors_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/publishing/", publishing_router)
api.add_router("/mobilization/", mobilization_router)
api.add_router("/training/", training_router)
api.add_router("/reports/", reports_router)
api.add_router("/clusters/", clusters_router)
api.add_router("/work/", work_router)
api.add_router("/cultural-titles/", cultural_titles_router)

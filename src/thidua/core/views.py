from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.static import serve

from thidua.core import selectors, uploads
from thidua.core.forms import AuditFilterForm
from thidua.core.pagination import paginate


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit chain in plain words, newest first, filtered by unit (picked by name), person,
    area and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    matched_units = None
    if filters.get("unit"):
        matched_units = selectors.audit_units(request.user, filters.pop("unit"))
    events = selectors.audit_events(request.user, units=matched_units, **filters)
    page, query = paginate(request, events, 50)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "matched_units": matched_units,
        "unit_choices": selectors.audit_unit_choices(request.user),
    }
    return render(request, "core/audit_log.html", context)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file, where the application serves them itself (`SERVE_MEDIA`)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: its processors read the user and the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switcher of visitors: a GET that sets the language cookie and goes back.
    A preference, not a change of state, so it needs no CSRF token — which keeps the pages
    anonymous visitors see free of one, and so cacheable (core.public_cache)."""
    language = request.GET.get("language", "")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def private_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Every private upload, served after the app that owns it fetched its object for this user
    (404 outside their scope, and for anonymous visitors unless the object is published)."""
    fetch = uploads.FILE_KINDS.get(kind)
    if fetch is None:
        raise Http404
    served = fetch(request.user, pk)
    if not served.file or not served.file.storage.exists(served.file.name):
        raise Http404
    content_type = uploads.content_type_of(served.file.name)
    inline = content_type in uploads.IMAGE_TYPES
    prefix = getattr(settings, "PRIVATE_FILES_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(served.file.name)}"
    else:
        response = FileResponse(served.file.storage.open(served.file.name, "rb"))
        response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(
        not inline, uploads.download_name(served.name, served.file.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

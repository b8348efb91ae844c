from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from thidua.core import selectors, uploads
from thidua.core.forms import AuditFilterForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit chain, newest first, filtered by unit subtree, actor, object and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    events = selectors.audit_events(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


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

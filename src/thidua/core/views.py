from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.static import serve

from thidua.core import selectors
from thidua.core.forms import AuditFilterForm


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

"""The public front door and a citizen's own page: project-level pages, like staff.py, that
compose what every app publishes (so that no app has to import the apps beside it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.honors import notices
from thidua.honors import views_public as honors_public
from thidua.honors.forms import VerifyForm
from thidua.initiatives import selectors as initiatives
from thidua.mobilization import selectors as mobilization
from thidua.movements import selectors as movements
from thidua.practices import selectors as practices
from thidua.publishing import selectors as publishing
from thidua.surveys import selectors as surveys
from thidua.training import selectors as training

SECTION_SIZE = 4


def home(request: HttpRequest) -> HttpResponse:
    """`/`: open calls with their submit button, running movements, honours on public notice,
    recently recognised initiatives, featured exemplars and practices, the certificate check.
    Each section shows its first few and links to the full list."""
    context = {
        "calls": list(initiatives.open_calls()[:SECTION_SIZE]),
        "movements": list(movements.running_movements()[:SECTION_SIZE]),
        "notices": list(notices.open_notices()[:SECTION_SIZE]),
        "recognised": list(initiatives.public_recognised()[:SECTION_SIZE]),
        # Residential areas share a few dozen names across the city: they are shown with
        # their ward, hence the parent and the kind.
        "exemplars": list(
            practices.public_exemplars()
            .select_related("owner_unit__parent", "owner_unit__kind")
            .order_by("-is_featured", "-verified_at", "-id")[:SECTION_SIZE]
        ),
        "practices": list(
            practices.public_practices()
            .select_related("owner_unit__parent", "owner_unit__kind")
            .order_by("-started_on", "title", "id")[:SECTION_SIZE]
        ),
        "surveys": list(surveys.public_surveys().order_by("-opens_on", "-id")[:SECTION_SIZE]),
        "verify_form": VerifyForm(auto_id="front_%s"),
        "news_sections": publishing.latest_by_column(per_column=3),
        "news_issue": publishing.public_issues().first(),
        "funds": list(mobilization.public_funds()[:SECTION_SIZE]),
        "disclosures": list(mobilization.public_disclosures()[:SECTION_SIZE]),
    }
    return render(request, "front/home.html", context)


def certificate_check(request: HttpRequest) -> HttpResponse:
    """The one certificate check typed by hand (the front door's box, the public menu's page):
    a training certificate's number ("0012/2026/GCN-TH") and check code open its check page;
    anything else is an award certificate, checked by honours as before."""
    found = training.certificate_by_number(
        request.GET.get("serial", ""), request.GET.get("code", "")
    )
    if found is not None:
        return redirect("public_training:check", found.code)
    return honors_public.verify_form(request)


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """A signed-in citizen's page: the initiatives they sent (each with its status and private
    link) and the comments they left on public notices."""
    return render(
        request,
        "front/my_page.html",
        {
            "submissions": list(initiatives.submissions_of_applicant(request.user)[:50]),
            "comments": list(notices.comments_by(request.user)[:50]),
            "calls": list(initiatives.open_calls()[:SECTION_SIZE]),
            "training_courses": list(training.courses_of_learner(request.user)[:SECTION_SIZE]),
        },
    )

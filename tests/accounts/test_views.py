import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from thidua.accounts import services

pytestmark = pytest.mark.django_db


def test_login_and_land_on_staff_home(client, tree, officer):
    response = client.post(
        reverse("accounts:login"),
        {"username": "lb-officer", "password": "correct-horse-42"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("staff_home")
    assert "Quận Long Biên" in response.content.decode()


def test_wrong_password_gives_translated_error(client, tree, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "lb-officer", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Vui lòng nhập đúng" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, tree, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "lb-officer", "password": "bad"})
    response = client.post(
        reverse("accounts:login"), {"username": "lb-officer", "password": "correct-horse-42"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_mail(client, tree, officer):
    response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_change(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct-horse-42",
            "new_password1": "another-Battery-77",
            "new_password2": "another-Battery-77",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("another-Battery-77")


def test_two_factor_setup_and_enforcement(client, tree, officer, admin_user):
    services.set_two_factor_policy(admin_user, role="officer", required=True)
    client.force_login(officer)
    # Required but not set up: every staff page leads to the setup page.
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup"))
    # Opening the page (again) writes no device; the secret it shows stays the same.
    again = client.get(reverse("accounts:two_factor_setup"))
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert page.context["secret"] == again.context["secret"]
    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    device = TOTPDevice.objects.get(user=officer)
    assert device.key == page.context["secret"]
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "svg" in page.content.decode()
    # django-otp throttles after a failure; an officer would wait a second, the test resets it.
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"token": code})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(reverse("staff_home")).status_code == 200
    # A new session must verify.
    client.logout()
    client.force_login(officer)
    response = client.get(reverse("staff_home"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_switch_unit_refuses_units_without_a_role(client, tree, officer):
    client.force_login(officer)
    client.post(reverse("accounts:switch_unit"), {"unit": tree["tay_ho"].pk})
    assert client.session.get("current_unit_id") is None
    client.post(reverse("accounts:switch_unit"), {"unit": tree["long_bien"].pk})
    assert client.session["current_unit_id"] == tree["long_bien"].pk


def test_staff_home_needs_login(client):
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_home_without_roles_leads_to_my_own_page(client, db):
    user = UserFactory(username="lonely")
    client.force_login(user)
    response = client.get(reverse("staff_home"), follow=True)
    assert response.redirect_chain == [(reverse("my_page"), 302)]
    assert 'data-testid="my-submissions"' in response.content.decode()


def test_the_staff_home_links_unit_pages_only_for_those_who_may_open_them(client, tree, officer):
    client.force_login(officer)
    page = client.get(reverse("staff_home")).content.decode()
    assert reverse("org:unit_detail", args=[tree["bo_de"].pk]) in page
    citizen = UserFactory(username="citizen", roles=[("citizen", tree["long_bien"])])
    client.force_login(citizen)
    response = client.get(reverse("staff_home"), follow=True)
    assert response.redirect_chain == [(reverse("my_page"), 302)]  # no staff workspace
    page = response.content.decode()
    assert reverse("org:unit_detail", args=[tree["bo_de"].pk]) not in page
    assert reverse("org:unit_detail", args=[tree["long_bien"].pk]) not in page
    assert client.get(reverse("org:unit_detail", args=[tree["bo_de"].pk])).status_code == 404


def test_the_profile_links_my_units_only_when_i_may_open_them(client, tree, officer):
    client.force_login(officer)
    link = reverse("org:unit_detail", args=[tree["long_bien"].pk])
    assert link in client.get(reverse("accounts:profile")).content.decode()
    citizen = UserFactory(username="citizen", roles=[("citizen", tree["long_bien"])])
    client.force_login(citizen)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert tree["long_bien"].name in page and link not in page


def test_the_profile_page_sets_the_digest_preference(client, tree, officer):
    from thidua.accounts.models import User

    client.force_login(officer)
    assert 'data-testid="notification-emails"' in client.get("/accounts/profile/").content.decode()
    response = client.post("/accounts/profile/", {"notification_emails": "daily"})
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).notification_emails == "daily"
    response = client.post("/accounts/profile/", {"notification_emails": "hourly"})
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert User.objects.get(pk=officer.pk).notification_emails == "daily"  # nothing written


def test_only_the_person_changes_their_notification_preference(tree, officer, admin_user):
    import pytest
    from django.core.exceptions import PermissionDenied

    from thidua.accounts.services import set_notification_emails

    with pytest.raises(PermissionDenied):
        set_notification_emails(admin_user, user=officer, choice="daily")
    officer.refresh_from_db()
    assert officer.notification_emails == "each"

"""The header: a public menu for visitors and citizens, a staff menu grouped by domain that shows
only what the user's roles can use, and citizens landing on their own page after login."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

PUBLIC_DESTINATIONS = [
    "core:home",
    "public_movements:public_list",
    "public_initiatives:call_list",
    "public_initiatives:recognised",
    "public_practices:practice_list",
    "public_practices:exemplar_list",
    "public_honors:notices",
    "public_honors:verify_form",
    "public_clusters:list",
]


def header(client, url="/") -> str:
    body = client.get(url).content.decode()
    return body[body.index("<header") : body.index("</header>")]


def staff_nav(html: str) -> str:
    match = re.search(r'<nav[^>]*data-testid="staff-nav".*?</nav>', html, re.S)
    return match.group(0) if match else ""


def user_with(role, unit):
    user = UserFactory(username=f"{role}-user")
    grant(user, role, unit)
    return user


def test_a_visitor_sees_the_public_menu_only(client, db):
    html = header(client)
    assert 'data-testid="public-nav"' in html and 'data-testid="staff-nav"' not in html
    for name in PUBLIC_DESTINATIONS:
        assert f'href="{reverse(name)}"' in html, name
    assert reverse("staff_home") not in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_a_citizen_sees_no_staff_menu_and_lands_on_their_own_page(client, tree):
    citizen = user_with("citizen", tree["bo_de"])
    client.force_login(citizen)
    html = header(client)
    assert 'data-testid="public-nav"' in html and 'data-testid="staff-nav"' not in html
    for staff_page in ("staff_home", "movements:list", "initiatives:call_list", "org:tree"):
        assert f'href="{reverse(staff_page)}"' not in html, staff_page
    assert f'href="{reverse("my_page")}"' in html
    assert 'data-testid="unit-switcher"' not in html
    # Logging in lands on the staff home's address, which sends a citizen to their own page.
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": citizen.username, "password": "correct-horse-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("my_page")
    assert 'data-testid="my-submissions"' in response.content.decode()


def test_an_officer_sees_the_staff_menu_without_administration(client, tree, officer):
    client.force_login(officer)
    html = header(client, reverse("staff_home"))
    nav = staff_nav(html)
    assert nav and 'data-testid="public-nav"' not in html
    first_link = re.search(r'<a href="([^"]+)"', nav).group(1)
    assert first_link == reverse("staff_home")  # "Công việc" first
    for group in ("movements", "initiatives", "practices", "honors"):
        assert f'data-testid="nav-{group}"' in nav, group
    assert f'href="{reverse("org:tree")}"' in nav
    assert 'data-testid="nav-admin"' not in nav
    for admin_page in ("core:audit_log", "org:restructuring_list"):
        assert reverse(admin_page) not in nav
    assert f'href="{reverse("movements:create")}"' in nav  # an officer launches movements
    assert f'href="{reverse("core:home")}"' in html  # the public site, from the tools


def test_an_administrator_sees_administration(client, tree, admin_user):
    client.force_login(admin_user)
    nav = staff_nav(header(client, reverse("staff_home")))
    assert 'data-testid="nav-admin"' in nav
    assert f'href="{reverse("core:audit_log")}"' in nav
    assert f'href="{reverse("org:restructuring_list")}"' in nav
    assert reverse("admin:index") not in nav  # not a Django staff account


def test_an_editor_and_a_council_member_see_what_their_roles_allow(client, tree):
    editor = user_with("editor", tree["city"])
    client.force_login(editor)
    nav = staff_nav(header(client, reverse("staff_home")))
    assert nav and f'href="{reverse("movements:create")}"' not in nav
    assert reverse("honors:registry") not in nav and 'data-testid="nav-admin"' not in nav
    member = user_with("council_member", tree["city"])
    client.force_login(member)
    nav = staff_nav(header(client, reverse("staff_home")))
    assert f'href="{reverse("initiatives:call_list")}"' in nav
    assert f'href="{reverse("initiatives:call_create")}"' not in nav


def test_no_two_menu_entries_share_a_name_or_an_address(client, tree, admin_user):
    client.force_login(admin_user)
    nav = staff_nav(header(client, reverse("staff_home")))
    labels = [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<(?:summary|a)[^>]*>(.*?)</(?:summary|a)>", nav, re.S)
    ]
    assert len(labels) == len(set(labels)), labels
    addresses = re.findall(r'href="([^"]+)"', nav)
    assert len(addresses) == len(set(addresses)), addresses


def test_every_public_page_is_one_click_from_the_front_door(client, db):
    html = client.get("/").content.decode()
    for name in PUBLIC_DESTINATIONS:
        url = reverse(name)
        assert f'href="{url}"' in html, name
        assert client.get(url).status_code == 200, name


def test_the_phone_menu_button_needs_no_script(client, db):
    html = header(client)
    assert 'type="checkbox" id="menu-toggle"' in html and 'for="menu-toggle"' in html
    assert "<script" not in html and " onclick=" not in html

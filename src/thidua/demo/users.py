"""The demo's residential groups and its logins: one per role, all with the same password."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from thidua.accounts import services as account_services
from thidua.accounts.models import RoleGrant, User
from thidua.org.models import Unit
from thidua.org.services import generate_residential_areas
from thidua.org.vietnam_import import REFORM_DATE

DEMO_PASSWORD = "thidua-demo-2026"

# username, full name, role, unit name (current tree), superuser
DEMO_USERS = [
    ("admin", "Nguyễn Văn Quản", "administrator", "Thành phố Hà Nội", True),
    ("lanhdao", "Trần Thị Lan", "leader", "Thành phố Hà Nội", False),
    ("lanhdao.bode", "Phạm Minh Đức", "leader", "Phường Bồ Đề", False),
    ("canbo", "Lê Thị Hoa", "officer", "Phường Bồ Đề", False),
    ("bientap", "Đỗ Thu Trang", "editor", "Thành phố Hà Nội", False),
    ("hoidong", "Vũ Đình Hùng", "council_member", "Thành phố Hà Nội", False),
    ("nguoidan", "Hoàng Văn Nam", "citizen", "Phường Bồ Đề", False),
]


def seed(*, stdout: TextIO | None = None) -> None:
    """Residential groups of the current wards, then the demo users and their role grants."""
    with transaction.atomic():
        admin = _user(*DEMO_USERS[0][:2], superuser=True)
        wards = list(
            Unit.objects.filter(kind__code="ward", parent__code="01", valid_to__isnull=True)
        )
        created = generate_residential_areas(admin, wards=wards, valid_from=REFORM_DATE)
        if created and stdout is not None:
            stdout.write(f"Residential groups and villages generated: {created}")
        for username, full_name, role, unit_name, superuser in DEMO_USERS:
            user = _user(username, full_name, superuser=superuser)
            unit = Unit.objects.filter(name=unit_name, valid_to__isnull=True).first()
            if not RoleGrant.objects.filter(user=user, role=role, unit=unit).exists():
                account_services.grant_role(
                    admin, user=user, role=role, unit=unit, valid_from=REFORM_DATE
                )


def _user(username: str, full_name: str, *, superuser: bool) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@demo.thidua.local",
            full_name=full_name,
            is_superuser=superuser,
            is_staff=superuser,
        )
    return user

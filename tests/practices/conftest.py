import pytest

from thidua.shared.models import Field


@pytest.fixture
def fields(db):
    environment, _ = Field.objects.get_or_create(
        code="environment",
        defaults={
            "name_vi": "Mỹ quan đô thị – môi trường",
            "name_en": "Urban beauty and environment",
            "name_id": "Keindahan kota dan lingkungan",
        },
    )
    social, _ = Field.objects.get_or_create(
        code="social-security",
        defaults={
            "name_vi": "An sinh xã hội",
            "name_en": "Social security",
            "name_id": "Jaminan sosial",
        },
    )
    return {"environment": environment, "social": social}

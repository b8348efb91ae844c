"""Builders of movement objects through the services."""

import datetime as dt

from thidua.movements import services


def launched_movement(actor, tree, title="Phong trào", owner="city", **extra):
    """A launched quarterly movement of 2025 with one summed indicator (a target for wards)."""
    movement = services.create_movement(
        actor,
        title=title,
        owner_unit=tree[owner],
        kind="periodic",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule="quarterly",
        indicators=[{"name": "Gia đình văn hóa", "targets": {"ward": 100}}],
        **extra,
    )
    return services.launch_movement(actor, movement=movement)


def indicator_ids(movement):
    return [i.pk for i in movement.indicators.all()]

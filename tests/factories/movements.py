"""Helpers for movement objects."""


def indicator_ids(movement):
    return [i.pk for i in movement.indicators.all()]

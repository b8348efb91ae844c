"""`{% stories_about "exemplar" exemplar.pk %}`: the live stories told about a domain record,
for that record's own public page (the other side of a story's links)."""

from django import template

from thidua.publishing import selectors

register = template.Library()


@register.inclusion_tag("publishing/partials/stories_about.html")
def stories_about(kind: str, object_id: int) -> dict:
    return {"stories": selectors.stories_about(kind, object_id)}

"""What the OpenAPI schema says of the shared API kit (tracker.api), so that it tells clients what
the server refuses: a write's body takes no other fields (additionalProperties: false), and
`?ordering=` takes at least one term and none twice (minItems, uniqueItems).

Apart from tracker/api.py because drf-spectacular's helpers import rest_framework.views, which
imports tracker.api while it loads; TrackerConfig.ready imports this module.
"""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension

from tracker.api import StableOrderingFilter


class StrictInputSchema(OpenApiSerializerExtension):
    target_class = "tracker.api.StrictInputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        return schema


class StrictFilterSchema(DjangoFilterExtension):
    target_class = "tracker.api.StrictFilterBackend"
    priority = 1  # before drf-spectacular's own extension for DjangoFilterBackend and its subclasses

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, StableOrderingFilter):
            for parameter in parameters:
                parameter["schema"].update(minItems=1, uniqueItems=True)
        return parameters

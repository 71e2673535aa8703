"""Outputs made from a resolved timeline."""

from ceremony.export.timeline import clock, timeline_to_dict

__all__ = ["clock", "timeline_to_dict"]

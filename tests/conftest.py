"""Shared test configuration: a deterministic, modest hypothesis profile.

The suite must stay fast on a busy 2-core machine, so property tests run a modest number of
examples, never time out on a slow example, and draw them from a fixed seed (derandomize) so a
failure reproduces exactly. ``pytest --hypothesis-profile=thorough`` runs many more.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile("default")

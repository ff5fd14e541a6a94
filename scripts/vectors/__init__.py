"""The vector generator: one module per group of testdata/vectors/, plus shared builders.

`build()` runs every group module; each adds its cases to `registry.CASES` under stable names.
`output` turns the cases into files, writes them or checks a tree against them.
"""

import importlib

from . import registry

# The modules, one per group or toolkit suite (the order does not matter: names are stable).
MODULES = (
    "evaluate",
    "rules",
    "workloads",
    "attestation",
    "image_ref",
    "pattern",
    "policy_load",
    "attestor_load",
    "request",
    "bundle",
    "algorithms",
    "pgp",
    "budget",
    "lint",
    "payload",
    "sign",
    "inspect",
    "platform_load",
    "platform_eval",
    "cv",
    "cluster",
    "cloud_run",
    "replay",
)


def build():
    """Builds every case; returns {suite: {name: case}}."""
    for name in MODULES:
        importlib.import_module("." + name, __name__).cases()
    registry.check_complete()
    return registry.CASES

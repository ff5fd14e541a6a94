"""The registry of cases: every case has a stable name, which is its file name.

A case is added to a suite (a bundle group such as `evaluate`, or a toolkit suite: `lint`,
`payload`, `sign`) under a name `NNN-words` that never changes: the generator does not number
by position, so adding, moving or deleting a case renames no other file.
"""

import re

# The toolkit suites: not bundles, each checked by its own runners.
TOOLKIT = ("lint", "payload", "sign", "inspect", "platform", "cv", "replay")

NAME = re.compile(r"^[0-9]{3}-[a-z0-9][a-z0-9-]*$")

# suite -> {name: case}, in the order the cases were added (the files are what counts).
CASES = {}

# suite -> {name without its number: stable name}, for cases built in loops.
_STABLE = {}


class CaseError(Exception):
    """A case without a stable name, or a name used twice."""


def stable_names(suite, names):
    """Declares the stable names of a suite's cases built in loops.

    A loop passes `add` the name without its number (e.g. `ecdsa-p384-sha384-allow`); the
    number comes from this literal list, so the loop's order does not matter.
    """
    table = _STABLE.setdefault(suite, {})
    for name in names:
        if not NAME.match(name):
            raise CaseError("%s/%s: not a stable name (NNN-words)" % (suite, name))
        short = name[4:]
        if short in table:
            raise CaseError("%s/%s: declared twice" % (suite, short))
        table[short] = name


def add(suite, name, case):
    """Adds a case to a suite under its stable name (its file name without `.json`)."""
    if not NAME.match(name):
        full = _STABLE.get(suite, {}).get(name)
        if full is None:
            raise CaseError(
                "%s/%s: a case needs a stable name NNN-words (a new case takes the next free "
                "number of its suite; a case built in a loop lists its name in stable_names)"
                % (suite, name)
            )
        name = full
    cases = CASES.setdefault(suite, {})
    if name in cases:
        raise CaseError("%s/%s: duplicate case name" % (suite, name))
    number = name[:3]
    for other in cases:
        if other[:3] == number:
            raise CaseError(
                "%s/%s: number %s is taken by %s (take the next free number)"
                % (suite, name, number, other)
            )
    cases[name] = case


def check_complete():
    """Every name declared with stable_names must belong to a case."""
    for suite, table in _STABLE.items():
        for name in table.values():
            if name not in CASES.get(suite, {}):
                raise CaseError(
                    "%s/%s: declared in stable_names but no case uses it" % (suite, name)
                )

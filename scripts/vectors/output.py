"""Files of the cases: writing testdata/vectors/, and checking a tree against the generator."""

import filecmp
import json
import os
import tempfile

from .registry import TOOLKIT


def render(suite, case):
    """The bytes of a case's file (bundles keep non-ASCII text as is, toolkit suites escape it)."""
    text = json.dumps(case, indent=2, ensure_ascii=suite in TOOLKIT)
    return (text + "\n").encode("utf-8")


def files(cases):
    """{path relative to testdata/vectors/: bytes} of every case."""
    out = {}
    for suite, named in cases.items():
        for name, case in named.items():
            out["%s/%s.json" % (suite, name)] = render(suite, case)
    return out


def existing(root):
    """Every file under root, as paths relative to it."""
    found = set()
    for folder, _, names in os.walk(root):
        for name in names:
            found.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return found


def write(root, wanted, prune=False):
    """Writes the files that differ; reports (or with prune deletes) files it did not write.

    Returns the number of stale files left in place."""
    changed = 0
    for rel, data in sorted(wanted.items()):
        path = os.path.join(root, rel)
        if os.path.exists(path):
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        changed += 1
    stale = sorted(existing(root) - set(wanted))
    for rel in stale:
        if prune:
            os.remove(os.path.join(root, rel))
            print("deleted stale file %s" % rel)
        else:
            print("stale file (not generated; --prune deletes it): %s" % rel)
    print("wrote %d of %d files in %s" % (changed, len(wanted), root))
    return 0 if prune else len(stale)


def check(root, wanted):
    """Regenerates into a temporary folder and compares it with root, file by file.

    Returns the list of problems (a file that differs, is missing, or is not generated)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel, data in wanted.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        have = existing(root)
        for rel in sorted(wanted):
            if rel not in have:
                problems.append("missing: %s" % rel)
            elif not filecmp.cmp(os.path.join(tmp, rel), os.path.join(root, rel), shallow=False):
                problems.append("differs: %s" % rel)
        for rel in sorted(have - set(wanted)):
            problems.append("not generated (stale or hand-written): %s" % rel)
    return problems

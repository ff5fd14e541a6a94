#!/usr/bin/env python3
"""Generates testdata/vectors/: the shared, language-neutral specification of vouch.

Bundle groups (testdata/vectors/GROUP/): a bundle (contract §1) plus `expect` (a subset of the
decision JSON; messages are never asserted) or `expectError` ({code, path}). Toolkit suites
(testdata/vectors/lint, payload, sign): see docs/formats.md. The cases live in
scripts/vectors/, one module per group; each has a stable name that is its file name (see
testdata/README.md to add one). Signatures come from testdata/keys/signature-cache.json, else
from `openssl`, GnuPG, Python `cryptography` or `vouch sign` (see vectorlib.py, vectors/sign.py).
After adding a bundle vector, make its golden output with
`VOUCH_BLESS=1 cargo test -p vouch --test vectors` and review the diff.

Usage:
  python3 scripts/gen_vectors.py            write the files that differ; report stale files
  python3 scripts/gen_vectors.py --prune    ... and delete files the generator did not write
  python3 scripts/gen_vectors.py --check [DIR]
      regenerate into a temporary folder (never signing: a signature missing from the cache
      is an error) and compare with DIR (default testdata/vectors/): exit 1 on any
      difference, missing file or file the generator does not write
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vectorlib as v  # noqa: E402
import vectors  # noqa: E402
from vectors import output  # noqa: E402

OUT = os.path.join(v.ROOT, "testdata", "vectors")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", nargs="?", const=OUT, metavar="DIR")
    parser.add_argument("--prune", action="store_true")
    args = parser.parse_args()
    if args.check:
        v.OFFLINE = True
        problems = output.check(args.check, output.files(vectors.build()))
        for problem in problems:
            print(problem)
        if problems:
            print(
                "vectors: %d differences with the generator (run python3 scripts/gen_vectors.py; "
                "never edit vector files by hand)" % len(problems)
            )
            return 1
        print("vectors: %s is what the generator writes" % os.path.relpath(args.check, v.ROOT))
        return 0
    wanted = output.files(vectors.build())
    v.save_cache()
    stale = output.write(OUT, wanted, prune=args.prune)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

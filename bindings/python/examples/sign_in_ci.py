"""Sign a built image in CI: print the attestation occurrence for the image's digest.

    VOUCH_SIGNING_KEY="$(cat private-key.pem)" python sign_in_ci.py \
        --image us-docker.pkg.dev/example-project/app/web@sha256:434b… \
        --attestor projects/example-project/attestors/built-by-ci > occurrence.json

The key is the PEM text in $VOUCH_SIGNING_KEY (a CI secret), or the file given by --key. With
--new-key DIR (and --note) the script instead generates a key, writes private-key.pem (mode
0600), public-key.pem and the attestor resource attestor.json into DIR (never overwriting),
and signs with it. The occurrence on stdout is what `vouch sign` prints, byte for byte; upload it with
the Container Analysis API, or pass it to `vouch evaluate --attestations` and ci_gate.py.
Exit status: 0 signed, 2 on a configuration error (a message on stderr; never the key).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import vouch

KEY_ENV = "VOUCH_SIGNING_KEY"


def new_key(directory: Path, attestor: str, note: str) -> vouch.SigningKey:
    """Generates a P-256 key and writes it, its public key and its attestor resource."""
    key = vouch.generate_key("p256")
    directory.mkdir(parents=True, exist_ok=True)
    resource = vouch.attestor_resource(attestor, note, key.public_key_pem, key.algorithm)
    files = [
        ("private-key.pem", key.private_key_pem(), 0o600),
        ("public-key.pem", key.public_key_pem, 0o644),
        ("attestor.json", json.dumps(resource, indent=2) + "\n", 0o644),
    ]
    for name, text, mode in files:
        # O_EXCL: an existing key is never overwritten; the mode applies from the start.
        fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"new key {key.key_id}: attestor resource in {directory / 'attestor.json'}", file=sys.stderr)
    return key


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", required=True, help="the built image, REPO[:TAG]@sha256:…")
    parser.add_argument("--attestor", required=True, help="projects/P/attestors/A")
    parser.add_argument("--note", help="projects/P/notes/N (default: the note named like the attestor)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--key", type=Path, help=f"private key PEM file (default: ${KEY_ENV})")
    source.add_argument("--new-key", type=Path, metavar="DIR", help="generate a key into DIR and sign with it")
    parser.add_argument("--key-id", help="the key id the attestor knows the key by (default: ni:///sha-256;…)")
    parser.add_argument("--pae", action="store_true", help="sign PAE(payload), as gcloud's --pae-encode-payload")
    args = parser.parse_args(argv)

    try:
        if args.new_key is not None:
            if args.note is None:
                print("vouch: --new-key needs --note: the note the new attestor is attached to", file=sys.stderr)
                return 2
            key = new_key(args.new_key, args.attestor, args.note)
        elif args.key is not None:
            key = vouch.SigningKey.from_pem(args.key.read_text())
        elif os.environ.get(KEY_ENV):
            key = vouch.SigningKey.from_pem(os.environ[KEY_ENV])
        else:
            print(f"vouch: no key: set ${KEY_ENV}, or give --key FILE or --new-key DIR", file=sys.stderr)
            return 2
        occurrence = vouch.sign(
            args.image, key, attestor=args.attestor, note=args.note, key_id=args.key_id, pae=args.pae
        )
    except vouch.VouchError as e:  # which input and field; key errors never contain the key
        print(f"vouch: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"vouch: {e}", file=sys.stderr)
        return 2
    print(json.dumps(occurrence, indent=2))  # `vouch sign`'s output, byte for byte
    return 0


if __name__ == "__main__":
    sys.exit(main())

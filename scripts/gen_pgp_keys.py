"""Makes the OpenPGP test keys of issue 12 with GnuPG (run once; the keys are committed).

Each key is created at a fixed faked time so that the vectors' `now` (2026-12-01) judges them
as intended. `pgp-USER.sec.asc` is exported *before* the revocation or usage change, so that
`vectorlib.gpg_sign` can still sign with it; `pgp-USER.pub.asc` is the key as an attestor holds
it afterwards. GnuPG is not deterministic: rerunning makes different keys (and the cached
signatures would then no longer match); the committed files are the test data.

  pgp-revoked   Ed25519 sign+certify, created 2026-11-20; revoked (no reason) 2026-11-25
  pgp-subrev    Ed25519 certify-only primary + Ed25519 signing subkey; the subkey revoked 2026-11-25
  pgp-expired   Ed25519 sign+certify created 2026-11-20, expires 2026-11-22
  pgp-subexp    Ed25519 certify-only primary (no expiry) + signing subkey expiring 2026-11-22
  pgp-certonly  Ed25519 certify-only primary, no subkey (signatures made by vectorlib.pgp_sign)
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vectorlib as v  # noqa: E402

CREATED = "20261120T000000!"
LATER = "20261125T000000!"
BASE = ["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", ""]


def run(env, *args, stdin=None):
    return subprocess.run(list(args), env=env, check=True, capture_output=True, input=stdin).stdout


def fpr(env):
    out = run(env, "gpg", "--with-colons", "--list-keys").decode()
    return next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:"))


def make(name, uid, usage, expire="never", subkey=None):
    with tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o700)
        env = dict(os.environ, GNUPGHOME=home)
        run(env, *BASE, "--faked-system-time", CREATED, "--quick-gen-key", uid, "ed25519", usage, expire)
        fp = fpr(env)
        if subkey:
            run(env, *BASE, "--faked-system-time", CREATED, "--quick-add-key", fp, "ed25519", "sign", subkey)
        with open(v.key_path("pgp-%s.sec.asc" % name), "wb") as f:
            f.write(run(env, *BASE, "--armor", "--export-secret-keys", fp))
        if name == "revoked":
            rev = open(os.path.join(home, "openpgp-revocs.d", fp + ".rev")).read().replace(":-----BEGIN", "-----BEGIN")
            run(env, *BASE, "--faked-system-time", LATER, "--import", stdin=rev.encode())
        if name == "subrev":
            # key 1 = the subkey; revkey asks: sure? reason (0 = none), description, okay?
            answers = b"key 1\nrevkey\ny\n0\n\ny\nsave\n"
            run(env, *BASE, "--faked-system-time", LATER, "--command-fd", "0", "--edit-key", fp, stdin=answers)
        with open(v.key_path("pgp-%s.pub.asc" % name), "wb") as f:
            f.write(run(env, *BASE, "--armor", "--export", fp))
        print(name, fp)


if __name__ == "__main__":
    make("revoked", "vouch test revoked <revoked@vouch.invalid>", "sign")
    make("subrev", "vouch test revoked subkey <subrev@vouch.invalid>", "cert", subkey="never")
    make("expired", "vouch test expired <expired@vouch.invalid>", "sign", expire="2d")
    make("subexp", "vouch test expired subkey <subexp@vouch.invalid>", "cert", subkey="2d")
    make("certonly", "vouch test certify-only <certonly@vouch.invalid>", "cert")

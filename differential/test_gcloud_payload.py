"""Payloads and PAE: `vouch payload` against gcloud's own functions.

For a generated set of image references, ``vouch payload --image REF`` must print exactly the
bytes of gcloud's ``MakeSignaturePayload(REF)`` (what ``create-signature-payload`` writes and
``attestations sign-and-create`` signs), and ``vouch payload --pae`` exactly
``PaeEncode("application/vnd.dev.cosign.simplesigning.v1+json", payload)`` (what
``sign-and-create --pae-encode-payload`` signs). gcloud runs once, in one batch.

Where one side refuses a reference the other accepts, the case must carry one of the
documented reasons below (``KNOWN``): any other disagreement fails, and so does a reason that
no longer holds (the difference went away: drop the reason).
"""

from __future__ import annotations

import base64
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import List, NamedTuple, Optional

PAE_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json"

D1 = "sha256:" + "434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
D2 = "sha256:" + "0123456789abcdef" * 4
D3 = "sha256:" + "f" * 64

# Where vouch and gcloud knowingly disagree. "vouch" = only vouch accepts; "gcloud" = only
# gcloud accepts. vouch follows the distribution reference grammar (what Kubernetes and the
# registries accept); gcloud's containerregistry `docker_name` checks character sets, and runs
# the string through Python's urlparse first.
KNOWN = {
    # vouch accepts, gcloud refuses.
    "no-registry": (
        "vouch",
        "gcloud requires a registry (a first component with `.` or `:`); vouch signs Docker "
        "Hub short names and `localhost/…` as written, since Binary Authorization binds only "
        "the digest and Kubernetes Pods use such names",
    ),
    "port-without-scheme": (
        "vouch",
        "`host:port/…` without a scheme: urlparse reads `host` as a URL scheme, and gcloud "
        "then finds no host (with `https://` in front gcloud accepts it, and both agree)",
    ),
    "one-character-repository": (
        "vouch",
        "a one-character repository path (`gcr.io/a`): gcloud wants at least 2 characters, the "
        "distribution grammar 1",
    ),
    "tag-128": (
        "vouch",
        "a 128-character tag: Docker's limit is 128, gcloud's 127 (the tag is not in the "
        "payload either way)",
    ),
    # gcloud accepts, vouch refuses (vouch is stricter: it refuses to sign what no registry
    # or Kubernetes accepts).
    "path-grammar": (
        "gcloud",
        "a path component the distribution grammar forbids (empty, leading/trailing or "
        "repeated separators): gcloud checks only the character set",
    ),
    "registry-grammar": (
        "gcloud",
        "a registry the distribution grammar forbids (`_`, empty labels): gcloud only asks "
        "urlparse whether it is a netloc",
    ),
    "digest-charset": (
        "gcloud",
        "a 71-character digest of the characters `sh:0-9a-f` that is not `sha256:<64 hex>`: "
        "gcloud checks the character set and length only",
    ),
    "other-scheme": (
        "gcloud",
        "a URL scheme other than lowercase `https://`: gcloud strips any scheme, vouch only "
        "`https://`",
    ),
    "url-cleanup": (
        "gcloud",
        "whitespace or control characters that urlparse silently strips (leading spaces, "
        "tabs, newlines) or a `#`/`?` it splits off and puts back",
    ),
}


class Case(NamedTuple):
    ref: str
    known: Optional[str]  # a KNOWN key, or None: both must agree


def cases() -> List[Case]:
    out: List[Case] = []
    same = lambda ref: out.append(Case(ref, None))  # noqa: E731

    # Registries and paths both accept, combined with every way of writing the digest.
    registries = [
        "gcr.io",
        "us-docker.pkg.dev",
        "europe-west4-docker.pkg.dev",
        "registry.example.com",
        "GCR.IO",  # host names are case-insensitive; kept as written
        "Registry.Example.COM",
        "a.b",
        "1.2.3.4",
        "xn--bcher-kva.example",
        "docker.io",
        "index.docker.io",
        "quay.io",
    ]
    paths = [
        "p/app",
        "example-project/app/web",
        "library/busybox",
        "a/b/c/d/e/f/g/h",
        "my_project/my__app/my-app/my---app/my.app",
        "0/9",
        "ab",
        "project-123/team.name/svc_1",
        "x" * 200,
        "/".join(["seg%02d" % i for i in range(40)]),  # 199 characters, many components
    ]
    for registry in registries:
        for path in paths:
            same(f"{registry}/{path}@{D1}")
    for path in ["p/app", "a/b/c/d/e"]:
        base = f"us-docker.pkg.dev/{path}"
        for tag in ["1.0", "latest", "v1.2.3-rc.1_build.7", "UPPER_case", "_x", "9", "a" * 127]:
            same(f"{base}:{tag}@{D2}")
        same(f"https://{base}@{D2}")
        same(f"https://{base}:1.0@{D2}")
    # Ports: gcloud accepts them only behind a scheme (see "port-without-scheme").
    for host in ["localhost:5000", "registry.example.com:443", "10.0.0.1:5000", "gcr.io:1"]:
        same(f"https://{host}/team/app@{D3}")
        same(f"https://{host}/team/app:v1@{D3}")
        if host[0].isdigit():
            same(f"{host}/team/app@{D3}")  # not a URL scheme: gcloud sees the host
        else:
            out.append(Case(f"{host}/team/app@{D3}", "port-without-scheme"))
    # Long repository paths: 255 is both sides' limit; 256 both refuse.
    same("gcr.io/" + "a" * 255 + "@" + D1)
    same("gcr.io/" + "/".join(["b" * 63] * 4) + "@" + D1)  # 255
    same("gcr.io/" + "a" * 256 + "@" + D1)
    same("gcr.io/" + "/".join(["b" * 63] * 4) + "c@" + D1)  # 256
    same("gcr.io/p/" + "x" * 2000 + "@" + D1)

    # Both refuse.
    for ref in [
        "",
        "@" + D1,
        "gcr.io/p/app",  # no digest
        "gcr.io/p/app:1.0",  # tag only
        "gcr.io/p/app@",  # empty digest
        "gcr.io/p/app@sha256:123",  # short digest (gcloud: "Invalid digest")
        "gcr.io/p/app@sha256:" + "a" * 63,
        "gcr.io/p/app@sha256:" + "a" * 65,
        "gcr.io/p/app@sha256:" + "A" * 64,  # upper-case hex
        "gcr.io/p/app@sha256:" + "g" * 64,
        "gcr.io/p/app@sha512:" + "a" * 128,  # only sha256 is attested
        "gcr.io/p/app@sha384:" + "a" * 96,
        "gcr.io/p/app@md5:" + "a" * 32,
        "gcr.io/P/app@" + D1,  # upper-case repository
        "gcr.io/p/App@" + D1,
        "gcr.io/p/app@" + D1 + "@" + D1,  # two digests
        "gcr.io/p/app:" + "a" * 129 + "@" + D1,  # tag too long
        "gcr.io/p/app:bad/tag@" + D1,
        "gcr.io/p/app:t@g@" + D1,
        "gcr.io/p/app:@" + D1,  # empty tag
        "gcr.io/p/a pp@" + D1,
        "gcr.io/p/app@" + D1 + " ",
        "gcr.io/p/äpp@" + D1,
        "gcr.io/p/app!@" + D1,
        "gcr.io/p/app%41@" + D1,
        "gcr.io/p/app\\x@" + D1,
        "gcr.io/p/app@" + D1 + "/x",
        "https://gcr.io/p/app",
        "https://@" + D1,
        "https:///gcr.io/p/app@" + D1,  # a scheme without host
        "user@gcr.io/p/app@" + D1,
        "gcr.io/p/app:1.0:2.0@" + D1,
        "gcr.io/@" + D1,
    ]:
        same(ref)

    for ref in ["busybox@" + D1, "library/busybox@" + D1, "team/app@" + D1, "localhost/app@" + D1,
                "ab@" + D1, "busybox:1.36@" + D1, "gcr.io@" + D1]:
        out.append(Case(ref, "no-registry"))
    out.append(Case("gcr.io/p/app:" + "a" * 128 + "@" + D1, "tag-128"))
    for ref in ["gcr.io/a@" + D1, "us-docker.pkg.dev/x@" + D1, "GCR.IO/0@" + D1]:
        out.append(Case(ref, "one-character-repository"))
    for ref in ["gcr.io/p//app@" + D1, "gcr.io/p/app/@" + D1, "gcr.io/-p/app@" + D1, "gcr.io/p-/app@" + D1,
                "gcr.io/p/.app@" + D1, "gcr.io/p/a..pp@" + D1, "gcr.io/p/a___pp@" + D1, "gcr.io/p/a._pp@" + D1,
                "gcr.io/_/app@" + D1, "gcr.io//p/app@" + D1]:
        out.append(Case(ref, "path-grammar"))
    # `my_registry.io` is no registry to vouch but a valid path component: both sign the same
    # docker-reference.
    same("my_registry.io/p/app@" + D1)
    for ref in ["-gcr.io/p/app@" + D1, "gcr-.io/p/app@" + D1,
                "gcr..io/p/app@" + D1, "gcr.io./p/app@" + D1]:
        out.append(Case(ref, "registry-grammar"))
    for digest in ["sha256::" + "a" * 63, "shhhhh:" + "a" * 64, "ab" + "c" * 69, "sha256" + "a" * 65]:
        out.append(Case("gcr.io/p/app@" + digest, "digest-charset"))
    for scheme in ["http://", "HTTPS://", "docker://", "oci://", "Https://", "h://"]:
        out.append(Case(scheme + "gcr.io/p/app@" + D1, "other-scheme"))
    for ref in [" gcr.io/p/app@" + D1, "\tgcr.io/p/app@" + D1, "gcr.io/p/\tapp@" + D1, "gcr.io/p/app\n@" + D1,
                "gcr.io/p/app@sha256:\r" + D1[7:]]:
        out.append(Case(ref, "url-cleanup"))
    return out


def vouch_payload(vouch_bin, ref: str, pae: bool) -> Optional[bytes]:
    args = [str(vouch_bin), "payload", f"--image={ref}"] + (["--pae"] if pae else [])
    try:
        proc = subprocess.run(args, capture_output=True, timeout=60)
    except ValueError:  # an argument with NUL: not a reference anyone can pass
        return None
    if proc.returncode == 0:
        return proc.stdout
    assert proc.returncode == 2, (ref, proc.returncode, proc.stderr)
    assert b"REQUEST_INVALID_IMAGE" in proc.stderr or b"REQUEST_NOT_DIGEST_PINNED" in proc.stderr, proc.stderr
    return None


def test_payload_and_pae_bytes_equal_gcloud(vouch_bin, gcloud_oracle, report):
    all_cases = cases()
    refs = [c.ref for c in all_cases]
    assert len(set(refs)) == len(refs), "duplicate cases"
    with ThreadPoolExecutor(max_workers=4) as pool:
        ours = list(pool.map(lambda r: vouch_payload(vouch_bin, r, False), refs))
        ours_pae = list(pool.map(lambda r: vouch_payload(vouch_bin, r, True), refs))
    theirs = gcloud_oracle({"payloads": refs})["payloads"]
    # gcloud's PaeEncode over gcloud's own payload bytes (as sign-and-create calls it).
    signed = [base64.b64decode(t["ok"]).decode("utf-8") for t in theirs if "ok" in t]
    theirs_pae = iter(gcloud_oracle({"pae": [[PAE_TYPE, p] for p in signed]})["pae"])

    problems = []
    compared = accepted = 0
    used = set()
    for case, mine, mine_pae, their in zip(all_cases, ours, ours_pae, theirs):
        gcloud_bytes = base64.b64decode(their["ok"]) if "ok" in their else None
        gcloud_pae = base64.b64decode(next(theirs_pae)["ok"]) if gcloud_bytes is not None else None
        if (mine is None) != (mine_pae is None):
            problems.append(f"{case.ref!r}: `payload` and `payload --pae` disagree on accepting it")
        compared += 1
        if mine is not None and gcloud_bytes is not None:
            accepted += 1
            if mine != gcloud_bytes:
                problems.append(f"{case.ref!r}: payload differs\n  vouch:  {mine!r}\n  gcloud: {gcloud_bytes!r}")
            if mine_pae != gcloud_pae:
                problems.append(f"{case.ref!r}: PAE differs\n  vouch:  {mine_pae!r}\n  gcloud: {gcloud_pae!r}")
        observed = None
        if mine is not None and gcloud_bytes is None:
            observed = "vouch"
        elif mine is None and gcloud_bytes is not None:
            observed = "gcloud"
        expected = KNOWN[case.known][0] if case.known else None
        if observed != expected:
            why = their.get("error", "accepted")
            if case.known:
                problems.append(
                    f"{case.ref!r}: expected the known difference `{case.known}` (only {expected} accepts), "
                    f"observed {'agreement' if observed is None else 'only ' + observed + ' accepting'}; gcloud: {why}"
                )
            else:
                problems.append(f"{case.ref!r}: only {observed} accepts it; gcloud: {why}")
        if case.known:
            used.add(case.known)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)
    assert used == set(KNOWN), f"known differences without a case: {set(KNOWN) - used}"
    report(
        f"gcloud payloads: {compared} references compared ({accepted} accepted by both: payload and "
        f"PAE bytes equal; {compared - accepted - len([c for c in all_cases if c.known])} refused by both; "
        f"{len([c for c in all_cases if c.known])} known differences of {len(KNOWN)} kinds)"
    )

"""Building blocks for vouch's test vectors: keys, payloads, signatures, occurrences.

Signatures are made with the `openssl` command line, an implementation independent of vouch.
They are cached in testdata/keys/signature-cache.json (keyed by key file and message digest) so
that regenerating the vectors is reproducible; delete the cache to re-sign everything.
"""

import base64
import hashlib
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = os.path.join(ROOT, "testdata", "keys")
CACHE_PATH = os.path.join(KEYS, "signature-cache.json")

P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
PAE_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json"

_cache = None

# True while checking (`gen_vectors.py --check`): a signature missing from the cache is an error,
# never made.
OFFLINE = False


def _missing(cache_key):
    """Called on a cache miss: refuses to sign while checking."""
    if OFFLINE:
        raise SystemExit(
            "signature missing from testdata/keys/signature-cache.json (%s): the check does not "
            "sign; run python3 scripts/gen_vectors.py to sign and cache it" % cache_key
        )


def _load_cache():
    global _cache
    if _cache is None:
        try:
            with open(CACHE_PATH) as f:
                _cache = json.load(f)
        except FileNotFoundError:
            _cache = {}
    return _cache


def save_cache():
    if _cache is not None:
        with open(CACHE_PATH, "w") as f:
            json.dump(_cache, f, indent=1, sort_keys=True)
            f.write("\n")


def key_path(name):
    return os.path.join(KEYS, name)


def public_pem(name):
    with open(key_path(name + ".pub.pem")) as f:
        return f.read()


def spki_der(name):
    """The DER SubjectPublicKeyInfo of a test key (decoded from its PEM, for every key type)."""
    lines = public_pem(name).strip().splitlines()
    return base64.b64decode("".join(line for line in lines if not line.startswith("-----")))


def default_key_id(name):
    digest = hashlib.sha256(spki_der(name)).digest()
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def b64(data):
    return base64.b64encode(data).decode()


def gcloud_payload(repository, digest, type_="Google cloud binauthz container signature"):
    """The bytes `gcloud container binauthz create-signature-payload` writes."""
    doc = {
        "critical": {
            "identity": {"docker-reference": repository},
            "image": {"docker-manifest-digest": digest},
            "type": type_,
        }
    }
    return (
        json.dumps(doc, sort_keys=True, indent=2, separators=(",", ": "), ensure_ascii=True) + "\n"
    ).encode()


def pae(payload):
    return b"DSSEv1 %d %s %d " % (len(PAE_TYPE), PAE_TYPE.encode(), len(payload)) + payload


def sign(key, message, digest=None, sigopts=()):
    """Signs with `openssl`: ECDSA DER (SHA-256, or SHA-384 for P-384, SHA-512 for P-521), RSA
    PKCS#1 v1.5 or PSS (`sigopts`), Ed25519 pure; ML-DSA-65 with Python `cryptography`."""
    if key.startswith("mldsa"):
        return mldsa_sign(key, message)
    default = "sha384" if "p384" in key else "sha512" if "p521" in key else "sha256"
    digest = digest or default
    suffix = "" if digest == default and not sigopts else ":%s:%s" % (digest, ",".join(sigopts))
    cache = _load_cache()
    cache_key = key + suffix + ":" + hashlib.sha256(message).hexdigest()
    if cache_key in cache:
        return base64.b64decode(cache[cache_key])
    _missing(cache_key)
    with tempfile.TemporaryDirectory() as tmp:
        msg = os.path.join(tmp, "msg")
        sig = os.path.join(tmp, "sig")
        with open(msg, "wb") as f:
            f.write(message)
        if "ed25519" in key:
            cmd = [
                "openssl",
                "pkeyutl",
                "-sign",
                "-rawin",
                "-inkey",
                key_path(key + ".key"),
                "-in",
                msg,
                "-out",
                sig,
            ]
        else:
            cmd = ["openssl", "dgst", "-" + digest, "-sign", key_path(key + ".key"), "-out", sig]
            for opt in sigopts:
                cmd += ["-sigopt", opt]
            cmd.append(msg)
        subprocess.run(cmd, check=True, capture_output=True)
        with open(sig, "rb") as f:
            signature = f.read()
    cache[cache_key] = b64(signature)
    return signature


def mldsa_sign(key, message):
    """ML-DSA-65 (FIPS 204, pure, empty context) with Python `cryptography`."""
    cache = _load_cache()
    cache_key = key + ":" + hashlib.sha256(message).hexdigest()
    if cache_key in cache:
        return base64.b64decode(cache[cache_key])
    _missing(cache_key)
    from cryptography.hazmat.primitives import serialization

    with open(key_path(key + ".key"), "rb") as f:
        private = serialization.load_pem_private_key(f.read(), None)
    signature = private.sign(message)
    cache[cache_key] = b64(signature)
    return signature


def pss(digest="sha256", salt=None):
    """openssl -sigopt values for RSASSA-PSS (salt defaults to the hash length)."""
    size = {"sha256": 32, "sha512": 64}[digest]
    return (
        "rsa_padding_mode:pss",
        "rsa_pss_saltlen:%d" % (size if salt is None else salt),
        "rsa_mgf1_md:" + digest,
    )


SIGN_TIME = "20261124T000000!"


def gpg_sign(user, message, detached=False, armor=True, at=None, extra=(), signers=None):
    """Signs with GnuPG (`gpg --sign` or `--detach-sign`), with the test key `pgp-USER`.

    Signatures are made at the faked system time `at` (GnuPG's `--faked-system-time`, default
    SIGN_TIME, after every test key's creation and before the pgp vectors' `now`), with `extra`
    gpg options, and by every key of `signers` (one `-u` each, in order) when given."""
    cache = _load_cache()
    cache_key = "gpg:%s:%s:%s:%s" % (user, detached, armor, hashlib.sha256(message).hexdigest())
    if at is not None or extra or signers:
        cache_key += ":%s:%s:%s" % (at, ",".join(extra), ",".join(signers or ()))
    if cache_key in cache:
        return base64.b64decode(cache[cache_key])
    _missing(cache_key)
    with tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o700)
        env = dict(os.environ, GNUPGHOME=home)
        for u in signers or [user]:
            subprocess.run(
                ["gpg", "--batch", "--import", key_path("pgp-%s.sec.asc" % u)],
                check=True,
                capture_output=True,
                env=env,
            )
        msg = os.path.join(home, "msg")
        out = os.path.join(home, "out")
        with open(msg, "wb") as f:
            f.write(message)
        cmd = [
            "gpg",
            "--batch",
            "--yes",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "-o",
            out,
        ]
        cmd += ["--faked-system-time", at or SIGN_TIME]
        for u in signers or ():
            cmd += ["-u", gpg_fingerprint(u) + "!"]
        cmd += list(extra)
        cmd += ["--armor"] if armor else []
        cmd += ["--detach-sign" if detached else "--sign", msg]
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        with open(out, "rb") as f:
            signature = f.read()
    cache[cache_key] = b64(signature)
    return signature


def _crc24(data):
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def pgp_armor(data, label="PGP SIGNATURE"):
    body = base64.b64encode(data).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    crc = base64.b64encode(_crc24(data).to_bytes(3, "big")).decode()
    return (
        "-----BEGIN %s-----\n\n%s\n=%s\n-----END %s-----\n" % (label, "\n".join(lines), crc, label)
    ).encode()


def pgp_dearmor(text):
    lines = text.decode().strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "")
    body = [
        line
        for line in lines[start + 1 :]
        if not line.startswith("-----") and not line.startswith("=")
    ]
    return base64.b64decode("".join(body))


def pgp_packet(tag, body):
    """A new-format packet with a definite length."""
    n = len(body)
    if n < 192:
        head = bytes([n])
    elif n < 8384:
        head = bytes([((n - 192) >> 8) + 192, (n - 192) & 0xFF])
    else:
        head = b"\xff" + n.to_bytes(4, "big")
    return bytes([0xC0 | tag]) + head + body


def pgp_packets(data):
    """(tag, body) of each packet of a binary OpenPGP stream (new and old formats)."""
    out, i = [], 0
    while i < len(data):
        first = data[i]
        i += 1
        if first & 0x40:
            tag, l1 = first & 0x3F, data[i]
            if l1 < 192:
                n, i = l1, i + 1
            elif l1 < 224:
                n, i = ((l1 - 192) << 8) + data[i + 1] + 192, i + 2
            else:
                assert l1 == 255, "partial lengths are not needed here"
                n, i = int.from_bytes(data[i + 1 : i + 5], "big"), i + 5
        else:
            tag, lt = (first >> 2) & 0xF, first & 3
            if lt == 3:
                n = len(data) - i
            else:
                size = [1, 2, 4][lt]
                n, i = int.from_bytes(data[i : i + size], "big"), i + size
        out.append((tag, data[i : i + n]))
        i += n
    return out


def _mpi(data, i):
    bits = int.from_bytes(data[i : i + 2], "big")
    size = (bits + 7) // 8
    return int.from_bytes(data[i + 2 : i + 2 + size], "big"), i + 2 + size


def _mpi_bytes(n):
    raw = n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
    return n.bit_length().to_bytes(2, "big") + raw


def pgp_secret_keys(user):
    """The unprotected secret keys (primary first, then subkeys) of `pgp-USER.sec.asc`:
    dicts with algo, created, fingerprint, key_id and the `cryptography` private key."""
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    keys = []
    for tag, body in pgp_packets(pgp_dearmor(open(key_path("pgp-%s.sec.asc" % user), "rb").read())):
        if tag not in (5, 7):
            continue
        assert body[0] == 4
        algo, i = body[5], 6
        if algo == 1:
            n, i = _mpi(body, i)
            e, i = _mpi(body, i)
        elif algo == 22:
            i = i + 1 + body[i]
            _, i = _mpi(body, i)
        else:
            raise ValueError("unsupported algorithm %d" % algo)
        public = body[:i]
        assert body[i] == 0, "the test keys are not protected"
        i += 1
        if algo == 1:
            d, i = _mpi(body, i)
            p, i = _mpi(body, i)
            q, i = _mpi(body, i)
            private = rsa.RSAPrivateNumbers(
                p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n)
            ).private_key()
        else:
            seed, i = _mpi(body, i)
            private = ed25519.Ed25519PrivateKey.from_private_bytes(seed.to_bytes(32, "big"))
        fingerprint = hashlib.sha1(b"\x99" + len(public).to_bytes(2, "big") + public).digest()
        keys.append(
            {
                "algo": algo,
                "created": int.from_bytes(body[1:5], "big"),
                "fingerprint": fingerprint,
                "key_id": fingerprint[-8:],
                "private": private,
                "public": public,
            }
        )
    return keys


def _subpacket(typ, body, critical=False):
    data = bytes([typ | (0x80 if critical else 0)]) + body
    assert len(data) < 192
    return bytes([len(data)]) + data


def _pgp_cached(function):
    """Caches a signature made here (deterministic, but a signature all the same): `--check`
    must not sign, so it reads these from the cache like openssl's and GnuPG's."""

    def cached(*args, **kwargs):
        cache = _load_cache()
        call = repr((function.__name__, args, sorted(kwargs.items())))
        cache_key = "py:%s:%s" % (function.__name__, hashlib.sha256(call.encode()).hexdigest())
        if cache_key in cache:
            kind, data = cache[cache_key].split(":", 1)
            raw = base64.b64decode(data)
            return raw.decode("utf-8") if kind == "str" else raw
        _missing(cache_key)
        value = function(*args, **kwargs)
        if isinstance(value, str):
            cache[cache_key] = "str:" + b64(value.encode("utf-8"))
        else:
            cache[cache_key] = "bytes:" + b64(value)
        return value

    cached.__name__ = function.__name__
    cached.__doc__ = function.__doc__
    return cached


@_pgp_cached
def pgp_key_without_flags(user, uid=b"vouch test without key flags <noflags@vouch.invalid>"):
    """The primary key of `pgp-USER` with one user ID whose self-signature (made here, at the
    key's creation) has no key flags subpacket, armored: its usage comes from its algorithm."""
    k = pgp_secret_keys(user)[0]
    pub = k["public"]
    hashed = _subpacket(33, b"\x04" + k["fingerprint"]) + _subpacket(
        2, k["created"].to_bytes(4, "big")
    )
    head = bytes([4, 0x13, k["algo"], 8]) + len(hashed).to_bytes(2, "big") + hashed
    signed = (
        b"\x99"
        + len(pub).to_bytes(2, "big")
        + pub
        + b"\xb4"
        + len(uid).to_bytes(4, "big")
        + uid
        + head
        + b"\x04\xff"
        + len(head).to_bytes(4, "big")
    )
    digest = hashlib.sha256(signed).digest()
    assert k["algo"] == 22
    raw = k["private"].sign(digest)
    mpis = _mpi_bytes(int.from_bytes(raw[:32], "big")) + _mpi_bytes(int.from_bytes(raw[32:], "big"))
    unhashed = _subpacket(16, k["key_id"])
    sig = head + len(unhashed).to_bytes(2, "big") + unhashed + digest[:2] + mpis
    return pgp_armor(
        pgp_packet(6, pub) + pgp_packet(13, uid) + pgp_packet(2, sig), label="PGP PUBLIC KEY BLOCK"
    ).decode()


@_pgp_cached
def pgp_sign(user, message, created, version=4, key=0, sigtype=0, extra=(), armor=True):
    """A detached OpenPGP signature made here, for packets GnuPG does not make: version 3
    signatures, signatures dated before their key, unknown critical subpackets (`extra`:
    (type, body, critical) hashed subpackets), signatures by keys GnuPG will not sign with.
    SHA-256; Ed25519 and RSA signatures are deterministic, so these are reproducible."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    k = pgp_secret_keys(user)[key]
    when = created.to_bytes(4, "big")
    if version == 3:
        hashed_tail = bytes([sigtype]) + when
    else:
        hashed = _subpacket(33, b"\x04" + k["fingerprint"]) + _subpacket(2, when)
        hashed += b"".join(_subpacket(t, b, c) for t, b, c in extra)
        head = bytes([4, sigtype, k["algo"], 8]) + len(hashed).to_bytes(2, "big") + hashed
        hashed_tail = head + b"\x04\xff" + len(head).to_bytes(4, "big")
    digest = hashlib.sha256(message + hashed_tail).digest()
    if k["algo"] == 22:
        raw = k["private"].sign(digest)
        mpis = _mpi_bytes(int.from_bytes(raw[:32], "big")) + _mpi_bytes(
            int.from_bytes(raw[32:], "big")
        )
    else:
        raw = k["private"].sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        mpis = _mpi_bytes(int.from_bytes(raw, "big"))
    if version == 3:
        body = (
            bytes([3, 5, sigtype]) + when + k["key_id"] + bytes([k["algo"], 8]) + digest[:2] + mpis
        )
    else:
        unhashed = _subpacket(16, k["key_id"])
        body = head + len(unhashed).to_bytes(2, "big") + unhashed + digest[:2] + mpis
    packet = pgp_packet(2, body)
    return pgp_armor(packet) if armor else packet


def gpg_fingerprint(user):
    out = subprocess.run(
        [
            "gpg",
            "--with-colons",
            "--import-options",
            "show-only",
            "--import",
            key_path("pgp-%s.pub.asc" % user),
        ],
        check=True,
        capture_output=True,
        env=dict(os.environ, GNUPGHOME=tempfile.mkdtemp()),
    ).stdout.decode()
    return next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:"))


def openssl_verify(key, message, signature):
    """True if `openssl` accepts the signature (used to check derived signatures)."""
    with tempfile.TemporaryDirectory() as tmp:
        msg = os.path.join(tmp, "msg")
        sig = os.path.join(tmp, "sig")
        with open(msg, "wb") as f:
            f.write(message)
        with open(sig, "wb") as f:
            f.write(signature)
        cmd = [
            "openssl",
            "dgst",
            "-sha256",
            "-verify",
            key_path(key + ".pub.pem"),
            "-signature",
            sig,
            msg,
        ]
        return subprocess.run(cmd, capture_output=True).returncode == 0


def _der_int(n):
    body = n.to_bytes((n.bit_length() + 8) // 8, "big")
    return b"\x02" + bytes([len(body)]) + body


def _parse_der_sig(sig):
    assert sig[0] == 0x30
    i = 2
    assert sig[i] == 2
    rlen = sig[i + 1]
    r = int.from_bytes(sig[i + 2 : i + 2 + rlen], "big")
    i = i + 2 + rlen
    assert sig[i] == 2
    slen = sig[i + 1]
    s = int.from_bytes(sig[i + 2 : i + 2 + slen], "big")
    return r, s


def der_sig(r, s):
    body = _der_int(r) + _der_int(s)
    return b"\x30" + bytes([len(body)]) + body


def high_s(key, message):
    """A valid P-256 signature whose s is in the upper half (s' = n - s)."""
    r, s = _parse_der_sig(sign(key, message))
    if s <= P256_N // 2:
        s = P256_N - s
    sig = der_sig(r, s)
    assert openssl_verify(key, message, sig), "high-S signature must verify with openssl"
    return sig


def p1363(signature):
    """The same ECDSA signature as raw r||s (IEEE P1363), which vouch must reject."""
    r, s = _parse_der_sig(signature)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def occurrence(name, note, resource_uri, payload, signatures, **extra):
    occ = {
        "name": name,
        "resourceUri": resource_uri,
        "noteName": note,
        "kind": "ATTESTATION",
        "attestation": {
            "serializedPayload": b64(payload) if isinstance(payload, bytes) else payload,
            "signatures": [
                {"publicKeyId": key_id, "signature": b64(sig) if isinstance(sig, bytes) else sig}
                for key_id, sig in signatures
            ],
        },
        "createTime": "2026-11-01T12:00:00.000000Z",
        "updateTime": "2026-11-01T12:00:00.000000Z",
    }
    occ.update(extra)
    return occ


def pkix_attestor(name, note, keys, description=None):
    """keys: list of (key_name_or_pem, algorithm, explicit_id or None)."""
    public_keys = []
    for key, algorithm, key_id in keys:
        pem = key if key.startswith("-----") else public_pem(key)
        entry = {"pkixPublicKey": {"publicKeyPem": pem, "signatureAlgorithm": algorithm}}
        if key_id is not None:
            entry["id"] = key_id
        public_keys.append(entry)
    doc = {"name": name, "userOwnedGrafeasNote": {"noteReference": note, "publicKeys": public_keys}}
    if description:
        doc["description"] = description
    doc["updateTime"] = "2026-10-01T00:00:00.000000Z"
    return doc

"""The attestor's side: signature payloads, signing keys, attestation occurrences, attestors.

Every function calls one function of the core with the GIL released; the payload bytes, the
signatures, the occurrence and the attestor resource are the core's, exactly as the command
line's ``vouch payload``, ``vouch sign``, ``vouch keygen`` and ``vouch attestor`` make them.
Errors raise the ``VouchError`` subclass of their subject (docs/python.md): ``RequestError``
for the image (``REQUEST_*``), ``AttestorError`` for names, notes, key ids and public keys
(``ATTESTOR_*``), and ``VouchError`` itself for a private key that cannot be read
(``INPUT_INVALID_PRIVATE_KEY``, subject ``key``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Literal, NoReturn, Optional

from . import _vouch
from ._errors import native_error

class SigningKey:
    """A private key that signs attestations. Immutable.

    Get one from ``generate_key`` or ``SigningKey.from_pem``. Its ``repr`` shows only the
    algorithm and the key id; the private key leaves only through ``private_key_pem()``. It
    does not pickle (save ``private_key_pem()`` deliberately instead).
    """

    __slots__ = ("_native",)
    _native: _vouch.SigningKey

    def __init__(self) -> None:
        raise TypeError("use vouch.generate_key() or vouch.SigningKey.from_pem()")

    @classmethod
    def _wrap(cls, native: _vouch.SigningKey) -> SigningKey:
        self = object.__new__(cls)
        self._native = native
        return self

    @classmethod
    def from_pem(cls, text: str) -> SigningKey:
        """Loads a PEM private key: PKCS#8 (``PRIVATE KEY``: P-256, P-384, Ed25519, RSA), SEC1
        (``EC PRIVATE KEY``: P-256, P-384, as ``openssl ecparam -genkey`` writes) or PKCS#1
        (``RSA PRIVATE KEY``). Encrypted keys are refused. RSA keys sign with RSA-PSS/SHA-256.

        Raises ``VouchError`` with code ``INPUT_INVALID_PRIVATE_KEY``; the error never
        contains the key text.
        """
        if not isinstance(text, str):
            raise TypeError(f"the key must be PEM text (str), not {type(text).__name__}")
        try:
            native = _vouch.load_signing_key(text)
        except _vouch.NativeError as e:
            raise native_error(e.args) from None
        return cls._wrap(native)

    @property
    def algorithm(self) -> str:
        """The ``signatureAlgorithm`` it signs with, e.g. ``ECDSA_P256_SHA256`` or ``ED25519``."""
        return self._native.algorithm

    @property
    def public_key_pem(self) -> str:
        """The public key as PEM (SubjectPublicKeyInfo), as attestors hold it."""
        return self._native.public_key_pem

    @property
    def key_id(self) -> str:
        """The default key id of the public key, ``ni:///sha-256;…`` (what GCP derives)."""
        return self._native.key_id

    def private_key_pem(self) -> str:
        """The private key as PKCS#8 PEM (what ``vouch keygen`` writes). Handle with care:
        write it to a file only you can read, or to a secret store; never log it."""
        return self._native.private_key_pem()

    def __repr__(self) -> str:
        return f"<vouch.SigningKey {self.algorithm} {self.key_id}>"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a SigningKey does not pickle; save private_key_pem() deliberately instead")


def generate_key(
    algorithm: Literal["p256", "p384", "rsa-pss-2048", "rsa-pss-3072", "rsa-pss-4096", "ed25519"] = "p256",
) -> SigningKey:
    """Generates a key from 32 bytes of the operating system's randomness, as ``vouch keygen``.

    ``algorithm``, as ``vouch keygen --algorithm``: ``p256`` (``ECDSA_P256_SHA256``, the
    default), ``p384``, ``rsa-pss-2048``, ``rsa-pss-3072``, ``rsa-pss-4096`` or ``ed25519`` (a
    vouch extension that Binary Authorization does not accept). Anything else raises
    ``ValueError``.
    """
    if not isinstance(algorithm, str):
        raise TypeError(f"algorithm must be a str, not {type(algorithm).__name__}")
    try:
        return SigningKey._wrap(_vouch.generate_key(algorithm))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


def create_signature_payload(image: str) -> bytes:
    """The simple-signing payload for an image, byte for byte as
    ``gcloud container binauthz create-signature-payload --artifact-url=IMAGE`` writes it.

    The image needs a sha256 digest (``REPO[:TAG]@sha256:…``; a leading ``https://`` is
    ignored). Raises ``RequestError`` (``REQUEST_NOT_DIGEST_PINNED``,
    ``REQUEST_INVALID_IMAGE``; path ``/image``).
    """
    try:
        return _vouch.create_signature_payload(image)
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


def sign(
    image: str,
    key: SigningKey,
    *,
    attestor: Optional[str] = None,
    note: Optional[str] = None,
    key_id: Optional[str] = None,
    pae: bool = False,
) -> Dict[str, Any]:
    """Signs an image's payload and returns the attestation occurrence, as ``vouch sign``.

    The occurrence (``resourceUri``, ``noteName``, ``kind``, ``attestation``) is what
    ``vouch evaluate`` and ``Evaluator.evaluate`` read and what the Container Analysis API
    accepts; ``json.dumps(occurrence, indent=2)`` is ``vouch sign``'s output, byte for byte.

    ``note`` is the attestor's note (``projects/P/notes/N``); without it, the note named like
    ``attestor`` (``projects/P/attestors/N``), as ``vouch sign --attestor`` does. ``key_id``
    defaults to ``key.key_id`` and must match the attestor's id for the key (e.g. a Cloud KMS
    key version URI). ``pae=True`` signs the DSSE PAE encoding of the payload (gcloud's
    ``--pae-encode-payload``). Raises ``RequestError`` for the image, ``AttestorError`` for
    the attestor name, the note or the key id.
    """
    if not isinstance(key, SigningKey):
        raise TypeError(f"key must be a vouch.SigningKey, not {type(key).__name__}")
    try:
        if note is None:
            if attestor is None:
                raise TypeError(
                    "sign() needs attestor= (projects/P/attestors/A) or note= (projects/P/notes/N)"
                )
            note = _vouch.default_note(attestor)
        occurrence = _vouch.sign(image, note, key._native, key_id, pae)
    except _vouch.NativeError as e:
        raise native_error(e.args) from None
    result: Dict[str, Any] = json.loads(occurrence)
    return result


def attestor_resource(
    name: str,
    note: str,
    public_key_pem: str,
    algorithm: str,
    *,
    key_id: Optional[str] = None,
    description: Optional[str] = None,
) -> Dict[str, Any]:
    """The attestor resource for one public key, as ``vouch attestor`` prints it (and
    ``gcloud container binauthz attestors describe`` shows it); ``Attestor.from_dict`` loads it.

    ``algorithm`` is a ``signatureAlgorithm`` (``ECDSA_P256_SHA256``, ``ED25519``, …, or a
    ``SigningKey``'s ``algorithm``); an unknown name raises ``ValueError``. Without
    ``key_id`` the key gets its default ``ni:///sha-256;…`` id, written out. The resource is
    checked by loading it: raises ``AttestorError`` (e.g. ``ATTESTOR_ALGORITHM_MISMATCH``,
    ``ATTESTOR_INVALID_KEY``), with paths into the resource.
    """
    try:
        resource = _vouch.attestor_resource(name, note, public_key_pem, algorithm, key_id, description)
    except _vouch.NativeError as e:
        raise native_error(e.args) from None
    result: Dict[str, Any] = json.loads(resource)
    return result

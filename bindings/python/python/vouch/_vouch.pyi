# The private native module (Rust, pyo3). Use the public API in `vouch` instead.
from typing import Callable, Dict, List, Optional, Tuple, Union, final

__all__ = [
    "Attestor",
    "CloudRunPolicy",
    "Decided",
    "ECDSA_BACKEND",
    "Evaluator",
    "Evidence",
    "NativeError",
    "PlatformPolicy",
    "Policy",
    "SigningKey",
    "SystemPolicy",
    "VERSION",
    "attestor_resource",
    "continuous_validation",
    "ReplayFile",
    "Replayer",
    "ReplaySummary",
    "replay",
    "replay_dedupe_key",
    "opens_json_lines",
    "MAX_ENTRY_BYTES",
    "create_signature_payload",
    "default_note",
    "evaluate_bundle",
    "evaluate_platform",
    "generate_key",
    "inspect_evidence",
    "lint",
    "load_attestor",
    "load_attestors",
    "load_evidence",
    "load_cloud_run_policy",
    "load_platform_policy",
    "load_policy",
    "load_signing_key",
    "load_system_policy",
    "sign",
    "validate_policy",
]

VERSION: str
ECDSA_BACKEND: str

class NativeError(Exception):
    """A vouch configuration error: args are (code, path, message, error JSON, subject)."""

    args: Tuple[str, str, str, str, str]

@final
class Policy: ...

@final
class SystemPolicy: ...

@final
class Attestor:
    @property
    def name(self) -> str: ...
    @property
    def note_reference(self) -> str: ...
    @property
    def key_ids(self) -> List[str]: ...

@final
class Evaluator:
    def __new__(
        cls,
        policy: Policy,
        attestors: List[Attestor],
        system_policy: Optional[SystemPolicy] = None,
        cloud_run_policies: List[CloudRunPolicy] = ...,
    ) -> Evaluator: ...
    def evaluate(
        self,
        request: Dict[str, object],
        encode: Callable[[Dict[str, object]], str],
        attestations: Union[Evidence, str, None],
        seconds: int,
        nanos: int,
        strict_identity: bool,
        max_attestation_age: Optional[str] = None,
        trust_occurrence_time: bool = False,
        cluster_config: Optional[str] = None,
        use_resolved_digest: bool = False,
    ) -> Decided: ...

@final
class Decided:
    def to_json(self) -> str: ...
    @property
    def allowed(self) -> bool: ...
    @property
    def verdict(self) -> str: ...

@final
class Evidence:
    def __len__(self) -> int: ...

def load_policy(text: str) -> Policy: ...
def load_attestor(text: str) -> Attestor: ...
def load_attestors(text: str) -> List[Attestor]: ...
def load_system_policy(text: str) -> SystemPolicy: ...
def load_evidence(text: str) -> Evidence: ...
def evaluate_bundle(text: str) -> Tuple[str, bool, str]: ...

@final
class SigningKey:
    @property
    def algorithm(self) -> str: ...
    @property
    def public_key_pem(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    def private_key_pem(self) -> str: ...

def generate_key(algorithm: str) -> SigningKey: ...
def load_signing_key(text: str) -> SigningKey: ...
def create_signature_payload(image: str) -> bytes: ...
def default_note(attestor: str) -> str: ...
def sign(image: str, note: str, key: SigningKey, key_id: Optional[str], pae: bool) -> str: ...
def attestor_resource(
    name: str,
    note: str,
    public_key_pem: str,
    algorithm: str,
    key_id: Optional[str],
    description: Optional[str],
) -> str: ...
def validate_policy(policy: str, attestors: Optional[str], platform: str) -> Tuple[str, List[str]]: ...
def lint(policy: Policy, attestors: List[Attestor], platform: str) -> str: ...

def inspect_evidence(text: str) -> str: ...

@final
class CloudRunPolicy:
    @property
    def name(self) -> str: ...
    def canonical_json(self) -> str: ...

@final
class PlatformPolicy:
    @property
    def name(self) -> Optional[str]: ...
    def canonical_json(self) -> str: ...
    def evaluate(
        self,
        request: str,
        attestations: Union[Evidence, str, None],
        trust: Optional[str],
        seconds: int,
        nanos: int,
        tag_digests: List[Tuple[str, str]],
    ) -> str: ...

def load_platform_policy(text: str) -> PlatformPolicy: ...
def load_cloud_run_policy(text: str) -> CloudRunPolicy: ...
def evaluate_platform(text: str) -> str: ...
def continuous_validation(text: str) -> str: ...

@final
class Replayer:
    def __new__(cls, config: str) -> Replayer: ...
    def replay_lines(self, source: str, first_entry: int, lines: List[Union[str, bytes]]) -> List[Tuple[str, str]]: ...
    def replay_file(self, path: str, source: str) -> ReplayFile: ...
    def replay_document(self, source: str, text: str) -> List[Tuple[str, str]]: ...

@final
class ReplayFile:
    def __iter__(self) -> ReplayFile: ...
    def __next__(self) -> List[Tuple[str, str]]: ...

@final
class ReplaySummary:
    def __new__(cls) -> ReplaySummary: ...
    def add(self, kind: str, payload: str, check_duplicates: bool = True) -> bool: ...
    def add_duplicate(self) -> None: ...
    def merge(self, other: ReplaySummary) -> None: ...
    def to_json(self) -> str: ...
    def state(self) -> str: ...
    @staticmethod
    def from_state(state: str) -> ReplaySummary: ...

def replay(text: str) -> str: ...
def replay_dedupe_key(record_json: str) -> Optional[str]: ...
def opens_json_lines(first_line: bytes) -> bool: ...

MAX_ENTRY_BYTES: int

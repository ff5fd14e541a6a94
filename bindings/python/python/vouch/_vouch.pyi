# The private native module (Rust, pyo3). Use the public API in `vouch` instead.
from typing import List, Optional, Tuple, final

__all__ = [
    "Attestor",
    "Evaluator",
    "NativeError",
    "Policy",
    "SystemPolicy",
    "VERSION",
    "evaluate_bundle",
    "load_attestor",
    "load_attestors",
    "load_policy",
    "load_system_policy",
]

VERSION: str

class NativeError(Exception):
    """A vouch configuration error: args are (code, path, message, error JSON)."""

    args: Tuple[str, str, str, str]

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
        cls, policy: Policy, attestors: List[Attestor], system_policy: Optional[SystemPolicy] = None
    ) -> Evaluator: ...
    def evaluate(
        self,
        request: str,
        attestations: Optional[str],
        seconds: int,
        nanos: int,
        strict_identity: bool,
    ) -> Tuple[str, bool, str]: ...

def load_policy(text: str) -> Policy: ...
def load_attestor(text: str) -> Attestor: ...
def load_attestors(text: str) -> List[Attestor]: ...
def load_system_policy(text: str) -> SystemPolicy: ...
def evaluate_bundle(text: str) -> Tuple[str, bool, str]: ...

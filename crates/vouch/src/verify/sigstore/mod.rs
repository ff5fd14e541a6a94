//! Sigstore transparency-log checks: the Rekor signed entry timestamp (SET) over its RFC 8785
//! canonical payload, and the binding of the entry body to the signature it witnesses. Only a
//! SET that verifies with a trusted Rekor key, over a body that records this very signature,
//! key and content, makes `integratedTime` a witnessed time (protobuf-specs: the integration
//! time "MUST NOT be trusted if inclusion_promise is omitted").

pub(crate) mod body;
pub(crate) mod jcs;
pub(crate) mod set;

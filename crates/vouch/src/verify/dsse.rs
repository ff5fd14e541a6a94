//! DSSE: the pre-authentication encoding (PAE) cosign signs simple-signing payloads with.

/// The DSSE type used for PAE-encoded simple-signing payloads.
pub const PAE_PAYLOAD_TYPE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// The DSSE pre-authentication encoding of a simple-signing payload, the bytes cosign signs:
/// `PAE(type, payload)` = `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`, with
/// `type` = [`PAE_PAYLOAD_TYPE`].
pub fn pae(payload: &[u8]) -> Vec<u8> {
    let header = format!(
        "DSSEv1 {} {} {} ",
        PAE_PAYLOAD_TYPE.len(),
        PAE_PAYLOAD_TYPE,
        payload.len()
    );
    let mut out = Vec::with_capacity(header.len() + payload.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(payload);
    out
}

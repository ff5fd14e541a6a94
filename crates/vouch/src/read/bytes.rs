//! Bytes fields: base64 as protobuf's JSON mapping reads and GCP writes it.

use base64::Engine as _;

/// Decodes base64 as protobuf's JSON mapping does: standard or URL-safe alphabet, padded or
/// not. Whitespace and mixed alphabets are rejected.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    let url = text.contains(['-', '_']);
    if url && text.contains(['+', '/']) {
        return None;
    }
    let engine = if url { &URL_SAFE } else { &STANDARD };
    engine.decode(text.as_bytes()).ok()
}

/// Standard padded base64, as GCP writes `bytes` fields.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

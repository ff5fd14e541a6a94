//! Signature packets: dearmoring, and flattening compressed and one-pass-signed messages into
//! packets under the decompression budget.

use std::io::Read as _;

use pgp::packet::Decompressor;
use pgp::types::CompressionAlgorithm;

use super::{MAX_COMPRESSION_DEPTH, brief};

/// The binary packets of an armored (any label) or binary signature.
pub(super) fn dearmor(signature: &[u8]) -> Result<Vec<u8>, String> {
    let Some(text) = std::str::from_utf8(signature)
        .ok()
        .map(str::trim_start)
        .filter(|t| t.starts_with("-----BEGIN PGP"))
    else {
        return Ok(signature.to_vec());
    };
    if text.starts_with("-----BEGIN PGP SIGNED MESSAGE-----") {
        return Err("cleartext-signed messages are not supported; sign with `gpg --sign`".into());
    }
    let normalized = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    pgp::armor::Dearmor::new(normalized.as_bytes())
        .read_to_end(&mut out)
        .map_err(|e| format!("not an OpenPGP signature: {}", brief(&e)))?;
    Ok(out)
}

/// One packet, its body de-chunked.
pub(super) struct RawPacket {
    pub(super) tag: u8,
    pub(super) body: Vec<u8>,
}

impl RawPacket {
    /// Writes the packet with a new-format header and a definite length.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        out.push(0xc0 | (self.tag & 0x3f));
        let len = self.body.len();
        if len < 192 {
            out.push(len as u8);
        } else if len < 8384 {
            let rest = len - 192;
            out.push(((rest >> 8) as u8).wrapping_add(192));
            out.push((rest & 0xff) as u8);
        } else {
            out.push(0xff);
            out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
        }
        out.extend_from_slice(&self.body);
    }
}

#[derive(Debug)]
pub(super) enum Unpack {
    Malformed(String),
    TooLarge,
}

/// Splits `input` into packets, replacing each compressed data packet by the packets it
/// inflates to. All inflation shares `budget` bytes: a decompressor never yields more than
/// what is left plus one byte, so a "zip bomb" costs at most the budget in memory and time.
pub(super) fn flatten(
    input: &[u8],
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<RawPacket>,
) -> Result<(), Unpack> {
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, body, after) = next_packet(rest).map_err(Unpack::Malformed)?;
        rest = after;
        if tag != 8 {
            out.push(RawPacket { tag, body });
            continue;
        }
        if depth >= MAX_COMPRESSION_DEPTH {
            return Err(Unpack::Malformed(format!(
                "compressed data nested deeper than {MAX_COMPRESSION_DEPTH} levels"
            )));
        }
        let Some((&algorithm, compressed)) = body.split_first() else {
            return Err(Unpack::Malformed("empty compressed data packet".into()));
        };
        let algorithm = CompressionAlgorithm::from(algorithm);
        let decompressor = Decompressor::from_algorithm(algorithm, compressed).map_err(|e| {
            Unpack::Malformed(format!("cannot decompress the OpenPGP data: {}", brief(&e)))
        })?;
        let allowance = u64::try_from(*budget).unwrap_or(u64::MAX).saturating_add(1);
        let mut inflated = Vec::new();
        decompressor
            .take(allowance)
            .read_to_end(&mut inflated)
            .map_err(|e| {
                Unpack::Malformed(format!("cannot decompress the OpenPGP data: {}", brief(&e)))
            })?;
        if inflated.len() > *budget {
            return Err(Unpack::TooLarge);
        }
        *budget -= inflated.len();
        flatten(&inflated, depth + 1, budget, out)?;
    }
    Ok(())
}

type Split<'a> = (u8, Vec<u8>, &'a [u8]);

/// Reads one packet (RFC 9580 §4.2, old and new formats, partial lengths).
pub(super) fn next_packet(input: &[u8]) -> Result<Split<'_>, String> {
    let truncated = || "truncated OpenPGP packet".to_owned();
    let (&first, mut rest) = input.split_first().ok_or_else(truncated)?;
    if first & 0x80 == 0 {
        return Err("not an OpenPGP packet (bad header)".into());
    }
    let take = |rest: &mut &[u8], n: usize| -> Result<Vec<u8>, String> {
        if rest.len() < n {
            return Err(truncated());
        }
        let (head, tail) = rest.split_at(n);
        *rest = tail;
        Ok(head.to_vec())
    };
    let be = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    if first & 0x40 == 0 {
        let tag = (first >> 2) & 0x0f;
        let body = match first & 0x03 {
            0 => {
                let n = be(&take(&mut rest, 1)?);
                take(&mut rest, n)?
            }
            1 => {
                let n = be(&take(&mut rest, 2)?);
                take(&mut rest, n)?
            }
            2 => {
                let n = be(&take(&mut rest, 4)?);
                take(&mut rest, n)?
            }
            _ => {
                let all = rest.to_vec();
                rest = &[];
                all
            }
        };
        return Ok((tag, body, rest));
    }
    let tag = first & 0x3f;
    let mut body = Vec::new();
    loop {
        let l1 = usize::from(*take(&mut rest, 1)?.first().ok_or_else(truncated)?);
        match l1 {
            0..=191 => {
                body.extend(take(&mut rest, l1)?);
                break;
            }
            192..=223 => {
                let l2 = usize::from(*take(&mut rest, 1)?.first().ok_or_else(truncated)?);
                body.extend(take(&mut rest, ((l1 - 192) << 8) + l2 + 192)?);
                break;
            }
            255 => {
                let n = be(&take(&mut rest, 4)?);
                body.extend(take(&mut rest, n)?);
                break;
            }
            _ => {
                // A partial body length: 1 << (l1 & 0x1f) bytes, more chunks follow.
                body.extend(take(&mut rest, 1usize << (l1 & 0x1f))?);
            }
        }
    }
    Ok((tag, body, rest))
}

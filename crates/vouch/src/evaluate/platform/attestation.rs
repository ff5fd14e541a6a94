//! `simpleSigningAttestationCheck` (decision P-7): `ATTESTATION` occurrences verified with the
//! attestor machinery of `evidence/check.rs` (key selection by `publicKeyId`, raw then PAE,
//! digest binding, DER-only ECDSA, the verification budget), with the authenticators' keys.

use super::{ImageContext, Outcome, Subject, check_budget, listed, require_digest};
use crate::decision::DetailCode;
use crate::decision::platform::{PlatformDetailCode as Code, PlatformVerdict as V};
use crate::evidence::{CheckedImage, Signer, Verifications, check_signed};
use crate::policy::platform::Authenticator;

/// `simpleSigningAttestationCheck` (decision P-7): `ATTESTATION` occurrences for the digest
/// from the listed projects, whatever their note; passes iff one signature verifies with a key
/// of an authenticator (the signature's `publicKeyId` selects the key), over the raw payload
/// or its PAE form, and the payload names the digest; ECDSA DER only.
pub(super) fn check(
    authenticators: &[Authenticator],
    projects: &[String],
    subject: &Subject<'_>,
    ctx: &ImageContext<'_>,
    image_left: &mut usize,
) -> Outcome {
    let digest = match require_digest(subject) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let allowed = check_budget(ctx, *image_left);
    let mut verifications = Verifications::new(
        None,
        ctx.limits.max_verification_units_per_attestor_image,
        allowed,
    );
    let image = CheckedImage {
        digest,
        repository: "",
        strict_identity: false,
        now: ctx.now,
        freshness: None,
    };
    let mut rejected: Vec<String> = Vec::new();
    let mut outside = 0usize;
    let mut out_of_budget = None;
    let mut verified = None;
    'occurrences: for occ in ctx.evidence.attestations_for_digest(digest) {
        if !listed(projects, occ.label()) {
            outside += 1;
            continue;
        }
        let mut reasons: Vec<String> = Vec::new();
        let mut unknown_key = false;
        for authenticator in authenticators {
            let signer = Signer {
                kind: "authenticator",
                name: &authenticator.display_name,
                keys: &authenticator.keys,
            };
            match check_signed(signer, occ, image, &mut verifications) {
                Ok((key_id, form, _)) => {
                    verified = Some(format!(
                        "occurrence {} verified with key `{key_id}` of authenticator \"{}\" ({} signature)",
                        occ.label(),
                        authenticator.display_name,
                        form.as_str()
                    ));
                    break 'occurrences;
                }
                Err(details) => {
                    for d in details {
                        match d.code {
                            DetailCode::UnknownKeyId => unknown_key = true,
                            DetailCode::NotTriedBudget => {
                                out_of_budget =
                                    Some(format!("occurrence {}: {}", occ.label(), d.message));
                                break 'occurrences;
                            }
                            code => {
                                let line = format!(
                                    "occurrence {}: {}: {}",
                                    occ.label(),
                                    code.as_str(),
                                    d.message
                                );
                                if !reasons.contains(&line) {
                                    reasons.push(line);
                                }
                            }
                        }
                    }
                }
            }
        }
        if reasons.is_empty() && unknown_key {
            reasons.push(format!(
                "occurrence {}: UNKNOWN_KEY_ID: no authenticator has a key with the id its signatures name",
                occ.label()
            ));
        }
        rejected.extend(reasons);
    }
    *image_left = image_left.saturating_sub(allowed.saturating_sub(verifications.remaining()));
    let mut outcome = match verified {
        Some(message) => {
            return Outcome::new(V::Conformant, "Image has a verified attestation")
                .with(Code::AttestationVerified, message);
        }
        None => Outcome::new(
            V::NonConformant,
            "Image has no attestation verified by an authenticator of the check",
        )
        .with(
            Code::NoVerifiedAttestation,
            format!(
                "no ATTESTATION occurrence for `{digest}` in projects {} verifies with an authenticator's key",
                projects.join(", ")
            ),
        ),
    };
    if let Some(message) = out_of_budget {
        outcome.detail(Code::NotTriedBudget, message);
    }
    for line in rejected {
        outcome.detail(Code::AttestationRejected, line);
    }
    if outside > 0 {
        outcome.detail(
            Code::OutsideProjects,
            format!("{outside} attestation occurrences for the image lie outside the listed projects and were not counted"),
        );
    }
    outcome
}

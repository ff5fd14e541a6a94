//! `sigstoreSignatureCheck` (decision P-8): cosign signatures and sigstore bundles verified as
//! the evidence report verifies them, with the sigstore authorities' keys only.

use std::cell::Cell;

use super::{ImageContext, Outcome, Subject, check_budget, rejection, require_digest};
use crate::decision::platform::{PlatformDetailCode as Code, PlatformVerdict as V};
use crate::evidence::kinds::{Body, COSIGN_SIGNATURE, SIGSTORE_BUNDLE};
use crate::evidence::report::{ItemStatus, ReportContext};
use crate::evidence::sigstore::SigstoreCode;
use crate::policy::platform::SigstoreAuthority;
use crate::verify::trust::{KeySource, TrustMaterial, TrustedKey, hex};

/// `sigstoreSignatureCheck` (decision P-8): cosign signatures and sigstore bundles for the
/// digest, verified as the evidence report verifies them, but with the authorities' keys
/// only (never the caller's keys or Cloud Build's); every key is tried (they have no names).
pub(super) fn check(
    authorities: &[SigstoreAuthority],
    subject: &Subject<'_>,
    ctx: &ImageContext<'_>,
    image_left: &mut usize,
) -> Outcome {
    let digest = match require_digest(subject) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let keys: Vec<TrustedKey> = authorities
        .iter()
        .flat_map(|a| a.keys.iter())
        .map(|k| TrustedKey {
            id: None,
            source: KeySource::Caller,
            ..k.clone()
        })
        .collect();
    let trust = TrustMaterial {
        keys,
        rekor_keys: ctx.trust.rekor_keys.clone(),
        cloud_build_keys: false,
    };
    let allowed = check_budget(ctx, *image_left);
    let budget = Cell::new(allowed);
    let report_ctx = ReportContext {
        digest,
        trust: &trust,
        now: ctx.now,
        limits: ctx.limits,
        budget: &budget,
    };
    let mut rejected = Vec::new();
    let mut out_of_budget = None;
    let mut verified = None;
    for item in ctx.evidence.items_for_digest(digest) {
        let relevant = match &item.body {
            Body::Cosign(_) | Body::SigstoreBundle(_) => true,
            Body::Malformed { kind, .. } => *kind == COSIGN_SIGNATURE || *kind == SIGSTORE_BUNDLE,
            _ => false,
        };
        if !relevant {
            continue;
        }
        let report = item.report(&report_ctx);
        if report.status == ItemStatus::Verified {
            let key = report.key_id.clone().unwrap_or_default();
            let authority = authorities
                .iter()
                .find(|a| {
                    a.keys
                        .iter()
                        .any(|k| format!("sha256:{}", hex(k.verifying_key().fingerprint())) == key)
                })
                .map_or("", |a| a.display_name.as_str());
            verified = Some(format!(
                "{} {} verified with key `{key}` of authority \"{authority}\"",
                report.kind, item.label
            ));
            break;
        }
        if report.code == SigstoreCode::NotTriedBudget.as_str() {
            // The budget is spent: this item and every later one are not checked.
            out_of_budget = Some(format!(
                "{} {} and every later item were not checked: the check's verification budget is spent",
                report.kind, item.label
            ));
            break;
        }
        rejected.push(rejection(&item.label, &report));
    }
    *image_left = image_left.saturating_sub(allowed.saturating_sub(budget.get()));
    if let Some(message) = verified {
        return Outcome::new(V::Conformant, "Image has a verified sigstore signature")
            .with(Code::SigstoreSignatureVerified, message);
    }
    let mut outcome = Outcome::new(
        V::NonConformant,
        "Image has no signature verified by a sigstore authority of the check",
    )
    .with(
        Code::NoVerifiedSigstoreSignature,
        format!(
            "no cosign signature or sigstore bundle for `{digest}` verifies with an authority's key"
        ),
    );
    if let Some(line) = out_of_budget {
        outcome.detail(Code::NotTriedBudget, line);
    }
    for line in rejected {
        outcome.detail(Code::SigstoreSignatureRejected, line);
    }
    outcome
}

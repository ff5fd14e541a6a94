//! Evaluating a GKE platform policy (decisions P-3 … P-9): the policy-level allowlist, the
//! first check set whose scope matches, its allowlist, then every check (no short circuit),
//! folded NON_CONFORMANT > ERROR > CONFORMANT for the image, the Pod and the response.
//!
//! Each check reads the evidence vouch already indexes by digest: `ATTESTATION` occurrences
//! (simple signing), cosign signatures and sigstore bundles, `BUILD` provenance, `VULNERABILITY`
//! findings with `DISCOVERY` scans, and image records (upload times). Evaluation never fails.
//!
//! # For continuous validation (memoization)
//!
//! An image's result depends only on (the check set, the image string, the evidence, the
//! trust material, `now`, the options), never on the other images of the Pod: each image has
//! its own verification budget. So a caller evaluating many Pods can cache by
//! (check-set index, image string):
//!
//! ```text
//! let set = policy.select_check_set(namespace, service_account); // Option<usize>
//! let memo = CheckMemo::default(); // one per request or CV run
//! let ctx = ImageContext { evidence, trust, now, options, limits, memo: &memo };
//! let result = policy.evaluate_image(set, &request_image, &ctx);  // PlatformImageResult
//! ```
//!
//! * [`PlatformPolicy::select_check_set`]`(&self, namespace: &str, service_account: &str) ->
//!   Option<usize>`: the first set whose scope matches (`None` only when the policy has no
//!   check sets).
//! * [`PlatformPolicy::default_check_set`]`(&self) -> Option<usize>`: the last set (image
//!   lists use it, as `gcloud … policy evaluate --image` does).
//! * [`PlatformPolicy::evaluate_image`]`(&self, set: Option<usize>, image: &RequestImage, ctx:
//!   &ImageContext<'_>) -> PlatformImageResult`: policy allowlist, then set `set` (pass what
//!   `select_check_set`/`default_check_set` returned: `None` is right only for a policy without
//!   check sets, and is ERROR otherwise). `container_name`/`container_type` are copied from
//!   `image`: a cached result must get those of the container it is reused for.
//!
//! Checks live beside this file: `basic` (always deny, trusted directory, freshness),
//! `vulnerability`, and the signature checks `attestation` (simple signing), `sigstore` and
//! `slsa`.

mod attestation;
mod basic;
mod sigstore;
mod slsa;
#[cfg(test)]
mod tests;
mod vulnerability;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use crate::decision::platform::{
    AllowlistResult, CheckResult, CheckResults, CheckSetResult, EvaluationResult, PlatformDetail,
    PlatformDetailCode, PlatformImageResult, PlatformResponse, PlatformVerdict, PodResult,
    ScopeResult,
};
use crate::evidence::report::ItemReport;
use crate::evidence::{Evidence, occurrence_project};
use crate::limits::Limits;
use crate::policy::platform::{Check, CheckKind, CheckSet, PlatformPolicy, Scope};
use crate::request::{Request, RequestImage};
use crate::time::Timestamp;
use crate::verify::trust::TrustMaterial;

/// Options for platform-policy evaluation.
#[derive(Debug, Clone, Default)]
pub struct PlatformOptions {
    /// Tag-to-digest resolutions the caller vouches for (decision P-4): image string as
    /// written → `sha256:<hex>`.
    pub(crate) tag_digests: BTreeMap<String, String>,
}

impl PlatformOptions {
    /// Adds a tag-to-digest resolution: digest-bound checks then use `digest` for `image`,
    /// and the result says so.
    #[must_use]
    pub fn with_tag_digest(mut self, image: impl Into<String>, digest: impl Into<String>) -> Self {
        self.tag_digests.insert(image.into(), digest.into());
        self
    }
}

/// What the checks of one image read: the evidence, the trust material (Cloud Build's keys
/// and the caller's, for SLSA), the clock, the options and the verification budgets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImageContext<'a> {
    pub(crate) evidence: &'a Evidence,
    pub(crate) trust: &'a TrustMaterial,
    pub(crate) now: Timestamp,
    pub(crate) options: &'a PlatformOptions,
    /// `max_verification_units_per_attestor_image` bounds one check of one image,
    /// `max_verification_units_per_decision` all checks of one image.
    pub(crate) limits: &'a Limits,
    /// Outcomes of evidence-reading checks already computed in this evaluation.
    pub(crate) memo: &'a CheckMemo,
}

/// What a check that reads evidence filed by digest (attestation, sigstore, SLSA,
/// vulnerability) concluded, shared by every image of one evaluation (a request, a CV run).
///
/// Such a check's outcome depends only on the check, the digest and the budget left when it
/// starts, never on the image string: without this memo, many image strings naming one digest
/// (`r1@D`, `r2@D`, … each with its own budget) would verify the same signatures once per
/// string, a cost of images × `max_verification_units_per_decision`. Keyed by the check's
/// address (the policy outlives the evaluation), the digest and the budget left.
#[derive(Debug, Default)]
pub(crate) struct CheckMemo {
    outcomes: RefCell<HashMap<MemoKey, (Outcome, usize)>>,
}

/// (the check's address, the digest, the budget left when the check starts).
type MemoKey = (usize, String, usize);

impl CheckMemo {
    fn get(&self, key: &MemoKey) -> Option<(Outcome, usize)> {
        self.outcomes.borrow().get(key).cloned()
    }

    fn insert(&self, key: MemoKey, outcome: &Outcome, spent: usize) {
        self.outcomes
            .borrow_mut()
            .insert(key, (outcome.clone(), spent));
    }

    /// How many outcomes are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.outcomes.borrow().len()
    }
}

/// At most this many details per check (then one `DETAILS_TRUNCATED`).
const MAX_DETAILS: usize = 16;

impl PlatformPolicy {
    /// Evaluates the request's Pod (a workload, or an image list, which uses the default check
    /// set as `gcloud … policy evaluate --image` does) against this policy.
    pub fn evaluate(
        &self,
        request: &Request,
        evidence: &Evidence,
        trust: &TrustMaterial,
        now: Timestamp,
        options: &PlatformOptions,
    ) -> PlatformResponse {
        let memo = CheckMemo::default();
        let ctx = ImageContext {
            evidence,
            trust,
            now,
            options,
            limits: &Limits::DEFAULT,
            memo: &memo,
        };
        let set = if request.from_workload() {
            self.select_check_set(request.namespace(), request.service_account())
        } else {
            self.default_check_set()
        };
        let image_results: Vec<PlatformImageResult> = request
            .images()
            .iter()
            .map(|image| self.evaluate_image(set, image, &ctx))
            .collect();
        let verdict = PlatformVerdict::fold(image_results.iter().map(|r| r.verdict));
        PlatformResponse {
            verdict,
            results: vec![PodResult {
                pod_name: request.name().unwrap_or_default().to_owned(),
                kubernetes_namespace: request.namespace().to_owned(),
                kubernetes_service_account: request.service_account().to_owned(),
                verdict,
                image_results,
            }],
        }
    }

    /// The first check set whose scope matches a Pod in `namespace` running as
    /// `service_account` (`default` when the spec names none); `None` only when the policy
    /// has no check sets (the default set, last, matches every Pod).
    pub(crate) fn select_check_set(&self, namespace: &str, service_account: &str) -> Option<usize> {
        self.check_sets
            .iter()
            .position(|set| set.scope.matches(namespace, service_account))
    }

    /// The default (last) check set, which an image list is evaluated against.
    pub(crate) fn default_check_set(&self) -> Option<usize> {
        self.check_sets.len().checked_sub(1)
    }

    /// One image's result: the policy's allowlist, else check set `set` (`None`: the policy
    /// has no check sets; `None` or an index out of range for a policy that has some is ERROR,
    /// fail closed). Depends on nothing but its arguments (its own budgets), so callers may
    /// cache it by (`set`, image string).
    pub(crate) fn evaluate_image(
        &self,
        set: Option<usize>,
        image: &RequestImage,
        ctx: &ImageContext<'_>,
    ) -> PlatformImageResult {
        let text = image.image.as_str();
        let mut result = PlatformImageResult {
            image_uri: text.to_owned(),
            verdict: PlatformVerdict::Conformant,
            allowlist_result: None,
            check_set_result: None,
            explanation: None,
            container_name: image.container.clone(),
            container_type: image.container_type,
        };
        if let Some(pattern) = self.allowlist.first_match(text) {
            result.allowlist_result = Some(AllowlistResult {
                matched_pattern: pattern.to_owned(),
            });
            return result;
        }
        let Some((index, check_set)) = set.and_then(|i| Some((i, self.check_sets.get(i)?))) else {
            if self.check_sets.is_empty() {
                result.explanation =
                    Some("the policy has no check sets, so every image conforms".to_owned());
            } else {
                // A validated policy's default set matches every Pod: only a caller passing
                // no set (or another policy's index) gets here. Fail closed.
                result.verdict = PlatformVerdict::Error;
                result.explanation = Some(
                    "no check set of the policy was selected for this image, so it was not evaluated"
                        .to_owned(),
                );
            }
            return result;
        };
        let set_result = evaluate_set(index, check_set, image, ctx);
        result.verdict = set_verdict(&set_result);
        result.check_set_result = Some(set_result);
        result
    }
}

/// The verdict a check set's result folds to.
fn set_verdict(set: &CheckSetResult) -> PlatformVerdict {
    let checks = set.check_results.as_ref().map(|r| r.results.as_slice());
    PlatformVerdict::fold(checks.unwrap_or_default().iter().map(|c| {
        c.evaluation_result
            .as_ref()
            .map_or(PlatformVerdict::Conformant, |e| e.verdict)
    }))
}

fn evaluate_set(
    index: usize,
    set: &CheckSet,
    image: &RequestImage,
    ctx: &ImageContext<'_>,
) -> CheckSetResult {
    let mut result = CheckSetResult {
        index: index as u64,
        display_name: set.display_name.clone(),
        scope: scope_result(&set.scope),
        allowlist_result: None,
        check_results: None,
        explanation: None,
    };
    let text = image.image.as_str();
    if let Some(pattern) = set.allowlist.as_ref().and_then(|a| a.first_match(text)) {
        result.allowlist_result = Some(AllowlistResult {
            matched_pattern: pattern.to_owned(),
        });
        return result;
    }
    if set.checks.is_empty() {
        result.explanation =
            Some("the check set has no checks, so every image conforms".to_owned());
        return result;
    }
    // One budget for all checks of this image (every check runs, in order).
    let mut budget = ctx.limits.max_verification_units_per_decision;
    let subject = Subject::of(image, ctx.options);
    let results = set
        .checks
        .iter()
        .enumerate()
        .map(|(j, check)| evaluate_check(j, check, &subject, ctx, &mut budget))
        .collect();
    result.check_results = Some(CheckResults { results });
    result
}

fn scope_result(scope: &Scope) -> Option<ScopeResult> {
    match scope {
        Scope::Default => None,
        Scope::Namespace(ns) => Some(ScopeResult {
            kubernetes_service_account: None,
            kubernetes_namespace: Some(ns.clone()),
        }),
        Scope::ServiceAccount { namespace, name } => Some(ScopeResult {
            kubernetes_service_account: Some(format!("{namespace}:{name}")),
            kubernetes_namespace: None,
        }),
    }
}

/// The image as the checks see it: its string, and its digest (its own, else the caller's
/// tag resolution, decision P-4).
#[derive(Debug, Clone)]
pub(crate) struct Subject<'a> {
    pub(crate) image: &'a RequestImage,
    /// `sha256:<hex>`, when known.
    pub(crate) digest: Option<&'a str>,
    /// Whether `digest` came from the caller's tag resolution.
    pub(crate) resolved: bool,
}

impl<'a> Subject<'a> {
    fn of(image: &'a RequestImage, options: &'a PlatformOptions) -> Subject<'a> {
        let own = image
            .image
            .sha256_digest()
            .filter(|d| crate::evidence::kinds::is_sha256_digest(d));
        match own {
            Some(digest) => Subject {
                image,
                digest: Some(digest),
                resolved: false,
            },
            None => {
                let resolved = if image.image.digest().is_none() {
                    options
                        .tag_digests
                        .get(image.image.as_str())
                        .map(String::as_str)
                } else {
                    // A digest of another algorithm is not replaced by a resolution.
                    None
                };
                Subject {
                    image,
                    digest: resolved,
                    resolved: resolved.is_some(),
                }
            }
        }
    }
}

/// What one check concluded: its verdict, the reason for the explanation, and details.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) verdict: PlatformVerdict,
    pub(crate) reason: String,
    pub(crate) details: Vec<PlatformDetail>,
    /// Details already cut from `details` (see [`Outcome::compact`]).
    dropped: usize,
}

impl Outcome {
    pub(crate) fn new(verdict: PlatformVerdict, reason: impl Into<String>) -> Outcome {
        Outcome {
            verdict,
            reason: reason.into(),
            details: Vec::new(),
            dropped: 0,
        }
    }

    /// Keeps the first [`MAX_DETAILS`] details and counts the rest, so that a memoized
    /// outcome costs the same to reuse however many findings or occurrences it saw.
    fn compact(mut self) -> Outcome {
        self.dropped += self.details.len().saturating_sub(MAX_DETAILS);
        self.details.truncate(MAX_DETAILS);
        self
    }

    /// Adds a detail (beyond [`MAX_DETAILS`], counted into one `DETAILS_TRUNCATED`).
    pub(crate) fn detail(&mut self, code: PlatformDetailCode, message: impl Into<String>) {
        self.details.push(PlatformDetail {
            code,
            message: message.into(),
        });
    }

    /// This outcome with `code` first.
    pub(crate) fn with(mut self, code: PlatformDetailCode, message: impl Into<String>) -> Outcome {
        self.details.insert(
            0,
            PlatformDetail {
                code,
                message: message.into(),
            },
        );
        self
    }
}

/// The digest a digest-bound check uses, or its NON_CONFORMANT outcome (decision P-4).
pub(crate) fn require_digest<'a>(subject: &Subject<'a>) -> Result<&'a str, Outcome> {
    subject.digest.ok_or_else(|| {
        Outcome::new(
            PlatformVerdict::NonConformant,
            "Image has no digest: the check needs one (pin the image by digest, or give a tag resolution)",
        )
        .with(
            PlatformDetailCode::NoDigest,
            format!(
                "`{}` names no sha256 digest and no tag resolution was given for it",
                subject.image.image.as_str()
            ),
        )
    })
}

fn evaluate_check(
    index: usize,
    check: &Check,
    subject: &Subject<'_>,
    ctx: &ImageContext<'_>,
    budget: &mut usize,
) -> CheckResult {
    let check_type = check.kind.type_name();
    let mut result = CheckResult {
        index: index as u64,
        display_name: check.display_name.clone(),
        check_type: check_type.to_owned(),
        allowlist_result: None,
        evaluation_result: None,
        explanation: String::new(),
        details: Vec::new(),
    };
    let text = subject.image.image.as_str();
    if let Some(pattern) = check.allowlist.as_ref().and_then(|a| a.first_match(text)) {
        result.allowlist_result = Some(AllowlistResult {
            matched_pattern: pattern.to_owned(),
        });
        return result;
    }
    // Evidence-reading checks depend on the digest and the budget left, not the image string.
    let memo_key = subject
        .digest
        .filter(|_| check.kind.memoizable())
        .map(|d| (std::ptr::from_ref(check).addr(), d.to_owned(), *budget));
    let cached = memo_key.as_ref().and_then(|key| ctx.memo.get(key));
    let mut outcome = if let Some((outcome, spent)) = cached {
        *budget = budget.saturating_sub(spent);
        outcome
    } else {
        let before = *budget;
        let outcome = run_check(check, subject, ctx, budget).compact();
        if let Some(key) = memo_key {
            ctx.memo
                .insert(key, &outcome, before.saturating_sub(*budget));
        }
        outcome
    };
    if subject.resolved && check.kind.digest_bound() {
        outcome = outcome.with(
            PlatformDetailCode::DigestResolved,
            format!(
                "`{text}` names no digest; the caller's tag resolution gives `{}`",
                subject.digest.unwrap_or_default()
            ),
        );
    }
    let verdict_name = match outcome.verdict {
        // GCP's template writes NOT_CONFORMANT (the CV log sample).
        PlatformVerdict::NonConformant => "NOT_CONFORMANT",
        PlatformVerdict::Conformant => "CONFORMANT",
        PlatformVerdict::Error => "ERROR",
    };
    result.explanation = format!(
        "{check_type} at index {index} with display name \"{}\" has verdict {verdict_name}. {}",
        check.display_name, outcome.reason
    );
    result.evaluation_result = Some(EvaluationResult {
        verdict: outcome.verdict,
    });
    let extra = outcome.details.len().saturating_sub(MAX_DETAILS) + outcome.dropped;
    outcome.details.truncate(MAX_DETAILS);
    if extra > 0 {
        outcome.details.push(PlatformDetail {
            code: PlatformDetailCode::DetailsTruncated,
            message: format!("{extra} more details were left out"),
        });
    }
    result.details = outcome.details;
    result
}

/// Runs one check of one image (nothing cached).
fn run_check(
    check: &Check,
    subject: &Subject<'_>,
    ctx: &ImageContext<'_>,
    budget: &mut usize,
) -> Outcome {
    match &check.kind {
        CheckKind::AlwaysDeny => basic::always_deny(),
        CheckKind::TrustedDirectory { patterns } => basic::trusted_directory(patterns, subject),
        CheckKind::ImageFreshness {
            max_upload_age_days,
        } => basic::freshness(*max_upload_age_days, subject, ctx),
        CheckKind::Vulnerability(v) => vulnerability::check(v, subject, ctx),
        CheckKind::SimpleSigningAttestation {
            authenticators,
            projects,
        } => attestation::check(authenticators, projects, subject, ctx, budget),
        CheckKind::SigstoreSignature { authorities } => {
            sigstore::check(authorities, subject, ctx, budget)
        }
        CheckKind::Slsa { rules } => slsa::check(rules, subject, ctx, budget),
    }
}

/// Whether an occurrence named `label` lies in one of `projects` (bare project ids).
pub(crate) fn listed(projects: &[String], label: &str) -> bool {
    occurrence_project(label).is_some_and(|p| projects.iter().any(|l| l == p))
}

/// The units one signature-checking check may spend: the per-check budget
/// (`max_verification_units_per_attestor_image`), within what the image has left.
pub(crate) fn check_budget(ctx: &ImageContext<'_>, image_left: usize) -> usize {
    ctx.limits
        .max_verification_units_per_attestor_image
        .min(image_left)
}

/// One evidence item's report as a detail line: kind, label, report code, why.
pub(crate) fn rejection(label: &str, report: &ItemReport) -> String {
    format!(
        "{} {label}: {}: {}",
        report.kind, report.code, report.message
    )
}

impl CheckKind {
    /// Whether the check reads evidence filed by digest (decision P-4); freshness may also
    /// find a tag-only image's record by its tag.
    fn digest_bound(&self) -> bool {
        !matches!(
            self,
            CheckKind::AlwaysDeny | CheckKind::TrustedDirectory { .. }
        )
    }

    /// Whether the check's outcome depends only on the digest and the budget left (not on
    /// the image string: freshness may read a tag), so [`CheckMemo`] may share it.
    fn memoizable(&self) -> bool {
        matches!(
            self,
            CheckKind::Vulnerability(_)
                | CheckKind::SimpleSigningAttestation { .. }
                | CheckKind::SigstoreSignature { .. }
                | CheckKind::Slsa { .. }
        )
    }
}

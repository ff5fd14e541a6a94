//! Evaluation: compile a policy with its attestors once, then decide many requests.
//!
//! Semantics §1.8 with the decisions: system policy, then allowlist, then the selected rule
//! break-glass wins over everything and is always recorded; a dry-run rule
//! admits violations and records them. Evaluation never fails: every problem with evidence
//! becomes a reason in the decision.

mod cloud_run;
pub(crate) mod cv;
pub(crate) mod platform;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::decision::{
    ANNOTATION_BREAK_GLASS, ANNOTATION_DRY_RUN, ANNOTATION_OVERRIDDEN, AttestorResult, Decision,
    Exemption, ExemptionSource, ImageResult, MSG_ALWAYS_DENY, MSG_NO_VALID_ATTESTATION,
    MSG_NOT_DIGEST_PINNED, Outcome, Reason, ReasonCode, RuleRef, SystemPolicySource, Verdict,
};
use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::evidence::{
    AttestorCheck, CheckedImage, Evidence, Freshness, Verifications, check_attestor,
};
use crate::limits::Limits;
use crate::policy::platform::ClusterConfig;
use crate::policy::{
    CloudRunPolicy, EnforcementMode, EvaluationMode, GlobalPolicyEvaluationMode, Policy, Rule,
    SystemPolicy, Target,
};
use crate::request::{Request, RequestImage};
use crate::time::Timestamp;
use crate::verify::attestor::Attestor;
use crate::verify::cache::VerificationCache;

/// Per-evaluation switches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Kritis' stricter binding: the payload's `docker-reference` must equal the image's
    /// repository (registry + path), not only its digest.
    pub strict_identity: bool,
    /// Only attestations signed at most this many seconds before `now` count (the Kritis
    /// paper's "only recently attested artifacts"), measured from the payload's signed time
    /// (`optional.timestamp`). `None`: no limit.
    pub max_attestation_age: Option<u64>,
    /// Under `max_attestation_age`, an attestation without a signed time is measured from the
    /// occurrence's `createTime` (unsigned), and the decision says so.
    pub trust_occurrence_time: bool,
    /// Cloud Run (decision R-4): evaluate each image written with a tag as the digest Cloud
    /// Run resolved it to (the object's status, or the request's `resolvedDigests`) instead of
    /// the tag; the decision's `cloudRun.resolvedDigests` says what was used. No effect on a
    /// Kubernetes request.
    pub use_resolved_digest: bool,
}

impl Options {
    /// Options with `strict_identity` set as given.
    pub fn strict_identity(strict: bool) -> Options {
        Options {
            strict_identity: strict,
            ..Options::default()
        }
    }

    /// These options with a maximum attestation age, in seconds.
    pub fn with_max_attestation_age(self, seconds: Option<u64>) -> Options {
        Options {
            max_attestation_age: seconds,
            ..self
        }
    }

    /// These options with occurrence times trusted (or not) for attestations without a signed
    /// time.
    pub fn with_trust_occurrence_time(self, trust: bool) -> Options {
        Options {
            trust_occurrence_time: trust,
            ..self
        }
    }

    /// These options with Cloud Run's resolved digests used (or not) in place of tags
    /// (decision R-4).
    pub fn with_resolved_digest(self, use_resolved: bool) -> Options {
        Options {
            use_resolved_digest: use_resolved,
            ..self
        }
    }
}

/// A compiled policy with its attestors' decoded keys. Immutable, `Send + Sync`, cheap to
/// clone: compile once, evaluate many times from any number of threads.
#[derive(Debug, Clone)]
pub struct Evaluator {
    inner: Arc<Compiled>,
    cache: Option<Arc<VerificationCache>>,
    /// Cloud Run platform policies by name (decision R-2), each compiled as an evaluator of its
    /// own (one rule, inline attestors, no system policy).
    cloud_run: Option<Arc<BTreeMap<String, Evaluator>>>,
}

#[derive(Debug)]
struct Compiled {
    policy: Policy,
    attestors: Vec<Attestor>,
    by_name: HashMap<String, usize>,
    system: Option<(SystemPolicy, SystemPolicySource)>,
    /// `Limits::max_verification_units_per_attestor_image` and `max_verification_units_per_decision`.
    verification_budget: (usize, usize),
}

impl Evaluator {
    /// Compiles a policy with its attestors and optional system policy, under default limits.
    ///
    /// Every attestor the policy requires must be supplied (`POLICY_UNKNOWN_ATTESTOR`), and
    /// attestor names must be unique (`ATTESTOR_DUPLICATE`).
    pub fn new(
        policy: Policy,
        attestors: Vec<Attestor>,
        system_policy: Option<SystemPolicy>,
    ) -> Result<Evaluator, Error> {
        Evaluator::with_limits(policy, attestors, system_policy, &Limits::DEFAULT)
    }

    /// [`Evaluator::new`] under explicit limits.
    pub fn with_limits(
        policy: Policy,
        attestors: Vec<Attestor>,
        system_policy: Option<SystemPolicy>,
        limits: &Limits,
    ) -> Result<Evaluator, Error> {
        let paths: Vec<String> = (0..attestors.len()).map(|i| join_index("", i)).collect();
        crate::verify::attestor::check_attestor_set(&attestors, &paths, limits)?;
        let by_name: HashMap<String, usize> = attestors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name().to_owned(), i))
            .collect();
        for rule in policy.rules() {
            for (i, name) in rule.attestors.iter().enumerate() {
                if !by_name.contains_key(name) {
                    return Err(Error::new(
                        ErrorCode::PolicyUnknownAttestor,
                        join_index(&join(&rule_path(rule), "requireAttestationsBy"), i),
                        format!("the policy requires attestor `{name}`, which was not supplied"),
                    ));
                }
            }
        }
        let system = match policy.global_mode() {
            GlobalPolicyEvaluationMode::Enable => Some(match system_policy {
                Some(sp) => (sp, SystemPolicySource::Caller),
                None => (SystemPolicy::built_in(), SystemPolicySource::BuiltIn),
            }),
            _ => None,
        };
        Ok(Evaluator {
            inner: Arc::new(Compiled {
                policy,
                attestors,
                by_name,
                system,
                verification_budget: (
                    limits.max_verification_units_per_attestor_image,
                    limits.max_verification_units_per_decision,
                ),
            }),
            cache: None,
            cloud_run: None,
        })
    }

    /// The same evaluator with Cloud Run platform policies (decision R-2, a preview feature):
    /// a Cloud Run service or job bound to one of them by name is decided by it; one bound to
    /// a policy not given here is denied (`NAMED_POLICY_NOT_SUPPLIED`). Replaces any policies
    /// given before. Two policies with the same name are `PLATFORM_INVALID_VALUE` at
    /// `/INDEX/name`; more inline attestors in all than `max_attestors`, `PLATFORM_TOO_LARGE`.
    pub fn with_cloud_run_policies(
        self,
        policies: Vec<CloudRunPolicy>,
    ) -> Result<Evaluator, Error> {
        self.with_cloud_run_policies_and_limits(policies, &Limits::DEFAULT)
    }

    /// [`Evaluator::with_cloud_run_policies`] under explicit limits (those of the verification
    /// budget).
    pub fn with_cloud_run_policies_and_limits(
        mut self,
        policies: Vec<CloudRunPolicy>,
        limits: &Limits,
    ) -> Result<Evaluator, Error> {
        // Every inline attestor is an attestor: together they are held to `max_attestors`.
        let inline: usize = policies.iter().map(|p| p.attestors().len()).sum();
        if inline > limits.max_attestors {
            return Err(Error::new(
                ErrorCode::PlatformTooLarge,
                "",
                format!(
                    "the Cloud Run policies have {inline} inline attestors together, more than the limit of {}",
                    limits.max_attestors
                ),
            )
            .about(Subject::CloudRunPolicies));
        }
        let mut compiled = BTreeMap::new();
        for (i, named) in policies.into_iter().enumerate() {
            let name = named.name().to_owned();
            if compiled.contains_key(&name) {
                return Err(Error::new(
                    ErrorCode::PlatformInvalidValue,
                    join(&join_index("", i), "name"),
                    format!("Cloud Run policy `{name}` is given twice"),
                )
                .about(Subject::CloudRunPolicies));
            }
            let evaluator = Evaluator::with_limits(
                named.policy().clone(),
                named.attestors().to_vec(),
                None,
                limits,
            )
            .map_err(|e| {
                e.within(&join_index("", i))
                    .about(Subject::CloudRunPolicies)
            })?;
            compiled.insert(name, evaluator);
        }
        self.cloud_run = (!compiled.is_empty()).then(|| Arc::new(compiled));
        Ok(self)
    }

    /// The Cloud Run platform policy of this name, compiled (names normalized to
    /// `projects/P/platforms/cloudRun/policies/N`).
    pub(crate) fn cloud_run_policy(&self, name: &str) -> Option<&Evaluator> {
        self.cloud_run.as_deref().and_then(|m| m.get(name))
    }

    /// The names of the Cloud Run platform policies given, sorted.
    pub fn cloud_run_policy_names(&self) -> impl Iterator<Item = &str> {
        self.cloud_run
            .as_deref()
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }

    /// The same evaluator with a bounded cache of signature verifications (`capacity`
    /// results of about 200 bytes each), shared by its clones. Re-evaluating the same
    /// evidence then skips the signature checks. Decisions are identical with or without the
    /// cache: it is keyed on everything that decides a verification (algorithm, key, payload,
    /// signature), and a hit costs the same verification budget as a miss.
    #[must_use]
    pub fn with_verification_cache(self, capacity: usize) -> Evaluator {
        self.with_shared_verification_cache(Arc::new(VerificationCache::new(capacity)))
    }

    /// The same evaluator using `cache`, which other evaluators (of other policies and
    /// attestors) may share: entries are keyed on the key material and algorithm, not on the
    /// attestor, so sharing is sound.
    #[must_use]
    pub fn with_shared_verification_cache(mut self, cache: Arc<VerificationCache>) -> Evaluator {
        self.cache = Some(cache);
        self
    }

    /// The verification cache, if one was set.
    pub fn verification_cache(&self) -> Option<&VerificationCache> {
        self.cache.as_deref()
    }

    /// The verification cache itself, to share with another evaluator.
    pub(crate) fn shared_cache(&self) -> Option<Arc<VerificationCache>> {
        self.cache.clone()
    }

    /// The compiled policy.
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// The attestors, in the order given.
    pub fn attestors(&self) -> &[Attestor] {
        &self.inner.attestors
    }

    /// Decides a request. Never fails: problems with evidence become reasons.
    ///
    /// `now` is the evaluation time (the library never reads a clock). No rule of a project
    /// policy depends on time; OpenPGP keys and signatures are judged at it (revocation,
    /// expiry, signatures dated in the future: semantics §5 check 7).
    pub fn evaluate(
        &self,
        request: &Request,
        evidence: &Evidence,
        now: Timestamp,
        options: Options,
    ) -> Decision {
        if let Some(cloud_run) = request.cloud_run() {
            return self.evaluate_cloud_run(cloud_run, request, evidence, now, options);
        }
        let target = Target {
            cluster: request.cluster.as_deref(),
            namespace: &request.namespace,
            service_account: &request.service_account,
            mesh_identity: request.mesh_identity.as_deref(),
        };
        let rule = self.inner.policy.select_rule(&target);
        self.decide(
            request.images.iter(),
            rule,
            request.break_glass(),
            evidence,
            now,
            options,
        )
    }

    /// Evaluates `images` under `rule` and reaches the verdict (semantics §4 steps 2 and 3).
    fn decide<'i>(
        &self,
        images: impl Iterator<Item = &'i RequestImage>,
        rule: &Rule,
        break_glass: bool,
        evidence: &Evidence,
        now: Timestamp,
        options: Options,
    ) -> Decision {
        let c = &*self.inner;
        let mut pass = Pass {
            evidence,
            options,
            checked: HashMap::new(),
            verifications: Verifications::new(
                self.cache.as_deref(),
                c.verification_budget.0,
                c.verification_budget.1,
            ),
            now,
        };
        let images: Vec<ImageResult> = images
            .map(|img| c.evaluate_image(img, rule, &mut pass))
            .collect();
        let violations: Vec<&ImageResult> = images
            .iter()
            .filter(|i| i.outcome == Outcome::Violation)
            .collect();
        let mut audit = BTreeMap::new();
        let overridden = || {
            violations
                .iter()
                .map(|i| overridden_lines(i, rule))
                .collect::<String>()
        };
        let verdict = if break_glass {
            audit.insert(ANNOTATION_BREAK_GLASS.to_owned(), "true".to_owned());
            if !violations.is_empty() {
                audit.insert(ANNOTATION_OVERRIDDEN.to_owned(), overridden());
            }
            Verdict::BreakGlassAllow
        } else if violations.is_empty() {
            Verdict::Allow
        } else if rule.enforcement_mode == EnforcementMode::DryrunAuditLogOnly {
            audit.insert(ANNOTATION_DRY_RUN.to_owned(), "true".to_owned());
            audit.insert(ANNOTATION_OVERRIDDEN.to_owned(), overridden());
            Verdict::DryRunAllow
        } else {
            Verdict::Deny
        };
        let message = if violations.is_empty() {
            None
        } else {
            Some(
                violations
                    .iter()
                    .map(|i| image_message(i, rule))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        Decision {
            allowed: verdict != Verdict::Deny,
            verdict,
            rule: rule_ref(rule),
            images,
            message,
            audit_annotations: audit,
            system_policy_source: c.system.as_ref().map(|(_, source)| *source),
            cluster: None,
            cloud_run: None,
        }
    }

    /// Decides a request deployed to a cluster with this Binary Authorization configuration
    /// (decision P-12). The cluster's evaluation mode decides whether the project policy runs:
    /// `PROJECT_SINGLETON_POLICY_ENFORCE` and `POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE`
    /// give [`Evaluator::evaluate`]'s decision; `DISABLED` and `POLICY_BINDINGS` admit without
    /// evaluating any image (`images` empty, `rule` the rule that would have applied, and the
    /// decision's `cluster` says why). `cluster.monitoredPolicies` lists the bound platform
    /// policies in the `POLICY_BINDINGS` modes: monitoring never gates admission (`vouch cv`).
    ///
    /// A Cloud Run request has no cluster: it gets [`Evaluator::evaluate`]'s decision, without
    /// a `cluster` member (a bundle refuses a `clusterConfig` with a Cloud Run request).
    pub fn evaluate_in_cluster(
        &self,
        config: &ClusterConfig,
        request: &Request,
        evidence: &Evidence,
        now: Timestamp,
        options: Options,
    ) -> Decision {
        use crate::decision::{ClusterDecision, ClusterReason};
        use crate::policy::platform::ClusterEvaluationMode as Mode;
        if request.cloud_run().is_some() {
            return self.evaluate(request, evidence, now, options);
        }
        let mode = config.mode();
        let (mut decision, reason) = match mode {
            Mode::Disabled => (
                self.not_enforced(request),
                Some(ClusterReason::ClusterDisabled),
            ),
            Mode::PolicyBindings => (
                self.not_enforced(request),
                Some(ClusterReason::ClusterMonitorsOnly),
            ),
            Mode::ProjectSingletonPolicyEnforce
            | Mode::PolicyBindingsAndProjectSingletonPolicyEnforce => {
                (self.evaluate(request, evidence, now, options), None)
            }
        };
        let monitored_policies = match mode {
            Mode::PolicyBindings | Mode::PolicyBindingsAndProjectSingletonPolicyEnforce => {
                config.bindings().to_vec()
            }
            Mode::Disabled | Mode::ProjectSingletonPolicyEnforce => Vec::new(),
        };
        decision.cluster = Some(ClusterDecision {
            evaluation_mode: mode,
            enforced: reason.is_none(),
            reason,
            monitored_policies,
        });
        decision
    }

    /// The decision of a cluster that does not gate admission: admitted, no image evaluated,
    /// `rule` the rule the project policy would have applied to the request's target.
    fn not_enforced(&self, request: &Request) -> Decision {
        let target = Target {
            cluster: request.cluster.as_deref(),
            namespace: &request.namespace,
            service_account: &request.service_account,
            mesh_identity: request.mesh_identity.as_deref(),
        };
        let rule = self.inner.policy.select_rule(&target);
        Decision {
            allowed: true,
            verdict: Verdict::Allow,
            rule: rule_ref(rule),
            images: Vec::new(),
            message: None,
            audit_annotations: BTreeMap::new(),
            system_policy_source: None,
            cluster: None,
            cloud_run: None,
        }
    }
}

/// What one evaluation carries from image to image.
struct Pass<'a> {
    evidence: &'a Evidence,
    options: Options,
    /// (attestor index, digest) already checked in this evaluation (digest-only binding: the
    /// result depends on nothing else of the image). A map: a request of 1,000 images and a
    /// rule of 200 attestors make 200,000 entries, too many for a linear search per lookup.
    checked: HashMap<(usize, String), AttestorCheck>,
    /// The decision's verification budget, memo and the evaluator's cache.
    verifications: Verifications<'a>,
    /// The evaluation time (OpenPGP keys and signatures are judged at it).
    now: Timestamp,
}

impl Compiled {
    fn evaluate_image(&self, img: &RequestImage, rule: &Rule, pass: &mut Pass<'_>) -> ImageResult {
        let image = img.image.as_str();
        let mut result = ImageResult {
            image: image.to_owned(),
            container: img.container.clone(),
            volume: img.volume.clone(),
            outcome: Outcome::Conformant,
            exemption: None,
            reasons: Vec::new(),
            attestors: Vec::new(),
        };
        let system_match = self
            .system
            .as_ref()
            .and_then(|(sp, _)| sp.patterns().first_match(image));
        let exemption = match system_match {
            Some(p) => Some((ExemptionSource::SystemPolicy, p)),
            None => self
                .policy
                .allowlist()
                .first_match(image)
                .map(|p| (ExemptionSource::Allowlist, p)),
        };
        if let Some((source, pattern)) = exemption {
            result.outcome = Outcome::Exempt;
            result.exemption = Some(Exemption {
                source,
                pattern: pattern.as_str().to_owned(),
            });
            return result;
        }
        match rule.evaluation_mode {
            EvaluationMode::AlwaysAllow | EvaluationMode::Unspecified => {}
            EvaluationMode::AlwaysDeny => {
                result.reasons.push(Reason {
                    code: ReasonCode::AlwaysDeny,
                    attestor: None,
                    message: MSG_ALWAYS_DENY.to_owned(),
                    details: Vec::new(),
                });
            }
            EvaluationMode::RequireAttestation => {
                let digest = img.image.sha256_digest();
                for name in &rule.attestors {
                    let check = match (digest, self.by_name.get(name)) {
                        (Some(digest), Some(&index)) => {
                            Some(self.check_cached(index, digest, img, pass))
                        }
                        _ => None,
                    };
                    let (attestor_result, reason) = attestor_outcome(name, digest.is_some(), check);
                    result.attestors.push(attestor_result);
                    result.reasons.extend(reason);
                }
            }
        }
        if !result.reasons.is_empty() {
            result.outcome = Outcome::Violation;
        }
        result
    }

    fn check_cached(
        &self,
        index: usize,
        digest: &str,
        img: &RequestImage,
        pass: &mut Pass<'_>,
    ) -> AttestorCheck {
        let options = pass.options;
        // Under strict identity the repository matters too, so only the digest-only mode memoizes.
        if !options.strict_identity
            && let Some(hit) = pass.checked.get(&(index, digest.to_owned()))
        {
            return hit.clone();
        }
        let Some(attestor) = self.attestors.get(index) else {
            return AttestorCheck::Unsatisfied(Vec::new());
        };
        let subject = CheckedImage {
            digest,
            repository: img.image.repository(),
            strict_identity: options.strict_identity,
            now: pass.now,
            freshness: options.max_attestation_age.map(|max_age| Freshness {
                max_age,
                trust_occurrence_time: options.trust_occurrence_time,
            }),
        };
        let check = check_attestor(attestor, pass.evidence, subject, &mut pass.verifications);
        if !options.strict_identity {
            pass.checked
                .insert((index, digest.to_owned()), check.clone());
        }
        check
    }
}

/// The decision's `rule`.
fn rule_ref(rule: &Rule) -> RuleRef {
    RuleRef {
        kind: rule.kind,
        key: rule.key.clone(),
        evaluation_mode: rule.evaluation_mode,
        enforcement_mode: rule.enforcement_mode,
    }
}

fn attestor_outcome(
    name: &str,
    pinned: bool,
    check: Option<AttestorCheck>,
) -> (AttestorResult, Option<Reason>) {
    let unsatisfied = AttestorResult {
        attestor: name.to_owned(),
        satisfied: false,
        occurrence: None,
        key_id: None,
        signed_form: None,
        signed_time: None,
        time_source: None,
    };
    match check {
        Some(AttestorCheck::Satisfied {
            occurrence,
            key_id,
            form,
            time,
        }) => (
            AttestorResult {
                attestor: name.to_owned(),
                satisfied: true,
                occurrence: Some(occurrence),
                key_id: Some(key_id),
                signed_form: Some(form),
                signed_time: time.map(|(t, _)| t),
                time_source: time.map(|(_, s)| s),
            },
            None,
        ),
        Some(AttestorCheck::Unsatisfied(details)) => (
            unsatisfied,
            Some(Reason {
                code: ReasonCode::NoValidAttestation,
                attestor: Some(name.to_owned()),
                message: MSG_NO_VALID_ATTESTATION.to_owned(),
                details,
            }),
        ),
        None => {
            let (code, message) = if pinned {
                (ReasonCode::NoValidAttestation, MSG_NO_VALID_ATTESTATION)
            } else {
                (ReasonCode::NotDigestPinned, MSG_NOT_DIGEST_PINNED)
            };
            let reason = Reason {
                code,
                attestor: Some(name.to_owned()),
                message: message.to_owned(),
                details: Vec::new(),
            };
            (unsatisfied, Some(reason))
        }
    }
}

/// `/defaultAdmissionRule` or `/clusterAdmissionRules/KEY`, for error paths.
fn rule_path(rule: &Rule) -> String {
    let base = join("", rule.kind.field());
    match &rule.key {
        Some(key) => join(&base, key),
        None => base,
    }
}

/// "denied by Binary Authorization cluster admission rule for us-central1-a.prod"
fn rule_phrase(rule: &Rule) -> String {
    match &rule.key {
        Some(key) => format!("{} for {key}", rule.kind.description()),
        None => rule.kind.description().to_owned(),
    }
}

/// One reason as GCP words it, for messages and the overridden-verification-result label.
fn reason_line(image: &str, reason: &Reason, rule: &Rule) -> String {
    match &reason.attestor {
        Some(attestor) => format!(
            "Image {image} denied by attestor {attestor}: {}",
            reason.message
        ),
        None => format!(
            "Image {image} denied by Binary Authorization {}. {}",
            rule_phrase(rule),
            reason.message
        ),
    }
}

fn image_message(result: &ImageResult, rule: &Rule) -> String {
    let image = &result.image;
    let head = format!(
        "Image {image} denied by Binary Authorization {}.",
        rule_phrase(rule)
    );
    let parts: Vec<String> = result
        .reasons
        .iter()
        .map(|r| match &r.attestor {
            Some(_) => reason_line(image, r, rule),
            None => r.message.clone(),
        })
        .collect();
    format!("{head} {}", parts.join("; "))
}

fn overridden_lines(result: &ImageResult, rule: &Rule) -> String {
    result
        .reasons
        .iter()
        .map(|r| {
            format!(
                "'{}' : {}\n",
                result.image,
                reason_line(&result.image, r, rule)
            )
        })
        .collect()
}

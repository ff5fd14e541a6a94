//! Configuration errors: a stable code, a JSON-pointer path and a message.
//!
//! Evaluation itself never fails; every problem with *evidence* becomes a reason inside the
//! [`Decision`](crate::Decision). An [`Error`] is reserved for input that cannot be
//! configuration at all: a policy that does not validate, an attestor whose key does not parse,
//! a request without images, a document that is not JSON or YAML, or an input over a limit.

use std::fmt;

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $text:literal, )*) => {
        /// Stable machine-readable error codes, grouped by prefix.
        ///
        /// Codes never change meaning; new ones may be added.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as written in error JSON, e.g. `POLICY_INVALID_PATTERN`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }

            /// One-line description of the code (used to generate `docs/errors.md`).
            pub fn description(self) -> &'static str {
                match self { $(ErrorCode::$variant => concat!($($doc),*).trim_ascii(),)* }
            }
        }
    };
}

error_codes! {
    /// The input is neither valid JSON nor valid YAML.
    InputSyntax = "INPUT_SYNTAX",
    /// The input is larger than the configured byte limit.
    InputTooLarge = "INPUT_TOO_LARGE",
    /// The input nests objects or lists deeper than the configured limit.
    InputTooDeep = "INPUT_TOO_DEEP",
    /// A YAML document uses more aliases or alias expansions than the configured budget.
    InputAliasLimit = "INPUT_ALIAS_LIMIT",
    /// An object has the same key twice.
    InputDuplicateKey = "INPUT_DUPLICATE_KEY",
    /// A YAML document uses a merge key (`<<`): YAML readers resolve them differently (kubectl
    /// lets a later `<<` overwrite earlier keys), so vouch reads none.
    InputYamlMergeKey = "INPUT_YAML_MERGE_KEY",
    /// A Kubernetes manifest uses YAML that vouch does not read the way kubectl does, or that
    /// kubectl refuses: an explicit tag other than `!!str`, a null, float, collection or
    /// out-of-range key, a NaN or infinite number, or a YAML directive (`%YAML`, `%TAG`).
    InputYamlUnsupported = "INPUT_YAML_UNSUPPORTED",
    /// The input is not valid UTF-8 text.
    InputEncoding = "INPUT_ENCODING",
    /// A private key cannot be read (not PEM, encrypted, or not P-256, P-384, RSA or Ed25519).
    InputInvalidPrivateKey = "INPUT_INVALID_PRIVATE_KEY",
    /// The attestations input is not a list of occurrences, one occurrence, or `{"occurrences": [...]}`.
    InputInvalidAttestations = "INPUT_INVALID_ATTESTATIONS",
    /// The trust material for supply-chain evidence (keys, Rekor keys) is not the documented
    /// shape, or a key in it does not decode.
    InputInvalidTrust = "INPUT_INVALID_TRUST",
    /// More trusted keys (or Rekor keys) than the configured limit.
    InputTooManyTrustedKeys = "INPUT_TOO_MANY_TRUSTED_KEYS",
    /// More attestation occurrences than the configured limit.
    InputTooManyOccurrences = "INPUT_TOO_MANY_OCCURRENCES",
    /// An occurrence carries more signatures than the configured limit.
    InputTooManySignatures = "INPUT_TOO_MANY_SIGNATURES",
    /// The policy has a field that the policy format does not define.
    PolicyUnknownField = "POLICY_UNKNOWN_FIELD",
    /// The policy lacks a required field.
    PolicyMissingField = "POLICY_MISSING_FIELD",
    /// A policy field has the wrong JSON type.
    PolicyInvalidType = "POLICY_INVALID_TYPE",
    /// A policy field has a value outside its allowed set.
    PolicyInvalidValue = "POLICY_INVALID_VALUE",
    /// An `evaluationMode` or `enforcementMode` is `*_UNSPECIFIED`.
    PolicyModeUnspecified = "POLICY_MODE_UNSPECIFIED",
    /// An allowlist `namePattern` breaks the pattern grammar.
    PolicyInvalidPattern = "POLICY_INVALID_PATTERN",
    /// A `REQUIRE_ATTESTATION` rule lists no attestors.
    PolicyAttestorsRequired = "POLICY_ATTESTORS_REQUIRED",
    /// A rule that is not `REQUIRE_ATTESTATION` lists attestors.
    PolicyAttestorsNotAllowed = "POLICY_ATTESTORS_NOT_ALLOWED",
    /// An entry of `requireAttestationsBy` is not `projects/*/attestors/*`.
    PolicyInvalidAttestorName = "POLICY_INVALID_ATTESTOR_NAME",
    /// A rule lists the same attestor twice.
    PolicyDuplicateAttestor = "POLICY_DUPLICATE_ATTESTOR",
    /// The policy requires an attestor that was not supplied.
    PolicyUnknownAttestor = "POLICY_UNKNOWN_ATTESTOR",
    /// A key of a specific-rule map is not of the form its map requires.
    PolicyInvalidRuleKey = "POLICY_INVALID_RULE_KEY",
    /// Two keys of one rule map name the same target.
    PolicyDuplicateRuleKey = "POLICY_DUPLICATE_RULE_KEY",
    /// The policy has more allowlist patterns than the configured limit.
    PolicyTooManyPatterns = "POLICY_TOO_MANY_PATTERNS",
    /// The policy has more specific rules than the configured limit.
    PolicyTooManyRules = "POLICY_TOO_MANY_RULES",
    /// The policy references more distinct attestors than the configured limit.
    PolicyTooManyAttestorRefs = "POLICY_TOO_MANY_ATTESTOR_REFS",
    /// YAML policy text has a plain scalar that YAML 1.1 readers (gcloud's `policy import`)
    /// and vouch's YAML 1.2 read differently (`on`, `yes`, `017`, `1:30`, a date), or a tag
    /// gcloud cannot import (`!!binary`): quote the scalar, drop the tag.
    PolicyYamlAmbiguous = "POLICY_YAML_AMBIGUOUS",
    /// An attestor has a field that the attestor format does not define.
    AttestorUnknownField = "ATTESTOR_UNKNOWN_FIELD",
    /// An attestor lacks a required field.
    AttestorMissingField = "ATTESTOR_MISSING_FIELD",
    /// An attestor field has the wrong JSON type.
    AttestorInvalidType = "ATTESTOR_INVALID_TYPE",
    /// An attestor field has a value outside its allowed set.
    AttestorInvalidValue = "ATTESTOR_INVALID_VALUE",
    /// An attestor `name` is not `projects/*/attestors/*`.
    AttestorInvalidName = "ATTESTOR_INVALID_NAME",
    /// A `noteReference` is not `projects/*/notes/*`.
    AttestorInvalidNoteReference = "ATTESTOR_INVALID_NOTE_REFERENCE",
    /// Two attestors have the same name.
    AttestorDuplicate = "ATTESTOR_DUPLICATE",
    /// A public key cannot be decoded, or is of a type no algorithm uses.
    AttestorInvalidKey = "ATTESTOR_INVALID_KEY",
    /// The declared `signatureAlgorithm` does not fit the public key.
    AttestorAlgorithmMismatch = "ATTESTOR_ALGORITHM_MISMATCH",
    /// A key id is empty where one is needed, has spaces or control characters, or is not a URI.
    AttestorInvalidKeyId = "ATTESTOR_INVALID_KEY_ID",
    /// Two keys of one attestor have the same id.
    AttestorDuplicateKeyId = "ATTESTOR_DUPLICATE_KEY_ID",
    /// More attestors than the configured limit.
    AttestorTooMany = "ATTESTOR_TOO_MANY",
    /// An attestor has more public keys than the configured limit.
    AttestorTooManyKeys = "ATTESTOR_TOO_MANY_KEYS",
    /// The platform policy has a field that the platform-policy schema does not define.
    PlatformUnknownField = "PLATFORM_UNKNOWN_FIELD",
    /// The platform policy lacks a required field.
    PlatformMissingField = "PLATFORM_MISSING_FIELD",
    /// A platform-policy field has the wrong JSON type (a string that is not a decimal
    /// integer where an integer is expected, an object where a string is expected, …).
    PlatformInvalidType = "PLATFORM_INVALID_TYPE",
    /// A platform-policy field has a value outside its allowed set (an unknown enum name).
    PlatformInvalidValue = "PLATFORM_INVALID_VALUE",
    /// A list is given where the schema has one message (`imageAllowlist: [- allowPattern: …]`,
    /// as some documentation snippets write it; gcloud fails on it too): write the message
    /// itself.
    PlatformListForMessage = "PLATFORM_LIST_FOR_MESSAGE",
    /// The policy is not a GKE platform policy (no `gkePolicy`, a `cloudRunPolicy`, or a
    /// `name` whose platform is not `gke`).
    PlatformUnsupported = "PLATFORM_UNSUPPORTED",
    /// The check sets have no default (unscoped) set, or it is not the last one.
    PlatformDefaultCheckSet = "PLATFORM_DEFAULT_CHECK_SET",
    /// Two check sets have the same scope.
    PlatformDuplicateScope = "PLATFORM_DUPLICATE_SCOPE",
    /// A service-account check set comes after the check set of its namespace, so it could
    /// never be selected.
    PlatformScopeOrder = "PLATFORM_SCOPE_ORDER",
    /// A scope sets both `kubernetesNamespace` and `kubernetesServiceAccount`, or a value that
    /// is not a namespace name or `NAMESPACE:SERVICE_ACCOUNT`.
    PlatformInvalidScope = "PLATFORM_INVALID_SCOPE",
    /// A check has no check kind, or more than one.
    PlatformCheckKind = "PLATFORM_CHECK_KIND",
    /// `alwaysDeny` is `false`: remove the check instead.
    PlatformAlwaysDenyFalse = "PLATFORM_ALWAYS_DENY_FALSE",
    /// `imageFreshnessCheck.maxUploadAgeDays` is missing or not greater than zero.
    PlatformInvalidMaxAge = "PLATFORM_INVALID_MAX_AGE",
    /// A vulnerability threshold is missing or `MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED`.
    PlatformSeverityUnspecified = "PLATFORM_SEVERITY_UNSPECIFIED",
    /// A SLSA rule's `trustedBuilder` is not `GOOGLE_CLOUD_BUILD`, the only supported builder.
    PlatformUnsupportedBuilder = "PLATFORM_UNSUPPORTED_BUILDER",
    /// An attestation or sigstore check has no authenticator or authority, or one of them has
    /// no key.
    PlatformKeysRequired = "PLATFORM_KEYS_REQUIRED",
    /// A public key in the platform policy cannot be decoded.
    PlatformInvalidKey = "PLATFORM_INVALID_KEY",
    /// A key's `signatureAlgorithm` does not fit the key.
    PlatformAlgorithmMismatch = "PLATFORM_ALGORITHM_MISMATCH",
    /// A `keyId` has spaces or control characters, or is not a URI; or two keys of one
    /// authenticator have the same id.
    PlatformInvalidKeyId = "PLATFORM_INVALID_KEY_ID",
    /// A project entry is not `projects/PROJECT_ID`.
    PlatformInvalidProject = "PLATFORM_INVALID_PROJECT",
    /// A project list has more than 10 entries.
    PlatformTooManyProjects = "PLATFORM_TOO_MANY_PROJECTS",
    /// An `allowPattern` breaks the platform allowlist grammar (semantics §6.3).
    PlatformInvalidAllowPattern = "PLATFORM_INVALID_ALLOW_PATTERN",
    /// A `trustedDirPatterns` entry breaks the trusted-directory grammar (semantics §6.4).
    PlatformInvalidDirectoryPattern = "PLATFORM_INVALID_DIRECTORY_PATTERN",
    /// A `trustedSourceRepoPatterns` entry has a scheme or a wildcard anywhere but a final
    /// segment after `/`.
    PlatformInvalidRepoPattern = "PLATFORM_INVALID_REPO_PATTERN",
    /// The platform policy has more check sets, checks, patterns or keys than the configured
    /// limits.
    PlatformTooLarge = "PLATFORM_TOO_LARGE",
    /// YAML platform-policy text has a plain scalar that YAML 1.1 readers (gcloud) and vouch's
    /// YAML 1.2 read differently: quote it.
    PlatformYamlAmbiguous = "PLATFORM_YAML_AMBIGUOUS",
    /// The cluster configuration is not the `binaryAuthorization` block of a cluster (or a
    /// cluster holding one), or has a field of the wrong type.
    ClusterInvalidConfig = "CLUSTER_INVALID_CONFIG",
    /// `evaluationMode` is not one of the cluster modes (the message lists them).
    ClusterInvalidMode = "CLUSTER_INVALID_MODE",
    /// A policy binding's `name` is not `projects/PROJECT/platforms/gke/policies/POLICY`.
    ClusterInvalidBinding = "CLUSTER_INVALID_BINDING",
    /// More than 10 policy bindings.
    ClusterTooManyBindings = "CLUSTER_TOO_MANY_BINDINGS",
    /// The request has a field that the request format does not define.
    RequestUnknownField = "REQUEST_UNKNOWN_FIELD",
    /// The request lacks a required field.
    RequestMissingField = "REQUEST_MISSING_FIELD",
    /// A request field has the wrong JSON type.
    RequestInvalidType = "REQUEST_INVALID_TYPE",
    /// A request field has a value outside its allowed set.
    RequestInvalidValue = "REQUEST_INVALID_VALUE",
    /// The request gives both `images` and `workload`, or neither, or no image at all.
    RequestNoImages = "REQUEST_NO_IMAGES",
    /// An image is not a valid reference (distribution grammar).
    RequestInvalidImage = "REQUEST_INVALID_IMAGE",
    /// An image to sign has no sha256 digest.
    RequestNotDigestPinned = "REQUEST_NOT_DIGEST_PINNED",
    /// The workload's `kind` is not one vouch evaluates.
    RequestUnsupportedWorkload = "REQUEST_UNSUPPORTED_WORKLOAD",
    /// The workload lacks its pod spec, or a container lacks its image.
    RequestInvalidWorkload = "REQUEST_INVALID_WORKLOAD",
    /// `cluster` is not `LOCATION.NAME`.
    RequestInvalidCluster = "REQUEST_INVALID_CLUSTER",
    /// `namespace` is not a Kubernetes namespace name.
    RequestInvalidNamespace = "REQUEST_INVALID_NAMESPACE",
    /// `serviceAccount` is not a Kubernetes service account name.
    RequestInvalidServiceAccount = "REQUEST_INVALID_SERVICE_ACCOUNT",
    /// More images than the configured limit.
    RequestTooManyImages = "REQUEST_TOO_MANY_IMAGES",
    /// A cluster snapshot holds more Pods than the configured limit.
    RequestTooManyPods = "REQUEST_TOO_MANY_PODS",
    /// A log entry `vouch replay` reads is not an audit event of a shape vouch knows, or a
    /// deployment event lacks what replay needs (its object, its time). Reported per entry;
    /// the run goes on unless `--strict`.
    RequestInvalidAuditEvent = "REQUEST_INVALID_AUDIT_EVENT",
    /// The bundle is not an object.
    BundleNotObject = "BUNDLE_NOT_OBJECT",
    /// The bundle has a top-level key that the bundle format does not define.
    BundleUnknownField = "BUNDLE_UNKNOWN_FIELD",
    /// The bundle lacks `policy` or `request`.
    BundleMissingField = "BUNDLE_MISSING_FIELD",
    /// `now` is not an RFC 3339 timestamp.
    BundleInvalidNow = "BUNDLE_INVALID_NOW",
    /// A member of `options` is unknown or has the wrong type.
    BundleInvalidOptions = "BUNDLE_INVALID_OPTIONS",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which input an [`Error`] is about: the document the loader that failed was reading.
///
/// Set by the public loaders (a policy loader's errors are about the policy, whatever their
/// code, even `INPUT_SYNTAX`), kept when a bundle embeds the document. An error's path is a
/// JSON pointer into the document the caller passed; in a bundle (or either half of one) the
/// path starts with the member the subject names ([`Subject::member`]). The subject is not
/// part of the contract's error JSON, which stays `{"code", "path", "message"}`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The project policy.
    Policy,
    /// The system policy.
    SystemPolicy,
    /// An attestor, or the set of attestors (duplicates, limits).
    Attestors,
    /// The request: images or workload, and the deployment target.
    Request,
    /// The attestation occurrences (the evidence).
    Attestations,
    /// The bundle itself: its shape, `now`, `options`, or a document that is none of the
    /// above.
    Bundle,
    /// A private key to sign with.
    Key,
    /// Trust material for supply-chain evidence: keys for DSSE, in-toto and sigstore
    /// signatures, Rekor keys.
    Trust,
    /// A GKE platform policy.
    PlatformPolicy,
    /// A cluster's Binary Authorization configuration (its evaluation mode and policy
    /// bindings).
    ClusterConfig,
    /// A Cloud Run platform policy, or the set given to an evaluator (a bundle's
    /// `cloudRunPolicies`).
    CloudRunPolicies,
}

impl Subject {
    /// Every subject, in documentation order.
    pub const ALL: &'static [Subject] = &[
        Subject::Policy,
        Subject::SystemPolicy,
        Subject::Attestors,
        Subject::Request,
        Subject::Attestations,
        Subject::Bundle,
        Subject::Key,
        Subject::Trust,
        Subject::PlatformPolicy,
        Subject::ClusterConfig,
        Subject::CloudRunPolicies,
    ];

    /// The subject's name: the bundle member holding the document (`policy`, `systemPolicy`,
    /// `attestors`, `request`, `attestations`), or `bundle`, or `key`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Subject::Policy => "policy",
            Subject::SystemPolicy => "systemPolicy",
            Subject::Attestors => "attestors",
            Subject::Request => "request",
            Subject::Attestations => "attestations",
            Subject::Bundle => "bundle",
            Subject::Key => "key",
            Subject::Trust => "trust",
            Subject::PlatformPolicy => "platformPolicy",
            Subject::ClusterConfig => "clusterConfig",
            Subject::CloudRunPolicies => "cloudRunPolicies",
        }
    }

    /// The JSON pointer of the subject's member in a bundle (`/policy`, …); `""` for the
    /// bundle itself and for a key, which no bundle holds.
    pub const fn member(self) -> &'static str {
        match self {
            Subject::Policy => "/policy",
            Subject::SystemPolicy => "/systemPolicy",
            Subject::Attestors => "/attestors",
            Subject::Request => "/request",
            Subject::Attestations => "/attestations",
            Subject::Trust => "/trust",
            Subject::PlatformPolicy => "/platformPolicy",
            Subject::ClusterConfig => "/clusterConfig",
            Subject::CloudRunPolicies => "/cloudRunPolicies",
            Subject::Bundle | Subject::Key => "",
        }
    }

    /// The subject an error of `code` has until a loader says otherwise: its code's family.
    const fn of_code(code: ErrorCode) -> Subject {
        match code {
            ErrorCode::InputInvalidPrivateKey => Subject::Key,
            ErrorCode::InputInvalidTrust | ErrorCode::InputTooManyTrustedKeys => Subject::Trust,
            ErrorCode::InputInvalidAttestations
            | ErrorCode::InputTooManyOccurrences
            | ErrorCode::InputTooManySignatures => Subject::Attestations,
            c => match c.as_str().as_bytes() {
                [b'P', b'O', b'L', ..] => Subject::Policy,
                [b'A', b'T', b'T', ..] => Subject::Attestors,
                [b'R', b'E', b'Q', ..] => Subject::Request,
                [b'P', b'L', b'A', ..] => Subject::PlatformPolicy,
                [b'C', b'L', b'U', ..] => Subject::ClusterConfig,
                _ => Subject::Bundle,
            },
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configuration error: stable code, JSON-pointer path, human message, and the
/// [`Subject`] it is about.
///
/// It serializes (`serde`) as the contract's error body `{"code", "path", "message"}`; every
/// front end writes errors through this one body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    path: String,
    message: String,
    subject: Subject,
}

impl Error {
    /// Builds an error. `path` is a JSON pointer (`""` for the whole document). Its subject is
    /// its code's family until a loader sets it ([`Error::about`]).
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            path: path.into(),
            message: message.into(),
            subject: Subject::of_code(code),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The JSON pointer of the offending field in the document the caller passed.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The human-readable message (informative only).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The input the error is about.
    pub fn subject(&self) -> Subject {
        self.subject
    }

    /// The same error, about `subject` (set by the loader that read that document).
    #[must_use]
    pub fn about(mut self, subject: Subject) -> Self {
        self.subject = subject;
        self
    }

    /// Prefixes the path with a JSON pointer, e.g. when a policy was embedded in a bundle.
    #[must_use]
    pub fn within(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.path.insert_str(0, prefix);
        }
        self
    }

    /// The error of a document embedded in a bundle as its subject's member: the path
    /// prefixed with [`Subject::member`].
    #[must_use]
    pub fn in_bundle(self) -> Self {
        let member = self.subject.member();
        self.within(member)
    }

    /// The contract's error JSON: `{"error": {"code", "path", "message"}}`.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Wrapper<'a> {
            error: &'a Error,
        }
        serde_json::to_string(&Wrapper { error: self }).unwrap_or_default()
    }
}

impl serde::Serialize for Error {
    /// The contract's error body, `{"code", "path", "message"}` in that order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut body = s.serialize_struct("Error", 3)?;
        body.serialize_field("code", self.code.as_str())?;
        body.serialize_field("path", &self.path)?;
        body.serialize_field("message", &self.message)?;
        body.end()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn push_token(path: &mut String, token: &str) {
    path.push('/');
    for c in token.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

/// `base` + `/token` as a new pointer.
pub(crate) fn join(base: &str, token: &str) -> String {
    let mut p = String::with_capacity(base.len() + token.len() + 1);
    p.push_str(base);
    push_token(&mut p, token);
    p
}

/// `base` + `/index` as a new pointer.
pub(crate) fn join_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// Which document an error is about; picks the code family for generic shape errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doc {
    Policy,
    Attestor,
    Request,
    #[allow(dead_code, reason = "skeleton for issue 15")]
    Platform,
}

impl Doc {
    pub(crate) fn unknown_field(self) -> ErrorCode {
        match self {
            Doc::Policy => ErrorCode::PolicyUnknownField,
            Doc::Attestor => ErrorCode::AttestorUnknownField,
            Doc::Request => ErrorCode::RequestUnknownField,
            Doc::Platform => ErrorCode::PlatformUnknownField,
        }
    }
    pub(crate) fn missing_field(self) -> ErrorCode {
        match self {
            Doc::Policy => ErrorCode::PolicyMissingField,
            Doc::Attestor => ErrorCode::AttestorMissingField,
            Doc::Request => ErrorCode::RequestMissingField,
            Doc::Platform => ErrorCode::PlatformMissingField,
        }
    }
    pub(crate) fn invalid_type(self) -> ErrorCode {
        match self {
            Doc::Policy => ErrorCode::PolicyInvalidType,
            Doc::Attestor => ErrorCode::AttestorInvalidType,
            Doc::Request => ErrorCode::RequestInvalidType,
            Doc::Platform => ErrorCode::PlatformInvalidType,
        }
    }
    pub(crate) fn invalid_value(self) -> ErrorCode {
        match self {
            Doc::Policy => ErrorCode::PolicyInvalidValue,
            Doc::Attestor => ErrorCode::AttestorInvalidValue,
            Doc::Request => ErrorCode::RequestInvalidValue,
            Doc::Platform => ErrorCode::PlatformInvalidValue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            let prefix_ok = [
                "INPUT_",
                "POLICY_",
                "ATTESTOR_",
                "REQUEST_",
                "BUNDLE_",
                "PLATFORM_",
                "CLUSTER_",
            ]
            .iter()
            .any(|p| code.as_str().starts_with(p));
            assert!(prefix_ok, "{code} has no family prefix");
            assert!(!code.description().is_empty());
        }
    }

    #[test]
    fn pointer_escaping() {
        assert_eq!(join("/a", "x/y~z"), "/a/x~1y~0z");
        assert_eq!(join_index("/a", 3), "/a/3");
    }

    #[test]
    fn error_json_shape() {
        let e = Error::new(ErrorCode::PolicyInvalidPattern, "/p", "bad `x`").within("/policy");
        assert_eq!(
            e.to_json(),
            r#"{"error":{"code":"POLICY_INVALID_PATTERN","path":"/policy/p","message":"bad `x`"}}"#
        );
    }

    #[test]
    fn subject_defaults_to_the_code_family_and_names_the_member() {
        let e = Error::new(ErrorCode::AttestorDuplicate, "/1/name", "dup");
        assert_eq!(e.subject(), Subject::Attestors);
        assert_eq!(e.clone().in_bundle().path(), "/attestors/1/name");
        let e = Error::new(ErrorCode::InputSyntax, "", "bad").about(Subject::SystemPolicy);
        assert_eq!(e.clone().in_bundle().path(), "/systemPolicy");
        assert_eq!(
            Error::new(ErrorCode::InputInvalidPrivateKey, "", "k").subject(),
            Subject::Key
        );
        assert_eq!(
            Error::new(ErrorCode::BundleInvalidNow, "/now", "n")
                .in_bundle()
                .path(),
            "/now"
        );
        // The subject is not part of the contract's JSON.
        assert_eq!(
            e.to_json(),
            r#"{"error":{"code":"INPUT_SYNTAX","path":"","message":"bad"}}"#
        );
    }
}

//! Reading a platform policy as gcloud reads it (decision P-1): the document is walked against
//! the v1 schema, producing its canonical form (scalars wrapped into lists, decimal-string
//! integers as numbers) and then the compiled [`PlatformPolicy`].
//!
//! gcloud (`container binauthz policy create --policy-file`) loads the file with apitools'
//! `protojson` into the generated `PlatformPolicy` message (platform-policies §1.3):
//!
//! * a scalar or a map where the schema has a list becomes a one-element list;
//! * an integer field takes a number or a decimal string (as Python's `int()` reads it:
//!   `"30"`, `" +30 "`, `"3_0"`);
//! * an enum takes one of its names (aliases included), nothing else;
//! * `null` leaves the field unset, and `[]` for a field that is not a list is skipped;
//! * an unknown key is refused, whatever its value (`null` too: `DictToMessageWithErrorCheck`
//!   reports it as well);
//! * a list where the schema has one message is refused (apitools crashes on it).
//!
//! Errors point into the document as the caller wrote it: an error inside a wrapped scalar or
//! map has no `/0` for the list it was wrapped into.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::pattern::{AllowPattern, DirectoryPattern, RepoPattern};
use super::validate::{self, Budget};
use super::{
    Allowlist, Authenticator, Check, CheckKind, CheckSet, PlatformPolicy, SigstoreAuthority,
    SlsaRule, Threshold, VulnerabilityCheck,
};
use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::read::document;
use crate::read::yaml_readings::check_yaml_readings;
use crate::verify::algorithm::SignatureAlgorithm;
use crate::verify::key::{PkixKeyError, pkix_key};
use crate::verify::trust::{KeySource, SigningMode, TrustedKey};

/// Loads from YAML or JSON text.
pub(super) fn from_text(text: &str, limits: &Limits) -> Result<PlatformPolicy, Error> {
    let value = document::parse(text, limits).map_err(|e| e.about(Subject::PlatformPolicy))?;
    if value.is_object() {
        check_yaml_readings(text).map_err(|e| {
            Error::new(
                ErrorCode::PlatformYamlAmbiguous,
                e.path(),
                e.message()
                    .replace("gcloud's `policy import`", "gcloud's `policy create`"),
            )
        })?;
    }
    from_value(value, limits)
}

/// Loads from a parsed value.
pub(super) fn from_value(value: Value, limits: &Limits) -> Result<PlatformPolicy, Error> {
    load(&value, limits).map_err(|e| e.about(Subject::PlatformPolicy))
}

fn load(value: &Value, limits: &Limits) -> Result<PlatformPolicy, Error> {
    let (canonical, ctx) = canonicalize(value)?;
    compile(canonical, &ctx, limits)
}

/// The canonical document and where the walk wrapped values into lists.
pub(crate) fn canonicalize(value: &Value) -> Result<(Value, Ctx), Error> {
    let top = top_object(value, "`gkePolicy`")?;
    if top.get("cloudRunPolicy").is_some_and(|v| !v.is_null()) {
        return Err(Error::new(
            ErrorCode::PlatformUnsupported,
            "/cloudRunPolicy",
            "this is a Cloud Run platform policy (`cloudRunPolicy`): platform evaluation and continuous validation take GKE platform policies (`gkePolicy`); give a Cloud Run policy to `vouch evaluate --cloud-run-policy` (a bundle's `cloudRunPolicies`)",
        ));
    }
    let mut ctx = Ctx::default();
    let canonical = ctx.message(value, &PLATFORM_POLICY, "", "")?;
    if let Some(name) = canonical.get("name").and_then(Value::as_str)
        && !name.is_empty()
    {
        check_name(name)?;
    }
    if !canonical.contains_key("gkePolicy") {
        return Err(Error::new(
            ErrorCode::PlatformUnsupported,
            "",
            "the document has no `gkePolicy`: it is not a GKE platform policy (a project policy has `defaultAdmissionRule`)",
        ));
    }
    Ok((Value::Object(canonical), ctx))
}

/// The canonical form of a Cloud Run platform policy (`cloudRunPolicy`, decision R-2), read
/// as gcloud reads any platform policy, and where the walk wrapped values into lists.
pub(crate) fn canonicalize_cloud_run(value: &Value) -> Result<(Map<String, Value>, Ctx), Error> {
    let top = top_object(value, "`cloudRunPolicy`")?;
    if top.get("gkePolicy").is_some_and(|v| !v.is_null()) {
        return Err(Error::new(
            ErrorCode::PlatformUnsupported,
            "/gkePolicy",
            "this is a GKE platform policy (`gkePolicy`): Cloud Run requests take Cloud Run platform policies (`cloudRunPolicy`); evaluate a GKE policy with `vouch platform evaluate`",
        ));
    }
    if top.get("cloudRunPolicy").is_none_or(Value::is_null) {
        return Err(Error::new(
            ErrorCode::PlatformMissingField,
            "/cloudRunPolicy",
            "the document has no `cloudRunPolicy`: it is not a Cloud Run platform policy (a project policy has `defaultAdmissionRule`)",
        ));
    }
    let mut ctx = Ctx::default();
    let canonical = ctx.message(value, &PLATFORM_POLICY, "", "")?;
    Ok((canonical, ctx))
}

fn top_object<'a>(value: &'a Value, wanted: &str) -> Result<&'a Map<String, Value>, Error> {
    match value {
        Value::Object(top) => Ok(top),
        _ => Err(Error::new(
            ErrorCode::PlatformInvalidType,
            "",
            format!(
                "a platform policy must be an object with {wanted}, found {}",
                document::type_name(value)
            ),
        )),
    }
}

/// `projects/P/platforms/gke/policies/ID`; another platform is unsupported (as gcloud's
/// `policy evaluate`).
fn check_name(name: &str) -> Result<(), Error> {
    let parts: Vec<&str> = name.split('/').collect();
    match parts.as_slice() {
        ["projects", project, "platforms", platform, "policies", id]
            if !project.is_empty() && !id.is_empty() && !platform.is_empty() =>
        {
            if *platform == "gke" {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorCode::PlatformUnsupported,
                    "/name",
                    format!(
                        "Found unsupported platform '{platform}'. Currently only 'gke' platform policies are supported."
                    ),
                ))
            }
        }
        _ => Err(Error::new(
            ErrorCode::PlatformInvalidValue,
            "/name",
            format!(
                "`name` is `{name}`; a platform policy's name is `projects/PROJECT/platforms/gke/policies/POLICY`"
            ),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The schema (platform-policies §1.2, field order of the schema).

#[derive(Clone, Copy)]
enum Ty {
    Str,
    Bool,
    Int32,
    Enum(&'static [&'static str]),
    Msg(&'static Message),
}

struct Field {
    name: &'static str,
    ty: Ty,
    repeated: bool,
}

/// A message of the schema: its name (as gcloud's messages name it) and its fields.
pub(crate) struct Message {
    name: &'static str,
    fields: &'static [Field],
}

const fn one(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        repeated: false,
    }
}

const fn many(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        repeated: true,
    }
}

/// `PkixPublicKey.signatureAlgorithm`, aliases included (platform-policies §1.2).
const SIGNATURE_ALGORITHMS: &[&str] = &[
    "SIGNATURE_ALGORITHM_UNSPECIFIED",
    "RSA_PSS_2048_SHA256",
    "RSA_SIGN_PSS_2048_SHA256",
    "RSA_PSS_3072_SHA256",
    "RSA_SIGN_PSS_3072_SHA256",
    "RSA_PSS_4096_SHA256",
    "RSA_SIGN_PSS_4096_SHA256",
    "RSA_PSS_4096_SHA512",
    "RSA_SIGN_PSS_4096_SHA512",
    "RSA_SIGN_PKCS1_2048_SHA256",
    "RSA_SIGN_PKCS1_3072_SHA256",
    "RSA_SIGN_PKCS1_4096_SHA256",
    "RSA_SIGN_PKCS1_4096_SHA512",
    "ECDSA_P256_SHA256",
    "EC_SIGN_P256_SHA256",
    "ECDSA_P384_SHA384",
    "EC_SIGN_P384_SHA384",
    "ECDSA_P521_SHA512",
    "EC_SIGN_P521_SHA512",
];

/// `MaximumAllowedSeverity`.
const SEVERITIES: &[&str] = &[
    "MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED",
    "BLOCK_ALL",
    "MINIMAL",
    "LOW",
    "MEDIUM",
    "HIGH",
    "CRITICAL",
    "ALLOW_ALL",
];

/// `VerificationRule.trustedBuilder`.
const BUILDERS: &[&str] = &["BUILDER_UNSPECIFIED", "GOOGLE_CLOUD_BUILD"];

static PLATFORM_POLICY: Message = Message {
    name: "PlatformPolicy",
    fields: &[
        one("name", Ty::Str),
        one("description", Ty::Str),
        one("gkePolicy", Ty::Msg(&GKE_POLICY)),
        one("cloudRunPolicy", Ty::Msg(&CLOUD_RUN_POLICY)),
        one("updateTime", Ty::Str),
        one("etag", Ty::Str),
    ],
};
static GKE_POLICY: Message = Message {
    name: "GkePolicy",
    fields: &[
        one("imageAllowlist", Ty::Msg(&IMAGE_ALLOWLIST)),
        many("checkSets", Ty::Msg(&CHECK_SET)),
    ],
};
static IMAGE_ALLOWLIST: Message = Message {
    name: "ImageAllowlist",
    fields: &[many("allowPattern", Ty::Str)],
};
static CHECK_SET: Message = Message {
    name: "CheckSet",
    fields: &[
        one("displayName", Ty::Str),
        one("scope", Ty::Msg(&SCOPE)),
        one("imageAllowlist", Ty::Msg(&IMAGE_ALLOWLIST)),
        many("checks", Ty::Msg(&CHECK)),
    ],
};
static SCOPE: Message = Message {
    name: "Scope",
    fields: &[
        one("kubernetesNamespace", Ty::Str),
        one("kubernetesServiceAccount", Ty::Str),
    ],
};
static CLOUD_RUN_POLICY: Message = Message {
    name: "InlineCloudRunPolicy",
    fields: &[
        many("allowlistPatterns", Ty::Msg(&ALLOWLIST_PATTERN)),
        one("rule", Ty::Msg(&EVALUATION_RULE)),
    ],
};
static ALLOWLIST_PATTERN: Message = Message {
    name: "AllowlistPattern",
    fields: &[one("namePattern", Ty::Str)],
};
/// `EvaluationRule.evaluationMode`.
const EVALUATION_MODES: &[&str] = &[
    "EVALUATION_MODE_UNSPECIFIED",
    "ALWAYS_ALLOW",
    "REQUIRE_ATTESTATION",
    "ALWAYS_DENY",
];
/// `EvaluationRule.enforcementMode`.
const ENFORCEMENT_MODES: &[&str] = &[
    "ENFORCEMENT_MODE_UNSPECIFIED",
    "ENFORCED_BLOCK_AND_AUDIT_LOG",
    "DRYRUN_AUDIT_LOG_ONLY",
];
static EVALUATION_RULE: Message = Message {
    name: "EvaluationRule",
    fields: &[
        one("evaluationMode", Ty::Enum(EVALUATION_MODES)),
        one("enforcementMode", Ty::Enum(ENFORCEMENT_MODES)),
        many("requiredAttestors", Ty::Msg(&INLINE_ATTESTOR)),
    ],
};
static INLINE_ATTESTOR: Message = Message {
    name: "InlineAttestor",
    fields: &[
        one("id", Ty::Str),
        one("description", Ty::Str),
        one("attestationNote", Ty::Str),
        many("publicKeys", Ty::Msg(&ATTESTOR_PUBLIC_KEY)),
    ],
};
static ATTESTOR_PUBLIC_KEY: Message = Message {
    name: "AttestorPublicKey",
    fields: &[
        one("comment", Ty::Str),
        one("id", Ty::Str),
        one("asciiArmoredPgpPublicKey", Ty::Str),
        one("pkixPublicKey", Ty::Msg(&PKIX_PUBLIC_KEY)),
    ],
};
/// The check kinds, in schema order.
pub(crate) const CHECK_KINDS: &[&str] = &[
    "alwaysDeny",
    "imageFreshnessCheck",
    "sigstoreSignatureCheck",
    "simpleSigningAttestationCheck",
    "slsaCheck",
    "trustedDirectoryCheck",
    "vulnerabilityCheck",
];
static CHECK: Message = Message {
    name: "Check",
    fields: &[
        one("displayName", Ty::Str),
        one("imageAllowlist", Ty::Msg(&IMAGE_ALLOWLIST)),
        one("alwaysDeny", Ty::Bool),
        one("imageFreshnessCheck", Ty::Msg(&IMAGE_FRESHNESS_CHECK)),
        one("sigstoreSignatureCheck", Ty::Msg(&SIGSTORE_SIGNATURE_CHECK)),
        one(
            "simpleSigningAttestationCheck",
            Ty::Msg(&SIMPLE_SIGNING_ATTESTATION_CHECK),
        ),
        one("slsaCheck", Ty::Msg(&SLSA_CHECK)),
        one("trustedDirectoryCheck", Ty::Msg(&TRUSTED_DIRECTORY_CHECK)),
        one("vulnerabilityCheck", Ty::Msg(&VULNERABILITY_CHECK)),
    ],
};
static IMAGE_FRESHNESS_CHECK: Message = Message {
    name: "ImageFreshnessCheck",
    fields: &[one("maxUploadAgeDays", Ty::Int32)],
};
static SIMPLE_SIGNING_ATTESTATION_CHECK: Message = Message {
    name: "SimpleSigningAttestationCheck",
    fields: &[
        many(
            "attestationAuthenticators",
            Ty::Msg(&ATTESTATION_AUTHENTICATOR),
        ),
        many("containerAnalysisAttestationProjects", Ty::Str),
    ],
};
static ATTESTATION_AUTHENTICATOR: Message = Message {
    name: "AttestationAuthenticator",
    fields: &[
        one("displayName", Ty::Str),
        one("pkixPublicKeySet", Ty::Msg(&PKIX_PUBLIC_KEY_SET)),
    ],
};
static PKIX_PUBLIC_KEY_SET: Message = Message {
    name: "PkixPublicKeySet",
    fields: &[many("pkixPublicKeys", Ty::Msg(&PKIX_PUBLIC_KEY))],
};
static PKIX_PUBLIC_KEY: Message = Message {
    name: "PkixPublicKey",
    fields: &[
        one("publicKeyPem", Ty::Str),
        one("signatureAlgorithm", Ty::Enum(SIGNATURE_ALGORITHMS)),
        one("keyId", Ty::Str),
    ],
};
static SIGSTORE_SIGNATURE_CHECK: Message = Message {
    name: "SigstoreSignatureCheck",
    fields: &[many("sigstoreAuthorities", Ty::Msg(&SIGSTORE_AUTHORITY))],
};
static SIGSTORE_AUTHORITY: Message = Message {
    name: "SigstoreAuthority",
    fields: &[
        one("displayName", Ty::Str),
        one("publicKeySet", Ty::Msg(&SIGSTORE_PUBLIC_KEY_SET)),
    ],
};
static SIGSTORE_PUBLIC_KEY_SET: Message = Message {
    name: "SigstorePublicKeySet",
    fields: &[many("publicKeys", Ty::Msg(&SIGSTORE_PUBLIC_KEY))],
};
static SIGSTORE_PUBLIC_KEY: Message = Message {
    name: "SigstorePublicKey",
    fields: &[one("publicKeyPem", Ty::Str)],
};
static SLSA_CHECK: Message = Message {
    name: "SlsaCheck",
    fields: &[many("rules", Ty::Msg(&VERIFICATION_RULE))],
};
static VERIFICATION_RULE: Message = Message {
    name: "VerificationRule",
    fields: &[
        one("trustedBuilder", Ty::Enum(BUILDERS)),
        one("attestationSource", Ty::Msg(&ATTESTATION_SOURCE)),
        one("configBasedBuildRequired", Ty::Bool),
        many("trustedSourceRepoPatterns", Ty::Str),
        one("customConstraints", Ty::Str),
    ],
};
static ATTESTATION_SOURCE: Message = Message {
    name: "AttestationSource",
    fields: &[many("containerAnalysisAttestationProjects", Ty::Str)],
};
static TRUSTED_DIRECTORY_CHECK: Message = Message {
    name: "TrustedDirectoryCheck",
    fields: &[many("trustedDirPatterns", Ty::Str)],
};
static VULNERABILITY_CHECK: Message = Message {
    name: "VulnerabilityCheck",
    fields: &[
        one("maximumFixableSeverity", Ty::Enum(SEVERITIES)),
        one("maximumUnfixableSeverity", Ty::Enum(SEVERITIES)),
        many("allowedCves", Ty::Str),
        many("blockedCves", Ty::Str),
        many("containerAnalysisVulnerabilityProjects", Ty::Str),
    ],
};

/// The canonical document as JSON text with every object's keys in schema order
/// (`serde_json` maps sort their keys; the schema's order is the one gcloud and the REST
/// reference print).
pub(crate) fn schema_ordered_json(canonical: &Value) -> String {
    let mut out = String::new();
    write_ordered(canonical, Some(&PLATFORM_POLICY), &mut out);
    out
}

fn write_ordered(value: &Value, message: Option<&'static Message>, out: &mut String) {
    match (value, message) {
        (Value::Object(map), Some(message)) => {
            out.push('{');
            let mut first = true;
            for field in message.fields {
                let Some(v) = map.get(field.name) else {
                    continue;
                };
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::from(field.name).to_string());
                out.push(':');
                let inner = match field.ty {
                    Ty::Msg(m) => Some(m),
                    _ => None,
                };
                write_ordered(v, inner, out);
            }
            out.push('}');
        }
        (Value::Array(items), message) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_ordered(item, message, out);
            }
            out.push(']');
        }
        (other, _) => out.push_str(&other.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// The walk.

/// What the walk learned about the document beyond its canonical form: the canonical
/// pointers of lists it made from a single value, to give errors found later the path the
/// caller wrote.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    wrapped: BTreeSet<String>,
}

impl Ctx {
    /// The pointer into the caller's document of a pointer into the canonical document.
    pub(crate) fn orig(&self, canonical: &str) -> String {
        if self.wrapped.is_empty() {
            return canonical.to_owned();
        }
        let mut prefix = String::with_capacity(canonical.len());
        let mut out = String::with_capacity(canonical.len());
        for token in canonical.split('/').skip(1) {
            let skip = token == "0" && self.wrapped.contains(&prefix);
            prefix.push('/');
            prefix.push_str(token);
            if !skip {
                out.push('/');
                out.push_str(token);
            }
        }
        out
    }

    /// An error at a canonical pointer.
    pub(crate) fn err(
        &self,
        code: ErrorCode,
        canonical: &str,
        message: impl Into<String>,
    ) -> Error {
        Error::new(code, self.orig(canonical), message)
    }

    fn message(
        &mut self,
        value: &Value,
        message: &'static Message,
        cpath: &str,
        opath: &str,
    ) -> Result<Map<String, Value>, Error> {
        let Value::Object(object) = value else {
            return Err(Error::new(
                ErrorCode::PlatformInvalidType,
                opath,
                format!(
                    "{} must be an object ({}), found {}",
                    describe_path(opath),
                    message.name,
                    document::type_name(value)
                ),
            ));
        };
        let mut out = Map::new();
        for (key, item) in object {
            let kopath = join(opath, key);
            let Some(field) = message.fields.iter().find(|f| f.name == key) else {
                return Err(Error::new(
                    ErrorCode::PlatformUnknownField,
                    kopath,
                    unknown_field(message, key),
                ));
            };
            if item.is_null() {
                continue;
            }
            let kcpath = join(cpath, key);
            if field.repeated {
                let mut list = Vec::new();
                match item {
                    Value::Array(items) => {
                        for (i, element) in items.iter().enumerate() {
                            list.push(self.element(
                                element,
                                field,
                                &join_index(&kcpath, i),
                                &join_index(&kopath, i),
                            )?);
                        }
                    }
                    single => {
                        list.push(self.element(single, field, &join_index(&kcpath, 0), &kopath)?);
                        self.wrapped.insert(kcpath);
                    }
                }
                out.insert(key.clone(), Value::Array(list));
            } else {
                if let Value::Array(items) = item {
                    if items.is_empty() {
                        continue;
                    }
                    return Err(match field.ty {
                        Ty::Msg(m) => list_for_message(m, key, items, &kopath),
                        _ => Error::new(
                            ErrorCode::PlatformInvalidType,
                            kopath,
                            format!("`{key}` takes one value, not a list"),
                        ),
                    });
                }
                out.insert(key.clone(), self.single(item, field, &kcpath, &kopath)?);
            }
        }
        Ok(out)
    }

    fn element(
        &mut self,
        value: &Value,
        field: &Field,
        cpath: &str,
        opath: &str,
    ) -> Result<Value, Error> {
        match value {
            Value::Null => Err(Error::new(
                ErrorCode::PlatformInvalidType,
                opath,
                format!("an entry of `{}` is null: remove it", field.name),
            )),
            Value::Array(_) => Err(Error::new(
                ErrorCode::PlatformInvalidType,
                opath,
                format!("an entry of `{}` is itself a list", field.name),
            )),
            other => self.single(other, field, cpath, opath),
        }
    }

    fn single(
        &mut self,
        value: &Value,
        field: &Field,
        cpath: &str,
        opath: &str,
    ) -> Result<Value, Error> {
        let wrong = |expected: &str| {
            Error::new(
                ErrorCode::PlatformInvalidType,
                opath,
                format!(
                    "`{}` must be {expected}, found {}",
                    field.name,
                    document::type_name(value)
                ),
            )
        };
        match field.ty {
            Ty::Str => match value {
                Value::String(_) => Ok(value.clone()),
                _ => Err(wrong("a string")),
            },
            Ty::Bool => match value {
                Value::Bool(_) => Ok(value.clone()),
                _ => Err(wrong("`true` or `false`")),
            },
            Ty::Int32 => {
                let n = match value {
                    Value::Number(n) => n.as_i64().ok_or_else(|| {
                        if n.is_f64() {
                            wrong("an integer")
                        } else {
                            out_of_range(field, opath, &n.to_string())
                        }
                    })?,
                    Value::String(s) if python_int(s).is_some() => python_int(s)
                        .and_then(|t| t.parse::<i64>().ok())
                        .ok_or_else(|| out_of_range(field, opath, s))?,
                    Value::String(_) => return Err(wrong("an integer (or a decimal string)")),
                    _ => return Err(wrong("an integer")),
                };
                i32::try_from(n).map_err(|_| out_of_range(field, opath, &n.to_string()))?;
                Ok(Value::from(n))
            }
            Ty::Enum(names) => match value {
                Value::String(s) if names.contains(&s.as_str()) => Ok(value.clone()),
                Value::String(s) => Err(Error::new(
                    ErrorCode::PlatformInvalidValue,
                    opath,
                    format!(
                        "Invalid enum value \"{}\" for `{}`: expected one of {}",
                        s.escape_debug(),
                        field.name,
                        names.join(", ")
                    ),
                )),
                _ => Err(wrong("an enum name (a string)")),
            },
            Ty::Msg(m) => Ok(Value::Object(self.message(value, m, cpath, opath)?)),
        }
    }
}

/// A decimal integer string as Python's `int()` reads it (apitools decodes integer fields
/// given as strings with it): surrounding whitespace, a sign, `_` between digits. Returned
/// without whitespace and underscores, for `i64` parsing. Only ASCII digits (Python also takes
/// other Unicode digits; vouch refuses them).
fn python_int(s: &str) -> Option<String> {
    let t = s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'));
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => ("-", t.get(1..)?),
        Some(b'+') => ("", t.get(1..)?),
        _ => ("", t),
    };
    let b = body.as_bytes();
    let ok = b.first().is_some_and(u8::is_ascii_digit)
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'_')
        && !body.contains("__");
    ok.then(|| format!("{sign}{}", body.replace('_', "")))
}

fn out_of_range(field: &Field, opath: &str, shown: &str) -> Error {
    Error::new(
        ErrorCode::PlatformInvalidValue,
        opath,
        format!(
            "`{}` is {shown}, outside the 32-bit integer range",
            field.name
        ),
    )
}

fn describe_path(opath: &str) -> String {
    match opath.rsplit('/').next() {
        Some(last) if !opath.is_empty() => format!("`{last}`"),
        _ => "the platform policy".to_owned(),
    }
}

fn unknown_field(message: &Message, key: &str) -> String {
    let names: Vec<&str> = message.fields.iter().map(|f| f.name).collect();
    let camel = snake_to_camel(key);
    let hint = if camel != key && names.contains(&camel.as_str()) {
        format!(" (did you mean `{camel}`? field names are lowerCamelCase)")
    } else if let Some(name) = names.iter().find(|n| n.eq_ignore_ascii_case(key)) {
        format!(" (did you mean `{name}`? field names are case-sensitive)")
    } else {
        String::new()
    };
    format!(
        "`{key}` is not a field of {}{hint}; its fields are {}",
        message.name,
        names.join(", ")
    )
}

fn snake_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The error for a list given where one message is expected, with the message it should be.
fn list_for_message(message: &Message, key: &str, items: &[Value], opath: &str) -> Error {
    let mut merged = Map::new();
    let mut mergeable = true;
    for item in items {
        let Value::Object(fields) = item else {
            mergeable = false;
            break;
        };
        for (k, v) in fields {
            let repeated = message.fields.iter().any(|f| f.name == k && f.repeated);
            match merged.get_mut(k) {
                Some(Value::Array(existing)) if repeated => match v {
                    Value::Array(more) => existing.extend(more.iter().cloned()),
                    other => existing.push(other.clone()),
                },
                _ if repeated => {
                    let list = match v {
                        Value::Array(_) => v.clone(),
                        other => Value::Array(vec![other.clone()]),
                    };
                    merged.insert(k.clone(), list);
                }
                _ => {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
    }
    let suggestion = if mergeable {
        let mut text = serde_json::to_string(&Value::Object(merged)).unwrap_or_default();
        if text.len() > 240 {
            let cut = (0..=240)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text.truncate(cut);
            text.push('…');
        }
        format!(": write `{key}: {text}`")
    } else {
        String::new()
    };
    Error::new(
        ErrorCode::PlatformListForMessage,
        opath,
        format!(
            "`{key}` is one {} message, not a list (some documentation snippets write `- …` items here; gcloud fails on them too){suggestion}",
            message.name
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Compiling the canonical document.

pub(super) fn obj<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    m.get(key).and_then(Value::as_object)
}

pub(super) fn list<'a>(m: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    m.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

pub(super) fn text<'a>(m: &'a Map<String, Value>, key: &str) -> &'a str {
    m.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn strings<'a>(m: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a str> {
    list(m, key).iter().filter_map(Value::as_str)
}

/// The objects of a list with their canonical pointers.
pub(super) fn objects<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    cpath: &str,
) -> impl Iterator<Item = (String, &'a Map<String, Value>)> {
    let base = join(cpath, key);
    list(m, key)
        .iter()
        .enumerate()
        .filter_map(move |(i, v)| v.as_object().map(|o| (join_index(&base, i), o)))
}

fn compile(canonical: Value, ctx: &Ctx, limits: &Limits) -> Result<PlatformPolicy, Error> {
    let empty = Map::new();
    let top = canonical.as_object().unwrap_or(&empty);
    let gke = obj(top, "gkePolicy").unwrap_or(&empty);
    let mut budget = Budget::new(limits);
    let allowlist = match obj(gke, "imageAllowlist") {
        Some(a) => allowlist(a, "/gkePolicy/imageAllowlist", ctx, &mut budget)?,
        None => Allowlist::default(),
    };
    let sets_path = "/gkePolicy/checkSets";
    let count = list(gke, "checkSets").len();
    if count > limits.max_platform_check_sets {
        return Err(ctx.err(
            ErrorCode::PlatformTooLarge,
            sets_path,
            format!(
                "{count} check sets, more than the limit of {}",
                limits.max_platform_check_sets
            ),
        ));
    }
    let mut check_sets = Vec::with_capacity(count);
    let mut paths = Vec::with_capacity(count);
    for (path, set) in objects(gke, "checkSets", "/gkePolicy") {
        check_sets.push(check_set(set, &path, ctx, &mut budget)?);
        paths.push(path);
    }
    validate::check_set_order(&check_sets, &paths, sets_path, ctx)?;
    let name = top
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    Ok(PlatformPolicy {
        canonical,
        name,
        allowlist,
        check_sets,
    })
}

fn allowlist(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<Allowlist, Error> {
    let base = join(cpath, "allowPattern");
    let mut patterns = Vec::new();
    for (i, p) in strings(m, "allowPattern").enumerate() {
        let path = join_index(&base, i);
        budget.pattern(&path, ctx)?;
        patterns.push(
            AllowPattern::parse(p)
                .map_err(|e| ctx.err(ErrorCode::PlatformInvalidAllowPattern, &path, e))?,
        );
    }
    Ok(Allowlist { patterns })
}

fn check_set(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<CheckSet, Error> {
    let scope = match obj(m, "scope") {
        Some(s) => validate::scope(s, &join(cpath, "scope"), ctx)?,
        None => super::Scope::Default,
    };
    let allowlist = match obj(m, "imageAllowlist") {
        Some(a) => Some(allowlist(a, &join(cpath, "imageAllowlist"), ctx, budget)?),
        None => None,
    };
    let count = list(m, "checks").len();
    if count > budget.limits.max_platform_checks_per_set {
        return Err(ctx.err(
            ErrorCode::PlatformTooLarge,
            &join(cpath, "checks"),
            format!(
                "{count} checks in one check set, more than the limit of {}",
                budget.limits.max_platform_checks_per_set
            ),
        ));
    }
    let mut checks = Vec::with_capacity(count);
    for (path, c) in objects(m, "checks", cpath) {
        checks.push(check(c, &path, ctx, budget)?);
    }
    Ok(CheckSet {
        display_name: text(m, "displayName").to_owned(),
        scope,
        allowlist,
        checks,
    })
}

fn check(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<Check, Error> {
    if m.get("alwaysDeny") == Some(&Value::Bool(false)) {
        return Err(ctx.err(
            ErrorCode::PlatformAlwaysDenyFalse,
            &join(cpath, "alwaysDeny"),
            "`alwaysDeny` can't be set to false: remove the check instead",
        ));
    }
    let kinds: Vec<&str> = CHECK_KINDS
        .iter()
        .copied()
        .filter(|k| m.contains_key(*k))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => {
            return Err(ctx.err(
                ErrorCode::PlatformCheckKind,
                cpath,
                format!("a check needs one kind: one of {}", CHECK_KINDS.join(", ")),
            ));
        }
        several => {
            return Err(ctx.err(
                ErrorCode::PlatformCheckKind,
                cpath,
                format!(
                    "a check has several kinds ({}): give one kind per check; to require several, write several checks",
                    several.join(", ")
                ),
            ));
        }
    };
    let allowlist = match obj(m, "imageAllowlist") {
        Some(a) => Some(allowlist(a, &join(cpath, "imageAllowlist"), ctx, budget)?),
        None => None,
    };
    let kpath = join(cpath, kind);
    let empty = Map::new();
    let body = obj(m, kind).unwrap_or(&empty);
    let kind = match kind {
        "alwaysDeny" => CheckKind::AlwaysDeny,
        "imageFreshnessCheck" => freshness(body, &kpath, ctx)?,
        "sigstoreSignatureCheck" => sigstore(body, &kpath, ctx, budget)?,
        "simpleSigningAttestationCheck" => simple_signing(body, &kpath, ctx, budget)?,
        "slsaCheck" => slsa(body, &kpath, ctx, budget)?,
        "trustedDirectoryCheck" => trusted_directory(body, &kpath, ctx, budget)?,
        _ => vulnerability(body, &kpath, ctx)?,
    };
    Ok(Check {
        display_name: text(m, "displayName").to_owned(),
        allowlist,
        kind,
    })
}

/// The pointer of `key` in `m` when present, else of `m` itself.
pub(super) fn at(m: &Map<String, Value>, key: &str, cpath: &str) -> String {
    if m.contains_key(key) {
        join(cpath, key)
    } else {
        cpath.to_owned()
    }
}

fn freshness(m: &Map<String, Value>, cpath: &str, ctx: &Ctx) -> Result<CheckKind, Error> {
    let days = m.get("maxUploadAgeDays").and_then(Value::as_i64);
    match days.and_then(|d| u32::try_from(d).ok()).filter(|&d| d > 0) {
        Some(max_upload_age_days) => Ok(CheckKind::ImageFreshness {
            max_upload_age_days,
        }),
        None => Err(ctx.err(
            ErrorCode::PlatformInvalidMaxAge,
            &at(m, "maxUploadAgeDays", cpath),
            match days {
                Some(d) => format!("`maxUploadAgeDays` is {d}; it must be greater than zero"),
                None => "`imageFreshnessCheck` needs `maxUploadAgeDays` (greater than zero)".into(),
            },
        )),
    }
}

fn simple_signing(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<CheckKind, Error> {
    let mut authenticators = Vec::new();
    for (apath, a) in objects(m, "attestationAuthenticators", cpath) {
        let empty = Map::new();
        let set_path = join(&apath, "pkixPublicKeySet");
        let set = obj(a, "pkixPublicKeySet").unwrap_or(&empty);
        let mut keys: Vec<crate::verify::key::PublicKey> = Vec::new();
        for (kpath, k) in objects(set, "pkixPublicKeys", &set_path) {
            budget.key(&kpath, ctx)?;
            let key = pkix(k, &kpath, ctx)?;
            if keys.iter().any(|other| other.id() == key.id()) {
                return Err(ctx.err(
                    ErrorCode::PlatformInvalidKeyId,
                    &at(k, "keyId", &kpath),
                    format!(
                        "two keys of one authenticator have the id `{}`: give each key its own `keyId`",
                        key.id()
                    ),
                ));
            }
            keys.push(key);
        }
        if keys.is_empty() {
            let path = if a.contains_key("pkixPublicKeySet") {
                at(set, "pkixPublicKeys", &set_path)
            } else {
                apath.clone()
            };
            return Err(ctx.err(
                ErrorCode::PlatformKeysRequired,
                &path,
                "an attestation authenticator needs at least one key in `pkixPublicKeySet.pkixPublicKeys`",
            ));
        }
        authenticators.push(Authenticator {
            display_name: text(a, "displayName").to_owned(),
            keys,
        });
    }
    if authenticators.is_empty() {
        return Err(ctx.err(
            ErrorCode::PlatformKeysRequired,
            &at(m, "attestationAuthenticators", cpath),
            "`simpleSigningAttestationCheck` needs at least one entry in `attestationAuthenticators`",
        ));
    }
    let projects = validate::projects(m, "containerAnalysisAttestationProjects", cpath, ctx)?;
    Ok(CheckKind::SimpleSigningAttestation {
        authenticators,
        projects,
    })
}

fn pkix(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
) -> Result<crate::verify::key::PublicKey, Error> {
    let pem_path = join(cpath, "publicKeyPem");
    let algorithm_path = join(cpath, "signatureAlgorithm");
    let pem = text(m, "publicKeyPem");
    if pem.is_empty() {
        return Err(ctx.err(
            ErrorCode::PlatformMissingField,
            &at(m, "publicKeyPem", cpath),
            "a key needs `publicKeyPem`",
        ));
    }
    let algorithm = match m.get("signatureAlgorithm").and_then(Value::as_str) {
        None => {
            return Err(ctx.err(
                ErrorCode::PlatformMissingField,
                cpath,
                "a key needs `signatureAlgorithm`: it names how signatures by this key are verified",
            ));
        }
        Some(name) => match SignatureAlgorithm::parse(name) {
            Some(a) if name != "SIGNATURE_ALGORITHM_UNSPECIFIED" => a,
            _ => {
                return Err(ctx.err(
                    ErrorCode::PlatformInvalidValue,
                    &algorithm_path,
                    format!("`signatureAlgorithm` is `{name}`: name the algorithm of the key"),
                ));
            }
        },
    };
    let key_id = m.get("keyId").and_then(Value::as_str);
    pkix_key(pem, algorithm, key_id).map_err(|e| match e {
        PkixKeyError::Invalid(msg) => ctx.err(ErrorCode::PlatformInvalidKey, &pem_path, msg),
        PkixKeyError::Mismatch(msg) => {
            ctx.err(ErrorCode::PlatformAlgorithmMismatch, &algorithm_path, msg)
        }
        PkixKeyError::KeyId(msg) => {
            ctx.err(ErrorCode::PlatformInvalidKeyId, &join(cpath, "keyId"), msg)
        }
    })
}

fn sigstore(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<CheckKind, Error> {
    let mut authorities = Vec::new();
    for (apath, a) in objects(m, "sigstoreAuthorities", cpath) {
        let empty = Map::new();
        let set_path = join(&apath, "publicKeySet");
        let set = obj(a, "publicKeySet").unwrap_or(&empty);
        let mut keys = Vec::new();
        for (kpath, k) in objects(set, "publicKeys", &set_path) {
            budget.key(&kpath, ctx)?;
            let pem = text(k, "publicKeyPem");
            if pem.is_empty() {
                return Err(ctx.err(
                    ErrorCode::PlatformMissingField,
                    &at(k, "publicKeyPem", &kpath),
                    "a sigstore public key needs `publicKeyPem`",
                ));
            }
            // No key names: every key of the authority is tried (decision E-2); the signing
            // mode is that of DSSE, the only mode a sigstore signature can use it in.
            let key = TrustedKey::from_pem(None, pem, SigningMode::Pae, KeySource::Caller)
                .map_err(|msg| {
                    ctx.err(
                        ErrorCode::PlatformInvalidKey,
                        &join(&kpath, "publicKeyPem"),
                        msg,
                    )
                })?;
            keys.push(key);
        }
        if keys.is_empty() {
            let path = if a.contains_key("publicKeySet") {
                at(set, "publicKeys", &set_path)
            } else {
                apath.clone()
            };
            return Err(ctx.err(
                ErrorCode::PlatformKeysRequired,
                &path,
                "a sigstore authority needs at least one key in `publicKeySet.publicKeys`",
            ));
        }
        authorities.push(SigstoreAuthority {
            display_name: text(a, "displayName").to_owned(),
            keys,
        });
    }
    if authorities.is_empty() {
        return Err(ctx.err(
            ErrorCode::PlatformKeysRequired,
            &at(m, "sigstoreAuthorities", cpath),
            "`sigstoreSignatureCheck` needs at least one entry in `sigstoreAuthorities`",
        ));
    }
    Ok(CheckKind::SigstoreSignature { authorities })
}

fn slsa(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<CheckKind, Error> {
    let mut rules = Vec::new();
    for (rpath, r) in objects(m, "rules", cpath) {
        let builder = r.get("trustedBuilder").and_then(Value::as_str);
        if builder != Some("GOOGLE_CLOUD_BUILD") {
            return Err(ctx.err(
                ErrorCode::PlatformUnsupportedBuilder,
                &at(r, "trustedBuilder", &rpath),
                format!(
                    "`trustedBuilder` is {}: `GOOGLE_CLOUD_BUILD` is the only supported builder",
                    builder.map_or_else(|| "not set".to_owned(), |b| format!("`{b}`"))
                ),
            ));
        }
        let empty = Map::new();
        let source_path = join(&rpath, "attestationSource");
        let source = obj(r, "attestationSource").unwrap_or(&empty);
        let projects = validate::projects(
            source,
            "containerAnalysisAttestationProjects",
            &source_path,
            ctx,
        )?;
        let base = join(&rpath, "trustedSourceRepoPatterns");
        let mut repo_patterns = Vec::new();
        for (i, p) in strings(r, "trustedSourceRepoPatterns").enumerate() {
            let path = join_index(&base, i);
            budget.pattern(&path, ctx)?;
            repo_patterns.push(
                RepoPattern::parse(p)
                    .map_err(|e| ctx.err(ErrorCode::PlatformInvalidRepoPattern, &path, e))?,
            );
        }
        rules.push(SlsaRule {
            projects,
            config_based_build_required: r.get("configBasedBuildRequired")
                == Some(&Value::Bool(true)),
            repo_patterns,
            custom_constraints: Some(text(r, "customConstraints"))
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        });
    }
    Ok(CheckKind::Slsa { rules })
}

fn trusted_directory(
    m: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<CheckKind, Error> {
    let base = join(cpath, "trustedDirPatterns");
    let mut patterns = Vec::new();
    for (i, p) in strings(m, "trustedDirPatterns").enumerate() {
        let path = join_index(&base, i);
        budget.pattern(&path, ctx)?;
        patterns.push(
            DirectoryPattern::parse(p)
                .map_err(|e| ctx.err(ErrorCode::PlatformInvalidDirectoryPattern, &path, e))?,
        );
    }
    if patterns.is_empty() {
        return Err(ctx.err(
            ErrorCode::PlatformMissingField,
            &at(m, "trustedDirPatterns", cpath),
            "`trustedDirectoryCheck` needs at least one entry in `trustedDirPatterns`",
        ));
    }
    Ok(CheckKind::TrustedDirectory { patterns })
}

fn vulnerability(m: &Map<String, Value>, cpath: &str, ctx: &Ctx) -> Result<CheckKind, Error> {
    let threshold = |key: &str| -> Result<Threshold, Error> {
        let t = match m.get(key).and_then(Value::as_str) {
            Some("BLOCK_ALL") => Threshold::BlockAll,
            Some("MINIMAL") => Threshold::Minimal,
            Some("LOW") => Threshold::Low,
            Some("MEDIUM") => Threshold::Medium,
            Some("HIGH") => Threshold::High,
            Some("CRITICAL") => Threshold::Critical,
            Some("ALLOW_ALL") => Threshold::AllowAll,
            _ => {
                return Err(ctx.err(
                    ErrorCode::PlatformSeverityUnspecified,
                    &at(m, key, cpath),
                    format!(
                        "`vulnerabilityCheck` needs `{key}`: one of BLOCK_ALL, MINIMAL, LOW, MEDIUM, HIGH, CRITICAL, ALLOW_ALL"
                    ),
                ));
            }
        };
        Ok(t)
    };
    let maximum_fixable = threshold("maximumFixableSeverity")?;
    let maximum_unfixable = threshold("maximumUnfixableSeverity")?;
    let projects = validate::projects(m, "containerAnalysisVulnerabilityProjects", cpath, ctx)?;
    Ok(CheckKind::Vulnerability(VulnerabilityCheck {
        maximum_fixable,
        maximum_unfixable,
        allowed_cves: strings(m, "allowedCves").map(str::to_owned).collect(),
        blocked_cves: strings(m, "blockedCves").map(str::to_owned).collect(),
        projects,
    }))
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;

//! The attestor's toolkit: `payload`, `sign`, `keygen`, `attestor`.

use std::path::Path;

use clap::Args;
use vouch::{ErrorCode, KeyAlgorithm, SignatureAlgorithm, SigningKey};

use crate::failure::{CliCode, Failure};
use crate::inputs::read_file;

#[derive(Debug, Args)]
pub struct PayloadArgs {
    /// The image, with its sha256 digest (`REPO[:TAG]@sha256:…`).
    #[arg(long, value_name = "REF")]
    image: String,
    /// Print PAE("application/vnd.dev.cosign.simplesigning.v1+json", payload) instead: the
    /// bytes `--pae` signatures (gcloud's `--pae-encode-payload`) sign.
    #[arg(long)]
    pae: bool,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The image, with its sha256 digest.
    #[arg(long, value_name = "REF")]
    image: String,
    /// The private key: PKCS#8 PEM (P-256 or Ed25519) or SEC1 PEM (P-256).
    #[arg(long, value_name = "FILE")]
    key: String,
    /// The attestor this attestation is for (`projects/P/attestors/A`).
    #[arg(long, value_name = "NAME")]
    attestor: String,
    /// The attestor's note (`projects/P/notes/N`); default: the note named like the attestor.
    #[arg(long, value_name = "NOTE")]
    note: Option<String>,
    /// The key id to record (default: the key's `ni:///sha-256;…` id). Must match the
    /// attestor's id for the key, e.g. a Cloud KMS key version URI.
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    /// Sign PAE("application/vnd.dev.cosign.simplesigning.v1+json", payload) instead of the
    /// payload (gcloud's `--pae-encode-payload`).
    #[arg(long)]
    pae: bool,
    /// For RSA keys: the signatureAlgorithm to sign with (default `RSA_PSS_<bits>_SHA256`;
    /// any `RSA_PSS_*` or `RSA_SIGN_PKCS1_*` of the key's size).
    #[arg(long, value_name = "ALGORITHM")]
    algorithm: Option<String>,
    /// The occurrence's `name`, `projects/PROJECT/occurrences/ID`: the name Container Analysis
    /// gives it once stored. Platform policies' attestation checks count only occurrences of
    /// the projects they list, which they read from this name.
    #[arg(long, value_name = "NAME")]
    occurrence_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeygenAlgorithm {
    /// ECDSA P-256 with SHA-256 (`ECDSA_P256_SHA256`).
    P256,
    /// ECDSA P-384 with SHA-384 (`ECDSA_P384_SHA384`).
    P384,
    /// RSASSA-PSS 2048 with SHA-256 (`RSA_PSS_2048_SHA256`).
    #[value(name = "rsa-pss-2048")]
    RsaPss2048,
    /// RSASSA-PSS 3072 with SHA-256 (`RSA_PSS_3072_SHA256`).
    #[value(name = "rsa-pss-3072")]
    RsaPss3072,
    /// RSASSA-PSS 4096 with SHA-256 (`RSA_PSS_4096_SHA256`).
    #[value(name = "rsa-pss-4096")]
    RsaPss4096,
    /// Ed25519 (vouch's `ED25519`; not accepted by Google's service).
    Ed25519,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The key type.
    #[arg(long, value_enum)]
    algorithm: KeygenAlgorithm,
    /// Where to write `private-key.pem` and `public-key.pem` (created if missing; existing
    /// key files are never overwritten).
    #[arg(long, value_name = "DIR")]
    out_dir: String,
    /// Print the result (and errors) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AttestorArgs {
    /// The attestor's name (`projects/P/attestors/A`).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Its note (`projects/P/notes/N`).
    #[arg(long, value_name = "NOTE")]
    note: String,
    /// The public key PEM file.
    #[arg(long, value_name = "FILE")]
    public_key: String,
    /// The signatureAlgorithm (`ECDSA_P256_SHA256`, `ED25519`, … or `p256`, `ed25519`).
    #[arg(long, value_name = "ALGORITHM")]
    algorithm: String,
    /// An explicit key id (default: the key's `ni:///sha-256;…` id).
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    /// A description.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
}

pub fn payload(args: &PayloadArgs) -> Result<String, Failure> {
    let payload = vouch::create_signature_payload(&args.image).map_err(Failure::plain)?;
    let bytes = if args.pae {
        vouch::pae(&payload)
    } else {
        payload
    };
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

fn note_for(attestor: &str, note: Option<&str>) -> Result<String, Failure> {
    match note {
        Some(note) => Ok(note.to_owned()),
        None => vouch::default_note(attestor).map_err(|_| {
            Failure::usage(format!(
                "`--attestor {attestor}` is not `projects/PROJECT/attestors/NAME`"
            ))
        }),
    }
}

pub fn sign(args: &SignArgs) -> Result<String, Failure> {
    let note = note_for(&args.attestor, args.note.as_deref())?;
    let pem = read_file(&args.key)?;
    let mut key = SigningKey::from_pem(&pem).map_err(|e| Failure::in_file(e, &args.key))?;
    if let Some(name) = &args.algorithm {
        let algorithm = parse_algorithm(name)?;
        key = key
            .with_algorithm(algorithm)
            .map_err(|e| Failure::in_file(e, &args.key))?;
    }
    let mut occurrence =
        vouch::sign_attestation(&args.image, &note, &key, args.key_id.as_deref(), args.pae)
            .map_err(Failure::plain)?;
    if let Some(name) = &args.occurrence_name {
        let valid = name
            .strip_prefix("projects/")
            .and_then(|rest| rest.split_once("/occurrences/"))
            .is_some_and(|(project, id)| {
                !project.is_empty() && !project.contains('/') && !id.is_empty() && !id.contains('/')
            });
        if !valid {
            return Err(Failure::usage(format!(
                "`--occurrence-name {name}` is not `projects/PROJECT/occurrences/ID`"
            )));
        }
        if let Some(map) = occurrence.as_object_mut() {
            map.insert("name".to_owned(), serde_json::Value::String(name.clone()));
        }
    }
    Ok(pretty(&occurrence))
}

pub fn keygen(args: &KeygenArgs) -> Result<String, Failure> {
    // The clap value's name is the core's name for the key kind.
    let algorithm = clap::ValueEnum::to_possible_value(&args.algorithm)
        .ok_or_else(|| Failure::usage("no key algorithm"))?
        .get_name()
        .parse::<KeyAlgorithm>()
        .map_err(Failure::usage)?;
    let dir = Path::new(&args.out_dir);
    let private_path = dir.join("private-key.pem");
    let public_path = dir.join("public-key.pem");
    for path in [&private_path, &public_path] {
        if path.exists() {
            return Err(Failure::file_error(
                CliCode::FileExists,
                &path.display().to_string(),
                format!(
                    "`{}` exists; keygen never overwrites keys (choose another --out-dir)",
                    path.display()
                ),
            ));
        }
    }
    let key = generate(algorithm)?;
    let private = key.to_pkcs8_pem().map_err(Failure::plain)?;
    std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, &e))?;
    write_new(&private_path, private.expose(), true)?;
    write_new(&public_path, &key.public_key_pem(), false)?;
    if args.json {
        let out = serde_json::json!({
            "algorithm": key.algorithm().as_str(),
            "keyId": key.default_key_id(),
            "privateKey": private_path.display().to_string(),
            "publicKey": public_path.display().to_string(),
        });
        return Ok(format!("{out}\n"));
    }
    Ok(format!(
        "algorithm:   {}\nkey id:      {}\nprivate key: {}\npublic key:  {}\n",
        key.algorithm(),
        key.default_key_id(),
        private_path.display(),
        public_path.display()
    ))
}

/// 32 bytes from the operating system, retried in the (2^-32) case they are not a P-256 scalar.
fn generate(algorithm: KeyAlgorithm) -> Result<SigningKey, Failure> {
    let mut last = None;
    for _ in 0..8 {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| {
            Failure::plain(vouch::Error::new(
                ErrorCode::InputInvalidPrivateKey,
                "",
                format!("no randomness: {e}"),
            ))
        })?;
        match SigningKey::from_seed(algorithm, &seed) {
            Ok(key) => return Ok(key),
            Err(e) => last = Some(e),
        }
    }
    Err(Failure::plain(last.unwrap_or_else(|| {
        vouch::Error::new(
            ErrorCode::InputInvalidPrivateKey,
            "",
            "could not generate a key",
        )
    })))
}

fn io_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::file_error(
        CliCode::Unreadable,
        &path.display().to_string(),
        format!("`{}`: {e}", path.display()),
    )
}

/// Creates a file that must not exist yet; private keys get mode 0600.
fn write_new(path: &Path, contents: &str, private: bool) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failure::file_error(
                CliCode::FileExists,
                &path.display().to_string(),
                format!("`{}` exists; keygen never overwrites keys", path.display()),
            )
        } else {
            io_failure(path, &e)
        }
    })?;
    file.write_all(contents.as_bytes())
        .map_err(|e| io_failure(path, &e))
}

pub fn attestor(args: &AttestorArgs) -> Result<String, Failure> {
    let algorithm = parse_algorithm(&args.algorithm)?;
    let pem = read_file(&args.public_key)?;
    let resource = vouch::attestor_resource(
        &args.name,
        &args.note,
        &pem,
        algorithm,
        args.key_id.as_deref(),
        args.description.as_deref(),
    )
    .map_err(Failure::plain)?;
    Ok(pretty(&resource))
}

/// A signatureAlgorithm name, or a `keygen` shorthand (`p256`, `p384`, `rsa-pss-2048`, …).
fn parse_algorithm(name: &str) -> Result<SignatureAlgorithm, Failure> {
    let shorthand = match name.to_ascii_lowercase().as_str() {
        "p256" => Some(SignatureAlgorithm::EcdsaP256Sha256),
        "p384" => Some(SignatureAlgorithm::EcdsaP384Sha384),
        "p521" => Some(SignatureAlgorithm::EcdsaP521Sha512),
        "rsa-pss-2048" => Some(SignatureAlgorithm::RsaPss2048Sha256),
        "rsa-pss-3072" => Some(SignatureAlgorithm::RsaPss3072Sha256),
        "rsa-pss-4096" => Some(SignatureAlgorithm::RsaPss4096Sha256),
        "ed25519" => Some(SignatureAlgorithm::Ed25519),
        _ => None,
    };
    shorthand
        .or_else(|| SignatureAlgorithm::parse(name))
        .ok_or_else(|| Failure::usage(format!("unknown algorithm `{name}`")))
}

fn pretty(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_note_follows_the_attestor() {
        assert_eq!(
            note_for("projects/p/attestors/qa", None).ok(),
            Some("projects/p/notes/qa".into())
        );
        assert_eq!(
            note_for("projects/p/attestors/qa", Some("projects/p/notes/x")).ok(),
            Some("projects/p/notes/x".into())
        );
        assert!(note_for("qa", None).is_err());
    }
}

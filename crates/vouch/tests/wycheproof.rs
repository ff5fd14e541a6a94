//! Project Wycheproof's signature test vectors through vouch's verification
//! (`vouch::internal::verify_signature`: the key is decoded and checked against the declared
//! algorithm exactly as for an attestor, then the signature is verified as for an attestation).
//!
//! Every `valid` vector must verify and every `invalid` one must not. `acceptable` vectors are
//! counted per outcome; the ones vouch accepts are listed in `docs/robustness.md`.
//! Run with `--nocapture` to see the counts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

use vouch::SignatureAlgorithm as A;
use wycheproof::TestResult;

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    /// Vectors whose key vouch refuses by policy (RSA exponent other than 65537, decision A-5).
    key_refused: usize,
    acceptable_accepted: Vec<usize>,
    acceptable_rejected: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(
        &mut self,
        id: usize,
        comment: &str,
        result: TestResult,
        accepted: bool,
        expect_reject: bool,
    ) {
        match (result, accepted) {
            (TestResult::Valid, true) if !expect_reject => self.valid += 1,
            (TestResult::Valid, false) if expect_reject => self.invalid += 1,
            (TestResult::Invalid, false) => self.invalid += 1,
            (TestResult::Acceptable, true) => self.acceptable_accepted.push(id),
            (TestResult::Acceptable, false) => self.acceptable_rejected += 1,
            _ => self.failures.push(format!(
                "tc {id} ({comment}): expected {result:?}, vouch accepted={accepted}"
            )),
        }
    }

    /// Runs one vector: a key vouch refuses counts as rejected, and only for documented reasons.
    fn run(
        &mut self,
        der: &[u8],
        algorithm: A,
        t: (usize, &str, TestResult, &[u8], &[u8]),
        expect_reject: bool,
    ) {
        let (id, comment, result, msg, sig) = t;
        match vouch::internal::verify_signature(der, algorithm, msg, sig) {
            Ok(accepted) => self.record(id, comment, result, accepted, expect_reject),
            // A malformed key is rejected when it loads, which is a rejection of the signature.
            Err(_) if result == TestResult::Invalid || expect_reject => self.invalid += 1,
            Err(why) if why.contains("exponent must be 65537") => self.key_refused += 1,
            Err(why) => self
                .failures
                .push(format!("tc {id} ({comment}): key refused: {why}")),
        }
    }

    fn report(&self, name: &str) {
        eprintln!(
            "wycheproof {name}: {} valid accepted, {} invalid rejected, {} refused (RSA exponent != 65537), acceptable: {} accepted {:?}, {} rejected",
            self.valid,
            self.invalid,
            self.key_refused,
            self.acceptable_accepted.len(),
            self.acceptable_accepted,
            self.acceptable_rejected
        );
        assert!(
            self.failures.is_empty(),
            "{name}:\n{}",
            self.failures.join("\n")
        );
        assert!(self.valid + self.invalid > 0, "{name}: no vectors ran");
    }
}

fn ecdsa(name: wycheproof::ecdsa::TestName, algorithm: A) {
    let set = wycheproof::ecdsa::TestSet::load(name).unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            tally.run(
                &group.der,
                algorithm,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                false,
            );
        }
    }
    tally.report(&format!("{name:?}"));
}

#[test]
fn ecdsa_p256_sha256_der() {
    ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256,
        A::EcdsaP256Sha256,
    );
}

#[test]
fn ecdsa_p384_sha384_der() {
    ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp384r1Sha384,
        A::EcdsaP384Sha384,
    );
}

#[test]
fn ecdsa_p521_sha512_der() {
    ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp521r1Sha512,
        A::EcdsaP521Sha512,
    );
}

/// The P1363 (`r‖s`) vectors must all be rejected: vouch accepts DER only (decision A-4).
#[test]
fn ecdsa_p256_p1363_is_rejected() {
    let set =
        wycheproof::ecdsa::TestSet::load(wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256P1363)
            .unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            tally.run(
                &group.der,
                A::EcdsaP256Sha256,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                true,
            );
        }
    }
    tally.report("EcdsaSecp256r1Sha256P1363 (all rejected)");
}

#[test]
fn ed25519() {
    let set = wycheproof::eddsa::TestSet::load(wycheproof::eddsa::TestName::Ed25519).unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            tally.run(
                &group.der,
                A::Ed25519,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                false,
            );
        }
    }
    tally.report("Ed25519");
}

fn pkcs1(name: wycheproof::rsa_pkcs1_verify::TestName, algorithm: A) {
    let set = wycheproof::rsa_pkcs1_verify::TestSet::load(name).unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            tally.run(
                &group.der,
                algorithm,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                false,
            );
        }
    }
    tally.report(&format!("{name:?}"));
}

#[test]
fn rsa_pkcs1() {
    use wycheproof::rsa_pkcs1_verify::TestName as N;
    pkcs1(N::Rsa2048Sha256, A::RsaSignPkcs1_2048Sha256);
    pkcs1(N::Rsa3072Sha256, A::RsaSignPkcs1_3072Sha256);
    pkcs1(N::Rsa4096Sha256, A::RsaSignPkcs1_4096Sha256);
    pkcs1(N::Rsa4096Sha512, A::RsaSignPkcs1_4096Sha512);
}

/// `expect_reject`: the set's salt length or MGF differs from what the algorithm requires, so
/// even its valid vectors must be rejected (decision A-5) — except vectors that Wycheproof built
/// *with* vouch's parameters to test other parameter sets (`valid_for_vouch`, by test id).
fn pss(
    name: wycheproof::rsa_pss_verify::TestName,
    algorithm: A,
    expect_reject: bool,
    valid_for_vouch: &[usize],
) {
    let set = wycheproof::rsa_pss_verify::TestSet::load(name).unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            if valid_for_vouch.contains(&t.tc_id) {
                let accepted =
                    vouch::internal::verify_signature(&group.der, algorithm, &t.msg, &t.sig)
                        .unwrap();
                assert!(
                    accepted,
                    "{name:?} tc {} ({}) is a valid {algorithm} signature",
                    t.tc_id, t.comment
                );
                continue;
            }
            tally.run(
                &group.der,
                algorithm,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                expect_reject,
            );
        }
    }
    tally.report(&format!(
        "{name:?}{}",
        if expect_reject { " (all rejected)" } else { "" }
    ));
}

#[test]
fn rsa_pss() {
    use wycheproof::rsa_pss_verify::TestName as N;
    pss(
        N::RsaPss2048Sha256Mgf1SaltLen32,
        A::RsaPss2048Sha256,
        false,
        &[],
    );
    pss(
        N::RsaPss3072Sha256Mgf1SaltLen32,
        A::RsaPss3072Sha256,
        false,
        &[],
    );
    pss(
        N::RsaPss4096Sha256Mgf1SaltLen32,
        A::RsaPss4096Sha256,
        false,
        &[],
    );
    pss(
        N::RsaPss4096Sha512Mgf1SaltLen64,
        A::RsaPss4096Sha512,
        false,
        &[],
    );
    // tc 69 of the salt-0 set is its "s_len changed to 32" signature: valid with salt 32.
    pss(
        N::RsaPss2048Sha256Mgf1SaltLen0,
        A::RsaPss2048Sha256,
        true,
        &[69],
    );
    pss(
        N::RsaPss2048Sha256Mgf1Sha1_20,
        A::RsaPss2048Sha256,
        true,
        &[],
    );
    pss(
        N::RsaPss4096Sha512Mgf1SaltLen32,
        A::RsaPss4096Sha512,
        true,
        &[],
    );
}

/// ML-DSA-65, pure mode with an empty context: vectors with a non-empty context must be
/// rejected, because vouch verifies with the empty context.
#[test]
fn ml_dsa_65() {
    let set =
        wycheproof::mldsa_verify::TestSet::load(wycheproof::mldsa_verify::TestName::MlDsa65Verify)
            .unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        for t in &group.tests {
            let with_context = t.ctx.as_ref().is_some_and(|c| !c.is_empty());
            tally.run(
                &group.der,
                A::MlDsa65,
                (t.tc_id, &t.comment, t.result, &t.msg, &t.sig),
                with_context,
            );
        }
    }
    tally.report("MlDsa65Verify");
}

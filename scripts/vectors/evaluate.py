"""The evaluate group: the specification's worked examples and every rule mode."""

from .builders import *  # noqa: F401,F403


def spec_cases():
    g = "evaluate"
    # Case 1: allowlist wildcards, ALWAYS_DENY default.
    p1 = policy(
        rule("ALWAYS_DENY"),
        patterns=[
            "gcr.io/example-project/nginx*",
            "us-docker.pkg.dev/example-project/tools/**",
            "gcr.io/example-project/helloworld:v1.*",
            "docker.io/library/busybox*",
        ],
    )
    vec(
        g,
        "001-case1a-star-pattern-exempts-tagged-image",
        "§10 1a: `nginx*` matches `nginx:1.25` (no `/` after the prefix)",
        p1,
        images("gcr.io/example-project/nginx:1.25"),
        exp(
            "ALLOW",
            imgs=[
                img(
                    "gcr.io/example-project/nginx:1.25",
                    "EXEMPT",
                    exemption=("ALLOWLIST", "gcr.io/example-project/nginx*"),
                )
            ],
        ),
    )
    vec(
        g,
        "002-case1b-star-does-not-cross-slash",
        "§10 1b: `*` cannot cross `/`",
        p1,
        images("gcr.io/example-project/nginx-images/nginx:1.25"),
        exp(
            "DENY",
            imgs=[
                img(
                    "gcr.io/example-project/nginx-images/nginx:1.25",
                    "VIOLATION",
                    reasons=[why("ALWAYS_DENY", details=[])],
                )
            ],
        ),
    )
    kaniko = "us-docker.pkg.dev/example-project/tools/ci/kaniko@" + DIG_C
    vec(
        g,
        "003-case1c-double-star-crosses-slash",
        "§10 1c: `**` crosses `/`",
        p1,
        images(kaniko),
        exp(
            "ALLOW",
            imgs=[
                img(
                    kaniko,
                    "EXEMPT",
                    exemption=("ALLOWLIST", "us-docker.pkg.dev/example-project/tools/**"),
                )
            ],
        ),
    )
    vec(
        g,
        "004-case1d-tag-prefix-one-of-two-images",
        "§10 1d: tag prefix `v1.` exempts only the second image; one violation denies the pod",
        p1,
        images("gcr.io/example-project/helloworld:v2.0", "gcr.io/example-project/helloworld:v1.3"),
        exp(
            "DENY",
            imgs=[
                img(
                    "gcr.io/example-project/helloworld:v2.0",
                    "VIOLATION",
                    reasons=[why("ALWAYS_DENY")],
                ),
                img(
                    "gcr.io/example-project/helloworld:v1.3",
                    "EXEMPT",
                    exemption=("ALLOWLIST", "gcr.io/example-project/helloworld:v1.*"),
                ),
            ],
        ),
    )
    vec(
        g,
        "005-case1e-no-normalization-before-matching",
        "§10 1e, A-2: `busybox:1.36` is not normalized to docker.io/library/busybox",
        p1,
        images("busybox:1.36"),
        exp("DENY", imgs=[img("busybox:1.36", "VIOLATION", reasons=[why("ALWAYS_DENY")])]),
    )

    # Case 2: system policy vs user policy.
    sysp = {
        "admissionWhitelistPatterns": [
            {"namePattern": "gke.gcr.io/**"},
            {"namePattern": "gcr.io/gke-release/**"},
        ]
    }
    kp = "gke.gcr.io/kube-proxy-amd64:v1.29.1-gke.1"
    vec(
        g,
        "006-case2a-system-policy-exempts-first",
        "§10 2a: ENABLE consults the caller's system policy first",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        images(kp),
        exp(
            "ALLOW",
            imgs=[img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**"))],
            system="CALLER",
        ),
        system=sysp,
    )
    vec(
        g,
        "007-case2b-system-policy-disabled",
        "§10 2b: DISABLE ignores the system policy",
        DENY_ALL,
        images(kp),
        exp("DENY", imgs=[img(kp, "VIOLATION", reasons=[why("ALWAYS_DENY")])], system=None),
        system=sysp,
    )
    vec(
        g,
        "008-case2c-unspecified-means-disable",
        "§10 2c, A-23: an absent globalPolicyEvaluationMode means DISABLE",
        policy(rule("ALWAYS_DENY"), gmode=None),
        images(kp),
        exp("DENY", system=None),
        system=sysp,
    )
    vec(
        g,
        "009-case2d-system-policy-does-not-cover-image",
        "§10 2d: images the system policy does not cover fall through",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        images("docker.io/library/nginx:latest"),
        exp(
            "DENY",
            imgs=[img("docker.io/library/nginx:latest", "VIOLATION", reasons=[why("ALWAYS_DENY")])],
            system="CALLER",
        ),
        system=sysp,
    )
    vec(
        g,
        "010-case2e-built-in-system-policy",
        "A-23: ENABLE without a caller system policy uses the built-in documented list",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        images(kp, "k8s.gcr.io/pause:3.9"),
        exp(
            "ALLOW",
            imgs=[
                img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**")),
                img("k8s.gcr.io/pause:3.9", "EXEMPT", exemption=("SYSTEM_POLICY", "k8s.gcr.io/**")),
            ],
            system="BUILT_IN",
        ),
    )
    vec(
        g,
        "011-case2f-system-policy-before-allowlist",
        "the system policy is consulted before the project allowlist",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gke.gcr.io/kube-proxy-amd64*"]),
        images(kp),
        exp(
            "ALLOW",
            imgs=[img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**"))],
            system="CALLER",
        ),
        system=sysp,
    )
    vec(
        g,
        "012-case2g-system-policy-as-export",
        "a full `export-system-policy` document is accepted as systemPolicy",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        images(kp),
        exp("ALLOW", system="CALLER"),
        system={
            "name": "locations/global/policy",
            "globalPolicyEvaluationMode": "ENABLE",
            "admissionWhitelistPatterns": [{"namePattern": "gke.gcr.io/**"}],
            "defaultAdmissionRule": rule("ALWAYS_DENY"),
        },
    )

    # Case 3: two attestors (AND), digest binding. (The spec's qa attestor uses RSA-PSS, which this
    # build does not verify; here qa uses a P-256 Cloud KMS-style key. See attestation/ for RSA.)
    p3 = require(CI, QA, gmode="ENABLE")
    atts = [ci_attestor(), qa_attestor()]
    wa = WEB + "@" + DIG_A
    spec_qa = v.pkix_attestor(QA, QA_NOTE, [("spec-rsa2048", "RSA_SIGN_PSS_2048_SHA256", KMS_ID)])
    o2 = v.occurrence(
        P + "/occurrences/o2",
        QA_NOTE,
        WEB + "@" + DIG_A,
        SPEC["payload_A_b64"],
        [(KMS_ID, SPEC["rsa_pss_sig_A_b64"])],
    )
    vec(
        g,
        "013-case3a-spec-material",
        "§10 3a exactly: the spec's EC attestor and its RSA-PSS (KMS) qa attestor",
        p3,
        images(WEB + "@" + DIG_A),
        exp(
            "ALLOW",
            imgs=[
                img(
                    WEB + "@" + DIG_A,
                    "CONFORMANT",
                    attestors=[att(CI, True, key_id=EC_ID), att(QA, True, key_id=KMS_ID)],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor(), spec_qa],
        attestations=[spec_occ("o1", SPEC["payload_A_b64"], SPEC["sig_A_b64"]), o2],
    )
    vec(
        g,
        "014-case3a-both-attestors-satisfied",
        "§10 3a: AND over attestors; both have valid attestations",
        p3,
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[
                        att(CI, True, key_id=CI_KEY_ID, occurrence=P + "/occurrences/ci-1"),
                        att(QA, True, key_id=QA_KEY_ID, occurrence=P + "/occurrences/qa-1"),
                    ],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=atts,
        attestations=[ci_occ(), qa_occ()],
    )
    vec(
        g,
        "015-case3b-one-attestor-missing",
        "§10 3b: AND semantics; qa has no attestation",
        p3,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", QA, details=[])],
                    attestors=[att(CI, True), att(QA, False)],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=atts,
        attestations=[ci_occ()],
    )
    vec(
        g,
        "016-case3c-tag-under-attestation-rule",
        "§10 3c: a tag-only image cannot be attested",
        p3,
        images(WEB + ":1.0"),
        exp(
            "DENY",
            imgs=[
                img(
                    WEB + ":1.0",
                    "VIOLATION",
                    reasons=[why("NOT_DIGEST_PINNED", CI), why("NOT_DIGEST_PINNED", QA)],
                    attestors=[att(CI, False), att(QA, False)],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=atts,
        attestations=[ci_occ(), qa_occ()],
    )
    mirror = MIRROR + "@" + DIG_A
    vec(
        g,
        "017-case3d-digest-only-binding",
        "§10 3d, A-12: only the digest binds; the same digest in a mirror is admitted",
        p3,
        images(mirror),
        exp("ALLOW", system="BUILT_IN"),
        attestors=atts,
        attestations=[ci_occ(), qa_occ()],
    )
    vec(
        g,
        "018-case3d-strict-identity-denies-mirror",
        "§10 3d with strictIdentity: docker-reference must be the image's repository",
        p3,
        images(mirror),
        exp(
            "DENY",
            imgs=[
                img(
                    mirror,
                    "VIOLATION",
                    reasons=[
                        why("NO_VALID_ATTESTATION", CI, details=["IDENTITY_MISMATCH"]),
                        why("NO_VALID_ATTESTATION", QA, details=["IDENTITY_MISMATCH"]),
                    ],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=atts,
        attestations=[ci_occ(image=mirror), qa_occ(image=mirror)],
        options={"strictIdentity": True},
    )
    vec(
        g,
        "019-case3e-signed-payload-for-other-digest",
        "§10 3e: a valid signature over a payload for another digest does not count",
        p3,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[
                        why(
                            "NO_VALID_ATTESTATION",
                            CI,
                            details=[("DIGEST_MISMATCH", P + "/occurrences/ci-3")],
                        )
                    ],
                    attestors=[att(CI, False), att(QA, True)],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=atts,
        attestations=[ci_occ(name="ci-3", payload=PAYLOAD_B), qa_occ()],
    )
    vec(
        g,
        "020-case3f-tag-and-digest",
        "§10 3f: `name:tag@digest` is evaluated by its digest",
        p3,
        images(WEB + ":1.0@" + DIG_A),
        exp("ALLOW", system="BUILT_IN"),
        attestors=atts,
        attestations=[ci_occ(), qa_occ()],
    )

    # Case 4: cluster rules and dry run.
    p4 = policy(
        rule("ALWAYS_ALLOW"),
        gmode="ENABLE",
        cluster={
            "us-central1-a.prod-cluster": rule("REQUIRE_ATTESTATION", ENF, [CI]),
            "us-central1.staging-cluster": rule("ALWAYS_DENY", DRY),
        },
    )
    wb = WEB + "@" + DIG_B
    vec(
        g,
        "021-case4a-cluster-rule-replaces-default",
        "§10 4a: the cluster rule applies, not the ALWAYS_ALLOW default",
        p4,
        images(wb, cluster="us-central1-a.prod-cluster"),
        exp(
            "DENY",
            "CLUSTER",
            "us-central1-a.prod-cluster",
            imgs=[img(wb, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=[])])],
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "022-case4b-cluster-rule-satisfied",
        "§10 4b",
        p4,
        images(wa, cluster="us-central1-a.prod-cluster"),
        exp("ALLOW", "CLUSTER", "us-central1-a.prod-cluster", system="BUILT_IN"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "023-case4c-regional-cluster-dry-run",
        "§10 4c: ALWAYS_DENY in dry run admits and records the violation",
        p4,
        images(WEB + ":latest", cluster="us-central1.staging-cluster"),
        exp(
            "DRY_RUN_ALLOW",
            "CLUSTER",
            "us-central1.staging-cluster",
            annotations=ANN_DRY,
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "024-case4d-cluster-key-mismatch-uses-default",
        "§10 4d: keys are exact; another zone falls back to the default rule",
        p4,
        images(WEB + ":latest", cluster="us-central1-b.prod-cluster"),
        exp("ALLOW", "DEFAULT", None, system="BUILT_IN"),
        attestors=[ci_attestor()],
    )

    # Case 5: namespace rules, allowlisted sidecar, init containers.
    p5 = policy(
        rule("ALWAYS_DENY"),
        gmode="ENABLE",
        patterns=["gcr.io/example-project/debug-tools/*"],
        ns={"payments": rule("REQUIRE_ATTESTATION", ENF, [CI]), "sandbox": rule("ALWAYS_ALLOW")},
    )
    vec(
        g,
        "025-case5a-namespace-always-allow",
        "§10 5a",
        p5,
        images("busybox:1.36", namespace="sandbox"),
        exp("ALLOW", "NAMESPACE", "sandbox", system="BUILT_IN"),
        attestors=[ci_attestor()],
    )
    net = "gcr.io/example-project/debug-tools/netshoot:latest"
    vec(
        g,
        "026-case5b-allowlisted-sidecar-and-attested-app",
        "§10 5b: a workload with an attested app and an allowlisted sidecar",
        p5,
        {"workload": pod([("web", wa), ("netshoot", net)], namespace="payments")},
        exp(
            "ALLOW",
            "NAMESPACE",
            "payments",
            imgs=[
                img(wa, "CONFORMANT", container="web", attestors=[att(CI, True)]),
                img(
                    net,
                    "EXEMPT",
                    container="netshoot",
                    exemption=("ALLOWLIST", "gcr.io/example-project/debug-tools/*"),
                ),
            ],
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "027-case5c-init-container-is-reviewed",
        "§10 5c: init containers are evaluated; one denied image denies the pod",
        p5,
        {"workload": pod([("web", wa)], namespace="payments", init=[("migrate", wb)])},
        exp(
            "DENY",
            "NAMESPACE",
            "payments",
            imgs=[
                img(
                    wb, "VIOLATION", container="migrate", reasons=[why("NO_VALID_ATTESTATION", CI)]
                ),
                img(wa, "CONFORMANT", container="web"),
            ],
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "028-case5d-other-namespace-uses-default",
        "§10 5d",
        p5,
        images(wa, namespace="kube-public"),
        exp(
            "DENY",
            "DEFAULT",
            None,
            imgs=[img(wa, "VIOLATION", reasons=[why("ALWAYS_DENY")])],
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )

    # Case 6: service-account rules and break-glass.
    p6 = policy(
        rule("REQUIRE_ATTESTATION", ENF, [CI]),
        gmode="ENABLE",
        sa={"ci:deployer": rule("ALWAYS_ALLOW")},
    )
    dev = WEB + ":dev"
    vec(
        g,
        "029-case6a-service-account-rule",
        "§10 6a",
        p6,
        images(dev, namespace="ci", serviceAccount="deployer"),
        exp("ALLOW", "SERVICE_ACCOUNT", "ci:deployer", system="BUILT_IN"),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "030-case6b-service-account-key-is-exact",
        "§10 6b: `ci:default` is not `ci:deployer`",
        p6,
        images(dev, namespace="ci", serviceAccount="default"),
        exp(
            "DENY",
            "DEFAULT",
            None,
            imgs=[img(dev, "VIOLATION", reasons=[why("NOT_DIGEST_PINNED", CI)])],
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "031-case6c-break-glass-label",
        "§10 6c: the break-glass label admits and records the overridden violation",
        p6,
        images(dev, namespace="ci", labels={"image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", "DEFAULT", None, annotations=ANN_BG_OV, system="BUILT_IN"),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "032-case6d-legacy-break-glass-annotation",
        "§10 6d, A-10: the legacy annotation still triggers",
        p6,
        images(dev, namespace="ci", annotations={"alpha.image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV, system="BUILT_IN"),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "033-case6e-break-glass-when-conformant",
        "§10 6e: break-glass is recorded even when nothing violated",
        p6,
        images(
            dev,
            namespace="ci",
            serviceAccount="deployer",
            labels={"image-policy.k8s.io/break-glass": "true"},
        ),
        exp(
            "BREAK_GLASS_ALLOW",
            "SERVICE_ACCOUNT",
            "ci:deployer",
            annotations=ANN_BG,
            system="BUILT_IN",
        ),
        attestors=[ci_attestor()],
    )

    # Case 7: key ids, key sets, signature encodings (the spec's own key and openssl signatures).
    p7 = require(CI, gmode="ENABLE")
    s = SPEC
    vec(
        g,
        "034-case7a-unknown-key-id",
        "§10 7a: the id must name a configured key exactly",
        p7,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", CI, details=["UNKNOWN_KEY_ID"])],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor()],
        attestations=[
            spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"], key_id="ni:///sha-256;" + "A" * 43)
        ],
    )
    no_keys = spec_ci_attestor()
    no_keys["userOwnedGrafeasNote"]["publicKeys"] = []
    vec(
        g,
        "035-case7b-attestor-without-keys",
        "§10 7b: an empty key list never verifies",
        p7,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["NO_KEYS"])])
            ],
            system="BUILT_IN",
        ),
        attestors=[no_keys],
        attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])],
    )
    vec(
        g,
        "036-case7d-p1363-signature-rejected",
        "§10 7d, A-4: IEEE-P1363 r||s is not the documented DER encoding",
        p7,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", CI, details=["BAD_SIGNATURE"])],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_p1363_b64"])],
    )
    vec(
        g,
        "037-case7e-pae-signature-accepted",
        "§10 7e, A-13: a signature over PAE(payload) verifies in the second pass",
        p7,
        images(wa),
        exp(
            "ALLOW",
            imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, form="PAE", key_id=EC_ID)])],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_pae_b64"])],
    )
    two_sigs = spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])
    two_sigs["attestation"]["signatures"].insert(
        0, {"publicKeyId": "unknown-key", "signature": s["sig_A_b64"]}
    )
    vec(
        g,
        "038-case7f-any-signature-suffices",
        "§10 7f: one verifying signature is enough",
        p7,
        images(wa),
        exp(
            "ALLOW",
            imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, key_id=EC_ID)])],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor()],
        attestations=[two_sigs],
    )
    vec(
        g,
        "039-case7g-default-key-id",
        "§10 7g: an omitted id is derived from the key (ni:///sha-256;…)",
        p7,
        images(wa),
        exp(
            "ALLOW",
            imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, key_id=EC_ID)])],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor(key_id=None)],
        attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])],
    )
    vec(
        g,
        "040-spec-mirror-payload-digest-a",
        "the spec's mirror payload (other docker-reference, digest A) admits image A",
        p7,
        images(wa),
        exp("ALLOW", system="BUILT_IN"),
        attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o1", s["payload_mirror_b64"], s["sig_mirror_b64"])],
    )
    vec(
        g,
        "041-spec-payload-b-for-image-a",
        "the spec's payload B (valid signature, digest B) does not admit image A",
        p7,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", CI, details=["DIGEST_MISMATCH"])],
                )
            ],
            system="BUILT_IN",
        ),
        attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o3", s["payload_B_b64"], s["sig_B_b64"])],
    )


def mode_cases():
    g = "evaluate"
    wa, wb = WEB + "@" + DIG_A, WEB + "@" + DIG_B
    for mode, enforcement, verdict, ann in [
        ("ALWAYS_ALLOW", ENF, "ALLOW", None),
        ("ALWAYS_ALLOW", DRY, "ALLOW", None),
        ("ALWAYS_DENY", ENF, "DENY", None),
        ("ALWAYS_DENY", DRY, "DRY_RUN_ALLOW", ANN_DRY),
    ]:
        vec(
            g,
            "mode-%s-%s"
            % (mode.lower().replace("_", "-"), "dry-run" if enforcement == DRY else "enforced"),
            f"{mode} under {enforcement}",
            policy(rule(mode, enforcement)),
            images("gcr.io/p/app:1"),
            exp(verdict, annotations=ann),
        )
    p = require(CI, enforcement=DRY)
    vec(
        g,
        "046-mode-require-attestation-dry-run-satisfied",
        "a conformant pod under a dry-run rule gets no dry-run label",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "047-mode-require-attestation-dry-run-violated",
        "dry run admits an unattested image and records it",
        p,
        images(wb),
        exp(
            "DRY_RUN_ALLOW",
            imgs=[img(wb, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI)])],
            annotations=ANN_DRY,
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "048-break-glass-wins-over-dry-run",
        "A-24: break-glass takes precedence over dry run",
        p,
        images(wb, labels={"image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "049-break-glass-conformant-under-dry-run",
        "break-glass with nothing to override records only break-glass",
        p,
        images(wa, labels={"image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "050-break-glass-value-false",
        "A-10: only the value `true` triggers break-glass",
        DENY_ALL,
        images("gcr.io/p/app:1", labels={"image-policy.k8s.io/break-glass": "false"}),
        exp("DENY"),
    )
    vec(
        g,
        "051-break-glass-value-case-insensitive",
        "A-10: `TRUE` triggers break-glass",
        DENY_ALL,
        images("gcr.io/p/app:1", labels={"image-policy.k8s.io/break-glass": "TRUE"}),
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV),
    )
    vec(
        g,
        "052-break-glass-on-deployment-object-ignored",
        "A-10: only the pod template's metadata counts, not the Deployment's",
        DENY_ALL,
        {
            "workload": controller(
                "Deployment",
                [("app", "gcr.io/p/app:1")],
                object_labels={"image-policy.k8s.io/break-glass": "true"},
            )
        },
        exp("DENY"),
    )
    vec(
        g,
        "053-break-glass-on-pod-template",
        "A-10: break-glass on a Deployment's pod template",
        DENY_ALL,
        {
            "workload": controller(
                "Deployment",
                [("app", "gcr.io/p/app:1")],
                template_labels={"image-policy.k8s.io/break-glass": "true"},
            )
        },
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV),
    )
    vec(
        g,
        "054-all-images-exempt-under-always-deny",
        "exempt images never violate",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/**"]),
        images("gcr.io/p/a:1", "gcr.io/p/b/c@" + DIG_A),
        exp(
            "ALLOW",
            imgs=[
                img("gcr.io/p/a:1", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**")),
                img("gcr.io/p/b/c@" + DIG_A, "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**")),
            ],
        ),
    )
    vec(
        g,
        "055-tags-fine-under-always-allow",
        "ALWAYS_ALLOW admits tag-only images",
        ALLOW_ALL,
        images("nginx", "nginx:latest"),
        exp(
            "ALLOW",
            imgs=[
                img("nginx", "CONFORMANT", attestors=[]),
                img("nginx:latest", "CONFORMANT", attestors=[]),
            ],
        ),
    )
    vec(
        g,
        "056-same-image-twice-both-reported",
        "each container is reported, in order, even with the same image",
        require(CI),
        {"workload": pod([("a", wa), ("b", wa)], init=[("i", wa)])},
        exp(
            "ALLOW",
            imgs=[
                img(wa, "CONFORMANT", container="i"),
                img(wa, "CONFORMANT", container="a"),
                img(wa, "CONFORMANT", container="b"),
            ],
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "057-sha512-digest-not-attestable",
        "attestation rules need a sha256 digest; sha512 counts as not pinned",
        require(CI),
        images(WEB + "@sha512:" + "ab" * 64),
        exp(
            "DENY",
            imgs=[
                img(
                    WEB + "@sha512:" + "ab" * 64,
                    "VIOLATION",
                    reasons=[why("NOT_DIGEST_PINNED", CI)],
                )
            ],
        ),
        attestors=[ci_attestor()],
    )
    vec(
        g,
        "058-three-attestors-mixed-algorithms",
        "AND over a P-256, a KMS-id P-256 and an Ed25519 attestor",
        require(CI, QA, SCAN),
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(CI, True), att(QA, True), att(SCAN, True, key_id=SCAN_KEY_ID)],
                )
            ],
        ),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()],
        attestations=[scan_occ(), qa_occ(), ci_occ()],
    )
    vec(
        g,
        "059-attestor-order-follows-policy",
        "attestors are reported in policy order, reasons for each missing one",
        require(SCAN, CI, QA),
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", SCAN), why("NO_VALID_ATTESTATION", QA)],
                    attestors=[att(SCAN, False), att(CI, True), att(QA, False)],
                )
            ],
        ),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "060-extra-attestors-are-allowed",
        "attestors the policy does not use may be supplied",
        require(CI),
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "061-yaml-policy-string",
        "policy given as the YAML text gcloud exports",
        "name: projects/example-project/policy\nglobalPolicyEvaluationMode:"
        " DISABLE\nadmissionWhitelistPatterns:\n- namePattern:"
        " gcr.io/example-project/tools/*\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n "
        " enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nupdateTime:"
        " '2026-10-01T00:00:00.000000Z'\n",
        images("gcr.io/example-project/tools/kubectl:1.31"),
        exp("ALLOW"),
    )
    vec(
        g,
        "062-now-is-not-consulted",
        "no project-policy rule depends on time; a far-future now changes nothing",
        require(CI),
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
        now="2099-12-31T23:59:59.999+05:30",
    )


def cases():
    spec_cases()
    mode_cases()


# The stable names of the evaluate cases built in loops above (their file names).
stable_names(
    "evaluate",
    [
        "042-mode-always-allow-enforced",
        "043-mode-always-allow-dry-run",
        "044-mode-always-deny-enforced",
        "045-mode-always-deny-dry-run",
    ],
)

# Binary Authorization's allowlist and rule selection, written in Rego the way a policy author
# would: the comparison baseline of benches/compare (issue 8), evaluated by regorus.
#
#   data.policy  the project policy, exactly as exported (admissionWhitelistPatterns,
#                defaultAdmissionRule, clusterAdmissionRules, kubernetesNamespaceAdmissionRules,
#                kubernetesServiceAccountAdmissionRules, istioServiceIdentityAdmissionRules)
#   input        the request of a vouch bundle: images or workload, namespace, serviceAccount,
#                cluster, meshIdentity, labels
#
# data.vouch.decision is {allowed, rule: {kind, key}, images: [{image, outcome}]}.
#
# Scope: no signatures (a REQUIRE_ATTESTATION rule makes every non-exempt image a violation),
# no system policy (globalPolicyEvaluationMode ENABLE is not modelled), break-glass only from
# the request's labels. The benchmark runs it on the signature-free scenarios only, and checks
# that allowed, the rule and each image's outcome equal vouch's.
package vouch

import rego.v1

policy := data.policy

# --- The request ---------------------------------------------------------------------------

pod_spec := input.workload.spec if input.workload.kind == "Pod"

pod_spec := input.workload.spec.jobTemplate.spec.template.spec if input.workload.kind == "CronJob"

pod_spec := input.workload.spec.template.spec if {
	not input.workload.kind in {"Pod", "CronJob"}
	input.workload.spec.template.spec
}

images := input.images if input.images

images := [c.image |
	some field in ["initContainers", "containers", "ephemeralContainers"]
	some c in object.get(pod_spec, field, [])
] if not input.images

namespace := input.namespace if {
	input.namespace
} else := input.workload.metadata.namespace if {
	input.workload.metadata.namespace
} else := "default"

service_account := input.serviceAccount if {
	input.serviceAccount
} else := pod_spec.serviceAccountName if {
	pod_spec.serviceAccountName
} else := "default"

# --- Rule selection: mesh identity, service account, namespace, cluster, default -----------

mesh_rule(identity) := policy.istioServiceIdentityAdmissionRules[identity]

mesh_rule(identity) := policy.istioServiceIdentityAdmissionRules[concat("", ["spiffe://", identity])]

selected := {"kind": "ISTIO_IDENTITY", "key": key, "rule": rule} if {
	key := trim_prefix(input.meshIdentity, "spiffe://")
	rule := mesh_rule(key)
} else := {"kind": "SERVICE_ACCOUNT", "key": key, "rule": rule} if {
	key := concat(":", [namespace, service_account])
	rule := policy.kubernetesServiceAccountAdmissionRules[key]
} else := {"kind": "NAMESPACE", "key": namespace, "rule": rule} if {
	rule := policy.kubernetesNamespaceAdmissionRules[namespace]
} else := {"kind": "CLUSTER", "key": input.cluster, "rule": rule} if {
	rule := policy.clusterAdmissionRules[input.cluster]
} else := {"kind": "DEFAULT", "key": null, "rule": policy.defaultAdmissionRule}

# --- The allowlist: exact, `prefix*` (no `/` after the prefix), `prefix**` ------------------

exempt_images contains image if {
	some image in images
	some p in policy.admissionWhitelistPatterns
	endswith(p.namePattern, "**")
	startswith(image, trim_suffix(p.namePattern, "**"))
}

exempt_images contains image if {
	some image in images
	some p in policy.admissionWhitelistPatterns
	not endswith(p.namePattern, "**")
	endswith(p.namePattern, "*")
	prefix := trim_suffix(p.namePattern, "*")
	startswith(image, prefix)
	not contains(substring(image, count(prefix), -1), "/")
}

exempt_images contains image if {
	some image in images
	some p in policy.admissionWhitelistPatterns
	p.namePattern == image
}

# --- The decision ---------------------------------------------------------------------------

outcome(image) := "EXEMPT" if {
	image in exempt_images
} else := "CONFORMANT" if {
	selected.rule.evaluationMode == "ALWAYS_ALLOW"
} else := "VIOLATION"

results := [{"image": image, "outcome": outcome(image)} | some image in images]

violations := [r | some r in results; r.outcome == "VIOLATION"]

default allowed := false

allowed if count(violations) == 0

allowed if selected.rule.enforcementMode == "DRYRUN_AUDIT_LOG_ONLY"

allowed if input.labels["image-policy.k8s.io/break-glass"] == "true"

decision := {
	"allowed": allowed,
	"rule": {"kind": selected.kind, "key": selected.key},
	"images": results,
}

//! Name formats shared by loaders: resource names, Kubernetes names, cluster and mesh identities.

/// The lookup form of a mesh identity: without the `spiffe://` scheme.
pub(crate) fn istio_key(identity: &str) -> &str {
    identity.strip_prefix("spiffe://").unwrap_or(identity)
}

/// `projects/P/<collection>/N` with non-empty, slash-free segments.
pub(crate) fn is_resource_name(name: &str, collection: &str) -> bool {
    let mut parts = name.split('/');
    let ok = parts.next() == Some("projects")
        && parts.next().is_some_and(valid_segment)
        && parts.next() == Some(collection)
        && parts.next().is_some_and(valid_segment);
    ok && parts.next().is_none()
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic())
}

/// A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(crate) fn valid_namespace(s: &str) -> bool {
    let b = s.as_bytes();
    let lower_alnum = |x: &u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(lower_alnum)
        && b.last().is_some_and(lower_alnum)
        && b.iter().all(|x| lower_alnum(x) || *x == b'-')
}

/// A DNS-1123 subdomain (service account names), at most 253 characters.
pub(crate) fn valid_service_account(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(valid_namespace)
}

/// `NAMESPACE:SERVICE_ACCOUNT`.
pub(crate) fn valid_service_account_key(key: &str) -> bool {
    key.split_once(':')
        .is_some_and(|(ns, sa)| valid_namespace(ns) && valid_service_account(sa))
}

/// `LOCATION.NAME`: a location of lowercase letters, digits and `-`, then a cluster or fleet
/// membership name (DNS-1123 label).
pub(crate) fn valid_cluster(s: &str) -> bool {
    s.split_once('.').is_some_and(|(location, name)| {
        !location.is_empty()
            && location
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && valid_namespace(name)
    })
}

/// `[spiffe://]DOMAIN/ns/NS/sa/SA`.
pub(crate) fn valid_istio_identity(s: &str) -> bool {
    let parts: Vec<&str> = istio_key(s).split('/').collect();
    match parts.as_slice() {
        [domain, "ns", ns, "sa", sa] => {
            !domain.is_empty()
                && domain.chars().all(|c| c.is_ascii_graphic())
                && valid_namespace(ns)
                && valid_service_account(sa)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_validators() {
        assert!(valid_cluster("us-central1-a.prod-cluster"));
        assert!(valid_cluster("global.test-membership"));
        assert!(!valid_cluster("us-central1-a"));
        assert!(!valid_cluster(".x"));
        assert!(valid_namespace("kube-system"));
        assert!(!valid_namespace("Kube"));
        assert!(!valid_namespace(&"a".repeat(64)));
        assert!(valid_service_account_key("ci:deployer"));
        assert!(!valid_service_account_key("ci"));
        assert!(valid_istio_identity("spiffe://p.svc.id.goog/ns/a/sa/b"));
        assert!(!valid_istio_identity("p.svc.id.goog/ns/a/b"));
        assert!(is_resource_name("projects/p/attestors/a", "attestors"));
        assert!(!is_resource_name("projects/p/attestors/a/b", "attestors"));
        assert!(!is_resource_name("projects//attestors/a", "attestors"));
    }
}

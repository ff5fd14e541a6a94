//! The validations of platform-policies §1.4 that span several fields (decision P-2): the
//! default check set is last and unique, one set per scope, service-account sets before their
//! namespace's set, and the size limits.

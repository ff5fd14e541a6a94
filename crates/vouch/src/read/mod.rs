//! Reading input text: JSON and YAML documents under the input budgets, Kubernetes YAML, and
//! the field and name rules every loader shares.

pub(crate) mod bytes;
pub(crate) mod document;
pub(crate) mod fields;
pub(crate) mod kube_yaml;
pub(crate) mod names;
mod strict;
pub(crate) mod wire;
pub(crate) mod yaml_readings;

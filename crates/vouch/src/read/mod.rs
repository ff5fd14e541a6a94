//! Reading input text: JSON and YAML documents under the input budgets, Kubernetes YAML.

pub(crate) mod document;
pub(crate) mod kube_yaml;

//! Continuous validation's log output (decision P-11, platform-policies §2): one
//! `ContinuousValidationEvent` per violated policy per Pod, listing only failing images and
//! only NON_CONFORMANT checks, wrapped in Cloud Logging's `LogEntry` when the cluster is known.

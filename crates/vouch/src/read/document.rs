//! Reading documents: JSON or YAML text into a JSON value, under budgets, and typed
//! deserialization with stable codes and JSON-pointer paths.
//!
//! Every input passes through here, so every input gets the same guarantees: a byte limit,
//! a nesting limit, YAML alias budgets, and no duplicate keys (a classic source of parser
//! differentials between a checker and the system it protects).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::de::{self, DeserializeOwned, DeserializeSeed};
use serde_json::Value;

use super::strict::StrictSeed;
pub(crate) use super::strict::{MERGE_KEY, merge_key_error};
use crate::error::{Doc, Error, ErrorCode, join, join_index};
use crate::limits::Limits;

/// Parses JSON or YAML text (detected from the content) into a JSON value.
///
/// Text whose first non-blank character is `{` or `[` is read as JSON first; if that fails
/// and the text is valid YAML (a flow collection), YAML wins. Everything else is YAML.
pub fn parse(text: &str, limits: &Limits) -> Result<Value, Error> {
    parse_within(text, limits, &AliasBudget::new(limits))
}

/// The YAML alias budgets of one input, shared by every document parsed with it: a bundle and
/// the members embedded in it as text draw on one budget, so embedding many documents cannot
/// multiply it.
///
/// Alias uses are charged exactly. Events replayed through aliases are charged with an upper
/// bound: a document that uses aliases is charged every event it produced (serde-saphyr
/// reports no separate replay count). Each document is parsed with what is left as its own
/// limit, so the bundle's total never exceeds `max_yaml_aliases` / `max_yaml_alias_events`.
#[derive(Debug)]
pub(crate) struct AliasBudget {
    aliases: Cell<usize>,
    events: Cell<usize>,
}

impl AliasBudget {
    pub(crate) fn new(limits: &Limits) -> AliasBudget {
        AliasBudget {
            aliases: Cell::new(limits.max_yaml_aliases),
            events: Cell::new(limits.max_yaml_alias_events),
        }
    }

    fn charge(&self, aliases: usize, events: usize) {
        if aliases > 0 {
            self.aliases.set(self.aliases.get().saturating_sub(aliases));
            self.events.set(self.events.get().saturating_sub(events));
        }
    }
}

/// [`parse`], drawing YAML alias budgets from `budget`.
pub(crate) fn parse_within(
    text: &str,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Value, Error> {
    if text.len() > limits.max_input_bytes {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            "",
            format!(
                "input is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_input_bytes
            ),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let looks_like_json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    if looks_like_json {
        match parse_json(text, limits) {
            Ok(v) => Ok(v),
            Err(json_err) if json_err.code() == ErrorCode::InputSyntax => {
                parse_yaml(text, limits, budget).map_err(|yaml_err| {
                    if yaml_err.code() == ErrorCode::InputSyntax {
                        json_err
                    } else {
                        yaml_err
                    }
                })
            }
            Err(e) => Err(e),
        }
    } else {
        parse_yaml(text, limits, budget)
    }
}

/// Parses strict JSON (no duplicate keys) into a value; used for payloads too.
pub(crate) fn parse_json(text: &str, limits: &Limits) -> Result<Value, Error> {
    let failure = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = StrictSeed {
        depth: 0,
        max_depth: limits.max_depth,
        failure: &failure,
        yaml: false,
    };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => {
            if let Some(err) = failure.into_inner() {
                // Depth errors report the document, as YAML's budget does.
                return Err(if err.code() == ErrorCode::InputTooDeep {
                    too_deep(limits)
                } else {
                    err
                });
            }
            if e.to_string().starts_with("recursion limit exceeded") {
                return Err(too_deep(limits));
            }
            Err(Error::new(
                ErrorCode::InputSyntax,
                "",
                format!("invalid JSON: {e}"),
            ))
        }
    }
}

/// Parses a file that may hold several YAML documents (`---`), as Kubernetes manifests do.
/// Empty documents are skipped. JSON text is one document. The same budgets apply to the
/// whole stream.
pub fn parse_documents(text: &str, limits: &Limits) -> Result<Vec<Value>, Error> {
    if text.len() > limits.max_input_bytes {
        return parse(text, limits).map(|v| vec![v]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
        && let Ok(v) = parse_json(text, limits)
    {
        return Ok(vec![v]);
    }
    use serde_saphyr::options::{DuplicateKeyPolicy, MergeKeyPolicy};
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            max_aliases: limits.max_yaml_aliases,
        },
        alias_limits: alias_limits(limits),
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        merge_keys: MergeKeyPolicy::AsOrdinary,
        strict_booleans: true,
        with_snippet: false,
    };
    MULTI_DEPTH.with(|d| d.set(limits.max_depth));
    MULTI_FAILURE.with(|f| f.borrow_mut().take());
    let result: Result<Vec<StrictDoc>, _> =
        serde_saphyr::from_str_multiple_with_options(text, options);
    let failure = MULTI_FAILURE.with(|f| f.borrow_mut().take());
    match result {
        Ok(docs) => Ok(docs
            .into_iter()
            .map(|d| d.0)
            .filter(|v| !v.is_null())
            .collect()),
        Err(e) => Err(match failure {
            Some(err) if err.code() == ErrorCode::InputTooDeep => too_deep(limits),
            Some(err) => err,
            None => yaml_error(&e, limits),
        }),
    }
}

/// Parses a Kubernetes manifest file (several documents, `---`) as kubectl reads it: text
/// starting with `{` is JSON (kubectl does not fall back to YAML), anything else YAML read with
/// go-yaml v2's YAML 1.1 rules (`crate::read::kube_yaml`). Empty documents are skipped. The text is
/// first read under the same budgets as every input.
pub fn parse_manifests(text: &str, limits: &Limits) -> Result<Vec<Value>, Error> {
    let validated = parse_documents(text, limits)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return parse_json(text, limits).map(|v| vec![v]);
    }
    if validated.is_empty() {
        return Ok(validated);
    }
    Ok(crate::read::kube_yaml::documents(text, limits.max_depth)?
        .into_iter()
        .filter(|v| !v.is_null())
        .collect())
}

/// [`parse_manifests`] for text that must hold one document (a request's `workload`), within
/// `budget`.
pub(crate) fn parse_manifest_within(
    text: &str,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Value, Error> {
    parse_within(text, limits, budget)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return parse_json(text, limits);
    }
    Ok(crate::read::kube_yaml::documents(text, limits.max_depth)?
        .into_iter()
        .next()
        .unwrap_or(Value::Null))
}

thread_local! {
    static MULTI_FAILURE: RefCell<Option<Error>> = const { RefCell::new(None) };
    static MULTI_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(64) };
}

/// One document of a multi-document stream, read with the same strict rules.
struct StrictDoc(Value);

impl<'de> serde::Deserialize<'de> for StrictDoc {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let max_depth = MULTI_DEPTH.with(std::cell::Cell::get);
        MULTI_FAILURE
            .with(|slot| {
                StrictSeed {
                    depth: 0,
                    max_depth,
                    failure: slot,
                    yaml: true,
                }
                .deserialize(d)
            })
            .map(StrictDoc)
    }
}

fn parse_yaml(text: &str, limits: &Limits, budget: &AliasBudget) -> Result<Value, Error> {
    use serde_saphyr::options::{DuplicateKeyPolicy, MergeKeyPolicy};
    let mut alias_limits = alias_limits(limits);
    alias_limits.max_total_replayed_events = budget.events.get();
    let used = Rc::new(Cell::new((0, 0)));
    let report = Rc::clone(&used);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            max_aliases: budget.aliases.get(),
            max_documents: 1,
        },
        alias_limits: alias_limits,
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        merge_keys: MergeKeyPolicy::AsOrdinary,
        strict_booleans: true,
        with_snippet: false,
    }
    .with_budget_report(move |r: serde_saphyr::budget::BudgetReport| {
        report.set((r.aliases, r.events));
    });
    let failure = RefCell::new(None);
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        StrictSeed {
            depth: 0,
            max_depth: limits.max_depth,
            failure: &failure,
            yaml: true,
        }
        .deserialize(de)
    });
    let (aliases, events) = used.get();
    budget.charge(aliases, events);
    match result {
        Ok(v) => Ok(v),
        Err(e) => {
            if let Some(err) = failure.into_inner() {
                return Err(err);
            }
            Err(yaml_error(&e, limits))
        }
    }
}

fn alias_limits(limits: &Limits) -> serde_saphyr::options::AliasLimits {
    let mut a = serde_saphyr::options::AliasLimits::default();
    a.max_total_replayed_events = limits.max_yaml_alias_events;
    a.max_replay_stack_depth = limits.max_depth;
    a.max_alias_expansions_per_anchor = limits.max_yaml_aliases;
    a
}

fn yaml_error(e: &serde_saphyr::Error, limits: &Limits) -> Error {
    use serde_saphyr::budget::BudgetBreach;
    let message = first_line(&e.to_string());
    let mut e = e;
    while let serde_saphyr::Error::WithSnippet { error, .. }
    | serde_saphyr::Error::AliasError { error, .. } = e
    {
        e = error;
    }
    match e {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => too_deep(limits),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. }
            | BudgetBreach::MergeKeys { .. }
            | BudgetBreach::Nodes { .. }
            | BudgetBreach::Events { .. } => Error::new(
                ErrorCode::InputAliasLimit,
                "",
                format!("YAML document expands beyond its budget: {message}"),
            ),
            BudgetBreach::Documents { .. } => Error::new(
                ErrorCode::InputSyntax,
                "",
                "expected one YAML document, found several (`---`)",
            ),
            _ => Error::new(
                ErrorCode::InputTooLarge,
                "",
                format!("YAML budget exceeded: {message}"),
            ),
        },
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. } => Error::new(
            ErrorCode::InputAliasLimit,
            "",
            format!("YAML aliases expand beyond the budget: {message}"),
        ),
        _ if message.contains("recursion limit exceeded") => too_deep(limits),
        _ => Error::new(
            ErrorCode::InputSyntax,
            "",
            format!("invalid YAML: {message}"),
        ),
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

fn too_deep(limits: &Limits) -> Error {
    Error::new(
        ErrorCode::InputTooDeep,
        "",
        format!(
            "input nests deeper than the limit of {} levels",
            limits.max_depth
        ),
    )
}

/// Deserializes a typed model from a value, mapping serde's failures to stable codes with
/// the JSON pointer of the offending field (below `base`).
///
/// The happy path deserializes directly; only a failure pays for a second pass that tracks
/// the path.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: Value,
    doc: Doc,
    base: &str,
) -> Result<T, Error> {
    match T::deserialize(&value) {
        Ok(t) => Ok(t),
        Err(_) => Err(match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(_) => Error::new(
                doc.invalid_value(),
                base,
                "the document does not fit its format",
            ),
            Err(e) => {
                let mut path = String::from(base);
                for segment in e.path().iter() {
                    match segment {
                        serde_path_to_error::Segment::Seq { index } => {
                            path = join_index(&path, *index)
                        }
                        serde_path_to_error::Segment::Map { key } => path = join(&path, key),
                        serde_path_to_error::Segment::Enum { .. }
                        | serde_path_to_error::Segment::Unknown => {}
                    }
                }
                classify(&e.into_inner().to_string(), doc, path)
            }
        }),
    }
}

fn classify(message: &str, doc: Doc, mut path: String) -> Error {
    let quoted = || message.split('`').nth(1).unwrap_or_default().to_owned();
    if message.starts_with("unknown field `") {
        let field = quoted();
        if !path.ends_with(&join("", &field)) {
            path = join(&path, &field);
        }
        Error::new(doc.unknown_field(), path, message)
    } else if message.starts_with("missing field `") {
        path = join(&path, &quoted());
        Error::new(doc.missing_field(), path, message)
    } else if message.starts_with("invalid type: ") {
        Error::new(doc.invalid_type(), path, message)
    } else {
        Error::new(doc.invalid_value(), path, message)
    }
}

/// A short JSON type name for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim() -> Limits {
        Limits::DEFAULT
    }

    #[test]
    fn json_and_yaml_give_the_same_value() {
        let j = parse(r#"{"a": [1, "x", true, null], "b": {"c": 1.5}}"#, &lim()).unwrap();
        let y = parse("a: [1, x, true, null]\nb:\n  c: 1.5\n", &lim()).unwrap();
        assert_eq!(j, y);
    }

    #[test]
    fn yaml_flow_mapping_falls_back_from_json() {
        let v = parse("{a: 1}", &lim()).unwrap();
        assert_eq!(v, serde_json::json!({"a": 1}));
    }

    #[test]
    fn duplicate_keys_are_rejected_with_path() {
        let e = parse(r#"{"a": {"b": [{"c": 1, "c": 2}]}}"#, &lim()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputDuplicateKey);
        assert_eq!(e.path(), "/a/b/0/c");
        let e = parse("a:\n  b: 1\n  b: 2\n", &lim()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputDuplicateKey);
        assert_eq!(e.path(), "/a/b");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(
            parse(&deep, &lim()).unwrap_err().code(),
            ErrorCode::InputTooDeep
        );
        let yaml_deep = "- ".repeat(10_000) + "x";
        assert_eq!(
            parse(&yaml_deep, &lim()).unwrap_err().code(),
            ErrorCode::InputTooDeep
        );
    }

    #[test]
    fn alias_ratio_and_anchor_budgets_are_alias_limits() {
        // Found by fuzzing: serde-saphyr's alias-to-anchor ratio check (one anchor, 200
        // aliases) was reported as INPUT_TOO_LARGE.
        let s = format!("a: &x 1\nb: [{}]\n", vec!["*x"; 200].join(","));
        let e = parse(&s, &lim()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputAliasLimit, "{e}");
        assert_eq!(e.path(), "");
        // Merge keys were bounded by the same budget family; they are now refused at the first
        // one (issue 12), so 10,001 of them cost nothing either.
        let mut merges = String::from("a: &x {k: 1}\n");
        for i in 0..10_001 {
            merges += &format!("m{i}: {{<<: *x}}\n");
        }
        let e = parse(&merges, &lim()).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::InputYamlMergeKey, "/m0/<<"),
            "{e}"
        );
    }

    #[test]
    fn merge_keys_are_refused_in_every_yaml_input() {
        // kubectl lets the later `<<` win (image `evil`); serde-saphyr's default let the explicit
        // key win (`good`). vouch reads neither.
        let text =
            "spec:\n  containers:\n  - <<: {image: good}\n    image: good\n    <<: {image: evil}\n";
        for e in [
            parse(text, &lim()).unwrap_err(),
            parse_documents(text, &lim()).unwrap_err(),
            parse_manifests(text, &lim()).unwrap_err(),
        ] {
            assert_eq!(e.code(), ErrorCode::InputYamlMergeKey, "{e}");
            assert_eq!(e.path(), "/spec/containers/0/<<");
        }
        // Quoted or tagged, in flow or block style, through an alias: refused too.
        for text in [
            "a: {'<<': {b: 1}}\n",
            "a: {!!merge <<: {b: 1}}\n",
            "x: &m {b: 1}\na:\n  <<: [*m]\n",
        ] {
            assert_eq!(
                parse(text, &lim()).unwrap_err().code(),
                ErrorCode::InputYamlMergeKey,
                "{text}"
            );
        }
        // JSON has no merge keys: `<<` is an ordinary key there.
        assert_eq!(
            parse(r#"{"<<": 1}"#, &lim()).unwrap(),
            serde_json::json!({"<<": 1})
        );
    }

    #[test]
    fn documents_parsed_within_one_budget_share_it() {
        // Found by fuzzing: each member of a bundle had its own alias budget.
        let mut l = lim();
        l.max_yaml_aliases = 3;
        let two_aliases = "a: &x 1\nb: [*x, *x]\n";
        assert!(parse(two_aliases, &l).is_ok());
        assert!(
            parse(two_aliases, &l).is_ok(),
            "separate inputs, separate budgets"
        );
        let budget = AliasBudget::new(&l);
        assert!(parse_within(two_aliases, &l, &budget).is_ok());
        let e = parse_within(two_aliases, &l, &budget).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputAliasLimit, "{e}");
        // Documents without aliases cost nothing.
        let budget = AliasBudget::new(&l);
        for _ in 0..10 {
            assert!(parse_within("a: [1, 2, 3]\n", &l, &budget).is_ok());
        }
        assert!(parse_within(two_aliases, &l, &budget).is_ok());

        // Replayed events: 3 x 12 replayed, about 60 events in all; a budget of 80 admits one.
        let mut l = lim();
        l.max_yaml_alias_events = 80;
        let replays = "a: &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*x, *x, *x]\n";
        let budget = AliasBudget::new(&l);
        assert!(parse_within(replays, &l, &budget).is_ok());
        let e = parse_within(replays, &l, &budget).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputAliasLimit, "{e}");
        // JSON has no aliases and never draws on the budget.
        assert!(parse_within(r#"{"a": [1, 2]}"#, &l, &budget).is_ok());
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut s = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12 {
            let p = i - 1;
            s += &format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            );
        }
        let e = parse(&s, &lim()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputAliasLimit, "{e}");
    }

    #[test]
    fn size_limit() {
        let mut l = lim();
        l.max_input_bytes = 4;
        assert_eq!(
            parse("a: 12345", &l).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            parse("{\"a\": ", &lim()).unwrap_err().code(),
            ErrorCode::InputSyntax
        );
        assert_eq!(
            parse("a: [", &lim()).unwrap_err().code(),
            ErrorCode::InputSyntax
        );
        assert_eq!(
            parse("a: 1\n---\nb: 2\n", &lim()).unwrap_err().code(),
            ErrorCode::InputSyntax
        );
    }

    #[test]
    fn multi_document_streams() {
        let docs = parse_documents("a: 1\n---\nb: 2\n---\n", &lim()).unwrap();
        assert_eq!(
            docs,
            vec![serde_json::json!({"a": 1}), serde_json::json!({"b": 2})]
        );
        let e = parse_documents("a: 1\n---\nb: 2\nb: 3\n", &lim()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputDuplicateKey);
        assert_eq!(
            parse_documents("[1]", &lim()).unwrap(),
            vec![serde_json::json!([1])]
        );
    }

    #[test]
    fn yaml_one_point_one_booleans_stay_strings() {
        let v = parse("a: yes\nb: on\n", &lim()).unwrap();
        assert_eq!(v, serde_json::json!({"a": "yes", "b": "on"}));
    }

    #[test]
    fn manifests_are_read_as_kubectl_reads_them() {
        // YAML 1.1 scalars and keys as go-yaml v2 resolves them; quoted ones stay strings.
        let docs = parse_manifests(
            "kind: Pod\nmetadata:\n  labels: {on: x, a: yes, b: 'yes', c: 0777}\n---\n---\nkind: Job\n",
            &lim(),
        )
        .unwrap();
        assert_eq!(
            docs,
            vec![
                serde_json::json!({"kind": "Pod", "metadata": {"labels": {"true": "x", "a": true, "b": "yes", "c": 511}}}),
                serde_json::json!({"kind": "Job"}),
            ]
        );
        // Text starting with `{` is JSON for kubectl: no YAML fallback.
        assert_eq!(
            parse_manifests("{kind: Pod}", &lim()).unwrap_err().code(),
            ErrorCode::InputSyntax
        );
        let budget = AliasBudget::new(&lim());
        assert_eq!(
            parse_manifest_within("{kind: Pod}", &lim(), &budget)
                .unwrap_err()
                .code(),
            ErrorCode::InputSyntax
        );
        assert_eq!(
            parse_manifest_within("kind: Pod\nx: on\n", &lim(), &budget).unwrap(),
            serde_json::json!({"kind": "Pod", "x": true})
        );
        // The budgets apply before the second reading.
        let mut l = lim();
        l.max_yaml_aliases = 1;
        assert_eq!(
            parse_manifests("a: &x 1\nb: [*x, *x]\n", &l)
                .unwrap_err()
                .code(),
            ErrorCode::InputAliasLimit
        );
    }
}

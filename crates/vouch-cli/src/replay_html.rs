//! `vouch replay --html`: a self-contained report of a replay's summary. One file, no script,
//! no network: the styles are inline and the chart is an inline SVG, so it opens anywhere
//! (an air-gapped laptop, a CI artifact viewer) and reads the same printed.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Hours shown one bar each; beyond this the chart shows days.
const MAX_HOUR_BARS: usize = 96;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn num(value: Option<&Value>) -> u64 {
    value.and_then(Value::as_u64).unwrap_or(0)
}

fn field<'a>(summary: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    summary.get(key).and_then(Value::as_object)
}

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2733;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #d8dee6;padding-bottom:.3rem}
.sub{color:#5a6878;margin:0 0 1rem}.cards{display:flex;flex-wrap:wrap;gap:.6rem}
.card{border:1px solid #d8dee6;border-radius:6px;padding:.6rem .9rem;min-width:8.5rem}
.card b{display:block;font-size:1.5rem}.card.bad b{color:#b3261e}.card.good b{color:#1e7b34}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef1f4;vertical-align:top}
th{background:#f5f7f9;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
details{margin:.3rem 0}summary{cursor:pointer}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .9rem;vertical-align:middle}
.empty{color:#5a6878;font-style:italic}
"#;

/// The report for a summary (`ReplaySummary::to_value`).
pub fn report(summary: &Value, policy: &str, baseline: Option<&str>, inputs: &[&str]) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>vouch replay: {}</title><style>{STYLE}</style></head><body>\n",
        esc(policy)
    );
    let reference = match baseline {
        Some(b) => format!("compared with the baseline policy <code>{}</code>", esc(b)),
        None => "compared with the outcomes the logs recorded".to_owned(),
    };
    let _ = writeln!(
        h,
        "<h1>What would <code>{}</code> have changed?</h1><p class=\"sub\">Candidate policy <code>{}</code>, {reference}; {} input{}.</p>",
        esc(policy),
        esc(policy),
        inputs.len(),
        if inputs.len() == 1 { "" } else { "s" }
    );
    let changes = field(summary, "changes");
    let change = |k: &str| num(changes.and_then(|c| c.get(k)));
    h.push_str("<div class=\"cards\" id=\"cards\">");
    for (label, value, class) in [
        ("entries read", num(summary.get("entries")), ""),
        ("deployment events", num(summary.get("events")), ""),
        ("newly blocked", change("NEWLY_BLOCKED"), "bad"),
        ("newly admitted", change("NEWLY_ADMITTED"), "good"),
        ("unchanged", change("SAME"), ""),
        (
            "malformed",
            num(summary.get("malformed")),
            if num(summary.get("malformed")) > 0 {
                "bad"
            } else {
                ""
            },
        ),
        (
            "skipped (not a deployment)",
            num(summary.get("skipped")),
            "",
        ),
        ("duplicates", num(summary.get("duplicates")), ""),
    ] {
        let _ = write!(
            h,
            "<div class=\"card {class}\"><b>{value}</b>{}</div>",
            esc(label)
        );
    }
    h.push_str("</div>\n");

    h.push_str("<h2>Over time</h2>\n");
    chart(&mut h, field(summary, "byHour"));

    h.push_str("<h2>Top newly blocked images</h2>\n");
    top_table(
        &mut h,
        summary.get("topNewlyBlockedImages"),
        &[("image", true)],
    );
    h.push_str("<h2>Top newly blocked namespaces</h2>\n");
    top_table(
        &mut h,
        summary.get("topNewlyBlockedNamespaces"),
        &[("namespace", true)],
    );
    h.push_str("<h2>Top newly blocked workloads</h2>\n");
    top_table(
        &mut h,
        summary.get("topNewlyBlockedWorkloads"),
        &[
            ("cluster", false),
            ("namespace", false),
            ("workload", true),
            ("images", true),
        ],
    );

    h.push_str("<h2>Outcomes</h2>\n<table><tr><th>change</th><th class=\"n\">events</th></tr>");
    for (k, v) in changes.into_iter().flatten() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(k),
            num(Some(v))
        );
    }
    h.push_str("</table>\n<table><tr><th>logged</th><th class=\"n\">events</th><th>candidate</th><th class=\"n\">events</th></tr>");
    let logged: Vec<_> = field(summary, "logged").into_iter().flatten().collect();
    let candidate: Vec<_> = field(summary, "candidate").into_iter().flatten().collect();
    for i in 0..logged.len().max(candidate.len()) {
        let cell = |pair: Option<&(&String, &Value)>| match pair {
            Some((k, v)) => format!("<td>{}</td><td class=\"n\">{}</td>", esc(k), num(Some(v))),
            None => "<td></td><td></td>".to_owned(),
        };
        let _ = write!(
            h,
            "<tr>{}{}</tr>",
            cell(logged.get(i)),
            cell(candidate.get(i))
        );
    }
    h.push_str("</table>\n");

    h.push_str("<h2>By cluster and namespace</h2>\n");
    drill_down(
        &mut h,
        field(summary, "byCluster"),
        field(summary, "byNamespace"),
    );
    h.push_str("<h2>By rule</h2>\n");
    group_table(&mut h, "rule", field(summary, "byRule"), usize::MAX);
    h.push_str("<h2>By reason</h2>\n");
    group_table(&mut h, "reason", field(summary, "byReason"), usize::MAX);
    h.push_str("<h2>By image repository</h2>\n<details><summary>every repository</summary>");
    group_table(
        &mut h,
        "repository",
        field(summary, "byRepository"),
        usize::MAX,
    );
    h.push_str("</details>\n");

    h.push_str("<h2>What was not decided</h2>\n<table><tr><th>skipped or malformed</th><th class=\"n\">entries</th></tr>");
    for key in ["skippedByReason", "malformedByCode"] {
        for (k, v) in field(summary, key).into_iter().flatten() {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(k),
                num(Some(v))
            );
        }
    }
    let _ = writeln!(
        h,
        "<tr><td>DUPLICATE</td><td class=\"n\">{}</td></tr></table>",
        num(summary.get("duplicates"))
    );
    h.push_str("<h2>Inputs</h2>\n<details><summary>files read</summary><ul>");
    for input in inputs {
        let _ = write!(h, "<li><code>{}</code></li>", esc(input));
    }
    h.push_str("</ul></details>\n<p class=\"sub\">Written by <code>vouch replay</code>. Every number comes from the summary (<code>--summary</code>); the per-event records say why.</p>\n</body></html>\n");
    h
}

fn top_table(h: &mut String, rows: Option<&Value>, columns: &[(&str, bool)]) {
    let rows = rows
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if rows.is_empty() {
        h.push_str("<p class=\"empty\">none</p>\n");
        return;
    }
    h.push_str("<table><tr>");
    for (name, _) in columns {
        let _ = write!(h, "<th>{name}</th>");
    }
    h.push_str("<th class=\"n\">events</th></tr>");
    for row in rows {
        h.push_str("<tr>");
        for (name, code) in columns {
            let text = match row.get(*name) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            };
            if *code {
                let _ = write!(h, "<td><code>{}</code></td>", esc(&text));
            } else {
                let _ = write!(h, "<td>{}</td>", esc(&text));
            }
        }
        let _ = write!(h, "<td class=\"n\">{}</td></tr>", num(row.get("events")));
    }
    h.push_str("</table>\n");
}

fn group_row(h: &mut String, key: &str, g: &Value) {
    let _ = write!(
        h,
        "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        esc(key),
        num(g.get("events")),
        num(g.get("blocked")),
        num(g.get("newlyBlocked")),
        num(g.get("newlyAdmitted"))
    );
}

const GROUP_HEAD: &str = "<th class=\"n\">events</th><th class=\"n\">blocked</th><th class=\"n\">newly blocked</th><th class=\"n\">newly admitted</th></tr>";

fn group_table(h: &mut String, label: &str, groups: Option<&Map<String, Value>>, limit: usize) {
    let Some(groups) = groups.filter(|g| !g.is_empty()) else {
        h.push_str("<p class=\"empty\">none</p>\n");
        return;
    };
    let _ = write!(h, "<table><tr><th>{label}</th>{GROUP_HEAD}");
    for (k, g) in groups.iter().take(limit) {
        group_row(h, k, g);
    }
    h.push_str("</table>\n");
}

/// One `<details>` per cluster, its namespaces inside.
fn drill_down(
    h: &mut String,
    clusters: Option<&Map<String, Value>>,
    namespaces: Option<&Map<String, Value>>,
) {
    let Some(clusters) = clusters.filter(|c| !c.is_empty()) else {
        h.push_str("<p class=\"empty\">none</p>\n");
        return;
    };
    for (cluster, g) in clusters {
        let _ = write!(
            h,
            "<details><summary><code>{}</code>: {} events, {} blocked, {} newly blocked</summary><table><tr><th>namespace</th>{GROUP_HEAD}",
            esc(cluster),
            num(g.get("events")),
            num(g.get("blocked")),
            num(g.get("newlyBlocked"))
        );
        let prefix = format!("{cluster}/");
        for (key, ng) in namespaces.into_iter().flatten() {
            if let Some(ns) = key.strip_prefix(&prefix) {
                group_row(h, ns, ng);
            }
        }
        h.push_str("</table></details>\n");
    }
}

/// Stacked bars per hour (or per day when there are many hours): admitted, blocked anyway,
/// newly blocked.
fn chart(h: &mut String, hours: Option<&Map<String, Value>>) {
    let Some(hours) = hours.filter(|m| !m.is_empty()) else {
        h.push_str("<p class=\"empty\">no events</p>\n");
        return;
    };
    let mut buckets: Vec<(String, u64, u64, u64)> = Vec::new();
    let by_day = hours.len() > MAX_HOUR_BARS;
    for (hour, g) in hours {
        let key = if by_day {
            hour.get(..10).unwrap_or(hour).to_owned()
        } else {
            hour.clone()
        };
        let (events, blocked, newly) = (
            num(g.get("events")),
            num(g.get("blocked")),
            num(g.get("newlyBlocked")),
        );
        match buckets.last_mut() {
            Some(last) if last.0 == key => {
                last.1 += events;
                last.2 += blocked;
                last.3 += newly;
            }
            _ => buckets.push((key, events, blocked, newly)),
        }
    }
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let (width, height, pad) = (1000.0_f64, 220.0_f64, 30.0_f64);
    let bar = (width - pad) / buckets.len() as f64;
    let scale = |n: u64| n as f64 / max as f64 * (height - pad);
    let _ = write!(
        h,
        "<svg id=\"chart\" viewBox=\"0 0 {width} {}\" width=\"100%\" role=\"img\" aria-label=\"events per {}\">",
        height + 20.0,
        if by_day { "day" } else { "hour" }
    );
    let _ = write!(
        h,
        "<text x=\"0\" y=\"12\" font-size=\"11\" fill=\"#5a6878\">{max}</text><line x1=\"{pad}\" y1=\"{}\" x2=\"{width}\" y2=\"{}\" stroke=\"#d8dee6\"/>",
        height - pad + 2.0,
        height - pad + 2.0
    );
    for (i, (key, events, blocked, newly)) in buckets.iter().enumerate() {
        let x = pad + i as f64 * bar;
        let w = (bar - 1.0).max(0.5);
        let base = height - pad;
        let (te, tb, tn) = (scale(*events), scale(*blocked), scale(*newly));
        let _ = write!(
            h,
            "<g><title>{}: {events} events, {blocked} blocked, {newly} newly blocked</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{te:.1}\" fill=\"#9fb3c8\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{tb:.1}\" fill=\"#e8a09a\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{tn:.1}\" fill=\"#b3261e\"/></g>",
            esc(key),
            base - te,
            base - tb,
            base - tn
        );
    }
    let first = buckets.first().map(|b| b.0.as_str()).unwrap_or_default();
    let last = buckets.last().map(|b| b.0.as_str()).unwrap_or_default();
    let _ = write!(
        h,
        "<text x=\"{pad}\" y=\"{}\" font-size=\"11\" fill=\"#5a6878\">{}</text><text x=\"{width}\" y=\"{}\" font-size=\"11\" fill=\"#5a6878\" text-anchor=\"end\">{}</text></svg>",
        height - 8.0,
        esc(first),
        height - 8.0,
        esc(last)
    );
    h.push_str("<p class=\"legend\"><span style=\"background:#9fb3c8\"></span>events<span style=\"background:#e8a09a\"></span>blocked by the candidate<span style=\"background:#b3261e\"></span>newly blocked</p>\n");
}

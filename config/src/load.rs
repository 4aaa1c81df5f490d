//! The loading pipeline: text → spanned TOML tree → serde form → [`Config`], collecting
//! every error on the way.
//!
//! 1. Parse with the TOML parser's recovery, so several syntax errors are reported at
//!    once; a file with syntax errors goes no further.
//! 2. Deserialise into [`RawConfig`] (`deny_unknown_fields` everywhere). serde stops at
//!    the first unknown key or wrong type, so the loader records that error, removes the
//!    key at fault from the tree and deserialises again, until it succeeds: every unknown
//!    key and wrong type of the file is reported, and the rest is still checked.
//! 3. Convert into [`Config`] (each section by `TryFrom`, then the cross-table checks).
//!    An issue about a key already reported in step 2 (it was removed, so it now looks
//!    missing) is dropped.
//! 4. Give each issue its line and column from the source map, in file order.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, Deserializer, Error as TomlError};

use crate::Config;
use crate::document::RawConfig;
use crate::error::{At, ConfigError, ConfigErrors, Issue, Issues, Problem};
use crate::source::{self, Entry, SourceMap};

/// The key shown for syntax errors, which belong to no key.
const SYNTAX_KEY: &str = "syntax";

/// Loads and validates a whole file.
pub(crate) fn load(text: &str) -> Result<Config, ConfigErrors> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    let map = SourceMap::new(text, &root);
    if !syntax.is_empty() {
        let issues = syntax.iter().map(syntax_issue).collect();
        return Err(resolve(&map, Issues(issues)));
    }
    let mut structural = Issues::default();
    let Some(raw) = deserialize(root, &map, &mut structural) else {
        return Err(resolve(&map, structural));
    };
    match Config::try_from(raw) {
        Ok(config) if structural.is_empty() => Ok(config),
        Ok(_) => Err(resolve(&map, structural)),
        Err(semantic) => Err(resolve(&map, merge(structural, semantic))),
    }
}

fn syntax_issue(error: &TomlError) -> Issue {
    Issue {
        key: SYNTAX_KEY.into(),
        at: At::Span(error.span().unwrap_or(0..0)),
        problem: Problem::Syntax(error.message().trim().to_owned()),
    }
}

/// Step 2: deserialise, removing each key at fault until serde is satisfied.
fn deserialize(
    root: Spanned<DeTable<'_>>,
    map: &SourceMap<'_>,
    issues: &mut Issues,
) -> Option<RawConfig> {
    let span = root.span();
    let mut tree = root.into_inner();
    loop {
        let de = Deserializer::from(Spanned::new(span.clone(), tree.clone()));
        let error = match RawConfig::deserialize(de) {
            Ok(raw) => return Some(raw),
            Err(error) => error,
        };
        let entry = error.span().and_then(|span| map.entry_at(&span));
        issues.0.push(serde_issue(&error, entry));
        // Each round removes one key, so the loop ends.
        if !entry.is_some_and(|entry| source::remove(&mut tree, &entry.steps)) {
            return None;
        }
    }
}

fn serde_issue(error: &TomlError, entry: Option<&Entry>) -> Issue {
    let key = entry.map(|e| source::path_of(&e.steps)).unwrap_or_default();
    let span: Range<usize> = error.span().unwrap_or(0..0);
    Issue {
        key,
        at: At::Span(span),
        problem: serde_problem(error.message()),
    }
}

/// serde's "unknown field `x`, expected one of …" becomes an unknown key.
fn serde_problem(message: &str) -> Problem {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'));
    match unknown {
        Some((name, known)) => Problem::UnknownKey {
            name: name.to_owned(),
            known: known
                .trim_start_matches([',', ' '])
                .replace("expected", "known keys:"),
        },
        None => Problem::Invalid(message.to_owned()),
    }
}

/// Step 3's rule: drop semantic issues about keys step 2 already reported.
fn merge(structural: Issues, semantic: Issues) -> Issues {
    let covered = |key: &str| {
        structural.0.iter().any(|s| {
            s.key == key
                || s.key
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    };
    let kept: Vec<Issue> = semantic
        .0
        .into_iter()
        .filter(|i| !covered(&i.key))
        .collect();
    let mut all = structural;
    all.0.extend(kept);
    all
}

/// Step 4: positions, file order, no repeats.
fn resolve(map: &SourceMap<'_>, issues: Issues) -> ConfigErrors {
    let mut errors: Vec<ConfigError> = issues
        .0
        .into_iter()
        .map(|issue| {
            let (line, column) = map.line_column(map.offset(&issue.key, &issue.at));
            ConfigError {
                line,
                column,
                key: issue.key,
                message: issue.problem.to_string(),
            }
        })
        .collect();
    errors.sort_by(|a, b| (a.line, a.column, &a.key).cmp(&(b.line, b.column, &b.key)));
    errors.dedup();
    ConfigErrors(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_messages_become_unknown_keys() {
        let problem = serde_problem("unknown field `lisen`, expected one of `name`, `kind`");
        assert_eq!(
            problem.to_string(),
            "unknown key `lisen` (known keys: one of `name`, `kind`)"
        );
        assert!(matches!(
            serde_problem("invalid type: integer `5`, expected a string"),
            Problem::Invalid(_)
        ));
    }

    #[test]
    fn merge_drops_issues_about_removed_keys() {
        let issue = |key: &str| Issue {
            key: key.into(),
            at: At::Value,
            problem: Problem::MissingKey,
        };
        let structural = Issues(vec![issue("trunk[0].name"), issue("route[0].trunks[1]")]);
        let semantic = Issues(vec![
            issue("trunk[0].name"),
            issue("route[0].trunks"),
            issue("trunk[0].listen"),
        ]);
        let keys: Vec<_> = merge(structural, semantic)
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(
            keys,
            ["trunk[0].name", "route[0].trunks[1]", "trunk[0].listen"]
        );
    }
}

//! The source map: where each key and value of the file is, by dotted path.
//!
//! Built once from the parser's spanned tree. Paths are written as the errors show them:
//! `node.name`, `trunk[2].rtp_ports`, `user[0].mobile[1].number`, `route[0].trunks[1]`;
//! the root is `""`. A table's span is its header (`[[trunk]]`), so an issue about a
//! missing key points at the header of the table that lacks it.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::At;

/// One step of a path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Where one entry is.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub steps: Vec<Step>,
    /// The key's span; `None` for array elements and the root.
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// Every entry of a file by path, and the text to turn offsets into lines and columns.
pub(crate) struct SourceMap<'t> {
    text: &'t str,
    entries: HashMap<String, Entry>,
}

impl<'t> SourceMap<'t> {
    pub fn new(text: &'t str, root: &Spanned<DeTable<'_>>) -> Self {
        let mut map = SourceMap {
            text,
            entries: HashMap::new(),
        };
        map.add(Vec::new(), None, root.span());
        map.walk_table(&[], root.get_ref());
        map
    }

    fn walk_table(&mut self, steps: &[Step], table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            let mut inner = steps.to_vec();
            inner.push(Step::Key(key.get_ref().to_string()));
            self.add(inner.clone(), Some(key.span()), value.span());
            self.walk_value(&inner, value.get_ref());
        }
    }

    fn walk_value(&mut self, steps: &[Step], value: &DeValue<'_>) {
        match value {
            DeValue::Table(table) => self.walk_table(steps, table),
            DeValue::Array(array) => {
                for (i, element) in array.iter().enumerate() {
                    let mut inner = steps.to_vec();
                    inner.push(Step::Index(i));
                    self.add(inner.clone(), None, element.span());
                    self.walk_value(&inner, element.get_ref());
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, steps: Vec<Step>, key: Option<Range<usize>>, value: Range<usize>) {
        let path = path_of(&steps);
        self.entries.insert(path, Entry { steps, key, value });
    }

    /// The innermost entry at `span`: one whose key or value is exactly there, else one
    /// whose value holds it. `None` when only the root does.
    pub fn entry_at(&self, span: &Range<usize>) -> Option<&Entry> {
        let candidates = || self.entries.values().filter(|e| !e.steps.is_empty());
        let exact = |e: &&Entry| e.key.as_ref() == Some(span) || e.value == *span;
        let within = |e: &&Entry| e.value.start <= span.start && span.end <= e.value.end;
        (candidates().filter(exact).max_by_key(|e| e.steps.len()))
            .or_else(|| candidates().filter(within).max_by_key(|e| e.steps.len()))
    }

    /// The byte offset an issue points at. A key that is not in the file (a missing one)
    /// points at its nearest table that is.
    pub fn offset(&self, key: &str, at: &At) -> usize {
        if let At::Span(span) = at {
            return span.start;
        }
        let mut path = key;
        let mut at = at;
        loop {
            if let Some(entry) = self.entries.get(path) {
                return match (at, &entry.key) {
                    (At::Key, Some(key)) => key.start,
                    _ => entry.value.start,
                };
            }
            if path.is_empty() {
                return 0;
            }
            path = parent(path);
            at = &At::Value;
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// `trunk[2].rtp_ports` from its steps.
pub(crate) fn path_of(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(key) if path.is_empty() => path.push_str(key),
            Step::Key(key) => {
                path.push('.');
                path.push_str(key);
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

/// `trunk[2]` for `trunk[2].rtp_ports`, `trunk` for `trunk[2]`, `""` for `trunk`.
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Removes from the tree the table key that holds the entry at `steps` (for an array
/// element, the key of the whole array), so that deserialising can go on past it.
/// Only table keys are removed, never array elements, so indices keep their meaning.
pub(crate) fn remove(root: &mut DeTable<'_>, steps: &[Step]) -> bool {
    let Some(last_key) = steps.iter().rposition(|s| matches!(s, Step::Key(_))) else {
        return false;
    };
    let Step::Key(name) = &steps[last_key] else {
        return false;
    };
    match table_at(root, &steps[..last_key]) {
        Some(table) => table.remove(name.as_str()).is_some(),
        None => false,
    }
}

fn table_at<'a, 'i>(root: &'a mut DeTable<'i>, steps: &[Step]) -> Option<&'a mut DeTable<'i>> {
    let Some((first, rest)) = steps.split_first() else {
        return Some(root);
    };
    let Step::Key(name) = first else {
        return None;
    };
    let value = root.get_mut(name.as_str())?.get_mut();
    value_table_at(value, rest)
}

fn value_table_at<'a, 'i>(
    value: &'a mut DeValue<'i>,
    steps: &[Step],
) -> Option<&'a mut DeTable<'i>> {
    match (value, steps.first()) {
        (DeValue::Table(table), _) => table_at(table, steps),
        (DeValue::Array(array), Some(Step::Index(i))) => {
            value_table_at(array.get_mut(*i)?.get_mut(), &steps[1..])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[node]\nname = 'x'\n\n[[trunk]]\nname = \"a\"\nkind = 5\n\n[[trunk]]\nname = 'b'\n[[trunk.sub]]\nx = [1, 2]\n";

    fn parsed() -> Spanned<DeTable<'static>> {
        DeTable::parse(TEXT).unwrap()
    }

    fn position(map: &SourceMap<'_>, key: &str, at: At) -> (usize, usize) {
        map.line_column(map.offset(key, &at))
    }

    #[test]
    fn positions_of_keys_values_and_tables() {
        let root = parsed();
        let map = SourceMap::new(TEXT, &root);
        assert_eq!(position(&map, "node.name", At::Key), (2, 1));
        assert_eq!(position(&map, "node.name", At::Value), (2, 8));
        assert_eq!(position(&map, "trunk[1]", At::Value), (8, 1));
        assert_eq!(position(&map, "trunk[1].sub[0].x[1]", At::Value), (11, 9));
        // A missing key points at its table's header; a missing table at the start.
        assert_eq!(position(&map, "trunk[0].listen", At::Value), (4, 1));
        assert_eq!(position(&map, "route", At::Value), (1, 1));
    }

    #[test]
    fn entry_at_finds_the_innermost() {
        let root = parsed();
        let map = SourceMap::new(TEXT, &root);
        let kind = map.entries.get("trunk[0].kind").unwrap().value.clone();
        assert_eq!(
            path_of(&map.entry_at(&kind).unwrap().steps),
            "trunk[0].kind"
        );
        let x1 = map
            .entries
            .get("trunk[1].sub[0].x[1]")
            .unwrap()
            .value
            .clone();
        assert_eq!(
            path_of(&map.entry_at(&x1).unwrap().steps),
            "trunk[1].sub[0].x[1]"
        );
    }

    #[test]
    fn remove_takes_the_key_holding_the_entry() {
        let mut root = parsed().into_inner();
        let steps = [
            Step::Key("trunk".into()),
            Step::Index(1),
            Step::Key("sub".into()),
            Step::Index(0),
            Step::Key("x".into()),
            Step::Index(1),
        ];
        assert!(remove(&mut root, &steps));
        assert!(!remove(&mut root, &steps));
        let steps = [
            Step::Key("trunk".into()),
            Step::Index(0),
            Step::Key("kind".into()),
        ];
        assert!(remove(&mut root, &steps));
    }

    #[test]
    fn parents() {
        assert_eq!(parent("trunk[2].rtp_ports"), "trunk[2]");
        assert_eq!(parent("trunk[2]"), "trunk");
        assert_eq!(parent("trunk"), "");
    }

    #[test]
    fn columns_count_characters() {
        let text = "a = \"żółw\"\nb = 1";
        let root = DeTable::parse(text).unwrap();
        let map = SourceMap::new(text, &root);
        assert_eq!(map.line_column(text.find('1').unwrap()), (2, 5));
        assert_eq!(map.line_column(text.len()), (2, 6));
    }
}

//! Reading events: the body's documents, and each column's value in a document by its
//! JSONPath.
//!
//! A document is parsed once, guided by a tree of the datasource's paths: members no path
//! names are skipped without being built, and the values paths reach are kept as slices of
//! the body (`&RawValue`), so a number keeps its exact digits for Decimal and 128-bit
//! columns and `$` keeps the document as it was sent.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::project::{JsonPath, Segment};

/// A JSON value taken apart one level: scalars decoded, containers still raw.
#[derive(Debug, Clone)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// A number, as its text.
    Number(&'a str),
    Str(Cow<'a, str>),
    /// An array or object, as its text.
    Array(&'a RawValue),
    Object(&'a RawValue),
    /// The values `[:]` collected.
    List(Vec<Json<'a>>),
}

/// A string that borrows from the input when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'a> Json<'a> {
    /// Takes a raw value apart one level. The raw value is valid JSON, so this cannot fail
    /// except on a bug; such a value reads as null.
    pub fn from_raw(raw: &'a RawValue) -> Json<'a> {
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'n') => Json::Null,
            Some(b't') => Json::Bool(true),
            Some(b'f') => Json::Bool(false),
            Some(b'"') => serde_json::from_str::<Text<'a>>(text)
                .map(|t| Json::Str(t.0))
                .unwrap_or(Json::Null),
            Some(b'[') => Json::Array(raw),
            Some(b'{') => Json::Object(raw),
            Some(_) => Json::Number(text),
            None => Json::Null,
        }
    }

    /// The elements of an array or collected list.
    pub fn items(&self) -> Option<Vec<Json<'a>>> {
        match self {
            Json::Array(raw) => serde_json::from_str::<Vec<&'a RawValue>>(raw.get())
                .ok()
                .map(|v| v.into_iter().map(Json::from_raw).collect()),
            Json::List(items) => Some(items.clone()),
            _ => None,
        }
    }

    /// The members of an object, in document order.
    pub fn members(&self) -> Option<Vec<(Cow<'a, str>, Json<'a>)>> {
        match self {
            Json::Object(raw) => {
                let mut de = serde_json::Deserializer::from_str(raw.get());
                de.deserialize_map(MembersVisitor).ok()
            }
            _ => None,
        }
    }

    /// The value as text: a string's characters, anything else its JSON text. String columns
    /// take this, as ClickHouse reads numbers, booleans, arrays and objects into a String
    /// as their JSON text.
    pub fn text(&self) -> Cow<'a, str> {
        match self {
            Json::Str(s) => s.clone(),
            other => Cow::Owned(other.json()),
        }
    }

    /// The value as JSON text.
    pub fn json(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => (*n).to_string(),
            Json::Str(s) => serde_json::to_string(s.as_ref()).unwrap_or_default(),
            Json::Array(raw) | Json::Object(raw) => raw.get().to_string(),
            Json::List(items) => {
                let parts: Vec<String> = items.iter().map(Json::json).collect();
                format!("[{}]", parts.join(","))
            }
        }
    }

    /// A short name of the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) | Json::List(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Vec<(Cow<'de, str>, Json<'de>)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Text(k)) = map.next_key::<Text<'de>>()? {
            let v: &'de RawValue = map.next_value()?;
            out.push((k, Json::from_raw(v)));
        }
        Ok(out)
    }
}

/// The datasource's JSONPaths as a tree of object members, so one pass over a document
/// finds every column's value.
#[derive(Debug, Default)]
pub struct PathTree {
    /// The member names below this node.
    children: Vec<(String, PathTree)>,
    /// The capture slot of the value at this node, when a path ends here or continues with
    /// array steps (`[:]`, `[n]`) that are applied afterwards.
    slot: Option<usize>,
}

/// Where a column's value comes from: a captured slot, then the path's remaining steps.
#[derive(Debug, Clone)]
pub struct Locator {
    pub slot: usize,
    /// The steps after the captured node (the first is `[:]` or `[n]`), or none.
    pub rest: Vec<Segment>,
}

impl PathTree {
    /// Builds the tree for `paths` and, for each path, where its value will be found.
    /// Paths that share their object steps share a slot.
    pub fn build(paths: &[&JsonPath]) -> (PathTree, Vec<Locator>, usize) {
        let mut tree = PathTree::default();
        let mut slots = 0;
        let mut locators = Vec::with_capacity(paths.len());
        for path in paths {
            let split = path
                .segments
                .iter()
                .position(|s| !matches!(s, Segment::Key(_)))
                .unwrap_or(path.segments.len());
            let mut node = &mut tree;
            for seg in &path.segments[..split] {
                let Segment::Key(k) = seg else { continue };
                let at = match node.children.iter().position(|(name, _)| name == k) {
                    Some(i) => i,
                    None => {
                        node.children.push((k.clone(), PathTree::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
            let slot = *node.slot.get_or_insert_with(|| {
                slots += 1;
                slots - 1
            });
            locators.push(Locator {
                slot,
                rest: path.segments[split..].to_vec(),
            });
        }
        (tree, locators, slots)
    }

    /// Parses one document, filling `slots` (one per slot, `None` when absent). The error
    /// is serde_json's, with its line and column within `doc`.
    pub fn capture<'a>(
        &self,
        doc: &'a str,
        slots: &mut [Option<&'a RawValue>],
    ) -> Result<(), serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(doc);
        Node { tree: self, slots }.deserialize(&mut de)?;
        de.end()
    }
}

/// A seed that reads the value at one tree node.
struct Node<'t, 's, 'a> {
    tree: &'t PathTree,
    slots: &'s mut [Option<&'a RawValue>],
}

impl<'de, 't, 's> DeserializeSeed<'de> for Node<'t, 's, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        if let Some(slot) = self.tree.slot {
            let raw: &'de RawValue = Deserialize::deserialize(de)?;
            if let Some(s) = self.slots.get_mut(slot) {
                *s = Some(raw);
            }
            if !self.tree.children.is_empty() && raw.get().starts_with('{') {
                let mut inner = serde_json::Deserializer::from_str(raw.get());
                inner
                    .deserialize_any(Members {
                        tree: self.tree,
                        slots: self.slots,
                    })
                    .map_err(de::Error::custom)?;
            }
            return Ok(());
        }
        if self.tree.children.is_empty() {
            IgnoredAny::deserialize(de)?;
            return Ok(());
        }
        de.deserialize_any(Members {
            tree: self.tree,
            slots: self.slots,
        })
    }
}

/// Walks an object's members, descending into those the tree names; any other value at a
/// node with children is skipped (its paths find nothing).
struct Members<'t, 's, 'a> {
    tree: &'t PathTree,
    slots: &'s mut [Option<&'a RawValue>],
}

impl<'de, 't, 's> Visitor<'de> for Members<'t, 's, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            match self.tree.children.iter().find(|(k, _)| *k == key) {
                Some((_, child)) => map.next_value_seed(Node {
                    tree: child,
                    slots: &mut *self.slots,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Applies a path's remaining steps (after its captured node) to a value. `None` when the
/// path finds nothing.
pub fn follow<'a>(value: Json<'a>, rest: &[Segment]) -> Option<Json<'a>> {
    let Some((step, more)) = rest.split_first() else {
        return Some(value);
    };
    match step {
        Segment::Key(k) => {
            let members = value.members()?;
            let (_, v) = members.into_iter().rev().find(|(name, _)| name == k)?;
            follow(v, more)
        }
        Segment::Index(i) => {
            let item = value.items()?.into_iter().nth(*i)?;
            follow(item, more)
        }
        Segment::AllItems => {
            let items = value.items()?;
            Some(Json::List(
                items
                    .into_iter()
                    .filter_map(|item| follow(item, more))
                    .collect(),
            ))
        }
    }
}

/// The documents of a body: NDJSON (one per line), a JSON array of them, or one document
/// (over any number of lines). Each comes with the 1-based line it starts on.
pub fn documents(body: &str) -> Result<Vec<(usize, &str)>, String> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(body)
            .map_err(|e| format!("the body is not a JSON array of events: {e}"))?;
        return Ok(items.into_iter().map(|r| (1, r.get())).collect());
    }
    let mut docs = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let line = line.trim();
        if !line.is_empty() {
            docs.push((i + 1, line));
        }
    }
    Ok(docs)
}

/// When the lines of a body are not each a document: the body as a stream of documents
/// (a pretty-printed object, or objects separated by whitespace). `None` if it is not.
pub fn stream(body: &str) -> Option<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    let mut it = serde_json::Deserializer::from_str(body).into_iter::<&RawValue>();
    loop {
        match it.next() {
            Some(Ok(raw)) => {
                // The value borrows from the body: its offset there gives its line.
                let start = (raw.get().as_ptr() as usize).saturating_sub(body.as_ptr() as usize);
                let line = 1 + body.get(..start).map_or(0, |s| s.matches('\n').count());
                out.push((line, raw.get()));
            }
            Some(Err(_)) => return None,
            None => return Some(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(paths: &[&str], doc: &str) -> Vec<Option<String>> {
        let parsed: Vec<JsonPath> = paths
            .iter()
            .map(|p| JsonPath::parse(p).expect("path"))
            .collect();
        let refs: Vec<&JsonPath> = parsed.iter().collect();
        let (tree, locators, n) = PathTree::build(&refs);
        let mut slots = vec![None; n];
        tree.capture(doc, &mut slots).expect("parses");
        locators
            .iter()
            .map(|l| {
                let v = slots[l.slot].map(Json::from_raw)?;
                follow(v, &l.rest).map(|v| v.json())
            })
            .collect()
    }

    #[test]
    fn paths_find_their_values_in_one_pass() {
        let doc = r#"{"a":{"b":1,"c":"x\"y","skip":[1,{"deep":true}]},"arr":[{"x":1},{"x":2},{"y":3}],"n":null,"big":123456789012345678901234567890}"#;
        let got = capture(
            &[
                "$.a.b",
                "$.a.c",
                "$.arr[:].x",
                "$.arr[1].x",
                "$",
                "$.missing",
                "$.a.b.c",
                "$.n",
                "$.big",
                "$.arr[:]",
            ],
            doc,
        );
        assert_eq!(got[0].as_deref(), Some("1"));
        assert_eq!(got[1].as_deref(), Some(r#""x\"y""#));
        assert_eq!(got[2].as_deref(), Some("[1,2]"));
        assert_eq!(got[3].as_deref(), Some("2"));
        assert_eq!(got[4].as_deref(), Some(doc), "$ is the document as sent");
        assert_eq!(got[5], None);
        assert_eq!(got[6], None, "a path through a number finds nothing");
        assert_eq!(got[7].as_deref(), Some("null"));
        assert_eq!(got[8].as_deref(), Some("123456789012345678901234567890"));
        assert_eq!(got[9].as_deref(), Some(r#"[{"x":1},{"x":2},{"y":3}]"#));
    }

    #[test]
    fn the_whole_document_and_its_members_together() {
        let got = capture(&["$", "$.k"], r#"{"k": "v", "z": 1}"#);
        assert_eq!(got[0].as_deref(), Some(r#"{"k": "v", "z": 1}"#));
        assert_eq!(got[1].as_deref(), Some(r#""v""#));
    }

    #[test]
    fn bodies_split_into_documents() {
        let docs = documents("{\"a\":1}\n\n  {\"a\":2}\r\n").expect("ndjson");
        assert_eq!(docs, [(1, "{\"a\":1}"), (3, "{\"a\":2}")]);
        let docs = documents(" [{\"a\":1}, {\"a\":2}]").expect("array");
        assert_eq!(docs.len(), 2);
        assert!(documents("[{\"a\":1},").is_err());
        let docs = stream("{\n  \"a\": 1\n}\n{\"b\": 2}").expect("stream");
        assert_eq!(docs, [(1, "{\n  \"a\": 1\n}"), (4, "{\"b\": 2}")]);
        assert!(stream("{\"a\": }").is_none());
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        // serde_json skips and captures values iteratively: depth costs no stack.
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let (tree, _, n) = PathTree::build(&[&JsonPath::parse("$.a").expect("p")]);
        let mut slots = vec![None; n];
        tree.capture(&deep, &mut slots).expect("valid JSON");
        assert_eq!(slots[0].map(|r| r.get().len()), Some(200_000));
        let (tree, _, n) = PathTree::build(&[&JsonPath::parse("$.b").expect("p")]);
        let mut slots = vec![None; n];
        tree.capture(&deep, &mut slots).expect("valid JSON");
        assert!(slots[0].is_none());
        let unbalanced = "[".repeat(100_000);
        assert!(tree.capture(&unbalanced, &mut slots).is_err());
    }
}

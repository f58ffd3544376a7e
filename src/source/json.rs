//! A structural index of a JSON text: the byte span of every value and object key.
//!
//! serde_json keeps no positions, so after serde_json has accepted the text (which also bounds
//! the nesting depth) this scanner walks it once more and records spans in a flat arena. It is
//! iterative, so depth never touches the stack, and it reports duplicate keys, which serde_json
//! silently resolves by keeping the last.

use foldhash::{HashMap, HashMapExt};

use crate::source::Span;

const NONE: u32 = u32::MAX;

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    start: u32,
    end: u32,
    key_start: u32,
    key_end: u32,
    first_child: u32,
    next_sibling: u32,
}

/// Index of a value in a [`JsonIndex`].
pub type NodeId = u32;

/// A key that occurs twice in one object.
#[derive(Debug, Clone)]
pub struct DuplicateKey {
    /// JSON pointer of the repeated member.
    pub pointer: String,
    pub first: Span,
    pub second: Span,
}

/// Containers with more members than this get a lookup table, so that resolving a pointer
/// into each of their members (one finding per member) is not quadratic.
const LARGE: usize = 32;

/// Spans of every value of a JSON document.
#[derive(Debug, Default)]
pub struct JsonIndex {
    nodes: Vec<Node>,
    pub duplicate_keys: Vec<DuplicateKey>,
    /// Members of large objects by decoded key (the last of a repeated key, as serde_json).
    large_objects: HashMap<NodeId, HashMap<String, NodeId>>,
    /// Elements of large arrays, in order.
    large_arrays: HashMap<NodeId, Vec<NodeId>>,
    /// Byte offset of the first bracket that opens each nesting level (index 0 is level 1),
    /// up to [`DEPTH_RECORDED`] levels: the depth limit is read from here, without a pass of
    /// its own over the text.
    level_starts: Vec<u32>,
    /// Some key so far holds an escape: keys are then compared by their decoded text.
    escaped_keys: bool,
}

/// Levels whose first bracket the index records: one more than the parser's own limit.
pub const DEPTH_RECORDED: usize = 128;

struct Frame {
    node: NodeId,
    /// Position of this container in its parent, to name it in a duplicate key's pointer.
    position: usize,
    last_child: u32,
    count: usize,
    pending_key: Option<Span>,
    /// Keys of a large object by decoded text, with the span of their first occurrence; a small
    /// object is searched member by member instead, which needs no allocation.
    keys: Option<HashMap<String, Span>>,
}

impl JsonIndex {
    /// Index a JSON text. It runs beside serde_json's syntax check, so it also sees text the
    /// check then rejects: malformed text gives a partial index (thrown away) rather than a
    /// panic, at the cost of indexing it whole.
    pub fn build(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut index = JsonIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => {
                    // Indentation comes in runs: skip a run in one tight loop.
                    i += 1;
                    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                        i += 1;
                    }
                }
                b'}' | b']' => {
                    if let Some(frame) = stack.pop() {
                        index.nodes[frame.node as usize].end = (i + 1) as u32;
                        index.close(text, &frame);
                    }
                    i += 1;
                }
                b'"' => {
                    let end = string_end(bytes, i);
                    match stack.last() {
                        Some(frame)
                            if index.nodes[frame.node as usize].kind == Kind::Object
                                && frame.pending_key.is_none() =>
                        {
                            index.key(text, &mut stack, i..end);
                        }
                        _ => {
                            index.push(&mut stack, Kind::String, i, end);
                        }
                    }
                    i = end;
                }
                open @ (b'{' | b'[') => {
                    let kind = if open == b'{' {
                        Kind::Object
                    } else {
                        Kind::Array
                    };
                    let position = index.push(&mut stack, kind, i, i + 1);
                    if stack.len() == index.level_starts.len() && stack.len() < DEPTH_RECORDED {
                        index.level_starts.push(i as u32);
                    }
                    stack.push(Frame {
                        node: (index.nodes.len() - 1) as NodeId,
                        position,
                        last_child: NONE,
                        count: 0,
                        pending_key: None,
                        keys: None,
                    });
                    i += 1;
                }
                first => {
                    let end = bytes[i..]
                        .iter()
                        .position(|c| {
                            matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                        })
                        .map_or(bytes.len(), |p| i + p);
                    let kind = match first {
                        b'n' => Kind::Null,
                        b't' | b'f' => Kind::Bool,
                        _ => Kind::Number,
                    };
                    index.push(&mut stack, kind, i, end);
                    i = end.max(i + 1);
                }
            }
        }
        // Text cut off inside containers: they end with the text.
        while let Some(frame) = stack.pop() {
            index.close(text, &frame);
        }
        // The arena grew by doubling; a large register keeps it for the whole run.
        index.nodes.shrink_to_fit();
        index
    }

    /// A key of the innermost open object: remember it for its value, and report it if the
    /// object already has it.
    fn key(&mut self, text: &str, stack: &mut [Frame], span: Span) {
        let Some(frame) = stack.last_mut() else {
            return;
        };
        let literal = &text[span.clone()];
        self.escaped_keys |= literal.contains('\\');
        let escaped = self.escaped_keys;
        let first = if frame.count < LARGE {
            self.children(frame.node)
                .filter_map(|child| self.key_span(child))
                .find(|earlier| {
                    let earlier = &text[earlier.clone()];
                    earlier == literal || escaped && same_key(earlier, literal)
                })
        } else {
            let keys = frame.keys.get_or_insert_with(|| {
                let mut keys = HashMap::new();
                for child in self.children(frame.node) {
                    if let Some(earlier) = self.key_span(child) {
                        keys.entry(decode_string(&text[earlier.clone()]))
                            .or_insert(earlier);
                    }
                }
                keys
            });
            match keys.entry(decode_string(literal)) {
                std::collections::hash_map::Entry::Occupied(first) => Some(first.get().clone()),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(span.clone());
                    None
                }
            }
        };
        frame.pending_key = Some(span.clone());
        if let Some(first) = first {
            let pointer = self.pointer_of_key(text, stack, literal);
            self.duplicate_keys.push(DuplicateKey {
                pointer,
                first,
                second: span,
            });
        }
    }

    /// A container is complete: keep a lookup table of its members if it is large.
    fn close(&mut self, text: &str, frame: &Frame) {
        if frame.count <= LARGE {
            return;
        }
        match self.nodes[frame.node as usize].kind {
            Kind::Object => {
                // Inserted in order, so a repeated key keeps its last member, as serde_json.
                let members = self
                    .children(frame.node)
                    .filter_map(|child| {
                        let span = self.key_span(child)?;
                        Some((decode_string(&text[span]), child))
                    })
                    .collect();
                self.large_objects.insert(frame.node, members);
            }
            _ => {
                let elements = self.children(frame.node).collect();
                self.large_arrays.insert(frame.node, elements);
            }
        }
    }

    /// The pointer of the member named by the key `literal` in the innermost open object,
    /// built from the open containers.
    fn pointer_of_key(&self, text: &str, stack: &[Frame], literal: &str) -> String {
        let mut pointer = String::new();
        for frame in stack.iter().skip(1) {
            pointer.push('/');
            match self.key_span(frame.node) {
                Some(key) => pointer.push_str(&escape_pointer_token(&decode_string(&text[key]))),
                None => pointer.push_str(&frame.position.to_string()),
            }
        }
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(&decode_string(literal)));
        pointer
    }

    /// Append a value under the innermost open container; returns its position there.
    fn push(&mut self, stack: &mut [Frame], kind: Kind, start: usize, end: usize) -> usize {
        let id = self.nodes.len() as NodeId;
        let mut node = Node {
            kind,
            start: start as u32,
            end: end as u32,
            key_start: NONE,
            key_end: NONE,
            first_child: NONE,
            next_sibling: NONE,
        };
        let mut position = 0;
        if let Some(frame) = stack.last_mut() {
            if let Some(span) = frame.pending_key.take() {
                node.key_start = span.start as u32;
                node.key_end = span.end as u32;
            }
            if frame.last_child == NONE {
                self.nodes[frame.node as usize].first_child = id;
            } else {
                self.nodes[frame.last_child as usize].next_sibling = id;
            }
            frame.last_child = id;
            position = frame.count;
            frame.count += 1;
        }
        self.nodes.push(node);
        position
    }

    /// Byte offset of the first bracket that opens nesting level `level` (1 is the root
    /// container), for levels up to [`DEPTH_RECORDED`].
    pub fn level_start(&self, level: usize) -> Option<usize> {
        let i = level.checked_sub(1)?;
        self.level_starts.get(i).map(|&at| at as usize)
    }

    /// The root value, if the text held one.
    pub fn root(&self) -> Option<NodeId> {
        (!self.nodes.is_empty()).then_some(0)
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.nodes[id as usize].kind
    }

    /// Span of the value.
    pub fn span(&self, id: NodeId) -> Span {
        let node = &self.nodes[id as usize];
        node.start as usize..node.end as usize
    }

    /// Span of the key naming this value in its object, if it has one.
    pub fn key_span(&self, id: NodeId) -> Option<Span> {
        let node = &self.nodes[id as usize];
        (node.key_start != NONE).then_some(node.key_start as usize..node.key_end as usize)
    }

    /// The children of an array or object, in document order.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut next = self.nodes[id as usize].first_child;
        std::iter::from_fn(move || {
            (next != NONE).then(|| {
                let current = next;
                next = self.nodes[current as usize].next_sibling;
                current
            })
        })
    }

    /// The member of an object with the given (decoded) key; the last one if repeated, as serde_json.
    pub fn member(&self, text: &str, id: NodeId, key: &str) -> Option<NodeId> {
        if let Some(members) = self.large_objects.get(&id) {
            return members.get(key).copied();
        }
        self.children(id)
            .filter(|&child| {
                self.key_span(child).is_some_and(|span| {
                    let literal = &text[span];
                    if literal.contains('\\') {
                        decode_string(literal) == key
                    } else {
                        literal.len() == key.len() + 2 && &literal[1..literal.len() - 1] == key
                    }
                })
            })
            .last()
    }

    /// The `n`th element of an array.
    fn element(&self, id: NodeId, n: usize) -> Option<NodeId> {
        match self.large_arrays.get(&id) {
            Some(elements) => elements.get(n).copied(),
            None => self.children(id).nth(n),
        }
    }

    /// Follow a JSON pointer from `from`, returning the deepest value reached and whether the
    /// whole pointer was resolved.
    pub fn resolve(&self, text: &str, from: NodeId, pointer: &str) -> (NodeId, bool) {
        let mut current = from;
        for token in pointer.split('/').skip(1) {
            let token = unescape_pointer_token(token);
            let next = match self.kind(current) {
                Kind::Object => self.member(text, current, &token),
                Kind::Array => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| self.element(current, n)),
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => return (current, false),
            }
        }
        (current, true)
    }
}

/// End (exclusive) of the string literal starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    loop {
        // Descriptions are long: find the next quote or backslash with a vectorised search.
        match memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default()) {
            None => return bytes.len(),
            Some(at) if bytes[i + at] == b'"' => return i + at + 1,
            Some(at) => i += at + 2,
        }
    }
}

/// Whether two key literals name the same key.
fn same_key(a: &str, b: &str) -> bool {
    if a.contains('\\') || b.contains('\\') {
        decode_string(a) == decode_string(b)
    } else {
        a == b
    }
}

/// The value of a string literal (with quotes); the raw text if it cannot be decoded.
pub fn decode_string(literal: &str) -> String {
    if !literal.contains('\\') {
        return literal.trim_matches('"').to_owned();
    }
    serde_json::from_str(literal).unwrap_or_else(|_| literal.trim_matches('"').to_owned())
}

/// Escape a key as a JSON pointer token (RFC 6901).
pub fn escape_pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> JsonIndex {
        JsonIndex::build(text)
    }

    #[test]
    fn resolves_pointers_to_value_and_key_spans() {
        let text = r#"{"processes": [{"id": "a", "na\"me": 1}, {"id": "b"}]}"#;
        let idx = index(text);
        let (node, found) = idx.resolve(text, 0, "/processes/1/id");
        assert!(found);
        assert_eq!(&text[idx.span(node)], r#""b""#);
        let (node, found) = idx.resolve(text, 0, "/processes/0/na\"me");
        assert!(found);
        assert_eq!(&text[idx.span(node)], "1");
        assert_eq!(&text[idx.key_span(node).unwrap_or_default()], r#""na\"me""#);
        let (node, found) = idx.resolve(text, 0, "/processes/7");
        assert!(!found);
        assert_eq!(idx.kind(node), Kind::Array);
        assert_eq!(
            &text[idx.span(node)],
            r#"[{"id": "a", "na\"me": 1}, {"id": "b"}]"#
        );
    }

    #[test]
    fn reports_duplicate_keys_with_both_places() {
        let text = r#"{"a": {"x": 1, "y": 2, "x": 3}, "a": []}"#;
        let idx = index(text);
        let found: Vec<_> = idx
            .duplicate_keys
            .iter()
            .map(|d| (d.pointer.as_str(), &text[d.first.clone()], d.second.start))
            .collect();
        assert_eq!(found, vec![("/a/x", "\"x\"", 23), ("/a", "\"a\"", 32)]);
    }

    #[test]
    fn large_containers_resolve_like_small_ones() {
        let members: Vec<String> = (0..100).map(|i| format!(r#""k{i}": {i}"#)).collect();
        let text = format!(
            r#"{{"o": {{{}, "k7": "last", "a\u0062": 1}}, "a": [{}]}}"#,
            members.join(", "),
            (0..100)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let idx = index(&text);
        let value = |pointer: &str| {
            let (node, found) = idx.resolve(&text, 0, pointer);
            found.then(|| text[idx.span(node)].to_owned())
        };
        assert_eq!(value("/o/k42").as_deref(), Some("42"));
        assert_eq!(value("/o/k7").as_deref(), Some(r#""last""#));
        assert_eq!(value("/o/ab").as_deref(), Some("1"));
        assert_eq!(value("/o/k100"), None);
        assert_eq!(value("/a/99").as_deref(), Some("99"));
        assert_eq!(value("/a/100"), None);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let idx = index(&text);
        let (node, found) = idx.resolve(&text, 0, "/0/0/0");
        assert!(found);
        assert_eq!(idx.span(node).start, 3);
    }
}

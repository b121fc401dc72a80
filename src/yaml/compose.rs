//! Builds the node tree of the first YAML document from parser events, as
//! go-yaml v2's `decode.go` parser does for `yaml.Unmarshal`: only the first
//! document is read (later documents are never parsed), anchors are
//! registered when their node starts (so an alias inside its own anchor
//! refers back to it), and an alias to an unknown anchor is an error.

use std::collections::BTreeMap;

use super::parser::Parser;
use super::reader::Source;
use super::syntax::EventKind;

pub(crate) type NodeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Mapping,
    Sequence,
    Scalar,
    Alias,
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub tag: String,
    pub value: String,
    /// go-yaml's `implicit`: a plain scalar without a (specific) tag.
    pub implicit: bool,
    pub children: Vec<NodeId>,
    /// For an alias: the anchored node.
    pub alias: Option<NodeId>,
}

/// The nodes of one document; `root` is `None` for an empty stream.
pub(crate) struct Document {
    pub nodes: Vec<Node>,
    pub root: Option<NodeId>,
}

impl Document {
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
}

/// A composition failure: go-yaml's message without its `yaml: ` prefix,
/// and the line it names, if any.
pub(crate) struct ComposeError {
    pub message: String,
    pub line: Option<usize>,
}

struct Composer<'a> {
    parser: Parser<'a>,
    pending: Option<EventKind>,
    nodes: Vec<Node>,
    anchors: BTreeMap<String, NodeId>,
}

/// Which kind of event is next, without its payload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    SequenceEnd,
    MappingEnd,
    Node,
}

/// Bytes of YAML per node, about the fewest seen in charts' values files
/// (55 is typical): the node list is sized for the text up front rather
/// than copied each time it doubles.
const BYTES_PER_NODE: usize = 32;

/// The most nodes reserved up front; a larger document's list grows as
/// it needs to.
const MAX_NODES_UP_FRONT: usize = 4096;

/// Parses the first document of `source`.
pub(crate) fn compose(source: Source) -> Result<Document, ComposeError> {
    let expected_nodes = (source.text.len() / BYTES_PER_NODE).min(MAX_NODES_UP_FRONT);
    let mut c = Composer {
        parser: Parser::new(source),
        pending: None,
        nodes: Vec::with_capacity(expected_nodes),
        anchors: BTreeMap::new(),
    };
    c.expect(Next::StreamStart, "STREAM_START")?;
    let root = match c.peek()? {
        Next::StreamEnd => None,
        Next::DocumentStart => {
            c.take();
            let root = c.parse_node()?;
            c.expect(Next::DocumentEnd, "DOCUMENT_END")?;
            Some(root)
        }
        _ => Some(c.parse_node()?),
    };
    Ok(Document {
        nodes: c.nodes,
        root,
    })
}

impl Composer<'_> {
    fn peek(&mut self) -> Result<Next, ComposeError> {
        if self.pending.is_none() {
            let ev = self.parser.next_event().map_err(|e| ComposeError {
                message: e.message(),
                line: e.reported_line(),
            })?;
            self.pending = Some(ev);
        }
        Ok(match self.pending.as_ref() {
            Some(EventKind::StreamStart) => Next::StreamStart,
            Some(EventKind::StreamEnd) | None => Next::StreamEnd,
            Some(EventKind::DocumentStart) => Next::DocumentStart,
            Some(EventKind::DocumentEnd) => Next::DocumentEnd,
            Some(EventKind::SequenceEnd) => Next::SequenceEnd,
            Some(EventKind::MappingEnd) => Next::MappingEnd,
            Some(_) => Next::Node,
        })
    }

    fn take(&mut self) -> EventKind {
        self.pending.take().unwrap_or(EventKind::StreamEnd)
    }

    fn expect(&mut self, want: Next, name: &str) -> Result<(), ComposeError> {
        if self.peek()? != want {
            return Err(ComposeError {
                message: format!("expected {name} event"),
                line: None,
            });
        }
        self.take();
        Ok(())
    }

    fn push(&mut self, kind: NodeKind) -> NodeId {
        self.nodes.push(Node {
            kind,
            tag: String::new(),
            value: String::new(),
            implicit: false,
            children: Vec::new(),
            alias: None,
        });
        self.nodes.len() - 1
    }

    fn parse_node(&mut self) -> Result<NodeId, ComposeError> {
        self.peek()?;
        match self.take() {
            EventKind::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                ..
            } => {
                let id = self.push(NodeKind::Scalar);
                let n = &mut self.nodes[id];
                n.tag = tag;
                n.value = value;
                n.implicit = plain_implicit;
                self.register(anchor, id);
                Ok(id)
            }
            EventKind::Alias { anchor } => {
                let Some(&target) = self.anchors.get(&anchor) else {
                    return Err(ComposeError {
                        message: format!("unknown anchor '{anchor}' referenced"),
                        line: None,
                    });
                };
                let id = self.push(NodeKind::Alias);
                self.nodes[id].value = anchor;
                self.nodes[id].alias = Some(target);
                Ok(id)
            }
            EventKind::SequenceStart { anchor, tag, .. } => {
                let id = self.push(NodeKind::Sequence);
                self.nodes[id].tag = tag;
                self.register(anchor, id);
                while self.peek()? != Next::SequenceEnd {
                    let child = self.parse_node()?;
                    self.nodes[id].children.push(child);
                }
                self.take();
                Ok(id)
            }
            EventKind::MappingStart { anchor, tag, .. } => {
                let id = self.push(NodeKind::Mapping);
                self.nodes[id].tag = tag;
                self.register(anchor, id);
                while self.peek()? != Next::MappingEnd {
                    let key = self.parse_node()?;
                    let value = self.parse_node()?;
                    self.nodes[id].children.push(key);
                    self.nodes[id].children.push(value);
                }
                self.take();
                Ok(id)
            }
            _ => Err(ComposeError {
                message: "attempted to parse unknown event".to_string(),
                line: None,
            }),
        }
    }

    fn register(&mut self, anchor: Option<String>, id: NodeId) {
        if let Some(a) = anchor {
            self.anchors.insert(a, id);
        }
    }
}

//! Go's `text/template/parse`: lexer, nodes and parser.

//! Template errors with Go's exact texts.
//!
//! Mirrors the three kinds of error Go's `text/template` returns: parse errors
//! (`template: NAME:LINE: MSG`), execution errors (Go's `ExecError`,
//! `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`), and the plain
//! errors of the API itself (`template: no template "x" associated with
//! template "y"`). Helm tells them apart (it only rewrites `ExecError`s), so
//! the kind is kept alongside the text.

use std::fmt;

/// Which of Go's error types an [`Error`] corresponds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A syntax error from the parser.
    Parse,
    /// Go's `template.ExecError`: an error while executing a template.
    Exec,
    /// A plain error of the API (unknown template name, bad option).
    Other,
}

/// A template error. [`Display`](fmt::Display) prints Go's full text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The name of the template being parsed or executed (Go's
    /// `ExecError.Name`).
    pub name: String,
    /// The parse name of the template the location refers to (the name of
    /// the file a `{{define}}` came from); empty when there is no location.
    pub template: String,
    /// 1-based line of the error; 0 when Go reports no location.
    pub line: usize,
    /// 0-based byte column within the line, as Go prints it; 0 when Go
    /// reports no column (parse errors carry the column of the bad token).
    pub column: usize,
    /// Go's complete error text.
    pub message: String,
}

impl Error {
    /// A plain error (Go's `fmt.Errorf` from the API) with the given text.
    pub fn other(name: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Other,
            name: name.into(),
            template: String::new(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    pub fn is_exec(&self) -> bool {
        self.kind == ErrorKind::Exec
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<crate::template::parse::ParseError> for Error {
    fn from(e: crate::template::parse::ParseError) -> Self {
        Error {
            kind: ErrorKind::Parse,
            message: e.to_string(),
            template: e.name.clone(),
            name: e.name,
            line: e.line,
            column: e.col,
        }
    }
}

/// The error a template function returns. The executor reports it as Go
/// does: `error calling NAME: ` followed by the error's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuncError {
    /// A plain Go error message (`errors.New(msg)`).
    Message(String),
    /// A complete template error from a nested execution (Helm's `include`,
    /// `tpl`); its text is kept unchanged after the `error calling NAME: `
    /// prefix, and the structured error stays available.
    Template(Box<Error>),
}

impl FuncError {
    /// A plain error message.
    pub fn msg(message: impl Into<String>) -> FuncError {
        FuncError::Message(message.into())
    }

    /// The error's text, as Go's `err.Error()`.
    pub fn text(&self) -> &str {
        match self {
            FuncError::Message(m) => m,
            FuncError::Template(e) => &e.message,
        }
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl std::error::Error for FuncError {}

impl From<String> for FuncError {
    fn from(m: String) -> Self {
        FuncError::Message(m)
    }
}

impl From<&str> for FuncError {
    fn from(m: &str) -> Self {
        FuncError::Message(m.to_string())
    }
}

impl From<Error> for FuncError {
    fn from(e: Error) -> Self {
        FuncError::Template(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn func_errors_keep_nested_text() {
        let inner = Error {
            kind: ErrorKind::Exec,
            name: "x".into(),
            template: "x".into(),
            line: 1,
            column: 2,
            message: "template: x:1:2: executing \"x\" at <.>: boom".into(),
        };
        let e = FuncError::from(inner.clone());
        assert_eq!(e.to_string(), inner.message);
        assert_eq!(FuncError::from("plain").text(), "plain");
    }
}

//! Helm-level tests of schema validation with small schemas.

//! Values as Helm builds them: `--set` parsing (`strvals`), values files,
//! coalescing with chart defaults and schema checks.

pub mod coalesce;
pub mod options;
pub mod schema;
pub mod strvals;

//! `chartroom show all|chart|readme|values|crds CHART`: the chart from the
//! file system, printed by [`crate::api::show`].

use std::path::Path;

use super::Outcome;
use crate::chart::load;

pub fn show(what: &str, chart_path: &str) -> Outcome {
    let chart = match load::load_path(Path::new(chart_path)) {
        Ok(c) => c,
        Err(e) => return Outcome::error(e),
    };
    match crate::api::show::render(what, &chart) {
        Ok(stdout) => Outcome {
            stdout,
            ..Outcome::default()
        },
        Err(e) => Outcome::error(e),
    }
}

//! The `chartroom` command line (feature `cli`): see `chartroom::cli`.

use std::io::Write;

#[global_allocator]
static ALLOCATOR: chartroom::cli::alloc::SizeClassAlloc = chartroom::cli::alloc::SizeClassAlloc;

fn main() {
    chartroom::cli::heap::tune_for_one_shot();
    chartroom::threads::set_start_handler(chartroom::cli::heap::tune_this_thread);
    // The process exits after this one command: no point freeing its data.
    chartroom::teardown::skip_teardown();
    let outcome = chartroom::cli::run(std::env::args().skip(1).collect());
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    std::process::exit(outcome.code);
}

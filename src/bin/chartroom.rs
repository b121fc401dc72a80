//! The `chartroom` command line (feature `cli`): see `chartroom::cli`.

#[global_allocator]
static ALLOCATOR: chartroom::cli::alloc::SizeClassAlloc = chartroom::cli::alloc::SizeClassAlloc;

fn main() {
    // The process exits after this one command: no point freeing its data.
    chartroom::teardown::skip_teardown();
    chartroom::cli::run_and_exit(std::env::args().skip(1).collect())
}

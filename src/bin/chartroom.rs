//! The `chartroom` command line (feature `cli`).

fn main() {
    eprintln!("Error: chartroom's command line is not built yet");
    std::process::exit(1);
}

//! Links the runner with a 256 MiB stack (wasm's default is 1 MiB), so deep
//! template recursion reaches Go's limit instead of the stack's.
fn main() {
    println!("cargo:rustc-link-arg=-zstack-size=268435456");
}

//! The `guanjia` command line.

fn main() {
    println!("guanjia {}", env!("CARGO_PKG_VERSION"));
}

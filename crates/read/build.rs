//! Fingerprints the source of the read model and of the crates whose code decides what it holds
//! (domain events, store decoding). A snapshot of the read model records the fingerprint of the
//! build that wrote it and is used only by the same one: after any change to how events are
//! folded, an old image would carry the old answers, so the node replays the log instead.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const SOURCES: [&str; 3] = ["src", "../domain/src", "../store/src"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for source in SOURCES {
        let directory = root.join(source);
        println!("cargo:rerun-if-changed={}", directory.display());
        collect(&directory, &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        hasher.write(relative.to_string_lossy().as_bytes());
        hasher.write(&std::fs::read(file).unwrap_or_default());
    }
    println!(
        "cargo:rustc-env=GUANJIA_READ_FINGERPRINT={:016x}",
        hasher.finish()
    );
}

fn collect(directory: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

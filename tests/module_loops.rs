//! No loops of imports between the modules of one crate: a module that needs its caller's state
//! gets the state passed in, or the shared piece moves down (docs: the house rules). A loop
//! makes both modules one in all but name — neither can be read, tested or moved alone — and
//! once one exists the next is easy to add, so this test reads every crate's `src/` and fails
//! on any loop, naming its modules.
//!
//! The graph is read from the text, without compiling: each file is a module, and a module
//! depends on another when it names it in a `use` or in a path starting with `crate::`,
//! `super::` or `self::`. A module naming its own ancestor (a child using what its parent
//! declares) or its own descendant is not counted: the parent declares its children anyway,
//! and `super::Thing` for the parent's items is how Rust modules are meant to nest.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module path inside its crate: `["server", "routes"]` for `src/server/routes.rs`.
type Module = Vec<String>;

#[test]
fn no_crate_has_a_loop_of_imports_between_its_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = vec![root.join("src")];
    let mut crates: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .expect("the crates folder")
        .map(|entry| entry.expect("a crate folder").path().join("src"))
        .filter(|src| src.is_dir())
        .collect();
    crates.sort();
    sources.extend(crates);
    assert!(
        sources.len() > 3,
        "the crates were not found under {root:?}"
    );

    let mut found = Vec::new();
    for src in &sources {
        let mut files = Vec::new();
        read_tree(src, &mut files);
        let modules = files
            .iter()
            .map(|file| {
                let text = fs::read_to_string(file).expect("a source file");
                (module_of(src, file), text)
            })
            .collect::<Vec<_>>();
        for cycle in loops(&modules) {
            found.push(format!(
                "{}: {} → {}",
                src.display(),
                cycle.join(" → "),
                cycle[0]
            ));
        }
    }
    assert!(
        found.is_empty(),
        "modules that import each other (pass the state in, or move the shared piece down):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_loop_is_found_and_a_parent_with_its_child_is_not_one() {
    let module = |path: &str| path.split('/').map(str::to_owned).collect::<Module>();
    let modules = vec![
        (Vec::new(), "mod server; mod state;".to_owned()),
        (
            module("server"),
            "mod routes; pub struct Shared;".to_owned(),
        ),
        (
            module("server/routes"),
            "use super::{Shared, ws::handler};\nfn f() { crate::state::now(); }".to_owned(),
        ),
        (module("server/ws"), "use super::routes::{self};".to_owned()),
        (module("state"), "pub fn now() {}".to_owned()),
    ];
    assert_eq!(loops(&modules), vec![vec!["server::routes", "server::ws"]]);
}

/// Every `.rs` file below `dir`.
fn read_tree(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            read_tree(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// The module a file holds: `mod.rs`, `lib.rs` and `main.rs` hold their folder's module.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("a file below src");
    let mut module: Module = relative
        .with_extension("")
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        module.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        module.pop();
    }
    module
}

/// The loops among `modules`, each as its modules in the order they import each other, once.
fn loops(modules: &[(Module, String)]) -> Vec<Vec<String>> {
    let known: BTreeSet<&Module> = modules.iter().map(|(module, _)| module).collect();
    let mut edges: BTreeMap<&Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, text) in modules {
        let targets = edges.entry(module).or_default();
        for path in paths_in(text) {
            let Some(target) = resolve(module, &path, &known) else {
                continue;
            };
            let related = target.starts_with(module) || module.starts_with(&target);
            if !related {
                targets.insert(target);
            }
        }
    }
    // A loop exists where a module reaches itself; report each loop once, by its members.
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for start in edges.keys() {
        if let Some(mut cycle) = path_back(start, &edges) {
            cycle.reverse();
            let in_order: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            let mut members = in_order.clone();
            members.sort();
            if seen.insert(members) {
                found.push(in_order);
            }
        }
    }
    found
}

/// The shortest path of modules from `start` back to itself, if any (breadth first).
fn path_back(start: &Module, edges: &BTreeMap<&Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    let mut came_from: BTreeMap<Module, Module> = BTreeMap::new();
    let mut frontier = vec![start.clone()];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for module in frontier {
            for target in edges.get(&module).into_iter().flatten() {
                if target == start {
                    let mut cycle = vec![module.clone()];
                    while let Some(previous) = came_from.get(cycle.last()?) {
                        cycle.push(previous.clone());
                    }
                    return Some(cycle);
                }
                if !came_from.contains_key(target) {
                    came_from.insert(target.clone(), module.clone());
                    next.push(target.clone());
                }
            }
        }
        frontier = next;
    }
    None
}

/// The module that `path` (as written in `from`) lands in: the longest known prefix.
fn resolve(from: &Module, path: &[String], known: &BTreeSet<&Module>) -> Option<Module> {
    let (mut base, rest) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("super" | "self") => (from.clone(), path),
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while let Some(step) = rest.next_if(|step| *step == "super" || *step == "self") {
        if step == "super" {
            base.pop();
        }
    }
    let mut best = known.contains(&base).then(|| base.clone());
    for step in rest {
        base.push(step.clone());
        if known.contains(&base) {
            best = Some(base.clone());
        }
    }
    best
}

/// Every path a file names: the trees of its `use` declarations, expanded, and the inline
/// paths starting with `crate::`, `super::` or `self::`. Line comments are skipped.
fn paths_in(text: &str) -> Vec<Vec<String>> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    let mut declaration: Option<String> = None;
    for line in code.lines() {
        let line = line.trim();
        let starts = line.starts_with("use ")
            || (line.starts_with("pub")
                && line
                    .split_once(' ')
                    .is_some_and(|(_, r)| r.starts_with("use ")));
        if starts && declaration.is_none() {
            declaration = Some(String::new());
        }
        let Some(text) = declaration.as_mut() else {
            continue;
        };
        text.push_str(line);
        text.push(' ');
        if let Some((tree, _)) = text.split_once(';') {
            let tree = tree.split_once("use ").map_or("", |(_, tree)| tree);
            for path in expand(tree) {
                let path = path.split(" as ").next().unwrap_or_default();
                let path: String = path.split_whitespace().collect();
                paths.push(path.split("::").map(str::to_owned).collect());
            }
            declaration = None;
        }
    }
    let bytes = code.as_bytes();
    for keyword in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(keyword) {
            let after_identifier = at > 0 && is_identifier(bytes[at - 1]);
            if after_identifier {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |length| at + length);
            paths.push(
                code[at..end]
                    .split("::")
                    .filter(|part| !part.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    paths
}

fn is_identifier(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_owned()];
    };
    let prefix: String = tree[..open].split_whitespace().collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .flat_map(expand)
        .map(|part| format!("{prefix}{part}"))
        .collect()
}

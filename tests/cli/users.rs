//! `user add|list|disable|enable|reset-password`: through the user aggregate, with passwords
//! the server accepts.

use std::io::Write;
use std::process::Stdio;

use crate::helpers::Guanjia;

#[tokio::test]
async fn accounts_made_at_the_command_line_sign_in_to_the_server() {
    let guanjia = Guanjia::new();
    let mut add = guanjia.command(&[
        "user",
        "add",
        "li.ming",
        "--role",
        "steward",
        "--division",
        "610902100000",
        "--name",
        "李明",
        "--password-stdin",
    ]);
    add.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = add.spawn().expect("user add runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"li-ming-password\n")
        .expect("write the password");
    let output = child.wait_with_output().expect("user add ends");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("li-ming-password"));

    let list = guanjia.run(&["user", "list"]).ok().stdout;
    let line = list
        .lines()
        .find(|l| l.starts_with("li.ming"))
        .expect("li.ming listed");
    assert!(
        line.contains("steward") && line.contains("active") && line.contains("李明"),
        "{line}"
    );

    let server = guanjia.serve(&["--no-demo"]);
    server.login("li.ming", "li-ming-password").await;
    drop(server);

    guanjia
        .run(&["user", "disable", "li.ming", "--reason", "left the team"])
        .ok();
    let list = guanjia.run(&["user", "list"]).ok().stdout;
    assert!(
        list.lines()
            .any(|l| l.starts_with("li.ming") && l.contains("disabled")),
        "{list}"
    );
    guanjia.run(&["user", "enable", "li.ming"]).ok();

    let reset = guanjia
        .run(&["user", "reset-password", "li.ming"])
        .ok()
        .stdout;
    let password = reset
        .lines()
        .find_map(|l| l.trim().strip_prefix("password: "))
        .expect("a generated password is printed once")
        .to_owned();
    let server = guanjia.serve(&["--no-demo"]);
    server.login("li.ming", &password).await;
}

#[test]
fn unknown_users_and_bad_input_are_refused_clearly() {
    let guanjia = Guanjia::new();
    let ran = guanjia.run(&["user", "disable", "nobody", "--reason", "x"]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("there is no user nobody"),
        "{}",
        ran.stderr
    );
    let ran = guanjia.run(&[
        "user",
        "add",
        "x",
        "--role",
        "steward",
        "--division",
        "610902000000",
        "--name",
        "X",
    ]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("not a valid username"),
        "{}",
        ran.stderr
    );
    let ran = guanjia.run(&[
        "user",
        "add",
        "boss",
        "--role",
        "king",
        "--division",
        "1",
        "--name",
        "B",
    ]);
    assert_eq!(ran.code, Some(2), "a usage error");
}

#[test]
fn user_list_rows_line_up_with_the_header_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    let guanjia = Guanjia::with_demo();
    let list = guanjia.run(&["user", "list"]).ok().stdout;
    let mut lines = list.lines();
    let header = lines.next().expect("a header");
    // Where each column starts, in terminal columns (a CJK character takes two).
    let starts = |line: &str, fields: usize| -> Vec<usize> {
        let mut at = 0;
        let mut starts = Vec::new();
        for field in line.split_whitespace().take(fields) {
            let offset = at + line[at..].find(field).expect("the field");
            starts.push(line[..offset].width());
            at = offset + field.len();
        }
        starts
    };
    let expected = starts(header, 5);
    assert_eq!(expected.len(), 5, "{header}");
    let mut rows = 0;
    for line in lines {
        assert_eq!(starts(line, 5), expected, "misaligned:\n{header}\n{line}");
        rows += 1;
    }
    assert!(rows > 5, "the demo's accounts are listed: {list}");
    assert!(list.contains("系统管理员"), "{list}");
}

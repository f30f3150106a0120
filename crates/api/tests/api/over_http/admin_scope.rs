//! The administration matrix over the real server, on both backends (issue 13): the admins of
//! the district, of 恒口镇 (town A) and of another town (town B) create, change the role of,
//! move, reset the password of, end the sessions of and disable users — and erase the personal data of cases — in and
//! out of their subtrees. Inside is done; outside is `FORBIDDEN` (`NOT_FOUND` for a case) and
//! changes nothing; every escalation reproduced in the issue is refused.

use serde_json::{json, Value};

use crate::helpers::{code, TestApp, DISTRICT, OTHER_TOWN, PASSWORD, TOWN};
use crate::world::{People, VILLAGE};

const CREATE: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }";
const CHANGE: &str = "mutation($u: String!, $r: Role!, $d: String!) { changeRole(username: $u, role: $r, division: $d) { role division } }";
const RESET: &str = "mutation($u: String!) { resetPassword(username: $u, newPassword: \"taken-over-password\") { username } }";
const DISABLE: &str =
    "mutation($u: String!) { disableUser(username: $u, reason: \"调离\") { active } }";
const REVOKE: &str = "mutation($u: String!) { revokeUserTokens(username: $u) { active } }";
const ME: &str = "{ me { username } }";
const ERASE: &str = "mutation($c: ID!) { erasePersonalData(caseId: $c, reason: \"依申请删除 2024-17\") { events } }";
const USERS: &str = "{ users { username role division active } }";

/// Whether the subtree of `admin` holds `division` (written out for the three places).
fn holds(admin: &str, division: &str) -> bool {
    admin == DISTRICT || admin == division || (admin == TOWN && division == VILLAGE)
}

struct Admins {
    /// (token, division) of the district's, town A's and town B's admin.
    all: Vec<(String, &'static str)>,
}

async fn admins(server: &TestApp, people: &People) -> Admins {
    let town_a = server.user(&people.admin, "admin.a", "ADMIN", TOWN).await;
    let town_b = server
        .user(&people.admin, "admin.b", "ADMIN", OTHER_TOWN)
        .await;
    Admins {
        all: vec![
            (people.admin.clone(), DISTRICT),
            (town_a, TOWN),
            (town_b, OTHER_TOWN),
        ],
    }
}

/// A steward created by the district admin: the target of one cell.
async fn target(server: &TestApp, people: &People, name: &str, division: &str) -> String {
    server.user(&people.admin, name, "STEWARD", division).await;
    name.to_owned()
}

/// The account of `name` as the district admin lists it (`Null` when it does not exist).
async fn listed(server: &TestApp, people: &People, name: &str) -> Value {
    let users = server.ok(USERS, json!({}), &people.admin).await;
    users["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["username"] == name))
        .cloned()
        .unwrap_or(Value::Null)
}

/// Sends `query` as `token`: done when `allowed`, else `FORBIDDEN` with no data.
async fn decided(
    server: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    allowed: bool,
    cell: &str,
) {
    let answer = server.run(query, variables, Some(token)).await;
    if allowed {
        assert!(answer["errors"].is_null(), "{cell}: {answer}");
    } else {
        assert_eq!(code(&answer), "FORBIDDEN", "{cell}: {answer}");
        assert!(answer["data"].is_null(), "{cell}: {answer}");
    }
}

async fn admins_administer_only_their_subtree(server: &TestApp) {
    let people = People::new(server).await;
    let admins = admins(server, &people).await;
    let mut n = 0;
    for (token, own) in &admins.all {
        for place in [DISTRICT, TOWN, OTHER_TOWN] {
            let allowed = holds(own, place);
            let cell = |op: &str| format!("admin of {own} {op} a user of {place}");
            n += 1;

            let created = format!("new.{n}");
            let input = json!({"username": created, "displayName": "新人", "role": "STEWARD",
                               "division": place, "password": PASSWORD});
            decided(
                server,
                token,
                CREATE,
                json!({"i": input}),
                allowed,
                &cell("creates"),
            )
            .await;
            assert_eq!(listed(server, &people, &created).await.is_null(), !allowed);

            let promoted = target(server, &people, &format!("role.{n}"), place).await;
            let vars = json!({"u": promoted, "r": "LEADER", "d": place});
            decided(server, token, CHANGE, vars, allowed, &cell("promotes")).await;
            let role = if allowed { "LEADER" } else { "STEWARD" };
            assert_eq!(listed(server, &people, &promoted).await["role"], role);

            let moved = target(server, &people, &format!("move.{n}"), place).await;
            let vars = json!({"u": moved, "r": "STEWARD", "d": own});
            let moves = allowed && place != *own;
            if place != *own {
                decided(server, token, CHANGE, vars, moves, &cell("moves")).await;
            }
            let division = if moves { own } else { &place };
            assert_eq!(listed(server, &people, &moved).await["division"], *division);

            let reset = target(server, &people, &format!("reset.{n}"), place).await;
            decided(
                server,
                token,
                RESET,
                json!({"u": reset}),
                allowed,
                &cell("resets"),
            )
            .await;
            let old = server
                .run("mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }", json!({"u": reset, "p": PASSWORD}), None)
                .await;
            assert_eq!(
                old["errors"].is_null(),
                !allowed,
                "{}: {old}",
                cell("resets")
            );

            // The target's own session: it ends when, and only when, the admin may end it;
            // the account stays active either way.
            let revoked = format!("revoked.{n}");
            let session = server.user(&people.admin, &revoked, "STEWARD", place).await;
            decided(
                server,
                token,
                REVOKE,
                json!({"u": revoked}),
                allowed,
                &cell("ends the sessions of"),
            )
            .await;
            let me = server.run(ME, json!({}), Some(&session)).await;
            if allowed {
                assert_eq!(code(&me), "UNAUTHENTICATED", "{}: {me}", cell("ends"));
                server.login(&revoked, PASSWORD).await;
            } else {
                assert!(me["errors"].is_null(), "{}: {me}", cell("ends"));
            }
            assert_eq!(listed(server, &people, &revoked).await["active"], true);

            let disabled = target(server, &people, &format!("off.{n}"), place).await;
            decided(
                server,
                token,
                DISABLE,
                json!({"u": disabled}),
                allowed,
                &cell("disables"),
            )
            .await;
            assert_eq!(listed(server, &people, &disabled).await["active"], !allowed);
        }
    }

    // Each admin lists the users of its subtree, and only those.
    let everyone = server.ok(USERS, json!({}), &people.admin).await;
    let everyone = everyone["users"].as_array().expect("a list").clone();
    for (token, own) in &admins.all {
        let listed = server.ok(USERS, json!({}), token).await;
        let expected: Vec<&Value> = everyone
            .iter()
            .filter(|user| holds(own, user["division"].as_str().unwrap_or_default()))
            .collect();
        let listed: Vec<&Value> = listed["users"].as_array().expect("a list").iter().collect();
        assert_eq!(listed, expected, "the users of {own}");
    }
}
both_backends!(served admins_administer_only_their_subtree);

async fn admins_erase_only_in_their_subtree(server: &TestApp) {
    let people = People::new(server).await;
    let admins = admins(server, &people).await;
    let in_a = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    let in_b = people
        .case_led_by(
            server,
            (&people.elsewhere, "wang.fang"),
            ("关庙物流", 2, OTHER_TOWN),
        )
        .await;
    for (token, own) in admins.all.iter().rev() {
        for (case_id, division) in [(&in_a, VILLAGE), (&in_b, OTHER_TOWN)] {
            let answer = server.run(ERASE, json!({"c": case_id}), Some(token)).await;
            if holds(own, division) {
                assert!(
                    answer["errors"].is_null(),
                    "{own} erases in {division}: {answer}"
                );
            } else {
                assert_eq!(
                    code(&answer),
                    "NOT_FOUND",
                    "{own} erases in {division}: {answer}"
                );
            }
        }
    }
}
both_backends!(served admins_erase_only_in_their_subtree);

async fn the_escalations_of_the_issue_are_refused(server: &TestApp) {
    let people = People::new(server).await;
    let admins = admins(server, &people).await;
    let (town_b, _) = &admins.all[2];
    let (town_a, _) = &admins.all[1];
    let in_a = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;

    // An admin for the whole district, created by town B's admin.
    let input = json!({"username": "rogue.admin", "displayName": "区管理员", "role": "ADMIN",
                       "division": DISTRICT, "password": PASSWORD});
    decided(
        server,
        town_b,
        CREATE,
        json!({"i": input}),
        false,
        "district admin",
    )
    .await;
    assert!(listed(server, &people, "rogue.admin").await.is_null());
    // A town-A steward made a district leader, by town B's admin and by town A's own.
    for token in [town_b, town_a] {
        let vars = json!({"u": "li.ming", "r": "LEADER", "d": DISTRICT});
        decided(server, token, CHANGE, vars, false, "district leader").await;
    }
    assert_eq!(
        listed(server, &people, "li.ming").await,
        json!({"username": "li.ming", "role": "STEWARD", "division": TOWN, "active": true})
    );
    // The district leader's password reset by town B's admin: the takeover fails.
    decided(
        server,
        town_b,
        RESET,
        json!({"u": "chen.jun"}),
        false,
        "takeover",
    )
    .await;
    let takeover = server
        .run(r#"mutation { login(username: "chen.jun", password: "taken-over-password") { token } }"#, json!({}), None)
        .await;
    assert_eq!(code(&takeover), "UNAUTHENTICATED");
    // Town B's admin erases a town-A case: it is not even told the case exists.
    let erased = server.run(ERASE, json!({"c": in_a}), Some(town_b)).await;
    assert_eq!(code(&erased), "NOT_FOUND");
    // The catalog serves the whole district: a town's admin does not change it.
    let catalog = server
        .run(
            "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }",
            json!({"i": crate::catalog::item("QYSL-009", 1)}),
            Some(town_a),
        )
        .await;
    assert_eq!(code(&catalog), "FORBIDDEN", "{catalog}");
}
both_backends!(served the_escalations_of_the_issue_are_refused);

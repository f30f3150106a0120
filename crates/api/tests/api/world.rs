//! The people and the catalog most tests start from ([`People`], on any app, served or not;
//! [`World`], the people with the app they live on), the steps that put a case into service,
//! and [`Life`], one step of the case life checked for read-your-writes. Who is who (division
//! codes of district 610902):
//!
//! | token        | user      | role    | division          |
//! |--------------|-----------|---------|-------------------|
//! | steward      | li.ming   | steward | 恒口镇 (TOWN)      |
//! | bystander    | zhao.lei  | steward | 恒口镇 (TOWN)      |
//! | elsewhere    | wang.fang | steward | OTHER_TOWN        |
//! | leader       | chen.jun  | leader  | the district      |
//! | town_leader  | zhou.min  | leader  | OTHER_TOWN        |
//! | auditor      | qian.shen | auditor | the district      |
//! | town_auditor | sun.li    | auditor | OTHER_TOWN        |
//! | admin        | admin     | admin   | the district      |

use guanjia_domain::values::Uscc;
use serde_json::{json, Value};

use crate::catalog::item;
use crate::helpers::*;

/// A village of 恒口镇.
pub const VILLAGE: &str = "610902100201";

pub const REGISTER: &str = "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId caseNumber position caughtUp } }";

/// Makes `$s` the lead steward of case `$c`, at the town tier.
const ASSIGN: &str = "mutation($c: ID!, $s: String!) { assignLeadSteward(caseId: $c, input: {steward: $s, tier: TOWN}) { events } }";

/// A token per person of the module table.
pub struct People {
    pub admin: String,
    pub steward: String,
    pub bystander: String,
    pub elsewhere: String,
    pub leader: String,
    pub town_leader: String,
    pub auditor: String,
    pub town_auditor: String,
}

impl People {
    /// Publishes catalog items `QYSL-001` (promised 1 working day) and `GZKZ-002` (promised
    /// 2) on `app` and creates the people.
    pub async fn new(app: &TestApp) -> Self {
        let admin = app.admin().await;
        for (code, promised) in [("QYSL-001", 1), ("GZKZ-002", 2)] {
            app.ok(
                "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }",
                json!({"i": item(code, promised)}),
                &admin,
            )
            .await;
        }
        Self {
            steward: app.user(&admin, "li.ming", "STEWARD", TOWN).await,
            bystander: app.user(&admin, "zhao.lei", "STEWARD", TOWN).await,
            elsewhere: app.user(&admin, "wang.fang", "STEWARD", OTHER_TOWN).await,
            leader: app.user(&admin, "chen.jun", "LEADER", DISTRICT).await,
            town_leader: app.user(&admin, "zhou.min", "LEADER", OTHER_TOWN).await,
            auditor: app.user(&admin, "qian.shen", "AUDITOR", DISTRICT).await,
            town_auditor: app.user(&admin, "sun.li", "AUDITOR", OTHER_TOWN).await,
            admin,
        }
    }

    /// Registers a case on `app` as `token` for enterprise number `n` named `name` in
    /// `division`, and has the district leader make `lead` its lead steward. Returns the case
    /// id.
    pub async fn case_led_by(
        &self,
        app: &TestApp,
        (token, lead): (&str, &str),
        (name, n, division): (&str, u32, &str),
    ) -> String {
        let input = json!({"enterprise": enterprise(name, n, division),
                           "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
        let data = app.ok(REGISTER, json!({"i": input}), token).await;
        let case_id = data["registerCase"]["caseId"]
            .as_str()
            .expect("a case id")
            .to_owned();
        app.ok(ASSIGN, json!({"c": case_id, "s": lead}), &self.leader)
            .await;
        case_id
    }
}

/// The test app and its people; `world.steward` reads the people's tokens.
pub struct World {
    pub app: TestApp,
    pub people: People,
}

impl std::ops::Deref for World {
    type Target = People;

    fn deref(&self) -> &People {
        &self.people
    }
}

impl World {
    /// The people of [`People::new`] on `app`.
    pub async fn new(app: TestApp) -> Self {
        let people = People::new(&app).await;
        Self { app, people }
    }

    /// Registers a case as `token` and returns its id.
    pub async fn register(&self, token: &str, enterprise: Value) -> String {
        self.register_on(token, enterprise, Value::Null).await
    }

    /// Registers a case dated `registered_on` (null: today) as `token` and returns its id.
    pub async fn register_on(
        &self,
        token: &str,
        enterprise: Value,
        registered_on: Value,
    ) -> String {
        let dated_back = !registered_on.is_null();
        let input = json!({"enterprise": enterprise, "leadSource": "INVESTMENT_PROMOTION",
                           "stage": "ESTABLISHMENT", "registeredOn": registered_on});
        // A registration dated back is recorded as a late entry (补录), with its reason.
        let data = if !dated_back {
            self.app.ok(REGISTER, json!({"i": input}), token).await
        } else {
            let query = "mutation($i: RegisterCaseInput!) { registerCase(input: $i, lateReason: \"纸质台账补录\") { caseId caseNumber position caughtUp } }";
            self.app.ok(query, json!({"i": input}), token).await
        };
        data["registerCase"]["caseId"]
            .as_str()
            .expect("a case id")
            .to_owned()
    }

    /// Registers a case, makes `steward` its lead (as the district leader), signs it and
    /// adopts a plan: the case is in service.
    pub async fn case_in_service(&self, token: &str, steward: &str, enterprise: Value) -> String {
        self.case_in_service_since(token, steward, enterprise, "2024-03-15")
            .await
    }

    /// As [`Self::case_in_service`], registered and signed on `on` (a date before today lets
    /// the case take steps dated before today).
    pub async fn case_in_service_since(
        &self,
        token: &str,
        steward: &str,
        enterprise: Value,
        on: &str,
    ) -> String {
        let case_id = self.register_on(token, enterprise, json!(on)).await;
        self.app
            .ok(ASSIGN, json!({"c": case_id, "s": steward}), &self.leader)
            .await;
        self.app.ok(r#"mutation($c: ID!, $on: NaiveDate!) { signAgreement(caseId: $c, lateReason: "纸质台账补录", input: {scope: FULL_LIFECYCLE, signedOn: $on, signatories: ["王经理"]}) { events } }"#, json!({"c": case_id, "on": on}), token)
        .await;
        self.app.ok(r#"mutation($c: ID!) { adoptPlan(caseId: $c, input: {text: "一企一策", plannedItems: ["QYSL-001"], milestones: []}) { events } }"#, json!({"c": case_id}), token)
        .await;
        case_id
    }
}

/// An enterprise in `division` named `name`, with USCC number `n` (valid check character).
pub fn enterprise(name: &str, n: u32, division: &str) -> Value {
    json!({"name": name, "uscc": uscc(n), "division": division,
           "contactName": "王经理", "contactPhone": "13812345678"})
}

/// A valid USCC, different for every `n`.
pub fn uscc(n: u32) -> String {
    Uscc::with_check_character(&format!("91610902MA{n:07}"))
        .expect("a valid USCC")
        .as_str()
        .to_owned()
}

/// The input of a rating of `kind` number `no` at `level`, by a named rater.
pub fn rating(kind: &str, no: u32, level: u8) -> String {
    format!(
        r#"{{targetKind: {kind}, targetNo: {no}, rating: {{level: {level}, dimensionSet: OFFLINE_2019, dimensions: [{{dimension: "efficiency", level: {level}}}], channel: EVALUATOR_DEVICE, rater: {{name: "张三", phone: "13900001111"}}}}}}"#
    )
}

/// The fields of the case every step returns.
pub const CASE: &str = "fragment C on Case { id caseNumber state stage term leadSteward
  agreement { scope } plan { version } team { leadSteward { username } members { username } }
  projects { code investment { fen yuan } keyProject }
  visits { visitNo status } notes { text } lifecycle { kind term closeReason }
  items { itemNo status timeStatus extensionDays outcome deadline { date suspended provisional }
          catalog { implementationCode version } suspensions { reason until } }
  ratings { ratingNo level followUpOf badRatingLoop { stage } }
  complaints { complaintNo status assignee signedOffBy }
  enterprise { address corrections { reason changes { field to } } }
  timeline { eventType actor } }";

pub struct Life {
    pub world: World,
    pub case_id: String,
}

impl Life {
    /// Runs mutation `field` as `token` with `input`, checks the result caught up and returns
    /// the case it answered with.
    pub async fn step(&self, token: &str, field: &str, input: &str) -> Value {
        let query = format!(
            "mutation($c: ID!) {{ {field}(caseId: $c, input: {input}) {{ position caughtUp readNote case {{ ...C }} }} }} {CASE}"
        );
        let data = self
            .world
            .app
            .ok(&query, json!({"c": self.case_id}), token)
            .await;
        let result = &data[field];
        assert_eq!(result["caughtUp"], true, "{field}: {result}");
        assert!(result["readNote"].is_null());
        assert!(result["position"].is_string());
        result["case"].clone()
    }
}

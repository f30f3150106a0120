//! The world the application layer's tests start from: a fresh database, a fixed clock, people
//! created in the log with their roles and divisions, and cases registered through the layer.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guanjia_app::{Actor, App, CaseRegistration, PeopleInLog};
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::FixedClock;
use guanjia_domain::user::{Role, User, UserCommand, UserServices, Username};
use guanjia_domain::values::{DivisionCode, Tier};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{CommandContext, EventMetadata, Store};

/// The district, two of its towns and a village of the first.
pub const DISTRICT: &str = "610902000000";
pub const TOWN: &str = "610902100000";
pub const OTHER_TOWN: &str = "610902101000";
pub const VILLAGE: &str = "610902100201";
/// An auditor's division: the whole district.
pub const AUDITOR: &str = DISTRICT;

/// 10:00 on 15 March 2024 in Beijing.
pub fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices::new(Arc::new(FixedClock::at(now)))
}

/// The metadata of a request by `who`, without an idempotency key.
pub fn context(who: &str) -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: who.to_owned(),
        actor_role: "steward".to_owned(),
        correlation_id: format!("corr-{who}"),
        causation_id: format!("req-{who}"),
        request_id: format!("req-{who}"),
        channel: "test".to_owned(),
    })
}

/// A new case of an enterprise in `division`.
pub fn registration(name: &str, uscc: Option<&str>, division: &str) -> CaseRegistration {
    CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            uscc: uscc.map(str::to_owned),
            division: division.to_owned(),
            contact_name: Some("王经理".to_owned()),
            contact_phone: Some("13912345678".to_owned()),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
        late_reason: None,
    }
}

/// The application layer over a fresh database, looking people up in the log.
pub struct World {
    pub app: App,
    pub store: Store,
}

impl World {
    pub async fn new(db: &TestDatabase) -> anyhow::Result<Self> {
        let store = db.open().await?;
        let app = App::new(
            store.clone(),
            services().clock,
            Arc::new(PeopleInLog(store.clone())),
        );
        Ok(Self { app, store })
    }

    /// Creates the account of `name` and returns them as an actor.
    pub async fn person(&self, name: &str, role: Role, division: &str) -> anyhow::Result<Actor> {
        let create = UserCommand::CreateUser {
            username: name.to_owned(),
            display_name: name.to_owned(),
            role,
            division: division.to_owned(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        };
        let services = UserServices {
            clock: services().clock,
        };
        self.store
            .execute::<User>(name, create, &services, context("admin"))
            .await?;
        Ok(Actor {
            username: Username::parse(name)?,
            role,
            division: DivisionCode::parse(division)?,
        })
    }

    /// Disables the account of `name`.
    pub async fn disable(&self, name: &str) -> anyhow::Result<()> {
        let services = UserServices {
            clock: services().clock,
        };
        let disable = UserCommand::Disable {
            reason: "离职".to_owned(),
        };
        self.store
            .execute::<User>(name, disable, &services, context("admin"))
            .await?;
        Ok(())
    }

    /// The start most tests share: the district leader chen.jun, the town steward li.ming, and
    /// a case li.ming registered and leads.
    pub async fn led_case(&self) -> anyhow::Result<(Actor, Actor, String)> {
        let leader = self.person("chen.jun", Role::Leader, DISTRICT).await?;
        let lead = self.person("li.ming", Role::Steward, TOWN).await?;
        let case = self.case_led_by(&lead, &leader, &lead).await?;
        Ok((leader, lead, case))
    }

    /// A case of an enterprise in `VILLAGE`, registered by `by`, with `lead` as its lead
    /// steward (assigned by `leader`).
    pub async fn case_led_by(
        &self,
        by: &Actor,
        leader: &Actor,
        lead: &Actor,
    ) -> anyhow::Result<String> {
        let case = self
            .app
            .register_case(by, registration("恒口新材料", None, VILLAGE), context("r"))
            .await?;
        self.app
            .on_case(leader, &case.case_id, context("a"))
            .assign_lead_steward(lead.username.to_string(), Tier::Town, None)
            .await?;
        Ok(case.case_id)
    }
}

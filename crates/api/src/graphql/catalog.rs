//! The service catalog: the `catalog` query, for everyone signed in (stewards pick items and
//! bundles from it, leaders and auditors read what a case's items were requested under), and
//! the mutations, for admins of the whole district only (`auth::admin`): publish, revise and
//! retire catalog items and bundles of the one catalog (aggregate id `default`). The use case,
//! with its check of the role, is `guanjia_app`'s `App::change_catalog` (`crates/app/src/
//! catalog.rs`); this module only carries the specs to it. Like the case mutations, each
//! answers once this node's read model has applied its events, so a `catalog` query that
//! follows shows the change.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject};
use guanjia_domain::catalog::{BundleSpec, CatalogCommand, CatalogItemSpec, ServiceGuide};
use guanjia_store::Committed;

use super::context::{actor, command_context, read, state};
use super::enums::ItemType;
use super::types::catalog::Catalog;
use crate::error::ApiError;

/// One version of a catalog item's service guide (办事指南).
#[derive(InputObject)]
pub struct CatalogItemInput {
    /// 基本编码
    pub basic_code: String,
    /// 实施编码: the item's key.
    pub implementation_code: String,
    pub name: String,
    pub item_type: ItemType,
    /// The handling department.
    pub department: String,
    /// 法定时限 in working days; 0 is 即办.
    pub statutory_limit_days: u32,
    /// 承诺时限 in working days; at most the statutory limit.
    pub promised_limit_days: u32,
    pub required_materials: Vec<String>,
    /// On-site trips the applicant makes; 0 is 零跑腿.
    pub onsite_trips: u32,
    /// The rest of the service guide, in the JSON shape of `guanjia catalog import`
    /// (docs/operations.md). A revision is the whole guide: leaving it out publishes a
    /// version without guide text.
    #[graphql(default)]
    pub guide: Json<ServiceGuide>,
}

impl From<CatalogItemInput> for CatalogItemSpec {
    fn from(input: CatalogItemInput) -> Self {
        Self {
            basic_code: input.basic_code,
            implementation_code: input.implementation_code,
            name: input.name,
            item_type: input.item_type.into(),
            department: input.department,
            statutory_limit_days: input.statutory_limit_days,
            promised_limit_days: input.promised_limit_days,
            required_materials: input.required_materials,
            onsite_trips: input.onsite_trips,
            guide: input.guide.0,
        }
    }
}

/// One version of a bundle (一件事一次办).
#[derive(InputObject)]
pub struct BundleInput {
    pub code: String,
    pub name: String,
    /// Implementation codes of the bundled items, in journey order (at least two).
    pub item_codes: Vec<String>,
}

impl From<BundleInput> for BundleSpec {
    fn from(input: BundleInput) -> Self {
        Self {
            code: input.code,
            name: input.name,
            item_codes: input.item_codes,
        }
    }
}

/// What a command appended.
#[derive(SimpleObject)]
pub struct CommandResult {
    /// The log position of the last event: opaque, compare it for read-your-writes.
    pub position: String,
    /// The event types appended, in order; empty when the command changed nothing.
    pub events: Vec<String>,
    /// False when this server's read model had not applied the events when it answered: the
    /// command WAS applied, but a query sent right away may not show it yet.
    pub caught_up: bool,
}

impl CommandResult {
    pub(crate) fn new(committed: Committed, caught_up: bool) -> Self {
        Self {
            position: committed.position.to_string(),
            events: committed.events.into_iter().map(|e| e.event_type).collect(),
            caught_up,
        }
    }
}

/// The catalog query.
#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Every catalog item and bundle with all their versions; retired ones too unless
    /// `includeRetired` is false (default true).
    async fn catalog(
        &self,
        ctx: &Context<'_>,
        include_retired: Option<bool>,
    ) -> Result<Catalog, ApiError> {
        actor(ctx)?;
        let include_retired = include_retired.unwrap_or(true);
        Ok(read(ctx)?.read(|m| Catalog::new(m.catalog(), include_retired)))
    }
}

/// Catalog mutations.
#[derive(Default)]
pub struct CatalogMutation;

#[Object]
impl CatalogMutation {
    /// Publishes a new catalog item as version 1.
    async fn publish_catalog_item(
        &self,
        ctx: &Context<'_>,
        input: CatalogItemInput,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let spec = input.into();
        run(ctx, CatalogCommand::PublishItem { spec }, client_key).await
    }

    /// Publishes the next version of an item's service guide.
    async fn revise_catalog_item(
        &self,
        ctx: &Context<'_>,
        input: CatalogItemInput,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let spec = input.into();
        run(ctx, CatalogCommand::ReviseItem { spec }, client_key).await
    }

    /// Withdraws an item; past versions stay readable.
    async fn retire_catalog_item(
        &self,
        ctx: &Context<'_>,
        implementation_code: String,
        reason: String,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let command = CatalogCommand::RetireItem {
            implementation_code,
            reason,
        };
        run(ctx, command, client_key).await
    }

    /// Defines a new bundle as version 1.
    async fn define_bundle(
        &self,
        ctx: &Context<'_>,
        input: BundleInput,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let spec = input.into();
        run(ctx, CatalogCommand::DefineBundle { spec }, client_key).await
    }

    /// Publishes the next version of a bundle.
    async fn revise_bundle(
        &self,
        ctx: &Context<'_>,
        input: BundleInput,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let spec = input.into();
        run(ctx, CatalogCommand::ReviseBundle { spec }, client_key).await
    }

    /// Withdraws a bundle; its items stay in the catalog.
    async fn retire_bundle(
        &self,
        ctx: &Context<'_>,
        code: String,
        reason: String,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        run(
            ctx,
            CatalogCommand::RetireBundle { code, reason },
            client_key,
        )
        .await
    }
}

async fn run(
    ctx: &Context<'_>,
    command: CatalogCommand,
    client_key: Option<String>,
) -> Result<CommandResult, ApiError> {
    let actor = actor(ctx)?;
    let context = command_context(ctx, actor, client_key)?;
    let state = state(ctx)?;
    let committed = state.app.change_catalog(actor, command, context).await?;
    let waited = state
        .read
        .wait_for(committed.position, state.limits.read_wait)
        .await;
    if let Err(error) = &waited {
        tracing::warn!(%error, "a catalog change was not readable in time");
    }
    Ok(CommandResult::new(committed, waited.is_ok()))
}

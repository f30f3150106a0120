//! Catalog administration as a use case: publishing, revising and retiring the items and
//! bundles of the one service catalog (aggregate id `default`). The catalog serves every
//! division of the district, so only an admin of the whole district changes it
//! (`admin::authorize_catalog_change`); the domain validates the specs and names the field a
//! bad one breaks. GraphQL's `publishCatalogItem`, …, and `guanjia catalog import` are
//! translations onto [`App::change_catalog`].

use guanjia_domain::catalog::{
    CatalogCommand, CatalogServices, ServiceCatalog, DEFAULT_CATALOG_ID,
};
use guanjia_store::{CommandContext, Committed};

use crate::admin::authorize_catalog_change;
use crate::{Actor, App, AppError};

impl App {
    /// Runs `command` on the catalog for `actor`, an admin of the whole district: `FORBIDDEN`
    /// for anyone else, before anything is loaded; the domain's refusal (a bad field, a code
    /// already published, a revision equal to the live version) as it was.
    pub async fn change_catalog(
        &self,
        actor: &Actor,
        command: CatalogCommand,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        authorize_catalog_change(actor)?;
        let services = CatalogServices {
            clock: self.services().clock.clone(),
        };
        Ok(self
            .store()
            .execute::<ServiceCatalog>(DEFAULT_CATALOG_ID, command, &services, context)
            .await?)
    }
}

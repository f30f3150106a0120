//! The rating links on the record, for the admins' list: only the live links (not revoked, not
//! expired, not spent by a rating of their target) of cases inside the asked scope, with their
//! case number, item name, channel and issuer; and the index survives a snapshot.

use chrono::Duration;
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::rating_links::{RatingLinkChannel, RatingLinkEvent};
use guanjia_read::snapshot::{decode, encode};

use guanjia_domain::case::model::ItemOutcome;

use crate::events::{
    accepted, concluded, facts, rated, registered_in, requested, visit_conducted, visit_scheduled,
};
use crate::helpers::{bj, division, Log};

const TOWN: &str = "610902100000";
const OTHER_TOWN: &str = "610902101000";

fn issued(
    case_id: &str,
    link_id: &str,
    target: RatingTarget,
    at: &str,
    hours: i64,
) -> RatingLinkEvent {
    RatingLinkEvent::RatingLinkIssued {
        case_id: case_id.to_owned(),
        link_id: link_id.to_owned(),
        target,
        channel: RatingLinkChannel::Sms,
        issued_at: bj(at),
        expires_at: bj(at) + Duration::hours(hours),
    }
}

#[test]
fn the_live_links_of_a_scope_are_listed_without_the_dead_ones() {
    // Given a case in the town with a conducted visit and a concluded item, one in another town
    let mut log = Log::new();
    log.at("2024-03-01 09:00").case_all(
        "c1",
        [
            registered_in(
                "2024-0001",
                "恒口新材料",
                None,
                "610902100201",
                "2024-03-01",
            ),
            visit_scheduled(1, "2024-03-01 10:00"),
            visit_conducted(1, "2024-03-01 11:00"),
            visit_scheduled(2, "2024-03-01 12:00"),
            visit_conducted(2, "2024-03-01 13:00"),
            requested(1, facts("A1", "自然资源局", 20, 5, 3, 1), "2024-03-01"),
            accepted(1, "2024-03-01", 5),
            concluded(1, "2024-03-04", ItemOutcome::Granted, 3, 1),
        ],
    );
    log.case(
        "c2",
        registered_in("2024-0002", "别镇企业", None, OTHER_TOWN, "2024-03-01"),
    );
    // And links: live (item), live (visit 2) then revoked, for visit 1 then rated, expired, and
    // one of the other town
    log.at("2024-03-05 09:00").by("li.ming", "steward");
    log.rating_links(
        "c1",
        issued(
            "c1",
            "live-item",
            RatingTarget::Item(1),
            "2024-03-05 09:00",
            72,
        ),
    );
    log.rating_links(
        "c1",
        issued(
            "c1",
            "revoked",
            RatingTarget::Visit(2),
            "2024-03-05 09:00",
            72,
        ),
    );
    log.rating_links(
        "c1",
        issued("c1", "used", RatingTarget::Visit(1), "2024-03-05 09:00", 72),
    );
    log.rating_links(
        "c1",
        issued(
            "c1",
            "expired",
            RatingTarget::Visit(2),
            "2024-03-01 09:00",
            24,
        ),
    );
    log.rating_links(
        "c2",
        issued(
            "c2",
            "elsewhere",
            RatingTarget::Visit(1),
            "2024-03-05 09:00",
            72,
        ),
    );
    log.by("admin.hk", "admin").rating_links(
        "c1",
        RatingLinkEvent::RatingLinkRevoked {
            link_id: "revoked".to_owned(),
            reason: "发错".to_owned(),
            revoked_at: bj("2024-03-05 10:00"),
        },
    );
    log.case(
        "c1",
        rated(1, RatingTarget::Visit(1), 5, "2024-03-05 11:00"),
    );
    let model = log.model();
    // Then the town sees only its live link, with its case number, item and issuer
    let live = model.live_rating_links(&division(TOWN), bj("2024-03-06 09:00"));
    let ids: Vec<&str> = live.iter().map(|l| l.link_id.as_str()).collect();
    assert_eq!(ids, ["live-item"]);
    assert_eq!(live[0].case_number.to_string(), "2024-0001");
    assert_eq!(live[0].item_name.as_deref(), Some("事项A1"));
    assert_eq!(live[0].issuer, "li.ming");
    assert_eq!(live[0].channel, RatingLinkChannel::Sms);
    // And the other town only its own, the district both, and after expiry nobody any
    let other = model.live_rating_links(&division(OTHER_TOWN), bj("2024-03-06 09:00"));
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].link_id, "elsewhere");
    let district = model.live_rating_links(&division("610902000000"), bj("2024-03-06 09:00"));
    assert_eq!(district.len(), 2);
    assert!(model
        .live_rating_links(&division("610902000000"), bj("2024-03-08 09:00"))
        .is_empty());
    // And the index is in the model's image
    assert!(decode(&encode(&model).expect("encodes")).expect("decodes") == model);
}

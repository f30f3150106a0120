//! The read model's tests, one binary: projections fed with stored events built from domain
//! events, and the queries checked against hand-computed answers.

mod data_set;
mod events;
mod helpers;
mod live;

mod catalog;
mod dashboard;
mod days;
mod deadlines;
mod divisions;
mod erasure;
mod follower;
mod groups;
mod late_entries;
mod life;
mod lookup;
mod paging;
mod rating_links;
mod replay;
mod search;
mod snapshots;
mod supervision;
mod workload;

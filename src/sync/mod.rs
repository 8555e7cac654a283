//! The sending side of a link to a hub, without HTTP serving or SQL text: the one client a
//! hub's address gets, HTTPS checked by the web's roots or a pinned fingerprint, plain HTTP
//! only where it stays private (`link`); a box's to its province (enrolling, pushing batches until the hub holds everything, fetching packs, USB
//! export and reply files: `client`; on a timer with back-off: `background`; the packs it
//! receives: `packs`; the province's live lesson followed, with the hall's room reported:
//! `live`; the lessons and readings the commune offers its province: `proposals`), and a
//! province hub's to the national hub (joining, introducing its
//! boxes and passing on their signed batches: `relay`). What travels is `protocol`'s; the
//! receiving side is `hub`.

pub mod background;
pub mod client;
pub mod link;
pub mod live;
pub mod packs;
pub mod proposals;
pub mod relay;

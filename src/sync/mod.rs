//! The box's side of the province link, without HTTP or SQL text: enrolling, pushing
//! batches until the hub holds everything, fetching packs, USB export and reply files
//! (`client`), doing it on a timer with back-off (`background`), and the packs it receives
//! (`packs`). What travels is `protocol`'s; the hub's side is `hub`.

pub mod background;
pub mod client;
pub mod packs;

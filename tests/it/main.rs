//! The integration tests: one binary, one module a story. Each test starts a real box on
//! `127.0.0.1:0` with a temporary data folder and talks to it over HTTP, as a phone would.

mod api;
mod assets;
mod authoring;
mod backup;
mod browser;
mod cli;
mod errors;
mod facilitators;
mod hardening;
mod hubs;
mod languages;
mod learners;
mod limits;
mod links;
mod live;
mod load;
mod offline;
mod people;
mod portal;
mod postgres;
mod practice;
mod printables;
mod province_hub;
mod province_live;
mod provinces;
mod proxy;
mod quiz;
mod reading;
mod records;
mod relays;
mod reports;
mod support;
mod sync;
mod tidy;
mod weight;

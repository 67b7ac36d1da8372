//! The JSON API under `/api/v1`.

pub mod auth;
pub mod catalog;
pub mod commands;
pub mod tickets;

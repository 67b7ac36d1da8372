//! The JSON API under `/api/v1`.

pub mod attachments;
pub mod auth;
pub mod catalog;
pub mod commands;
pub mod reports;
pub mod responses;
pub mod submission;
pub mod tickets;

//! The JSON API under `/api/v1`.

pub mod attachments;
pub mod auth;
pub mod catalog;
pub mod command_bodies;
pub mod commands;
pub mod openapi;
pub mod report_json;
pub mod reports;
pub mod responses;
pub mod saved_searches;
pub mod submission;
pub mod tickets;

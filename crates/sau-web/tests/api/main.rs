//! HTTP integration tests of the JSON API: the real server on a loopback port,
//! spoken to with reqwest, once per storage backend (SQLite always; PostgreSQL too
//! when `SAU_TEST_POSTGRES_URL` is set), each test on fresh databases.

mod account_pages;
mod action_area_pages;
mod admin_jobs;
mod admin_pages;
mod agent_pages;
mod attachment_pages;
mod attachments;
mod bad_input;
mod brand_pages;
mod browser;
mod calendar_pages;
mod canned_responses;
mod concurrency;
mod contact_pages;
mod corrections;
mod errors;
mod holds;
mod list_pages;
mod listing;
mod live;
mod mail_pages;
mod mail_template_pages;
mod news_pages;
mod on_behalf_pages;
mod openapi;
mod otrs;
mod otrs_clients;
mod otrs_import;
mod otrs_moves;
mod pages;
mod procedure;
mod reading;
mod report_pages;
mod requester_pages;
mod saved_searches;
mod search;
mod search_attachments;
mod session_writes;
mod support;
mod system;

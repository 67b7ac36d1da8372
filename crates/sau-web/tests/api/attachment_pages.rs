//! Attachments in the web pages: forms that carry files, their listing, and downloads with the session.

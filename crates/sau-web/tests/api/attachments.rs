//! Attachments through the JSON API: uploads (multipart and base64), listing, downloads, limits and bad input.

//! The rules of SAU's procedure (manual ME-DS-TI-MNP-08, procedure 7.1): who may do
//! what to a ticket in which state, and what each change records. Pure: no I/O, no
//! async, no clock; callers pass `now`.

mod attachment;
mod attachment_limits;
mod brand;
mod calendar;
mod calendar_text;
mod canned;
mod category;
mod choice;
mod command;
mod contact;
mod error;
mod event;
mod ids;
mod inbound;
mod measure;
mod notice;
mod number;
mod policy;
mod priority;
mod rating;
mod role;
mod saved_search;
mod state;
mod targets;
#[cfg(test)]
mod test_history;
mod ticket;
mod timing;

pub use attachment::{
    Attachment, ContentCheck, ContentProblem, FileKind, MAX_FILE_NAME_CHARS, clean_file_name,
    file_name_for_messages, sniff,
};
pub use attachment_limits::{AttachmentLimits, AttachmentRefusal};
pub use brand::{
    DARK_SURFACE, DEFAULT_BRAND_COLOUR, LIGHT_SURFACE, LogoKind, MAX_BRAND_NAME_CHARS,
    MAX_LOGO_BYTES, MIN_CONTRAST, Rgb, WHITE, check_brand_colour, check_brand_name, check_logo,
};
pub use calendar::{
    Calendar, CalendarError, DEFAULT_TIME_ZONE, Holiday, HolidayDate, Shift, easter_sunday,
    guatemala_holidays,
};
pub use calendar_text::{
    MAX_HOLIDAY_NAME_CHARS, MAX_HOLIDAYS, calendar_from_text, calendar_to_text, format_holiday,
    format_hours, parse_holiday, parse_hours,
};
pub use canned::{
    CannedText, MAX_RESPONSE_BODY_CHARS, MAX_RESPONSE_TITLE_CHARS, MAX_RESPONSES, ResponseUse,
    may_keep_responses,
};
pub use category::{Category, FieldDef, FieldKind, FieldProblem, FieldValue, default_categories};
pub use choice::{MAX_OPTIONS, OptionLabel, folded, option_key, options_from_lines};
pub use command::{
    Assignee, Attention, AttentionMode, Command, CommandKind, FieldCorrection, Intake, Submission,
    Visibility,
};
pub use contact::Contact;
pub use error::DomainError;
pub use event::{EntryKind, Event, EventEntry, EventKind};
pub use ids::{AttachmentId, CategoryId, DepartmentId, EntryId, QueueId, TicketId, UserId};
pub use inbound::{
    Automatic, MailHeaders, SENDER_MAILS_PER_HOUR, ThreadedBy, UnknownSenders, automatic,
    mail_title, thread_number,
};
pub use measure::{Compliance, Granularity, Measure, Step, day_from_number, day_number, quantile};
pub use notice::{Audience, Notice, leaves_out, notices_for};
pub use number::{TicketNumber, check_digit, date_checksum_number, parse_subject_number};
pub use policy::{Actor, MAX_BODY_CHARS, MAX_TITLE_CHARS, Policy};
pub use priority::Priority;
pub use rating::{MAX_RATING_COMMENT_CHARS, RATING_LINK_DAYS, RATING_SCORES};
pub use role::{Role, Roles};
pub use saved_search::{
    MAX_SAVED_SEARCH_NAME, MAX_SAVED_SEARCH_QUERY, MAX_SAVED_SEARCHES, saved_search_name,
    saved_search_query,
};
pub use state::State;
pub use targets::{Deadlines, TargetCheck, TargetKind, Targets, check_targets, deadlines};
pub use ticket::{Setback, Ticket};
pub use timing::{DEFAULT_TARGET_MINUTES, StepTimes, TargetStatus};

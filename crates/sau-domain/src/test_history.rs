//! A ticket's history for the unit tests of time: the same Friday-to-Monday
//! ticket measured by the targets' and the reports' tests.

use crate::{
    Attention, AttentionMode, Calendar, CategoryId, Event, EventKind, Priority, QueueId, UserId,
};
use jiff::Timestamp;
use jiff::civil::date;

pub(crate) fn local(calendar: &Calendar, d: jiff::civil::Date, h: i8, m: i8) -> Timestamp {
    calendar
        .zone()
        .to_ambiguous_timestamp(d.at(h, m, 0, 0))
        .compatible()
        .expect("local time")
}

pub(crate) fn event(at: Timestamp, kind: EventKind) -> Event {
    Event {
        actor: UserId(1),
        at,
        kind,
    }
}

pub(crate) fn submitted() -> EventKind {
    EventKind::Submitted {
        title: "Impresora".into(),
        description: "No imprime".into(),
        category: CategoryId(1),
        queue: QueueId(1),
        priority: Priority::new(3).expect("priority"),
        fields: Default::default(),
        requester: UserId(1),
        department: None,
        attachments: Vec::new(),
        intake: None,
    }
}

/// Friday 4 December 2026 16:20 in; Monday 08:05 assigned, 08:10
/// accepted, on hold 08:20–10:20, resolved 10:30, closed 10:32.
pub(crate) fn a_ticket_over_the_weekend(gt: &Calendar) -> Vec<Event> {
    let monday = date(2026, 12, 7);
    vec![
        event(local(gt, date(2026, 12, 4), 16, 20), submitted()),
        event(
            local(gt, monday, 8, 5),
            EventKind::Assigned {
                technician: UserId(3),
                previous: None,
            },
        ),
        event(local(gt, monday, 8, 10), EventKind::Accepted),
        event(
            local(gt, monday, 8, 20),
            EventKind::Held {
                reason: "Esperando el repuesto".into(),
                until: None,
            },
        ),
        event(local(gt, monday, 10, 20), EventKind::Resumed),
        event(
            local(gt, monday, 10, 30),
            EventKind::Resolved {
                resolution: "Repuesto instalado".into(),
                attention: Attention {
                    mode: AttentionMode::InPerson,
                    remote_tool: None,
                    remote_id: None,
                },
                attachments: Vec::new(),
            },
        ),
        event(local(gt, monday, 10, 32), EventKind::Closed),
    ]
}

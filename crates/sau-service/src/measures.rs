//! Measuring closed tickets for the director's reports: the
//! `refresh_measures` job works out, from its events, the business time of
//! each step of every ticket closed since the last run and whether it met
//! its targets, and the store keeps the daily sums in step.

use crate::{Service, ServiceError};
use sau_domain::{Measure, State, day_number};
use sau_store::MeasureRecord;
use std::time::{Duration, Instant};

/// Tickets read at a time.
const MEASURE_BATCH: i64 = 500;

/// How long one run keeps measuring before it leaves the rest to the next
/// (after an upgrade, years of closed tickets wait to be measured).
const MEASURE_BUDGET: Duration = Duration::from_secs(20);

impl Service {
    /// Measures every ticket that changed since it was last measured, for at
    /// most [`MEASURE_BUDGET`]: how many were kept.
    pub async fn refresh_measures(&self) -> Result<usize, ServiceError> {
        self.refresh_measures_for(MEASURE_BUDGET).await
    }

    /// [`Service::refresh_measures`] with another time budget (the
    /// benchmark's bulk load measures everything at once).
    pub async fn refresh_measures_for(&self, budget: Duration) -> Result<usize, ServiceError> {
        let rules = self.time_rules().await?;
        let zone = rules.report_zone().clone();
        let started = Instant::now();
        let mut kept = 0;
        while started.elapsed() < budget {
            let stale = self.store.stale_measures(MEASURE_BATCH).await?;
            if stale.is_empty() {
                break;
            }
            let mut writes = Vec::with_capacity(stale.len());
            for (id, _) in stale {
                let Some(record) = self.store.ticket_by_id(id).await? else {
                    continue;
                };
                let ticket = &record.ticket;
                let mut measure = None;
                if ticket.state == State::Closed {
                    let events: Vec<_> = self
                        .store
                        .ticket_events(id)
                        .await?
                        .into_iter()
                        .map(|e| e.event)
                        .collect();
                    let (_, calendar) = rules.calendar(ticket.category, ticket.queue);
                    let targets = rules.targets(ticket.category, ticket.priority);
                    measure =
                        Measure::of_closed(&events, calendar, &targets).map(|m| MeasureRecord {
                            day: day_number(zone.to_datetime(m.closed_at).date()),
                            closed_at: m.closed_at,
                            category: ticket.category,
                            priority: i64::from(ticket.priority.level()),
                            technician: ticket.technician,
                            mode: ticket
                                .attention
                                .as_ref()
                                .map(|a| a.mode.as_str().to_owned()),
                            department: ticket.department,
                            seconds: m.seconds,
                            on_hold: m.on_hold,
                            met: m.met,
                            rating: m.rating,
                        });
                }
                // Written for the version read: if the ticket changed since,
                // the store leaves it to be measured again.
                writes.push((id, ticket.version, measure));
            }
            let written = writes.len();
            let kept_now = self.store.set_measures(writes).await?;
            kept += kept_now;
            if kept_now == 0 && written > 0 {
                // Everything changed under us: the next run takes it up.
                break;
            }
        }
        Ok(kept)
    }
}

//! Rating the attention from the closing mail: a one-use link, valid for 14
//! days, that needs no sign-in. The rating is an event on the ticket, written
//! in the same transaction that uses the link up.

use crate::auth::token_hash;
use crate::commands::record_events;
use crate::{Service, ServiceError, now};
use sau_domain::{Actor, FieldProblem};

/// Whether a rating link may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Open,
    Used,
    Expired,
}

/// What a rating link's page shows: the ticket it rates, and whether it
/// may still be used.
#[derive(Debug, Clone)]
pub struct RatingView {
    pub number: String,
    pub title: String,
    /// The language of the person it was sent to (`es`, `en`).
    pub locale: String,
    pub state: LinkState,
}

/// What the undone transaction answers when the link was used meanwhile.
const USED: ServiceError = ServiceError::Duplicate("rating");

impl Service {
    /// The ticket a rating link rates; an unknown token is "not found".
    pub async fn rating_link(&self, token: &str) -> Result<RatingView, ServiceError> {
        let link = self
            .store
            .rating_link(token_hash(token.trim()))
            .await?
            .ok_or(ServiceError::NotFound("rating link"))?;
        let record = self.record(link.ticket).await?;
        let user = self
            .store
            .get_user(link.user)
            .await?
            .ok_or(ServiceError::NotFound("rating link"))?;
        let state = if link.used_at.is_some() {
            LinkState::Used
        } else if now() > link.expires_at {
            LinkState::Expired
        } else {
            LinkState::Open
        };
        Ok(RatingView {
            number: record.ticket.number,
            title: record.ticket.title,
            locale: user.locale,
            state,
        })
    }

    /// Rates the ticket with the link's `score` (1–5) and an optional comment;
    /// the link is used up with it. A link used or expired rates nothing and
    /// says so in the view's state.
    pub async fn rate(
        &self,
        token: &str,
        score: &str,
        comment: &str,
    ) -> Result<RatingView, ServiceError> {
        let view = self.rating_link(token).await?;
        if view.state != LinkState::Open {
            return Ok(view);
        }
        let score: u8 = score
            .trim()
            .parse()
            .map_err(|_| ServiceError::invalid("score", FieldProblem::NotAnOption))?;
        let hash = token_hash(token.trim());
        let link = self
            .store
            .rating_link(hash.clone())
            .await?
            .ok_or(ServiceError::NotFound("rating link"))?;
        let user = self
            .store
            .get_user(link.user)
            .await?
            .filter(|u| u.active)
            .ok_or(ServiceError::NotFound("rating link"))?;
        let actor = Actor {
            id: user.id,
            roles: user.roles,
        };
        let policy = self.settings.policy;
        let comment = comment.to_owned();
        let ticket = link.ticket;
        let at = now();
        let written = self
            .store
            .transaction(move |mut tx| {
                Box::pin(async move {
                    if !tx.use_rating_link(&hash, at).await? {
                        return Err(USED);
                    }
                    let current = tx
                        .ticket_for_update(ticket)
                        .await?
                        .ok_or(ServiceError::NotFound("ticket"))?;
                    let event = policy.rate(&current, actor, score, &comment, at)?;
                    record_events(&mut tx, current, vec![event], "mail").await?;
                    Ok::<_, ServiceError>(())
                })
            })
            .await;
        match written {
            Ok(()) => Ok(RatingView {
                state: LinkState::Used,
                ..view
            }),
            Err(ServiceError::Duplicate("rating")) => Ok(RatingView {
                state: LinkState::Used,
                ..view
            }),
            Err(other) => Err(other),
        }
    }
}

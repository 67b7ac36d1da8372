//! `GET /live`: a signed-in agent's live updates as server-sent events, one named
//! after each list that changed (`queue`, `mine`). The pages re-read that list
//! (`assets/live.js`); the events carry no ticket data, so there is nothing here
//! to authorize beyond who may follow which list, which the service decides.

use crate::AppState;
use crate::web::pages::{WebUser, service_error_page};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt, stream};
use sau_service::{LiveFeed, LiveUpdate};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::watch;

/// After this long a stream ends and the browser reconnects, which checks the
/// session again: a signed-out or demoted user stops hearing within minutes.
const STREAM_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// How long the browser waits before reconnecting to an ended stream.
const RECONNECT_AFTER: Duration = Duration::from_secs(2);

/// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Ends the open streams when the server stops: an event stream never ends by
/// itself, and graceful shutdown waits for every response to finish.
#[derive(Debug)]
pub struct StopStreams(watch::Sender<bool>);

/// What each stream watches to know the server is stopping.
#[derive(Debug, Clone)]
pub struct Stopping(watch::Receiver<bool>);

/// A pair for one server: keep [`StopStreams`], give [`Stopping`] to the state.
pub fn stopping() -> (StopStreams, Stopping) {
    let (stop, stopping) = watch::channel(false);
    (StopStreams(stop), Stopping(stopping))
}

impl StopStreams {
    pub fn stop(self) {
        self.0.send_replace(true);
    }
}

impl Stopping {
    async fn wait(mut self) {
        // An error means the server is gone altogether, which is stopping too.
        let _ = self.0.wait_for(|stopping| *stopping).await;
    }
}

pub(crate) async fn live_updates(State(state): State<AppState>, user: WebUser) -> Response {
    let WebUser { caller, chrome } = user;
    match state.service.live_updates(&caller) {
        Ok(feed) => Sse::new(events(feed, state.stopping.clone()))
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            .into_response(),
        Err(e) => service_error_page(chrome, &e),
    }
}

/// The stream: first the reconnection delay, then one event per changed list,
/// until the server stops or the stream has lived its time.
fn events(feed: LiveFeed, stopping: Stopping) -> impl Stream<Item = Result<Event, Infallible>> {
    let updates = stream::unfold(feed, |mut feed| async move {
        feed.next().await.map(|update| (update, feed))
    })
    .flat_map(|update| stream::iter(named(update)));
    stream::once(async { Event::default().retry(RECONNECT_AFTER) })
        .chain(updates)
        .take_until(stopping.wait())
        .take_until(tokio::time::sleep(STREAM_LIFETIME))
        .map(Ok)
}

/// One event per list. A browser ignores an event without data, so each carries
/// its list's name.
fn named(update: LiveUpdate) -> Vec<Event> {
    [("queue", update.queue), ("mine", update.mine)]
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(list, _)| Event::default().event(list).data(list))
        .collect()
}

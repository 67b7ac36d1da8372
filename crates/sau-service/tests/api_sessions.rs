//! Integrations' sessions (the OTRS API's SessionID) and several commands given
//! as one change, on every backend.

mod common;

use common::{assign_to, caller, each_backend, printer_request};
use sau_domain::{Role, State};
use sau_service::{Action, Caller, ServiceError, SignInAs};

#[tokio::test]
async fn a_session_stands_for_who_signed_in_as_what_they_signed_in_as() {
    each_backend(async |service, _| {
        let agent = service
            .open_api_session("soporte", "soporte", SignInAs::Agent, None)
            .await
            .expect("an agent signs in");
        let info = service.api_session(&agent).await.expect("live");
        assert_eq!(info.signed_in_as, SignInAs::Agent);
        assert!(info.caller.has(Role::Dispatcher));

        // A customer user acts as a requester whatever their roles.
        let customer = service
            .open_api_session("soporte", "soporte", SignInAs::Requester, None)
            .await
            .expect("a customer user signs in");
        let info = service.api_session(&customer).await.expect("live");
        assert!(!info.caller.has(Role::Dispatcher));
        assert!(info.caller.has(Role::Requester));

        // A requester is no agent; a wrong password opens nothing.
        let refused = service
            .open_api_session("solicitante", "solicitante", SignInAs::Agent, None)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::BadCredentials)),
            "{refused:?}"
        );
        let refused = service
            .open_api_session("soporte", "otra", SignInAs::Agent, None)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::BadCredentials)),
            "{refused:?}"
        );
        assert!(service.api_session("sau_desconocida").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_by_its_owner_an_admin_or_its_user_leaving() {
    each_backend(async |service, _| {
        let id = service
            .open_api_session("tecnico", "tecnico", SignInAs::Agent, None)
            .await
            .expect("signs in");
        let someone_else = caller(&service, "soporte").await;
        assert!(matches!(
            service.close_api_session(&someone_else, &id).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(service.api_session(&id).await.is_ok(), "still live");
        let owner = caller(&service, "tecnico").await;
        service.close_api_session(&owner, &id).await.expect("ends");
        assert!(service.api_session(&id).await.is_err(), "ended");

        let id = service
            .open_api_session("tecnico", "tecnico", SignInAs::Agent, None)
            .await
            .expect("signs in again");
        service
            .deactivate_user(&Caller::System, "tecnico")
            .await
            .expect("deactivated");
        assert!(
            service.api_session(&id).await.is_err(),
            "a deactivated user's session is over"
        );
    })
    .await;
}

#[tokio::test]
async fn several_commands_are_one_change_or_none() {
    each_backend(async |service, _| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let record = service
            .submit(&requester, printer_request("Impresora"), "web")
            .await
            .expect("submitted");
        let number = record.ticket.number.clone();
        // Closing an assigned ticket is refused: the assignment before it is
        // not written either.
        let refused = service
            .act_in_order(
                &dispatcher,
                &number,
                vec![assign_to("tecnico"), Action::Close],
                None,
                "otrs",
            )
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Domain(_))),
            "{refused:?}"
        );
        let detail = service.ticket(&dispatcher, &number).await.expect("reads");
        assert_eq!(detail.record.ticket.state, State::New);
        assert_eq!(detail.record.ticket.version, record.ticket.version);

        // Assigned and commented in one change: one version per event.
        let comment = Action::Comment {
            body: "Urgente".into(),
            visibility: sau_domain::Visibility::Internal,
            attachments: Default::default(),
        };
        let after = service
            .act_in_order(
                &dispatcher,
                &number,
                vec![assign_to("tecnico"), comment],
                Some(record.ticket.version),
                "otrs",
            )
            .await
            .expect("both written");
        assert_eq!(after.ticket.state, State::Assigned);
        assert_eq!(after.ticket.version, record.ticket.version + 2);
        let events = service
            .ticket_events(&dispatcher, &number)
            .await
            .expect("events");
        assert_eq!(events.len(), 3);
    })
    .await;
}

//! Requests typed by the desk for someone who called, came by or wrote: the
//! requester owns them, the agent is recorded as who typed them, with how the
//! request reached the desk.

mod common;

use common::{caller, each_backend, printer_request};
use sau_domain::{DomainError, EventKind, FieldProblem, Intake};
use sau_service::{OnBehalf, ServiceError, TicketQuery};

fn for_ana(intake: &str) -> OnBehalf {
    OnBehalf {
        requester: "solicitante".into(),
        intake: intake.into(),
    }
}

fn refused_field(result: Result<impl std::fmt::Debug, ServiceError>, field: &str) -> FieldProblem {
    match result {
        Err(ServiceError::Invalid(problems)) => problems
            .get(field)
            .cloned()
            .unwrap_or_else(|| panic!("no problem with {field}: {problems:?}")),
        other => panic!("expected {field} refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dispatcher_types_a_request_for_a_caller() {
    each_backend(async |service, backend| {
        let dispatcher = caller(&service, "soporte").await;
        let requester = caller(&service, "solicitante").await;
        let record = service
            .submit_for(
                &dispatcher,
                &for_ana("phone"),
                printer_request("Llamó: no imprime"),
                "web",
            )
            .await
            .expect("typed for Ana");
        assert_eq!(record.requester.login, "solicitante", "{backend}");

        let events = service
            .ticket_events(&requester, &record.ticket.number)
            .await
            .expect("Ana sees her request's history");
        assert_eq!(events[0].actor.login, "soporte", "{backend}: who typed it");
        assert!(
            matches!(
                events[0].event.kind,
                EventKind::Submitted {
                    intake: Some(Intake::Phone),
                    ..
                }
            ),
            "{backend}: {:?}",
            events[0].event.kind
        );
        let hers = service
            .list_tickets(&requester, TicketQuery::default())
            .await
            .expect("her list");
        assert!(
            hers.tickets
                .iter()
                .any(|t| t.ticket.number == record.ticket.number),
            "{backend}: it is on her list"
        );

        // A name typed in full finds the one person it names.
        let by_name = OnBehalf {
            requester: "Ana Solicitante".into(),
            intake: "in_person".into(),
        };
        let record = service
            .submit_for(
                &dispatcher,
                &by_name,
                printer_request("Vino a la mesa"),
                "web",
            )
            .await
            .expect("by name");
        assert_eq!(record.requester.login, "solicitante", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_request_for_someone_else_is_refused_when_it_cannot_be_right() {
    each_backend(async |service, backend| {
        let dispatcher = caller(&service, "soporte").await;
        let requester = caller(&service, "solicitante").await;
        assert!(
            matches!(
                service
                    .submit_for(&requester, &for_ana("phone"), printer_request("x"), "web")
                    .await,
                Err(ServiceError::Domain(DomainError::NotAllowed { .. }))
            ),
            "{backend}: a requester types only their own"
        );
        let nobody = OnBehalf {
            requester: "nadie".into(),
            intake: "phone".into(),
        };
        assert_eq!(
            refused_field(
                service
                    .submit_for(&dispatcher, &nobody, printer_request("x"), "web")
                    .await,
                "requester"
            ),
            FieldProblem::Unknown,
            "{backend}"
        );
        // "Dirección" names several people: no guess.
        let many = OnBehalf {
            requester: "Dirección".into(),
            intake: "phone".into(),
        };
        assert_eq!(
            refused_field(
                service
                    .submit_for(&dispatcher, &many, printer_request("x"), "web")
                    .await,
                "requester"
            ),
            FieldProblem::Unknown
        );
        assert_eq!(
            refused_field(
                service
                    .submit_for(&dispatcher, &for_ana("fax"), printer_request("x"), "web")
                    .await,
                "intake"
            ),
            FieldProblem::NotAnOption
        );
        assert_eq!(
            refused_field(
                service
                    .submit_for(&dispatcher, &for_ana(""), printer_request("x"), "web")
                    .await,
                "intake"
            ),
            FieldProblem::Required
        );
        let all = service
            .list_tickets(&dispatcher, TicketQuery::default())
            .await
            .expect("list");
        assert!(
            all.tickets.iter().all(|t| t.ticket.title != "x"),
            "{backend}: nothing refused was filed"
        );
    })
    .await;
}

#[tokio::test]
async fn agents_find_people_by_name_login_or_department() {
    each_backend(async |service, backend| {
        let dispatcher = caller(&service, "soporte").await;
        let logins = async |text: &str| -> Vec<String> {
            service
                .find_people(&dispatcher, text)
                .await
                .expect("find")
                .into_iter()
                .map(|p| p.login)
                .collect()
        };
        assert_eq!(
            logins("recursos").await,
            ["solicitante"],
            "{backend}: department"
        );
        assert_eq!(
            logins("DRH").await,
            ["solicitante"],
            "{backend}: department code"
        );
        assert_eq!(logins("solic").await, ["solicitante"], "{backend}: login");
        assert_eq!(
            logins("técnica").await,
            ["tecnico"],
            "{backend}: a word of the name"
        );
        assert_eq!(
            logins("tomás téc").await,
            ["tecnico2"],
            "{backend}: every word"
        );
        assert!(
            logins("a").await.is_empty(),
            "{backend}: one letter finds nobody"
        );
        assert!(
            logins("100%").await.is_empty(),
            "{backend}: % is a letter here"
        );

        let requester = caller(&service, "solicitante").await;
        assert!(matches!(
            service.find_people(&requester, "ana").await,
            Err(ServiceError::Forbidden)
        ));
    })
    .await;
}

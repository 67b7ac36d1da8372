//! Administration use-cases: users, departments, queues, categories and their
//! fields, on SQLite and (when `SAU_TEST_POSTGRES_URL` is set) PostgreSQL.

mod common;

use common::{caller, each_backend};

use sau_domain::{FieldKind, FieldProblem, Role, Roles};
use sau_service::{
    Caller, CategoryInput, ContactInput, FieldInput, Move, NewRequest, NewUserInput, Service,
    ServiceError, UserDetails,
};

/// Asserts an `Invalid` answer naming `field` with `problem`.
#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
    field: &str,
    problem: FieldProblem,
    context: &str,
) {
    match result {
        Err(ServiceError::Invalid(fields)) => {
            assert_eq!(fields.get(field), Some(&problem), "{context}: {fields:?}")
        }
        other => panic!("{context}: expected invalid {field}, got {other:?}"),
    }
}

#[track_caller]
fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, ServiceError>, context: &str) {
    assert!(
        matches!(result, Err(ServiceError::Forbidden)),
        "{context}: {result:?}"
    );
}

fn category_input(key: &str) -> CategoryInput {
    CategoryInput {
        key: key.into(),
        name_es: "Préstamo de proyector".into(),
        name_en: "Projector loan".into(),
        description_es: "Para reuniones".into(),
        description_en: "For meetings".into(),
        default_priority: 2,
        queue: "soporte".into(),
        attachment_required: false,
    }
}

fn field_input(key: &str, kind: &str, required: bool) -> FieldInput {
    FieldInput {
        key: key.into(),
        label_es: "Sala".into(),
        label_en: "Room".into(),
        kind: kind.into(),
        options: Vec::new(),
        required,
    }
}

fn request(category: &str, fields: serde_json::Value) -> NewRequest {
    NewRequest {
        category: category.into(),
        title: "Necesito ayuda".into(),
        description: "Detalles".into(),
        priority: None,
        fields: fields.as_object().cloned().unwrap_or_default(),
        attachments: Default::default(),
    }
}

/// The keys of a category's fields as requesters get them.
async fn requester_field_keys(service: &Service, who: &Caller, category: &str) -> Vec<String> {
    service
        .categories(who)
        .await
        .expect("categories")
        .into_iter()
        .find(|c| c.key == category)
        .map(|c| c.fields.into_iter().map(|f| f.key).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn admins_create_users_who_can_sign_in_and_others_are_refused() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let director = caller(&service, "director").await;
        let input = NewUserInput {
            login: "mlopez".into(),
            display_name: "María López".into(),
            email: Some("mlopez@sau.example".into()),
            department: Some("DF".into()),
            roles: Roles::of(&[Role::Technician]),
            locale: "es".into(),
            password: Some("una-clave-larga".into()),
        };
        assert_forbidden(service.create_user(&director, input.clone()).await, backend);
        assert!(
            service
                .login("mlopez", "una-clave-larga", None)
                .await
                .is_err()
        );
        let user = service
            .create_user(&admin, input.clone())
            .await
            .expect("admin creates");
        assert!(user.roles.has(Role::Technician), "{backend}");
        service
            .login("mlopez", "una-clave-larga", None)
            .await
            .expect("new user signs in");
        assert!(matches!(
            service.create_user(&admin, input.clone()).await,
            Err(ServiceError::Duplicate("user"))
        ));
        let bad_email = NewUserInput {
            login: "otro".into(),
            email: Some("no es correo".into()),
            ..input
        };
        assert_invalid(
            service.create_user(&admin, bad_email).await,
            "email",
            FieldProblem::NotAText,
            backend,
        );
    })
    .await;
}

#[tokio::test]
async fn admins_change_a_users_details_roles_and_password() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let details = UserDetails {
            display_name: "Ana María Solicitante".into(),
            email: Some("ana@sau.example".into()),
            department: Some("DF".into()),
            contact: Some(ContactInput {
                phone: Some(" 2222-3333 ".into()),
                extension: Some("1234".into()),
                office: Some("Edificio B, 3.er nivel".into()),
            }),
        };
        assert_forbidden(
            service
                .update_user(&requester, "solicitante", details.clone())
                .await,
            backend,
        );
        assert_forbidden(service.user(&requester, "admin").await, backend);
        let updated = service
            .update_user(&admin, "solicitante", details.clone())
            .await
            .expect("update");
        let df = service
            .list_departments(&admin)
            .await
            .expect("departments")
            .into_iter()
            .find(|d| d.code == "DF")
            .expect("DF");
        assert_eq!(updated.department, Some(df.id), "{backend}");
        let stored = service.user(&admin, "solicitante").await.expect("user");
        assert_eq!(stored.display_name, "Ana María Solicitante", "{backend}");
        assert_eq!(stored.email.as_deref(), Some("ana@sau.example"));
        assert_eq!(stored.department, Some(df.id));
        assert_eq!(
            stored.contact.phone.as_deref(),
            Some("2222-3333"),
            "{backend}"
        );
        assert_eq!(stored.contact.extension.as_deref(), Some("1234"));
        assert_eq!(
            stored.contact.office.as_deref(),
            Some("Edificio B, 3.er nivel")
        );

        assert_invalid(
            service
                .update_user(
                    &admin,
                    "solicitante",
                    UserDetails {
                        department: Some("NOPE".into()),
                        ..details.clone()
                    },
                )
                .await,
            "department",
            FieldProblem::Unknown,
            backend,
        );
        assert_invalid(
            service
                .update_user(
                    &admin,
                    "solicitante",
                    UserDetails {
                        display_name: "  ".into(),
                        ..details.clone()
                    },
                )
                .await,
            "display_name",
            FieldProblem::Required,
            backend,
        );
        assert!(matches!(
            service.update_user(&admin, "nadie", details).await,
            Err(ServiceError::NotFound("user"))
        ));

        let roles = Roles::of(&[Role::Requester, Role::Dispatcher]);
        assert_forbidden(
            service.set_roles(&requester, "solicitante", roles).await,
            backend,
        );
        service
            .set_roles(&admin, "solicitante", roles)
            .await
            .expect("roles");
        let again = caller(&service, "solicitante").await;
        assert!(again.roles().dispatches(), "{backend}");

        assert_forbidden(
            service
                .set_password(&requester, "solicitante", "clave-nueva-larga")
                .await,
            backend,
        );
        assert_invalid(
            service.set_password(&admin, "solicitante", "corta").await,
            "password",
            FieldProblem::OutOfRange,
            backend,
        );
        service
            .set_password(&admin, "solicitante", "clave-nueva-larga")
            .await
            .expect("reset");
        assert!(
            service
                .login("solicitante", "solicitante", None)
                .await
                .is_err()
        );
        service
            .login("solicitante", "clave-nueva-larga", None)
            .await
            .expect("the new password works");
    })
    .await;
}

#[tokio::test]
async fn admins_can_neither_drop_their_own_admin_role_nor_deactivate_themselves() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        assert_invalid(
            service
                .set_roles(&admin, "admin", Roles::of(&[Role::Supervisor]))
                .await,
            "roles",
            FieldProblem::NotAnOption,
            backend,
        );
        assert_invalid(
            service.deactivate_user(&admin, "admin").await,
            "active",
            FieldProblem::NotAnOption,
            backend,
        );
        let me = service.user(&admin, "admin").await.expect("me");
        assert!(me.active && me.roles.has(Role::Admin), "{backend}");
        // Adding roles to oneself is fine.
        service
            .set_roles(&admin, "admin", Roles::of(&[Role::Admin, Role::Supervisor]))
            .await
            .expect("more roles");
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_until_reactivated() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let tecnico = caller(&service, "tecnico").await;
        assert_forbidden(service.deactivate_user(&tecnico, "tecnico2").await, backend);
        service
            .deactivate_user(&admin, "tecnico2")
            .await
            .expect("deactivate");
        assert!(
            service.login("tecnico2", "tecnico2", None).await.is_err(),
            "{backend}"
        );
        assert_forbidden(service.reactivate_user(&tecnico, "tecnico2").await, backend);
        service
            .reactivate_user(&admin, "tecnico2")
            .await
            .expect("reactivate");
        service
            .login("tecnico2", "tecnico2", None)
            .await
            .expect("signs in again");
    })
    .await;
}

#[tokio::test]
async fn departments_are_renamed_and_deactivated_by_admins_only() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let soporte = caller(&service, "soporte").await;
        assert_forbidden(
            service
                .create_department(&soporte, "DC", "Comunicación")
                .await,
            backend,
        );
        service
            .create_department(&admin, "DC", "Comunicación")
            .await
            .expect("create");
        assert!(matches!(
            service.create_department(&admin, "DC", "Otra").await,
            Err(ServiceError::Duplicate("department"))
        ));
        assert_invalid(
            service.create_department(&admin, "con espacio", "X").await,
            "code",
            FieldProblem::NotAText,
            backend,
        );
        assert_forbidden(
            service.rename_department(&soporte, "DC", "Otra").await,
            backend,
        );
        assert_invalid(
            service.rename_department(&admin, "DC", " ").await,
            "name",
            FieldProblem::Required,
            backend,
        );
        service
            .rename_department(&admin, "DC", "Dirección de Comunicación")
            .await
            .expect("rename");
        assert!(matches!(
            service.rename_department(&admin, "NOPE", "X").await,
            Err(ServiceError::NotFound("department"))
        ));
        assert_forbidden(
            service.set_department_active(&soporte, "DC", false).await,
            backend,
        );
        service
            .set_department_active(&admin, "DC", false)
            .await
            .expect("deactivate");
        let dc = service
            .list_departments(&admin)
            .await
            .expect("list")
            .into_iter()
            .find(|d| d.code == "DC")
            .expect("DC");
        assert_eq!(dc.name, "Dirección de Comunicación", "{backend}");
        assert!(!dc.active, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn queues_are_created_renamed_and_deactivated_by_admins_only() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let director = caller(&service, "director").await;
        assert_forbidden(service.queues(&director).await, backend);
        assert_forbidden(
            service.create_queue(&director, "redes", "Redes").await,
            backend,
        );
        service
            .create_queue(&admin, "redes", "Redes")
            .await
            .expect("create");
        assert!(matches!(
            service.create_queue(&admin, "redes", "Otra").await,
            Err(ServiceError::Duplicate("queue"))
        ));
        assert_invalid(
            service.create_queue(&admin, "Redes Dos", "X").await,
            "key",
            FieldProblem::NotAText,
            backend,
        );
        assert_forbidden(service.rename_queue(&director, "redes", "X").await, backend);
        service
            .rename_queue(&admin, "redes", "Redes y comunicaciones")
            .await
            .expect("rename");
        assert_forbidden(
            service.set_queue_active(&director, "redes", false).await,
            backend,
        );
        service
            .set_queue_active(&admin, "redes", false)
            .await
            .expect("deactivate");
        let redes = service
            .queues(&admin)
            .await
            .expect("queues")
            .into_iter()
            .find(|q| q.key == "redes")
            .expect("redes");
        assert_eq!(redes.name, "Redes y comunicaciones", "{backend}");
        assert!(!redes.active, "{backend}");
        // An inactive queue is not offered to new categories.
        assert_invalid(
            service
                .create_category(
                    &admin,
                    CategoryInput {
                        queue: "redes".into(),
                        ..category_input("cableado")
                    },
                )
                .await,
            "queue",
            FieldProblem::Unknown,
            backend,
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_category_is_offered_to_requesters_until_deactivated() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        assert_forbidden(
            service
                .create_category(&requester, category_input("proyector"))
                .await,
            backend,
        );
        let created = service
            .create_category(&admin, category_input("proyector"))
            .await
            .expect("create");
        assert_eq!(i64::from(created.default_priority), 2, "{backend}");
        let keys: Vec<String> = service
            .categories(&requester)
            .await
            .expect("categories")
            .into_iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(
            keys.last().map(String::as_str),
            Some("proyector"),
            "{backend}"
        );
        service
            .submit(
                &requester,
                request("proyector", serde_json::json!({})),
                "web",
            )
            .await
            .expect("a request of the new category");

        assert_forbidden(
            service
                .set_category_active(&requester, "proyector", false)
                .await,
            backend,
        );
        service
            .set_category_active(&admin, "proyector", false)
            .await
            .expect("deactivate");
        assert!(
            !service
                .categories(&requester)
                .await
                .expect("categories")
                .iter()
                .any(|c| c.key == "proyector"),
            "{backend}"
        );
        assert_invalid(
            service
                .submit(
                    &requester,
                    request("proyector", serde_json::json!({})),
                    "web",
                )
                .await,
            "category",
            FieldProblem::Unknown,
            backend,
        );
        service
            .set_category_active(&admin, "proyector", true)
            .await
            .expect("activate again");
        assert!(
            service
                .categories(&requester)
                .await
                .expect("categories")
                .iter()
                .any(|c| c.key == "proyector"),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn category_input_is_checked_all_at_once() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let bad = CategoryInput {
            key: "Con Espacios".into(),
            name_es: "".into(),
            name_en: "x".repeat(201),
            default_priority: 9,
            queue: "nada".into(),
            ..category_input("")
        };
        match service.create_category(&admin, bad).await {
            Err(ServiceError::Invalid(fields)) => {
                assert_eq!(fields.get("key"), Some(&FieldProblem::NotAText));
                assert_eq!(fields.get("name_es"), Some(&FieldProblem::Required));
                assert_eq!(fields.get("name_en"), Some(&FieldProblem::TooLong));
                assert_eq!(
                    fields.get("default_priority"),
                    Some(&FieldProblem::OutOfRange)
                );
                assert_eq!(fields.get("queue"), Some(&FieldProblem::Unknown));
            }
            other => panic!("{backend}: {other:?}"),
        }
        assert!(matches!(
            service
                .create_category(&admin, category_input("telefonia"))
                .await,
            Err(ServiceError::Duplicate("category"))
        ));
    })
    .await;
}

#[tokio::test]
async fn editing_a_category_keeps_its_key_and_changes_the_rest() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        service
            .create_queue(&admin, "redes", "Redes")
            .await
            .expect("queue");
        let input = CategoryInput {
            key: "otra_clave".into(),
            name_es: "Telefonía IP".into(),
            name_en: "IP telephony".into(),
            description_es: "Extensiones".into(),
            description_en: "Extensions".into(),
            default_priority: 5,
            queue: "redes".into(),
            attachment_required: true,
        };
        assert_forbidden(
            service
                .update_category(&requester, "telefonia", input.clone())
                .await,
            backend,
        );
        service
            .update_category(&admin, "telefonia", input)
            .await
            .expect("update");
        let setup = service
            .category_setup(&admin, "telefonia")
            .await
            .expect("setup");
        let c = setup.category;
        assert_eq!(c.key, "telefonia", "{backend}");
        assert_eq!(
            (c.name_es.as_str(), c.name_en.as_str()),
            ("Telefonía IP", "IP telephony")
        );
        assert_eq!(i64::from(c.default_priority), 5);
        assert!(c.attachment_required);
        let redes = service
            .queues(&admin)
            .await
            .expect("queues")
            .into_iter()
            .find(|q| q.key == "redes")
            .expect("redes");
        assert_eq!(c.queue, redes.id, "{backend}");
        assert!(matches!(
            service.category_setup(&admin, "nada").await,
            Err(ServiceError::NotFound("category"))
        ));
        assert_forbidden(
            service.category_setup(&requester, "telefonia").await,
            backend,
        );
    })
    .await;
}

#[tokio::test]
async fn categories_move_up_and_down_in_the_requesters_order() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let order = async || -> Vec<String> {
            service
                .categories(&requester)
                .await
                .expect("categories")
                .into_iter()
                .map(|c| c.key)
                .collect()
        };
        let before = order().await;
        assert_eq!(before[..2], ["soporte_equipo", "telefonia"], "{backend}");
        assert_forbidden(
            service
                .move_category(&requester, "telefonia", Move::Up)
                .await,
            backend,
        );
        service
            .move_category(&admin, "telefonia", Move::Up)
            .await
            .expect("up");
        assert_eq!(
            order().await[..2],
            ["telefonia", "soporte_equipo"],
            "{backend}"
        );
        // The first cannot go further up; nothing changes.
        service
            .move_category(&admin, "telefonia", Move::Up)
            .await
            .expect("no-op");
        assert_eq!(order().await[..2], ["telefonia", "soporte_equipo"]);
        service
            .move_category(&admin, "telefonia", Move::Down)
            .await
            .expect("down");
        assert_eq!(order().await, before, "{backend}");
        let last = before.last().expect("a category").clone();
        service
            .move_category(&admin, &last, Move::Down)
            .await
            .expect("no-op at the end");
        assert_eq!(order().await, before);
    })
    .await;
}

#[tokio::test]
async fn a_required_field_added_by_an_admin_is_asked_and_enforced() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        assert_forbidden(
            service
                .add_field(
                    &requester,
                    "reinicio_clave",
                    field_input("sala", "text", true),
                )
                .await,
            backend,
        );
        service
            .add_field(&admin, "reinicio_clave", field_input("sala", "text", false))
            .await
            .expect("add");
        assert_eq!(
            requester_field_keys(&service, &requester, "reinicio_clave").await,
            ["sistema", "usuario", "sala"],
            "{backend}"
        );
        let base = serde_json::json!({"sistema": "Correo", "usuario": "aperez"});
        service
            .submit(&requester, request("reinicio_clave", base.clone()), "web")
            .await
            .expect("optional: not needed");
        assert_forbidden(
            service
                .set_field_required(&requester, "reinicio_clave", "sala", true)
                .await,
            backend,
        );
        service
            .set_field_required(&admin, "reinicio_clave", "sala", true)
            .await
            .expect("required");
        match service
            .submit(&requester, request("reinicio_clave", base), "web")
            .await
        {
            Err(ServiceError::Domain(sau_domain::DomainError::InvalidFields(fields))) => {
                assert_eq!(
                    fields.get("sala"),
                    Some(&FieldProblem::Required),
                    "{backend}"
                )
            }
            other => panic!("{backend}: {other:?}"),
        }
        let ok = serde_json::json!({"sistema": "Correo", "usuario": "aperez", "sala": "B-3"});
        let ticket = service
            .submit(&requester, request("reinicio_clave", ok), "web")
            .await
            .expect("with the field");
        assert!(ticket.ticket.fields.contains_key("sala"), "{backend}");
        assert!(matches!(
            service
                .add_field(&admin, "reinicio_clave", field_input("sala", "text", false))
                .await,
            Err(ServiceError::Duplicate("field"))
        ));
    })
    .await;
}

#[tokio::test]
async fn field_input_is_checked() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        assert_invalid(
            service
                .add_field(
                    &admin,
                    "telefonia",
                    field_input("Mala Clave", "text", false),
                )
                .await,
            "key",
            FieldProblem::NotAText,
            backend,
        );
        assert_invalid(
            service
                .add_field(&admin, "telefonia", field_input("foto", "picture", false))
                .await,
            "kind",
            FieldProblem::NotAnOption,
            backend,
        );
        assert_invalid(
            service
                .add_field(&admin, "telefonia", field_input("modelo", "choice", false))
                .await,
            "options",
            FieldProblem::Required,
            backend,
        );
        let no_label = FieldInput {
            label_es: " ".into(),
            ..field_input("modelo", "text", false)
        };
        assert_invalid(
            service.add_field(&admin, "telefonia", no_label).await,
            "label_es",
            FieldProblem::Required,
            backend,
        );
        assert!(matches!(
            service
                .add_field(&admin, "nada", field_input("modelo", "text", false))
                .await,
            Err(ServiceError::NotFound("category"))
        ));
        let setup = service
            .category_setup(&admin, "telefonia")
            .await
            .expect("setup");
        assert_eq!(setup.fields.len(), 2, "{backend}: nothing was added");
    })
    .await;
}

#[tokio::test]
async fn a_retired_field_is_no_longer_asked_but_old_values_stay() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let fields = serde_json::json!({"numero_inventario": "INV-1", "ubicacion": "A-2"});
        let old = service
            .submit(&requester, request("soporte_equipo", fields), "web")
            .await
            .expect("old ticket");
        assert_forbidden(
            service
                .set_field_active(&requester, "soporte_equipo", "ubicacion", false)
                .await,
            backend,
        );
        service
            .set_field_active(&admin, "soporte_equipo", "ubicacion", false)
            .await
            .expect("retire");
        assert_eq!(
            requester_field_keys(&service, &requester, "soporte_equipo").await,
            ["numero_inventario", "anydesk_id"],
            "{backend}"
        );
        // No longer required, and no longer accepted.
        service
            .submit(
                &requester,
                request(
                    "soporte_equipo",
                    serde_json::json!({"numero_inventario": "INV-2"}),
                ),
                "web",
            )
            .await
            .expect("without the retired field");
        assert_invalid_fields(
            service
                .submit(
                    &requester,
                    request(
                        "soporte_equipo",
                        serde_json::json!({"numero_inventario": "INV-3", "ubicacion": "B"}),
                    ),
                    "web",
                )
                .await,
            "ubicacion",
            backend,
        );
        let detail = service
            .ticket(&requester, &old.ticket.number)
            .await
            .expect("old ticket");
        assert!(
            detail.record.ticket.fields.contains_key("ubicacion"),
            "{backend}"
        );
        // The admin still sees it, marked retired, and can bring it back.
        let setup = service
            .category_setup(&admin, "soporte_equipo")
            .await
            .expect("setup");
        let retired = setup
            .fields
            .iter()
            .find(|f| f.def.key == "ubicacion")
            .expect("still listed");
        assert!(!retired.active, "{backend}");
        service
            .set_field_active(&admin, "soporte_equipo", "ubicacion", true)
            .await
            .expect("bring back");
        assert_eq!(
            requester_field_keys(&service, &requester, "soporte_equipo").await,
            ["numero_inventario", "ubicacion", "anydesk_id"],
            "{backend}"
        );
    })
    .await;
}

#[track_caller]
fn assert_invalid_fields<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
    field: &str,
    context: &str,
) {
    match result {
        Err(ServiceError::Domain(sau_domain::DomainError::InvalidFields(fields))) => {
            assert!(fields.contains_key(field), "{context}: {fields:?}")
        }
        other => panic!("{context}: expected invalid field {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn fields_move_and_keep_their_keys_when_relabelled() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        assert_forbidden(
            service
                .move_field(&requester, "reinicio_clave", "usuario", Move::Up)
                .await,
            backend,
        );
        service
            .move_field(&admin, "reinicio_clave", "usuario", Move::Up)
            .await
            .expect("up");
        assert_eq!(
            requester_field_keys(&service, &requester, "reinicio_clave").await,
            ["usuario", "sistema"],
            "{backend}"
        );
        service
            .move_field(&admin, "reinicio_clave", "sistema", Move::Down)
            .await
            .expect("no-op at the end");
        assert_eq!(
            requester_field_keys(&service, &requester, "reinicio_clave").await,
            ["usuario", "sistema"]
        );
        assert!(matches!(
            service
                .move_field(&admin, "reinicio_clave", "nada", Move::Up)
                .await,
            Err(ServiceError::NotFound("field"))
        ));

        let relabel = FieldInput {
            key: "otra".into(),
            label_es: "Tarea solicitada".into(),
            label_en: "Task asked for".into(),
            kind: "text".into(),
            options: vec!["nueva_extension".into(), "cableado".into(), "".into()],
            required: false,
        };
        assert_forbidden(
            service
                .update_field(&requester, "telefonia", "tarea", relabel.clone())
                .await,
            backend,
        );
        service
            .update_field(&admin, "telefonia", "tarea", relabel.clone())
            .await
            .expect("relabel");
        let setup = service
            .category_setup(&admin, "telefonia")
            .await
            .expect("setup");
        let tarea = &setup.fields[1].def;
        assert_eq!(tarea.key, "tarea", "{backend}");
        assert_eq!(tarea.label_es, "Tarea solicitada");
        assert!(!tarea.required);
        assert_eq!(
            tarea.kind,
            FieldKind::Choice {
                options: vec!["nueva_extension".into(), "cableado".into()],
                labels: vec![sau_domain::OptionLabel {
                    key: "cableado".into(),
                    es: "cableado".into(),
                    en: "cableado".into(),
                }],
            },
            "{backend}: a choice stays a choice, with the new options"
        );
        assert_invalid(
            service
                .update_field(
                    &admin,
                    "telefonia",
                    "tarea",
                    FieldInput {
                        options: vec![" ".into()],
                        ..relabel
                    },
                )
                .await,
            "options",
            FieldProblem::Required,
            backend,
        );
    })
    .await;
}

#[tokio::test]
async fn a_person_sets_how_to_reach_them_and_a_bad_contact_writes_nothing() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let contact = service
            .set_own_contact(
                &requester,
                &ContactInput {
                    phone: Some("+502 2222-3333".into()),
                    extension: Some("".into()),
                    office: Some("Despacho 4".into()),
                },
            )
            .await
            .expect("own contact");
        assert_eq!(contact.extension, None, "{backend}: empty means none");
        let stored = service.user(&admin, "solicitante").await.expect("user");
        assert_eq!(stored.contact, contact, "{backend}");

        // Every problem at once, and nothing of the form is written.
        let refused = service
            .update_user(
                &admin,
                "solicitante",
                UserDetails {
                    display_name: "Otro Nombre".into(),
                    email: None,
                    department: None,
                    contact: Some(ContactInput {
                        phone: Some("llámeme".into()),
                        extension: Some("12a".into()),
                        office: None,
                    }),
                },
            )
            .await;
        match refused {
            Err(ServiceError::Invalid(problems)) => {
                assert_eq!(
                    problems.get("phone"),
                    Some(&FieldProblem::NotANumber),
                    "{backend}"
                );
                assert_eq!(problems.get("extension"), Some(&FieldProblem::NotANumber));
            }
            other => panic!("{backend}: expected invalid, got {other:?}"),
        }
        let after = service.user(&admin, "solicitante").await.expect("user");
        assert_eq!(after.display_name, stored.display_name, "{backend}");
        assert_eq!(after.contact, contact, "{backend}");

        // Without a contact, an admin's change of name leaves it as it was.
        service
            .update_user(
                &admin,
                "solicitante",
                UserDetails {
                    display_name: "Ana Solicitante".into(),
                    email: None,
                    department: Some("DRH".into()),
                    contact: None,
                },
            )
            .await
            .expect("update");
        let after = service.user(&admin, "solicitante").await.expect("user");
        assert_eq!(after.contact, contact, "{backend}");
    })
    .await;
}

//! The five request categories of the manual's 5.1, as seeded on a fresh install.

use sau_domain::{Category, FieldKind, QueueId, default_categories};
use std::collections::BTreeSet;

fn categories() -> Vec<Category> {
    default_categories(QueueId(7))
}

fn category(key: &str) -> Category {
    categories()
        .into_iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no category `{key}`"))
}

fn required(c: &Category) -> BTreeSet<&str> {
    c.fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key.as_str())
        .collect()
}

fn is_api_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && s.starts_with(|ch: char| ch.is_ascii_lowercase())
}

#[test]
fn there_are_the_five_categories_of_the_manual_in_order() {
    let keys: Vec<String> = categories().into_iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            "soporte_equipo",
            "telefonia",
            "creacion_usuario",
            "reinicio_clave",
            "requerimiento",
        ]
    );
}

#[test]
fn every_category_routes_to_the_given_queue_and_is_active() {
    for c in categories() {
        assert_eq!(c.queue, QueueId(7), "{}", c.key);
        assert!(c.active, "{}", c.key);
    }
}

#[test]
fn every_category_has_names_and_descriptions_in_both_languages() {
    for c in categories() {
        for text in [&c.name_es, &c.name_en, &c.description_es, &c.description_en] {
            assert!(!text.trim().is_empty(), "{} has an empty text", c.key);
        }
    }
}

#[test]
fn category_and_field_keys_are_stable_snake_case_and_unique() {
    let cats = categories();
    let keys: BTreeSet<&str> = cats.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys.len(), cats.len(), "duplicate category key");
    for c in &cats {
        assert!(is_api_key(&c.key), "category key {:?}", c.key);
        let fields: BTreeSet<&str> = c.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(fields.len(), c.fields.len(), "duplicate field in {}", c.key);
        for f in &c.fields {
            assert!(is_api_key(&f.key), "field key {:?} in {}", f.key, c.key);
            assert!(!f.label_es.trim().is_empty() && !f.label_en.trim().is_empty());
        }
    }
}

#[test]
fn only_requerimiento_requires_an_attachment() {
    for c in categories() {
        assert_eq!(
            c.attachment_required,
            c.key == "requerimiento",
            "attachment_required of {}",
            c.key
        );
    }
}

#[test]
fn equipment_support_requires_inventory_number_and_location() {
    assert_eq!(
        required(&category("soporte_equipo")),
        BTreeSet::from(["numero_inventario", "ubicacion"])
    );
}

#[test]
fn telephony_requires_extension_and_a_task_from_a_list() {
    let c = category("telefonia");
    assert_eq!(required(&c), BTreeSet::from(["extension", "tarea"]));
    let tarea = c
        .fields
        .iter()
        .find(|f| f.key == "tarea")
        .expect("tarea field");
    let FieldKind::Choice { options, .. } = &tarea.kind else {
        panic!("tarea is {:?}, not a choice", tarea.kind);
    };
    let distinct: BTreeSet<&String> = options.iter().collect();
    assert!(options.len() >= 2 && distinct.len() == options.len());
    assert!(options.iter().all(|o| is_api_key(o)), "{options:?}");
}

#[test]
fn account_creation_requires_system_and_full_name() {
    let c = category("creacion_usuario");
    assert_eq!(required(&c), BTreeSet::from(["sistema", "nombre_completo"]));
    let start = c
        .fields
        .iter()
        .find(|f| f.key == "fecha_inicio")
        .expect("start date field");
    assert_eq!(start.kind, FieldKind::Date);
}

#[test]
fn password_reset_requires_system_and_login() {
    assert_eq!(
        required(&category("reinicio_clave")),
        BTreeSet::from(["sistema", "usuario"])
    );
}

#[test]
fn requerimiento_requires_no_field_besides_its_attachment() {
    let c = category("requerimiento");
    assert!(c.attachment_required);
    assert!(required(&c).is_empty());
    assert!(c.fields.iter().any(|f| f.key == "referencia"));
}

#[test]
fn every_category_except_requerimiento_requires_some_field() {
    for c in categories() {
        if c.key != "requerimiento" {
            assert!(!required(&c).is_empty(), "{} requires nothing", c.key);
        }
    }
}

#[test]
fn a_requirement_without_a_document_is_refused_with_the_rest_of_its_problems() {
    let c = category("requerimiento");
    let mut input = serde_json::Map::new();
    input.insert("inventado".into(), serde_json::json!("x"));
    match c.validate_request(&input, 0) {
        Err(sau_domain::DomainError::InvalidFields(problems)) => {
            assert_eq!(
                problems.get(Category::ATTACHMENTS),
                Some(&sau_domain::FieldProblem::Required)
            );
            assert!(problems.contains_key("inventado"), "{problems:?}");
        }
        other => panic!("expected invalid fields, got {other:?}"),
    }
    assert!(c.validate_request(&serde_json::Map::new(), 1).is_ok());
    // Without the flag, no file is needed.
    let optional = Category {
        attachment_required: false,
        ..c
    };
    assert!(
        optional
            .validate_request(&serde_json::Map::new(), 0)
            .is_ok()
    );
}

#[test]
fn descriptions_speak_to_staff_in_both_languages_without_clause_numbers() {
    for c in categories() {
        for text in [&c.description_es, &c.description_en] {
            assert!(!text.trim().is_empty(), "{}: a description", c.key);
            assert!(
                !text.contains("5.1"),
                "{}: no clause number of the manual in {text:?}",
                c.key
            );
        }
        assert_ne!(c.description_es, c.description_en, "{}: translated", c.key);
    }
}

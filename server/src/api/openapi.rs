//! The API's OpenAPI 3.1 document, generated from the code: the collections of
//! [`super::COLLECTIONS`], each record type's fields from `crm_core::schema` (their
//! French labels, the values of fixed lists from `crm_core::vocabulary`), the
//! parameters the handlers accept and the statuses they answer. Served at
//! `/api/v1/openapi.json` (its server address under the proxy's `X-Forwarded-Prefix`),
//! with an explorer page at `/api/v1/docs` that needs nothing from the internet and
//! finds the document and the API by relative addresses (it works behind a reverse
//! proxy's path prefix).

use super::COLLECTIONS;
use super::records::{DEFAULT_LIMIT, MAX_LIMIT};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use crm_core::{FieldKind, RecordType};
use std::sync::LazyLock;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItemBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
    ResponseBuilder, Schema, ServerBuilder,
};

const SECURITY: &str = "cleApi";

fn text() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// One field's schema: a text (one of the fixed list's values where there is one) or
/// a list of texts; `nullable` for a PATCH, where `null` clears it.
fn field_schema(record_type: RecordType, name: &str, kind: FieldKind, label: &str, nullable: bool) -> Schema {
    let schema: Schema = match kind {
        FieldKind::Set => ArrayBuilder::new().items(text()).description(Some(label.to_string())).build().into(),
        FieldKind::Short | FieldKind::LongText => {
            let mut s = text().description(Some(label.to_string()));
            if let Some(choices) = crm_core::vocabulary::choices(record_type, name) {
                s = s.enum_values(Some(choices.iter().map(|c| c.id)));
            }
            s.build().into()
        }
    };
    if !nullable {
        return schema;
    }
    let null: Schema = ObjectBuilder::new().schema_type(Type::Null).build().into();
    Schema::OneOf(utoipa::openapi::schema::OneOfBuilder::new().item(schema).item(null).build())
}

/// The fields a record of this type is written with, as a body.
fn input(record_type: RecordType, patch: bool) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)));
    for spec in crm_core::all_fields(record_type) {
        if record_type == RecordType::Deal && spec.name == "stage_history" {
            continue;
        }
        object = object.property(spec.name, field_schema(record_type, spec.name, spec.kind, spec.label, patch));
        if !patch && spec.required && !server_fills(record_type, spec.name) {
            object = object.required(spec.name);
        }
    }
    object.build().into()
}

/// Required fields the server fills when they are left out.
fn server_fills(record_type: RecordType, field: &str) -> bool {
    matches!((record_type, field), (RecordType::Deal, "stage" | "deal_type" | "probability" | "priority"))
        || crm_core::permissions::owner_field(record_type) == Some(field)
        || (record_type == RecordType::Activity && field == "owner")
}

/// A record as read.
fn output(record_type: RecordType) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("id", text().format(Some(utoipa::openapi::SchemaFormat::Custom("uuid".into()))))
        .property("type", text().enum_values(Some([record_type.as_str()])))
        .property(
            "updated_at",
            text().format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::DateTime))),
        )
        .required("id")
        .required("type")
        .required("updated_at");
    for spec in crm_core::all_fields(record_type) {
        object = object.property(spec.name, field_schema(record_type, spec.name, spec.kind, spec.label, false));
    }
    object.build().into()
}

fn page(name: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("items", ArrayBuilder::new().items(Ref::from_schema_name(name)))
        .property(
            "next",
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                .description(Some("Le jeton de la page suivante (`?next=…`), `null` à la dernière.")),
        )
        .required("items")
        .required("next")
        .build()
        .into()
}

fn error() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("Ce qui ne va pas, en français, avec le champ en cause."))
        .property("code", text())
        .property("message", text())
        .property("field", ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null])))
        .property(
            "params",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(AdditionalProperties::RefOr(RefOr::T(text().build().into())))),
        )
        .required("code")
        .required("message")
        .build()
        .into()
}

fn json(schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

/// The statuses every operation may answer besides its success.
fn with_errors(mut op: OperationBuilder, statuses: &[(&str, &str)]) -> OperationBuilder {
    for (status, description) in statuses {
        op = op.response(*status, answer(description, "Erreur"));
    }
    op
}

const READ_ERRORS: &[(&str, &str)] = &[
    ("400", "Paramètre inconnu ou invalide"),
    ("401", "Clé d'API absente, inconnue ou révoquée"),
    ("403", "Utilisateur désactivé"),
    ("404", "Aucune fiche de ce type que la clé puisse voir"),
    ("429", "Trop de requêtes avec cette clé (en-tête Retry-After)"),
];
const WRITE_ERRORS: &[(&str, &str)] = &[
    ("400", "Corps illisible ou paramètre inconnu"),
    ("401", "Clé d'API absente, inconnue ou révoquée"),
    ("403", "Le rôle de l'utilisateur ne le permet pas"),
    ("404", "Aucune fiche de ce type que la clé puisse voir"),
    ("409", "La fiche a changé d'une façon qui empêche la modification"),
    ("413", "Fiche ou requête trop volumineuse"),
    ("422", "Valeur refusée : le champ en cause est nommé"),
    ("429", "Trop de requêtes avec cette clé (en-tête Retry-After)"),
];

/// An operation of a collection: its tag, its id (`list_accounts`…) and summary.
fn operation(collection: &str, verb: &str, summary: &str) -> OperationBuilder {
    OperationBuilder::new().tag(collection).operation_id(Some(format!("{verb}_{collection}"))).summary(Some(summary))
}

/// A JSON answer holding the schema `name`.
fn answer(description: &str, name: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content("application/json", json(Ref::from_schema_name(name)))
}

/// A required JSON body holding the schema `name`.
fn body(name: &str) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content("application/json", json(Ref::from_schema_name(name)))
        .build()
}

fn query(name: &str, schema: impl Into<RefOr<Schema>>, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn id_parameter() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some("L'identifiant de la fiche (UUID)"))
        .schema(Some(text().format(Some(utoipa::openapi::SchemaFormat::Custom("uuid".into())))))
        .build()
}

/// The whole document.
pub fn build() -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut components = ComponentsBuilder::new()
        .schema("Erreur", error())
        .security_scheme(SECURITY, SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    for (name, record_type) in COLLECTIONS {
        let type_name = title(record_type.as_str());
        let (read, write, patch, list) = (
            type_name.clone(),
            format!("{type_name}Saisie"),
            format!("{type_name}Modification"),
            format!("{type_name}Page"),
        );
        components = components
            .schema(&read, output(*record_type))
            .schema(&write, input(*record_type, false))
            .schema(&patch, input(*record_type, true))
            .schema(&list, page(&read));
        let limit = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(MAX_LIMIT as i64));
        let mut list_op = operation(
            name,
            "list",
            &format!("Lister les fiches « {name} » visibles par la clé, par ordre de création"),
        )
        .parameter(query("limit", limit, &format!("Fiches par page (défaut {DEFAULT_LIMIT}, au plus {MAX_LIMIT})")))
        .parameter(query("next", text(), "Le jeton `next` de la page précédente (seul, ou avec `limit`)"))
        .parameter(query(
            "updated_since",
            text(),
            "Seulement les fiches modifiées depuis cette date (2026-12-01) ou cet instant (RFC 3339)",
        ));
        for spec in crm_core::all_fields(*record_type) {
            list_op = list_op.parameter(query(
                spec.name,
                text(),
                &format!("Filtre : {} égal à cette valeur (pour une liste : la contient)", spec.label),
            ));
        }
        let list_op = with_errors(list_op.response("200", answer("Une page", &list)), READ_ERRORS);
        let create_op = with_errors(
            operation(name, "create", &format!("Créer une fiche « {name} »"))
                .request_body(Some(body(&write)))
                .response("201", answer("Créée", &read)),
            WRITE_ERRORS,
        );
        paths = paths.path(
            format!("/{name}"),
            PathItemBuilder::new().operation(HttpMethod::Get, list_op).operation(HttpMethod::Post, create_op).build(),
        );
        let get_op = with_errors(
            operation(name, "get", "Lire une fiche")
                .parameter(id_parameter())
                .response("200", answer("La fiche", &read)),
            READ_ERRORS,
        );
        let patch_op = with_errors(
            operation(name, "update", "Modifier les champs donnés (null efface un champ)")
                .parameter(id_parameter())
                .request_body(Some(body(&patch)))
                .response("200", answer("La fiche modifiée", &read)),
            WRITE_ERRORS,
        );
        let delete_op = with_errors(
            operation(name, "delete", "Supprimer une fiche (rôles qui le peuvent)")
                .parameter(id_parameter())
                .response("204", ResponseBuilder::new().description("Supprimée")),
            WRITE_ERRORS,
        );
        paths = paths.path(
            format!("/{name}/{{id}}"),
            PathItemBuilder::new()
                .operation(HttpMethod::Get, get_op)
                .operation(HttpMethod::Patch, patch_op)
                .operation(HttpMethod::Delete, delete_op)
                .build(),
        );
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("CRM Terrain — API REST")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Chaque appel agit au nom de l'utilisateur de la clé d'API (`Authorization: Bearer <clé>`), \
                     avec ses droits. Les noms de champs sont ceux de `crm … --json`. Les listes vont par pages : \
                     `{\"items\": [...], \"next\": jeton|null}`, la suivante par `?next=jeton`. Un paramètre \
                     inconnu est refusé (400), jamais ignoré.",
                ))
                .build(),
        )
        // Replaced when served by the address the caller reaches (see `document`).
        .servers(Some([ServerBuilder::new().url("/api/v1").description(Some("Ce serveur")).build()]))
        .paths(paths.build())
        .components(Some(components.build()))
        .security(Some([SecurityRequirement::new(SECURITY, Vec::<String>::new())]))
        .build()
}

fn title(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(build()).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() })));

/// The API's address as the caller reaches it: `/api/v1`, under the path prefix a
/// reverse proxy announces in `X-Forwarded-Prefix` (e.g. `/crm`).
fn base_path(headers: &axum::http::HeaderMap) -> String {
    let prefix = headers
        .get("x-forwarded-prefix")
        .and_then(|v| v.to_str().ok())
        .map(|p| p.trim_end_matches('/'))
        .filter(|p| {
            p.starts_with('/') && p.len() < 200 && p.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.~".contains(c))
        })
        .unwrap_or("");
    format!("{prefix}/api/v1")
}

/// `GET /api/v1/openapi.json` (no key needed: it tells the shape of the API, no data).
pub async fn document(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let mut doc = DOCUMENT.clone();
    doc["servers"] = serde_json::json!([{ "url": base_path(&headers), "description": "Ce serveur" }]);
    ([(header::CONTENT_TYPE, "application/json")], doc.to_string())
}

/// `GET /api/v1/docs`: the explorer.
pub async fn explorer() -> Html<&'static str> {
    Html(include_str!("explorer.html"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_openapi_3_1_with_every_collection_and_its_fields() {
        let doc = &*super::DOCUMENT;
        assert_eq!(doc["openapi"], "3.1.0");
        for (name, _) in super::COLLECTIONS {
            assert!(doc["paths"][format!("/{name}")]["get"].is_object(), "{name}");
            assert!(doc["paths"][format!("/{name}/{{id}}")]["patch"].is_object(), "{name}");
        }
        let account = &doc["components"]["schemas"]["AccountSaisie"];
        assert_eq!(account["additionalProperties"], false);
        assert_eq!(account["required"], serde_json::json!(["name", "kind"]));
        assert!(account["properties"]["kind"]["enum"].as_array().is_some_and(|e| !e.is_empty()));
    }
}

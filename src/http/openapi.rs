//! `GET /v0/pipes/openapi.json`: an OpenAPI 3.0 document of the pipes the token may read,
//! one path per pipe and format, with each parameter's type, default, description, example
//! and allowed values as the pipe's template declares them.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::auth::Principal;
use crate::project::Pipe;
use crate::state::AppState;
use crate::template::{ParamSpec, ParamType, Template, Value as ParamValue};

use super::pipes::{authenticate, FORMATS};
use super::HttpError;

pub async fn get(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let Query(pairs) =
        query.map_err(|e| HttpError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let query_token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str());
    let principal = authenticate(&state, &headers, query_token)?;
    Ok(Json(document(&state, &principal)).into_response())
}

/// The document for `principal`: only the endpoint pipes it may read.
fn document(state: &AppState, principal: &Principal) -> Value {
    let mut paths = Map::new();
    for pipe in state.project.pipes.iter() {
        if !pipe.is_endpoint() || !principal.can_read_pipe(&pipe.name) {
            continue;
        }
        let parameters: Vec<Value> = params(pipe).iter().map(parameter).collect();
        for (ext, _, content_type) in FORMATS {
            let content_type = content_type.split(';').next().unwrap_or(content_type);
            let schema = if *ext == "json" {
                json!({"$ref": "#/components/schemas/PipeResult"})
            } else {
                json!({"type": "string", "format": if *ext == "parquet" { "binary" } else { "text" }})
            };
            paths.insert(
                format!("/v0/pipes/{}.{ext}", pipe.name),
                json!({"get": {
                    "operationId": format!("{}_{ext}", pipe.name),
                    "summary": pipe.description.as_deref().map(str::trim).unwrap_or(&pipe.name),
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": format!("The pipe's result as {ext}"),
                            "content": {content_type: {"schema": schema}},
                        },
                        "400": error_response("A parameter is missing or invalid, or the pipe refused it"),
                        "403": error_response("No token, or one that may not read this pipe"),
                        "404": error_response("No such pipe"),
                        "408": error_response("The query ran past its time limit"),
                    },
                }}),
            );
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "pipegate pipes",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The endpoint pipes this token may read.",
        },
        "paths": paths,
        "security": [{"bearer": []}, {"token": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "token": {"type": "apiKey", "in": "query", "name": "token"},
            },
            "schemas": {
                "PipeResult": {
                    "type": "object",
                    "properties": {
                        "meta": {"type": "array", "items": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}, "type": {"type": "string"}},
                        }},
                        "data": {"type": "array", "items": {"type": "object"}},
                        "rows": {"type": "integer"},
                        "rows_before_limit_at_least": {"type": "integer"},
                        "statistics": {"type": "object", "properties": {
                            "elapsed": {"type": "number"},
                            "rows_read": {"type": "integer"},
                            "bytes_read": {"type": "integer"},
                        }},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                },
            },
        },
    })
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    })
}

/// The parameters of every templated node, each once (the first declaration wins, and it
/// is required when any node requires it).
fn params(pipe: &Pipe) -> Vec<ParamSpec> {
    let mut out: Vec<ParamSpec> = Vec::new();
    for node in pipe.nodes.iter().filter(|n| n.templated) {
        let Ok(template) = Template::parse(&node.sql) else {
            continue;
        };
        for p in template.params() {
            match out.iter_mut().find(|q| q.name == p.name) {
                Some(q) => q.required |= p.required,
                None => out.push(p),
            }
        }
    }
    out
}

fn parameter(p: &ParamSpec) -> Value {
    let mut schema = schema(&p.ty);
    if let Some(default) = &p.default {
        schema["default"] = typed(&p.ty, default);
    }
    if let Some(values) = &p.enum_values {
        schema["enum"] = values
            .iter()
            .map(|v| typed(&p.ty, &ParamValue::Str(v.clone())))
            .collect();
    }
    if let Some(format) = &p.format {
        schema["format"] = json!(format);
    }
    let mut out = json!({
        "name": p.name,
        "in": "query",
        "required": p.required,
        "schema": schema,
    });
    if let Some(d) = &p.description {
        out["description"] = json!(d);
    }
    if let Some(e) = &p.example {
        out["example"] = typed(&p.ty, &ParamValue::Str(e.clone()));
    }
    if matches!(p.ty, ParamType::Array(_)) {
        // `?t=a&t=b` as well as `?t=a,b`.
        out["style"] = json!("form");
        out["explode"] = json!(true);
    }
    out
}

/// A parameter type as a JSON schema.
fn schema(ty: &ParamType) -> Value {
    use ParamType::*;
    match ty {
        String => json!({"type": "string"}),
        Boolean => json!({"type": "boolean"}),
        Int8 | Int16 | Int32 | UInt8 | UInt16 => json!({"type": "integer", "format": "int32"}),
        Int64 | UInt32 | UInt64 => json!({"type": "integer", "format": "int64"}),
        // Wider than JSON numbers hold exactly: passed as decimal text.
        Int128 | Int256 | UInt128 | UInt256 => json!({"type": "string", "pattern": "^-?[0-9]+$"}),
        Float32 => json!({"type": "number", "format": "float"}),
        Float64 => json!({"type": "number", "format": "double"}),
        Date => json!({"type": "string", "format": "date"}),
        DateTime | DateTime64 => json!({"type": "string", "example": "2026-01-01 00:00:00"}),
        Array(inner) => json!({"type": "array", "items": schema(inner)}),
    }
}

/// A value written in the template, in its parameter's JSON type.
fn typed(ty: &ParamType, value: &ParamValue) -> Value {
    use ParamType::*;
    let scalar = |ty: &ParamType, s: &str| -> Value {
        match ty {
            Boolean => json!(matches!(s.to_ascii_lowercase().as_str(), "true" | "1")),
            Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => s
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| s.parse::<u64>().map(Value::from))
                .unwrap_or_else(|_| json!(s)),
            Float32 | Float64 => s
                .parse::<f64>()
                .ok()
                .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                .unwrap_or_else(|| json!(s)),
            _ => json!(s),
        }
    };
    match (ty, value) {
        (Array(inner), ParamValue::List(items)) => items.iter().map(|s| scalar(inner, s)).collect(),
        (Array(inner), ParamValue::Str(s)) => {
            s.split(',').map(|s| scalar(inner, s.trim())).collect()
        }
        (ty, ParamValue::Str(s)) => scalar(ty, s),
        (ty, ParamValue::List(items)) => items.iter().map(|s| scalar(ty, s)).collect(),
    }
}

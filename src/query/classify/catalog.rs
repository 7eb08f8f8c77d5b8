//! Whether a query reads the system catalogs: relations in `pg_catalog` or
//! `information_schema` or named `pg_*`, catalog functions (`pg_*`, `current_setting`,
//! `version`, `has_*_privilege`, ...), `reg*` casts, and the SQL value functions
//! (`current_user`, `current_schema`, ...).

use std::ops::ControlFlow;

use sqlparser::ast::{
    DataType, Expr, ObjectName, ObjectNamePart, Statement, TableFactor, Visit, Visitor,
};

/// Functions the catalog engine answers, beyond the `pg_*` ones.
const FUNCTIONS: &[&str] = &[
    "current_setting",
    "set_config",
    "version",
    "current_database",
    "current_catalog",
    "current_schema",
    "current_schemas",
    "current_user",
    "session_user",
    "current_role",
    "user",
    "format_type",
    "obj_description",
    "col_description",
    "shobj_description",
    "inet_server_addr",
    "inet_server_port",
    "inet_client_addr",
    "inet_client_port",
    "txid_current",
];

/// The `reg*` object identifier types.
const REG_TYPES: &[&str] = &[
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regoper",
    "regoperator",
    "regnamespace",
    "regrole",
    "regconfig",
    "regdictionary",
    "regcollation",
];

/// SQL value functions written without parentheses, read by sqlparser as identifiers.
const VALUE_FUNCTIONS: &[&str] = &[
    "current_schema",
    "current_user",
    "session_user",
    "current_role",
    "current_catalog",
    "user",
];

const CATALOG_SCHEMAS: &[&str] = &["pg_catalog", "information_schema"];

/// The parts of a name, folded as PostgreSQL folds identifiers.
fn parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) if i.quote_style.is_some() => i.value.clone(),
            ObjectNamePart::Identifier(i) => i.value.to_lowercase(),
            other => other.to_string().to_lowercase(),
        })
        .collect()
}

fn in_catalog_schema(parts: &[String]) -> bool {
    parts.len() >= 2 && CATALOG_SCHEMAS.contains(&parts[parts.len() - 2].as_str())
}

/// A relation of the catalogs: schema-qualified by a catalog schema, or an unqualified
/// `pg_*` name (pg_catalog is always first on the search path).
fn is_catalog_relation(name: &ObjectName) -> bool {
    let parts = parts(name);
    in_catalog_schema(&parts) || (parts.len() == 1 && parts[0].starts_with("pg_"))
}

fn is_catalog_function(name: &ObjectName) -> bool {
    let parts = parts(name);
    let Some(last) = parts.last() else {
        return false;
    };
    in_catalog_schema(&parts)
        || last.starts_with("pg_")
        || last.starts_with("to_reg")
        || (last.starts_with("has_") && last.ends_with("_privilege"))
        || FUNCTIONS.contains(&last.as_str())
}

fn is_reg_type(data_type: &DataType) -> bool {
    match data_type {
        DataType::Regclass => true,
        DataType::Custom(name, _) => parts(name)
            .last()
            .is_some_and(|t| REG_TYPES.contains(&t.as_str())),
        _ => false,
    }
}

/// Whether `statement` reads anything only the catalog engine has.
pub(super) fn reads_catalog(statement: &Statement) -> bool {
    struct Finder;
    impl Visitor for Finder {
        type Break = ();
        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            if is_catalog_relation(relation) {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }

        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            match factor {
                TableFactor::Table {
                    name,
                    args: Some(_),
                    ..
                } if is_catalog_function(name) => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        }

        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            let found = match expr {
                Expr::Function(f) => is_catalog_function(&f.name),
                Expr::Cast { data_type, .. } => is_reg_type(data_type),
                Expr::TypedString(t) => is_reg_type(&t.data_type),
                Expr::Identifier(i) => {
                    i.quote_style.is_none()
                        && VALUE_FUNCTIONS.contains(&i.value.to_lowercase().as_str())
                }
                _ => false,
            };
            if found {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
    statement.visit(&mut Finder).is_break()
}

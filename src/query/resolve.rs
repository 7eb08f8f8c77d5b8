//! Resolve: every relation a data query names must be a datasource of the project that the
//! principal may read (or a CTE of the query itself). Each is rewritten to the ClickHouse
//! table it stands for. Nothing else may reach ClickHouse: table functions, other databases,
//! `system.*` and file/network functions are refused here, before any SQL is sent.
//!
//! Pipes as views arrive with the pipes issue; until then naming one is `0A000`.

use std::collections::HashSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Ident, ObjectName, ObjectNamePart, Query, Statement, TableFactor, VisitMut, VisitorMut,
};

use crate::auth::Principal;
use crate::project::Project;

use super::QueryError;

/// Functions that read files, the network or other servers: never forwarded, whatever
/// the allowlist of the translation issue later allows.
const FORBIDDEN_FUNCTIONS: &[&str] = &[
    "file",
    "url",
    "s3",
    "s3cluster",
    "remote",
    "remotesecure",
    "cluster",
    "clusterallreplicas",
    "mysql",
    "postgresql",
    "mongodb",
    "redis",
    "sqlite",
    "jdbc",
    "odbc",
    "hdfs",
    "hdfscluster",
    "input",
    "executable",
    "azureblobstorage",
    "gcs",
    "deltalake",
    "iceberg",
    "hudi",
    "dictionary",
    "dictget",
    "dictgetstring",
    "loop",
    "merge",
    "generaterandom",
    "fuzzjson",
    "view",
    "viewifpermitted",
    "urlcluster",
    "format",
    "filecluster",
];

/// Where resolution happens: the project, who is asking, and the ClickHouse database.
pub struct Resolver<'a> {
    pub project: &'a Project,
    pub principal: &'a Principal,
    /// The database name clients connect with, accepted as a catalog qualifier.
    pub catalog: &'a str,
    /// The ClickHouse database that holds the tables.
    pub database: &'a str,
}

impl Resolver<'_> {
    /// Checks and rewrites `statement` in place.
    pub fn resolve(&self, statement: &mut Statement) -> Result<(), QueryError> {
        let mut ctes = HashSet::new();
        collect_ctes(statement, &mut ctes);
        let mut visitor = Visitor {
            resolver: self,
            ctes,
        };
        match statement.visit(&mut visitor) {
            ControlFlow::Break(e) => Err(e),
            ControlFlow::Continue(()) => Ok(()),
        }
    }
}

struct Visitor<'r, 'a> {
    resolver: &'r Resolver<'a>,
    /// Names defined by WITH anywhere in the statement; they are not project relations.
    ctes: HashSet<String>,
}

fn collect_ctes(statement: &mut Statement, out: &mut HashSet<String>) {
    struct Ctes<'o>(&'o mut HashSet<String>);
    impl VisitorMut for Ctes<'_> {
        type Break = ();
        fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            if let Some(with) = &query.with {
                for cte in &with.cte_tables {
                    self.0.insert(normalize(&cte.alias.name));
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Ctes(out));
}

/// PostgreSQL folds unquoted identifiers to lower case; quoted ones are exact.
fn normalize(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

impl VisitorMut for Visitor<'_, '_> {
    type Break = QueryError;

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<QueryError> {
        let refused = match factor {
            TableFactor::Table {
                args: Some(_),
                name,
                ..
            } => Some(format!("table function {name}")),
            TableFactor::Function { name, .. } => Some(format!("table function {name}")),
            TableFactor::TableFunction { .. } => Some("TABLE(...)".to_string()),
            TableFactor::UNNEST { .. } => Some("UNNEST in FROM".to_string()),
            _ => None,
        };
        match refused {
            Some(feature) => ControlFlow::Break(QueryError::Unsupported {
                feature,
                hint: Some("Only the project's datasources and pipes can be read.".into()),
            }),
            None => ControlFlow::Continue(()),
        }
    }

    fn pre_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<QueryError> {
        match self.rewrite(relation) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<QueryError> {
        if let Expr::Function(f) = expr {
            let name = f.name.to_string().to_lowercase();
            let last = name.rsplit('.').next().unwrap_or(&name).trim_matches('"');
            if FORBIDDEN_FUNCTIONS.contains(&last) {
                return ControlFlow::Break(QueryError::PermissionDenied {
                    kind: "function",
                    name: f.name.to_string(),
                });
            }
        }
        ControlFlow::Continue(())
    }
}

impl Visitor<'_, '_> {
    fn rewrite(&self, relation: &mut ObjectName) -> Result<(), QueryError> {
        let r = self.resolver;
        let parts: Vec<String> = relation
            .0
            .iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => Ok(normalize(i)),
                ObjectNamePart::Function(_) => Err(QueryError::Unsupported {
                    feature: format!("the relation name {relation}"),
                    hint: None,
                }),
            })
            .collect::<Result<_, _>>()?;
        let name = match parts.as_slice() {
            [name] if self.ctes.contains(name) => return Ok(()),
            [name] => name.clone(),
            [schema, name] if schema == "public" => name.clone(),
            [catalog, schema, name] if catalog == r.catalog && schema == "public" => name.clone(),
            _ => {
                return Err(QueryError::UndefinedTable {
                    name: relation.to_string(),
                })
            }
        };
        if r.project.datasource(&name).is_some() {
            if !r.principal.can_read_datasource(&name) {
                return Err(QueryError::PermissionDenied {
                    kind: "table",
                    name,
                });
            }
            *relation = ObjectName::from(vec![
                Ident::with_quote('`', r.database),
                Ident::with_quote('`', &name),
            ]);
            return Ok(());
        }
        if r.project.pipe(&name).is_some_and(|p| p.is_endpoint())
            && r.principal.can_read_pipe(&name)
        {
            return Err(QueryError::Unsupported {
                feature: format!("reading the pipe {name} over the Postgres door"),
                hint: Some(format!(
                    "Use GET /v0/pipes/{name}.json on the HTTP door for now."
                )),
            });
        }
        Err(QueryError::UndefinedTable {
            name: relation.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Scope;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;
    use std::path::{Path, PathBuf};

    fn project() -> Project {
        let sources = vec![
            (
                PathBuf::from("p/events.datasource"),
                "SCHEMA >\n    a Int8\n".to_string(),
            ),
            (
                PathBuf::from("p/secret.datasource"),
                "SCHEMA >\n    a Int8\n".to_string(),
            ),
            (
                PathBuf::from("p/top.pipe"),
                "NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\n".to_string(),
            ),
        ];
        Project::from_sources(Path::new("p"), &sources).expect("loads")
    }

    fn resolve(sql: &str) -> Result<String, QueryError> {
        let project = project();
        let principal = Principal {
            name: "r".into(),
            scopes: vec![Scope::DatasourcesRead("events".into())],
        };
        let r = Resolver {
            project: &project,
            principal: &principal,
            catalog: "pipegate",
            database: "db",
        };
        let mut stmt = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .map_err(|e| QueryError::Syntax {
                message: e.to_string(),
            })?
            .remove(0);
        r.resolve(&mut stmt)?;
        Ok(stmt.to_string())
    }

    #[test]
    fn datasources_are_rewritten_to_their_tables() {
        assert_eq!(
            resolve("SELECT a FROM events").expect("ok"),
            "SELECT a FROM `db`.`events`"
        );
        assert_eq!(
            resolve("SELECT * FROM public.events e JOIN pipegate.public.events f ON e.a = f.a")
                .expect("ok"),
            "SELECT * FROM `db`.`events` e JOIN `db`.`events` f ON e.a = f.a"
        );
        assert_eq!(
            resolve("WITH x AS (SELECT a FROM Events) SELECT * FROM x WHERE a IN (SELECT a FROM events)").expect("ok"),
            "WITH x AS (SELECT a FROM `db`.`events`) SELECT * FROM x WHERE a IN (SELECT a FROM `db`.`events`)"
        );
    }

    #[test]
    fn everything_else_is_refused_before_clickhouse() {
        let code = |sql: &str| resolve(sql).expect_err(sql).sqlstate();
        assert_eq!(code("SELECT * FROM nope"), "42P01");
        assert_eq!(
            code("SELECT * FROM \"Events\""),
            "42P01",
            "quoted names are exact"
        );
        assert_eq!(code("SELECT * FROM system.tables"), "42P01");
        assert_eq!(code("SELECT * FROM other.events"), "42P01");
        assert_eq!(code("SELECT * FROM secret"), "42501");
        assert_eq!(code("SELECT * FROM numbers(10)"), "0A000");
        assert_eq!(code("SELECT * FROM url('http://x', CSV)"), "0A000");
        assert_eq!(code("SELECT file('/etc/passwd')"), "42501");
        assert_eq!(
            code("SELECT * FROM events WHERE a IN (SELECT 1 FROM remote('h', system.one))"),
            "0A000"
        );
        assert_eq!(
            code("SELECT * FROM top"),
            "42P01",
            "not readable by this principal"
        );
    }
}

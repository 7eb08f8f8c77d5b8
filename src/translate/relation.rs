//! Relations: every table name a data query reads must be a datasource of the project that
//! the principal may read, or a CTE of the query itself. A datasource becomes its ClickHouse
//! table, with its columns' types. Qualified names reach only schema `public` of the
//! configured database: any other schema (`system`, another ClickHouse database) is
//! `42501`, never forwarded.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use super::render::normalize;
use super::{Env, Ty};
use crate::query::QueryError;

/// Functions that read files, the network, other servers or other tables: never forwarded,
/// whatever the allowlist says. Lower case.
pub const FORBIDDEN_FUNCTIONS: &[&str] = &[
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
    "filecluster",
    "getsetting",
    "joinget",
    // The server's own state: hosts, ports, settings, users, files and dictionaries.
    "hostname",
    "fqdn",
    "displayname",
    "getmacro",
    "serveruuid",
    "getoskernelversion",
    "filesystemavailable",
    "filesystemcapacity",
    "filesystemunreserved",
    "getserverport",
    "tcpport",
    "getserversetting",
    "getmergetreesetting",
    "globalvariable",
    "currentuser",
    "currentroles",
    "enabledroles",
    "defaultroles",
    "currentprofiles",
    "enabledprofiles",
    "defaultprofiles",
    "currentdatabase",
    "currentschemas",
    "currentquerythreadid",
    "getclienthttpheader",
    "initialqueryid",
    "queryid",
    "shardnum",
    "shardcount",
    "catboostevaluate",
    "addresstosymbol",
    "addresstoline",
    "addresstolinewithinlines",
    "demangle",
    "hastable",
    "hascolumnintable",
    "uptime",
    "zookeepersessionuptime",
];

/// Name prefixes (lowercase) of ClickHouse function families that must never be forwarded.
const FORBIDDEN_PREFIXES: &[&str] = &["dictget", "dicthas", "getsetting", "file", "s3"];

/// A relation in a query's FROM: its name there and its columns, when known.
#[derive(Debug, Clone)]
pub struct Rel {
    /// The alias, or the table's own name.
    pub name: String,
    /// Output columns with their types; `None` when the shape is unknown.
    pub columns: Option<Vec<Column>>,
}

/// A named, typed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ty: Ty,
}

/// What a table name that is not a CTE reads.
pub enum Resolved<'a> {
    /// A datasource: its ClickHouse table and columns.
    Table(ObjectName, Vec<Column>),
    /// An endpoint pipe the principal may read, as a view.
    Pipe(&'a crate::project::Pipe),
}

/// Resolves a table name that is not a CTE: a datasource or an endpoint pipe.
pub fn resolve<'a>(env: &Env<'a>, name: &ObjectName) -> Result<Resolved<'a>, QueryError> {
    let table = public_name(env, name)?;
    if let Some(pipe) = env.project.pipe(&table).filter(|p| p.is_endpoint()) {
        if env.project.datasource(&table).is_none() {
            if !env.principal.can_read_pipe(&table) {
                return Err(QueryError::PermissionDenied {
                    kind: "view",
                    name: table,
                });
            }
            return Ok(Resolved::Pipe(pipe));
        }
    }
    let (target, columns) = datasource(env, name)?;
    Ok(Resolved::Table(target, columns))
}

/// The table name of `name`, which may be qualified by `public` and the catalog only.
fn public_name(env: &Env, name: &ObjectName) -> Result<String, QueryError> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => Ok(normalize(i)),
            ObjectNamePart::Function(_) => {
                Err(super::unsupported(format!("the relation name {name}")))
            }
        })
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [table] => Ok(table.clone()),
        [schema, table] if schema == "public" => Ok(table.clone()),
        [catalog, schema, table] if catalog == env.catalog && schema == "public" => {
            Ok(table.clone())
        }
        [schema, _] | [_, schema, _] => Err(QueryError::PermissionDenied {
            kind: "schema",
            name: schema.clone(),
        }),
        _ => Err(QueryError::PermissionDenied {
            kind: "relation",
            name: name.to_string(),
        }),
    }
}

/// Resolves a table name that is not a CTE to its ClickHouse table and columns.
pub fn datasource(env: &Env, name: &ObjectName) -> Result<(ObjectName, Vec<Column>), QueryError> {
    let table = public_name(env, name)?;
    if let Some(ds) = env.project.datasource(&table) {
        if !env.principal.can_read_datasource(&table) {
            return Err(QueryError::PermissionDenied {
                kind: "table",
                name: table,
            });
        }
        let columns = ds
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: Ty::of(&c.ty),
            })
            .collect();
        let target = ObjectName::from(vec![
            super::render::ident(env.database),
            super::render::ident(&table),
        ]);
        return Ok((target, columns));
    }
    if let Some(ds) = table.strip_suffix("_quarantine") {
        if env.project.datasource(ds).is_some() {
            if !env.principal.can_read_datasource(ds) {
                return Err(QueryError::PermissionDenied {
                    kind: "table",
                    name: table,
                });
            }
            return Err(QueryError::Unsupported {
                feature: format!("reading the quarantine table {table} over the Postgres door"),
                hint: None,
            });
        }
    }
    Err(QueryError::UndefinedTable { name: table })
}

/// Is `name` (any case, any qualification) a function that must never be forwarded?
pub fn is_forbidden_function(name: &ObjectName) -> bool {
    name.0.iter().any(|p| match p {
        ObjectNamePart::Identifier(Ident { value, .. }) => {
            let name = value.to_lowercase();
            FORBIDDEN_FUNCTIONS.contains(&name.as_str())
                || FORBIDDEN_PREFIXES.iter().any(|p| name.starts_with(p))
        }
        ObjectNamePart::Function(_) => true,
    })
}

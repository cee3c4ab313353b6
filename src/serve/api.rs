//! The JSON API: `/api/search`, `/api/records/{id}`, `/api/similar/{id}`,
//! `/api/notices`, `/api/notices/{id}`, `/api/health`.
//!
//! Every parameter is checked before the engine sees it; a bad one is answered with
//! 400 and a JSON error naming it, an unknown id with 404. Only records of the
//! index and the notices its manifest lists are ever served: ids are looked up in
//! the manifest, never used as paths.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{AppState, Generation};
use crate::index::record::source_key;
use crate::index::schema::Fields;
use crate::notice::{Notice, Status};
use crate::search::{date_bound, Hit, SearchRequest, Sort};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// Longest filter text (agency, category), in characters.
pub const MAX_FILTER_CHARS: usize = 64;
/// Most hits one request returns.
pub const MAX_LIMIT: usize = 100;
/// Hits beyond this position (offset + limit) are not served.
pub const PAGE_WINDOW: usize = 10_000;
/// Longest request target (path and query string), in bytes.
pub const MAX_URI_BYTES: usize = 4096;
/// Most similar measures one request returns.
pub const MAX_SIMILAR: usize = 50;

/// An API error: HTTP status, the parameter at fault (if one), and a message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    parameter: Option<String>,
    message: String,
}

impl ApiError {
    fn bad(parameter: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            parameter: Some(parameter.to_string()),
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            parameter: None,
            message: message.into(),
        }
    }

    fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            parameter: None,
            message: message.into(),
        }
    }

    /// An engine error on a request whose query is `parameter`.
    fn from_engine(e: crate::Error, parameter: &'static str) -> Self {
        match e {
            crate::Error::BadQuery(m) => ApiError::bad(parameter, m),
            crate::Error::NoSuchRecord(_) => ApiError::not_found(e.to_string()),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "status": self.status.as_u16(),
                "parameter": self.parameter,
                "message": self.message,
            }
        });
        (self.status, Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

/// The API's routes, with the request-size cap and the response headers.
pub(super) fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/search", get(search))
        .route("/api/records/{id}", get(record))
        .route("/api/similar/{id}", get(similar))
        .route("/api/notices", get(notices))
        .route("/api/notices/{id}", get(notice))
        .route("/api/{*rest}", get(unknown_api))
        .with_state(state)
        .layer(middleware::from_fn(guard))
}

/// Refuses over-long request targets and marks every API answer as not cacheable.
async fn guard(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        let mut e = ApiError::bad(
            "uri",
            format!("请求过长 (request target over {MAX_URI_BYTES} bytes)"),
        );
        e.status = StatusCode::URI_TOO_LONG;
        return e.into_response();
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

async fn unknown_api(uri: Uri) -> ApiError {
    ApiError::not_found(format!("没有这个接口 (no such endpoint: {})", uri.path()))
}

/// Runs blocking engine work off the async threads, with the current generation.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Generation) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state
        .workers
        .acquire()
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let generation = state.current();
    tokio::task::spawn_blocking(move || work(&generation))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// Query-string pairs, checked against the parameters an endpoint knows.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<String>, known: &[&'static str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).map_err(|e| {
                ApiError::bad("query", format!("查询串无法解析 (bad query string): {e}"))
            })?;
        for (k, _) in &pairs {
            if !known.contains(&k.as_str()) {
                return Err(ApiError {
                    status: StatusCode::BAD_REQUEST,
                    parameter: Some(k.clone()),
                    message: format!(
                        "未知参数 {k} (unknown parameter {k:?}); 可用 (known): {}",
                        known.join(", ")
                    ),
                });
            }
        }
        Ok(Params(pairs))
    }

    /// The single value of `name`; a repeated parameter is an error.
    fn one(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        let mut it = self.0.iter().filter(|(k, _)| k == name);
        let first = it.next().map(|(_, v)| v.as_str());
        if it.next().is_some() {
            return Err(ApiError::bad(
                name,
                format!("参数 {name} 只能给一次 (parameter {name} given twice)"),
            ));
        }
        Ok(first)
    }

    /// Every value of `name`.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-empty, trimmed text of at most `max` characters.
    fn text(&self, name: &'static str, max: usize) -> Result<Option<String>, ApiError> {
        match self.one(name)?.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) if s.chars().count() > max => Err(ApiError::bad(
                name,
                format!("{name} 过长，最多 {max} 个字 (longer than {max} characters)"),
            )),
            Some(s) => Ok(Some(s.to_string())),
        }
    }

    fn number(&self, name: &'static str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.one(name)? {
            None | Some("") => Ok(default),
            Some(s) => match s.trim().parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::bad(
                    name,
                    format!(
                        "{name} 应为 0 到 {max} 的整数 (an integer from 0 to {max}, got {s:?})"
                    ),
                )),
            },
        }
    }

    fn flag(&self, name: &'static str) -> Result<bool, ApiError> {
        match self.one(name)?.map(str::trim) {
            None | Some("0") | Some("false") | Some("no") => Ok(false),
            Some("") | Some("1") | Some("true") | Some("yes") => Ok(true),
            Some(s) => Err(ApiError::bad(
                name,
                format!("{name} 应为 true 或 false (true or false, got {s:?})"),
            )),
        }
    }
}

const SEARCH_PARAMS: &[&str] = &[
    "q",
    "agency",
    "status",
    "category",
    "level",
    "since",
    "until",
    "sort",
    "limit",
    "offset",
    "facets",
    "exact",
    "measures_only",
    "all_copies",
];

/// An agency or category filter: some searchable text, not too long.
fn filter_text(p: &Params, name: &'static str) -> Result<Option<String>, ApiError> {
    let v = p.text(name, MAX_FILTER_CHARS)?;
    if let Some(t) = &v {
        if !t
            .chars()
            .map(crate::text::fold_char)
            .any(crate::text::is_word_char)
        {
            return Err(ApiError::bad(
                name,
                format!("{name} 中没有可检索的文字 (nothing searchable in {t:?})"),
            ));
        }
    }
    Ok(v)
}

/// A `since`/`until` date, checked as the engine will read it.
fn date_param(p: &Params, name: &'static str, end: bool) -> Result<Option<String>, ApiError> {
    let Some(d) = p.text(name, 10)? else {
        return Ok(None);
    };
    date_bound(&d, end).map_err(|_| {
        ApiError::bad(
            name,
            format!("{name} 应为 YYYY、YYYY-MM 或 YYYY-MM-DD (got {d:?})"),
        )
    })?;
    Ok(Some(d))
}

/// Turns the query string of `/api/search` into a request, checking every parameter.
pub fn search_request(raw: Option<String>) -> Result<SearchRequest, ApiError> {
    let p = Params::parse(raw, SEARCH_PARAMS)?;
    let mut req = SearchRequest::new(p.text("q", MAX_QUERY_CHARS)?.unwrap_or_default());
    req.agency = filter_text(&p, "agency")?;
    req.category = filter_text(&p, "category")?;
    req.status = Status::parse_user_list(p.all("status")).map_err(|s| {
        ApiError::bad(
            "status",
            format!("未知的整改状态 {s:?} (unknown status); 可用: completed, basically_completed, phased, in_progress, unfinished, unspecified, 已完成, 基本完成, 阶段性完成, 正在整改, 未完成, 未说明"),
        )
    })?;
    req.level = match p.one("level")?.map(str::trim) {
        None | Some("") => None,
        Some(l) => Some(
            crate::search::level_of_user(l)
                .ok_or_else(|| {
                    ApiError::bad(
                        "level",
                        format!(
                            "层级应为 省、市 或 县 (level: province, city or county, got {l:?})"
                        ),
                    )
                })?
                .to_string(),
        ),
    };
    req.since = date_param(&p, "since", false)?;
    req.until = date_param(&p, "until", true)?;
    req.sort = match p.one("sort")?.map(str::trim) {
        None | Some("") | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some(other) => {
            return Err(ApiError::bad(
                "sort",
                format!("sort 应为 relevance 或 date (got {other:?})"),
            ))
        }
    };
    req.limit = p.number("limit", 10, MAX_LIMIT)?;
    req.offset = p.number("offset", 0, PAGE_WINDOW)?;
    if req.offset + req.limit > PAGE_WINDOW {
        return Err(ApiError::bad(
            "offset",
            format!("只能翻到第 {PAGE_WINDOW} 条 (offset + limit must not exceed {PAGE_WINDOW}); 请加筛选条件"),
        ));
    }
    req.facets = p.flag("facets")?;
    req.exact = p.flag("exact")?;
    req.measures_only = p.flag("measures_only")?;
    req.all_copies = p.flag("all_copies")?;
    if req.query.is_empty()
        && req.agency.is_none()
        && req.status.is_empty()
        && req.category.is_none()
        && req.level.is_none()
        && req.since.is_none()
        && req.until.is_none()
        && !req.measures_only
    {
        return Err(ApiError::bad(
            "q",
            "请输入检索词或筛选条件 (give search words or a filter)",
        ));
    }
    Ok(req)
}

fn json_response(v: &impl Serialize) -> ApiResult {
    Ok(Json(v).into_response())
}

async fn health(State(state): State<Arc<AppState>>) -> ApiResult {
    let g = state.current();
    let m = g.engine.manifest();
    json_response(&json!({
        "status": "ok",
        "generation": g.number,
        "files": m.files.len(),
        "notices": m.files.values().filter(|f| f.notice).count(),
        "records": m.records(),
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let req = search_request(raw)?;
    let v = blocking(&state, move |g| {
        let r = g
            .engine
            .search(&req)
            .map_err(|e| ApiError::from_engine(e, "q"))?;
        let mut v = serde_json::to_value(&r).map_err(|e| ApiError::internal(e.to_string()))?;
        v["offset"] = json!(req.offset);
        v["limit"] = json!(req.limit);
        v["generation"] = json!(g.number);
        Ok(v)
    })
    .await?;
    json_response(&v)
}

/// Whether `id` looks like a record id (`1a2b3c4d-17`): anything else is unknown
/// without asking the engine.
fn record_id_ok(id: &str) -> bool {
    match id.split_once('-') {
        Some((key, n)) => {
            key.len() == 8
                && key.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.len() <= 9
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn no_record(id: &str) -> ApiError {
    ApiError::not_found(format!("没有编号为 {id} 的结果 (no record with id {id:?})"))
}

fn notice_key(source: &str) -> String {
    source_key(source)
}

/// The record `id` with every record of its problem (the `show` view) and the id of
/// the notice it comes from.
fn show(g: &Generation, id: &str) -> Result<Value, ApiError> {
    if !record_id_ok(id) {
        return Err(no_record(id));
    }
    let hit = g.engine.get(id).map_err(|e| match e {
        crate::Error::NoSuchRecord(_) => no_record(id),
        other => ApiError::internal(other.to_string()),
    })?;
    let all = g
        .engine
        .records_of(&hit.source)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let siblings: Vec<&Hit> = all
        .iter()
        .filter(|h| {
            h.kind == hit.kind
                && h.problem_n == hit.problem_n
                && (hit.kind == "measure" || h.id == hit.id)
        })
        .collect();
    Ok(json!({
        "hit": hit,
        "problem_records": siblings,
        "notice": notice_key(&hit.source),
    }))
}

async fn record(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let v = blocking(&state, move |g| show(g, &id)).await?;
    json_response(&v)
}

async fn similar(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let p = Params::parse(raw, &["limit"])?;
    let limit = p.number("limit", 10, MAX_SIMILAR)?;
    let v = blocking(&state, move |g| {
        if !record_id_ok(&id) {
            return Err(no_record(&id));
        }
        let h = g.engine.get(&id).map_err(|e| match e {
            crate::Error::NoSuchRecord(_) => no_record(&id),
            other => ApiError::internal(other.to_string()),
        })?;
        let text = format!("{}\n{}", h.problem, h.measure);
        // The total counts every similar measure, not only the ones shown.
        let r = g
            .engine
            .similar_results(&text, Some(&h.agency_short), Some(&id), limit)
            .map_err(|e| ApiError::from_engine(e, "id"))?;
        Ok(json!({ "id": id, "total": r.total, "hits": r.hits }))
    })
    .await?;
    json_response(&v)
}

/// One notice as `/api/notices` lists it: the manifest's facts and counts of its
/// problems and measures by status, read from the index.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeSummary {
    /// Notice id: the key its record ids start with.
    pub id: String,
    /// Source file as indexed.
    pub source: String,
    /// Whether the file parsed as a notice (otherwise its paragraphs are indexed).
    pub notice: bool,
    /// Title.
    pub title: String,
    /// Agency as printed.
    pub agency: String,
    /// Agency short form.
    pub agency_short: String,
    /// Region.
    pub region: String,
    /// 省/市/县.
    pub level: String,
    /// Publication date.
    pub published: String,
    /// 巡察/巡视.
    pub inspection: String,
    /// Records indexed.
    pub records: usize,
    /// Problems by status name.
    pub problems: BTreeMap<String, u64>,
    /// Measures by status name of their problem.
    pub measures: BTreeMap<String, u64>,
}

/// Counts by status name.
type ByStatus = BTreeMap<String, u64>;

/// Problems and measures of one file by status: one aggregation over its measures.
fn status_counts(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    aggs: &Aggregations,
    source: &str,
) -> Result<(ByStatus, ByStatus), ApiError> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                fields.file_term(source),
                IndexRecordOption::Basic,
            )),
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.problem_n, 1)),
                Bound::Unbounded,
            )),
        ),
    ];
    let q = BooleanQuery::new(clauses);
    let collector = AggregationCollector::from_aggs(aggs.clone(), Default::default());
    let res = searcher
        .search(&q, &collector)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let v = serde_json::to_value(res).map_err(|e| ApiError::internal(e.to_string()))?;
    let mut problems = BTreeMap::new();
    let mut measures = BTreeMap::new();
    for b in v["status"]["buckets"].as_array().into_iter().flatten() {
        let Some(key) = b["key"].as_str() else {
            continue;
        };
        let all = b["doc_count"].as_u64().unwrap_or(0);
        // A problem's first record has lead 0, which the column may leave out: count
        // the records that follow a first one, and take them away.
        let following: u64 = b["first"]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| x["from"].as_f64() == Some(1.0))
            .filter_map(|x| x["doc_count"].as_u64())
            .sum();
        measures.insert(key.to_string(), all);
        problems.insert(key.to_string(), all.saturating_sub(following));
    }
    Ok((problems, measures))
}

/// Every file of the index with its counts; computed once per generation.
fn notice_list(g: &Generation) -> Result<Arc<Vec<NoticeSummary>>, ApiError> {
    if let Some(l) = g.notices.get() {
        return Ok(Arc::clone(l));
    }
    let index = g.engine.index();
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| ApiError::internal("schema mismatch"))?;
    let aggs: Aggregations = serde_json::from_value(json!({
        "status": {
            "terms": {"field": "status", "size": 10},
            "aggs": {"first": {"range": {"field": crate::search::group::LEAD, "ranges": [{"to": 1.0}]}}}
        }
    }))
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let reader = index
        .reader()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let searcher = reader.searcher();
    let mut out = Vec::with_capacity(g.engine.manifest().files.len());
    for (source, f) in &g.engine.manifest().files {
        let (problems, measures) = if f.notice {
            status_counts(&searcher, &fields, &aggs, source)?
        } else {
            Default::default()
        };
        out.push(NoticeSummary {
            id: notice_key(source),
            source: source.clone(),
            notice: f.notice,
            title: f.title.clone(),
            agency: f.agency.clone(),
            agency_short: f.agency_short.clone(),
            region: f.region.clone(),
            level: f.level.clone(),
            published: f.published.clone(),
            inspection: f.inspection.clone(),
            records: f.records,
            problems,
            measures,
        });
    }
    out.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.source.cmp(&b.source))
    });
    let list = Arc::new(out);
    Ok(Arc::clone(g.notices.get_or_init(|| list)))
}

async fn notices(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw, &[])?;
    let v = blocking(&state, |g| {
        let list = notice_list(g)?;
        Ok(json!({ "total": list.len(), "notices": *list }))
    })
    .await?;
    json_response(&v)
}

/// Where the file whose key is `key` lies: a key is the corpus folder's name and
/// the path inside it (see [`crate::index::files`]), so it is found under the
/// corpus the manifest records, not under the server's working directory. A key
/// that does not read back as a plain path (escaped bytes) is taken as it is.
fn source_path(corpus: Option<&str>, key: &str) -> std::path::PathBuf {
    let as_is = || std::path::PathBuf::from(key);
    let Some(root) = corpus.map(std::path::Path::new) else {
        return as_is();
    };
    let name = root
        .file_name()
        .map(crate::index::files::escape_name)
        .unwrap_or_default();
    if root.is_file() {
        return if key == name {
            root.to_path_buf()
        } else {
            as_is()
        };
    }
    let rest = if name.is_empty() {
        Some(key)
    } else {
        key.strip_prefix(name.as_str())
            .and_then(|r| r.strip_prefix('/'))
    };
    match rest {
        Some(rest) if !rest.contains('\\') => rest
            .split('/')
            .fold(root.to_path_buf(), |p, part| p.join(part)),
        _ => as_is(),
    }
}

/// The notice as the parser reads it now, if its file is still the one indexed (same
/// content hash); `None` otherwise, with the reason.
fn parsed_notice(corpus: Option<&str>, source: &str, hash: &str) -> Result<Notice, String> {
    let path = source_path(corpus, source);
    let bytes =
        std::fs::read(&path).map_err(|e| format!("无法读取原文件 (source unreadable): {e}"))?;
    if format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)) != hash {
        return Err("原文件在建索引后已改动 (source changed since indexing)".into());
    }
    let text = crate::read::decode_vec(&path, bytes).map_err(|e| e.to_string())?;
    Ok(crate::parse::parse(source, &text.text))
}

async fn notice(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let v = blocking(&state, move |g| {
        let unknown = || ApiError::not_found(format!("没有编号为 {id} 的通报 (no notice {id:?})"));
        if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(unknown());
        }
        let list = notice_list(g)?;
        let summary = list.iter().find(|n| n.id == id).ok_or_else(unknown)?;
        let entry = g
            .engine
            .manifest()
            .files
            .get(&summary.source)
            .ok_or_else(unknown)?;
        let records = g
            .engine
            .records_of(&summary.source)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let corpus = g.engine.manifest().corpus.as_deref();
        let (parsed, parse_error) = match parsed_notice(corpus, &summary.source, &entry.hash) {
            Ok(n) => (Some(n), None),
            Err(e) => (None, Some(e)),
        };
        Ok(json!({
            "notice": summary,
            "summary": parsed.as_ref().map(|n| &n.summary),
            "parsed": parsed,
            "parse_error": parse_error,
            "records": records,
        }))
    })
    .await?;
    json_response(&v)
}

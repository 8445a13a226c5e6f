//! Schema versions, oldest first. A database is upgraded step by step to the
//! newest; `tests/store_migrations.rs` upgrades from every earlier version and
//! checks the data survives. Never edit a released step: add a new one.

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, M, Migrations};
use uuid::Uuid;

use crate::domain::records::{Course, RowMeta, Township};
use crate::domain::table::Record;
use crate::store::entity;

/// The newest schema version this build knows.
pub const LATEST_VERSION: usize = 7;

/// Timestamp of seeded reference rows: older than any edit, so a township
/// name a clerk filled in on one laptop is never overwritten by another
/// laptop's freshly seeded empty one when snapshots merge.
pub const SEED_TIME: &str = "2000-01-01T00:00:00.000Z";
pub const SEED_DEVICE: &str = "seed";

/// The namespace of the v5 ids of seeded rows (derived from their codes, so
/// every installation seeds the same row with the same id).
const SEED_NAMESPACE: Uuid = Uuid::from_u128(0x5133_3300_0000_4000_8000_0000_0000_0001);

pub fn seed_id(table: &str, code: &str) -> Uuid {
    Uuid::new_v5(&SEED_NAMESPACE, format!("{table}:{code}").as_bytes())
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up_with_hook(include_str!("schema_v1.sql"), seed_v1),
        M::up(include_str!("schema_v2.sql")),
        M::up_with_hook(include_str!("schema_v3.sql"), index_v3),
        M::up_with_hook(include_str!("schema_v4.sql"), seed_v4),
        M::up_with_hook(include_str!("schema_v5.sql"), seed_posts),
        M::up(include_str!("schema_v6.sql")),
        M::up_with_hook(include_str!("schema_v7.sql"), tallies_v7),
    ])
}

/// Version 7 (the report's tallies): the triggers that keep them, and the
/// tallies of the records already here.
fn tallies_v7(tx: &Transaction) -> HookResult {
    crate::store::tally::install(tx)?;
    Ok(())
}

/// Fills the search index of version 3 with the persons already there.
fn index_v3(tx: &Transaction) -> HookResult {
    crate::store::search::rebuild(tx)?;
    Ok(())
}

/// Seeds the post types the county report names beyond the first four and
/// the funding sources, and gives each post already there its funding
/// line: ecological compensation for rangers, the rural public-welfare
/// post fund for the rest. Written in this step's shape, as SQL.
fn seed_posts(tx: &Transaction) -> HookResult {
    for (code, zh, bo, en, dept) in MORE_POST_TYPES {
        tx.execute(
            "INSERT OR IGNORE INTO post_type(id, created_at, updated_at, operator, device_id,
                 deleted_at, code, name_zh, name_bo, name_en, department, monthly_subsidy_fen)
             VALUES (?1, ?2, ?2, ?3, ?3, NULL, ?4, ?5, ?6, ?7, ?8, 50000)",
            rusqlite::params![
                seed_id("post_type", code).to_string(),
                SEED_TIME,
                SEED_DEVICE,
                code,
                zh,
                bo,
                en,
                dept
            ],
        )?;
    }
    for (code, zh, en) in FUNDING_SOURCES {
        tx.execute(
            "INSERT OR IGNORE INTO funding_source(id, created_at, updated_at, operator,
                 device_id, deleted_at, code, name_zh, name_bo, name_en)
             VALUES (?1, ?2, ?2, ?3, ?3, NULL, ?4, ?5, '', ?6)",
            rusqlite::params![
                seed_id("funding_source", code).to_string(),
                SEED_TIME,
                SEED_DEVICE,
                code,
                zh,
                en
            ],
        )?;
    }
    tx.execute(
        "UPDATE post SET funding_source_id = CASE
             WHEN (SELECT t.code FROM post_type t WHERE t.id = post.post_type_id)
                  IN ('forest_ranger', 'grassland_ranger') THEN ?1 ELSE ?2 END
         WHERE funding_source_id IS NULL",
        [
            seed_id("funding_source", "ecological_compensation").to_string(),
            seed_id("funding_source", "rural_welfare").to_string(),
        ],
    )?;
    Ok(())
}

/// Post types named in programmes.md, each its own funding line in Sêrtar.
const MORE_POST_TYPES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "grassland_ranger",
        "护草员",
        "",
        "Grassland ranger",
        "forestry",
    ),
    (
        "hazard_patroller",
        "地质灾害巡查员",
        "",
        "Geological-hazard patroller",
        "natural_resources",
    ),
];

/// The funding sources the issue names; the county adds its own.
pub const FUNDING_SOURCES: &[(&str, &str, &str)] = &[
    (
        "employment_subsidy",
        "就业补助资金",
        "Employment-subsidy fund",
    ),
    (
        "rural_welfare",
        "乡村公益性岗位资金",
        "Rural public-welfare post fund",
    ),
    (
        "ecological_compensation",
        "生态补偿资金",
        "Ecological compensation",
    ),
    ("other", "其他", "Other"),
];

/// The migration steps, for tests that stop at an earlier version.
pub fn to_version(conn: &mut Connection, version: usize) -> Result<(), String> {
    migrations()
        .to_version(conn, version)
        .map_err(|e| e.to_string())?;
    // Version 0 has no tables, not even `meta`.
    if version == 0 {
        return Ok(());
    }
    record_version(conn)
}

pub fn to_latest(conn: &mut Connection) -> Result<(), String> {
    let found = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(|e| e.to_string())?;
    if found == LATEST_VERSION as i64 {
        // Nothing to do, and nothing written: opening a current database must
        // not wait for, or fail on, another connection's write lock (a backup
        // while the app is saving), nor touch a file that only is looked at.
        return Ok(());
    }
    migrations().to_latest(conn).map_err(|e| e.to_string())?;
    record_version(conn)
}

fn record_version(conn: &Connection) -> Result<(), String> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('schema_version', CAST((SELECT user_version FROM pragma_user_version) AS TEXT))
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [],
    )
    .map(drop)
    .map_err(|e| e.to_string())
}

fn seed_v1(tx: &Transaction) -> HookResult {
    tx.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('device_id', ?1)",
        [Uuid::now_v7().to_string()],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?1)",
        [crate::clock::now_utc()],
    )?;
    for line in include_str!("../../data/sertar-townships.csv")
        .lines()
        .skip(1)
    {
        let mut f = line.split(',');
        let (Some(code), Some(name_zh)) = (f.next(), f.next()) else {
            continue;
        };
        let t = Township {
            meta: seed_meta(Township::TABLE.name, code),
            code: code.to_owned(),
            name_zh: name_zh.to_owned(),
            // Left for county staff to fill: the official Tibetan names are
            // not in the published list, and a wrong one is worse than none.
            name_bo: String::new(),
        };
        insert_seed(tx, &t)?;
    }
    // The course catalogue and post types named in the county report, so
    // "training wanted" and post assignment have choices from the first day.
    // Written with version 1's columns: a later step adds columns (and
    // fills them for these rows), and this step must run on its own.
    for (code, zh, en, ..) in COURSES {
        let m = seed_meta(Course::TABLE.name, code);
        tx.execute(
            "INSERT OR IGNORE INTO course(id, created_at, updated_at, operator, device_id, deleted_at,
                 code, name_zh, name_bo, name_en)
             VALUES (?1, ?2, ?2, ?3, ?3, NULL, ?4, ?5, '', ?6)",
            (m.id.to_string(), SEED_TIME, SEED_DEVICE, code, zh, en),
        )?;
    }
    // In the shape of this step (the record has moved on since): about
    // 6,000 yuan a year each, as in the report.
    for (code, zh, bo, en, dept) in POST_TYPES {
        tx.execute(
            "INSERT OR IGNORE INTO post_type(id, created_at, updated_at, operator, device_id,
                 deleted_at, code, name_zh, name_bo, name_en, department, default_subsidy_fen)
             VALUES (?1, ?2, ?2, ?3, ?3, NULL, ?4, ?5, ?6, ?7, ?8, 600000)",
            rusqlite::params![
                seed_id("post_type", code).to_string(),
                SEED_TIME,
                SEED_DEVICE,
                code,
                zh,
                bo,
                en,
                dept
            ],
        )?;
    }
    Ok(())
}

/// The seven courses of the county report: code, names, and (from version
/// 4) category, trade and standard class hours. Levels are left for the
/// county to set where a course certifies one.
const COURSES: &[(&str, &str, &str, &str, &str, i64)] = &[
    (
        "cooking",
        "中式烹饪",
        "Chinese cooking",
        "national_standard",
        "中式烹调师",
        200,
    ),
    (
        "motorcycle_repair",
        "摩托车维修",
        "Motorcycle repair",
        "job_skill",
        "摩托车修理工",
        160,
    ),
    (
        "ethnic_clothing",
        "民族服装制作",
        "Ethnic clothing making",
        "heritage_craft",
        "民族服装制作",
        160,
    ),
    (
        "homestay",
        "民居接待",
        "Homestay hospitality",
        "job_skill",
        "民宿服务员",
        80,
    ),
    ("sewing", "缝纫", "Sewing", "specific_skill", "缝纫工", 120),
    (
        "electrician",
        "电工",
        "Electrician",
        "national_standard",
        "电工",
        240,
    ),
    (
        "ecommerce",
        "电子商务",
        "E-commerce",
        "job_skill",
        "电子商务师",
        80,
    ),
];

/// Version 4 (training rosters): the seeded courses get their category,
/// trade and standard hours, unless someone has edited them since; the
/// training wishes are made from the visits already here.
fn seed_v4(tx: &Transaction) -> HookResult {
    for (code, _, _, category, trade, hours) in COURSES {
        tx.execute(
            "UPDATE course SET category = ?2, trade = ?3, standard_hours = ?4
             WHERE id = ?1 AND updated_at = ?5",
            (
                seed_id(Course::TABLE.name, code).to_string(),
                category,
                trade,
                hours,
                SEED_TIME,
            ),
        )?;
    }
    // Every living person's training wishes from their latest answers.
    tx.execute_batch(super::training::REBUILD_WISHES)?;
    Ok(())
}

const POST_TYPES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "sanitation",
        "乡村环卫工",
        "",
        "Village sanitation worker",
        "housing",
    ),
    (
        "road_maintainer",
        "道路养护员",
        "",
        "Road maintainer",
        "transport",
    ),
    // The glossary's term, marked there as awaiting review.
    (
        "forest_ranger",
        "生态护林员",
        "སྐྱེ་ཁམས་ནགས་སྲུང་བ",
        "Ecological forest ranger",
        "forestry",
    ),
    (
        "cultural_worker",
        "文化员",
        "",
        "Cultural worker",
        "culture_tourism",
    ),
];

fn seed_meta(table: &str, code: &str) -> RowMeta {
    RowMeta {
        id: seed_id(table, code),
        created_at: SEED_TIME.to_owned(),
        updated_at: SEED_TIME.to_owned(),
        operator: SEED_DEVICE.to_owned(),
        device_id: SEED_DEVICE.to_owned(),
        deleted_at: None,
    }
}

fn insert_seed<E: Record>(tx: &Transaction, record: &E) -> rusqlite::Result<()> {
    tx.execute(
        &entity::insert_ignore_sql::<E>(),
        rusqlite::params_from_iter(entity::all_values(record)),
    )?;
    Ok(())
}

//! Schema versions, oldest first. A database is upgraded step by step to the
//! newest; `tests/store_migrations.rs` upgrades from every earlier version and
//! checks the data survives. Never edit a released step: add a new one.

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, M, Migrations};
use uuid::Uuid;

use crate::domain::records::{Course, PostType, RowMeta, Township};
use crate::domain::table::Record;
use crate::store::entity;

/// The newest schema version this build knows.
pub const LATEST_VERSION: usize = 4;

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
    ])
}

/// Fills the search index of version 3 with the persons already there.
fn index_v3(tx: &Transaction) -> HookResult {
    crate::store::search::rebuild(tx)?;
    Ok(())
}

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
    for (code, zh, bo, en, dept) in POST_TYPES {
        let p = PostType {
            meta: seed_meta(PostType::TABLE.name, code),
            code: (*code).to_owned(),
            name_zh: (*zh).to_owned(),
            name_bo: (*bo).to_owned(),
            name_en: (*en).to_owned(),
            department: (*dept).to_owned(),
            // About 6,000 yuan a year each, as in the report.
            default_subsidy_fen: 600_000,
        };
        insert_seed(tx, &p)?;
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
/// trade and standard hours, unless someone has edited them since.
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

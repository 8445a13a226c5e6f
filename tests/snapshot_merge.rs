//! Snapshots through the library: export, merge import, convergence of
//! databases that diverged, conflicts for review, and refusing damaged
//! snapshots with nothing written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use fieldbook::domain::codes::ALL;
use fieldbook::domain::records::*;
use fieldbook::domain::table::Kind;
use fieldbook::i18n::{Catalog, Locale};
use fieldbook::snapshot::{
    self, ConflictKind, ExportOptions, Exported, ImportReport, MANIFEST, Manifest, SnapshotError,
    auto, files,
};
use fieldbook::store::{OpenOptions, Record, Store, TABLES, execute_raw};
use rusqlite::Connection;
use rusqlite::types::Value;
use uuid::Uuid;

fn open(path: &Path) -> Store {
    let mut s = Store::open(path, OpenOptions::create()).unwrap();
    s.set_operator("扎西");
    s
}

fn demo(path: &Path, households: u32, seed: u64) -> Store {
    let mut s = open(path);
    fieldbook::demo::generate(&mut s, households, seed).unwrap();
    s
}

fn export_to(store: &Store, out: &Path) -> Exported {
    let opts = ExportOptions {
        out_dir: out.to_path_buf(),
        date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        xlsx: false,
    };
    snapshot::export(store, &Catalog::builtin(), &opts, &mut |_, _| {}).unwrap()
}

fn import(store: &mut Store, dirs: &[&Path]) -> Result<ImportReport, SnapshotError> {
    let dirs: Vec<PathBuf> = dirs.iter().map(|d| d.to_path_buf()).collect();
    snapshot::import(store, &dirs, &mut |_, _| {})
}

type Dump = BTreeMap<String, Vec<Vec<Value>>>;

/// Every row of every table of entered data, all columns, in id order.
fn dump(path: &Path) -> Dump {
    let conn = Connection::open(path).unwrap();
    TABLES
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (t.name.to_owned(), rows)
        })
        .collect()
}

fn audit_len(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn first<E: Record>(store: &Store) -> E {
    store.list_page::<E>(None, 1).unwrap().remove(0)
}

fn nth<E: Record>(store: &Store, n: usize) -> E {
    store.list_page::<E>(None, n + 1).unwrap().remove(n)
}

/// The `n`th live person (in id order) who is not the head of their
/// household: one that can be deleted alone (a household keeps its head).
fn nth_member(store: &Store, n: usize) -> Person {
    store
        .list_page::<Person>(None, 1000)
        .unwrap()
        .into_iter()
        .filter(|p| p.relation != "head")
        .nth(n)
        .unwrap()
}

fn counts<'a>(r: &'a ImportReport, table: &str) -> &'a snapshot::TableCounts {
    r.tables.iter().find(|t| t.table == table).unwrap()
}

/// A village with one household of one person, on a fresh code.
/// Up to `n` visits that can be changed: submitted and approved ones are
/// returned first (by a supervisor, with a comment), as review allows.
fn editable_visits(store: &mut Store, n: usize) -> Vec<Visit> {
    let role = store.setting("role").unwrap();
    store.set_setting("role", "supervisor").unwrap();
    let mut out = Vec::new();
    for v in store.list_page::<Visit>(None, n).unwrap() {
        let v = if matches!(v.status.as_str(), "submitted" | "approved") {
            store
                .set_visit_status(v.meta.id, "returned", "请核实")
                .unwrap()
        } else {
            v
        };
        out.push(v);
    }
    store
        .set_setting("role", role.as_deref().unwrap_or("surveyor"))
        .unwrap();
    out
}

/// A village `code` (in the township its first nine digits name), with one
/// household (its number: the code and the digits of `number`, to six) of
/// one person.
fn add_family(store: &mut Store, code: &str, number: &str, id_number: &str) -> (Uuid, Uuid, Uuid) {
    let township = store.township_by_code(&code[..9]).unwrap().unwrap();
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let number = format!("{code}{digits:0>6}");
    let number = number.as_str();
    let mut v = Village {
        meta: RowMeta::new(),
        code: code.to_owned(),
        township_id: township.meta.id,
        name_zh: format!("{code}村"),
        name_bo: "བདེ་ཆེན་གྲོང་སྡེ".to_owned(),
        exit_year: Some(2019),
    };
    store.save(&mut v).unwrap();
    let mut h = Household {
        meta: RowMeta::new(),
        number: number.to_owned(),
        village_id: v.meta.id,
        phone: "13800000000".to_owned(),
        registered_poor: true,
        exit_year: None,
    };
    store.save(&mut h).unwrap();
    let mut p = Person {
        meta: RowMeta::new(),
        household_id: h.meta.id,
        name_zh: "卓玛".to_owned(),
        name_bo: "སྒྲོལ་མ".to_owned(),
        id_number: id_number.to_owned(),
        sex: "f".to_owned(),
        relation: "head".to_owned(),
        is_labourer: true,
        ..Person::default()
    };
    store.save(&mut p).unwrap();
    (v.meta.id, h.meta.id, p.meta.id)
}

/// Cells that a spreadsheet would take for formulas, and other awkward text.
const AWKWARD: &[&str] = &[
    "=1+2",
    "+86 138 0000 0000",
    "-5",
    "@SUM(A1:A2)",
    "'quoted",
    "''",
    "'=already",
    "line two \"quoted\", comma",
    "扎西 བཀྲ་ཤིས་བདེ་ལེགས།",
];

#[test]
fn round_trip_into_an_empty_database_keeps_every_row_and_tombstone() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = dir.path().join("a.db");
    let mut a = demo(&a_path, 30, 1);
    // Tombstones of several kinds, and formula-like text in text columns.
    let v: Visit = first(&a);
    a.delete::<Visit>(v.meta.id).unwrap();
    let p = nth_member(&a, 3);
    a.delete::<Person>(p.meta.id).unwrap();
    let mut village: Village = first(&a);
    village.name_bo = "ཡར་ཀླུང་གྲོང་སྡེ".to_owned();
    a.save(&mut village).unwrap();
    // Visits open to changes: review locks the others.
    let drafts = editable_visits(&mut a, AWKWARD.len());
    for (i, text) in AWKWARD.iter().enumerate() {
        let mut p: Person = nth(&a, 5 + i);
        p.name_zh = (*text).to_owned();
        a.save(&mut p).unwrap();
        let mut v = drafts[i].clone();
        v.problems = (*text).to_owned();
        v.follow_up = format!("{text}{text}");
        a.save(&mut v).unwrap();
    }
    let exported = export_to(&a, &dir.path().join("out"));
    assert!(exported.dir.ends_with("2026-06-01"));
    assert!(exported.rows() > 500);

    // "Empty": a new database still has the seeded rows, with the same ids.
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    let report = import(&mut b, &[&exported.dir]).unwrap();
    assert_eq!(dump(&a_path), dump(&b_path));
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let townships = counts(&report, "township");
    assert_eq!((townships.inserted, townships.unchanged), (0, 16));
    assert_eq!(
        counts(&report, "person").inserted,
        dump(&a_path)["person"].len() as u64
    );
    assert!(b.get::<Person>(p.meta.id).unwrap().is_none());
    assert!(
        b.get_any::<Person>(p.meta.id)
            .unwrap()
            .unwrap()
            .meta
            .deleted_at
            .is_some()
    );
    for (i, text) in AWKWARD.iter().enumerate() {
        let p: Person = nth(&b, 5 + i);
        assert_eq!(p.name_zh, *text);
    }
    assert!(b.check().unwrap().is_ok());
    // Persons merged row by row: the search index kept in step.
    assert!(b.check_search_index().unwrap().is_ok());

    // Twice changes nothing (but is recorded).
    let before = dump(&b_path);
    let audit = audit_len(&b_path);
    let again = import(&mut b, &[&exported.dir]).unwrap();
    assert_eq!(dump(&b_path), before);
    for t in &again.tables {
        assert_eq!(
            (t.inserted, t.updated, t.conflicts),
            (0, 0, 0),
            "{}",
            t.table
        );
    }
    assert_eq!(audit_len(&b_path), audit + TABLES.len() as i64 + 1);
}

#[test]
fn diverged_databases_converge_whichever_is_imported_first() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = demo(&a_path, 20, 3);
    let mut b = open(&b_path);
    import(&mut b, &[&export_to(&a, &base).dir]).unwrap();
    assert_eq!(dump(&a_path), dump(&b_path));

    let p1: Person = nth(&a, 1);
    let p2: Person = nth(&a, 2);
    let v1: Visit = nth(&a, 1);
    let h1: Household = nth(&a, 1);
    // A edits, then B edits the same person later: B's wins everywhere.
    let mut x = p1.clone();
    x.name_zh = "A改的名字".to_owned();
    a.save(&mut x).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut y = p1.clone();
    y.name_zh = "B改的名字".to_owned();
    b.save(&mut y).unwrap();
    // Deletions on both sides, an edit of a row the other side deleted later.
    a.delete::<Visit>(v1.meta.id).unwrap();
    let mut h = h1.clone();
    h.phone = "0836-8522345".to_owned();
    b.save(&mut h).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    a.delete::<Household>(h1.meta.id).unwrap();
    b.delete::<Person>(p2.meta.id).unwrap();
    // New rows on each side.
    let (va, _, _) = add_family(&mut a, "513333100901", "A-0001", "");
    let (vb, _, _) = add_family(&mut b, "513333100902", "B-0001", "");
    drop((a, b));
    // The same instant on both sides: the greater device id wins.
    let tie = fieldbook::clock::now_utc();
    let p3: Uuid = {
        let s = open(&a_path);
        nth::<Person>(&s, 3).meta.id
    };
    for (path, name, device) in [
        (&a_path, "平局A", "device-a"),
        (&b_path, "平局B", "device-b"),
    ] {
        execute_raw(
            path,
            &format!(
                "UPDATE person SET name_zh = '{name}', updated_at = '{tie}', device_id = '{device}' WHERE id = '{p3}'"
            ),
        )
        .unwrap();
    }

    let (a, b) = (open(&a_path), open(&b_path));
    let sa = export_to(&a, &dir.path().join("from-a")).dir;
    let sb = export_to(&b, &dir.path().join("from-b")).dir;
    drop((a, b));
    let copy = |from: &Path, name: &str| {
        let to = dir.path().join(name);
        open(from).backup_to(&to).unwrap();
        to
    };
    let c1 = copy(&a_path, "c1.db");
    let c2 = copy(&b_path, "c2.db");
    import(&mut open(&c1), &[&sb]).unwrap();
    import(&mut open(&c2), &[&sa]).unwrap();
    let e1 = dir.path().join("e1.db");
    let e2 = dir.path().join("e2.db");
    let e3 = dir.path().join("e3.db");
    import(&mut open(&e1), &[&sa]).unwrap();
    import(&mut open(&e1), &[&sb]).unwrap();
    import(&mut open(&e2), &[&sb]).unwrap();
    import(&mut open(&e2), &[&sa]).unwrap();
    import(&mut open(&e3), &[&sb, &sa]).unwrap();
    let merged = dump(&c1);
    assert_eq!(merged, dump(&c2));
    assert_eq!(merged, dump(&e1));
    assert_eq!(merged, dump(&e2));
    assert_eq!(merged, dump(&e3));

    let s = open(&c1);
    assert_eq!(
        s.get::<Person>(p1.meta.id).unwrap().unwrap().name_zh,
        "B改的名字"
    );
    assert!(s.get::<Visit>(v1.meta.id).unwrap().is_none());
    assert!(s.get::<Person>(p2.meta.id).unwrap().is_none());
    // Deleted after B's edit: the later deletion wins.
    assert!(s.get::<Household>(h1.meta.id).unwrap().is_none());
    assert_eq!(s.get::<Person>(p3).unwrap().unwrap().name_zh, "平局B");
    assert!(s.get::<Village>(va).unwrap().is_some());
    assert!(s.get::<Village>(vb).unwrap().is_some());
    assert!(s.check().unwrap().is_ok());
}

/// Waits until the clock has moved on, so that the next change is later
/// (times are kept to the millisecond).
fn later() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

#[test]
fn an_edit_after_a_deletion_elsewhere_wins_and_a_deletion_after_an_edit_too_in_every_order() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = demo(&a_path, 10, 7);
    let mut b = open(&b_path);
    import(&mut b, &[&export_to(&a, &dir.path().join("base")).dir]).unwrap();
    assert_eq!(dump(&a_path), dump(&b_path));
    // Members, not heads: a household's head is deleted only with a new one.
    let x = nth_member(&a, 2);
    let y = nth_member(&a, 4);
    // A visit still open to changes (review locks submitted and approved ones).
    let v: Visit = (0..)
        .map(|i| nth::<Visit>(&a, i))
        .find(|v| fieldbook::domain::review::is_editable(&v.status))
        .unwrap();

    // First on each laptop: A deletes X and B edits Y; B deletes visit V.
    a.delete::<Person>(x.meta.id).unwrap();
    let mut y_b = y.clone();
    y_b.name_zh = "乙在B改名".to_owned();
    b.save(&mut y_b).unwrap();
    b.delete::<Visit>(v.meta.id).unwrap();
    later();
    // Later: B edits the X that A deleted, A deletes the Y that B edited,
    // and A edits the V that B deleted.
    let mut x_b = x.clone();
    x_b.name_zh = "甲在B改名".to_owned();
    b.save(&mut x_b).unwrap();
    a.delete::<Person>(y.meta.id).unwrap();
    let mut v_a = v.clone();
    v_a.follow_up = "A后来补记".to_owned();
    a.save(&mut v_a).unwrap();

    let sa = export_to(&a, &dir.path().join("from-a")).dir;
    let sb = export_to(&b, &dir.path().join("from-b")).dir;
    drop((a, b));
    // The two laptops exchange snapshots; four new databases take them in
    // every order, one import each or both in one.
    import(&mut open(&a_path), &[&sb]).unwrap();
    import(&mut open(&b_path), &[&sa]).unwrap();
    let fresh: Vec<PathBuf> = (1..=4)
        .map(|i| dir.path().join(format!("e{i}.db")))
        .collect();
    import(&mut open(&fresh[0]), &[&sa]).unwrap();
    import(&mut open(&fresh[0]), &[&sb]).unwrap();
    import(&mut open(&fresh[1]), &[&sb]).unwrap();
    import(&mut open(&fresh[1]), &[&sa]).unwrap();
    import(&mut open(&fresh[2]), &[&sa, &sb]).unwrap();
    import(&mut open(&fresh[3]), &[&sb, &sa]).unwrap();

    let merged = dump(&a_path);
    assert_eq!(dump(&b_path), merged, "both laptops end identical");
    for path in [&a_path, &b_path].into_iter().chain(&fresh) {
        assert_eq!(dump(path), merged, "{}", path.display());
        let s = open(path);
        let x_now = s.get::<Person>(x.meta.id).unwrap();
        assert_eq!(
            x_now.map(|p| p.name_zh).as_deref(),
            Some("甲在B改名"),
            "{}: B's edit came after A's deletion",
            path.display()
        );
        assert!(
            s.get::<Person>(y.meta.id).unwrap().is_none(),
            "{}: A's deletion came after B's edit",
            path.display()
        );
        let v_now = s.get::<Visit>(v.meta.id).unwrap();
        assert_eq!(
            v_now.map(|v| v.follow_up).as_deref(),
            Some("A后来补记"),
            "{}: A's edit came after B's deletion",
            path.display()
        );
        assert!(s.check().unwrap().is_ok(), "{}", path.display());
        let index = s.check_search_index().unwrap();
        assert!(index.is_ok(), "{}: {index:?}", path.display());
        assert_eq!(s.search("甲在B改名", 5).unwrap().hits.len(), 1);
        assert!(s.search("乙在B改名", 5).unwrap().hits.is_empty());
    }
}

#[test]
fn a_merged_row_that_breaks_a_check_of_its_table_is_a_rule_naming_the_column() {
    // The import checks values before merging them; the merge itself
    // still reports what SQLite refuses as a rule, not as a failure.
    use fieldbook::store::sync::{Merged, Param, Upsert};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut store = demo(&path, 2, 1);
    let answer = store
        .list_page::<VisitPerson>(None, 100)
        .unwrap()
        .into_iter()
        .find(|a| a.annual_income_fen.is_some_and(|f| f > 0))
        .expect("an answer with an income");
    // The answer as stored, every column in the table's order...
    let conn = Connection::open(&path).unwrap();
    let mut row: Vec<Value> = conn
        .query_row(
            "SELECT * FROM visit_person WHERE id = ?1",
            [answer.meta.id.to_string()],
            |r| (0..r.as_ref().column_count()).map(|i| r.get(i)).collect(),
        )
        .unwrap();
    drop(conn);
    // ...made newer, with a negative income, which the table's CHECK refuses.
    let table = VisitPerson::TABLE;
    let at = |name: &str| table.all_columns().position(|c| c.name == name).unwrap();
    row[at("updated_at")] = Value::Text("2099-01-01T00:00:00.000Z".to_owned());
    row[at("annual_income_fen")] = Value::Integer(-1);
    let params: Vec<Param<'_>> = row.iter().map(Param::from).collect();
    let merged = store
        .write(|w| w.merge_row(&Upsert::new(table), &params))
        .unwrap();
    match merged {
        Merged::Rule { detail } => assert!(detail.contains("annual_income_fen"), "{detail}"),
        other => panic!("a rule broken expected, got {other:?}"),
    }
    let kept = store.get::<VisitPerson>(answer.meta.id).unwrap().unwrap();
    assert_eq!(kept.annual_income_fen, answer.annual_income_fen);
}

#[test]
fn a_code_created_twice_is_a_conflict_skipped_with_its_dependents() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = open(&a_path);
    let mut b = open(&b_path);
    let (va, _, _) = add_family(&mut a, "513333100201", "0001", "");
    let (vb, hb, pb) = add_family(&mut b, "513333100201", "0002", "");
    // A village both laptops have (the same row), where each adds a
    // household under the same number.
    let (shared, _, _) = add_family(&mut a, "513333100299", "0001", "");
    let mut village = a.get::<Village>(shared).unwrap().unwrap();
    village.meta.updated_at.clear();
    b.save(&mut village).unwrap();
    let mut h = Household {
        meta: RowMeta::new(),
        number: "513333100299000001".to_owned(),
        village_id: shared,
        ..Household::default()
    };
    b.save(&mut h).unwrap();
    let hb2 = h.meta.id;
    let (vb_ok, _, pb_ok) = add_family(&mut b, "513333100300", "0003", "");
    let sb = export_to(&b, &dir.path().join("out")).dir;
    let report = import(&mut a, &[&sb]).unwrap();

    let unique: Vec<_> = report
        .conflicts
        .iter()
        .filter(|c| matches!(c.kind, ConflictKind::Unique { .. }))
        .collect();
    assert_eq!(unique.len(), 2, "{:?}", report.conflicts);
    let village = unique.iter().find(|c| c.table == "village").unwrap();
    assert_eq!(village.id, vb.to_string());
    assert!(village.path.ends_with("village.csv"));
    assert_eq!(village.line, 2);
    assert_eq!(
        village.kind,
        ConflictKind::Unique {
            column: "code".to_owned(),
            value: "513333100201".to_owned(),
            holder: Some(va.to_string()),
        }
    );
    let household = unique.iter().find(|c| c.table == "household").unwrap();
    assert_eq!(household.id, hb2.to_string());
    // The household of the skipped village, and its member, are skipped too.
    let skipped: Vec<&str> = report.conflicts.iter().map(|c| c.id.as_str()).collect();
    assert!(skipped.contains(&hb.to_string().as_str()));
    assert!(skipped.contains(&pb.to_string().as_str()));
    assert!(a.get_any::<Village>(vb).unwrap().is_none());
    assert!(a.get_any::<Person>(pb).unwrap().is_none());
    assert!(a.get::<Village>(vb_ok).unwrap().is_some());
    assert!(a.get::<Person>(pb_ok).unwrap().is_some());
    assert_eq!(counts(&report, "village").conflicts, 1);
    // 513333100300 is new; the shared village was there already.
    assert_eq!(counts(&report, "village").inserted, 1);
    // The member of the skipped village's household (the clashing
    // household has none).
    assert_eq!(counts(&report, "person").conflicts, 1);
    assert!(a.check().unwrap().is_ok());
    // Again: the same conflicts, nothing else changes.
    let before = dump(&a_path);
    let again = import(&mut a, &[&sb]).unwrap();
    assert_eq!(again.conflicts, report.conflicts);
    assert_eq!(dump(&a_path), before);
}

#[test]
fn a_row_that_clashes_but_is_already_here_keeps_what_hangs_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = open(&a_path);
    let mut b = open(&b_path);
    // A village both laptops have (the same row).
    let (shared, _, _) = add_family(&mut a, "513333100299", "0001", "");
    let mut village = a.get::<Village>(shared).unwrap().unwrap();
    village.meta.updated_at.clear();
    b.save(&mut village).unwrap();
    // On A a new village takes code ...298; on B the shared one is
    // renumbered to ...298 and gets a post.
    let (taken, _, _) = add_family(&mut a, "513333100298", "0001", "");
    let mut renumbered = b.get::<Village>(shared).unwrap().unwrap();
    renumbered.code = "513333100298".to_owned();
    b.save(&mut renumbered).unwrap();
    let post_type = b.post_types().unwrap().remove(0);
    let mut post = Post {
        meta: RowMeta::new(),
        post_type_id: post_type.meta.id,
        village_id: shared,
        status: "filled".to_owned(),
        required_days: 22,
        opened_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        ..Post::default()
    };
    b.save(&mut post).unwrap();
    let sb = export_to(&b, &dir.path().join("out")).dir;
    let report = import(&mut a, &[&sb]).unwrap();

    // The renumbering clashes and is skipped...
    let ids: Vec<(&str, &str)> = report
        .conflicts
        .iter()
        .map(|c| (c.table.as_str(), c.id.as_str()))
        .collect();
    assert_eq!(ids, [("village", shared.to_string().as_str())]);
    assert_eq!(
        report.conflicts[0].kind,
        ConflictKind::Unique {
            column: "code".to_owned(),
            value: "513333100298".to_owned(),
            holder: Some(taken.to_string()),
        }
    );
    assert_eq!(
        a.get::<Village>(shared).unwrap().unwrap().code,
        "513333100299"
    );
    // ...but the village is here, so the post made in it comes in.
    let merged = a.get::<Post>(post.meta.id).unwrap().expect("the post");
    assert_eq!(merged.village_id, shared);
    assert!(a.check().unwrap().is_ok());
}

#[test]
fn codes_passed_along_on_another_laptop_go_in_pass_after_pass_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = open(&a_path);
    let mut b = open(&b_path);
    let (first, _, _) = add_family(&mut a, "513333100201", "0001", "");
    let (second, _, _) = add_family(&mut a, "513333100202", "0002", "");
    let (third, _, _) = add_family(&mut a, "513333100203", "0003", "");
    for id in [first, second, third] {
        let mut v = a.get::<Village>(id).unwrap().unwrap();
        v.meta.updated_at.clear();
        b.save(&mut v).unwrap();
    }
    // On B each village takes the code of the one made after it, the
    // last a new one.
    for (id, code) in [
        (third, "513333100204"),
        (second, "513333100203"),
        (first, "513333100202"),
    ] {
        let mut v = b.get::<Village>(id).unwrap().unwrap();
        v.code = code.to_owned();
        b.save(&mut v).unwrap();
    }
    let sb = export_to(&b, &dir.path().join("out")).dir;
    let report = import(&mut a, &[&sb]).unwrap();
    // In file order the first clashes until the second has moved, which
    // clashes until the third has: all go in, one more each pass, and
    // none is a conflict.
    assert_eq!(report.conflicts, []);
    let codes =
        |s: &Store| [first, second, third].map(|id| s.get::<Village>(id).unwrap().unwrap().code);
    assert_eq!(codes(&a), ["513333100202", "513333100203", "513333100204"]);
    let c = counts(&report, "village");
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.conflicts),
        (0, 3, 0, 0)
    );
}

#[test]
fn the_same_person_under_two_ids_is_reported_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = open(&a_path);
    let mut b = open(&b_path);
    let id_number = "51333319900101009X";
    let (_, _, pa) = add_family(&mut a, "513333100201", "0001", id_number);
    let (_, _, pb) = add_family(&mut b, "513333100202", "0002", id_number);
    let sb = export_to(&b, &dir.path().join("out")).dir;
    let report = import(&mut a, &[&sb]).unwrap();
    assert!(report.conflicts.is_empty());
    assert_eq!(report.duplicates.len(), 1);
    let d = &report.duplicates[0];
    assert_eq!(d.id_number, id_number);
    let ids: Vec<&str> = d.members.iter().map(|m| m.id.as_str()).collect();
    assert!(ids.contains(&pa.to_string().as_str()) && ids.contains(&pb.to_string().as_str()));
    let from_b = d.members.iter().find(|m| m.id == pb.to_string()).unwrap();
    let (path, line) = from_b.source.clone().unwrap();
    assert!(path.ends_with("person.csv"));
    assert_eq!(line, 2);
    assert_eq!(from_b.name_bo, "སྒྲོལ་མ");
    assert!(a.get::<Person>(pa).unwrap().is_some() && a.get::<Person>(pb).unwrap().is_some());
    // Known already: not reported again.
    assert!(import(&mut a, &[&sb]).unwrap().duplicates.is_empty());
}

#[test]
fn an_import_names_its_source_and_a_deleted_holder_of_an_id_number_is_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut a = open(&a_path);
    let mut b = open(&b_path);
    let id_number = "51333319900101009X";
    let (_, _, pa) = add_family(&mut a, "513333100201", "0001", id_number);
    // On B the same number was typed for someone, who was then deleted
    // (the household kept with a new head).
    let (_, hb, pb) = add_family(&mut b, "513333100202", "0002", id_number);
    let mut head = Person {
        meta: RowMeta::new(),
        household_id: hb,
        name_zh: "次仁".to_owned(),
        relation: "head".to_owned(),
        ..Person::default()
    };
    let mut household = b.get::<Household>(hb).unwrap().unwrap();
    b.save_roster(&mut household, std::slice::from_mut(&mut head), &[pb])
        .unwrap();
    let exported = export_to(&b, &dir.path().join("out"));
    let sb = exported.dir;
    let report = import(&mut a, &[&sb]).unwrap();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    // The report says where the rows came from: B's laptop, its operator.
    let from: Vec<_> = report
        .sources
        .iter()
        .map(|s| (s.dir.as_path(), s.device_id.as_str(), s.operator.as_str()))
        .collect();
    assert_eq!(from, [(sb.as_path(), b.device_id(), "扎西")]);
    assert!(
        report.sources[0].exported_at.starts_with("20"),
        "{:?}",
        report.sources
    );
    // Both rows hold the number, but only one of them is a live person.
    assert!(a.get_any::<Person>(pb).unwrap().is_some());
    assert!(a.get::<Person>(pb).unwrap().is_none());
    assert!(a.get::<Person>(pa).unwrap().is_some());
    assert_eq!(report.duplicates, []);
}

/// Rewrites a file of a snapshot and its manifest entry, as if the snapshot
/// had been made that way (so only the content is wrong, not the checksum).
fn rewrite(dir: &Path, file: &str, edit: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
    reseal(dir, file);
}

/// Sets a file's checksum and size in its snapshot's manifest to what the
/// file now holds.
fn reseal(dir: &Path, file: &str) {
    let (sha, bytes) = files::sha256_of(&dir.join(file)).unwrap();
    let mut m = Manifest::read(dir).unwrap();
    let e = m.files.iter_mut().find(|e| e.file == file).unwrap();
    e.sha256 = sha;
    e.bytes = bytes;
    fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn a_damaged_snapshot_is_refused_naming_file_line_and_column_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 8, 5);
    let good = export_to(&a, &dir.path().join("out")).dir;
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    add_family(&mut b, "513333100201", "X-1", "");
    let before = dump(&b_path);
    let audit = audit_len(&b_path);
    let case = |name: &str| {
        let d = dir.path().join(name);
        copy_dir(&good, &d);
        d
    };
    let mut refused = |d: &Path| -> String {
        let e = import(&mut b, &[&good, d]).unwrap_err();
        e.to_string()
    };

    // A byte changed after the export: the checksum.
    let d = case("flipped");
    let p = d.join("person.csv");
    let mut bytes = fs::read(&p).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    fs::write(&p, bytes).unwrap();
    let msg = refused(&d);
    assert!(
        msg.contains("person.csv") && msg.contains("checksum"),
        "{msg}"
    );

    // A checksum changed in the manifest.
    let d = case("manifest");
    let mut m = Manifest::read(&d).unwrap();
    m.files[1].sha256 = "0".repeat(64);
    fs::write(d.join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
    let msg = refused(&d);
    assert!(
        msg.contains("village.csv") && msg.contains("checksum"),
        "{msg}"
    );

    // A malformed value: line and column named.
    let d = case("bad-date");
    rewrite(&d, "person.csv", |t| {
        let mut lines: Vec<String> = t.split("\r\n").map(str::to_owned).collect();
        let cells: Vec<&str> = lines[3].split(',').collect();
        let mut cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        cells[12] = "1990-02-30".to_owned();
        lines[3] = cells.join(",");
        lines.join("\r\n")
    });
    let msg = refused(&d);
    assert!(
        msg.contains("person.csv: line 4, column 13 (birth_date)") && msg.contains("1990-02-30"),
        "{msg}"
    );

    // An unknown column, a missing column.
    let d = case("unknown-column");
    rewrite(&d, "household.csv", |t| t.replacen("phone", "telephone", 1));
    let msg = refused(&d);
    assert!(
        msg.contains("household.csv: line 1, column 9") && msg.contains("telephone"),
        "{msg}"
    );

    // A reference to a household that exists nowhere.
    let d = case("broken-reference");
    let nowhere = Uuid::now_v7().to_string();
    rewrite(&d, "visit.csv", |t| {
        let mut lines: Vec<String> = t.split("\r\n").map(str::to_owned).collect();
        let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
        cells[6] = nowhere.clone();
        lines[2] = cells.join(",");
        lines.join("\r\n")
    });
    let msg = refused(&d);
    assert!(
        msg.contains("visit.csv: line 3, column 7 (household_id)") && msg.contains(&nowhere),
        "{msg}"
    );

    // A row count that does not match, a newer schema.
    let d = case("rows");
    let mut m = Manifest::read(&d).unwrap();
    m.files[2].rows += 1;
    fs::write(d.join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
    assert!(refused(&d).contains("household.csv"));
    let d = case("newer");
    let mut m = Manifest::read(&d).unwrap();
    m.schema_version = 99;
    fs::write(d.join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
    assert!(refused(&d).contains("schema 99"));
    let msg = refused(&dir.path().join("no-such-folder"));
    assert!(msg.contains("manifest.json"), "{msg}");

    // The good snapshot given alongside each bad one was not imported either.
    assert_eq!(dump(&b_path), before);
    assert_eq!(audit_len(&b_path), audit);
}

#[test]
fn the_codebook_labels_every_column_and_code_in_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 3, 1);
    let out = export_to(&a, &dir.path().join("out")).dir;
    let text = fs::read_to_string(out.join(snapshot::CODEBOOK)).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        snapshot::CODEBOOK_HEADER
    );
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let find = |file: &str, column: &str, code: &str| {
        rows.iter()
            .find(|r| r[0] == file && r[1] == column && r[3] == code)
            .unwrap_or_else(|| panic!("no codebook row for {file} {column} {code}"))
    };
    for t in TABLES {
        let file = format!("{}.csv", t.name);
        let header = fs::read_to_string(out.join(&file)).unwrap();
        let header = header
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}');
        for col in header.split(',') {
            let row = find(&file, col, "");
            assert!(!row[2].is_empty(), "{file} {col} has a kind");
            for (label, l) in row[4..7].iter().zip([Locale::Zh, Locale::Bo, Locale::En]) {
                // A Tibetan label is left empty rather than guessed; then the
                // codebook says so by an empty cell, never by the column name.
                let written = Catalog::builtin()
                    .get(l, &format!("snapshot.col.{col}"))
                    .is_some_and(|t| !t.is_empty());
                assert!(label != col, "{file} {col} label");
                assert_eq!(!label.is_empty(), written, "{file} {col} label {l:?}");
            }
        }
        // Derived columns stay out of the snapshot.
        assert!(!header.contains("head_name") && !header.contains("last_visit"));
    }
    assert_eq!(find("person.csv", "household_id", "")[2], "ref:household");
    assert_eq!(find("visit_person.csv", "annual_income_fen", "")[2], "fen");
    assert_eq!(find("visit.csv", "difficulties", "")[2], "codes:difficulty");
    let cat = Catalog::builtin();
    let coded: Vec<_> = TABLES
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| (t.name, c)))
        .filter_map(|(t, c)| c.kind.choices().map(|l| (t, c.name, l)))
        .collect();
    assert!(coded.len() >= 13, "every coded column is declared");
    for (table, column, list) in &coded {
        for code in list.codes {
            let row = find(&format!("{table}.csv"), column, code);
            let key = list.label_key(code);
            assert_eq!(row[4], cat.get(Locale::Zh, &key).unwrap());
            assert_eq!(row[5], cat.get(Locale::Bo, &key).unwrap());
            assert_eq!(row[6], cat.get(Locale::En, &key).unwrap());
        }
    }
    assert_eq!(find("person.csv", "sex", "f")[5], "མོ");
    // Every code list named in a column is one of the lists.
    assert!(coded.iter().all(|(_, _, l)| ALL.contains(l)));
    assert_eq!(
        find("visit_person.csv", "training_wanted", "")[2],
        "codes:course"
    );
    assert!(matches!(
        TABLES
            .iter()
            .find(|t| t.name == "visit")
            .unwrap()
            .column("difficulties")
            .unwrap()
            .kind,
        Kind::Codes(_)
    ));
}

#[test]
fn the_exit_snapshot_is_written_only_after_changes_and_old_ones_are_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let mut s = open(&db);
    let cat = Catalog::builtin();
    let out = auto::export_dir(&db);
    assert_eq!(out, dir.path().join("exports"));
    // A fresh database has nothing to send.
    assert_eq!(auto::on_exit(&mut s, &cat, &mut |_, _| {}).unwrap(), None);
    add_family(&mut s, "513333100201", "0001", "");
    fs::create_dir_all(out.join("2000-01-01")).unwrap();
    s.set_setting(auto::KEEP_DAYS_SETTING, "7").unwrap();
    let mut ticks = 0;
    let written = auto::on_exit(&mut s, &cat, &mut |_, _| ticks += 1)
        .unwrap()
        .unwrap();
    assert!(ticks > 0);
    assert!(written.join(MANIFEST).is_file());
    assert!(
        !out.join("2000-01-01").exists(),
        "older than 7 days: removed"
    );
    // Unchanged since: nothing to do.
    assert_eq!(auto::on_exit(&mut s, &cat, &mut |_, _| {}).unwrap(), None);
    // Changed again: the day's snapshot is replaced.
    add_family(&mut s, "513333100202", "0002", "");
    let again = auto::on_exit(&mut s, &cat, &mut |_, _| {})
        .unwrap()
        .unwrap();
    assert_eq!(again, written);
    let m = Manifest::read(&again).unwrap();
    let villages = m.files.iter().find(|f| f.file == "village.csv").unwrap();
    assert_eq!(villages.rows, 2);
    let entries: Vec<_> = fs::read_dir(&out).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary folder left");
    // Read-only: never.
    drop(s);
    execute_raw(
        &db,
        "UPDATE settings SET value = '0' WHERE key = 'snapshot_last_mark'",
    )
    .unwrap();
    let before = dump(&db);
    let mut ro = Store::open(&db, OpenOptions::read_only()).unwrap();
    assert!(!auto::due(&ro).unwrap());
    assert_eq!(auto::on_exit(&mut ro, &cat, &mut |_, _| {}).unwrap(), None);
    drop(ro);
    assert_eq!(dump(&db), before);
    assert_eq!(
        fs::read_dir(&out).unwrap().count(),
        1,
        "no snapshot written, none pruned"
    );
}

#[test]
fn every_snapshot_column_has_labels_in_every_locale() {
    let cat = Catalog::builtin();
    let mut missing = Vec::new();
    for t in TABLES {
        let mut keys = vec![format!("snapshot.table.{t}")];
        for c in t.all_columns() {
            keys.push(format!("snapshot.col.{}", c.name));
        }
        for key in keys {
            for l in Locale::ALL {
                if cat.get(l, &key).is_none() {
                    missing.push(format!("{} {key}", l.file_name()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing labels:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_large_import_leaves_the_search_index_and_the_derived_tables_whole() {
    // Enough persons (over 2,000) that the import rebuilds the search index
    // once instead of keeping it row by row and builds the person table's
    // indexes after its rows, and enough (over three chunks of 2,048) that
    // the thread making the tokens runs ahead of the writes.
    let dir = tempfile::tempdir().unwrap();
    let mut a = demo(&dir.path().join("a.db"), 1300, 9);
    let out = export_to(&a, &dir.path().join("out")).dir;

    // Refused at the last person: the indexes dropped for the load are back.
    let bad = dir.path().join("bad");
    copy_dir(&out, &bad);
    let last = fs::read_to_string(bad.join("person.csv"))
        .unwrap()
        .lines()
        .count();
    rewrite_line(&bad, "person.csv", last, |l| {
        let s = String::from_utf8(l.to_vec()).unwrap();
        let mut cells: Vec<String> = s.split(',').map(str::to_owned).collect();
        cells[11] = "x".to_owned();
        cells.join(",").into_bytes()
    });
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    let fresh_schema = schema(&b_path);
    let msg = import(&mut b, &[&bad]).unwrap_err().to_string();
    assert!(
        msg.contains(&format!("line {last}, column 12 (sex)")),
        "{msg}"
    );
    assert_eq!(schema(&b_path), fresh_schema);
    assert_eq!(b.count::<Person>().unwrap(), 0);

    let report = import(&mut b, &[&out]).unwrap();
    assert!(counts(&report, "person").inserted > 2000);
    assert!(b.check_search_index().unwrap().is_ok());
    // A bulk import sets the derived tables' triggers aside for every
    // table and makes them once at the end: the report's tallies and the
    // training wishes come out as the records say, the same as a's.
    assert!(b.check().unwrap().tallies.is_empty());
    let on = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    for year in [2025, 2026] {
        assert_eq!(
            b.report_data(year, on).unwrap().by_township,
            a.report_data(year, on).unwrap().by_township,
            "{year}"
        );
    }
    let needs = |s: &Store| {
        let mut n: Vec<(String, i64, i64)> = s
            .training_needs()
            .unwrap()
            .into_iter()
            .map(|r| (r.course_code, r.wanting, r.waiting))
            .collect();
        n.sort();
        n
    };
    assert_eq!(needs(&b), needs(&a));
    assert!(!needs(&b).is_empty());
    assert_eq!(schema(&b_path), fresh_schema);
    assert_eq!(dump(&b_path), dump(&dir.path().join("a.db")));
    let conn = Connection::open(&b_path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    // Every index answers for every row: found through person_id_number.
    let p: Person = nth(&a, 700);
    let found: String = conn
        .query_row(
            "SELECT id FROM person INDEXED BY person_id_number WHERE id_number = ?1 AND id_number <> ''",
            [&p.id_number],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(found, p.meta.id.to_string());
    // And a small one after it, row by row.
    let mut p: Person = first(&a);
    p.name_zh = "新名字".to_owned();
    a.save(&mut p).unwrap();
    let out = export_to(&a, &dir.path().join("out2")).dir;
    let report = import(&mut b, &[&out]).unwrap();
    assert_eq!(counts(&report, "person").updated, 1);
    assert!(b.check_search_index().unwrap().is_ok());
    assert!(b.check().unwrap().tallies.is_empty());
}

fn journal_mode(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

fn file_len(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

#[test]
fn the_first_import_into_a_new_database_bypasses_the_wal_and_returns_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 40, 3);
    let out = export_to(&a, &dir.path().join("out")).dir;

    // A new database: its pages are written once, not to the WAL first.
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    import(&mut b, &[&out]).unwrap();
    assert_eq!(journal_mode(&b_path), "wal");
    assert!(!sibling(&b_path, "-journal").exists());
    assert!(file_len(&b_path) > 256 * 1024, "{}", file_len(&b_path));
    assert!(
        file_len(&sibling(&b_path, "-wal")) < 64 * 1024,
        "the import went through the WAL: {} bytes",
        file_len(&sibling(&b_path, "-wal"))
    );
    assert_eq!(dump(&b_path), dump(&dir.path().join("a.db")));
    assert!(b.check_search_index().unwrap().is_ok());

    // A database with households already: through the WAL as always, so
    // that the app can go on reading while the county merges.
    let c_path = dir.path().join("c.db");
    let mut c = open(&c_path);
    add_family(&mut c, "513333100201", "X-1", "");
    let out2 = export_to(
        &demo(&dir.path().join("d.db"), 40, 4),
        &dir.path().join("out2"),
    )
    .dir;
    import(&mut c, &[&out2]).unwrap();
    assert_eq!(journal_mode(&c_path), "wal");
    assert!(file_len(&sibling(&c_path, "-wal")) > 64 * 1024);

    // A new database another connection has open: the import still lands,
    // through the WAL, and the other connection reads it.
    let e_path = dir.path().join("e.db");
    let mut e = open(&e_path);
    let reader = open(&e_path);
    import(&mut e, &[&out]).unwrap();
    assert_eq!(journal_mode(&e_path), "wal");
    assert_eq!(reader.count::<Household>().unwrap(), 40);
}

#[test]
fn a_first_import_refused_midway_leaves_the_new_database_empty_and_in_wal() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 30, 6);
    let out = export_to(&a, &dir.path().join("out")).dir;
    // The last table refers to a person no file has: found only after every
    // household and person went in.
    rewrite(&out, "employment_record.csv", |t| {
        let mut lines: Vec<String> = t.split("\r\n").map(str::to_owned).collect();
        let n = lines.len() - 2;
        let mut cells: Vec<String> = lines[n].split(',').map(str::to_owned).collect();
        let i = lines[0]
            .trim_start_matches('\u{feff}')
            .split(',')
            .position(|c| c == "person_id")
            .unwrap();
        cells[i] = Uuid::now_v7().to_string();
        lines[n] = cells.join(",");
        lines.join("\r\n")
    });
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    let before = dump(&b_path);
    let msg = import(&mut b, &[&out]).unwrap_err().to_string();
    assert!(
        msg.contains("employment_record.csv") && msg.contains("person_id"),
        "{msg}"
    );
    assert_eq!(dump(&b_path), before);
    assert_eq!(b.count::<Household>().unwrap(), 0);
    assert_eq!(journal_mode(&b_path), "wal");
    assert!(!sibling(&b_path, "-journal").exists());
    // And the same snapshot, mended, goes in afterwards.
    let good = export_to(&a, &dir.path().join("good")).dir;
    import(&mut b, &[&good]).unwrap();
    assert_eq!(b.count::<Household>().unwrap(), 30);
}

/// Rewrites the bytes of line `line` (1-based, the header is line 1) of a
/// snapshot file, and its manifest entry.
fn rewrite_line(dir: &Path, file: &str, line: usize, edit: impl FnOnce(&[u8]) -> Vec<u8>) {
    let path = dir.join(file);
    let bytes = fs::read(&path).unwrap();
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    let l = &mut lines[line - 1];
    let body = l.strip_suffix(b"\r").unwrap().to_vec();
    *l = edit(&body);
    l.push(b'\r');
    fs::write(&path, lines.join(&b'\n')).unwrap();
    reseal(dir, file);
}

#[test]
fn a_bad_row_deep_in_a_file_is_named_after_earlier_batches_went_in_and_nothing_is_kept() {
    // Rows go in 64 at a time while the next are read: a bad row past the
    // first batches still stops the import, names its line, and the rows
    // written before it are rolled back.
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 40, 8);
    let good = export_to(&a, &dir.path().join("out")).dir;
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    add_family(&mut b, "513333100999", "X-1", "");
    let before = dump(&b_path);
    let case = |name: &str, line: usize, edit: &dyn Fn(&[u8]) -> Vec<u8>| {
        let d = dir.path().join(name);
        copy_dir(&good, &d);
        rewrite_line(&d, "person.csv", line, |l| edit(l));
        d
    };

    // Bytes that are not UTF-8 in the Chinese name.
    let d = case("not-utf8", 150, &|l| {
        let s = String::from_utf8(l.to_vec()).unwrap();
        let cells: Vec<&str> = s.split(',').collect();
        let mut out = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if i == 8 {
                out.extend_from_slice(b"\xff\xfe");
            } else {
                out.extend_from_slice(c.as_bytes());
            }
        }
        out
    });
    let msg = import(&mut b, &[&d]).unwrap_err().to_string();
    assert!(
        msg.contains("person.csv: line 150, column 9 (name_zh)"),
        "{msg}"
    );

    // A row with a field too few.
    let d = case("short", 130, &|l| {
        let s = String::from_utf8(l.to_vec()).unwrap();
        s.rsplit_once(',').unwrap().0.as_bytes().to_vec()
    });
    let msg = import(&mut b, &[&d]).unwrap_err().to_string();
    assert!(msg.contains("person.csv: line 130"), "{msg}");

    // A value of the wrong kind on the last line.
    let last = fs::read_to_string(good.join("person.csv"))
        .unwrap()
        .lines()
        .count();
    let d = case("last", last, &|l| {
        let s = String::from_utf8(l.to_vec()).unwrap();
        let mut cells: Vec<String> = s.split(',').map(str::to_owned).collect();
        cells[12] = "yesterday".to_owned();
        cells.join(",").into_bytes()
    });
    let msg = import(&mut b, &[&d]).unwrap_err().to_string();
    assert!(
        msg.contains(&format!("person.csv: line {last}, column 13 (birth_date)")),
        "{msg}"
    );

    assert_eq!(dump(&b_path), before);
    // The good one still goes in whole.
    let report = import(&mut b, &[&good]).unwrap();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(
        b.count::<Person>().unwrap(),
        a.count::<Person>().unwrap() + 1
    );
}

/// Every index, table and trigger of a database, as SQLite keeps them.
fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_bulk_load_lets_go_only_of_indexes_nothing_reads_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("a.db"));
    let undo = || fieldbook::store::StoreError::Migration {
        path: PathBuf::new(),
        message: "undo".to_owned(),
    };
    let seen = std::cell::RefCell::new(Vec::new());
    let undone = store.write(|w| {
        // The person triggers run unless a bulk load set them aside.
        seen.borrow_mut().push(w.drop_indexes_for_load("person")?);
        w.defer_person_index(false)?;
        seen.borrow_mut().push(w.drop_indexes_for_load("person")?);
        // The visit triggers keep the household's last visit and read
        // visit_household meanwhile: kept. No triggers on households.
        seen.borrow_mut().push(w.drop_indexes_for_load("visit")?);
        seen.borrow_mut()
            .push(w.drop_indexes_for_load("household")?);
        Err::<(), _>(undo())
    });
    // Ended by the test's own error, not by one of the steps failing.
    assert!(
        matches!(&undone, Err(fieldbook::store::StoreError::Migration { message, .. }) if message == "undo"),
        "{undone:?}"
    );
    let seen = seen.into_inner();
    assert!(seen[0].is_empty(), "{:?}", seen[0]);
    let names = |sqls: &[String]| -> Vec<String> {
        sqls.iter()
            .map(|s| s.split_whitespace().nth(2).unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&seen[1]),
        [
            "person_household",
            "person_id_number",
            "person_id_tail",
            "person_phone_tail"
        ]
    );
    assert!(seen[2].is_empty(), "{:?}", seen[2]);
    // Unique ones (the household number) stay: they catch a number held twice.
    assert!(names(&seen[3]).contains(&"household_head".to_owned()));
    assert!(seen[3].iter().all(|s| !s.contains("UNIQUE")));
    // Undone with the transaction.
    assert_eq!(schema(&dir.path().join("a.db")), {
        let fresh = dir.path().join("fresh.db");
        open(&fresh);
        schema(&fresh)
    });
}

/// Sets one cell (by column name) of data row `row` (0 = the first after
/// the header) of a snapshot file, written back with proper CSV quoting,
/// and reseals the file.
fn set_cell(dir: &Path, file: &str, row: usize, column: &str, value: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let col = records[0].iter().position(|h| h == column).unwrap();
    let mut cells: Vec<String> = records[row + 1].iter().map(str::to_owned).collect();
    cells[col] = value.to_owned();
    records[row + 1] = csv::StringRecord::from(cells);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    for r in &records {
        w.write_record(r).unwrap();
    }
    fs::write(&path, w.into_inner().unwrap()).unwrap();
    reseal(dir, file);
}

#[test]
fn every_imported_value_passes_the_forms_check_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = demo(&dir.path().join("a.db"), 6, 9);
    // A visit answer naming a course, so training_wanted has a row to
    // spoil (on a visit open to changes: review locks the others).
    let drafts: Vec<uuid::Uuid> = editable_visits(&mut a, 100)
        .into_iter()
        .map(|v| v.meta.id)
        .collect();
    let mut answer: VisitPerson = a
        .list_page::<VisitPerson>(None, 1000)
        .unwrap()
        .into_iter()
        .find(|x| drafts.contains(&x.visit_id))
        .expect("an answer of a draft visit");
    answer.training_wanted = vec!["sewing".to_owned()];
    a.save(&mut answer).unwrap();
    let good = export_to(&a, &dir.path().join("out")).dir;
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    add_family(&mut b, "513333100201", "X-1", "");
    let before = dump(&b_path);
    let audit = audit_len(&b_path);
    let row_of_answer = {
        let text = fs::read_to_string(good.join("visit_person.csv")).unwrap();
        text.lines()
            .skip(1)
            .position(|l| l.contains(&answer.meta.id.to_string()))
            .unwrap()
    };
    let nil = "00000000-0000-0000-0000-000000000000";
    let cases: &[(&str, usize, &str, &str, &str)] = &[
        // file, row, column, value, what the message must also say
        ("person.csv", 0, "id_number", "513333199001011234", "give 6"),
        ("person.csv", 1, "id_number", "ABC", "18"),
        ("person.csv", 0, "phone", "138abc45678", "“a”"),
        ("person.csv", 0, "sex", "x", "“x”"),
        (
            "person.csv",
            0,
            "name_zh",
            "扎西\u{1b}]52;c;aGk=\u{7}",
            "U+001B",
        ),
        ("person.csv", 0, "name_zh", "扎西\u{202e}", "U+202E"),
        ("household.csv", 0, "number", "", "Required"),
        ("household.csv", 0, "exit_year", "-2019", "-2019"),
        ("village.csv", 0, "exit_year", "99999", "99999"),
        ("village.csv", 0, "code", "", "Required"),
        ("household.csv", 0, "id", nil, nil),
        (
            "person.csv",
            0,
            "updated_at",
            "2099-01-01T00:00:00.000Z",
            "2099",
        ),
        (
            "visit_person.csv",
            row_of_answer,
            "training_wanted",
            "sewing no_such_course",
            "no_such_course",
        ),
    ];
    for (file, row, column, value, says) in cases {
        let d = dir.path().join(format!("case-{file}-{column}-{row}"));
        copy_dir(&good, &d);
        set_cell(&d, file, *row, column, value);
        let msg = import(&mut b, &[&d]).unwrap_err().to_string();
        let header = fs::read_to_string(good.join(file)).unwrap();
        let n = header
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .split(',')
            .position(|h| h == *column)
            .unwrap()
            + 1;
        let place = format!("{file}: line {}, column {n} ({column})", row + 2);
        assert!(
            msg.contains(&place) && msg.contains(says),
            "{file} {column}={value:?}: {msg}"
        );
        assert!(!msg.contains('\u{1b}') && !msg.contains('\u{7}'), "{msg:?}");
    }
    assert_eq!(dump(&b_path), before, "nothing was written");
    assert_eq!(audit_len(&b_path), audit);
    // The good snapshot itself goes in.
    import(&mut b, &[&good]).unwrap();
}

#[test]
fn links_and_pipes_in_a_snapshot_folder_are_named_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 3, 4);
    let good = export_to(&a, &dir.path().join("out")).dir;
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    let before = dump(&b_path);
    // A table file replaced by a link to another file with the very bytes
    // the manifest promises: still refused, as a link.
    let linked = dir.path().join("linked");
    copy_dir(&good, &linked);
    let elsewhere = dir.path().join("elsewhere.csv");
    fs::rename(linked.join("village.csv"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, linked.join("village.csv")).unwrap();
    let msg = import(&mut b, &[&linked]).unwrap_err().to_string();
    assert!(
        msg.contains("village.csv") && msg.contains("is a link"),
        "{msg}"
    );
    // The manifest itself as a link.
    let manifest_link = dir.path().join("manifest-link");
    copy_dir(&good, &manifest_link);
    fs::rename(manifest_link.join(MANIFEST), dir.path().join("m.json")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("m.json"), manifest_link.join(MANIFEST)).unwrap();
    let msg = import(&mut b, &[&manifest_link]).unwrap_err().to_string();
    assert!(msg.contains(MANIFEST) && msg.contains("is a link"), "{msg}");
    // A named pipe where a file should be: named, and no wait on it.
    let piped = dir.path().join("piped");
    copy_dir(&good, &piped);
    fs::remove_file(piped.join("person.csv")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(piped.join("person.csv"))
            .status()
            .unwrap()
            .success()
    );
    let msg = import(&mut b, &[&piped]).unwrap_err().to_string();
    assert!(
        msg.contains("person.csv") && msg.contains("named pipe"),
        "{msg}"
    );
    assert_eq!(dump(&b_path), before);
}

#[test]
fn an_id_on_two_lines_of_one_file_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 4, 2);
    let good = export_to(&a, &dir.path().join("out")).dir;
    let b_path = dir.path().join("b.db");
    let mut b = open(&b_path);
    let before = dump(&b_path);
    let d = dir.path().join("twice");
    copy_dir(&good, &d);
    // The household of line 2 again on line 4, with another phone.
    let text = fs::read_to_string(d.join("household.csv")).unwrap();
    let first_id = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    let third_id = text
        .lines()
        .nth(3)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    rewrite(&d, "household.csv", |t| {
        let mut lines: Vec<String> = t.split("\r\n").map(str::to_owned).collect();
        lines[3] = lines[3].replacen(&third_id, &first_id, 1);
        lines.join("\r\n")
    });
    let msg = import(&mut b, &[&d]).unwrap_err().to_string();
    assert!(
        msg.contains("household.csv: lines 2 and 4 have the same id") && msg.contains(&first_id),
        "{msg}"
    );
    assert_eq!(dump(&b_path), before);
}

#[test]
fn a_huge_bad_cell_is_quoted_by_its_start_and_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a.db"), 3, 2);
    let good = export_to(&a, &dir.path().join("out")).dir;
    let mut b = open(&dir.path().join("b.db"));
    let d = dir.path().join("huge");
    copy_dir(&good, &d);
    let huge = "9".repeat(1_000_000);
    set_cell(&d, "person.csv", 0, "birth_date", &huge);
    let msg = import(&mut b, &[&d]).unwrap_err().to_string();
    assert!(msg.len() < 1_000, "{} bytes of message", msg.len());
    assert!(msg.contains("1000000 characters in all"), "{msg}");
    assert!(msg.contains(&"9".repeat(40)), "{msg}");
}

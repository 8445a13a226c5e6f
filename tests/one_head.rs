//! A household with members has exactly one head, whichever path writes
//! its persons: a lone save or delete, a roster, a bulk load, a merge
//! import. The rule is checked when the transaction commits, so changing
//! the head (two saves) goes through in one transaction and a save that
//! leaves two heads, or none, is refused with nothing written.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::i18n::Catalog;
use fieldbook::snapshot::{self, ExportOptions, SnapshotError};
use fieldbook::store::{OpenOptions, Store, StoreError, execute_raw};
use rusqlite::Connection;
use tempfile::TempDir;
use uuid::Uuid;

fn open(path: &Path) -> Store {
    let mut s = Store::open(path, OpenOptions::create()).unwrap();
    s.set_operator("泽仁");
    s
}

fn fresh() -> (TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    let store = open(&path);
    (dir, path, store)
}

fn village(store: &mut Store) -> Uuid {
    let t = store.township_by_code("513333100").unwrap().unwrap();
    let mut v = Village {
        code: "513333100201".into(),
        township_id: t.meta.id,
        name_zh: "德钦村".into(),
        name_bo: "བདེ་ཆེན་གྲོང་སྡེ".into(),
        ..Default::default()
    };
    store.save(&mut v).unwrap();
    v.meta.id
}

fn person(name: &str, relation: &str) -> Person {
    Person {
        meta: RowMeta::new(),
        name_zh: name.into(),
        name_bo: "བཀྲ་ཤིས".into(),
        sex: "m".into(),
        relation: relation.into(),
        ..Default::default()
    }
}

/// A household (number ending in `n`) of the people given by relation,
/// saved as a roster; its members as stored.
fn family(
    store: &mut Store,
    village: Uuid,
    n: u32,
    relations: &[&str],
) -> (Household, Vec<Person>) {
    let mut h = Household {
        number: format!("513333100201{n:06}"),
        village_id: village,
        ..Default::default()
    };
    let mut members: Vec<Person> = relations
        .iter()
        .enumerate()
        .map(|(i, r)| person(&format!("成员{n}-{i}"), r))
        .collect();
    store.save_roster(&mut h, &mut members, &[]).unwrap();
    let members = store.members(h.meta.id).unwrap();
    (h, members)
}

fn refused_key<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { problem, .. }) => problem.key,
        other => panic!("refused expected, got {other:?}"),
    }
}

fn heads(store: &Store, household: Uuid) -> Vec<String> {
    let mut names: Vec<String> = store
        .members(household)
        .unwrap()
        .into_iter()
        .filter(|p| p.relation == "head")
        .map(|p| p.name_zh)
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_head_saved_alone_is_refused_and_nothing_is_written() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let (h, members) = family(&mut s, v, 1, &["head", "spouse"]);
    let audit = s.audit_len().unwrap();

    // A new member marked head.
    let mut newcomer = person("新来的", "head");
    newcomer.household_id = h.meta.id;
    let kept = newcomer.clone();
    assert_eq!(refused_key(s.save(&mut newcomer)), "household.error.heads");
    assert_eq!(newcomer, kept, "the record is left as it was given");
    assert_eq!(s.get_any::<Person>(newcomer.meta.id).unwrap(), None);

    // An existing member made head while the head stays.
    let mut spouse = members[1].clone();
    spouse.relation = "head".into();
    assert_eq!(refused_key(s.save(&mut spouse)), "household.error.heads");
    assert_eq!(s.members(h.meta.id).unwrap(), members);
    assert_eq!(s.audit_len().unwrap(), audit, "no audit entry either");

    // The head made something else with no other head: none left.
    let mut head = members[0].clone();
    head.relation = "parent".into();
    assert_eq!(refused_key(s.save(&mut head)), "household.error.no_head");
    assert_eq!(s.members(h.meta.id).unwrap(), members);

    // A member who is not head is added, edited and saved alone as before.
    let mut child = person("小孩", "child");
    child.household_id = h.meta.id;
    s.save(&mut child).unwrap();
    child.phone = "13912345678".into();
    s.save(&mut child).unwrap();
    assert_eq!(s.members(h.meta.id).unwrap().len(), 3);
}

#[test]
fn the_head_deleted_alone_is_refused_unless_no_member_is_left() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let (h, members) = family(&mut s, v, 1, &["head", "spouse", "child"]);
    let audit = s.audit_len().unwrap();
    assert_eq!(
        refused_key(s.delete::<Person>(members[0].meta.id)),
        "household.error.no_head"
    );
    assert_eq!(s.members(h.meta.id).unwrap(), members, "still there");
    assert_eq!(s.audit_len().unwrap(), audit);
    // Another member goes alone.
    s.delete::<Person>(members[2].meta.id).unwrap();
    assert_eq!(heads(&s, h.meta.id), ["成员1-0"]);

    // A household of one: its head is its last member, and may go.
    let (single, only) = family(&mut s, v, 2, &["head"]);
    s.delete::<Person>(only[0].meta.id).unwrap();
    assert!(s.members(single.meta.id).unwrap().is_empty());
}

#[test]
fn a_head_moved_to_another_household_is_refused_for_either_household() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let (a, a_members) = family(&mut s, v, 1, &["head", "spouse"]);
    let (b, b_members) = family(&mut s, v, 2, &["head"]);
    let (empty, _) = family(&mut s, v, 3, &[]);

    // Into an empty household: that one has its head, the old one has none.
    let mut moved = a_members[0].clone();
    moved.household_id = empty.meta.id;
    assert_eq!(refused_key(s.save(&mut moved)), "household.error.no_head");
    assert_eq!(s.members(a.meta.id).unwrap(), a_members);
    assert!(s.members(empty.meta.id).unwrap().is_empty());

    // B's only member, its head, into A: B is left empty (allowed), A has two.
    let mut moved = b_members[0].clone();
    moved.household_id = a.meta.id;
    assert_eq!(refused_key(s.save(&mut moved)), "household.error.heads");
    assert_eq!(s.members(b.meta.id).unwrap(), b_members);
    assert_eq!(s.members(a.meta.id).unwrap(), a_members);

    // A member who is not head moves alone.
    let mut spouse = a_members[1].clone();
    spouse.household_id = b.meta.id;
    s.save(&mut spouse).unwrap();
    assert_eq!(s.members(b.meta.id).unwrap().len(), 2);
}

#[test]
fn a_deleted_head_restored_beside_the_new_one_is_refused() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let (mut h, mut members) = family(&mut s, v, 1, &["head", "spouse"]);
    // The head leaves and the spouse becomes head: one roster.
    let old_head = members.remove(0);
    members[0].relation = "head".into();
    s.save_roster(&mut h, &mut members, &[old_head.meta.id])
        .unwrap();
    let mut back = s.get_any::<Person>(old_head.meta.id).unwrap().unwrap();
    back.meta.deleted_at = None;
    assert_eq!(refused_key(s.save(&mut back)), "household.error.heads");
    assert!(s.get::<Person>(old_head.meta.id).unwrap().is_none());
    // Restored as a member, it is welcome.
    back.relation = "parent".into();
    s.save(&mut back).unwrap();
    assert_eq!(heads(&s, h.meta.id), ["成员1-1"]);
}

#[test]
fn the_head_changes_in_one_transaction_of_two_saves() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let (h, members) = family(&mut s, v, 1, &["head", "spouse"]);
    let (mut old, mut new) = (members[0].clone(), members[1].clone());
    old.relation = "spouse".into();
    new.relation = "head".into();
    // Either order: between the two saves the household has two heads, or none.
    s.write(|w| {
        w.save(&mut new)?;
        w.save(&mut old)
    })
    .unwrap();
    assert_eq!(heads(&s, h.meta.id), ["成员1-1"]);
    let (mut old, mut new) = (
        s.get::<Person>(members[1].meta.id).unwrap().unwrap(),
        s.get::<Person>(members[0].meta.id).unwrap().unwrap(),
    );
    old.relation = "spouse".into();
    new.relation = "head".into();
    s.write(|w| {
        w.save(&mut old)?;
        w.save(&mut new)
    })
    .unwrap();
    assert_eq!(heads(&s, h.meta.id), ["成员1-0"]);
}

#[test]
fn save_household_keeps_one_head_too() {
    let (_dir, path, mut s) = fresh();
    let v = village(&mut s);
    let (mut h, members) = family(&mut s, v, 1, &["head", "spouse"]);
    let audit = s.audit_len().unwrap();
    // A second head in the roster given.
    let mut roster = members.clone();
    roster[1].relation = "head".into();
    let given = roster.clone();
    assert_eq!(
        refused_key(s.save_household(&mut h, &mut roster)),
        "household.error.heads"
    );
    assert_eq!(roster, given, "the roster is left as it was given");
    assert_eq!(s.members(h.meta.id).unwrap(), members);
    // A member not in the roster given stays, and is counted: the spouse
    // alone made head while the head (left out) is still head.
    let mut spouse = vec![members[1].clone()];
    spouse[0].relation = "head".into();
    assert_eq!(
        refused_key(s.save_household(&mut h, &mut spouse)),
        "household.error.heads"
    );
    // A new household of members with no head.
    let mut none = Household {
        number: "513333100201000002".into(),
        village_id: v,
        ..Default::default()
    };
    let mut kids = vec![person("甲", "child"), person("乙", "child")];
    assert_eq!(
        refused_key(s.save_household(&mut none, &mut kids)),
        "household.error.no_head"
    );
    assert_eq!(s.get_any::<Household>(none.meta.id).unwrap(), None);
    assert_eq!(s.audit_len().unwrap(), audit);

    // A household left with two heads by an older fieldbook: saving its
    // roster unchanged (either way) is refused too, until it is set right.
    drop(s);
    execute_raw(
        &path,
        &format!(
            "UPDATE person SET relation = 'head' WHERE id = '{}'",
            members[1].meta.id
        ),
    )
    .unwrap();
    let mut s = open(&path);
    let mut h = s.get::<Household>(h.meta.id).unwrap().unwrap();
    h.phone = "0836-8522345".into();
    let mut roster = s.members(h.meta.id).unwrap();
    assert_eq!(
        refused_key(s.save_household(&mut h, &mut roster)),
        "household.error.heads"
    );
    assert_eq!(
        refused_key(s.save_roster(&mut h, &mut roster, &[])),
        "household.error.heads"
    );
    roster[1].relation = "spouse".into();
    s.save_household(&mut h, &mut roster).unwrap();
    assert_eq!(heads(&s, h.meta.id), ["成员1-0"]);
}

#[test]
fn a_bulk_load_with_a_household_of_two_heads_is_refused_whole() {
    let (_dir, _path, mut s) = fresh();
    let v = village(&mut s);
    let before = s.count::<Person>().unwrap();
    // Few households (a query each) and many (one pass over the persons).
    for households in [3u32, 300] {
        let now = fieldbook::clock::now_utc();
        let r = s.write(|w| {
            for n in 0..households {
                let mut h = Household {
                    number: format!("513333100201{:06}", 100 + n),
                    village_id: v,
                    ..Default::default()
                };
                w.insert_unaudited(&mut h, &now)?;
                let last = n + 1 == households;
                for (i, relation) in ["head", if last { "head" } else { "child" }]
                    .into_iter()
                    .enumerate()
                {
                    let mut p = person(&format!("成员{n}-{i}"), relation);
                    p.household_id = h.meta.id;
                    w.insert_unaudited(&mut p, &now)?;
                }
            }
            Ok(())
        });
        assert_eq!(refused_key(r), "household.error.heads", "{households}");
        assert_eq!(s.count::<Person>().unwrap(), before);
        assert_eq!(s.count::<Household>().unwrap(), 0);
    }
}

fn export(store: &Store, out: &Path) -> PathBuf {
    let opts = ExportOptions {
        out_dir: out.to_path_buf(),
        date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        xlsx: false,
    };
    snapshot::export(store, &Catalog::builtin(), &opts, &mut |_, _| {})
        .unwrap()
        .dir
}

fn import(store: &mut Store, dir: &Path) -> Result<snapshot::ImportReport, SnapshotError> {
    snapshot::import(store, &[dir.to_path_buf()], &mut |_, _| {})
}

/// Every row of the person and household tables and the audit log's length.
fn state(path: &Path) -> (Vec<String>, i64) {
    let conn = Connection::open(path).unwrap();
    let rows = conn
        .prepare(
            "SELECT id || relation || household_id || coalesce(deleted_at, '') || updated_at \
             FROM person UNION ALL SELECT id || number || updated_at FROM household ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let audit = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    (rows, audit)
}

/// Two laptops holding the same household (head, spouse, child), A's
/// copy imported by B.
fn two_laptops(dir: &Path) -> (PathBuf, PathBuf, Household, Vec<Person>) {
    let (a_path, b_path) = (dir.join("a.db"), dir.join("b.db"));
    let mut a = open(&a_path);
    let v = village(&mut a);
    let (h, members) = family(&mut a, v, 1, &["head", "spouse", "child"]);
    let base = export(&a, &dir.join("base"));
    import(&mut open(&b_path), &base).unwrap();
    (a_path, b_path, h, members)
}

/// Makes `new_head` the head of `household` (the old head becomes
/// spouse), saving the roster in one transaction.
fn set_head(store: &mut Store, household: Uuid, new_head: Uuid) {
    let mut h = store.get::<Household>(household).unwrap().unwrap();
    let mut members = store.members(household).unwrap();
    for m in &mut members {
        if m.meta.id == new_head {
            m.relation = "head".into();
        } else if m.relation == "head" {
            m.relation = "spouse".into();
        }
    }
    store.save_roster(&mut h, &mut members, &[]).unwrap();
}

#[test]
fn a_merge_that_would_give_a_household_two_heads_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path, h, members) = two_laptops(dir.path());
    // A makes the spouse head; later B makes the child head. Row by row
    // the newer wins: the spouse (A's) and the child (B's) both head.
    set_head(&mut open(&a_path), h.meta.id, members[1].meta.id);
    std::thread::sleep(std::time::Duration::from_millis(5));
    set_head(&mut open(&b_path), h.meta.id, members[2].meta.id);
    let from_b = export(&open(&b_path), &dir.path().join("from-b"));
    let before = state(&a_path);
    let err = import(&mut open(&a_path), &from_b).unwrap_err();
    assert!(
        matches!(&err, SnapshotError::Heads { household, heads: 2 } if *household == h.number),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(&h.number), "{text}");
    assert!(text.contains("2 heads"), "{text}");
    assert!(text.contains("Nothing was imported"), "{text}");
    assert_eq!(
        state(&a_path),
        before,
        "nothing written, not even the audit"
    );
}

#[test]
fn a_merge_that_would_leave_a_household_without_its_head_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path, h, members) = two_laptops(dir.path());
    // A makes the child head; later B, where the child is a child, deletes it.
    set_head(&mut open(&a_path), h.meta.id, members[2].meta.id);
    std::thread::sleep(std::time::Duration::from_millis(5));
    open(&b_path).delete::<Person>(members[2].meta.id).unwrap();
    let from_b = export(&open(&b_path), &dir.path().join("from-b"));
    let before = state(&a_path);
    let err = import(&mut open(&a_path), &from_b).unwrap_err();
    assert!(
        matches!(&err, SnapshotError::Heads { household, heads: 0 } if *household == h.number),
        "{err:?}"
    );
    assert!(err.to_string().contains("no head"), "{err}");
    assert_eq!(state(&a_path), before);
}

#[test]
fn a_merge_that_keeps_one_head_goes_in_and_an_old_fault_left_alone_does_not_stop_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path, h, members) = two_laptops(dir.path());
    // B changes the head (one roster); A has a second household that an
    // older fieldbook left with two heads.
    set_head(&mut open(&b_path), h.meta.id, members[1].meta.id);
    let (old, old_members) = {
        let mut a = open(&a_path);
        let v = a.get::<Household>(h.meta.id).unwrap().unwrap().village_id;
        family(&mut a, v, 2, &["head", "spouse"])
    };
    execute_raw(
        &a_path,
        &format!(
            "UPDATE person SET relation = 'head' WHERE id = '{}'",
            old_members[1].meta.id
        ),
    )
    .unwrap();
    let from_b = export(&open(&b_path), &dir.path().join("from-b"));
    let mut a = open(&a_path);
    import(&mut a, &from_b).unwrap();
    assert_eq!(heads(&a, h.meta.id), ["成员1-1"]);
    assert_eq!(heads(&a, old.meta.id).len(), 2, "left as it was");
}

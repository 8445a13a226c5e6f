//! The search index: every kind of key in every script finds its person,
//! pinyin in every reading of a polyphonic surname, ranking, the result
//! row's details, and the index kept in step with every write.

use std::path::PathBuf;

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::search::{MatchKind, Query, Tier};
use fieldbook::store::{OpenOptions, Store, StoreError};
use uuid::Uuid;

#[path = "support/db.rs"]
mod db;

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    village: Village,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.db");
        let mut store = Store::open(&path, OpenOptions::create()).unwrap();
        store.set_operator("泽仁");
        let t = store.township_by_code("513333100").unwrap().unwrap();
        let mut village = Village {
            code: "513333100201".into(),
            township_id: t.meta.id,
            name_zh: "德钦村".into(),
            name_bo: "བདེ་ཆེན་གྲོང་སྡེ".into(),
            ..Default::default()
        };
        store.save(&mut village).unwrap();
        Fixture {
            _dir: dir,
            path,
            store,
            village,
        }
    }

    /// A household with these members (Chinese name, Tibetan name, ID number).
    fn household(
        &mut self,
        number: &str,
        phone: &str,
        members: &[(&str, &str, &str)],
    ) -> (Household, Vec<Person>) {
        let mut h = Household {
            number: number.into(),
            village_id: self.village.meta.id,
            phone: phone.into(),
            registered_poor: true,
            ..Default::default()
        };
        let mut people: Vec<Person> = members
            .iter()
            .enumerate()
            .map(|(i, (zh, bo, id))| Person {
                name_zh: (*zh).into(),
                name_bo: (*bo).into(),
                id_number: (*id).into(),
                relation: if i == 0 { "head" } else { "child" }.into(),
                ..Default::default()
            })
            .collect();
        self.store.save_household(&mut h, &mut people).unwrap();
        (h, people)
    }

    fn find(&self, query: &str) -> Vec<(String, String, MatchKind, Tier)> {
        self.store
            .search(query, 50)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (h.name_zh, h.name_bo, h.kind, h.tier))
            .collect()
    }

    /// The first hit for `query` has this Chinese (or, if none, Tibetan) name.
    fn first(&self, query: &str) -> (String, MatchKind, Tier) {
        let hits = self.find(query);
        let (zh, bo, kind, tier) = hits
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{query:?} found nothing"));
        (if zh.is_empty() { bo } else { zh }, kind, tier)
    }

    fn names(&self, query: &str) -> Vec<String> {
        self.find(query)
            .into_iter()
            .map(|(zh, bo, _, _)| if zh.is_empty() { bo } else { zh })
            .collect()
    }
}

const ZHAXI_ID: &str = "513333198503140113";

/// A few households with names that exercise every kind of key.
fn county() -> Fixture {
    let mut f = Fixture::new();
    f.household(
        "513333100201000001",
        "0836-8522345",
        &[
            ("扎西泽仁", "བཀྲ་ཤིས་ཚེ་རིང", ZHAXI_ID),
            ("", "སྒྲོལ་མ", ""),
            ("尼玛", "", "51333320100101009X"),
        ],
    );
    f.household(
        "513333100201000002",
        "13812345678",
        &[("张三", "", "513333199001011236"), ("张三丰", "", "")],
    );
    f.household(
        "513333100201000003",
        "",
        &[
            ("单田芳", "", ""),
            ("曾国藩", "", ""),
            ("解放", "", ""),
            ("查良镛", "", ""),
            ("仇英", "", ""),
            ("朴树", "", ""),
            ("吕布", "", ""),
        ],
    );
    f.household(
        "513333100201000004",
        "",
        &[("绛央", "འཇམ་དབྱངས", ""), ("", "བསྟན་འཛིན་རྒྱ་མཚོ", "")],
    );
    // Into the FTS index: the searches below go through it, and what is
    // saved after this through the pending list until the next fold.
    f.store.fold_search_index().unwrap();
    f
}

#[test]
fn chinese_names_whole_start_and_inside() {
    let f = county();
    assert_eq!(
        f.first("张三"),
        ("张三".into(), MatchKind::NameZh, Tier::Exact)
    );
    assert_eq!(f.names("张三"), ["张三", "张三丰"], "whole name first");
    assert_eq!(
        f.first("三丰"),
        ("张三丰".into(), MatchKind::NameZh, Tier::Inside)
    );
    assert_eq!(f.first("泽仁").0, "扎西泽仁");
    assert_eq!(f.first("西泽").0, "扎西泽仁", "any substring");
    // Full-width spaces and a stray middle dot change nothing.
    assert_eq!(f.first("张　三").0, "张三");
}

#[test]
fn pinyin_whole_spaced_capitalised_and_initials() {
    let f = county();
    for q in ["zhangsan", "zhang san", "Zhang San", "ZHANGSAN", "zs"] {
        assert_eq!(f.first(q).0, "张三", "{q}");
    }
    assert_eq!(f.first("zs").1, MatchKind::PinyinInitials);
    assert_eq!(f.first("zhangsan").2, Tier::Exact);
    assert_eq!(f.names("zhang"), ["张三", "张三丰"], "by its start");
    assert_eq!(f.first("zhaxizeren").0, "扎西泽仁");
    assert_eq!(f.first("zeren").0, "扎西泽仁", "from a later syllable");
    assert_eq!(f.first("zxzr").0, "扎西泽仁");
    assert_eq!(
        f.first("zr").0,
        "扎西泽仁",
        "initials from a later syllable"
    );
}

#[test]
fn polyphonic_surnames_are_found_by_every_reading() {
    let f = county();
    for (q, name) in [
        ("shantianfang", "单田芳"),
        ("dantianfang", "单田芳"),
        ("zengguofan", "曾国藩"),
        ("cengguofan", "曾国藩"),
        ("xiefang", "解放"),
        ("jiefang", "解放"),
        ("zhaliangyong", "查良镛"),
        ("chaliangyong", "查良镛"),
        ("qiuying", "仇英"),
        ("chouying", "仇英"),
        ("piaoshu", "朴树"),
        ("pushu", "朴树"),
        ("lvbu", "吕布"),
        ("lubu", "吕布"),
        ("lb", "吕布"),
    ] {
        assert!(f.names(q).contains(&name.to_owned()), "{q} finds {name}");
    }
    // 扎 is zha and za: both find 扎西泽仁.
    assert_eq!(f.first("zaxi").0, "扎西泽仁");
}

#[test]
fn tibetan_script_from_any_syllable_and_normalised() {
    let f = county();
    assert_eq!(
        f.first("བཀྲ་ཤིས་ཚེ་རིང"),
        ("扎西泽仁".into(), MatchKind::NameBo, Tier::Exact)
    );
    assert_eq!(f.first("བཀྲ་ཤིས").2, Tier::Prefix);
    assert_eq!(f.first("ཚེ་རིང").2, Tier::Inside);
    assert_eq!(f.first("ཤིས་ཚེ").0, "扎西泽仁");
    // A syllable typed so far.
    assert_eq!(f.first("བཀྲ་ཤ").0, "扎西泽仁");
    // A Tibetan-only person.
    assert_eq!(f.first("སྒྲོལ་མ").0, "སྒྲོལ་མ");
    // Doubled tsheg, a final shad, a space for a tsheg.
    assert_eq!(f.first("བཀྲ་་ཤིས།").0, "扎西泽仁");
    assert_eq!(f.first("བཀྲ ཤིས").0, "扎西泽仁");
    // Marks typed in another order are the same text.
    assert_eq!(f.first("རྒྱ་མཚོ").0, "བསྟན་འཛིན་རྒྱ་མཚོ");
}

#[test]
fn wylie_finds_tibetan_names_even_typed_carelessly() {
    let f = county();
    assert_eq!(
        f.first("bkra shis tshe ring"),
        ("扎西泽仁".into(), MatchKind::Wylie, Tier::Exact)
    );
    assert_eq!(f.first("bkra shis").0, "扎西泽仁");
    assert_eq!(f.first("tshe ring").0, "扎西泽仁");
    assert_eq!(f.first("sgrol ma").0, "སྒྲོལ་མ");
    // Capitals, a doubled space, a space at the end, curly apostrophes:
    // each finds the one person it means, by Wylie, first.
    for (q, zh, bo, tier) in [
        ("Bkra  Shis", "扎西泽仁", "བཀྲ་ཤིས་ཚེ་རིང", Tier::Prefix),
        ("bkra shis ", "扎西泽仁", "བཀྲ་ཤིས་ཚེ་རིང", Tier::Prefix),
        ("’jam dbyangs", "绛央", "འཇམ་དབྱངས", Tier::Exact),
        ("‘jam dbyangs", "绛央", "འཇམ་དབྱངས", Tier::Exact),
        ("ʼjam dbyangs", "绛央", "འཇམ་དབྱངས", Tier::Exact),
    ] {
        assert_eq!(
            f.find(q),
            [(zh.to_owned(), bo.to_owned(), MatchKind::Wylie, tier)],
            "{q:?}"
        );
    }
    assert_eq!(f.first("'jam dbyangs").0, "绛央");
    assert_eq!(f.first("bstan 'dzin rgya mtsho").0, "བསྟན་འཛིན་རྒྱ་མཚོ");
}

#[test]
fn id_numbers_whole_by_start_and_by_last_digits() {
    let f = county();
    assert_eq!(
        f.first(ZHAXI_ID),
        ("扎西泽仁".into(), MatchKind::IdNumber, Tier::Exact)
    );
    assert_eq!(
        f.first("51333319850314"),
        ("扎西泽仁".into(), MatchKind::IdNumber, Tier::Prefix)
    );
    assert_eq!(
        f.first("0113"),
        ("扎西泽仁".into(), MatchKind::IdNumber, Tier::Inside)
    );
    assert_eq!(f.first("40113").0, "扎西泽仁");
    assert_eq!(f.first("5133 3319 8503 1401 13").0, "扎西泽仁", "spaced");
    // The check character X, typed lower case.
    assert_eq!(f.first("51333320100101009x").0, "尼玛");
    assert_eq!(f.first("009x").0, "尼玛");
    assert!(f.find("9999").is_empty());
}

#[test]
fn household_numbers_find_the_members_in_roster_order() {
    let f = county();
    let whole = f.find("513333100201000001");
    let names: Vec<&str> = whole
        .iter()
        .map(|(zh, bo, _, _)| {
            if zh.is_empty() {
                bo.as_str()
            } else {
                zh.as_str()
            }
        })
        .collect();
    assert_eq!(names, ["扎西泽仁", "སྒྲོལ་མ", "尼玛"]);
    assert!(
        whole
            .iter()
            .all(|(_, _, k, t)| *k == MatchKind::HouseholdNumber && *t == Tier::Exact)
    );
    assert_eq!(f.first("0002").0, "张三", "by the last digits");
    assert_eq!(
        f.names("513333100201000").len(),
        14,
        "by the start: every member"
    );
}

#[test]
fn a_household_without_members_is_still_found() {
    let mut f = county();
    f.household("513333100201000099", "", &[]);
    let r = f.store.search("513333100201000099", 10).unwrap();
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].person_id, None);
    assert_eq!(r.hits[0].household_number, "513333100201000099");
}

#[test]
fn phones_of_persons_and_households_whole_and_by_last_digits() {
    let mut f = county();
    let (mut h, mut people) = f.household("513333100201000005", "", &[("拉姆", "ལྷ་མོ", "")]);
    people[0].phone = "13999999999".into();
    f.store.save_household(&mut h, &mut people).unwrap();
    assert_eq!(
        f.first("13999999999"),
        ("拉姆".into(), MatchKind::Phone, Tier::Exact)
    );
    assert_eq!(f.first("9999").0, "拉姆");
    assert_eq!(f.first("139 9999 9999").0, "拉姆");
    assert_eq!(f.first("+86 139 9999 9999").0, "拉姆");
    // A household's phone finds its members; a landline with or without its dash.
    assert_eq!(f.first("13812345678").0, "张三");
    assert_eq!(f.first("0836-8522345").0, "扎西泽仁");
    assert_eq!(f.first("08368522345").0, "扎西泽仁");
    assert_eq!(f.first("2345").0, "扎西泽仁");
    assert_eq!(f.first("8522345").0, "扎西泽仁", "more last digits");
}

#[test]
fn better_matches_rank_first_and_each_person_is_listed_once() {
    let mut f = county();
    // 张 starts 张三 and 张三丰, and is inside 小张.
    f.household("513333100201000006", "", &[("小张", "", "")]);
    let hits = f.find("张");
    let names: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(names, ["张三", "张三丰", "小张"]);
    assert_eq!(hits[2].3, Tier::Inside);
    // 扎西泽仁 matches "z" as pinyin start and as initials: listed once.
    let z = f.names("z");
    let mut unique = z.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(z.len(), unique.len(), "{z:?}");
}

#[test]
fn the_limit_is_kept_and_says_when_there_is_more() {
    let f = county();
    let r = f.store.search("513333100201000", 2).unwrap();
    assert_eq!(r.hits.len(), 2);
    assert!(r.more);
    let r = f.store.search("张三丰", 5).unwrap();
    assert_eq!(r.hits.len(), 1);
    assert!(!r.more);
    assert!(f.store.search("", 5).unwrap().hits.is_empty());
    assert!(f.store.search("!?", 5).unwrap().hits.is_empty());
}

#[test]
fn a_result_row_has_everything_its_line_shows() {
    let mut f = county();
    let (h, people) = f.household(
        "513333100201000007",
        "",
        &[("卓玛", "སྒྲོལ་མ", "513333199505050028")],
    );
    let person = people[0].meta.id;
    let types = f.store.post_types().unwrap();
    let ranger = types.iter().find(|t| t.code == "forest_ranger").unwrap();
    let mut post = Post {
        post_type_id: ranger.meta.id,
        village_id: f.village.meta.id,
        status: "filled".into(),
        required_days: 22,
        ..Default::default()
    };
    f.store.save(&mut post).unwrap();
    let mut assignment = PostAssignment {
        post_id: post.meta.id,
        person_id: person,
        start_date: d(2026, 1, 1),
        agreement_end: d(2026, 12, 31),
        ..Default::default()
    };
    f.store.save(&mut assignment).unwrap();
    let courses = f.store.courses().unwrap();
    for (i, code) in ["sewing", "cooking", "sewing"].iter().enumerate() {
        let course = courses.iter().find(|c| c.code == *code).unwrap();
        let mut s = TrainingSession {
            course_id: course.meta.id,
            period: i as i64 + 1,
            mode: "to_villages".into(),
            start_date: d(2026, 4, 1 + i as u32),
            end_date: d(2026, 4, 20),
            target_group: "poor_labourers".into(),
            capacity: 30,
            ..Default::default()
        };
        f.store.save(&mut s).unwrap();
        let mut e = Enrolment {
            session_id: s.meta.id,
            person_id: person,
            outcome: "completed".into(),
            ..Default::default()
        };
        f.store.save(&mut e).unwrap();
    }
    let mut v = Visit {
        household_id: h.meta.id,
        visit_date: d(2026, 2, 3),
        round: "2026-start".into(),
        visit_type: "annual".into(),
        status: "submitted".into(),
        ..Default::default()
    };
    f.store.save(&mut v).unwrap();

    let hit = f
        .store
        .search("513333199505050028", 5)
        .unwrap()
        .hits
        .remove(0);
    assert_eq!(hit.person_id, Some(person));
    assert_eq!(hit.name_zh, "卓玛");
    assert_eq!(hit.name_bo, "སྒྲོལ་མ");
    assert_eq!(hit.id_masked, "513333********0028");
    assert_eq!(hit.id_number, "513333199505050028");
    assert_eq!(hit.household_id, h.meta.id);
    assert_eq!(hit.household_number, "513333100201000007");
    assert_eq!(
        (hit.village_zh.as_str(), hit.village_bo.as_str()),
        ("德钦村", "བདེ་ཆེན་གྲོང་སྡེ")
    );
    assert_eq!(hit.township_zh, "色柯镇");
    let posts: Vec<&str> = hit.posts.iter().map(|p| p.zh.as_str()).collect();
    assert_eq!(posts, ["生态护林员"]);
    let trainings: Vec<&str> = hit.trainings.iter().map(|c| c.zh.as_str()).collect();
    assert_eq!(
        trainings,
        ["缝纫", "中式烹饪"],
        "oldest first, each course once"
    );
    assert_eq!(hit.last_visit, Some(d(2026, 2, 3)));

    // An ended assignment is no current post.
    assignment.end_date = Some(d(2026, 3, 1));
    assignment.end_reason = "resigned".into();
    f.store.save(&mut assignment).unwrap();
    let hit = f
        .store
        .search("513333199505050028", 5)
        .unwrap()
        .hits
        .remove(0);
    assert!(hit.posts.is_empty());
}

#[test]
fn the_index_follows_every_save_rename_and_delete() {
    let mut f = county();
    let (mut h, mut people) = f.household("513333100201000008", "", &[("达瓦", "ཟླ་བ", "")]);
    assert_eq!(f.names("dawa"), ["达瓦"]);
    people[0].name_zh = "达瓦次仁".into();
    people[0].name_bo = "ཟླ་བ་ཚེ་རིང".into();
    f.store.save_household(&mut h, &mut people).unwrap();
    assert_eq!(f.first("达瓦次仁").2, Tier::Exact);
    assert_eq!(f.first("ཟླ་བ་ཚེ་རིང").2, Tier::Exact);
    assert!(f.find("ཟླ་བ་ཚེ་རིང").len() == 1);
    // An edit that leaves the names alone leaves one entry.
    people[0].phone = "13700000000".into();
    f.store.save_household(&mut h, &mut people).unwrap();
    assert_eq!(f.names("达瓦次仁"), ["达瓦次仁"]);
    f.store.delete::<Person>(people[0].meta.id).unwrap();
    assert!(f.find("达瓦").is_empty(), "deleted: not found");
    assert!(f.find("13700000000").is_empty());
    assert!(f.store.check_search_index().unwrap().is_ok());
}

#[test]
fn a_deleted_person_folded_into_the_index_is_gone_and_check_passes() {
    let mut f = county();
    let (_, people) = f.household("513333100201000012", "", &[("达瓦", "ཟླ་བ", "")]);
    let (_, others) = f.household("513333100201000013", "", &[("格桑", "སྐལ་བཟང", "")]);
    // Both in the FTS index, then one deleted and the other renamed: two pending.
    assert_eq!(f.store.fold_search_index().unwrap(), 2);
    f.store.delete::<Person>(people[0].meta.id).unwrap();
    let mut renamed = others[0].clone();
    renamed.name_zh = "格桑卓玛".into();
    f.store.save(&mut renamed).unwrap();
    assert_eq!(f.store.check_search_index().unwrap().pending, 2);
    assert_eq!(f.store.fold_search_index().unwrap(), 2);
    let report = f.store.check_search_index().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!((report.pending, report.extra), (0, 0), "{report:?}");
    for q in ["达瓦", "dawa", "ཟླ་བ", "zla ba"] {
        assert!(f.find(q).is_empty(), "{q}: {:?}", f.find(q));
    }
    assert_eq!(f.names("格桑卓玛"), ["格桑卓玛"]);
    assert_eq!(f.names("skal bzang"), ["格桑卓玛"]);
}

#[test]
fn a_failed_transaction_leaves_the_index_as_it_was() {
    let mut f = county();
    let (_, people) = f.household("513333100201000009", "", &[("次仁", "", "")]);
    let mut renamed = people[0].clone();
    renamed.name_zh = "次仁旺姆".into();
    let result = f.store.write(|w| {
        w.save(&mut renamed)?;
        // A village that does not exist: the whole transaction fails.
        let mut bad = Household {
            number: "x".into(),
            village_id: Uuid::now_v7(),
            ..Default::default()
        };
        w.save(&mut bad)
    });
    assert!(result.is_err());
    assert!(f.find("次仁旺姆").is_empty());
    assert_eq!(f.names("次仁"), ["次仁"]);
    assert!(f.store.check_search_index().unwrap().is_ok());
}

#[test]
fn a_name_changed_by_another_program_is_found_at_once() {
    let mut f = county();
    // The sqlite3 shell, a script: no fieldbook code runs.
    let raw = rusqlite::Connection::open(&f.path).unwrap();
    raw.execute(
        "UPDATE person SET name_zh = '张四' WHERE name_zh = '张三'",
        [],
    )
    .unwrap();
    raw.execute(
        "UPDATE person SET phone = '13700000001' WHERE name_zh = '张四'",
        [],
    )
    .unwrap();
    drop(raw);
    assert_eq!(f.first("张四").0, "张四");
    assert_eq!(f.first("zhangsi").0, "张四");
    assert_eq!(
        f.names("张三"),
        ["张三丰"],
        "the old name no longer finds it"
    );
    assert_eq!(f.first("13700000001").0, "张四");
    let report = f.store.check_search_index().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.pending, 1);
    // Folded in: the same answers from the FTS index.
    assert_eq!(f.store.fold_search_index().unwrap(), 1);
    assert_eq!(f.names("张三"), ["张三丰"]);
    assert_eq!(f.first("zhangsi").0, "张四");
    assert_eq!(f.store.check_search_index().unwrap().pending, 0);
}

#[test]
fn saves_fold_the_pending_persons_in_batches() {
    let mut f = county();
    let n = fieldbook::store::search::FOLD_AT as usize + 3;
    let members: Vec<(String, String, String)> = (0..n)
        .map(|i| (format!("成员{i}"), String::new(), String::new()))
        .collect();
    let refs: Vec<(&str, &str, &str)> = members
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    f.household("513333100201000010", "", &refs);
    // One save of more than a batch: folded before it committed.
    let report = f.store.check_search_index().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.pending, 0);
    let r = f.store.search("成员1", 500).unwrap();
    assert_eq!(
        r.hits.len(),
        1 + 10 + 100 + (n - 1000),
        "成员1, 成员10-19, 成员100-199, 成员1000-"
    );
}

#[test]
fn check_finds_an_index_out_of_step_and_a_rebuild_repairs_it() {
    let mut f = county();
    assert!(f.store.check_search_index().unwrap().is_ok());
    // Someone edits names behind the index's back, its triggers dropped.
    let raw = rusqlite::Connection::open(&f.path).unwrap();
    raw.execute_batch(
        "DROP TRIGGER person_search_update;
         DROP TRIGGER person_search_insert;
         UPDATE person SET name_zh = '张四' WHERE name_zh = '张三';
         UPDATE person SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE name_zh = '仇英';",
    )
    .unwrap();
    drop(raw);
    let report = f.store.check_search_index().unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.stale.len(), 1, "{report:?}");
    assert_eq!(report.extra, 1, "{report:?}");
    f.store.rebuild_search_index().unwrap();
    assert!(f.store.check_search_index().unwrap().is_ok());
    assert_eq!(f.first("张四").0, "张四");
    assert!(f.find("qiuying").is_empty());
}

#[test]
fn a_bulk_load_indexes_everyone_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db"), OpenOptions::create()).unwrap();
    store.set_operator("tester");
    let sum = fieldbook::demo::generate(&mut store, 40, 3).unwrap();
    let report = store.check_search_index().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.persons, sum.persons);
    // Saves after the load are indexed one by one again.
    let t = store.township_by_code("513333101").unwrap().unwrap();
    let village = store.villages_of(t.meta.id).unwrap().remove(0);
    let mut h = Household {
        number: "513333101200009999".into(),
        village_id: village.meta.id,
        ..Default::default()
    };
    let mut p = [Person {
        name_zh: "格萨尔".into(),
        relation: "head".into(),
        ..Default::default()
    }];
    store.save_household(&mut h, &mut p).unwrap();
    assert_eq!(store.search("gesaer", 5).unwrap().hits.len(), 1);
    assert!(store.check_search_index().unwrap().is_ok());
}

#[test]
fn a_read_only_store_searches_and_checks_but_cannot_rebuild() {
    let mut f = county();
    // A rename not folded yet: a search reads it, a fold would write.
    let (_, people) = f.household("513333100201000011", "", &[("次仁", "", "")]);
    let mut renamed = people[0].clone();
    renamed.name_zh = "次仁旺姆".into();
    f.store.save(&mut renamed).unwrap();
    let path = f.path.clone();
    drop(f.store);
    let before = db::Image::of(&path);
    let mut ro = Store::open(&path, OpenOptions::read_only()).unwrap();
    assert_eq!(ro.search("zhangsan", 5).unwrap().hits[0].name_zh, "张三");
    assert_eq!(
        ro.search("次仁旺姆", 5).unwrap().hits[0].name_zh,
        "次仁旺姆"
    );
    let report = ro.check_search_index().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.pending, 1);
    assert!(matches!(
        ro.rebuild_search_index(),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    assert!(matches!(
        ro.fold_search_index(),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    drop(ro);
    before.assert_unchanged(&path, "a read-only store");
}

#[test]
fn queries_are_read_every_way_they_can_be() {
    let q = Query::parse("bkra shis");
    assert_eq!(q.pinyin.as_deref(), Some("bkrashis"));
    assert_eq!(q.wylie, ["བཀྲ་ཤིས"]);
    let q = Query::parse("扎西");
    assert_eq!(q.zh.as_deref(), Some("扎西"));
    assert!(q.pinyin.is_none() && q.wylie.is_empty());
    let q = Query::parse("513333 1985");
    assert_eq!(q.number.as_deref(), Some("5133331985"));
}

#[test]
fn upgrading_a_version_2_database_indexes_the_persons_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    fieldbook::store::create_at_version(&path, 2).unwrap();
    fieldbook::store::execute_raw(
        &path,
        "INSERT INTO village(id, created_at, updated_at, operator, device_id, code, township_id, name_zh)
         VALUES ('01940000-0000-7000-8000-000000000001', '2026-01-01T00:00:00.000Z',
             '2026-01-01T00:00:00.000Z', 'x', 'x', '513333100201',
             (SELECT id FROM township WHERE code = '513333100'), '德钦村');
         INSERT INTO household(id, created_at, updated_at, operator, device_id, number, village_id)
         VALUES ('01940000-0000-7000-8000-000000000002', '2026-01-01T00:00:00.000Z',
             '2026-01-01T00:00:00.000Z', 'x', 'x', '5133331002010001',
             '01940000-0000-7000-8000-000000000001');
         INSERT INTO person(id, created_at, updated_at, operator, device_id, household_id, name_zh, name_bo)
         VALUES ('01940000-0000-7000-8000-000000000003', '2026-01-01T00:00:00.000Z',
             '2026-01-01T00:00:00.000Z', 'x', 'x', '01940000-0000-7000-8000-000000000002',
             '扎西泽仁', 'བཀྲ་ཤིས་ཚེ་རིང');",
    )
    .unwrap();
    let store = Store::open(&path, OpenOptions::create()).unwrap();
    assert_eq!(
        store.search("bkra shis", 5).unwrap().hits[0].name_zh,
        "扎西泽仁"
    );
    assert_eq!(store.search("zxzr", 5).unwrap().hits.len(), 1);
    assert!(store.check_search_index().unwrap().is_ok());
}

#[test]
fn a_name_of_any_length_is_indexed_so_check_agrees() {
    let mut f = county();
    // Tens of thousands of characters, written by another program (no
    // path of fieldbook's lets such a name in): through the triggers and
    // the fold, and again after a rebuild, the index agrees with check.
    let raw = rusqlite::Connection::open(&f.path).unwrap();
    raw.execute(
        "UPDATE person SET name_zh = ?1, name_bo = ?2 WHERE name_zh = '张三'",
        (format!("长{}", "名".repeat(30_000)), "བཀྲ་ཤིས་".repeat(5_000)),
    )
    .unwrap();
    drop(raw);
    f.store.fold_search_index().unwrap();
    let report = f.store.check_search_index().unwrap();
    assert!(report.is_ok(), "after folding: {report:?}");
    f.store.rebuild_search_index().unwrap();
    let report = f.store.check_search_index().unwrap();
    assert!(report.is_ok(), "after rebuilding: {report:?}");
    assert!(f.first("长名名").0.starts_with("长名名"));
}

//! The rules of public-welfare posts, held by the store whoever saves: one
//! current post per person, one current holder per post, the holder's age,
//! the warnings acknowledged before a placement, the agreement's dates, a
//! month's attendance and subsidy, and the village check. Each test breaks
//! one rule and checks that the save is refused with its message and that
//! nothing was written.

use chrono::NaiveDate;
use fieldbook::domain::posts::{MAX_NEW_HOLDER_AGE, Month};
use fieldbook::domain::records::*;
use fieldbook::i18n::Localized;
use fieldbook::store::posts::{Assigned, Prepared};
use fieldbook::store::{OpenOptions, Store, StoreError, execute_raw};
use tempfile::TempDir;
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

/// The locale key of a refusal (its message in the user's language).
fn key(e: StoreError) -> &'static str {
    e.key_args().0
}

struct County {
    _dir: TempDir,
    path: std::path::PathBuf,
    store: Store,
    township: Township,
    village: Village,
    ranger: PostType,
    /// Two households registered poor, one not.
    poor: Vec<Person>,
    poor2: Person,
    not_poor: Person,
}

fn household(
    store: &mut Store,
    village: &Village,
    n: u32,
    poor: bool,
    people: &[(&str, NaiveDate)],
) -> Vec<Person> {
    let mut h = Household {
        meta: RowMeta::new(),
        number: format!("{}{n:06}", village.code),
        village_id: village.meta.id,
        registered_poor: poor,
        ..Household::default()
    };
    let mut members: Vec<Person> = people
        .iter()
        .enumerate()
        .map(|(i, (name, birth))| Person {
            meta: RowMeta::new(),
            household_id: h.meta.id,
            position: i as i64,
            name_zh: (*name).to_owned(),
            birth_date: Some(*birth),
            relation: if i == 0 { "head" } else { "spouse" }.to_owned(),
            ..Person::default()
        })
        .collect();
    store.save_household(&mut h, &mut members).unwrap();
    members
}

fn county() -> County {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.set_operator("卓玛");
    let township = store.townships().unwrap().remove(0);
    let mut village = Village {
        meta: RowMeta::new(),
        code: format!("{}001", township.code),
        township_id: township.meta.id,
        name_zh: "德钦村".into(),
        exit_year: Some(2019),
        ..Village::default()
    };
    store.save(&mut village).unwrap();
    let poor = household(
        &mut store,
        &village,
        1,
        true,
        &[("扎西", d(1980, 5, 1)), ("卓玛", d(1982, 6, 1))],
    );
    let poor2 = household(&mut store, &village, 2, true, &[("次仁", d(1990, 1, 1))]).remove(0);
    let not_poor = household(&mut store, &village, 3, false, &[("多吉", d(1985, 1, 1))]).remove(0);
    let ranger = store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|t| t.code == "forest_ranger")
        .unwrap();
    County {
        _dir: dir,
        path,
        store,
        township,
        village,
        ranger,
        poor,
        poor2,
        not_poor,
    }
}

impl County {
    fn post(&mut self, title: &str) -> Post {
        let mut p = Post {
            meta: RowMeta::new(),
            post_type_id: self.ranger.meta.id,
            village_id: self.village.meta.id,
            title: title.to_owned(),
            monthly_subsidy_fen: 50_000,
            required_days: 22,
            opened_on: d(2026, 1, 1),
            ..Post::default()
        };
        self.store.save_post(&mut p).unwrap();
        p
    }

    fn agreement(post: &Post, person: &Person, start: NaiveDate) -> PostAssignment {
        PostAssignment {
            meta: RowMeta::new(),
            post_id: post.meta.id,
            person_id: person.meta.id,
            start_date: start,
            agreement_end: fieldbook::domain::posts::default_agreement_end(start),
            ..PostAssignment::default()
        }
    }

    /// Places `person` in `post` from `start`, acknowledging warnings.
    fn assign(
        &mut self,
        post: &Post,
        person: &Person,
        start: NaiveDate,
    ) -> Result<PostAssignment, StoreError> {
        let mut a = Self::agreement(post, person, start);
        match self.store.assign(&mut a, true)? {
            Assigned::Saved => Ok(a),
            Assigned::Warnings(w) => panic!("warnings though acknowledged: {w:?}"),
        }
    }

    /// Assignments of the four people of the fixture's households.
    fn assignments(&self) -> usize {
        let mut people = self.poor.clone();
        people.extend([self.poor2.clone(), self.not_poor.clone()]);
        people
            .iter()
            .map(|p| self.store.posts_of_person(p.meta.id).unwrap().len())
            .sum()
    }
}

#[test]
fn a_person_holds_one_post_at_a_time_whoever_saves() {
    let mut c = county();
    let (p1, p2) = (c.post("一号护林员"), c.post("二号护林员"));
    let tashi = c.poor[0].clone();
    let first = c.assign(&p1, &tashi, d(2026, 1, 1)).unwrap();
    // Through the placement, through a plain save, and through SQL.
    let e = c.assign(&p2, &tashi, d(2026, 3, 1)).unwrap_err();
    assert_eq!(key(e), "assignment.error.person_holds");
    let e = c
        .store
        .save(&mut County::agreement(&p2, &tashi, d(2026, 3, 1)))
        .unwrap_err();
    assert_eq!(key(e), "assignment.error.person_holds");
    assert_eq!(c.assignments(), 1, "nothing saved");
    let raw = format!(
        "INSERT INTO post_assignment(id, created_at, updated_at, operator, device_id, post_id, person_id,
             start_date, end_reason, agreement_end)
         VALUES ('{}', 'x', 'x', 'x', 'x', '{}', '{}', '2026-03-01', '', '2027-02-28');",
        Uuid::now_v7(),
        p2.meta.id,
        tashi.meta.id
    );
    assert!(
        execute_raw(&c.path, &raw).is_err(),
        "the schema holds it too"
    );
    // An earlier period that overlaps a later one is refused as well.
    let e = c
        .store
        .save(&mut County::agreement(&p2, &tashi, d(2025, 6, 1)))
        .unwrap_err();
    assert_eq!(key(e), "assignment.error.person_holds");
    // Ended, the person may take another post from the next day.
    c.store
        .end_assignment(first.meta.id, d(2026, 2, 28), "substitute")
        .unwrap();
    let e = c.assign(&p2, &tashi, d(2026, 2, 15)).unwrap_err();
    assert_eq!(key(e), "assignment.error.person_held_then");
    c.assign(&p2, &tashi, d(2026, 3, 1)).unwrap();
    let history = c.store.posts_of_person(tashi.meta.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].assignment.post_id, p2.meta.id, "newest first");
    assert_eq!(history[1].assignment.end_reason, "substitute");
}

#[test]
fn a_post_has_one_current_holder_whoever_saves() {
    let mut c = county();
    let p = c.post("护林员");
    let (tashi, tsering) = (c.poor[0].clone(), c.poor2.clone());
    let first = c.assign(&p, &tashi, d(2026, 1, 1)).unwrap();
    assert_eq!(
        c.store.post_row(p.meta.id).unwrap().unwrap().post.status,
        "filled"
    );
    let e = c.assign(&p, &tsering, d(2026, 4, 1)).unwrap_err();
    assert_eq!(key(e), "assignment.error.post_held");
    let e = c
        .store
        .save(&mut County::agreement(&p, &tsering, d(2026, 4, 1)))
        .unwrap_err();
    assert_eq!(key(e), "assignment.error.post_held");
    assert_eq!(c.assignments(), 1);
    // A post cannot close while held.
    let mut post = c.store.get::<Post>(p.meta.id).unwrap().unwrap();
    post.closed_on = Some(d(2026, 6, 30));
    assert_eq!(
        key(c.store.save_post(&mut post).unwrap_err()),
        "post.error.close_held"
    );
    // End, reassign: the post's history has both, newest first.
    c.store
        .end_assignment(first.meta.id, d(2026, 3, 31), "stable_work")
        .unwrap();
    assert_eq!(
        c.store.post_row(p.meta.id).unwrap().unwrap().post.status,
        "open"
    );
    c.assign(&p, &tsering, d(2026, 4, 1)).unwrap();
    let history = c.store.holders_of_post(p.meta.id).unwrap();
    let names: Vec<&str> = history.iter().map(|h| h.person.zh.as_str()).collect();
    assert_eq!(names, ["次仁", "扎西"]);
    assert_eq!(
        c.store.post_row(p.meta.id).unwrap().unwrap().post.status,
        "filled"
    );
}

#[test]
fn an_agreement_ends_after_it_starts_and_a_holder_who_left_says_why() {
    let mut c = county();
    let p = c.post("护林员");
    let tashi = c.poor[0].clone();
    let mut a = County::agreement(&p, &tashi, d(2026, 5, 1));
    a.agreement_end = d(2026, 4, 30);
    assert_eq!(
        key(c.store.assign(&mut a, true).unwrap_err()),
        "rule.date.end_before_start"
    );
    let a = c.assign(&p, &tashi, d(2026, 5, 1)).unwrap();
    let e = c
        .store
        .end_assignment(a.meta.id, d(2026, 4, 1), "resigned")
        .unwrap_err();
    assert_eq!(key(e), "rule.date.end_before_start");
    let e = c
        .store
        .end_assignment(a.meta.id, d(2026, 6, 1), "")
        .unwrap_err();
    assert_eq!(key(e), "assignment.error.reason_required");
    let e = c
        .store
        .end_assignment(a.meta.id, d(2026, 6, 1), "bored")
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid { .. }), "{e:?}");
    let still = c.store.get::<PostAssignment>(a.meta.id).unwrap().unwrap();
    assert_eq!((still.end_date, still.end_reason.as_str()), (None, ""));
}

#[test]
fn holders_are_16_or_over_and_new_ones_not_over_the_setting() {
    let mut c = county();
    let p = c.post("护林员");
    let v = c.village.clone();
    let young = household(&mut c.store, &v, 4, true, &[("小明", d(2010, 6, 2))]).remove(0);
    let old = household(&mut c.store, &v, 5, true, &[("老王", d(1964, 1, 1))]).remove(0);
    let e = c.assign(&p, &young, d(2026, 6, 1)).unwrap_err();
    assert_eq!(key(e), "assignment.error.too_young");
    // The day they turn 16 they may.
    let a = c.assign(&p, &young, d(2026, 6, 2)).unwrap();
    c.store
        .end_assignment(a.meta.id, d(2026, 6, 30), "school_or_army")
        .unwrap();
    // 62 on the first day: over 60, refused; allowed once the county sets 65.
    let e = c.assign(&p, &old, d(2026, 7, 1)).unwrap_err();
    assert_eq!(key(e), "assignment.error.too_old");
    assert_eq!(c.store.post_setting(MAX_NEW_HOLDER_AGE).unwrap(), 60);
    assert!(c.store.set_post_setting(MAX_NEW_HOLDER_AGE, 66).is_err());
    c.store.set_post_setting(MAX_NEW_HOLDER_AGE, 65).unwrap();
    c.assign(&p, &old, d(2026, 7, 1)).unwrap();
}

#[test]
fn warnings_are_acknowledged_before_a_placement_is_saved() {
    let mut c = county();
    let (p1, p2) = (c.post("一号"), c.post("二号"));
    let not_poor = c.not_poor.clone();
    let mut a = County::agreement(&p1, &not_poor, d(2026, 1, 1));
    let Assigned::Warnings(w) = c.store.assign(&mut a, false).unwrap() else {
        panic!("saved without asking");
    };
    assert_eq!(
        w.iter().map(|p| p.key).collect::<Vec<_>>(),
        ["assignment.warning.not_poor"]
    );
    assert_eq!(c.assignments(), 0, "nothing saved before the key");
    assert_eq!(c.store.assign(&mut a, true).unwrap(), Assigned::Saved);
    // Another member of the household holds a post.
    let (tashi, dolma) = (c.poor[0].clone(), c.poor[1].clone());
    c.assign(&p2, &tashi, d(2026, 1, 1)).unwrap();
    let p3 = c.post("三号");
    let mut b = County::agreement(&p3, &dolma, d(2026, 2, 1));
    let Assigned::Warnings(w) = c.store.assign(&mut b, false).unwrap() else {
        panic!("saved without asking");
    };
    assert_eq!(
        w.iter().map(|p| p.key).collect::<Vec<_>>(),
        ["assignment.warning.household_holds"]
    );
    assert_eq!(c.assignments(), 2);
}

/// Attendance for November 2026 (30 days) in the village: a whole month,
/// 15 days, and a holder whose agreement starts on the 15th (16 days in).
fn november(c: &mut County) -> (PostAssignment, PostAssignment, PostAssignment) {
    let (p1, p2, p3) = (c.post("1号"), c.post("2号"), c.post("3号"));
    let (tashi, tsering, dorje) = (c.poor[0].clone(), c.poor2.clone(), c.not_poor.clone());
    let a = c.assign(&p1, &tashi, d(2026, 1, 1)).unwrap();
    let b = c.assign(&p2, &tsering, d(2026, 1, 1)).unwrap();
    let m = c.assign(&p3, &dorje, d(2026, 11, 15)).unwrap();
    (a, b, m)
}

#[test]
fn a_months_payroll_is_prepared_from_attendance_in_exact_fen() {
    let mut c = county();
    let (a, b, m) = november(&mut c);
    let nov = month("2026-11");
    let sheet = c.store.attendance_sheet(c.village.meta.id, nov).unwrap();
    assert_eq!(sheet.len(), 3);
    c.store
        .save_attendance(
            nov,
            &[
                (a.meta.id, Some(22)),
                (b.meta.id, Some(15)),
                (m.meta.id, Some(20)),
            ],
        )
        .unwrap();
    let prepared = c.store.prepare_payroll(c.township.meta.id, nov).unwrap();
    // 500 yuan ÷ 22 × days: 22 → 500.00; 15 → 340.909 → 340.91; the
    // mid-month holder worked 20 but only 16 days are in the agreement:
    // 16 → 363.636 → 363.64.
    assert_eq!(
        prepared,
        Prepared {
            created: 3,
            total_fen: 50_000 + 34_091 + 36_364,
            ..Prepared::default()
        }
    );
    let lines = c.store.payroll(Some(c.township.meta.id), nov).unwrap();
    let amounts: Vec<(i64, i64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l.payment.days_worked,
                l.payment.days_counted,
                l.payment.amount_fen,
            )
        })
        .collect();
    assert_eq!(
        amounts,
        [(22, 22, 50_000), (15, 15, 34_091), (20, 16, 36_364)]
    );
    assert_eq!(lines[2].start, d(2026, 11, 15));
    // Paid: the date and card reference recorded; preparing again changes nothing.
    let n = c
        .store
        .mark_paid(
            c.township.meta.id,
            nov,
            None,
            d(2026, 12, 5),
            "social_security_card",
            "SD-2026-11",
        )
        .unwrap();
    assert_eq!(n, 3);
    let again = c.store.prepare_payroll(c.township.meta.id, nov).unwrap();
    assert_eq!((again.created, again.updated, again.paid), (0, 0, 3));
    // Attendance of a paid month is final.
    let e = c
        .store
        .save_attendance(nov, &[(a.meta.id, Some(10))])
        .unwrap_err();
    assert_eq!(key(e), "post_attendance.error.paid");
}

#[test]
fn bad_months_are_refused_and_nothing_is_saved() {
    let mut c = county();
    let (a, _, m) = november(&mut c);
    let (nov, feb) = (month("2026-11"), month("2026-02"));
    // Days above the days of the month (February 2026 has 28).
    let e = c
        .store
        .save_attendance(feb, &[(a.meta.id, Some(29))])
        .unwrap_err();
    assert_eq!(key(e), "post_attendance.error.days");
    // A month outside the agreement (it starts on 15 November).
    let e = c
        .store
        .save_attendance(month("2026-10"), &[(m.meta.id, Some(5))])
        .unwrap_err();
    assert_eq!(key(e), "post_attendance.error.outside_agreement");
    // A sheet is saved whole or not at all.
    let e = c
        .store
        .save_attendance(nov, &[(a.meta.id, Some(20)), (m.meta.id, Some(31))])
        .unwrap_err();
    assert_eq!(key(e), "post_attendance.error.days");
    assert!(
        c.store
            .attendance_sheet(c.village.meta.id, nov)
            .unwrap()
            .iter()
            .all(|l| l.attendance.is_none())
    );
    // A payment outside the agreement, and a month paid twice.
    let mut pay = SubsidyPayment {
        meta: RowMeta::new(),
        assignment_id: m.meta.id,
        month: "2026-10".into(),
        amount_fen: 50_000,
        ..SubsidyPayment::default()
    };
    assert_eq!(
        key(c.store.save(&mut pay).unwrap_err()),
        "payment.error.outside_agreement"
    );
    pay.month = "2026-11".into();
    c.store.save(&mut pay).unwrap();
    let mut twice = SubsidyPayment {
        meta: RowMeta::new(),
        ..pay.clone()
    };
    assert_eq!(
        key(c.store.save(&mut twice).unwrap_err()),
        "payment.error.twice"
    );
    // Paid, an entry is final.
    c.store
        .mark_paid(
            c.township.meta.id,
            nov,
            Some(pay.meta.id),
            d(2026, 12, 1),
            "bank",
            "B1",
        )
        .unwrap();
    let mut paid = c.store.get::<SubsidyPayment>(pay.meta.id).unwrap().unwrap();
    paid.amount_fen = 1;
    assert_eq!(
        key(c.store.save(&mut paid).unwrap_err()),
        "payment.error.paid_final"
    );
    // An agreement cannot be shortened to leave a paid month outside it.
    let e = c
        .store
        .end_assignment(m.meta.id, d(2026, 11, 16), "resigned");
    assert!(e.is_ok(), "November is still inside: {e:?}");
}

#[test]
fn the_village_check_lists_exited_villages_with_fewer_than_five_posts() {
    let mut c = county();
    for i in 0..4 {
        c.post(&format!("{i}号"));
    }
    let mut other = Village {
        meta: RowMeta::new(),
        code: format!("{}002", c.township.code),
        township_id: c.township.meta.id,
        name_zh: "色尔坝村".into(),
        exit_year: None,
        ..Village::default()
    };
    c.store.save(&mut other).unwrap();
    let below = c.store.village_posts(None, Some(5)).unwrap();
    assert_eq!(
        below.len(),
        1,
        "a village that has not exited is not checked"
    );
    assert_eq!(
        (below[0].code.as_str(), below[0].posts),
        (c.village.code.as_str(), 4)
    );
    c.post("5号");
    assert!(c.store.village_posts(None, Some(5)).unwrap().is_empty());
}

/// A post id whose place in the list's order is `n` (ids are compared as text).
fn post_id(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-7000-8000-{n:012}")).unwrap()
}

/// The titles of a page of the posts list.
fn titles(rows: &[fieldbook::store::posts::PostRow]) -> Vec<&str> {
    rows.iter().map(|r| r.post.title.as_str()).collect()
}

#[test]
fn the_posts_list_is_read_one_page_at_a_time_in_village_and_post_order() {
    use fieldbook::store::households::{Page, PageKey};
    use fieldbook::store::posts::PostsQuery;
    let mut c = county();
    let townships = c.store.townships().unwrap();
    let mut place = |code: String, township: &Township| {
        let mut v = Village {
            meta: RowMeta::new(),
            code,
            township_id: township.meta.id,
            name_zh: "村".into(),
            ..Village::default()
        };
        c.store.save(&mut v).unwrap();
        v
    };
    // Villages 001 and 002 in the first township, 9xx in the second.
    let b = place(format!("{}002", c.township.code), &townships[0]);
    let other = place(format!("{}900", townships[1].code), &townships[1]);
    let a = c.village.clone();
    let types = c.store.post_types().unwrap();
    let road = types.iter().find(|t| t.code == "road_maintainer").unwrap();
    let funding = c.store.funding_sources().unwrap();
    // Saved out of order: the list is ordered by village code, then id
    // (B1's id is below A2's).
    let mut saved = Vec::new();
    for (n, title, village, post_type) in [
        (4, "B2", &b, &c.ranger),
        (2, "A2", &a, &c.ranger),
        (7, "C2", &other, &c.ranger),
        (3, "A3", &a, &c.ranger),
        (5, "C1", &other, road),
        (0, "A1", &a, &c.ranger),
        (1, "B1", &b, &c.ranger),
        (6, "A4", &a, &c.ranger),
    ] {
        let mut p = Post {
            meta: RowMeta::with_id(post_id(n)),
            post_type_id: post_type.meta.id,
            village_id: village.meta.id,
            title: title.to_owned(),
            funding_source_id: Some(funding[if title == "B2" { 1 } else { 0 }].meta.id),
            monthly_subsidy_fen: 50_000,
            required_days: 22,
            opened_on: d(2026, 1, 1),
            ..Post::default()
        };
        c.store.save_post(&mut p).unwrap();
        saved.push(p);
    }
    let by_title = |t: &str| saved.iter().find(|p| p.title == t).unwrap().clone();
    // A4 is deleted, A2 held, A3 closed: three kinds of not vacant.
    c.store.delete::<Post>(by_title("A4").meta.id).unwrap();
    let poor = c.poor[0].clone();
    c.assign(&by_title("A2"), &poor, d(2026, 3, 1)).unwrap();
    let mut a3 = by_title("A3");
    a3.closed_on = Some(d(2026, 6, 30));
    c.store.save_post(&mut a3).unwrap();

    let all = PostsQuery::default();
    let s = &c.store;
    let key = |t: &str| {
        let row = s.post_row(by_title(t).meta.id).unwrap().unwrap();
        row.key()
    };
    assert_eq!(s.posts_count(&all).unwrap(), 7);
    let first = s.posts_page(&all, Page::First, 3).unwrap();
    assert_eq!(titles(&first), ["A1", "A2", "A3"], "exactly the page");
    assert_eq!(
        first[1].holder.as_ref().map(|h| h.name.zh.as_str()),
        Some("扎西")
    );
    let next = s.posts_page(&all, Page::After(&key("A3")), 3).unwrap();
    assert_eq!(titles(&next), ["B1", "B2", "C1"]);
    let rest = s.posts_page(&all, Page::After(&key("C1")), 3).unwrap();
    assert_eq!(titles(&rest), ["C2"]);
    assert!(
        s.posts_page(&all, Page::After(&key("C2")), 3)
            .unwrap()
            .is_empty()
    );
    let last = s.posts_page(&all, Page::Last, 2).unwrap();
    assert_eq!(titles(&last), ["C1", "C2"], "the end, in list order");
    let before = s.posts_page(&all, Page::Before(&key("B2")), 2).unwrap();
    assert_eq!(titles(&before), ["A3", "B1"]);
    assert!(
        s.posts_page(&all, Page::Before(&key("A1")), 2)
            .unwrap()
            .is_empty()
    );
    // A key inside a village continues within it, then into the next.
    let within = s.posts_page(&all, Page::After(&key("A1")), 3).unwrap();
    assert_eq!(titles(&within), ["A2", "A3", "B1"]);
    let back = s.posts_page(&all, Page::Before(&key("C1")), 1).unwrap();
    assert_eq!(titles(&back), ["B2"]);

    // Every filter counts and pages the same posts.
    let check = |q: PostsQuery, n: u64, page: &[&str]| {
        assert_eq!(s.posts_count(&q).unwrap(), n, "{q:?}");
        assert_eq!(
            titles(&s.posts_page(&q, Page::First, 3).unwrap()),
            page,
            "{q:?}"
        );
    };
    let township = |t: &Township| Some(t.meta.id);
    check(
        PostsQuery {
            township_id: township(&townships[0]),
            ..PostsQuery::default()
        },
        5,
        &["A1", "A2", "A3"],
    );
    check(
        PostsQuery {
            township_id: township(&townships[1]),
            ..PostsQuery::default()
        },
        2,
        &["C1", "C2"],
    );
    check(
        PostsQuery {
            township_id: township(&townships[0]),
            village_id: Some(b.meta.id),
            ..PostsQuery::default()
        },
        2,
        &["B1", "B2"],
    );
    check(
        PostsQuery {
            post_type_id: Some(road.meta.id),
            ..PostsQuery::default()
        },
        1,
        &["C1"],
    );
    check(
        PostsQuery {
            department: Some("forestry".into()),
            ..PostsQuery::default()
        },
        6,
        &["A1", "A2", "A3"],
    );
    check(
        PostsQuery {
            department: Some("transport".into()),
            ..PostsQuery::default()
        },
        1,
        &["C1"],
    );
    check(
        PostsQuery {
            funding_source_id: Some(funding[1].meta.id),
            ..PostsQuery::default()
        },
        1,
        &["B2"],
    );
    check(
        PostsQuery {
            vacant_only: true,
            ..PostsQuery::default()
        },
        5,
        &["A1", "B1", "B2"],
    );
    check(
        PostsQuery {
            township_id: township(&townships[1]),
            department: Some("forestry".into()),
            vacant_only: true,
            ..PostsQuery::default()
        },
        1,
        &["C2"],
    );
    // The vacancies, a page at a time.
    let vacant = PostsQuery {
        vacant_only: true,
        ..PostsQuery::default()
    };
    let after = s.posts_page(&vacant, Page::After(&key("B1")), 2).unwrap();
    assert_eq!(titles(&after), ["B2", "C1"]);
    let before = s
        .posts_page(
            &vacant,
            Page::Before(&PageKey {
                sort: other.code.clone(),
                number: String::new(),
            }),
            3,
        )
        .unwrap();
    assert_eq!(titles(&before), ["A1", "B1", "B2"]);
}

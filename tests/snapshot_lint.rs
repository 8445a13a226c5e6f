//! The accepted screen snapshots cannot hold a wrong screen. Every file
//! `tests/snapshots/NAME@LANG.snap` (LANG: zh, bo, zh_bo, en) is read as the
//! screen it is, and fails, naming file, line and text, on:
//! - `raw`: a locale key (`code.sex.m`, `form.`) or a stored code
//!   (`not_employed`, `2026-start`) shown as such;
//! - `latin`: Latin letters in a zh, bo or zh_bo screen other than key names
//!   (from the keymap), single letters, file paths, "Wylie", the app's Latin
//!   name and ID numbers;
//! - `tibetan`: in zh_bo, a Chinese label of the catalogue standing alone
//!   without its Tibetan half on its line or the next;
//! - `cut`: a `…` followed by two or more free cells;
//! - `border`: a pop-up whose side borders are not in the columns of its
//!   corners on every row.
//!
//! Columns are display cells (`fieldbook::text::width`: Chinese 2, a
//! Tibetan stack 1). Findings known and left to the screens' owners are
//! listed in `tests/snapshot_lint_known.txt`; any other finding fails, and
//! so does an entry there that no longer matches anything.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fieldbook::domain::codes;
use fieldbook::i18n::{Catalog, Locale};
use fieldbook::tui::keymap::{Context, Keymap, display_key};
use support::labels::{labels, stands_alone};
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Raw,
    Latin,
    Tibetan,
    Cut,
    Border,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Raw => "raw",
            Class::Latin => "latin",
            Class::Tibetan => "tibetan",
            Class::Cut => "cut",
            Class::Border => "border",
        }
    }

    fn from_name(s: &str) -> Option<Class> {
        [
            Class::Raw,
            Class::Latin,
            Class::Tibetan,
            Class::Cut,
            Class::Border,
        ]
        .into_iter()
        .find(|c| c.name() == s)
    }
}

#[derive(Debug, Clone)]
struct Finding {
    file: String,
    /// Line number in the snapshot file, from 1.
    line: usize,
    class: Class,
    /// What is wrong, quoting the offending text.
    what: String,
    /// The whole line, for the known list to match.
    text: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: [{}] {}\n    |{}|",
            self.file,
            self.line,
            self.class.name(),
            self.what,
            self.text
        )
    }
}

/// What the lint knows of the app: keys, codes, key names, labels.
struct Rules {
    locale_keys: Vec<String>,
    /// Codes that cannot be an ordinary word: with `_` or a digit.
    compound_codes: BTreeSet<String>,
    /// Codes that are plain words (`draft`, `head`): raw only outside English.
    word_codes: BTreeSet<String>,
    /// How the keymap's keys are shown (`Ctrl-g`, `Enter`, `Up`, `F2`).
    key_names: BTreeSet<String>,
    /// Latin words a Chinese or Tibetan screen may show.
    latin_words: BTreeSet<String>,
    labels: BTreeMap<String, Vec<String>>,
}

impl Rules {
    fn builtin() -> Rules {
        let cat = Catalog::builtin();
        let mut compound_codes = BTreeSet::new();
        let mut word_codes = BTreeSet::new();
        for list in codes::ALL {
            for code in list.codes {
                if code.chars().all(|c| c.is_ascii_digit()) {
                    // Codes of digits only (course levels `1` to `5`) read
                    // as numbers on a screen (a member count, a block's
                    // number): the check cannot tell them apart.
                    continue;
                }
                if code.contains(|c: char| c == '_' || c.is_ascii_digit()) {
                    compound_codes.insert(code.to_string());
                } else if code.chars().count() > 1 {
                    // Single letters (`m`, `f`) are keys too: the Latin
                    // check cannot tell them apart.
                    word_codes.insert(code.to_string());
                }
            }
        }
        let keymap = Keymap::default_keymap();
        let key_names = Context::ALL
            .into_iter()
            .flat_map(|ctx| keymap.bindings(ctx))
            .flat_map(|b| b.keys.iter().map(|k| display_key(k)))
            .collect();
        let mut latin_words = BTreeSet::from(["Wylie".to_owned()]);
        // The app's name where it is Latin (English), shown as such.
        latin_words.extend(cat.get(Locale::En, "app.name").map(str::to_owned));
        Rules {
            locale_keys: cat.keys(Locale::Zh).map(str::to_owned).collect(),
            compound_codes,
            word_codes,
            key_names,
            latin_words,
            labels: labels(&cat),
        }
    }

    /// Whether `t` is a locale key, or the start of one (`code.sex.`).
    fn is_locale_key(&self, t: &str) -> bool {
        let Some((ns, rest)) = t.split_once('.') else {
            return false;
        };
        ns.len() >= 2
            && ns.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && (rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_lowercase()))
            && self.locale_keys.iter().any(|k| k.starts_with(t))
    }
}

/// One grapheme drawn at a column.
#[derive(Debug, Clone)]
struct Cell<'a> {
    col: usize,
    g: &'a str,
    w: usize,
}

fn cells(line: &str) -> Vec<Cell<'_>> {
    let mut col = 0;
    line.graphemes(true)
        .map(|g| {
            let w = fieldbook::text::width(g);
            let c = Cell { col, g, w };
            col += w;
            c
        })
        .collect()
}

/// The grapheme that starts at `col`, if one does.
fn at<'a>(row: &[Cell<'a>], col: usize) -> Option<&'a str> {
    row.iter().find(|c| c.col == col).map(|c| c.g)
}

/// A pop-up: its top and bottom rows (bottom when found) and the columns of
/// its corners.
#[derive(Debug, Clone)]
struct Popup {
    top: usize,
    bottom: usize,
    left: usize,
    right: usize,
}

/// The screen's lines after the insta header, each with its line number in
/// the file.
fn screen_lines(snap: &str) -> Vec<(usize, &str)> {
    let mut dashes = 0;
    let mut out = Vec::new();
    for (i, l) in snap.lines().enumerate() {
        if dashes >= 2 {
            out.push((i + 1, l));
        } else if l == "---" {
            dashes += 1;
        }
    }
    out
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('\u{c0}'..='\u{24f}').contains(&c) && c != '×' && c != '÷'
        || ('\u{ff21}'..='\u{ff3a}').contains(&c)
        || ('\u{ff41}'..='\u{ff5a}').contains(&c)
}

/// Maximal runs of characters for which `part` holds.
fn runs(s: &str, part: impl Fn(char) -> bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
        match (part(c) && i < s.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                out.push(&s[b..i]);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A resident ID number, whole or masked, ending in its check letter.
fn is_id_number(t: &str) -> bool {
    t.len() == 18
        && t.ends_with(['X', 'x'])
        && t[..17].chars().all(|c| c.is_ascii_digit() || c == '*')
}

fn lint(file: &str, snap: &str, rules: &Rules) -> Vec<Finding> {
    let lang = file
        .strip_suffix(".snap")
        .and_then(|n| n.rsplit_once('@'))
        .map(|(_, l)| l);
    let lines = screen_lines(snap);
    let mut out = Vec::new();
    let mut found = |n: usize, class: Class, what: String| {
        let text = lines
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(_, l)| l.to_string())
            .unwrap_or_default();
        out.push(Finding {
            file: file.to_owned(),
            line: n,
            class,
            what,
            text,
        });
    };
    let Some(lang @ ("zh" | "bo" | "zh_bo" | "en")) = lang else {
        found(0, Class::Raw, format!("not a screen snapshot name: {file}"));
        return out;
    };
    let rows: Vec<Vec<Cell>> = lines.iter().map(|(_, l)| cells(l)).collect();
    let screen_w = rows
        .iter()
        .map(|r| r.last().map_or(0, |c| c.col + c.w))
        .max()
        .unwrap_or(0);

    // Pop-ups and their borders.
    let mut popups = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for c in row.iter().filter(|c| c.g == "┌") {
            let n = lines[r].0;
            let Some(right) = row.iter().find(|d| d.col > c.col && d.g == "┐") else {
                found(n, Class::Border, format!("┌ at column {} has no ┐", c.col));
                continue;
            };
            let (left, right) = (c.col, right.col);
            let mut bottom = None;
            for (b, below) in rows.iter().enumerate().skip(r + 1) {
                let n = lines[b].0;
                let (l, rr) = (at(below, left), at(below, right));
                let is_bottom = l == Some("└")
                    || rr == Some("┘")
                    || l != Some("├")
                        && at(below, left + 1) == Some("─")
                        && at(below, right - 1) == Some("─");
                if is_bottom {
                    if l != Some("└") || rr != Some("┘") {
                        found(
                            n,
                            Class::Border,
                            format!(
                                "bottom of the pop-up at columns {left}-{right}: {:?} and {:?} instead of └ and ┘",
                                l.unwrap_or("(inside a wide character)"),
                                rr.unwrap_or("(inside a wide character)")
                            ),
                        );
                    }
                    bottom = Some(b);
                    break;
                }
                for (side, col, ok) in [("left", left, ["│", "├"]), ("right", right, ["│", "┤"])]
                {
                    let g = at(below, col);
                    if !g.is_some_and(|g| ok.contains(&g)) {
                        found(
                            n,
                            Class::Border,
                            format!(
                                "{side} border of the pop-up not in column {col}: {:?} there",
                                g.unwrap_or("(inside a wide character)")
                            ),
                        );
                    }
                }
            }
            match bottom {
                Some(bottom) => popups.push(Popup {
                    top: r,
                    bottom,
                    left,
                    right,
                }),
                None => found(n, Class::Border, "pop-up without a bottom border".into()),
            }
        }
    }

    for (r, row) in rows.iter().enumerate() {
        let (n, line) = lines[r];
        // Raw codes and locale keys, everywhere.
        let mut raw = BTreeSet::new();
        for word in runs(line, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            let round = word
                .strip_suffix("-start")
                .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
            // A plain-word code (`draft`) is a word in English.
            let word_code = lang != "en" && rules.word_codes.contains(word);
            if round || rules.compound_codes.contains(word) || word_code {
                found(n, Class::Raw, format!("stored code {word:?}"));
                raw.insert(word);
            }
        }
        for word in runs(line, |c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            if rules.is_locale_key(word) {
                found(n, Class::Raw, format!("locale key {word:?}"));
                raw.insert(word);
                raw.insert(word.trim_end_matches('.'));
            }
        }

        // Latin letters in Chinese and Tibetan screens.
        if lang != "en" {
            // A command to type (`fieldbook gazetteer import`) is Latin in
            // every language: the app's name and the words after it.
            let command: BTreeSet<&str> = line
                .find("fieldbook ")
                .map(|at| {
                    line[at..]
                        .split_whitespace()
                        .take_while(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                        .collect()
                })
                .unwrap_or_default();
            for token in line.split_whitespace() {
                if token.starts_with('/') || token.starts_with("~/") {
                    continue; // a file path
                }
                let latin =
                    |c: char| is_latin_letter(c) || c.is_ascii_digit() || "-_.*+".contains(c);
                for run in runs(token, latin) {
                    let run = run.trim_matches(|c| ".-_*+".contains(c));
                    let letters = run.chars().filter(|c| is_latin_letter(*c)).count();
                    let allowed = letters == 0
                        || letters == 1 && run.chars().count() == 1
                        || rules.key_names.contains(run)
                        || rules.latin_words.contains(run)
                        || is_id_number(run)
                        // Latin with digits is a value, not text: a session
                        // code, a certificate or policy number.
                        || run.chars().any(|c| c.is_ascii_digit())
                        || command.contains(run)
                        || raw.contains(run);
                    if !allowed {
                        found(n, Class::Latin, format!("Latin text {run:?}"));
                    }
                }
            }
        }

        // A cut with room to spare.
        for (i, c) in row.iter().enumerate().filter(|(_, c)| c.g == "…") {
            let spaces = row[i + 1..].iter().take_while(|d| d.g == " ").count();
            let to_end = if i + 1 + spaces == row.len() {
                screen_w - row.last().map_or(0, |l| l.col + l.w)
            } else {
                0
            };
            let free = spaces + to_end;
            if free >= 2 {
                found(
                    n,
                    Class::Cut,
                    format!("… at column {} with {free} free cells after it", c.col),
                );
            }
        }
    }

    // A bilingual label without its Tibetan half.
    if lang == "zh_bo" {
        for (r, row) in rows.iter().enumerate() {
            let (n, line) = lines[r];
            // Within a pop-up's rows only the pop-up shows: what is beside it
            // is the screen underneath, cut by the pop-up.
            let shown: String = match popups.iter().find(|p| (p.top..=p.bottom).contains(&r)) {
                Some(p) => row
                    .iter()
                    .filter(|c| c.col > p.left && c.col < p.right)
                    .map(|c| c.g)
                    .collect(),
                None => line.to_owned(),
            };
            let below = lines.get(r + 1).map_or("", |(_, l)| l);
            for (zh, bos) in &rules.labels {
                if !stands_alone(&shown, zh) {
                    continue;
                }
                let whole = bos
                    .iter()
                    .any(|bo| line.contains(bo.as_str()) || below.contains(bo.as_str()));
                // The Tibetan half cut for room (the cut itself is judged above).
                let cut = shown.contains(&format!("{zh}…"))
                    || shown.contains(&format!("{zh} …"))
                    || bos.iter().any(|bo| {
                        let g: Vec<&str> = bo.graphemes(true).collect();
                        (1..g.len()).any(|k| shown.contains(&format!("{}…", g[..k].concat())))
                    });
                if !whole && !cut {
                    let bos: BTreeSet<&str> = bos.iter().map(String::as_str).collect();
                    let bos: Vec<&str> = bos.into_iter().collect();
                    found(
                        n,
                        Class::Tibetan,
                        format!("{zh:?} without {}", bos.join(" or ")),
                    );
                }
            }
        }
    }
    out.sort_by(|a, b| (a.line, a.class, &a.what).cmp(&(b.line, b.class, &b.what)));
    out.dedup_by(|a, b| a.line == b.line && a.class == b.class && a.what == b.what);
    out
}

/// One entry of the known list: findings of `class` in `file` on a line
/// containing `pattern`.
#[derive(Debug)]
struct Known {
    at: usize,
    file: String,
    class: Class,
    pattern: String,
}

fn known(text: &str) -> Vec<Known> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| {
            let parts: Vec<&str> = l.split(" | ").map(str::trim).collect();
            let [file, class, pattern, reason] = parts[..] else {
                panic!(
                    "snapshot_lint_known.txt:{}: not FILE | CLASS | TEXT | REASON: {l:?}",
                    i + 1
                );
            };
            assert!(
                !reason.is_empty() && !pattern.is_empty(),
                "snapshot_lint_known.txt:{}: empty text or reason",
                i + 1
            );
            Known {
                at: i + 1,
                file: file.to_owned(),
                class: Class::from_name(class).unwrap_or_else(|| {
                    panic!("snapshot_lint_known.txt:{}: no class {class:?}", i + 1)
                }),
                pattern: pattern.to_owned(),
            }
        })
        .collect()
}

fn matches(k: &Known, f: &Finding) -> bool {
    k.file == f.file && k.class == f.class && f.text.contains(&k.pattern)
}

#[test]
fn every_screen_snapshot_passes_the_lint() {
    let rules = Rules::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut findings = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".snap") || !name.contains('@') {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("a snapshot");
        findings.extend(lint(&name, &text, &rules));
    }
    assert!(
        files >= 36,
        "only {files} screen snapshots found in {dir:?}"
    );

    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshot_lint_known.txt");
    let known = known(&std::fs::read_to_string(list).expect("tests/snapshot_lint_known.txt"));
    let new: Vec<String> = findings
        .iter()
        .filter(|f| !known.iter().any(|k| matches(k, f)))
        .map(|f| f.to_string())
        .collect();
    let stale: Vec<String> = known
        .iter()
        .filter(|k| !findings.iter().any(|f| matches(k, f)))
        .map(|k| {
            format!(
                "snapshot_lint_known.txt:{}: {} | {} | {} matches nothing: remove it",
                k.at,
                k.file,
                k.class.name(),
                k.pattern
            )
        })
        .collect();
    assert!(
        new.is_empty() && stale.is_empty(),
        "{} wrong screen(s) in tests/snapshots (fix the screen, not the snapshot):\n{}\n{}",
        new.len(),
        new.join("\n"),
        stale.join("\n")
    );
}

#[cfg(test)]
mod hand_made {
    //! Hand-made bad screens, one per class: each must be caught. The
    //! screen's first line is line 5 of its file, after the insta header.
    use super::*;

    fn classes(file: &str, lines: &[&str]) -> Vec<(usize, Class, String)> {
        let snap = format!(
            "---\nsource: tests/tui_screens.rs\nexpression: screen\n---\n{}\n",
            lines.join("\n")
        );
        lint(file, &snap, &Rules::builtin())
            .into_iter()
            .map(|f| (f.line, f.class, f.what))
            .collect()
    }

    #[test]
    fn a_good_screen_has_no_finding() {
        let screen = [
            " 田野簿 ཞིང་ཐོ › 户籍登记 དུད་ཚང་ཐོ་འགོད",
            "  ┌ 上移 གྱེན ──────────┐",
            "  │ Up k  上移 གྱེན     │ 户编号… 3",
            "户│ Ctrl-g F1 PgUp    │",
            "  └───────────────────┘",
            " 513333198503140113 51333319850314011X 513333********011x 2026-11-27",
            " 扎西 │ /data/fieldbook.db │ n 新增 གསར་བཟོ  F3 Wylie  Enter 打开 ཁ་ཕྱེ  x",
        ];
        assert_eq!(classes("good@zh_bo.snap", &screen), []);
        assert_eq!(classes("good@zh.snap", &screen), []);
    }

    #[test]
    fn a_stored_code_is_caught() {
        let found = classes(
            "x@en.snap",
            &[" Round: 2026-start", " Employment: not_employed"],
        );
        assert_eq!(
            found,
            [
                (5, Class::Raw, "stored code \"2026-start\"".into()),
                (6, Class::Raw, "stored code \"not_employed\"".into()),
            ]
        );
        // A code that is a plain word, outside English.
        let found = classes("x@zh.snap", &[" 状态： submitted"]);
        assert_eq!(found, [(5, Class::Raw, "stored code \"submitted\"".into())]);
        // In English it is a word.
        assert_eq!(classes("x@en.snap", &[" Status: submitted"]), []);
    }

    #[test]
    fn a_locale_key_is_caught() {
        let found = classes("x@en.snap", &[" Sex: code.sex.m   form."]);
        assert_eq!(
            found,
            [
                (5, Class::Raw, "locale key \"code.sex.m\"".into()),
                (5, Class::Raw, "locale key \"form.\"".into()),
            ]
        );
        let found = classes("x@zh.snap", &[" 性别： code.sex.…"]);
        assert_eq!(found, [(5, Class::Raw, "locale key \"code.sex.\"".into())]);
        // A file name is not a key.
        assert_eq!(classes("x@en.snap", &[" /data/fieldbook.db file.csv"]), []);
    }

    #[test]
    fn latin_in_a_chinese_or_tibetan_screen_is_caught() {
        let found = classes("x@bo.snap", &[" རུས་མིང་ (pinyin Wylie) Enter ཁ་ཕྱེ"]);
        assert_eq!(found, [(5, Class::Latin, "Latin text \"pinyin\"".into())]);
        let found = classes("x@zh_bo.snap", &[" Up 上移 གྱེན  Tab Next field"]);
        assert_eq!(
            found,
            [
                (5, Class::Latin, "Latin text \"Next\"".into()),
                (5, Class::Latin, "Latin text \"field\"".into()),
            ]
        );
        // The same in English is English.
        assert_eq!(classes("x@en.snap", &[" Tab Next field"]), []);
        // A command to type is Latin in every language; the same words
        // as text are not.
        assert_eq!(
            classes(
                "x@zh.snap",
                &[" 导入村名单：fieldbook gazetteer import 文件"]
            ),
            []
        );
        assert_eq!(
            classes("x@zh.snap", &[" 导入 gazetteer 文件"]),
            [(5, Class::Latin, "Latin text \"gazetteer\"".into())]
        );
    }

    #[test]
    fn a_bilingual_label_without_its_tibetan_half_is_caught() {
        let found = classes(
            "x@zh_bo.snap",
            &[" 户编号 513333100200000001", " 姓名（藏文）  པདྨ"],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|f| f.1 == Class::Tibetan), "{found:?}");
        assert_eq!((found[0].0, found[1].0), (5, 6));
        // Inside a pop-up too.
        let found = classes("x@zh_bo.snap", &[" ┌──────┐", " │ 帮助 │", " └──────┘"]);
        assert_eq!(
            found,
            [(6, Class::Tibetan, "\"帮助\" without རོགས་རམ".into())]
        );
        // Its Tibetan half on the same line or the next is enough, and
        // so is its Tibetan half cut for room.
        let screen = [
            " 户编号 དུད་ཚང་ཨང་གྲངས 513333100200000001",
            " 姓名（藏文）  པདྨ",
            " རུས་མིང་ (བོད་ཡིག)",
            " 户编号 དུད་ཚང་ཨ… 3",
        ];
        assert_eq!(classes("x@zh_bo.snap", &screen), []);
        // In Chinese alone there is no Tibetan half to show.
        assert_eq!(classes("x@zh.snap", &[" 户编号 513333100200000001"]), []);
    }

    #[test]
    fn a_cut_with_room_to_spare_is_caught() {
        // Before a border, before the next column, and up to the line's end
        // (whose trailing spaces insta trims: the screen's width counts).
        let screen = [
            " ┌──────────┐ 0123456789",
            " │ 户编号…  │",
            " └──────────┘",
            " 乡镇一 乡…   人数 3",
            " 乡… 3 45…",
        ];
        assert_eq!(
            classes("x@zh.snap", &screen),
            [
                (
                    6,
                    Class::Cut,
                    "… at column 9 with 2 free cells after it".into()
                ),
                (
                    8,
                    Class::Cut,
                    "… at column 10 with 3 free cells after it".into()
                ),
                (
                    9,
                    Class::Cut,
                    "… at column 9 with 14 free cells after it".into()
                ),
            ]
        );
    }

    #[test]
    fn a_broken_border_is_caught() {
        // A wide character eats the left border (户 spans columns 1-2); a
        // row's right border is one column off.
        let screen = ["  ┌────┐", " 户 a  │", "  │ b   │", "  └────┘"];
        assert_eq!(
            classes("x@zh.snap", &screen),
            [
                (6, Class::Border, "left border of the pop-up not in column 2: \"(inside a wide character)\" there".into()),
                (7, Class::Border, "right border of the pop-up not in column 7: \" \" there".into()),
            ]
        );
        let found = classes("x@en.snap", &[" ┌──┐", " │  │", " └───"]);
        assert_eq!(
            found,
            [(
                7,
                Class::Border,
                "bottom of the pop-up at columns 1-4: \"└\" and \"─\" instead of └ and ┘".into()
            )]
        );
        let found = classes("x@en.snap", &[" ┌──┐", " │  │"]);
        assert_eq!(
            found,
            [(5, Class::Border, "pop-up without a bottom border".into())]
        );
        let found = classes("x@en.snap", &[" ┌─── title"]);
        assert_eq!(found, [(5, Class::Border, "┌ at column 1 has no ┐".into())]);
    }

    #[test]
    fn the_known_list_matches_by_file_class_and_text() {
        let k = known(
            "# a comment\nhome@zh.snap | cut | 查找任何人 | the home screen cuts 2 cells early\n",
        );
        let f = |file: &str, class, text: &str| Finding {
            file: file.into(),
            line: 1,
            class,
            what: String::new(),
            text: text.into(),
        };
        assert_eq!(k.len(), 1);
        assert!(matches(
            &k[0],
            &f("home@zh.snap", Class::Cut, "查找任何人…  ")
        ));
        assert!(!matches(
            &k[0],
            &f("home@bo.snap", Class::Cut, "查找任何人…  ")
        ));
        assert!(!matches(
            &k[0],
            &f("home@zh.snap", Class::Latin, "查找任何人…  ")
        ));
        assert!(!matches(&k[0], &f("home@zh.snap", Class::Cut, "户编号…  ")));
    }
}

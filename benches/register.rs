//! The household register on demo databases of 500 and 100,000 households:
//! opening the list, and each page-down sorted by number and then by head's
//! name (set once, checked on the screen before and after measuring),
//! rendered at 80x24 exactly as the app draws it. The two sizes should cost
//! the same (only the visible page is read). Targets: under 16 ms each on
//! the 100,000-household database.
//!
//! The databases are made once with the demo generator and kept under
//! `target/bench-data/` (the 100,000 one takes about half a minute).
//!
//! Run: `cargo bench --bench register`

mod common;

use common::{database, draw, press};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

/// The register's filter line (second row) as the terminal shows it (the
/// cell after a double-width character left out), e.g. "全部乡镇 ... 排序：
/// ... 户主 ... · 1-18 / 500".
fn filter_line(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut line = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let sym = buf[(x, 1)].symbol();
        skip = fieldbook::text::width(sym).saturating_sub(1);
        line.push_str(sym);
    }
    line
}

/// Rows of the register at 80x24.
const PAGE: u32 = 18;

/// Page-down, starting over from the top before the last page so that every
/// measured key really reads the next page.
fn page_down(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    pages: &mut u32,
    households: u32,
) {
    *pages += 1;
    if (*pages + 1) * PAGE >= households {
        press(app, KeyCode::Home);
        *pages = 0;
    }
    press(app, KeyCode::PageDown);
    draw(app, terminal);
}

fn register(c: &mut Criterion) {
    let cat = Catalog::builtin();
    // The sort as the filter line names it (its Chinese half).
    let by_number = cat.text(Lang::Zh, "register.sort.number");
    let by_head = cat.text(Lang::Zh, "register.sort.head");
    let mut group = c.benchmark_group("register");
    for households in [500u32, 100_000] {
        let path = database(households);
        let store = Store::open(&path, OpenOptions::read_only()).unwrap();
        let mut app = App::new(store, Catalog::builtin(), Lang::ZhBo);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        group.bench_function(BenchmarkId::new("open", households), |b| {
            b.iter(|| {
                press(&mut app, KeyCode::Char('h'));
                draw(&app, &mut terminal);
                press(&mut app, KeyCode::Esc);
            })
        });
        press(&mut app, KeyCode::Char('h'));
        draw(&app, &mut terminal);
        assert!(
            filter_line(&terminal).contains(&by_number),
            "{}",
            filter_line(&terminal)
        );
        let mut pages = 0u32;
        group.bench_function(BenchmarkId::new("page_down", households), |b| {
            b.iter(|| page_down(&mut app, &mut terminal, &mut pages, households))
        });
        // Sorted by head's name once, before measuring: every measured key
        // pages within that sort.
        press(&mut app, KeyCode::Char('o'));
        draw(&app, &mut terminal);
        assert!(
            filter_line(&terminal).contains(&by_head),
            "{}",
            filter_line(&terminal)
        );
        let mut pages = 0u32;
        group.bench_function(BenchmarkId::new("sort_head_page_down", households), |b| {
            b.iter(|| page_down(&mut app, &mut terminal, &mut pages, households))
        });
        assert!(
            filter_line(&terminal).contains(&by_head),
            "still sorted by head"
        );
        press(&mut app, KeyCode::Esc);
    }
    group.finish();
}

criterion_group!(benches, register);
criterion_main!(benches);

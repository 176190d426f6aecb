//! 导购: the staff list, each staff member's sales, returns, members,
//! contacts and message results for a period, and the CSV export.

mod common;
use common::*;

use clientele_engine::care::log::{Contact, ContactKind, ContactOutcome};
use clientele_engine::care::staff::{add_staff, staff_csv, staff_figures, StaffError};
use clientele_engine::members::model::MemberId;
use clientele_engine::money::Money;
use clientele_engine::points::explain::Lang;
use clientele_engine::store::validate::{check_store, Field};

fn contact(member: u64, on: chrono::NaiveDate, staff: &str, kind: ContactKind) -> Contact {
    Contact {
        member: MemberId(member),
        on,
        kind,
        outcome: ContactOutcome::Reached,
        staff: staff.into(),
        note: String::new(),
        shop: String::new(),
        device: String::new(),
        occasion: if kind == ContactKind::Message {
            "birthday".into()
        } else {
            String::new()
        },
    }
}

#[test]
fn the_list_refuses_empty_repeated_and_overlong_names() {
    let mut list = Vec::new();
    add_staff(&mut list, " 小林 ", "静安店").unwrap();
    assert_eq!(list[0].name, "小林");
    assert!(list[0].active);
    assert_eq!(add_staff(&mut list, "  ", ""), Err(StaffError::EmptyName));
    assert_eq!(
        add_staff(&mut list, "小林", ""),
        Err(StaffError::Duplicate("小林".into()))
    );
    assert_eq!(
        add_staff(&mut list, &"长".repeat(101), ""),
        Err(StaffError::TooLong)
    );
}

#[test]
fn each_staff_members_period_adds_up() {
    let mut s = store_with(3);
    add_staff(&mut s.settings.staff, "Lin", "Jing'an").unwrap();
    add_staff(&mut s.settings.staff, "Mia", "").unwrap();
    s.settings.staff[1].active = false;
    buy(&mut s, 1, "A", at(2026, 11, 2), 500);
    buy(&mut s, 2, "B", at(2026, 11, 3), 300);
    buy(&mut s, 1, "C", at(2026, 11, 20), 200);
    buy(&mut s, 3, "D", at(2026, 10, 30), 900); // before the period
    buy(&mut s, 3, "E", at(2026, 11, 5), 100); // nobody named
    buy(&mut s, 3, "F", at(2026, 11, 6), 250); // a name not on the list
    for (p, who) in s
        .purchases
        .iter_mut()
        .zip(["Lin", "Lin", "Lin", "Lin", "", "Zoe"])
    {
        p.staff = who.into();
    }
    ret(&mut s, "A", at(2026, 11, 10), 100);
    s.returns[0].staff = "Lin".into();
    s.care.contacts = vec![
        contact(3, d(2026, 11, 1), "Lin", ContactKind::Message), // member 3 bought on day 5
        contact(2, d(2026, 11, 25), "Lin", ContactKind::Message), // window not passed
        contact(2, d(2026, 11, 4), "Lin", ContactKind::Call),
        contact(1, d(2026, 11, 4), "Mia", ContactKind::Visit),
    ];
    let f = staff_figures(&s, d(2026, 11, 1), d(2026, 11, 30), d(2026, 12, 4));
    let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["Lin", "Mia", "Zoe"],
        "the list's order, then others"
    );
    let lin = &f[0];
    assert_eq!(
        (lin.sales, lin.revenue, lin.returned),
        (3, Money::from_major(1000), Money::from_major(100))
    );
    assert_eq!(lin.members, 2);
    assert_eq!((lin.contacts, lin.messages), (3, 2));
    assert_eq!((lin.matured_14, lin.bought_14), (1, 1));
    assert_eq!(lin.shop, "Jing'an");
    assert!(lin.listed && lin.active);
    assert!(!f[1].active);
    assert_eq!((f[1].sales, f[1].contacts), (0, 1));
    assert!(!f[2].listed);
    assert_eq!(f[2].revenue, Money::from_major(250));

    let csv = staff_csv(&f, d(2026, 11, 1), d(2026, 11, 30), Lang::En);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[1],
        "Lin,Jing'an,2026-11-01,2026-11-30,3,1000.00,100.00,2,3,2,1,1"
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn a_name_that_is_a_formula_is_neutralised_in_the_export() {
    let mut s = store_with(1);
    add_staff(&mut s.settings.staff, "=HYPERLINK(\"x\")", "").unwrap();
    let f = staff_figures(&s, d(2026, 11, 1), d(2026, 11, 30), d(2026, 12, 4));
    let csv = staff_csv(&f, d(2026, 11, 1), d(2026, 11, 30), Lang::Zh);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("\"'=HYPERLINK(\"\"x\"\")\""),
        "{csv}"
    );
}

#[test]
fn a_staff_list_past_its_limits_is_refused_by_field() {
    let mut s = store_with(1);
    add_staff(&mut s.settings.staff, "Lin", "").unwrap();
    s.settings.staff[0].name = "x".repeat(101);
    let refused = check_store(&s);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].field, Field::Setting("staff[0].name".into()));
}

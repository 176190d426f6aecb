#!/usr/bin/env python3
"""Writes the store/backup files that have the right shape but values the
store's rules refuse (io/tests/store_corpus.rs says what each must give).
Run from this folder: python3 make.py"""
import copy, json

BASE = {
    "schema": 1, "rev": 1, "saved_at": "2026-01-01T00:00:00Z",
    "data": {
        "settings": {"store_name": "莲 Lotus", "currency_symbol": "¥"},
        "members": [
            {"id": 1, "card_no": "C001", "name": "王芳", "mobile": "13800138000", "joined": "2024-01-01"},
            {"id": 2, "card_no": "C002", "name": "Li Na", "joined": "2024-01-02"},
        ],
        "purchases": [
            {"receipt": "R001", "member": 1, "at": "2024-03-01T10:00:00", "amount": 50000,
             "lines": [{"sku": "D1", "category": "dress", "quantity": 1, "amount": 50000}]},
        ],
        "returns": [],
        "points_events": [],
        "schemes": [],
    },
}

def case(name, change):
    doc = copy.deepcopy(BASE)
    change(doc["data"])
    with open(name + ".json", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)

def purchase(**kw):
    p = {"receipt": "R002", "member": 2, "at": "2024-04-01T10:00:00", "amount": 10000}
    p.update(kw)
    return p

def ret(**kw):
    r = {"id": "T1", "receipt": "R001", "at": "2024-03-05T10:00:00", "amount": 10000}
    r.update(kw)
    return r

def event(**kw):
    e = {"member": 1, "at": "2024-03-02T10:00:00", "kind": "adjustment", "points": 10, "note": "x"}
    e.update(kw)
    return e

def set_member(i, **kw):
    return lambda d: d["members"][i].update(kw)

case("amount_above_limit", lambda d: d["purchases"].append(purchase(amount=1_000_000_000_001)))
case("amount_i64_max", lambda d: d["purchases"].append(purchase(amount=9223372036854775807)))
case("line_amount_i64_min", lambda d: d["purchases"][0]["lines"][0].update(amount=-9223372036854775808))
case("line_quantity_above_limit", lambda d: d["purchases"][0]["lines"][0].update(quantity=2_000_000))
case("points_above_limit", lambda d: d["points_events"].append(event(points=-1_000_000_000_001)))
case("opening_balance_i64_max", lambda d: d["points_events"].append(
    event(kind="opening_balance", points=9223372036854775807)))
case("negative_redemption", lambda d: d["points_events"].append(
    event(kind="redemption", points=-5)))
case("birthday_month_13", set_member(0, birthday={"month": 13, "day": 1}))
case("birthday_day_0", set_member(0, birthday={"month": 3, "day": 0}))
case("birthday_february_30", set_member(0, birthday={"month": 2, "day": 30}))
case("birthday_february_29_common_year", set_member(0, birthday={"month": 2, "day": 29, "year": 2023}))
case("family_birthday_day_32", set_member(1, family=[{"relation": "女儿", "birthday": {"month": 1, "day": 32}}]))
case("special_day_month_0", set_member(1, special_days=[{"label": "结婚纪念日", "date": {"month": 0, "day": 5}}]))
case("year_out_of_range", lambda d: d["purchases"].append(purchase(at="0202-04-01T10:00:00")))
case("return_above_receipt", lambda d: d["returns"].extend(
    [ret(amount=30000), ret(id="T2", amount=30000)]))
case("return_before_receipt", lambda d: d["returns"].append(ret(at="2024-02-01T10:00:00")))
case("return_unknown_receipt", lambda d: d["returns"].append(ret(receipt="R999")))
case("negative_return", lambda d: d["returns"].append(ret(amount=-100)))
case("purchase_unknown_member", lambda d: d["purchases"].append(purchase(member=7)))
case("event_unknown_member", lambda d: d["points_events"].append(event(member=9)))
case("referrer_unknown", set_member(1, referrer=42))
case("duplicate_member_id", set_member(1, id=1))
case("contact_unknown_member", lambda d: d.update(care={"contacts": [
    {"member": 5, "on": "2024-05-01", "kind": "call", "outcome": "reached"}]}))
case("scheme_zero_rate", lambda d: d["schemes"].append({"effective_from": "2024-01-01",
    "scheme": {"name": "broken", "earning": {"points": 1, "per": 0}}}))
case("scheme_bonus_above_limit", lambda d: d["schemes"].append({"effective_from": "2024-01-01",
    "scheme": {"name": "huge", "bonuses": {"first_purchase": 1_000_000_000_001}}}))
case("paid_with_points_unknown_receipt", lambda d: d["points_events"].append(
    event(kind="paid_with_points", receipt="R999", points=100, value=100)))
case("paid_with_points_above_limit", lambda d: d["points_events"].append(
    event(kind="paid_with_points", receipt="R001", points=1_000_000_000_001, value=100)))
case("scheme_line_rule_extra_above_limit", lambda d: d["schemes"].append({"effective_from": "2024-01-01",
    "scheme": {"name": "huge", "earning": {"points": 1, "per": 100, "line_rules": [
        {"on": {"category": "dress"}, "effect": {"kind": "extra_points", "points": 1_000_000_000_001}}]}}}))
case("scheme_line_rule_names_nothing", lambda d: d["schemes"].append({"effective_from": "2024-01-01",
    "scheme": {"name": "blank", "earning": {"points": 1, "per": 100, "line_rules": [
        {"on": {"sku": " "}, "effect": {"kind": "exclude"}}]}}}))
case("scheme_pay_with_points_above_limit", lambda d: d["schemes"].append({"effective_from": "2024-01-01",
    "scheme": {"name": "huge", "pay_with_points": {"points": 100, "value": 1_000_000_000_001}}}))
# Shapes serde and chrono refuse before any rule runs: no such calendar day.
case("purchase_february_30", lambda d: d["purchases"].append(purchase(at="2025-02-30T10:00:00")))
case("joined_month_13", set_member(1, joined="2024-13-01"))
case("joined_day_0", set_member(1, joined="2024-03-00"))

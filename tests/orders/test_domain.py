"""Orders rules without Flask or a database: quantities, purposes, the split per supplier, the
expected-total check, approval, state tables, refunds, filters, addresses, cards, idempotency keys."""

from datetime import UTC, date, datetime

import pytest

from mall.accounts.domain import Role
from mall.bounds import MAX_AMOUNT_FEN
from mall.errors import InvalidInputError, InvalidTransitionError
from orders import domain
from orders.domain import (
    AddressInput,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    PricedLine,
    Purpose,
)


def line(n: int, *, supplier: int = 1, purpose: Purpose = Purpose.CANTEEN, qty: int = 1, price: int = 1_000, seen=None):
    return PricedLine(
        cart_line_id=n,
        product_id=n,
        supplier_id=supplier,
        purpose=purpose,
        quantity=qty,
        unit_price_fen=price,
        seen_price_fen=price if seen is None else seen,
        title=f"商品{n}",
    )


# ---- quantities and purposes -------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, 100_001, 2.5, "3", True, None])
def test_quantity_must_be_a_whole_number_in_range(quantity):
    with pytest.raises(domain.InvalidQuantityError):
        domain.check_quantity(quantity, min_order_qty=1)


def test_quantity_below_the_minimum_order_is_refused_with_the_minimum_in_the_message():
    with pytest.raises(domain.BelowMinimumOrderError) as err:
        domain.check_quantity(4, min_order_qty=5, sale_unit="袋")
    assert err.value.message == "该商品5袋起订"


def test_quantity_must_be_a_multiple_of_the_pack_size():
    assert domain.check_quantity(12, min_order_qty=6, pack_size=6) == 12
    with pytest.raises(domain.PackSizeError):
        domain.check_quantity(8, min_order_qty=6, pack_size=6)


def test_quantity_above_stock_is_stock_insufficient():
    assert domain.check_quantity(10, min_order_qty=1, stock_qty=10) == 10
    with pytest.raises(domain.StockInsufficientError) as err:
        domain.check_quantity(11, min_order_qty=1, stock_qty=10, sale_unit="箱")
    assert "10箱" in err.value.message


def test_purposes_follow_the_roles():
    assert domain.allowed_purposes({Role.BUYER}) == [Purpose.CANTEEN, Purpose.UNION]
    assert domain.allowed_purposes({Role.UNION_OFFICER}) == [Purpose.UNION]
    assert domain.allowed_purposes({Role.EMPLOYEE}) == [Purpose.PERSONAL]
    assert domain.allowed_purposes({Role.SUPPLIER}) == []
    assert domain.check_purpose("union", {Role.UNION_OFFICER}) is Purpose.UNION
    with pytest.raises(domain.PurposeNotAllowedError):
        domain.check_purpose("canteen", {Role.UNION_OFFICER})
    with pytest.raises(domain.InvalidPurposeError):
        domain.check_purpose("gift", {Role.BUYER})


# ---- split and totals --------------------------------------------------------------------------


def test_a_checkout_splits_into_one_order_per_supplier_and_purpose_with_exact_totals():
    lines = [
        line(1, supplier=2, qty=3, price=4_990),
        line(2, supplier=1, qty=1, price=12_800),
        line(3, supplier=2, qty=2, price=1_250),
        line(4, supplier=2, purpose=Purpose.UNION, qty=5, price=9_900),
    ]
    drafts = domain.split_orders(lines)
    assert [(d.supplier_id, d.purpose, d.total_fen) for d in drafts] == [
        (1, Purpose.CANTEEN, 12_800),
        (2, Purpose.CANTEEN, 3 * 4_990 + 2 * 1_250),
        (2, Purpose.UNION, 49_500),
    ]
    assert domain.checkout_total_fen(drafts) == sum(x.total_fen for x in lines)


def test_expected_total_must_match_or_nothing_is_placed():
    lines = [line(1, qty=2, price=1_000)]
    domain.check_expected_total(total_fen=2_000, expected_total_fen=2_000, lines=lines)
    with pytest.raises(domain.ExpectedTotalMismatchError) as err:
        domain.check_expected_total(total_fen=2_000, expected_total_fen=1_999, lines=lines)
    assert err.value.details == {"total_fen": 2_000, "expected_total_fen": 1_999}


def test_a_changed_price_is_reported_as_price_changed_with_old_and_new_prices():
    lines = [line(1, qty=2, price=1_100, seen=1_000)]
    with pytest.raises(domain.PriceChangedError) as err:
        domain.check_expected_total(total_fen=2_200, expected_total_fen=2_000, lines=lines)
    assert err.value.details["changed"] == [{"product_id": 1, "old_price_fen": 1_000, "price_fen": 1_100}]
    # the page already showed the new total: accepted
    domain.check_expected_total(total_fen=2_200, expected_total_fen=2_200, lines=lines)


def test_approval_is_needed_only_above_a_unit_threshold_and_never_for_personal_carts():
    assert not domain.needs_approval(50_000, None, cart_kind=CartKind.UNIT)
    assert not domain.needs_approval(50_000, 50_000, cart_kind=CartKind.UNIT)
    assert domain.needs_approval(50_001, 50_000, cart_kind=CartKind.UNIT)
    assert not domain.needs_approval(50_001, 0, cart_kind=CartKind.PERSONAL)


def test_personal_purchases_are_paid_by_card():
    assert domain.check_payment_mode("transfer", cart_kind=CartKind.UNIT) is PaymentMode.TRANSFER
    with pytest.raises(domain.InvalidPaymentModeError):
        domain.check_payment_mode("transfer", cart_kind=CartKind.PERSONAL)
    with pytest.raises(domain.InvalidPaymentModeError):
        domain.check_payment_mode("cash", cart_kind=CartKind.UNIT)


@pytest.mark.parametrize("value", [-1, "100", 1.5, True, None, MAX_AMOUNT_FEN + 1, 10**20, 2**63])
def test_expected_total_must_be_a_non_negative_integer_within_the_amount_bound(value):
    with pytest.raises(InvalidInputError):
        domain.parse_expected_total(value)
    assert domain.parse_expected_total(MAX_AMOUNT_FEN) == MAX_AMOUNT_FEN


@pytest.mark.parametrize("value", [-1, MAX_AMOUNT_FEN + 1, 10**20, 2.5, "5000", True])
def test_an_approval_threshold_beyond_the_amount_bound_is_refused_in_chinese(value):
    with pytest.raises(domain.InvalidSettingsError) as err:
        domain.check_threshold(value)
    assert "¥100,000,000.00" in err.value.message
    assert domain.check_threshold(MAX_AMOUNT_FEN) == MAX_AMOUNT_FEN and domain.check_threshold(None) is None


# ---- states ------------------------------------------------------------------------------------


def test_every_state_has_a_transition_row_and_a_label():
    assert set(domain.ORDER_TRANSITIONS) == set(OrderStatus) == set(domain.ORDER_STATUS_LABELS)
    assert set(domain.PAYMENT_TRANSITIONS) == set(PaymentStatus) == set(domain.PAYMENT_STATUS_LABELS)


def test_a_shipped_or_cancelled_order_cannot_be_cancelled_again():
    domain.ensure_order_transition(OrderStatus.PLACED, OrderStatus.CANCELLED)
    for current in (OrderStatus.SHIPPED, OrderStatus.ACCEPTED, OrderStatus.CANCELLED):
        with pytest.raises(InvalidTransitionError):
            domain.ensure_order_transition(current, OrderStatus.CANCELLED)
    assert OrderStatus.SHIPPED not in domain.CANCELLABLE


def test_a_failed_payment_is_final_and_a_paid_one_only_moves_to_refunds():
    with pytest.raises(InvalidTransitionError):
        domain.ensure_payment_transition(PaymentStatus.FAILED, PaymentStatus.PAID)
    assert domain.PAYMENT_TRANSITIONS[PaymentStatus.PAID] == {
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    }


# ---- refunds, due dates, holds -----------------------------------------------------------------


def test_refunds_are_positive_and_within_what_was_paid():
    assert domain.check_refund(500, paid_fen=1_000, refunded_fen=500) == 500
    with pytest.raises(domain.RefundExceedsPaidError):
        domain.check_refund(501, paid_fen=1_000, refunded_fen=500)
    with pytest.raises(InvalidInputError):
        domain.check_refund(0, paid_fen=1_000, refunded_fen=0)
    assert domain.status_after_refund(paid_fen=1_000, refunded_fen=400) is PaymentStatus.PARTIALLY_REFUNDED
    assert domain.status_after_refund(paid_fen=1_000, refunded_fen=1_000) is PaymentStatus.REFUNDED


def test_a_refund_is_spread_over_lines_by_what_each_can_still_refund():
    assert domain.prorate_refund_fen(100, [300, 100]) == [75, 25]
    assert domain.prorate_refund_fen(1, [1, 1, 1]) == [1, 0, 0]
    with pytest.raises(domain.RefundExceedsPaidError):
        domain.prorate_refund_fen(401, [300, 100])


def test_a_checkout_starts_awaiting_approval_or_payment_or_placed():
    unit, personal = domain.CartKind.UNIT, domain.CartKind.PERSONAL
    waiting = domain.initial_state(domain.PaymentMode.CARD, awaiting_approval=True, cart_kind=unit)
    assert (waiting.status, waiting.payment_status, waiting.approval_status) == (
        domain.OrderStatus.PENDING_APPROVAL,
        domain.PaymentStatus.UNPAID,
        domain.ApprovalStatus.PENDING,
    )
    assert waiting.awaiting_approval and not waiting.sold
    card = domain.initial_state(domain.PaymentMode.CARD, awaiting_approval=False, cart_kind=personal)
    assert (card.status, card.payment_status) == (domain.OrderStatus.PENDING_PAYMENT, domain.PaymentStatus.PROCESSING)
    assert domain.card_name(personal) in card.note and not card.sold and not card.awaiting_approval
    transfer = domain.initial_state(domain.PaymentMode.TRANSFER, awaiting_approval=False, cart_kind=unit)
    assert (transfer.status, transfer.payment_status, transfer.approval_status) == (
        domain.OrderStatus.PLACED,
        domain.PaymentStatus.AWAITING_TRANSFER,
        domain.ApprovalStatus.NOT_REQUIRED,
    )
    assert transfer.sold and "30日" in transfer.note


def test_an_order_number_is_the_date_the_checkout_and_the_place_in_it():
    assert domain.order_number(date(2026, 3, 18), 42, 3) == "20260318000004203"
    assert domain.order_number(date(2026, 3, 18), 42, 1) != domain.order_number(date(2026, 3, 18), 42, 2)


def test_stock_is_taken_per_product_in_product_id_order():
    def line(product_id, quantity):
        return domain.PricedLine(1, product_id, 1, domain.Purpose.CANTEEN, quantity, 100, 100)

    wanted = domain.quantities_by_product([line(9, 2), line(3, 1), line(9, 5)])
    assert list(wanted.items()) == [(3, 1), (9, 7)]


def test_a_transfer_is_due_thirty_days_after_acceptance():
    assert domain.transfer_due_on(date(2026, 10, 15)) == date(2026, 11, 14)


def test_stock_is_held_fifteen_minutes_for_a_card_and_three_days_for_an_approval():
    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert domain.hold_until(now, awaiting_approval=False) == datetime(2026, 5, 1, 9, 15, tzinfo=UTC)
    assert domain.hold_until(now, awaiting_approval=True) == datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_delivery_date_is_from_tomorrow_to_ninety_days():
    today = date(2026, 5, 1)
    assert domain.check_delivery_on(None, today=today) is None
    assert domain.check_delivery_on(date(2026, 5, 2), today=today) == date(2026, 5, 2)
    for bad in (date(2026, 5, 1), date(2026, 7, 31)):
        with pytest.raises(domain.InvalidDeliveryDateError):
            domain.check_delivery_on(bad, today=today)


# ---- filters, addresses, cards, keys -----------------------------------------------------------


def test_order_filters_parse_and_refuse_clearly():
    filters = domain.parse_order_filters({"status": "placed", "purpose": "union", "from": "2026-05-01", "to": ""})
    assert filters == domain.OrderFilters(status=OrderStatus.PLACED, purpose=Purpose.UNION, date_from=date(2026, 5, 1))
    for bad, message in (
        ({"status": "lost"}, "未知的订单状态"),
        ({"purpose": "gift"}, "未知的采购用途"),
        ({"from": "2026-13-01"}, "日期格式应为 YYYY-MM-DD，且在2000-01-01至2099-12-31之间"),
        ({"to": "9999-12-31"}, "日期格式应为 YYYY-MM-DD，且在2000-01-01至2099-12-31之间"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "起始日期不能晚于结束日期"),
        ({"checkout": "x"}, "结算单编号应为正整数"),
        ({"checkout": "²"}, "结算单编号应为正整数"),
        ({"checkout": "2147483648"}, "结算单编号应为正整数"),
    ):
        with pytest.raises(domain.InvalidOrderFilterError) as err:
            domain.parse_order_filters(bad)
        assert err.value.message == message


def test_addresses_need_a_recipient_a_phone_and_a_street_address():
    clean = domain.check_address(
        AddressInput(label=" ", recipient=" 李建国 ", phone="139 0531 0001", detail="济南市历下区省府前街1号")
    )
    assert (clean.label, clean.recipient, clean.phone) == ("收货地址", "李建国", "13905310001")
    assert domain.check_address(AddressInput("食堂", "李建国", "0531-86061234", "济南市历下区省府前街1号")).phone
    for bad in (
        AddressInput("食堂", "", "13905310001", "济南市历下区省府前街1号"),
        AddressInput("食堂", "李建国", "12345", "济南市历下区省府前街1号"),
        AddressInput("食堂", "李建国", "13905310001", "济南"),
    ):
        with pytest.raises(domain.InvalidAddressError):
            domain.check_address(bad)


def test_cards_pass_luhn_and_are_not_expired():
    today = date(2026, 5, 1)
    assert domain.check_card("4242 4242 4242 4242", 12, 2030, "123", today=today) == "4242424242424242"
    for number, month, year, cvc in (
        ("4242424242424241", 12, 2030, "123"),  # Luhn
        ("4242", 12, 2030, "123"),
        ("4242424242424242", 4, 2026, "123"),  # expired
        ("4242424242424242", 13, 2030, "123"),
        ("4242424242424242", 12, 2030, "12"),
    ):
        with pytest.raises(domain.InvalidCardError):
            domain.check_card(number, month, year, cvc, today=today)


def test_idempotency_keys_are_short_safe_strings_and_fingerprints_are_stable():
    assert domain.check_idempotency_key("3f2a-checkout:1") == "3f2a-checkout:1"
    for bad in ("", None, "a" * 101, "有中文", "a b"):
        with pytest.raises(domain.InvalidIdempotencyKeyError):
            domain.check_idempotency_key(bad)
    assert domain.request_fingerprint({"a": 1, "b": "x"}) == domain.request_fingerprint({"b": "x", "a": 1})
    assert domain.request_fingerprint({"a": 1}) != domain.request_fingerprint({"a": 2})

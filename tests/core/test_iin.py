import pytest
from django.core.exceptions import ValidationError

from core.iin import iin_check_digit, is_valid_iin, validate_iin


@pytest.mark.parametrize("iin", ["900101300176", "850512400125", "000221600040"])
def test_a_valid_iin_passes_the_first_weights(iin):
    assert is_valid_iin(iin)
    validate_iin(iin)


def test_when_the_first_weights_give_ten_the_second_weights_decide():
    # 1..11 weights over 88010130011 give 10; 3..11,1,2 give 1.
    assert iin_check_digit("88010130011") == 1
    assert is_valid_iin("880101300111")
    assert not is_valid_iin("880101300110")


def test_when_both_weights_give_ten_no_iin_is_valid():
    assert iin_check_digit("88010130010") is None
    assert not any(is_valid_iin(f"88010130010{d}") for d in range(10))


@pytest.mark.parametrize(
    "value", ["900101300177", "90010130017", "9001013001767", "90010130017a", "", "９００１０１３００１７６"]
)
def test_invalid_iins_are_refused(value):
    assert not is_valid_iin(value)
    with pytest.raises(ValidationError):
        validate_iin(value)

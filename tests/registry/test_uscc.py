import pytest

from qingshen.registry import uscc

VALID = ["91110108551385082Q", "91512081MA62K0260E"]


@pytest.mark.parametrize("code", VALID)
def test_valid_vectors(code):
    assert uscc.validate(code) == code


def test_invalid_vector_from_the_domain_notes():
    with pytest.raises(uscc.InvalidCode):
        uscc.validate("91350100M000100Y4Z")


def test_wrong_check_character_names_the_right_one():
    with pytest.raises(uscc.InvalidCode) as err:
        uscc.validate("91110108551385082A")
    assert "Q" in str(err.value.reason)


@pytest.mark.parametrize(
    "typed",
    [
        "91110108551385082q",  # lower case
        "９１１１０１０８５５１３８５０８２Ｑ",  # full-width digits and letter
        " 9111 0108 5513 8508 2Q ",  # spaces
        "911101085513-85082Q",  # a dash
    ],
)
def test_what_people_type_is_normalised(typed):
    assert uscc.validate(typed) == "91110108551385082Q"


@pytest.mark.parametrize("bad", ["", "9111010855138508", "91110108551385082QQ", "9111010855138508IO"])
def test_wrong_length_or_alphabet(bad):
    with pytest.raises(uscc.InvalidCode):
        uscc.validate(bad)


def _independent_check(first17):
    # The standard's formula written out again, to compare with the module.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights, strict=True))
    return alphabet[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "first17",
    ["N2110108MA0000001", "Y1500112000000001", "A1110000MB1234567", "51110000500000123", "12100000400012345"],
)
def test_letter_registration_authorities_are_valid(first17):
    code = first17 + _independent_check(first17)
    assert uscc.validate(code) == code


def test_weights_are_powers_of_three_mod_31():
    assert list(uscc.WEIGHTS) == [pow(3, i, 31) for i in range(17)]


def _with_check(first17):
    return first17 + _independent_check(first17)


def test_every_authority_and_entity_type_of_the_table_is_valid():
    from qingshen.registry.uscc_authorities import AUTHORITIES

    assert set(AUTHORITIES) == set("123456789ANY")
    for authority, (_name, types) in AUTHORITIES.items():
        for entity_type in types:
            code = _with_check(f"{authority}{entity_type}500112MA0000001")
            assert uscc.validate(code) == code


@pytest.mark.parametrize("first", ["0", "B", "M", "X", "G"])
def test_an_unknown_registration_authority_is_refused(first):
    with pytest.raises(uscc.InvalidCode) as err:
        uscc.validate(_with_check(f"{first}1500112MA0000001"))
    assert first in str(err.value.reason) and "GB 32100" in str(err.value.reason)


@pytest.mark.parametrize("first2", ["90", "94", "99", "1A", "50", "A2", "Y9", "N4", "2Y"])
def test_an_entity_type_the_authority_does_not_assign_is_refused(first2):
    with pytest.raises(uscc.InvalidCode) as err:
        uscc.validate(_with_check(f"{first2}500112MA0000001"))
    assert first2[1] in str(err.value.reason)


def test_the_message_lists_what_the_authority_assigns():
    with pytest.raises(uscc.InvalidCode) as err:
        uscc.validate(_with_check("94500112MA0000001"))
    assert "1、2、3" in str(err.value.reason)


def test_demo_and_factory_codes_stay_valid():
    from qingshen.demo.world import make_uscc

    assert all(uscc.is_valid(make_uscc(region, n)) for region in ("500000", "500112") for n in range(50))

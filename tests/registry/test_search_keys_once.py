"""The import's new enterprises get their pinyin keys from one reading of each name, each segmented
word converted once: the keys must be the ones initials_of and pinyin_of give, name by name."""

from qingshen.registry.search_keys import initials_of, keys_of, pinyin_of

NAMES = [
    "重庆长安汽车股份有限公司",
    "ABC（重庆）有限公司",
    "重庆银行行长办公室",  # 行: hang and xing, read from the phrase
    "长寿区长寿化工有限公司",  # 长: chang and zhang
    "ＡＢＣ１２３科技",  # full-width letters and digits pass as they are
    "𠀀𠀁企业",  # characters without pinyin stay whole in the initials as in the full key
    "x·y-z 企业",
    "",
]


def test_keys_of_equals_the_two_keys_name_by_name():
    for name in NAMES + NAMES:  # the second round reads each word from the cache
        assert keys_of(name) == (initials_of(name), pinyin_of(name)), name

"""The Rule rows of the draw's rating floor (seeded by migration 0007; the city edits them)."""

RATING_FLOOR = "review_expert_rating_floor"
RATING_FLOOR_MIN_COUNT = "review_expert_rating_floor_min_count"

QUALITY_RULES = [
    {
        "code": RATING_FLOOR,
        "name": "抽取评审专家的工作质量评分下限（0 为不启用）",
        "amount": 0,
        "unit": "points",
        "roll_forward": False,
        "basis": "U",
        "source": "全国未见规定 [U]。清审默认不启用（0）；市局设为大于 0 的分数后，工作质量平均分低于此分"
        "（且已有不少于“评分下限所需的最少评分次数”次评分）的专家不参加抽取，并在抽取记录中写明原因。",
    },
    {
        "code": RATING_FLOOR_MIN_COUNT,
        "name": "适用评分下限所需的最少评分次数",
        "amount": 3,
        "unit": "count",
        "roll_forward": False,
        "basis": "U",
        "source": "全国未见规定 [U]。清审默认 3 次：评分少于此数的专家不因评分下限而排除（一两次评分不足以说明质量）；"
        "设为 0 或 1 时，一次评分即适用。",
    },
]

"""The eight categories of DOMAIN.md, with stable slugs (URLs and API filters use them)."""

CATEGORIES = (
    ("grain-oil", "粮油", "大米、面粉、杂粮、食用油"),
    ("meat-egg", "肉禽蛋", "牛羊肉、猪肉、禽类、蛋类"),
    ("fruit-veg", "果蔬", "时令水果、蔬菜、薯类"),
    ("dried", "干货", "菌菇、干果、杂粮干货、药食同源"),
    ("tea", "茶饮", "绿茶、白茶、花草茶、冲饮"),
    ("seasoning", "调味品", "花椒、辣椒、蜂蜜、酱料"),
    ("snacks", "休闲食品", "肉干、坚果、糕点"),
    ("drinks", "酒水", "果汁、饮料、酒类"),
)

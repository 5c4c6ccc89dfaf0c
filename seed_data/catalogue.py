"""Demo suppliers and products: fictional registered suppliers in eligible counties (places.py) and the
real specialties they sell, each with one to three pack sizes (plain pack, canteen or whole-case pack, gift box).

Supplier names are invented; products, specs, prices (integer fen), storage, shelf lives and seasons are
plausible demo estimates drawn from ../shared/reference/counties-and-products.md, not quotes."""

from __future__ import annotations

from seed_data.records import ProductSeed, SupplierSeed, VariantSeed

SUPPLIERS: tuple[SupplierSeed, ...] = (
    # 安定区
    SupplierSeed(
        key="dx-shuyuan",
        name="定西市安定区薯源农业科技有限公司",
        county_code="621102",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在安定区建有马铃薯标准化种植基地和窖藏库，经营鲜薯和粉条。",
    ),
    SupplierSeed(
        key="dx-dianfen",
        name="定西市安定区陇中薯业淀粉有限公司",
        county_code="621102",
        entity_type="enterprise",
        intro="以本地马铃薯为原料生产精淀粉，年加工鲜薯数万吨。",
    ),
    # 岷县
    SupplierSeed(
        key="minxian-danggui",
        name="岷县归源中药材种植专业合作社",
        county_code="621126",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织岷县农户种植当归，统一采挖、晾晒、切片。",
    ),
    # 陇西县
    SupplierSeed(
        key="longxi-huangqi",
        name="陇西县岐黄源中药材有限公司",
        county_code="621122",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在陇西县从事黄芪、党参的收购、切片和包装。",
    ),
    SupplierSeed(
        key="longxi-larou",
        name="陇西县陇上香腊肉食品有限公司",
        county_code="621122",
        entity_type="enterprise",
        served_by_coop=True,
        intro="按陇西传统工艺腌制、晾晒腊肉，冬季集中生产。",
    ),
    # 渭源县
    SupplierSeed(
        key="weiyuan-dangshen",
        name="渭源县源圣中药材专业合作社",
        county_code="621123",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织渭源县农户种植白条党参，统一分级和初加工。",
    ),
    # 通渭县
    SupplierSeed(
        key="tongwei-qiao",
        name="通渭县荞香源农业开发有限公司",
        county_code="621121",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在通渭县订单种植苦荞和甜荞，加工荞麦茶和荞麦粉。",
    ),
    # 漳县
    SupplierSeed(
        key="zhangxian-jun",
        name="漳县山珍食用菌专业合作社",
        county_code="621125",
        entity_type="cooperative",
        served_by_coop=True,
        intro="带动漳县农户发展香菇大棚，并收购本地蚕豆。",
    ),
    # 临洮县
    SupplierSeed(
        key="lintao-shu",
        name="临洮县洮河源马铃薯专业合作社",
        county_code="621124",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织临洮县社员种植马铃薯，统一分级、窖藏和发运。",
    ),
    # 武都区
    SupplierSeed(
        key="wudu-huajiao",
        name="陇南市武都区椒乡调味品有限公司",
        county_code="621202",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在武都区收购大红袍花椒，经筛选、除籽后分装。",
    ),
    SupplierSeed(
        key="wudu-olive",
        name="陇南市武都区白龙江油橄榄开发有限公司",
        county_code="621202",
        entity_type="enterprise",
        intro="在白龙江河谷种植油橄榄并冷榨橄榄油，自有物流发货。",
    ),
    # 文县
    SupplierSeed(
        key="wenxian-wendang",
        name="文县碧峰纹党中药材专业合作社",
        county_code="621222",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织文县山区农户种植纹党参，统一晾晒、分级。",
    ),
    SupplierSeed(
        key="wenxian-tea",
        name="文县碧水春茶业有限公司",
        county_code="621222",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在碧口镇周边收购鲜叶加工绿茶，春茶季集中生产。",
    ),
    # 康县
    SupplierSeed(
        key="kangxian-muer",
        name="康县山里人家黑木耳专业合作社",
        county_code="621224",
        entity_type="cooperative",
        served_by_coop=True,
        intro="带动康县山区农户种植段木和袋料黑木耳。",
    ),
    SupplierSeed(
        key="kangxian-yangba",
        name="康县阳坝山茶叶有限公司",
        county_code="621224",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在阳坝镇经营茶园并加工绿茶。",
    ),
    # 宕昌县
    SupplierSeed(
        key="dangchang-huangqi",
        name="宕昌县哈达铺药源中药材有限公司",
        county_code="621223",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在哈达铺收购当地种植的黄芪、当归，切片分装。",
    ),
    # 礼县
    SupplierSeed(
        key="lixian-apple",
        name="礼县秦源果业有限公司",
        county_code="621226",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在礼县山地果园收购苹果，经冷库贮藏后分级发运。",
    ),
    # 两当县
    SupplierSeed(
        key="liangdang-mi",
        name="两当县云屏山蜂业专业合作社",
        county_code="621228",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织两当县山区农户饲养中蜂，统一摇蜜和检测。",
    ),
    # 成县
    SupplierSeed(
        key="chengxian-hetao",
        name="成县鸡峰山核桃开发有限公司",
        county_code="621221",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在成县收购本地核桃，经脱青皮、清洗、烘干后分级销售。",
    ),
    # 徽县
    SupplierSeed(
        key="huixian-dasuan",
        name="徽县嘉陵紫皮大蒜专业合作社",
        county_code="621227",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织徽县农户种植秋播紫皮大蒜，统一晾晒、分级。",
    ),
    # 东乡族自治县
    SupplierSeed(
        key="dongxiang-yang",
        name="东乡族自治县锁南羊业有限公司",
        county_code="622926",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在东乡县建有肉羊养殖和屠宰分割车间，经营清真羊肉。",
    ),
    # 和政县
    SupplierSeed(
        key="hezheng-pete",
        name="和政县太子山啤特果饮品有限公司",
        county_code="622925",
        entity_type="enterprise",
        served_by_coop=True,
        intro="以和政县农户种植的啤特果为原料生产果汁饮料。",
    ),
    # 临夏县
    SupplierSeed(
        key="linxiaxian-jun",
        name="临夏县北塬菌菇种植专业合作社",
        county_code="622921",
        entity_type="cooperative",
        served_by_coop=True,
        intro="在北塬建有食用菌大棚，周年供应鲜菇。",
    ),
    # 康乐县
    SupplierSeed(
        key="kangle-beef",
        name="康乐县莲麓肉牛养殖有限公司",
        county_code="622922",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在康乐县从事肉牛育肥和清真分割加工。",
    ),
    # 积石山保安族东乡族撒拉族自治县
    SupplierSeed(
        key="jishishan-huajiao",
        name="积石山县大河家花椒专业合作社",
        county_code="622927",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织积石山县沿黄河乡镇农户种植花椒，统一晾晒和分级。",
    ),
    # 静宁县
    SupplierSeed(
        key="jingning-apple",
        name="静宁县陇原红果品有限公司",
        county_code="620826",
        entity_type="enterprise",
        intro="在静宁县收购苹果，拥有气调冷库和分选线。",
    ),
    # 庄浪县
    SupplierSeed(
        key="zhuanglang-apple",
        name="庄浪县梯田果业专业合作社",
        county_code="620825",
        entity_type="cooperative",
        intro="组织庄浪县梯田果园农户统一管理和销售苹果。",
    ),
    # 秦安县
    SupplierSeed(
        key="qinan-peach",
        name="秦安县陇上桃源果品专业合作社",
        county_code="620522",
        entity_type="cooperative",
        intro="组织秦安县果农种植蜜桃，成熟季冷链发运。",
    ),
    # 麦积区
    SupplierSeed(
        key="maiji-huaniu",
        name="天水市麦积区花牛果业有限公司",
        county_code="620503",
        entity_type="enterprise",
        intro="在麦积区收购花牛苹果，冷库贮藏后分级销售。",
    ),
    # 甘谷县
    SupplierSeed(
        key="gangu-lajiao",
        name="甘谷县辣香源调味品有限公司",
        county_code="620523",
        entity_type="enterprise",
        intro="收购甘谷县种植的线辣椒，加工辣椒面和辣椒段。",
    ),
    # 玛曲县
    SupplierSeed(
        key="maqu-yak",
        name="玛曲县高原牦牛肉食品有限公司",
        county_code="623025",
        entity_type="enterprise",
        intro="收购玛曲县牧户的牦牛和欧拉羊，屠宰分割后冷冻发运。",
    ),
    SupplierSeed(
        key="maqu-juema",
        name="玛曲县草原蕨麻专业合作社",
        county_code="623025",
        entity_type="cooperative",
        intro="组织牧民采挖和晾晒草原蕨麻。",
    ),
    # 碌曲县
    SupplierSeed(
        key="luqu-ganrou",
        name="碌曲县尕秀牦牛食品有限公司",
        county_code="623026",
        entity_type="enterprise",
        intro="以碌曲县牦牛肉为原料生产风干牛肉和卤制牛肉干。",
    ),
    # 卓尼县
    SupplierSeed(
        key="zhuoni-qingke",
        name="卓尼县洮州青稞种植专业合作社",
        county_code="623022",
        entity_type="cooperative",
        intro="组织卓尼县农户种植青稞并加工青稞米。",
    ),
    # 环县
    SupplierSeed(
        key="huanxian-yang",
        name="环县陇东羊业有限公司",
        county_code="621022",
        entity_type="enterprise",
        intro="在环县从事湖羊、滩羊育肥和羊肉分割加工。",
    ),
    # 合水县
    SupplierSeed(
        key="heshui-huanghua",
        name="合水县子午岭黄花菜专业合作社",
        county_code="621024",
        entity_type="cooperative",
        intro="组织合水县农户种植黄花菜，统一蒸制晾晒。",
    ),
    # 镇原县
    SupplierSeed(
        key="zhenyuan-xiaomi",
        name="镇原县塬上谷香杂粮有限公司",
        county_code="621027",
        entity_type="enterprise",
        intro="收购镇原县旱塬种植的谷子，碾制成小米。",
    ),
    # 会宁县
    SupplierSeed(
        key="huining-huma",
        name="会宁县西岩山胡麻油有限公司",
        county_code="620422",
        entity_type="enterprise",
        intro="收购会宁县种植的胡麻籽，热榨生产胡麻油。",
    ),
    # 靖远县
    SupplierSeed(
        key="jingyuan-yang",
        name="靖远县黄河滩羊业有限公司",
        county_code="620421",
        entity_type="enterprise",
        intro="在靖远县从事滩羊养殖和羊肉分割。",
    ),
    # 天祝藏族自治县
    SupplierSeed(
        key="tianzhu-yak",
        name="天祝藏族自治县白牦牛肉业有限公司",
        county_code="620623",
        entity_type="enterprise",
        intro="收购天祝县牧户饲养的白牦牛，屠宰分割后冷冻销售。",
    ),
    # 城口县
    SupplierSeed(
        key="chengkou-larou",
        name="城口县大巴山老腊肉食品有限公司",
        county_code="500229",
        entity_type="enterprise",
        served_by_coop=True,
        intro="收购城口县农户散养生猪，按传统方法柴火熏制腊肉。",
    ),
    SupplierSeed(
        key="chengkou-ji",
        name="城口县山地鸡养殖专业合作社",
        county_code="500229",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织城口县山区农户林下散养山地鸡。",
    ),
    SupplierSeed(
        key="chengkou-feng",
        name="城口县巴山中蜂养殖专业合作社",
        county_code="500229",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织城口县农户饲养中华蜜蜂，统一摇蜜和检测。",
    ),
    # 巫溪县
    SupplierSeed(
        key="wuxi-yangyu",
        name="巫溪县红池坝洋芋专业合作社",
        county_code="500238",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织巫溪县高山农户种植洋芋，统一分级和发运。",
    ),
    SupplierSeed(
        key="wuxi-feng",
        name="巫溪县宁河中蜂家庭农场",
        county_code="500238",
        entity_type="family_farm",
        served_by_coop=True,
        intro="在巫溪县山区饲养中华蜜蜂的家庭农场。",
    ),
    # 酉阳土家族苗族自治县
    SupplierSeed(
        key="youyang-larou",
        name="酉阳县苍岭土家腊味食品有限公司",
        county_code="500242",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在酉阳县苍岭镇按土家传统工艺生产腊肉和香肠。",
    ),
    SupplierSeed(
        key="youyang-jiao",
        name="酉阳县花田青花椒专业合作社",
        county_code="500242",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织酉阳县农户种植青花椒，统一烘干、筛选。",
    ),
    SupplierSeed(
        key="youyang-chayou",
        name="酉阳县武陵山茶油有限公司",
        county_code="500242",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在酉阳县建有油茶基地和压榨车间。",
    ),
    # 彭水苗族土家族自治县
    SupplierSeed(
        key="pengshui-shaofen",
        name="彭水县郁山苕香食品有限公司",
        county_code="500243",
        entity_type="enterprise",
        served_by_coop=True,
        intro="以彭水县红薯为原料，用传统工艺生产晶丝苕粉。",
    ),
    SupplierSeed(
        key="pengshui-tea",
        name="彭水县摩围山白茶有限公司",
        county_code="500243",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在摩围山一带经营白茶茶园并加工白茶。",
    ),
    # 巫山县
    SupplierSeed(
        key="wushan-cuili",
        name="巫山县曲尺脆李专业合作社",
        county_code="500237",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织曲尺乡一带果农种植脆李，成熟季冷链发运。",
    ),
    SupplierSeed(
        key="wushan-miaodang",
        name="巫山县庙宇庙党中药材有限公司",
        county_code="500237",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在庙宇镇一带收购庙党，晾晒分级后销售。",
    ),
    SupplierSeed(
        key="wushan-fentiao",
        name="巫山县大溪薯香食品有限公司",
        county_code="500237",
        entity_type="enterprise",
        served_by_coop=True,
        intro="以本地红薯和豌豆为原料生产粉条。",
    ),
    # 奉节县
    SupplierSeed(
        key="fengjie-orange",
        name="奉节县夔门果业有限公司",
        county_code="500236",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在奉节县长江沿岸收购脐橙，经清洗、分选后发运。",
    ),
    # 开州区
    SupplierSeed(
        key="kaizhou-orange",
        name="重庆市开州区汉丰春橙种植专业合作社",
        county_code="500154",
        entity_type="cooperative",
        intro="组织开州区果农种植晚熟春橙，自行分选发货。",
    ),
    # 万州区
    SupplierSeed(
        key="wanzhou-orange",
        name="重庆市万州区三峡香橙果业有限公司",
        county_code="500101",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在万州区经营玫瑰香橙果园和分选车间。",
    ),
    # 石柱土家族自治县
    SupplierSeed(
        key="shizhu-chuncai",
        name="石柱县黄水莼菜食品有限公司",
        county_code="500240",
        entity_type="enterprise",
        served_by_coop=True,
        intro="收购黄水镇一带种植的莼菜，加工成保鲜瓶装莼菜。",
    ),
    SupplierSeed(
        key="shizhu-lajiao",
        name="石柱土家族自治县红火辣椒专业合作社",
        county_code="500240",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织石柱县农户种植辣椒，统一烘干和分级。",
    ),
    # 秀山土家族苗族自治县
    SupplierSeed(
        key="xiushan-jinyinhua",
        name="秀山县武陵金银花专业合作社",
        county_code="500241",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织秀山县农户种植金银花，统一采摘烘干。",
    ),
    SupplierSeed(
        key="xiushan-ji",
        name="秀山县川河盖生态家庭农场",
        county_code="500241",
        entity_type="family_farm",
        served_by_coop=True,
        intro="在川河盖高山林下散养土鸡的家庭农场。",
    ),
    # 丰都县
    SupplierSeed(
        key="fengdu-niurou",
        name="丰都县名山牛肉食品有限公司",
        county_code="500230",
        entity_type="enterprise",
        intro="在丰都县从事肉牛屠宰分割和牛肉干加工，自有冷链配送。",
    ),
    # 武隆区
    SupplierSeed(
        key="wulong-gaoshan",
        name="武隆区仙女山高山蔬菜专业合作社",
        county_code="500156",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织仙女山一带农户种植夏秋高山蔬菜。",
    ),
    SupplierSeed(
        key="wulong-dougan",
        name="武隆区羊角豆腐干食品有限公司",
        county_code="500156",
        entity_type="enterprise",
        served_by_coop=True,
        intro="按羊角镇传统工艺生产豆腐干。",
    ),
    # 黔江区
    SupplierSeed(
        key="qianjiang-kiwi",
        name="重庆市黔江区武陵红心猕猴桃专业合作社",
        county_code="500114",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织黔江区农户种植红心猕猴桃，建有预冷库。",
    ),
    # 云阳县
    SupplierSeed(
        key="yunyang-orange",
        name="云阳县盘龙红橙果业有限公司",
        county_code="500235",
        entity_type="enterprise",
        served_by_coop=True,
        intro="在云阳县经营柑橘果园，建有产地预冷库和分选线。",
    ),
    # 和田县
    SupplierSeed(
        key="hetian-junzao",
        name="和田县昆仑骏枣种植专业合作社",
        county_code="653221",
        entity_type="cooperative",
        intro="组织和田县农户种植骏枣，统一分级、清洗和包装。",
    ),
    # 于田县
    SupplierSeed(
        key="yutian-rose",
        name="于田县克里雅玫瑰花产业有限公司",
        county_code="653226",
        entity_type="enterprise",
        intro="收购于田县农户种植的玫瑰花蕾，烘干加工花茶。",
    ),
    # 麦盖提县
    SupplierSeed(
        key="maigaiti-zao",
        name="麦盖提县刀郎红枣家庭农场",
        county_code="653127",
        entity_type="family_farm",
        served_by_coop=True,
        intro="在叶尔羌河畔经营灰枣园的家庭农场。",
    ),
    # 疏勒县
    SupplierSeed(
        key="shule-melon",
        name="疏勒县早春瓜果专业合作社",
        county_code="653122",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织疏勒县农户在拱棚种植早春西瓜和甜瓜。",
    ),
    # 叶城县
    SupplierSeed(
        key="yecheng-walnut",
        name="叶城县帕米尔核桃产业有限公司",
        county_code="653126",
        entity_type="enterprise",
        intro="收购叶城县薄皮核桃，清洗、烘干、分级后销售。",
    ),
    # 英吉沙县
    SupplierSeed(
        key="yingjisha-xing",
        name="英吉沙县色买提杏业专业合作社",
        county_code="653123",
        entity_type="cooperative",
        served_by_coop=True,
        intro="组织英吉沙县农户种植色买提杏，经营鲜杏和杏干。",
    ),
    # 伽师县
    SupplierSeed(
        key="jiashi-gua",
        name="伽师县瓜乡农业开发有限公司",
        county_code="653129",
        entity_type="enterprise",
        intro="在伽师县种植和收购伽师瓜，冷库贮藏后分批发运。",
    ),
    # 莎车县
    SupplierSeed(
        key="shache-badanmu",
        name="莎车县巴旦木产业有限公司",
        county_code="653125",
        entity_type="enterprise",
        intro="收购莎车县巴旦木，开口、烘烤后包装销售。",
    ),
    # 阿图什市
    SupplierSeed(
        key="atushi-putao",
        name="阿图什市木纳格葡萄种植专业合作社",
        county_code="653001",
        entity_type="cooperative",
        intro="组织阿图什市农户种植木纳格葡萄，建有保鲜库。",
    ),
    # 柯坪县
    SupplierSeed(
        key="keping-yang",
        name="柯坪县天山南麓羊业有限公司",
        county_code="652929",
        entity_type="enterprise",
        intro="收购柯坪县牧户饲养的柯坪羊，屠宰分割后冷冻销售。",
    ),
    # 巴楚县
    SupplierSeed(
        key="bachu-gua",
        name="巴楚县留香瓜种植专业合作社",
        county_code="653130",
        entity_type="cooperative",
        intro="组织巴楚县农户种植留香瓜，成熟季集中发运。",
    ),
    # 卢氏县
    SupplierSeed(
        key="lushi-shanhuo",
        name="卢氏县豫西山货农业开发有限公司",
        county_code="411224",
        entity_type="enterprise",
        intro="收购卢氏县山区农户的核桃和香菇，分级包装后销售。",
    ),
    SupplierSeed(
        key="lushi-lianqiao",
        name="卢氏县伏牛山连翘茶业有限公司",
        county_code="411224",
        entity_type="enterprise",
        intro="以卢氏县野生连翘嫩叶为原料加工连翘茶。",
    ),
    SupplierSeed(
        key="lushi-feng",
        name="卢氏县熊耳山蜂蜜家庭农场",
        county_code="411224",
        entity_type="family_farm",
        intro="在熊耳山区饲养中蜂的家庭农场。",
    ),
    # 兰考县
    SupplierSeed(
        key="lankao-gua",
        name="兰考县黄河湾瓜果专业合作社",
        county_code="410225",
        entity_type="cooperative",
        intro="组织兰考县黄河故道农户种植蜜瓜和红薯。",
    ),
    # 新县
    SupplierSeed(
        key="xinxian-maojian",
        name="新县大别山毛尖茶业有限公司",
        county_code="411523",
        entity_type="enterprise",
        intro="在新县大别山区经营茶园，加工信阳毛尖。",
    ),
    # 固始县
    SupplierSeed(
        key="gushi-qin",
        name="固始县史河禽业有限公司",
        county_code="411525",
        entity_type="enterprise",
        intro="饲养固始鸡和固始白鹅，并加工卤制鹅块。",
    ),
    # 滑县
    SupplierSeed(
        key="huaxian-shaoji",
        name="滑县古镇熟食有限公司",
        county_code="410526",
        entity_type="enterprise",
        intro="按道口烧鸡传统工艺生产真空包装烧鸡。",
    ),
    # 封丘县
    SupplierSeed(
        key="fengqiu-jyh",
        name="封丘县金银花种植专业合作社",
        county_code="410727",
        entity_type="cooperative",
        intro="组织封丘县农户种植金银花，统一烘干和分级。",
    ),
    # 若尔盖县
    SupplierSeed(
        key="ruoergai-yak",
        name="若尔盖县花湖牦牛肉食品有限公司",
        county_code="513232",
        entity_type="enterprise",
        intro="收购若尔盖县牧民的牦牛，屠宰分割后冷冻销售。",
    ),
    # 红原县
    SupplierSeed(
        key="hongyuan-milk",
        name="红原县雪域牦牛乳业有限公司",
        county_code="513233",
        entity_type="enterprise",
        intro="收购红原县牧民的牦牛奶，生产奶粉和奶制品。",
    ),
    # 金川县
    SupplierSeed(
        key="jinchuan-li",
        name="金川县雪梨种植专业合作社",
        county_code="513226",
        entity_type="cooperative",
        intro="组织金川县大渡河谷农户种植雪梨。",
    ),
    # 盐源县
    SupplierSeed(
        key="yanyuan-apple",
        name="盐源县高原红果业有限公司",
        county_code="513423",
        entity_type="enterprise",
        intro="在盐源县收购苹果，冷库贮藏后分级发运。",
    ),
    # 昭觉县
    SupplierSeed(
        key="zhaojue-qiao",
        name="昭觉县大凉山苦荞食品有限公司",
        county_code="513431",
        entity_type="enterprise",
        intro="收购昭觉县彝族农户种植的苦荞，加工苦荞米和苦荞茶。",
    ),
    # 金阳县
    SupplierSeed(
        key="jinyang-jiao",
        name="金阳县青花椒产业有限公司",
        county_code="513430",
        entity_type="enterprise",
        intro="收购金阳县青花椒，烘干、去籽后分装。",
    ),
    # 雷波县
    SupplierSeed(
        key="leibo-orange",
        name="雷波县金沙江脐橙专业合作社",
        county_code="513437",
        entity_type="cooperative",
        intro="组织雷波县金沙江河谷农户种植脐橙。",
    ),
    # 水城区
    SupplierSeed(
        key="shuicheng-kiwi",
        name="六盘水市水城区红心猕猴桃产业有限公司",
        county_code="520204",
        entity_type="enterprise",
        intro="在水城区经营猕猴桃基地，建有冷库和分选线。",
    ),
    # 织金县
    SupplierSeed(
        key="zhijin-zhusun",
        name="织金县竹荪产业开发有限公司",
        county_code="520524",
        entity_type="enterprise",
        intro="带动织金县农户种植竹荪，统一烘干和分级。",
    ),
    # 威宁彝族回族苗族自治县
    SupplierSeed(
        key="weining-yangyu",
        name="威宁县乌蒙山洋芋专业合作社",
        county_code="520526",
        entity_type="cooperative",
        intro="组织威宁县高原农户种植洋芋，统一窖藏和发运。",
    ),
    # 赫章县
    SupplierSeed(
        key="hezhang-hetao",
        name="赫章县夜郎核桃产业有限公司",
        county_code="520527",
        entity_type="enterprise",
        intro="收购赫章县核桃，加工带壳核桃和核桃仁。",
    ),
    # 正安县
    SupplierSeed(
        key="zhengan-tea",
        name="正安县凤仪白茶有限公司",
        county_code="520324",
        entity_type="enterprise",
        intro="在正安县经营白茶茶园，春季加工绿茶型白茶。",
    ),
    # 沿河土家族自治县
    SupplierSeed(
        key="yanhe-li",
        name="沿河县沙子空心李专业合作社",
        county_code="520627",
        entity_type="cooperative",
        intro="组织沙子镇一带果农种植空心李，成熟季冷链发运。",
    ),
    # 从江县
    SupplierSeed(
        key="congjiang-xiangzhu",
        name="从江县月亮山香猪产业有限公司",
        county_code="522633",
        entity_type="enterprise",
        intro="在从江县从事香猪养殖、屠宰和分割。",
    ),
    # 紫云苗族布依族自治县
    SupplierSeed(
        key="ziyun-hongshu",
        name="紫云县红芯红薯专业合作社",
        county_code="520425",
        entity_type="cooperative",
        intro="组织紫云县农户种植红芯红薯，统一分级和储藏。",
    ),
    # 宣威市
    SupplierSeed(
        key="xuanwei-huotui",
        name="宣威市乌蒙火腿食品有限公司",
        county_code="530381",
        entity_type="enterprise",
        intro="按宣威火腿传统工艺腌制、发酵火腿。",
    ),
    # 昭阳区
    SupplierSeed(
        key="zhaotong-apple",
        name="昭通市昭阳区乌蒙红果业有限公司",
        county_code="530602",
        entity_type="enterprise",
        intro="在昭阳区经营苹果基地，建有气调冷库。",
    ),
    # 彝良县
    SupplierSeed(
        key="yiliang-tianma",
        name="彝良县小草坝天麻产业有限公司",
        county_code="530628",
        entity_type="enterprise",
        intro="在小草坝一带仿野生种植天麻，蒸制烘干后销售。",
    ),
    # 鲁甸县
    SupplierSeed(
        key="ludian-huajiao",
        name="鲁甸县龙头山花椒专业合作社",
        county_code="530621",
        entity_type="cooperative",
        intro="组织龙头山镇一带农户种植花椒，统一晾晒分级。",
    ),
    # 巴马瑶族自治县
    SupplierSeed(
        key="bama-huoma",
        name="巴马县盘阳河火麻食品有限公司",
        county_code="451227",
        entity_type="enterprise",
        intro="收购巴马县农户种植的火麻仁，冷榨生产火麻油。",
    ),
    # 环江毛南族自治县
    SupplierSeed(
        key="huanjiang-xiangzhu",
        name="环江县毛南香猪养殖专业合作社",
        county_code="451226",
        entity_type="cooperative",
        intro="组织环江县农户养殖香猪，统一屠宰分割。",
    ),
    # 乐业县
    SupplierSeed(
        key="leye-kiwi",
        name="乐业县大石围猕猴桃产业有限公司",
        county_code="451028",
        entity_type="enterprise",
        intro="在乐业县经营猕猴桃基地和冷库。",
    ),
    # 凌云县
    SupplierSeed(
        key="lingyun-baihao",
        name="凌云县浩坤白毫茶叶有限公司",
        county_code="451027",
        entity_type="enterprise",
        intro="在凌云县经营白毫茶茶园并加工绿茶、红茶。",
    ),
    # 天等县
    SupplierSeed(
        key="tiandeng-lajiao",
        name="天等县指天椒食品有限公司",
        county_code="451425",
        entity_type="enterprise",
        intro="收购天等县指天椒，加工干辣椒和辣椒酱。",
    ),
    # 扎赉特旗
    SupplierSeed(
        key="zhalaite-rice",
        name="扎赉特旗绰尔河稻米专业合作社",
        county_code="152223",
        entity_type="cooperative",
        intro="组织绰尔河灌区农户种植水稻，自有碾米厂。",
    ),
    # 四子王旗
    SupplierSeed(
        key="siziwang-yang",
        name="四子王旗格根塔拉羊业有限公司",
        county_code="150929",
        entity_type="enterprise",
        intro="收购四子王旗牧户饲养的杜蒙羊，屠宰分割后冷冻销售。",
    ),
    # 库伦旗
    SupplierSeed(
        key="kulun-qiao",
        name="库伦旗塔敏查干荞麦食品有限公司",
        county_code="150524",
        entity_type="enterprise",
        intro="收购库伦旗种植的荞麦，加工荞麦面粉和挂面。",
    ),
    # 蒙阴县
    SupplierSeed(
        key="mengyin-tao",
        name="蒙阴县岱崮蜜桃专业合作社",
        county_code="371328",
        entity_type="cooperative",
        intro="组织岱崮镇一带果农种植蜜桃，成熟季冷链发运。",
    ),
    # 平邑县
    SupplierSeed(
        key="pingyi-jyh",
        name="平邑县郑城金银花专业合作社",
        county_code="371326",
        entity_type="cooperative",
        intro="组织平邑县农户种植金银花，统一采摘、烘干。",
    ),
    SupplierSeed(
        key="pingyi-guantou",
        name="平邑县蒙阳罐头食品有限公司",
        county_code="371326",
        entity_type="enterprise",
        intro="以沂蒙山区黄桃为原料生产水果罐头。",
    ),
    # 沂南县
    SupplierSeed(
        key="yinan-huanggua",
        name="沂南县辛集黄瓜专业合作社",
        county_code="371321",
        entity_type="cooperative",
        intro="组织沂南县菜农在日光温室种植黄瓜。",
    ),
    SupplierSeed(
        key="yinan-heizhu",
        name="沂南县沂蒙黑猪养殖有限公司",
        county_code="371321",
        entity_type="enterprise",
        intro="饲养沂蒙黑猪并委托定点屠宰分割。",
    ),
    # 费县
    SupplierSeed(
        key="feixian-guopin",
        name="费县蒙山果品专业合作社",
        county_code="371325",
        entity_type="cooperative",
        intro="组织费县山区农户种植山楂、板栗和核桃。",
    ),
    SupplierSeed(
        key="feixian-jianbing",
        name="费县沂蒙煎饼食品有限公司",
        county_code="371325",
        entity_type="enterprise",
        intro="以本地小麦、玉米、小米为原料生产煎饼。",
    ),
    SupplierSeed(
        key="feixian-xihongshi",
        name="费县胡阳西红柿专业合作社",
        county_code="371325",
        entity_type="cooperative",
        intro="组织胡阳镇菜农在日光温室种植西红柿。",
    ),
    # 沂水县
    SupplierSeed(
        key="yishui-apple",
        name="沂水县沂河源果品专业合作社",
        county_code="371323",
        entity_type="cooperative",
        intro="组织沂水县山区果农种植苹果，建有冷库。",
    ),
    SupplierSeed(
        key="yishui-fengtang",
        name="沂水县沂州丰糖食品有限公司",
        county_code="371323",
        entity_type="enterprise",
        intro="按沂水传统工艺生产丰糖。",
    ),
    # 莒南县
    SupplierSeed(
        key="junan-huasheng",
        name="莒南县鲁东南花生制品有限公司",
        county_code="371327",
        entity_type="enterprise",
        intro="收购莒南县农户种植的花生，加工花生米和压榨花生油。",
    ),
    SupplierSeed(
        key="junan-banli",
        name="莒南县天马岛板栗专业合作社",
        county_code="371327",
        entity_type="cooperative",
        intro="组织莒南县农户种植板栗，统一分级和冷藏。",
    ),
    # 郯城县
    SupplierSeed(
        key="tancheng-yinxing",
        name="郯城县新村银杏产业有限公司",
        county_code="371322",
        entity_type="enterprise",
        intro="在郯城县经营银杏园，加工白果和银杏叶茶。",
    ),
    # 曹县
    SupplierSeed(
        key="caoxian-lusun",
        name="曹县黄河故道芦笋专业合作社",
        county_code="371721",
        entity_type="cooperative",
        intro="组织曹县农户种植绿芦笋，产地预冷后发运。",
    ),
    # 单县
    SupplierSeed(
        key="shanxian-yangtang",
        name="单县浮龙湖羊汤食品有限公司",
        county_code="371722",
        entity_type="enterprise",
        intro="以单县青山羊为原料生产速冻羊肉汤和分割羊肉。",
    ),
    # 成武县
    SupplierSeed(
        key="chengwu-jiangcai",
        name="成武县文亭酱菜食品有限公司",
        county_code="371723",
        entity_type="enterprise",
        intro="按成武传统工艺腌制酱大头等酱菜。",
    ),
    # 东明县
    SupplierSeed(
        key="dongming-xigua",
        name="东明县沙窝西瓜家庭农场",
        county_code="371728",
        entity_type="family_farm",
        intro="在黄河滩区沙壤地种植西瓜的家庭农场。",
    ),
    # 莘县
    SupplierSeed(
        key="shenxian-xianggua",
        name="莘县董杜庄香瓜专业合作社",
        county_code="371522",
        entity_type="cooperative",
        intro="组织莘县菜农在大棚种植香瓜。",
    ),
    # 冠县
    SupplierSeed(
        key="guanxian-yali",
        name="冠县兰沃鸭梨专业合作社",
        county_code="371525",
        entity_type="cooperative",
        intro="组织冠县兰沃一带果农种植鸭梨，建有冷库。",
    ),
    SupplierSeed(
        key="guanxian-lingzhi",
        name="冠县店子灵芝产业有限公司",
        county_code="371525",
        entity_type="enterprise",
        intro="在店子镇种植赤灵芝，加工灵芝切片。",
    ),
    # 阳信县
    SupplierSeed(
        key="yangxin-yali",
        name="阳信县金阳鸭梨专业合作社",
        county_code="371622",
        entity_type="cooperative",
        intro="组织阳信县果农种植鸭梨，统一分级和冷藏。",
    ),
    SupplierSeed(
        key="yangxin-niurou",
        name="阳信县鲁北肉牛食品有限公司",
        county_code="371622",
        entity_type="enterprise",
        intro="在阳信县从事肉牛屠宰、排酸和分割。",
    ),
    # 五莲县
    SupplierSeed(
        key="wulian-yingtao",
        name="五莲县松柏樱桃专业合作社",
        county_code="371121",
        entity_type="cooperative",
        intro="组织五莲县山区果农种植大樱桃，成熟季冷链发运。",
    ),
    SupplierSeed(
        key="wulian-guoguang",
        name="五莲县九仙山果品有限公司",
        county_code="371121",
        entity_type="enterprise",
        intro="收购五莲县山区的国光苹果，冷库贮藏后销售。",
    ),
    # 泗水县
    SupplierSeed(
        key="sishui-digua",
        name="泗水县泉林地瓜专业合作社",
        county_code="370831",
        entity_type="cooperative",
        intro="组织泗水县农户种植地瓜，建有恒温薯窖。",
    ),
)

PRODUCTS: tuple[ProductSeed, ...] = (
    # 安定区
    ProductSeed(
        name="定西马铃薯 鲜薯",
        supplier_key="dx-shuyuan",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=150,
        season="9月-次年5月",
        description=(
            "产自定西安定区旱作山地，黄皮黄心，淀粉含量高，适合炖煮、炒丝和做土豆泥。窖藏保鲜，食堂可整箱采购。"
        ),
        variants=(
            VariantSeed("10kg/箱", "箱", 3500),
            VariantSeed("5kg/箱", "箱", 1990),
            VariantSeed("25kg/袋", "袋", 7900, "食堂装"),
        ),
    ),
    ProductSeed(
        name="定西马铃薯精淀粉",
        supplier_key="dx-dianfen",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="以定西鲜薯为原料，经清洗、磨浆、分离、干燥制成，色白细腻。可用于勾芡、挂糊和制作粉皮。",
        variants=(
            VariantSeed("1kg/袋", "袋", 1600),
            VariantSeed("500g/袋", "袋", 890),
            VariantSeed("1kg×5袋/箱", "箱", 7500, "整箱装"),
        ),
    ),
    ProductSeed(
        name="定西土豆宽粉条",
        supplier_key="dx-shuyuan",
        category="dried",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="马铃薯淀粉手工漏制的宽粉，久煮不烂，口感筋道。适合炖菜、火锅和凉拌。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 5500),
            VariantSeed("500g/袋", "袋", 1280),
            VariantSeed("1kg×2袋/礼盒", "盒", 4800, "礼盒装"),
        ),
    ),
    # 岷县
    ProductSeed(
        name="岷县当归 切片",
        supplier_key="minxian-danggui",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="岷县高寒阴湿山区种植的当归，切成薄片晾干，气味浓郁。常用于炖汤和药膳，按药食同源方式食用。",
        variants=(
            VariantSeed("250g/袋", "袋", 4500),
            VariantSeed("500g/袋", "袋", 8500),
            VariantSeed("125g×2罐/礼盒", "盒", 6800, "礼盒装"),
        ),
    ),
    # 陇西县
    ProductSeed(
        name="陇西黄芪片",
        supplier_key="longxi-huangqi",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="选用陇西及周边山区种植的黄芪，斜切成片，片形完整。可泡水、煲汤或煮粥。",
        variants=(
            VariantSeed("500g/袋", "袋", 5800),
            VariantSeed("250g/袋", "袋", 3200),
            VariantSeed("250g×2罐/礼盒", "盒", 8800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="陇西腊肉 传统腌制",
        supplier_key="longxi-larou",
        category="meat-egg",
        storage="ambient",
        shelf_life_days=180,
        season="全年",
        description="以猪后腿肉和五花肉为原料，用盐和香料腌制后自然风干，肉色红亮。蒸熟切片即可食用，也可炒蒜苗。",
        variants=(
            VariantSeed("500g/袋", "袋", 4500),
            VariantSeed("1kg/袋", "袋", 8600),
            VariantSeed("500g×3袋/礼盒", "盒", 14800, "礼盒装"),
        ),
    ),
    # 渭源县
    ProductSeed(
        name="渭源白条党参",
        supplier_key="weiyuan-dangshen",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="渭源县高寒阴湿山区种植的党参，条长色白，经晾晒、搓揉制成。常用于炖鸡、煲汤。",
        variants=(
            VariantSeed("500g/袋", "袋", 8800),
            VariantSeed("250g/袋", "袋", 4600),
            VariantSeed("250g×2盒/礼盒", "盒", 11800, "礼盒装"),
        ),
    ),
    # 通渭县
    ProductSeed(
        name="通渭苦荞茶 全胚型",
        supplier_key="tongwei-qiao",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以通渭旱塬苦荞为原料，经蒸煮、烘焙制成颗粒茶，冲泡后有麦香。可直接冲泡，也可煮粥。",
        variants=(
            VariantSeed("300g/罐", "罐", 3500),
            VariantSeed("500g/袋", "袋", 5200),
            VariantSeed("300g×2罐/礼盒", "盒", 8800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="通渭荞麦粉",
        supplier_key="tongwei-qiao",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="甜荞籽粒石磨研磨而成，粉色微灰，适合做荞麦面条、饸饹和煎饼。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3200),
            VariantSeed("1kg/袋", "袋", 1400),
        ),
    ),
    # 漳县
    ProductSeed(
        name="漳县干香菇 厚菇",
        supplier_key="zhangxian-jun",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="漳县大棚栽培的香菇，烘干后菇盖厚实，香味浓。泡发后可炒、炖或做馅。",
        variants=(
            VariantSeed("250g/袋", "袋", 3900),
            VariantSeed("500g/袋", "袋", 7200),
            VariantSeed("250g×2袋/礼盒", "盒", 9200, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="漳县大蚕豆",
        supplier_key="zhangxian-jun",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="漳县种植的白皮大粒蚕豆，籽粒饱满。可煮、炒或制作豆瓣。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3000),
            VariantSeed("1kg/袋", "袋", 1300),
        ),
    ),
    # 临洮县
    ProductSeed(
        name="临洮马铃薯 黄心土豆",
        supplier_key="lintao-shu",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=150,
        season="9月-次年4月",
        description="洮河川塬沙壤土种植，薯形整齐、表皮光滑，黄心口感面沙。适合食堂炖菜和炸薯条。",
        variants=(
            VariantSeed("10kg/箱", "箱", 3600),
            VariantSeed("5kg/箱", "箱", 2000),
        ),
    ),
    # 武都区
    ProductSeed(
        name="武都大红袍花椒",
        supplier_key="wudu-huajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="武都区山地种植的大红袍花椒，7-8月采摘晾晒，颗粒大、色红油重、麻味足。适合炖肉、卤味和炝锅。",
        variants=(
            VariantSeed("250g/袋", "袋", 3500),
            VariantSeed("500g/袋", "袋", 6600),
            VariantSeed("100g×3罐/礼盒", "盒", 5800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="武都特级初榨橄榄油",
        supplier_key="wudu-olive",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="白龙江河谷种植的油橄榄鲜果低温冷榨，酸度低、果香清新。适合凉拌和低温烹调，请避光保存。",
        variants=(
            VariantSeed("500ml/瓶", "瓶", 11800),
            VariantSeed("250ml/瓶", "瓶", 6500),
            VariantSeed("500ml×2瓶/礼盒", "盒", 25800, "礼盒装"),
        ),
    ),
    # 文县
    ProductSeed(
        name="文县纹党参",
        supplier_key="wenxian-wendang",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="文县山区种植的纹党，根条上有明显横纹，质地柔润、味甜。可炖汤、泡水或入菜。",
        variants=(
            VariantSeed("250g/袋", "袋", 5800),
            VariantSeed("500g/袋", "袋", 11000),
        ),
    ),
    ProductSeed(
        name="文县碧口绿茶",
        supplier_key="wenxian-tea",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="4月-5月",
        description="产自白龙江畔碧口镇一带茶园，春季采摘一芽一叶制成，汤色嫩绿、栗香明显。",
        variants=(
            VariantSeed("100g/罐", "罐", 7800),
            VariantSeed("250g/盒", "盒", 17800),
            VariantSeed("50g×4罐/礼盒", "盒", 16800, "礼盒装"),
        ),
    ),
    # 康县
    ProductSeed(
        name="康县黑木耳 秋耳",
        supplier_key="kangxian-muer",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="康县山区栽培的黑木耳，朵小肉厚、泡发率高。适合凉拌、清炒和炖汤。",
        variants=(
            VariantSeed("250g/袋", "袋", 4200),
            VariantSeed("500g/袋", "袋", 8000),
            VariantSeed("125g×2袋/礼盒", "盒", 5800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="康县阳坝绿茶",
        supplier_key="kangxian-yangba",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="4月-5月",
        description="阳坝镇高山茶园春茶，条索紧细，滋味鲜爽。冲泡水温80-85℃为宜。",
        variants=(
            VariantSeed("100g/罐", "罐", 8800),
            VariantSeed("250g/罐", "罐", 19800),
        ),
    ),
    # 宕昌县
    ProductSeed(
        name="宕昌黄芪片",
        supplier_key="dangchang-huangqi",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="宕昌县山区种植的黄芪，切片晾干，断面黄白、有菊花心纹理。可泡水、炖汤。",
        variants=(
            VariantSeed("250g/袋", "袋", 3500),
            VariantSeed("500g/袋", "袋", 6600),
        ),
    ),
    # 礼县
    ProductSeed(
        name="礼县苹果 红富士",
        supplier_key="lixian-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="10月-次年4月",
        description="礼县高海拔山地果园出产，果面着色好、脆甜多汁。冷库贮藏，可供应至次年春季。",
        variants=(
            VariantSeed("5kg/箱", "箱", 5800),
            VariantSeed("10kg/箱", "箱", 10800),
            VariantSeed("3kg/礼盒", "盒", 4500, "礼盒装"),
        ),
    ),
    # 两当县
    ProductSeed(
        name="两当狼牙蜜",
        supplier_key="liangdang-mi",
        category="seasoning",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="两当县秦岭山区狼牙刺花期所产的蜂蜜，色浅、易结晶，口感清甜。温水冲饮或佐餐均可。",
        variants=(
            VariantSeed("500g/瓶", "瓶", 8800),
            VariantSeed("250g/瓶", "瓶", 4800),
            VariantSeed("500g×2瓶/礼盒", "盒", 18800, "礼盒装"),
        ),
    ),
    # 成县
    ProductSeed(
        name="成县核桃 薄壳",
        supplier_key="chengxian-hetao",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="9月-次年6月",
        description="成县浅山地区栽植的核桃，壳薄易剥，仁色浅黄、香而不涩。",
        variants=(
            VariantSeed("1kg/袋", "袋", 5000),
            VariantSeed("2.5kg/箱", "箱", 11800),
            VariantSeed("500g×2袋/礼盒", "盒", 6600, "礼盒装"),
        ),
    ),
    # 徽县
    ProductSeed(
        name="徽县紫皮大蒜",
        supplier_key="huixian-dasuan",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=180,
        season="6月-次年3月",
        description="徽县秋播越冬的紫皮大蒜，蒜瓣饱满、辛香浓。晾干后常温阴凉处可存放半年左右。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 3500),
            VariantSeed("5kg/箱", "箱", 6500),
        ),
    ),
    # 东乡族自治县
    ProductSeed(
        name="东乡手抓羊肉 带骨分割",
        supplier_key="dongxiang-yang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="东乡县舍饲育肥的本地羔羊，清真屠宰后分割速冻。适合手抓、清炖和黄焖。",
        variants=(
            VariantSeed("2kg/箱", "箱", 19800),
            VariantSeed("1kg/袋", "袋", 10200),
            VariantSeed("5kg/箱", "箱", 48000, "食堂装"),
        ),
    ),
    # 和政县
    ProductSeed(
        name="和政啤特果汁",
        supplier_key="hezheng-pete",
        category="drinks",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="以和政县太子山下的啤特果为原料榨汁调配，酸甜适口。可冷藏后饮用。",
        variants=(
            VariantSeed("245ml×12罐/箱", "箱", 6600),
            VariantSeed("245ml×20罐/箱", "箱", 10500),
            VariantSeed("245ml×6罐/提", "提", 3500),
        ),
    ),
    # 临夏县
    ProductSeed(
        name="临夏县鲜菌菇 香菇平菇组合",
        supplier_key="linxiaxian-jun",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=7,
        season="全年",
        description="北塬大棚当日采收的香菇和平菇，冷链发运。收货后请冷藏并尽快食用。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 3900),
            VariantSeed("5kg/箱", "箱", 7200, "食堂装"),
        ),
    ),
    # 康乐县
    ProductSeed(
        name="康乐牛肉 冷冻分割",
        supplier_key="kangle-beef",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="康乐县育肥的本地肉牛，清真屠宰后排酸分割，以牛腩、牛腱为主。适合红烧、卤制和炖汤。",
        variants=(
            VariantSeed("1kg/袋", "袋", 8800),
            VariantSeed("2.5kg/箱", "箱", 21000),
            VariantSeed("5kg/箱", "箱", 41000, "食堂装"),
        ),
    ),
    # 积石山保安族东乡族撒拉族自治县
    ProductSeed(
        name="积石山大红袍花椒",
        supplier_key="jishishan-huajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="积石山县黄河沿岸山地种植的花椒，色泽红润、麻香浓郁。适合炖肉、炒菜和制作花椒油。",
        variants=(
            VariantSeed("250g/袋", "袋", 3200),
            VariantSeed("500g/袋", "袋", 6000),
        ),
    ),
    # 静宁县
    ProductSeed(
        name="静宁苹果 红富士80#",
        supplier_key="jingning-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=180,
        season="10月-次年5月",
        description="静宁县高原果园出产的红富士，果径80mm以上，脆甜多汁。气调库贮藏，可全年分批供应。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6500),
            VariantSeed("10kg/箱", "箱", 11800),
            VariantSeed("3kg/礼盒", "盒", 5800, "礼盒装"),
        ),
    ),
    # 庄浪县
    ProductSeed(
        name="庄浪苹果",
        supplier_key="zhuanglang-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=180,
        season="10月-次年5月",
        description="庄浪县梯田果园出产，果形端正、酸甜适中。冷库贮藏后分批发货。",
        variants=(
            VariantSeed("5kg/箱", "箱", 5600),
            VariantSeed("10kg/箱", "箱", 10200),
        ),
    ),
    # 秦安县
    ProductSeed(
        name="秦安蜜桃",
        supplier_key="qinan-peach",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=10,
        season="7月-9月",
        description="秦安县山地果园出产，果个大、汁多味甜。八成熟采摘，冷链发运，收货后宜冷藏。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6800),
            VariantSeed("2.5kg/箱", "箱", 3800),
            VariantSeed("3kg/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 麦积区
    ProductSeed(
        name="天水花牛苹果",
        supplier_key="maiji-huaniu",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=120,
        season="9月-次年3月",
        description="麦积区出产的元帅系花牛苹果，果形高桩、果面浓红，肉质细面、香气浓。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6600),
            VariantSeed("2.5kg/箱", "箱", 3600),
            VariantSeed("3kg/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 甘谷县
    ProductSeed(
        name="甘谷辣椒面",
        supplier_key="gangu-lajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="以甘谷线辣椒为原料，晾干后石磨粉碎，色红、香辣适中。可用于油泼辣子和凉拌菜。",
        variants=(
            VariantSeed("250g/袋", "袋", 1600),
            VariantSeed("500g/袋", "袋", 2900),
            VariantSeed("1kg/袋", "袋", 5400, "餐饮装"),
        ),
    ),
    # 玛曲县
    ProductSeed(
        name="甘南牦牛肉 冷冻分割",
        supplier_key="maqu-yak",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="玛曲高原放牧的牦牛，秋季出栏屠宰，分割后速冻。肉色深红、脂肪少，适合炖煮和涮锅。",
        variants=(
            VariantSeed("1kg/袋", "袋", 11500),
            VariantSeed("2.5kg/箱", "箱", 27500),
            VariantSeed("500g×4袋/礼盒", "盒", 24800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="欧拉藏羊肉 冷冻分割",
        supplier_key="maqu-yak",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="黄河首曲草原放牧的欧拉藏羊，带骨分割后速冻，膻味轻。适合手抓、清炖。",
        variants=(
            VariantSeed("2kg/箱", "箱", 18800),
            VariantSeed("5kg/箱", "箱", 44000, "食堂装"),
        ),
    ),
    ProductSeed(
        name="玛曲蕨麻 人参果",
        supplier_key="maqu-juema",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="高原草甸野生蕨麻的块根，晾干后个小色红，俗称人参果。可煮粥、做八宝饭或甜点。",
        variants=(
            VariantSeed("250g/袋", "袋", 5800),
            VariantSeed("500g/袋", "袋", 10800),
        ),
    ),
    # 碌曲县
    ProductSeed(
        name="甘南牦牛肉干 风干型",
        supplier_key="luqu-ganrou",
        category="snacks",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="以牦牛后腿肉为原料，经腌制、风干、烘烤制成，肉质紧实有嚼劲。开袋即食。",
        variants=(
            VariantSeed("250g/袋", "袋", 5800),
            VariantSeed("500g/袋", "袋", 11200),
            VariantSeed("200g×3袋/礼盒", "盒", 17800, "礼盒装"),
        ),
    ),
    # 卓尼县
    ProductSeed(
        name="卓尼青稞米",
        supplier_key="zhuoni-qingke",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="卓尼县高海拔地区种植的青稞，去壳碾制成米。可与大米混合蒸饭或煮粥。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3900),
            VariantSeed("5kg/袋", "袋", 7500),
            VariantSeed("1kg/袋", "袋", 1700),
        ),
    ),
    # 环县
    ProductSeed(
        name="环县羊羔肉 冷冻分割",
        supplier_key="huanxian-yang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="环县旱塬饲养的羔羊，屠宰后分割速冻，肉质细嫩。适合清炖、黄焖和涮锅。",
        variants=(
            VariantSeed("2kg/箱", "箱", 18500),
            VariantSeed("1kg/袋", "袋", 9600),
            VariantSeed("5kg/箱", "箱", 44800, "食堂装"),
        ),
    ),
    # 合水县
    ProductSeed(
        name="庆阳黄花菜 干制",
        supplier_key="heshui-huanghua",
        category="dried",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="合水县种植的黄花菜，采摘花蕾后蒸制晒干，条长色黄。泡发后可炒肉、做汤。",
        variants=(
            VariantSeed("500g/袋", "袋", 4200),
            VariantSeed("250g/袋", "袋", 2300),
            VariantSeed("250g×2袋/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 镇原县
    ProductSeed(
        name="镇原黄小米",
        supplier_key="zhenyuan-xiaomi",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="镇原县旱塬种植的谷子碾制，米粒金黄，熬粥有米油。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3300),
            VariantSeed("5kg/袋", "袋", 6200),
            VariantSeed("500g×6袋/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 会宁县
    ProductSeed(
        name="会宁胡麻油 热榨",
        supplier_key="huining-huma",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以会宁旱地胡麻籽为原料，焙炒后压榨过滤，油色金黄、香味浓。适合炒菜和凉拌。",
        variants=(
            VariantSeed("5L/桶", "桶", 13800),
            VariantSeed("2.5L/桶", "桶", 7200),
            VariantSeed("1L×2瓶/礼盒", "盒", 7800, "礼盒装"),
        ),
    ),
    # 靖远县
    ProductSeed(
        name="靖远羊羔肉 冷冻分割",
        supplier_key="jingyuan-yang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="靖远县黄河沿岸饲养的羔羊，屠宰分割后速冻，肉质鲜嫩。适合手抓、清炖。",
        variants=(
            VariantSeed("2kg/箱", "箱", 18800),
            VariantSeed("1kg/袋", "袋", 9800),
        ),
    ),
    # 天祝藏族自治县
    ProductSeed(
        name="天祝白牦牛肉 冷冻分割",
        supplier_key="tianzhu-yak",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="天祝高寒草原放牧的白牦牛，分割成腱子、牛腩等部位速冻。适合炖、卤。",
        variants=(
            VariantSeed("1kg/袋", "袋", 11800),
            VariantSeed("2.5kg/箱", "箱", 28500),
        ),
    ),
    # 城口县
    ProductSeed(
        name="城口老腊肉 柴火熏制",
        supplier_key="chengkou-larou",
        category="meat-egg",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="城口县农户散养生猪，冬季腌制后用柴火慢熏，肥瘦相间、烟香浓。蒸、炒、炖均可。",
        variants=(
            VariantSeed("1kg/袋", "袋", 10800),
            VariantSeed("500g/袋", "袋", 5600),
            VariantSeed("500g×3袋/礼盒", "盒", 17800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="城口山地鸡 整鸡",
        supplier_key="chengkou-ji",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="大巴山林下散养一年左右的山地鸡，屠宰后整只速冻。适合炖汤和红烧。",
        variants=(
            VariantSeed("1.5kg/只", "只", 14800),
            VariantSeed("1.5kg×2只/箱", "箱", 28800, "两只装"),
        ),
    ),
    ProductSeed(
        name="城口中华蜂蜜 百花蜜",
        supplier_key="chengkou-feng",
        category="seasoning",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="大巴山区中华蜜蜂采集山花酿成，一年一取，成熟度高。温水冲饮或佐餐均可。",
        variants=(
            VariantSeed("500g/瓶", "瓶", 11800),
            VariantSeed("250g/瓶", "瓶", 6200),
            VariantSeed("500g×2瓶/礼盒", "盒", 24800, "礼盒装"),
        ),
    ),
    # 巫溪县
    ProductSeed(
        name="巫溪洋芋 高山土豆",
        supplier_key="wuxi-yangyu",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=75,
        season="7月-次年3月",
        description="巫溪县高山地区种植的洋芋，个头匀称、口感面沙。适合烧、炖、炒。",
        variants=(
            VariantSeed("5kg/箱", "箱", 2800),
            VariantSeed("10kg/箱", "箱", 5200),
        ),
    ),
    ProductSeed(
        name="巫溪高山土蜂蜜",
        supplier_key="wuxi-feng",
        category="seasoning",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="巫溪县大巴山区中蜂所产百花蜜，色泽琥珀，低温下易结晶。",
        variants=(
            VariantSeed("500g/瓶", "瓶", 9800),
            VariantSeed("1kg/瓶", "瓶", 18800),
        ),
    ),
    # 酉阳土家族苗族自治县
    ProductSeed(
        name="酉阳苍岭老腊肉",
        supplier_key="youyang-larou",
        category="meat-egg",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="酉阳县土家农户喂养的生猪，冬季腌制后烟熏，色泽金黄。切片蒸熟或炒菜均可。",
        variants=(
            VariantSeed("1kg/袋", "袋", 10500),
            VariantSeed("500g/袋", "袋", 5500),
        ),
    ),
    ProductSeed(
        name="酉阳青花椒 干制",
        supplier_key="youyang-jiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="酉阳县山地种植的青花椒，烘干后色泽青绿、麻味清香。适合水煮鱼、椒麻菜。",
        variants=(
            VariantSeed("250g/袋", "袋", 2800),
            VariantSeed("500g/袋", "袋", 5200),
        ),
    ),
    ProductSeed(
        name="酉阳山茶油 压榨",
        supplier_key="youyang-chayou",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以武陵山区油茶籽为原料物理压榨，油色清亮、耐高温。适合炒菜和凉拌，请避光保存。",
        variants=(
            VariantSeed("1L/瓶", "瓶", 11800),
            VariantSeed("2.5L/桶", "桶", 28000),
            VariantSeed("500ml×2瓶/礼盒", "盒", 13800, "礼盒装"),
        ),
    ),
    # 彭水苗族土家族自治县
    ProductSeed(
        name="彭水晶丝苕粉",
        supplier_key="pengshui-shaofen",
        category="dried",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以红薯淀粉为原料，经打芡、漏丝、冷冻、晾晒制成，粉丝晶亮、煮后爽滑。适合酸辣粉、炖菜。",
        variants=(
            VariantSeed("1kg/袋", "袋", 3200),
            VariantSeed("500g/袋", "袋", 1700),
            VariantSeed("2.5kg/箱", "箱", 7600, "食堂装"),
        ),
    ),
    ProductSeed(
        name="彭水白茶 摩围山",
        supplier_key="pengshui-tea",
        category="tea",
        storage="ambient",
        shelf_life_days=730,
        season="4月-5月",
        description="摩围山茶园春季采摘的白叶一号，干茶色泽嫩绿，滋味鲜醇。",
        variants=(
            VariantSeed("100g/罐", "罐", 13800),
            VariantSeed("50g/罐", "罐", 7200),
            VariantSeed("100g×2罐/礼盒", "盒", 29800, "礼盒装"),
        ),
    ),
    # 巫山县
    ProductSeed(
        name="巫山脆李",
        supplier_key="wushan-cuili",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=10,
        season="7月-8月",
        description="长江巫峡两岸山地出产，果皮青绿带粉、肉质脆嫩、汁多。冷链发运，收货后宜冷藏。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 7800),
            VariantSeed("5kg/箱", "箱", 14800),
        ),
    ),
    ProductSeed(
        name="巫山庙党 党参",
        supplier_key="wushan-miaodang",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="巫山县庙宇镇高山所产的党参，皮细肉白、味甜。常用于炖汤和药膳。",
        variants=(
            VariantSeed("250g/袋", "袋", 6200),
            VariantSeed("500g/袋", "袋", 11800),
        ),
    ),
    ProductSeed(
        name="巫山红薯粉条",
        supplier_key="wushan-fentiao",
        category="dried",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以巫山本地红薯淀粉为主料手工漏制，久煮不糊。适合炖菜和凉拌。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 5800),
            VariantSeed("1kg/袋", "袋", 2500),
        ),
    ),
    # 奉节县
    ProductSeed(
        name="奉节脐橙",
        supplier_key="fengjie-orange",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=30,
        season="11月-次年5月",
        description="长江瞿塘峡沿岸果园出产，果皮橙红、肉质脆嫩、汁多化渣。早中晚熟品种衔接上市。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6800),
            VariantSeed("10kg/箱", "箱", 12500),
            VariantSeed("2.5kg/礼盒", "盒", 4200, "礼盒装"),
        ),
    ),
    # 开州区
    ProductSeed(
        name="开州春橙",
        supplier_key="kaizhou-orange",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=30,
        season="3月-6月",
        description="开州区种植的晚熟脐橙，春季成熟采摘，果肉细嫩、酸甜适中，可补充春夏水果供应。",
        variants=(
            VariantSeed("5kg/箱", "箱", 5800),
            VariantSeed("10kg/箱", "箱", 10800),
        ),
    ),
    # 万州区
    ProductSeed(
        name="万州玫瑰香橙",
        supplier_key="wanzhou-orange",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=30,
        season="12月-次年2月",
        description="万州区三峡库区果园出产，果肉细嫩多汁，带有玫瑰香气。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6500),
            VariantSeed("2.5kg/箱", "箱", 3600),
        ),
    ),
    # 石柱土家族自治县
    ProductSeed(
        name="石柱莼菜 保鲜装",
        supplier_key="shizhu-chuncai",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=180,
        season="全年",
        description="黄水高山水田种植的莼菜，嫩叶外裹透明胶质，口感滑嫩。适合做汤和凉拌，开瓶后请尽快食用。",
        variants=(
            VariantSeed("500g/瓶", "瓶", 3200),
            VariantSeed("500g×6瓶/箱", "箱", 17800, "整箱装"),
        ),
    ),
    ProductSeed(
        name="石柱红辣椒 干椒",
        supplier_key="shizhu-lajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="石柱县种植的朝天椒类红辣椒，烘干后色红、辣度高。适合火锅底料、炒菜和制作辣椒油。",
        variants=(
            VariantSeed("500g/袋", "袋", 2800),
            VariantSeed("1kg/袋", "袋", 5200),
            VariantSeed("250g/袋", "袋", 1600),
        ),
    ),
    # 秀山土家族苗族自治县
    ProductSeed(
        name="秀山金银花茶",
        supplier_key="xiushan-jinyinhua",
        category="tea",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="秀山县种植的金银花，花蕾期采摘后低温烘干，花色黄白。可单独冲泡或搭配绿茶。",
        variants=(
            VariantSeed("100g/罐", "罐", 4500),
            VariantSeed("250g/袋", "袋", 9800),
        ),
    ),
    ProductSeed(
        name="秀山土鸡 整鸡",
        supplier_key="xiushan-ji",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="川河盖高山林下散养的土鸡，饲养周期长，屠宰后整只速冻。适合炖汤。",
        variants=(
            VariantSeed("1.5kg/只", "只", 9800),
            VariantSeed("1.5kg×2只/箱", "箱", 18800, "两只装"),
        ),
    ),
    # 丰都县
    ProductSeed(
        name="丰都麻辣牛肉干",
        supplier_key="fengdu-niurou",
        category="snacks",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="以丰都本地黄牛肉为原料，经卤煮、烘烤、拌料制成，麻辣味浓。开袋即食。",
        variants=(
            VariantSeed("200g/袋", "袋", 4600),
            VariantSeed("500g/袋", "袋", 10800),
            VariantSeed("100g×5袋/礼盒", "盒", 12800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="丰都牛腩 冷冻分割",
        supplier_key="fengdu-niurou",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="丰都县育肥肉牛的腹部牛腩，分割后速冻。适合红烧、咖喱和清炖。",
        variants=(
            VariantSeed("1kg/袋", "袋", 8200),
            VariantSeed("2.5kg/箱", "箱", 19800),
        ),
    ),
    # 武隆区
    ProductSeed(
        name="武隆高山白萝卜",
        supplier_key="wulong-gaoshan",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=15,
        season="7月-10月",
        description="海拔千米以上的高山地块夏秋种植，个大皮薄、水分足。适合炖汤、做泡菜。",
        variants=(
            VariantSeed("10kg/箱", "箱", 3200),
            VariantSeed("5kg/箱", "箱", 1800),
        ),
    ),
    ProductSeed(
        name="武隆高山大白菜",
        supplier_key="wulong-gaoshan",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=15,
        season="7月-10月",
        description="夏季高山冷凉气候下种植，包心紧实、口感脆嫩，可补充夏秋淡季蔬菜供应。",
        variants=(
            VariantSeed("10kg/箱", "箱", 2800),
            VariantSeed("5kg/箱", "箱", 1600),
        ),
    ),
    ProductSeed(
        name="武隆羊角豆干 五香味",
        supplier_key="wulong-dougan",
        category="snacks",
        storage="ambient",
        shelf_life_days=180,
        season="全年",
        description="以本地黄豆为原料，经点卤、压制、卤煮、烘烤制成，质地紧实、五香味浓。",
        variants=(
            VariantSeed("200g/袋", "袋", 1500),
            VariantSeed("100g×10袋/箱", "箱", 6800),
        ),
    ),
    # 黔江区
    ProductSeed(
        name="黔江红心猕猴桃",
        supplier_key="qianjiang-kiwi",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=75,
        season="9月-12月",
        description="黔江区山地果园出产，果肉黄绿、果心呈放射状红色，酸甜适口。收货后常温放软即可食用。",
        variants=(
            VariantSeed("3kg/箱", "箱", 7800),
            VariantSeed("5kg/箱", "箱", 12500),
            VariantSeed("2kg/礼盒", "盒", 6200, "礼盒装"),
        ),
    ),
    # 云阳县
    ProductSeed(
        name="云阳红橙 红肉脐橙",
        supplier_key="yunyang-orange",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=30,
        season="12月-次年3月",
        description="三峡库区云阳县出产的红肉脐橙，果肉呈均匀红色，脆嫩多汁，带有玫瑰香味。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6200),
            VariantSeed("10kg/箱", "箱", 11500),
        ),
    ),
    # 和田县
    ProductSeed(
        name="和田骏枣 一级",
        supplier_key="hetian-junzao",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="和田绿洲光照充足，骏枣个大肉厚、核小。10-11月采收自然晾干，可直接食用或煲汤。",
        variants=(
            VariantSeed("1kg/袋", "袋", 4800),
            VariantSeed("2.5kg/箱", "箱", 11200),
            VariantSeed("500g×2袋/礼盒", "盒", 6200, "礼盒装"),
        ),
    ),
    # 于田县
    ProductSeed(
        name="于田玫瑰花茶",
        supplier_key="yutian-rose",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="于田县种植的大马士革玫瑰花蕾，低温烘干，香气浓郁。可单独冲泡或搭配红茶。",
        variants=(
            VariantSeed("100g/罐", "罐", 4500),
            VariantSeed("50g×2罐/礼盒", "盒", 6800, "礼盒装"),
        ),
    ),
    # 麦盖提县
    ProductSeed(
        name="麦盖提灰枣",
        supplier_key="maigaiti-zao",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="叶尔羌河畔沙质土壤种植的灰枣，皮薄肉厚、甜度高。可直接食用、煮粥或做枣糕。",
        variants=(
            VariantSeed("1kg/袋", "袋", 3500),
            VariantSeed("500g/袋", "袋", 1900),
            VariantSeed("5kg/箱", "箱", 15800, "食堂装"),
        ),
    ),
    # 疏勒县
    ProductSeed(
        name="疏勒早春蜜西瓜",
        supplier_key="shule-melon",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=10,
        season="4月-6月",
        description="疏勒县拱棚种植的早春西瓜，皮薄瓤红、含糖量高，比露地西瓜提早上市。",
        variants=(
            VariantSeed("1个约6kg", "个", 4200),
            VariantSeed("2个约12kg/箱", "箱", 7800),
        ),
    ),
    # 叶城县
    ProductSeed(
        name="叶城薄皮核桃",
        supplier_key="yecheng-walnut",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="昆仑山北麓叶城县出产的核桃，壳薄可手捏开，仁饱满、色浅。",
        variants=(
            VariantSeed("1kg/袋", "袋", 4800),
            VariantSeed("2.5kg/箱", "箱", 11200),
            VariantSeed("500g/袋", "袋", 2600),
        ),
    ),
    # 英吉沙县
    ProductSeed(
        name="英吉沙色买提杏干",
        supplier_key="yingjisha-xing",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="色买提杏自然晾晒而成，果肉金黄、酸甜适口。可直接食用或泡水。",
        variants=(
            VariantSeed("500g/袋", "袋", 3500),
            VariantSeed("1kg/袋", "袋", 6600),
            VariantSeed("250g×2袋/礼盒", "盒", 4600, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="英吉沙色买提鲜杏",
        supplier_key="yingjisha-xing",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=7,
        season="6月-7月",
        description="英吉沙县出产的色买提杏，果皮橙黄带红晕，汁多味甜。冷链发运，收货后尽快食用。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 5800),
            VariantSeed("5kg/箱", "箱", 10800),
        ),
    ),
    # 伽师县
    ProductSeed(
        name="伽师瓜",
        supplier_key="jiashi-gua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=45,
        season="8月-11月",
        description="伽师县出产的晚熟甜瓜，果肉翠绿、脆甜多汁，耐贮运。",
        variants=(
            VariantSeed("2个约8kg/箱", "箱", 7800),
            VariantSeed("4个约16kg/箱", "箱", 14800),
        ),
    ),
    # 莎车县
    ProductSeed(
        name="莎车巴旦木 原味",
        supplier_key="shache-badanmu",
        category="snacks",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="莎车县种植的纸皮巴旦木，开口烘烤，仁香酥脆。可作零食或配餐坚果。",
        variants=(
            VariantSeed("500g/袋", "袋", 5500),
            VariantSeed("1kg/袋", "袋", 10500),
            VariantSeed("250g×2罐/礼盒", "盒", 6800, "礼盒装"),
        ),
    ),
    # 阿图什市
    ProductSeed(
        name="阿图什木纳格葡萄",
        supplier_key="atushi-putao",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=45,
        season="9月-12月",
        description="阿图什市晚熟品种木纳格葡萄，果粒大、果皮薄、脆甜。冷库保鲜，可供应至初冬。",
        variants=(
            VariantSeed("5kg/箱", "箱", 7800),
            VariantSeed("2.5kg/箱", "箱", 4200),
        ),
    ),
    # 柯坪县
    ProductSeed(
        name="柯坪羊肉 冷冻分割",
        supplier_key="keping-yang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="柯坪县荒漠草场放牧的本地羊，清真屠宰后带骨分割速冻，肉质细嫩、膻味轻。",
        variants=(
            VariantSeed("2kg/箱", "箱", 17800),
            VariantSeed("5kg/箱", "箱", 43000, "食堂装"),
        ),
    ),
    # 巴楚县
    ProductSeed(
        name="巴楚留香瓜",
        supplier_key="bachu-gua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=14,
        season="7月-9月",
        description="巴楚县种植的薄皮甜瓜，瓜肉细腻、香气浓，切开后满室留香。",
        variants=(
            VariantSeed("2个约5kg/箱", "箱", 6200),
            VariantSeed("4个约10kg/箱", "箱", 11500),
        ),
    ),
    # 卢氏县
    ProductSeed(
        name="卢氏薄皮核桃",
        supplier_key="lushi-shanhuo",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="伏牛山区卢氏县出产的核桃，壳薄仁满，出仁率高。",
        variants=(
            VariantSeed("1kg/袋", "袋", 4500),
            VariantSeed("2.5kg/箱", "箱", 10500),
        ),
    ),
    ProductSeed(
        name="卢氏干香菇 花菇",
        supplier_key="lushi-shanhuo",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="卢氏县段木和袋料栽培的香菇，烘干后菇面有花纹，肉厚味香。",
        variants=(
            VariantSeed("250g/袋", "袋", 3800),
            VariantSeed("500g/袋", "袋", 7200),
        ),
    ),
    ProductSeed(
        name="卢氏连翘茶",
        supplier_key="lushi-lianqiao",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="采摘伏牛山区连翘的春季嫩叶，经杀青、揉捻、烘干制成，汤色黄绿，口感微苦回甘。",
        variants=(
            VariantSeed("100g/罐", "罐", 4200),
            VariantSeed("50g×3罐/礼盒", "盒", 8800, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="卢氏土蜂蜜",
        supplier_key="lushi-feng",
        category="seasoning",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="熊耳山区中蜂采集山花酿成的百花蜜，浓稠易结晶。",
        variants=(
            VariantSeed("500g/瓶", "瓶", 6800),
            VariantSeed("1kg/瓶", "瓶", 12800),
        ),
    ),
    # 兰考县
    ProductSeed(
        name="兰考蜜瓜",
        supplier_key="lankao-gua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=10,
        season="4月-6月",
        description="兰考县大棚种植的网纹蜜瓜，果肉橙红、香甜多汁。",
        variants=(
            VariantSeed("2个约3kg/箱", "箱", 5500),
            VariantSeed("4个约6kg/箱", "箱", 10200),
        ),
    ),
    ProductSeed(
        name="兰考红薯 蜜薯",
        supplier_key="lankao-gua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=75,
        season="9月-次年3月",
        description="黄河故道沙土地种植的红薯，表皮光滑，蒸烤后软糯香甜。适宜10-15℃保存。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3200),
            VariantSeed("10kg/箱", "箱", 5800),
        ),
    ),
    # 新县
    ProductSeed(
        name="新县信阳毛尖 明前",
        supplier_key="xinxian-maojian",
        category="tea",
        storage="chilled",
        shelf_life_days=540,
        season="4月-5月",
        description="大别山区新县茶园春季采摘，条索细圆紧直、白毫显露，滋味鲜爽。开封后宜冷藏密封保存。",
        variants=(
            VariantSeed("250g/罐", "罐", 19800),
            VariantSeed("100g/罐", "罐", 8500),
            VariantSeed("125g×2罐/礼盒", "盒", 25800, "礼盒装"),
        ),
    ),
    # 固始县
    ProductSeed(
        name="固始鸡 整鸡",
        supplier_key="gushi-qin",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="固始县林下散养的固始鸡，饲养周期长，屠宰后整只速冻。适合炖汤。",
        variants=(
            VariantSeed("1.5kg/只", "只", 9800),
            VariantSeed("1.5kg×2只/箱", "箱", 18800, "两只装"),
        ),
    ),
    ProductSeed(
        name="固始鹅块 卤制",
        supplier_key="gushi-qin",
        category="snacks",
        storage="ambient",
        shelf_life_days=180,
        season="全年",
        description="以固始白鹅为原料，切块卤制后真空包装、高温杀菌，咸香有嚼劲。",
        variants=(
            VariantSeed("500g/袋", "袋", 3800),
            VariantSeed("250g×4袋/礼盒", "盒", 8800, "礼盒装"),
        ),
    ),
    # 滑县
    ProductSeed(
        name="道口烧鸡 真空装",
        supplier_key="huaxian-shaoji",
        category="meat-egg",
        storage="ambient",
        shelf_life_days=180,
        season="全年",
        description="滑县道口镇传统工艺，整鸡经炸、卤、焖制成，色泽红亮、肉烂脱骨。真空包装，加热后食用更佳。",
        variants=(
            VariantSeed("1kg/只", "只", 7800),
            VariantSeed("1kg×2只/礼盒", "盒", 16800, "礼盒装"),
        ),
    ),
    # 封丘县
    ProductSeed(
        name="封丘金银花",
        supplier_key="fengqiu-jyh",
        category="tea",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="封丘县黄河滩区种植的金银花，花蕾期采摘烘干，色泽青白。可冲泡饮用。",
        variants=(
            VariantSeed("100g/罐", "罐", 4200),
            VariantSeed("250g/袋", "袋", 8800),
        ),
    ),
    # 若尔盖县
    ProductSeed(
        name="若尔盖牦牛肉 冷冻分割",
        supplier_key="ruoergai-yak",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="若尔盖高原湿地草场放牧的牦牛，分割速冻，肉色深红、脂肪少。",
        variants=(
            VariantSeed("1kg/袋", "袋", 11200),
            VariantSeed("2.5kg/箱", "箱", 26800),
        ),
    ),
    # 红原县
    ProductSeed(
        name="红原牦牛奶粉 全脂",
        supplier_key="hongyuan-milk",
        category="snacks",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以红原草原牦牛鲜奶为原料喷雾干燥制成，奶香浓郁。温水冲调饮用。",
        variants=(
            VariantSeed("400g/罐", "罐", 14800),
            VariantSeed("400g×2罐/礼盒", "盒", 31800, "礼盒装"),
        ),
    ),
    # 金川县
    ProductSeed(
        name="金川雪梨",
        supplier_key="jinchuan-li",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=60,
        season="9月-次年2月",
        description="大渡河上游河谷出产的雪梨，果皮黄绿、肉白多汁。可鲜食，也可炖冰糖雪梨。",
        variants=(
            VariantSeed("5kg/箱", "箱", 5500),
            VariantSeed("10kg/箱", "箱", 10200),
        ),
    ),
    # 盐源县
    ProductSeed(
        name="盐源苹果 丑苹果",
        supplier_key="yanyuan-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="9月-次年3月",
        description="盐源县高海拔、强日照果园出产，果面不够光洁但糖心明显、脆甜。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6500),
            VariantSeed("10kg/箱", "箱", 11800),
        ),
    ),
    # 昭觉县
    ProductSeed(
        name="昭觉苦荞米",
        supplier_key="zhaojue-qiao",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="大凉山高海拔地区种植的苦荞，脱壳制成荞米。可与大米混煮或单独熬粥。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3900),
            VariantSeed("5kg/袋", "袋", 7600),
            VariantSeed("1kg/袋", "袋", 1700),
        ),
    ),
    # 金阳县
    ProductSeed(
        name="金阳青花椒",
        supplier_key="jinyang-jiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="金沙江畔高山峡谷种植的青花椒，烘干后颗粒均匀、麻香清新。",
        variants=(
            VariantSeed("250g/袋", "袋", 3500),
            VariantSeed("500g/袋", "袋", 6600),
        ),
    ),
    # 雷波县
    ProductSeed(
        name="雷波脐橙",
        supplier_key="leibo-orange",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=30,
        season="11月-次年3月",
        description="金沙江干热河谷出产的脐橙，光热充足，果肉脆嫩化渣、甜度高。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6500),
            VariantSeed("10kg/箱", "箱", 12000),
        ),
    ),
    # 水城区
    ProductSeed(
        name="水城红心猕猴桃",
        supplier_key="shuicheng-kiwi",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=75,
        season="9月-12月",
        description="乌蒙山区水城出产的红心猕猴桃，果心红色、酸甜适口。收货后常温放软食用。",
        variants=(
            VariantSeed("3kg/箱", "箱", 7800),
            VariantSeed("5kg/箱", "箱", 12500),
        ),
    ),
    # 织金县
    ProductSeed(
        name="织金竹荪 干品",
        supplier_key="zhijin-zhusun",
        category="dried",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="织金县林下栽培的竹荪，菌裙完整、色白，烘干保存。泡发后炖汤口感脆嫩。",
        variants=(
            VariantSeed("100g/袋", "袋", 7500),
            VariantSeed("250g/袋", "袋", 17800),
            VariantSeed("50g×2袋/礼盒", "盒", 8800, "礼盒装"),
        ),
    ),
    # 威宁彝族回族苗族自治县
    ProductSeed(
        name="威宁洋芋",
        supplier_key="weining-yangyu",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=150,
        season="8月-次年4月",
        description="乌蒙高原种植的洋芋，薯形圆整、黄心面沙。适合烤、炖和炸洋芋。",
        variants=(
            VariantSeed("10kg/箱", "箱", 3500),
            VariantSeed("5kg/箱", "箱", 1900),
        ),
    ),
    # 赫章县
    ProductSeed(
        name="赫章核桃",
        supplier_key="hezhang-hetao",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="乌蒙山区赫章县出产的核桃，果大壳薄、仁饱满。",
        variants=(
            VariantSeed("1kg/袋", "袋", 4800),
            VariantSeed("2.5kg/箱", "箱", 11200),
        ),
    ),
    # 正安县
    ProductSeed(
        name="正安白茶",
        supplier_key="zhengan-tea",
        category="tea",
        storage="ambient",
        shelf_life_days=730,
        season="3月-5月",
        description="正安县山地茶园种植的白叶一号，春季嫩芽叶色玉白，滋味鲜爽。",
        variants=(
            VariantSeed("100g/罐", "罐", 12800),
            VariantSeed("50g/罐", "罐", 6800),
            VariantSeed("100g×2罐/礼盒", "盒", 27800, "礼盒装"),
        ),
    ),
    # 沿河土家族自治县
    ProductSeed(
        name="沿河沙子空心李",
        supplier_key="yanhe-li",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=10,
        season="7月-8月",
        description="乌江畔沙子镇出产，果肉与果核分离、掰开呈空心，脆甜爽口。收货后宜冷藏。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 6800),
            VariantSeed("5kg/箱", "箱", 12800),
        ),
    ),
    # 从江县
    ProductSeed(
        name="从江香猪 分割肉",
        supplier_key="congjiang-xiangzhu",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="从江县山区放养的小型香猪，皮薄肉嫩，分割后速冻。适合白切、烧烤和炒制。",
        variants=(
            VariantSeed("2kg/箱", "箱", 15800),
            VariantSeed("5kg/箱", "箱", 38000),
        ),
    ),
    # 紫云苗族布依族自治县
    ProductSeed(
        name="紫云红芯红薯",
        supplier_key="ziyun-hongshu",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=75,
        season="9月-次年3月",
        description="紫云县山地种植的红芯红薯，蒸烤后软糯香甜。适宜10-15℃通风保存。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3900),
            VariantSeed("10kg/箱", "箱", 7200),
        ),
    ),
    # 宣威市
    ProductSeed(
        name="宣威火腿 切块",
        supplier_key="xuanwei-huotui",
        category="meat-egg",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以乌金猪后腿为原料，经腌制、风干、发酵一年以上，切面红润、咸香适口。可蒸、炒、炖。",
        variants=(
            VariantSeed("1kg/块", "块", 15800),
            VariantSeed("500g/块", "块", 8500),
            VariantSeed("500g×2块/礼盒", "盒", 18800, "礼盒装"),
        ),
    ),
    # 昭阳区
    ProductSeed(
        name="昭通苹果",
        supplier_key="zhaotong-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="9月-次年3月",
        description="昭阳区高原果园出产，晚熟品种为主，果肉脆甜。冷库贮藏，可供应至次年春季。",
        variants=(
            VariantSeed("5kg/箱", "箱", 6200),
            VariantSeed("10kg/箱", "箱", 11500),
        ),
    ),
    # 彝良县
    ProductSeed(
        name="彝良天麻 干制",
        supplier_key="yiliang-tianma",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="小草坝一带林下仿野生种植的乌天麻，蒸透烘干，质地坚实。可炖汤或切片蒸蛋。",
        variants=(
            VariantSeed("250g/盒", "盒", 13800),
            VariantSeed("500g/盒", "盒", 26800),
        ),
    ),
    # 鲁甸县
    ProductSeed(
        name="鲁甸花椒 红花椒",
        supplier_key="ludian-huajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="龙头山一带山地种植的红花椒，色泽红润、麻味浓。",
        variants=(
            VariantSeed("250g/袋", "袋", 3500),
            VariantSeed("500g/袋", "袋", 6600),
        ),
    ),
    # 巴马瑶族自治县
    ProductSeed(
        name="巴马火麻油 冷榨",
        supplier_key="bama-huoma",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以巴马火麻仁为原料低温压榨，油色黄绿、有坚果香。适合凉拌和煮汤，请避光保存。",
        variants=(
            VariantSeed("500ml/瓶", "瓶", 8800),
            VariantSeed("1L/瓶", "瓶", 16800),
            VariantSeed("250ml×2瓶/礼盒", "盒", 10800, "礼盒装"),
        ),
    ),
    # 环江毛南族自治县
    ProductSeed(
        name="环江香猪 分割肉",
        supplier_key="huanjiang-xiangzhu",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="环江县喀斯特山区饲养的香猪，体型小、肉质细嫩，分割后速冻。",
        variants=(
            VariantSeed("2kg/箱", "箱", 15800),
            VariantSeed("5kg/箱", "箱", 37500),
        ),
    ),
    # 乐业县
    ProductSeed(
        name="乐业猕猴桃 红心",
        supplier_key="leye-kiwi",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=60,
        season="9月-11月",
        description="乐业县高海拔山地果园出产，果心红色、甜度高。收货后常温放软食用。",
        variants=(
            VariantSeed("3kg/箱", "箱", 7500),
            VariantSeed("5kg/箱", "箱", 12000),
        ),
    ),
    # 凌云县
    ProductSeed(
        name="凌云白毫茶",
        supplier_key="lingyun-baihao",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="3月-5月",
        description="凌云大白毫茶树春季嫩芽制成，芽叶肥壮、白毫显露，耐冲泡。",
        variants=(
            VariantSeed("250g/罐", "罐", 15800),
            VariantSeed("100g/罐", "罐", 6800),
        ),
    ),
    # 天等县
    ProductSeed(
        name="天等指天椒 干椒",
        supplier_key="tiandeng-lajiao",
        category="seasoning",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="天等县种植的指天椒，果小色红、辣味强烈，晒干保存。适合炒菜和制作辣椒油。",
        variants=(
            VariantSeed("250g/袋", "袋", 2200),
            VariantSeed("500g/袋", "袋", 4000),
        ),
    ),
    # 扎赉特旗
    ProductSeed(
        name="扎赉特大米 当季新米",
        supplier_key="zhalaite-rice",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="绰尔河灌区一年一季种植的粳稻，10月新米上市，米粒饱满、饭香软糯。食堂常用规格为10kg。",
        variants=(
            VariantSeed("5kg/袋", "袋", 6200),
            VariantSeed("10kg/袋", "袋", 11800),
            VariantSeed("2.5kg×2袋/礼盒", "盒", 7800, "礼盒装"),
        ),
    ),
    # 四子王旗
    ProductSeed(
        name="四子王旗杜蒙羊肉",
        supplier_key="siziwang-yang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="乌兰察布草原饲养的杜蒙羊，清真屠宰后分割速冻，肉质鲜嫩。适合涮锅和手抓。",
        variants=(
            VariantSeed("2kg/箱", "箱", 17800),
            VariantSeed("5kg/箱", "箱", 42500, "食堂装"),
        ),
    ),
    # 库伦旗
    ProductSeed(
        name="库伦荞麦面粉",
        supplier_key="kulun-qiao",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="科尔沁沙地南缘种植的甜荞研磨而成，适合做荞麦面条、饸饹和馒头。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 3800),
            VariantSeed("5kg/袋", "袋", 7200),
            VariantSeed("1kg/袋", "袋", 1600),
        ),
    ),
    # 蒙阴县
    ProductSeed(
        name="蒙阴蜜桃",
        supplier_key="mengyin-tao",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=10,
        season="7月-9月",
        description="沂蒙山区蒙阴县出产的蜜桃，果个大、肉质细、汁多味甜。八成熟采摘，收货后宜冷藏。",
        variants=(
            VariantSeed("5kg/箱", "箱", 5800),
            VariantSeed("2.5kg/箱", "箱", 3200),
            VariantSeed("3kg/礼盒", "盒", 4500, "礼盒装"),
        ),
    ),
    # 平邑县
    ProductSeed(
        name="平邑金银花 花蕾",
        supplier_key="pingyi-jyh",
        category="tea",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="平邑县浅山丘陵种植的金银花，花蕾期采摘后低温烘干。可单独冲泡或搭配菊花。",
        variants=(
            VariantSeed("100g/罐", "罐", 3800),
            VariantSeed("250g/袋", "袋", 8500),
            VariantSeed("50g×3罐/礼盒", "盒", 7500, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="平邑黄桃罐头",
        supplier_key="pingyi-guantou",
        category="snacks",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以当季黄桃为原料，去皮切块后装罐杀菌，果肉软脆、汤汁清甜。",
        variants=(
            VariantSeed("425g×6罐/箱", "箱", 3800),
            VariantSeed("425g×12罐/箱", "箱", 7200),
        ),
    ),
    # 沂南县
    ProductSeed(
        name="沂南黄瓜 温室鲜采",
        supplier_key="yinan-huanggua",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=7,
        season="全年",
        description="沂南县日光温室种植，瓜条顺直、刺瘤明显，口感脆嫩。全年供应，适合凉拌和炒菜。",
        variants=(
            VariantSeed("5kg/箱", "箱", 2200),
            VariantSeed("10kg/箱", "箱", 4000),
        ),
    ),
    ProductSeed(
        name="沂蒙黑猪肉 冷冻分割",
        supplier_key="yinan-heizhu",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="沂蒙黑猪为地方良种，饲养周期长，肉质细嫩、肥瘦相间。分割成五花、前腿等部位速冻。",
        variants=(
            VariantSeed("2kg/箱", "箱", 9800),
            VariantSeed("5kg/箱", "箱", 23500, "食堂装"),
        ),
    ),
    # 费县
    ProductSeed(
        name="费县山楂 大金星",
        supplier_key="feixian-guopin",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=30,
        season="9月-11月",
        description="费县山区种植的大金星山楂，果大色艳、酸甜适口。可鲜食、做冰糖葫芦和山楂酱。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3500),
            VariantSeed("2.5kg/箱", "箱", 1900),
        ),
    ),
    ProductSeed(
        name="费县甘栗仁 即食",
        supplier_key="feixian-guopin",
        category="snacks",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="以费县板栗为原料，去壳去衣后蒸制，充氮包装，开袋即食，软糯香甜。",
        variants=(
            VariantSeed("100g×10袋/箱", "箱", 4800),
            VariantSeed("500g/袋", "袋", 2800),
        ),
    ),
    ProductSeed(
        name="芍药山核桃",
        supplier_key="feixian-guopin",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="费县芍药山乡青石山区出产的核桃，个头均匀、仁饱满。",
        variants=(
            VariantSeed("1kg/袋", "袋", 3800),
            VariantSeed("2.5kg/箱", "箱", 9000),
        ),
    ),
    ProductSeed(
        name="胡阳西红柿",
        supplier_key="feixian-xihongshi",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=10,
        season="11月-次年6月",
        description="费县胡阳镇日光温室种植，果实圆整、沙瓤多汁。适合生食、炒蛋和做汤。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3200),
            VariantSeed("10kg/箱", "箱", 5800),
        ),
    ),
    ProductSeed(
        name="沂蒙杂粮煎饼",
        supplier_key="feixian-jianbing",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=180,
        season="全年",
        description="以小麦、玉米、小米等杂粮磨糊，鏊子烙制，薄而筋道。可卷菜、泡汤，食堂可作主食。",
        variants=(
            VariantSeed("1kg/袋", "袋", 1800),
            VariantSeed("2.5kg/箱", "箱", 4200),
        ),
    ),
    # 沂水县
    ProductSeed(
        name="沂水苹果 红富士",
        supplier_key="yishui-apple",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="10月-次年4月",
        description="沂河源头山区果园出产，着色好、果肉脆甜。冷库贮藏后分批供应。",
        variants=(
            VariantSeed("5kg/箱", "箱", 4500),
            VariantSeed("10kg/箱", "箱", 8200),
        ),
    ),
    ProductSeed(
        name="沂水丰糖",
        supplier_key="yishui-fengtang",
        category="snacks",
        storage="ambient",
        shelf_life_days=270,
        season="全年",
        description="以麦芽糖为主料，拉制后裹芝麻制成，酥脆香甜，是沂水传统年节糖食。",
        variants=(
            VariantSeed("500g/袋", "袋", 2200),
            VariantSeed("250g×4袋/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 莒南县
    ProductSeed(
        name="莒南花生米 大花生",
        supplier_key="junan-huasheng",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="莒南县沙壤土种植的大花生，经脱壳、筛选制成，粒大饱满。可炒、煮或打豆浆。",
        variants=(
            VariantSeed("2.5kg/袋", "袋", 4200),
            VariantSeed("5kg/袋", "袋", 8000),
        ),
    ),
    ProductSeed(
        name="莒南压榨花生油",
        supplier_key="junan-huasheng",
        category="grain-oil",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="以莒南花生为原料物理压榨，花生香味浓。食堂常用5L桶装。",
        variants=(
            VariantSeed("5L/桶", "桶", 13500),
            VariantSeed("1.8L/瓶", "瓶", 5200),
            VariantSeed("900ml×2瓶/礼盒", "盒", 6200, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="莒南板栗 鲜栗",
        supplier_key="junan-banli",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=90,
        season="9月-12月",
        description="莒南县山区出产的板栗，果粒均匀、糯性好。冷藏保存，可糖炒或炖鸡。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 4200),
            VariantSeed("5kg/箱", "箱", 7800),
        ),
    ),
    # 郯城县
    ProductSeed(
        name="郯城银杏果 白果",
        supplier_key="tancheng-yinxing",
        category="dried",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="郯城县银杏园出产的白果，粒大壳白。需熟食且不宜多食，可煮粥、炖汤。",
        variants=(
            VariantSeed("500g/袋", "袋", 2800),
            VariantSeed("1kg/袋", "袋", 5200),
        ),
    ),
    ProductSeed(
        name="郯城银杏叶茶",
        supplier_key="tancheng-yinxing",
        category="tea",
        storage="ambient",
        shelf_life_days=540,
        season="全年",
        description="采摘银杏嫩叶，经杀青、揉捻、烘干制成，汤色黄绿、微苦回甘。",
        variants=(
            VariantSeed("100g/罐", "罐", 3800),
            VariantSeed("50g×3罐/礼盒", "盒", 7800, "礼盒装"),
        ),
    ),
    # 曹县
    ProductSeed(
        name="曹县鲜芦笋 绿笋",
        supplier_key="caoxian-lusun",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=7,
        season="4月-10月",
        description="黄河故道沙土地种植的绿芦笋，当日采收预冷，笋尖紧实、口感脆嫩。适合清炒和焯拌。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 5800),
            VariantSeed("5kg/箱", "箱", 10800),
            VariantSeed("500g×4把/礼盒", "盒", 5200, "礼盒装"),
        ),
    ),
    # 单县
    ProductSeed(
        name="单县羊肉汤 速冻汤包",
        supplier_key="shanxian-yangtang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="按单县羊肉汤传统做法熬制，汤色乳白，含羊肉片，速冻保存。加热后加入调料即可食用。",
        variants=(
            VariantSeed("500g×4袋/箱", "箱", 8800),
            VariantSeed("500g×10袋/箱", "箱", 20800, "食堂装"),
        ),
    ),
    ProductSeed(
        name="单县青山羊肉 冷冻分割",
        supplier_key="shanxian-yangtang",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="单县本地青山羊，肉质细嫩、膻味轻，分割后速冻。适合炖汤和红焖。",
        variants=(
            VariantSeed("2kg/箱", "箱", 16800),
            VariantSeed("1kg/袋", "袋", 8800),
        ),
    ),
    # 成武县
    ProductSeed(
        name="成武酱大头",
        supplier_key="chengwu-jiangcai",
        category="seasoning",
        storage="ambient",
        shelf_life_days=365,
        season="全年",
        description="以芥菜疙瘩为原料，经盐腌、酱渍数月制成，色泽酱红、咸香脆嫩。切丝佐餐或炒肉。",
        variants=(
            VariantSeed("500g/袋", "袋", 1500),
            VariantSeed("2.5kg/桶", "桶", 6200, "餐饮装"),
            VariantSeed("250g×4袋/礼盒", "盒", 3800, "礼盒装"),
        ),
    ),
    # 东明县
    ProductSeed(
        name="东明西瓜",
        supplier_key="dongming-xigua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=10,
        season="5月-7月",
        description="黄河滩区沙壤土种植的西瓜，皮薄瓤红、沙甜多汁。",
        variants=(
            VariantSeed("1个约6kg", "个", 3200),
            VariantSeed("2个约12kg/箱", "箱", 6000),
        ),
    ),
    # 莘县
    ProductSeed(
        name="莘县香瓜",
        supplier_key="shenxian-xianggua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=10,
        season="4月-7月",
        description="莘县大棚种植的薄皮香瓜，瓜肉脆甜、香气浓。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 3500),
            VariantSeed("5kg/箱", "箱", 6500),
        ),
    ),
    # 冠县
    ProductSeed(
        name="冠县鸭梨",
        supplier_key="guanxian-yali",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="9月-次年4月",
        description="冠县出产的鸭梨，果形似鸭头、皮薄肉白、清脆多汁。冷库贮藏，可供应至次年春季。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3800),
            VariantSeed("10kg/箱", "箱", 7000),
        ),
    ),
    ProductSeed(
        name="冠县灵芝切片",
        supplier_key="guanxian-lingzhi",
        category="dried",
        storage="ambient",
        shelf_life_days=730,
        season="全年",
        description="店子镇大棚栽培的赤灵芝，切片烘干。可煮水、泡茶或煲汤。",
        variants=(
            VariantSeed("250g/袋", "袋", 8800),
            VariantSeed("500g/袋", "袋", 16800),
        ),
    ),
    # 阳信县
    ProductSeed(
        name="阳信鸭梨",
        supplier_key="yangxin-yali",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="9月-次年4月",
        description="阳信县出产的鸭梨，皮薄核小、汁多味甜。冷库贮藏，可分批供应。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3600),
            VariantSeed("10kg/箱", "箱", 6600),
        ),
    ),
    ProductSeed(
        name="阳信牛肉 冷冻分割",
        supplier_key="yangxin-niurou",
        category="meat-egg",
        storage="frozen",
        shelf_life_days=365,
        season="全年",
        description="鲁北平原育肥的肉牛，屠宰后排酸分割，以牛腩、牛腱为主，速冻保存。",
        variants=(
            VariantSeed("1kg/袋", "袋", 7800),
            VariantSeed("2.5kg/箱", "箱", 18800),
            VariantSeed("5kg/箱", "箱", 36500, "食堂装"),
        ),
    ),
    # 五莲县
    ProductSeed(
        name="五莲樱桃 大樱桃",
        supplier_key="wulian-yingtao",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=7,
        season="5月-6月",
        description="五莲县山区出产的大樱桃，果个大、色泽红亮、汁多味甜。冷链发运，收货后宜冷藏。",
        variants=(
            VariantSeed("2.5kg/箱", "箱", 12800),
            VariantSeed("1kg/礼盒", "盒", 6200, "礼盒装"),
        ),
    ),
    ProductSeed(
        name="五莲国光苹果",
        supplier_key="wulian-guoguang",
        category="fruit-veg",
        storage="chilled",
        shelf_life_days=150,
        season="10月-次年4月",
        description="五莲县山地果园出产的国光苹果，肉质致密、脆爽、酸甜适度，耐贮藏。",
        variants=(
            VariantSeed("5kg/箱", "箱", 4200),
            VariantSeed("10kg/箱", "箱", 7800),
        ),
    ),
    # 泗水县
    ProductSeed(
        name="泗水地瓜 红薯",
        supplier_key="sishui-digua",
        category="fruit-veg",
        storage="ambient",
        shelf_life_days=75,
        season="9月-次年4月",
        description="泗水县丘陵沙壤土种植，表皮光滑、薯形匀称，蒸烤后甜糯。恒温薯窖贮藏，适宜10-15℃保存。",
        variants=(
            VariantSeed("5kg/箱", "箱", 3000),
            VariantSeed("10kg/箱", "箱", 5500),
        ),
    ),
)

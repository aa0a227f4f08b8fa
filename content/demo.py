"""Demo content: stores, care tips, customer stories, practitioners, courses and the brand story.

Idempotent: everything is looked up by slug (pages, snippets) or title (images) before it is made.
Images are drawn here with Pillow; nothing is downloaded.
"""

import datetime
import io

from django.conf import settings
from django.core.files.images import ImageFile
from wagtail.images.models import Image

from content import demo_art, services
from content.demo_text import TIP_MORE, TIP_SECTIONS
from content.models import (
    BrandStoryPage,
    CareTipIndexPage,
    CareTipPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    HomePage,
    OpeningHours,
    Persona,
    PractitionerIndexPage,
    PractitionerPage,
    ServiceCategory,
    StoreIndexPage,
    StorePage,
    TrainingCourseIndexPage,
    TrainingCoursePage,
)
from portal.models import User
from portal.progress import progress

STEP = "Stores, practitioners, tips, stories and their pictures"
PALETTES = demo_art.PALETTES
# The picture drawn for each service category's tips and stories.
CATEGORY_ART = {"nails": "nails", "hand-foot-care": "skin", "hair-scalp": "hair", "home-care": "home"}

STORES = [
    # slug, title, address, phone, lat, lng, palette, intro
    ("xinyi", "Tend Xinyi 信義店", "台北市信義區松高路 11 號 2F", "02-2720-1234", "25.039300",
     "121.567200", "rose", "信義旗艦店：八個座位的美甲吧、兩間包廂，下班後也來得及。"),
    ("daan", "Tend Da'an 大安店", "台北市大安區敦化南路一段 160 號", "02-2771-5678", "25.041900",
     "121.549100", "sage", "安靜的巷弄小店，專注手足保養與頭皮護理，適合想慢下來的午後。"),
    ("taichung", "Tend Taichung 台中店", "台中市西屯區台灣大道三段 301 號", "04-2252-9012",
     "24.164600", "120.646700", "sand", "台中第一家 Tend：寬敞的親子區，家人可以一起來做保養。"),
]
# Weekday hours per store: Monday..Sunday (None = closed).
HOURS = {
    "xinyi": [("11:00", "21:00")] * 5 + [("10:00", "22:00"), ("10:00", "20:00")],
    "daan": [None] + [("12:00", "20:00")] * 4 + [("10:00", "19:00")] * 2,
    "taichung": [("10:30", "20:30")] * 7,
}

CATEGORIES = [
    ("nails", "美甲 Nails", "凝膠、手繪、卸甲與指甲保養。"),
    ("hand-foot-care", "手足保養 Hand & foot care", "去角質、保濕與足部護理。"),
    ("hair-scalp", "頭皮與髮 Hair & scalp", "頭皮淨化、護髮與造型。"),
    ("home-care", "居家保養 Home care", "在家也能做好的日常保養。"),
]
PERSONAS = [
    ("busy-professional", "忙碌上班族 Busy professional",
     "時間零碎、行程滿檔，需要準時、有效率、可預約的服務。", "💼"),
    ("premium-client", "尊榮顧客 Premium client",
     "重視細節與隱私，期待專屬師傅與包廂服務。", "✨"),
    ("bespoke", "客製需求 Bespoke",
     "婚禮、派對、家庭聚會等特別場合的量身規劃。", "🎀"),
]

PRACTITIONERS = [
    # slug, title, tier, summary, specialties, stores, palette, bio
    ("lin-ya-ting", "Ya-Ting Lin 林雅婷", "excellent", "凝膠美甲與手繪設計，十二年經驗。",
     ["nails"], ["xinyi"], "rose",
     "<p>雅婷從台北的小工作室起家，擅長低調的法式與大理石紋設計。她相信好的美甲要撐得過三週的通勤與鍵盤。</p>"),
    ("chen-hao", "Hao Chen 陳浩", "good", "頭皮淨化與男士理容。",
     ["hair-scalp"], ["daan"], "ink",
     "<p>陳浩曾在日本學習頭皮護理，說話不多但手很穩。常客說在他的椅子上十分鐘就會睡著。</p>"),
    ("wu-mei-ling", "Mei-Ling Wu 吳美玲", "excellent", "足部護理與敏感肌保養。",
     ["hand-foot-care", "home-care"], ["daan", "taichung"], "sage",
     "<p>美玲是護理師出身，對糖尿病足與敏感肌特別細心，也是 Tend 居家保養課程的講師。</p>"),
    ("huang-jia-hui", "Jia-Hui Huang 黃佳慧", "standard", "新娘與派對妝髮、指彩。",
     ["nails", "hair-scalp"], ["taichung"], "sand",
     "<p>佳慧負責台中店的派對與婚禮預約，擅長把一整個伴娘團在兩小時內準備好。</p>"),
]

TIPS = [
    # slug, title, category, summary, tags, palette, paragraphs, steps, callout
    ("gel-nails-last-longer", "讓凝膠美甲撐過三週 Make gel nails last three weeks", "nails",
     "從上班打字到洗碗，五個小習慣讓凝膠美甲不翹邊、不斷裂。", ["凝膠", "美甲", "上班族"], "rose",
     ["凝膠美甲最常在第二週出問題：指緣翹起、前端磨損。多半不是師傅的技術，而是日常的小動作。"],
     [("洗碗戴手套", "熱水與清潔劑會讓凝膠與甲面之間的附著力變差。"),
      ("每天一滴指緣油", "睡前在指緣塗一滴油，指甲保持彈性就不容易斷。"),
      ("別把指甲當工具", "開罐頭、撕貼紙請用工具，前端最容易在這時候裂開。")],
     ("tip", "預約時告訴師傅你的工作型態，常打字的人可以選短一點的方圓形。")),
    ("remove-gel-safely", "在家安全卸除凝膠 Remove gel safely at home", "nails",
     "不硬撕、不亂刮：用對方法卸甲，才不會傷到真甲。", ["卸甲", "美甲"], "ink",
     ["凝膠該卸了卻排不到時間？在家也可以做，只要耐心。"],
     [("輕磨表層", "用海綿銼把亮面磨霧，讓卸甲液滲透。"),
      ("包覆十分鐘", "棉片沾卸甲液，用鋁箔包好，等待十分鐘。"),
      ("用推棒輕推", "軟化的凝膠會自然浮起，推不動就再包五分鐘。")],
     ("warning", "千萬不要直接撕，會把甲面的角質層一起帶走，指甲會變薄變軟。")),
    ("hand-care-winter", "冬天的手部保養 Winter hand care", "hand-foot-care",
     "台灣冬天濕冷，手背乾裂、指緣脫皮，三步驟找回柔軟雙手。", ["保養", "手部", "冬天"], "sage",
     ["濕冷天氣最容易讓人忽略手部保養：常洗手、常碰冷水，皮膚屏障很快就被破壞。"],
     [("溫水洗手", "太熱的水會帶走皮脂，溫水就好。"),
      ("三十秒內擦護手霜", "趁手還微濕時擦，鎖水效果最好。"),
      ("睡前厚敷", "厚塗一層後戴上棉手套，隔天早上就有感。")],
     ("tip", "辦公桌放一條小護手霜，每次洗完手就擦，比一天擦一次有效得多。")),
    ("foot-care-basics", "足部保養入門 Foot care basics", "hand-foot-care",
     "腳跟粗糙、厚繭不是只有夏天的問題，每週十五分鐘的足部保養。", ["保養", "足部"], "sand",
     ["穿了一整天的包鞋，腳最需要被照顧。足部保養不需要昂貴的工具。"],
     [("泡腳十分鐘", "溫水加一點鹽，軟化角質。"),
      ("輕磨腳跟", "用細緻的磨腳板，單一方向輕磨，不要來回刮。"),
      ("擦上足霜", "含尿素的足霜對厚繭特別有效，擦完穿上襪子。")],
     ("warning", "有糖尿病或傷口時請不要自行去繭，交給專業的足部護理師。")),
    ("scalp-reset", "頭皮淨化：換季的頭皮重開機 Scalp reset for the change of season",
     "hair-scalp", "頭皮出油又癢？換季時的頭皮淨化與日常清潔建議。", ["頭皮", "保養"], "ink",
     ["換季時頭皮常常出現出油、發癢、頭皮屑。頭皮也是皮膚，需要的是溫和而規律的清潔。"],
     [("先梳再洗", "洗頭前先梳開，讓髒污浮起。"),
      ("指腹按摩", "用指腹而不是指甲，從髮際線往頭頂畫圈。"),
      ("確實吹乾", "頭皮悶濕是發癢的主因，先吹頭皮再吹髮尾。")],
     ("tip", "一個月做一次專業頭皮淨化，能清掉洗髮精洗不到的堆積。")),
    ("hair-mask-routine", "一週一次的護髮 A weekly hair mask routine", "hair-scalp",
     "染燙後的髮尾乾燥分岔，一週一次的護髮讓頭髮回到柔順。", ["護髮", "保養"], "rose",
     ["護髮不是越多越好，關鍵是擦對地方、停留夠久。"],
     [("擰乾再擦", "頭髮太濕護髮會被稀釋。"),
      ("只擦中段到髮尾", "頭皮不需要護髮，擦了反而容易出油。"),
      ("熱毛巾包五分鐘", "溫度能幫助成分吸收。")],
     ("tip", "護髮後用冷風收尾，毛鱗片閉合，光澤更持久。")),
    ("ten-minute-evening", "睡前十分鐘的居家保養 A ten-minute evening routine", "home-care",
     "下班後累到不想動？十分鐘完成手、足、頭皮的簡單保養。", ["居家", "保養", "上班族"], "sage",
     ["忙碌的日子裡，保養最容易被犧牲。我們把最重要的步驟濃縮成十分鐘。"],
     [("三分鐘手部", "指緣油加護手霜，一邊看手機也能做。"),
      ("四分鐘足部", "足霜加襪子，隔天腳跟就不一樣。"),
      ("三分鐘頭皮", "指腹按摩頭皮，放鬆也助眠。")],
     ("tip", "把保養品放在床頭，看得到才會記得做。")),
    ("nail-health-check", "指甲健康自我檢查 Check your nail health", "home-care",
     "指甲變黃、出現直紋或白點代表什麼？什麼時候該看醫生？", ["美甲", "健康"], "sand",
     ["指甲是身體的小窗口。大部分的變化都無害，但有些值得多留意。"],
     [("看顏色", "長期擦深色指甲油可能讓甲面泛黃，休息兩週就會改善。"),
      ("看紋路", "直紋多半與年齡、乾燥有關；橫向凹陷則可能與生病、壓力有關。"),
      ("看厚度", "突然變厚、變形，建議先請皮膚科醫師檢查。")],
     ("warning", "指甲下出現深色直線且逐漸變寬，請盡快就醫。")),
]

STORIES = [
    # slug, title, persona, category, scene, store, practitioners, palette, summary, paragraphs,
    # timeline, quote, quote_by
    ("lunch-break-manicure", "午休四十分鐘的美甲 A manicure in a lunch break", "busy-professional",
     "nails", "in_store", "xinyi", ["lin-ya-ting"], "rose",
     "在信義區上班的 Amber，用午休時間完成一次乾淨俐落的凝膠美甲。",
     ["Amber 是外商行銷，每天的行事曆排到晚上。她想要乾淨、耐看、不影響打字的指甲。"],
     [("12:10", "抵達門市", "線上預約，到店不用等。"), ("12:15", "修型與甲面整理", ""),
      ("12:40", "上色與照燈", "選了裸粉色短方圓。"), ("12:50", "回到辦公室", "")],
     "四十分鐘，回到座位剛好開會。三週後還是很完整。", "Amber，行銷經理"),
    ("commute-scalp-care", "通勤族的頭皮重整 A scalp reset for a commuter", "busy-professional",
     "hair-scalp", "in_store", "daan", ["chen-hao"], "ink",
     "每天騎車通勤、戴安全帽的工程師，頭皮終於不再發癢。",
     ["Kevin 每天騎機車上班，安全帽一戴就是一小時，頭皮悶熱發癢是他的日常。"],
     [("第 1 週", "頭皮檢測", "顯微鏡下看到毛孔堵塞。"), ("第 2 週", "第一次淨化", ""),
      ("第 6 週", "回診", "發癢明顯減少。")],
     "原來頭皮也需要保養，現在每個月固定來一次。", "Kevin，軟體工程師"),
    ("home-visit-new-mom", "新手媽媽的到府足部護理 A home visit for a new mother",
     "busy-professional", "hand-foot-care", "home_visit", "daan", ["wu-mei-ling"], "sage",
     "產後出不了門，美玲帶著工具到府，讓新手媽媽好好休息一小時。",
     ["產後第三個月，Joyce 幾乎沒辦法離開寶寶超過半小時。"],
     [("預約", "LINE 上約好寶寶午睡的時段", ""), ("到府", "自備消毒工具與墊巾", ""),
      ("結束", "留下居家保養建議卡", "")],
     "寶寶在旁邊睡覺，我在客廳泡腳，好像放了一天假。", "Joyce，新手媽媽"),
    ("private-suite-wedding-anniversary", "包廂裡的結婚紀念日 An anniversary in the private suite",
     "premium-client", "nails", "in_store", "xinyi", ["lin-ya-ting"], "ink",
     "結婚二十週年，陳太太包下信義店的包廂，與先生一起做手部保養。",
     ["陳太太是 Tend 的老顧客。這一次，她想給先生一個不一樣的紀念日。"],
     [("18:30", "香檳與手部保養", ""), ("19:15", "為陳太太設計珍珠手繪", ""),
      ("20:00", "拍照留念", "")],
     "很安靜、很私密，師傅記得我所有的喜好。", "陳太太"),
    ("executive-monthly-care", "主管的每月專屬保養 Monthly care for an executive",
     "premium-client", "hair-scalp", "in_store", "daan", ["chen-hao", "wu-mei-ling"], "sand",
     "固定的師傅、固定的時間，讓忙碌的主管每個月有兩小時只屬於自己。",
     ["林先生每個月第一個星期六早上都在大安店度過。"],
     [("10:00", "頭皮淨化", "陳浩負責。"), ("11:00", "足部護理", "美玲負責。"),
      ("12:00", "喝杯茶再離開", "")],
     "不用交代，他們都知道我要什麼。", "林先生，企業主管"),
    ("vip-travel-prep", "出國前的一次到位 Everything done before a trip", "premium-client",
     "hand-foot-care", "in_store", "taichung", ["wu-mei-ling"], "rose",
     "出差前一天，手足保養與指彩一次完成，還帶走旅行保養包。",
     ["Vivian 經常飛歐洲開會，出發前最需要的是一雙體面的手。"],
     [("14:00", "手足保養", ""), ("15:00", "指彩", "選了耐看的酒紅色。"),
      ("15:40", "旅行保養包", "")],
     "在飛機上看到自己的手，心情就很好。", "Vivian，品牌總監"),
    ("bridal-party", "伴娘團的兩小時 Two hours with a bridal party", "bespoke", "nails",
     "private_party", "taichung", ["huang-jia-hui"], "sand",
     "六位伴娘、一位新娘，台中店包場完成婚禮前的指彩與髮型。",
     ["小雯的婚禮在週六，她希望伴娘們在前一天一起來放鬆。"],
     [("前一個月", "試色與設計", "選定香檳金與霧粉。"), ("婚禮前一天 13:00", "包場開始", ""),
      ("15:00", "合照", "")],
     "大家一邊聊天一邊做指甲，比單身派對還開心。", "小雯，新娘"),
    ("three-generations", "三代同堂的保養日 A care day for three generations", "bespoke",
     "home-care", "family", "taichung", ["wu-mei-ling", "huang-jia-hui"], "sage",
     "奶奶、媽媽和女兒一起來，各自做最適合自己的保養。",
     ["母親節前，張家三代一起預約了台中店的親子區。"],
     [("10:00", "奶奶的足部護理", "美玲特別照顧敏感的皮膚。"), ("10:30", "媽媽的手部保養", ""),
      ("11:00", "女兒的第一次指彩", "")],
     "奶奶說這是她第一次讓別人幫她剪指甲，一直笑。", "張小姐"),
]

# slug, title, category, summary, lessons: (title, summary, steps: (title, text))
COURSES = [
    ("gel-fundamentals", "凝膠美甲基礎認證 Gel fundamentals certification", "nails",
     "Tend 美甲師的基礎課程：甲面處理、上膠與照燈、卸甲與衛生規範。",
     [("甲面處理與衛生", "工具消毒、甲面清潔與推甘皮。",
       [("工具消毒", "金屬工具以酒精擦拭後放入消毒箱；銼刀一客一換，不重複使用。"),
        ("甲面清潔", "以酒精棉清除油脂與粉塵，確認甲面完全乾燥再上膠。"),
        ("推甘皮", "先軟化再以推棒輕推，只剪除已翹起的死皮。")]),
      ("上膠與照燈", "薄塗三層的原則與常見失誤。",
       [("底膠", "薄薄一層並包覆甲緣，照燈 30 秒。"),
        ("色膠兩層", "每層都要薄，離甘皮約 0.5 mm，各照燈 60 秒。"),
        ("封層與檢查", "封層照燈 60 秒後擦去未固化層，檢查側邊是否溢膠。")]),
      ("安全卸甲", "不傷真甲的卸甲流程。",
       [("磨除封層", "只磨到色膠表面，不碰真甲。"),
        ("包覆卸甲液", "以卸甲棉與錫箔包覆 10 分鐘，期間不可硬推。"),
        ("修護", "推除殘膠後補擦指緣油，提醒顧客兩天內避免泡熱水。")])]),
    ("sensitive-skin-foot-care", "敏感肌與足部護理進階 Foot care for sensitive skin",
     "hand-foot-care", "針對敏感肌、長者與糖尿病顧客的足部護理原則與轉介時機。",
     [("風險評估", "哪些情況不能做、需要轉介。",
       [("問診", "詢問糖尿病、循環問題與正在使用的藥物。"),
        ("觀察", "檢查傷口、感染與顏色異常的部位。"),
        ("轉介", "有傷口或感染時不施作，建議顧客就醫，並記在服務卡上。")]),
      ("溫和去角質", "工具選擇與力道。",
       [("選擇工具", "用細目足銼，不使用刀片。"),
        ("控制力道", "順同一方向輕銼，隨時詢問顧客的感受。"),
        ("保濕", "完成後塗抹無香料的保濕霜。")]),
      ("居家衛教", "如何給顧客清楚的居家建議。",
       [("每日檢查", "請顧客每天看一次腳底與趾縫。"),
        ("鞋襪", "建議透氣的襪子與不夾腳的鞋。"),
        ("何時回診", "出現紅腫或傷口時先就醫，再回門市。")])]),
]

BRAND_TIMELINE = [
    ("2014", "第一家工作室", "創辦人 Sharon 在台北永康街開了一間只有兩個座位的美甲工作室。"),
    ("2017", "信義店開幕", "開始提供手足保養與包廂服務，第一次有了排班表。"),
    ("2020", "到府服務", "疫情期間，師傅帶著消毒好的工具到顧客家中。"),
    ("2022", "大安店與頭皮護理", "加入頭皮與髮的保養，服務上班族與男性顧客。"),
    ("2024", "台中店與親子區", "第一家台北以外的門市，全家人都能一起來。"),
    ("2026", "Tend 社群", "線上社群、體驗日與師傅培訓，把照顧延伸到門市之外。"),
]


def draw_image(title: str, palette: str, *, seed: int, kind: str, size=(1200, 800),
               variant: str = "") -> Image:
    """A picture of one kind (content.demo_art) in the brand palette, stored as a Wagtail image.
    No text on it: renditions crop freely, and alt text comes from the title."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = demo_art.jpeg(demo_art.draw(kind, palette, seed=seed, size=size, variant=variant))
    name = f"demo-{kind}{'-' + variant if variant else ''}-{seed}.jpg"
    image = Image(title=title, file=ImageFile(io.BytesIO(data), name=name))
    image.save()
    return image


def _rich(text: str) -> str:
    return f"<p>{text}</p>"


def _article(paragraphs, steps, callout, *, step_image=None, sections=()):
    body = [{"type": "paragraph", "value": _rich(text)} for text in paragraphs]
    for heading, texts in sections:
        body.append({"type": "heading", "value": heading})
        body.extend({"type": "paragraph", "value": _rich(text)} for text in texts)
    body.append({"type": "heading", "value": "步驟 Steps"})
    body.append({
        "type": "steps",
        "value": [
            {"title": title, "text": _rich(text),
             "image": step_image.pk if (step_image and index == 0) else None}
            for index, (title, text) in enumerate(steps)
        ],
    })
    kind, text = callout
    body.append({"type": "callout", "value": {"kind": kind, "text": _rich(text)}})
    return body


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _index(home, model, slug, title, intro):
    existing = model.objects.child_of(home).first()
    if existing:
        return existing
    return _publish(home, model(title=title, slug=slug, intro=intro))


def home_page() -> HomePage:
    site = services.point_default_site_at(settings.SITE_URL)
    return site.root_page.specific


def _seed_snippets():
    categories = {}
    for slug, name, description in CATEGORIES:
        categories[slug], _ = ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description})
    personas = {}
    for slug, name, description, icon in PERSONAS:
        personas[slug], _ = Persona.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "icon": icon})
    return categories, personas


def _seed_stores(home, stdout):
    index = _index(home, StoreIndexPage, "stores", "Stores 門市",
                   "三家門市，從台北到台中。每家店的營業時間、位置與團隊都在這裡。")
    stores = {}
    for seed, (slug, title, address, phone, lat, lng, palette, intro) in enumerate(STORES):
        store = StorePage.objects.filter(slug=slug).first()
        if store is None:
            store = _publish(index, StorePage(title=title, slug=slug, address=address,
                                              phone=phone))
            stdout.write(f"  created store {slug}")
        if store.latitude is None:
            store.intro = intro
            store.latitude, store.longitude = lat, lng
            store.cover = draw_image(f"{title} storefront", palette, seed=100 + seed, kind="store")
            store.photos = [("photo", draw_image(f"{title} interior {n}", palette, kind="interior",
                                                 seed=110 + seed * 10 + n, size=(960, 720)))
                            for n in range(3)]
            for weekday, slot in enumerate(HOURS[slug]):
                if slot:
                    store.opening_hours.add(OpeningHours(
                        weekday=weekday, opens=datetime.time.fromisoformat(slot[0]),
                        closes=datetime.time.fromisoformat(slot[1])))
            store.save_revision().publish()
        services.ensure_store_staff_group(store=store)
        stores[slug] = store
    staff = User.objects.filter(email="staff@tend.example").first()
    if staff is not None:
        services.add_store_staff(user=staff, store=stores["xinyi"])
    return stores


def _seed_practitioners(home, categories, stores):
    index = _index(home, PractitionerIndexPage, "practitioners", "Practitioners 師傅",
                   "認識 Tend 的師傅：每一位都經過培訓與認證，依顧客評價分為三個等級。")
    people = {}
    for seed, (slug, title, tier, summary, specialties, store_slugs, palette, bio) in enumerate(
            PRACTITIONERS):
        person = PractitionerPage.objects.filter(slug=slug).first()
        if person is None:
            person = PractitionerPage(
                title=title, slug=slug, tier=tier, summary=summary, bio=bio,
                photo=draw_image(f"{title} portrait", palette, seed=200 + seed, size=(800, 800),
                                 kind="portrait"),
            )
            person.specialties = [categories[s] for s in specialties]
            person.stores = [stores[s] for s in store_slugs]
            _publish(index, person)
        people[slug] = person
    return people


def _seed_tips(home, categories):
    index = _index(home, CareTipIndexPage, "tips", "Care tips 保養知識",
                   "師傅們整理的保養知識：美甲、手足、頭皮與居家保養，一次讀懂。")
    tips = []
    for seed, (slug, title, category, summary, tags, palette, paragraphs, steps, callout) in (
            enumerate(TIPS)):
        tip = CareTipPage.objects.filter(slug=slug).first()
        if tip is None:
            cover = draw_image(f"{title} cover", palette, seed=300 + seed, kind=CATEGORY_ART[category])
            sections = TIP_SECTIONS.get(slug, []) + ([TIP_MORE[slug]] if slug in TIP_MORE else [])
            tip = CareTipPage(
                title=title, slug=slug, summary=summary, category=categories[category],
                cover=cover, body=_article(paragraphs, steps, callout, step_image=cover, sections=sections),
            )
            tip.tags.add(*tags)
            _publish(index, tip)
        tips.append(tip)
    for position, tip in enumerate(tips):
        if not tip.related_tips.exists():
            tip.related_tips = [tips[(position + 1) % len(tips)], tips[(position + 2) % len(tips)]]
            tip.save_revision().publish()
    return tips


def _seed_stories(home, categories, personas, stores, people):
    index = _index(home, CaseStudyIndexPage, "stories", "Stories 顧客故事",
                   "上班族、尊榮顧客與客製需求：看看 Tend 如何融入每個人的生活。")
    stories = []
    for seed, row in enumerate(STORIES):
        (slug, title, persona, category, scene, store, practitioner_slugs, palette, summary,
         paragraphs, timeline, quote, quote_by) = row
        story = CaseStudyPage.objects.filter(slug=slug).first()
        if story is None:
            body = [{"type": "paragraph", "value": _rich(text)} for text in paragraphs]
            body.append({"type": "timeline", "value": [
                {"when": when, "title": step, "text": text} for when, step, text in timeline]})
            story = CaseStudyPage(
                title=title, slug=slug, summary=summary, persona=personas[persona],
                category=categories[category], scene=scene, store=stores[store], body=body,
                quote=quote, quote_by=quote_by,
                cover=draw_image(f"{title} cover", palette, seed=400 + seed,
                                 kind=CATEGORY_ART[category]),
            )
            story.practitioners = [people[s] for s in practitioner_slugs]
            _publish(index, story)
        stories.append(story)
    return stories


def _seed_bench_copies(pages, prefix, total, fields, *, tags=False, stdout=None):
    """Fill a section up to `total` pages for benchmarks with copies of its demo pages (same images,
    no drawing). add_child keeps the page tree right; no revisions, so it stays a matter of seconds."""
    model = type(pages[0])
    index = pages[0].get_parent()
    existing = model.objects.count()
    if existing >= total:
        return
    bar = progress(stdout, prefix.removeprefix("bench-") + " pages", total - existing)
    for n in range(existing, total):
        base = pages[n % len(pages)]
        page = model(title=f"{base.title} #{n}", slug=f"{prefix}-{n}")
        for field in fields:
            value = getattr(base, field)
            setattr(page, field, list(value.all()) if hasattr(value, "all") else value)
        if tags:
            page.tags.add(*base.tags.all())
        index.add_child(instance=page)
        bar.advance()
    bar.done()


def _seed_courses(home, categories):
    index = _index(home, TrainingCourseIndexPage, "courses", "Courses 師傅培訓",
                   "給通過認證的師傅：Tend 的標準作業與進階技巧。")
    services.restrict_courses(index=index)
    for seed, (slug, title, category, summary, lessons) in enumerate(COURSES):
        if TrainingCoursePage.objects.filter(slug=slug).exists():
            continue
        _publish(index, TrainingCoursePage(
            title=title, slug=slug, summary=summary, category=categories[category],
            cover=draw_image(f"{title} cover", "ink", seed=500 + seed, kind="academy"),
            lessons=[{"type": "lesson", "value": {
                "title": lesson_title, "summary": text, "video": None,
                "steps": [{"title": step, "text": _rich(how), "image": None} for step, how in steps],
                "documents": []}} for lesson_title, text, steps in lessons],
        ))


def _seed_brand_story(home):
    if BrandStoryPage.objects.exists():
        return
    _publish(home, BrandStoryPage(
        title="Our story 品牌故事", slug="about",
        intro="Tend 從一間兩個座位的工作室開始。我們相信，照顧自己不該是奢侈，而是生活的一部分。",
        cover=draw_image("Tend 品牌故事 brand story", "rose", seed=600, kind="brand"),
        timeline=[{"type": "timeline", "value": [
            {"when": when, "title": title, "text": text}
            for when, title, text in BRAND_TIMELINE]}],
        body=[{"type": "quote", "value": {
            "text": "把每一位顧客當成朋友，把每一次服務當成第一次。",
            "attribution": "Sharon，Tend 創辦人"}}],
    ))


def seed(stdout, scale: int = 0) -> None:
    home = home_page()
    categories, personas = _seed_snippets()
    stores = _seed_stores(home, stdout)
    people = _seed_practitioners(home, categories, stores)
    tips = _seed_tips(home, categories)
    stories = _seed_stories(home, categories, personas, stores, people)
    if scale:
        _seed_bench_copies(tips, "bench-tip", 50 * scale, ["summary", "category", "cover", "body"],
                           tags=True, stdout=stdout)
        _seed_bench_copies(stories, "bench-story", 50 * scale,
                           ["summary", "persona", "category", "scene", "store", "body", "quote",
                            "quote_by", "cover", "practitioners"], stdout=stdout)
    _seed_courses(home, categories)
    _seed_brand_story(home)
    if home.hero_image is None:
        home.hero_image = draw_image("Tend 居家保養 home care", "sage", seed=700, kind="brand")
        home.featured_tips = tips[:3]
        home.save_revision().publish()
    stdout.write("  content: stores, tips, stories, practitioners, courses, brand story")

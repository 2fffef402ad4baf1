"""Phrase templates for the messy corpus's free-text columns.

Written for this corpus from general knowledge of Japanese business systems (order back-offices, support
desks, HR, health check-up reports, staff surveys, encyclopedias); none is taken from tests/datagen, and
the recognizers never read this file. ``{name}``, ``{tel}``, ``{company}`` etc. are filled by the lake
writer with values from ``tests.messy.sources``.
"""

from __future__ import annotations

# Order remarks that hold nothing personal: what a back office writes on an order.
REMARKS_PLAIN: tuple[str, ...] = (
    "置き配希望", "不在時は宅配ボックスへ", "日時指定 午前中", "日時指定 19-21時", "ギフト包装あり",
    "のし：御中元 外のし", "のし：内祝 名入れなし", "請求書同封不可", "領収書発行済み", "代引き手数料サービス",
    "同梱希望（前回注文分と）", "欠品のため分納", "分納2回目 発送済", "キャンセル済 返金処理中", "返品受付 初期不良",
    "交換品発送済み", "住所不備のため保留→解決", "配送業者変更", "ポイント併用", "クーポン適用",
    "法人宛 納品書必要", "見積書送付済", "後払い与信OK", "与信NG 前払いに変更", "再配達依頼あり",
    "メール便不可サイズ", "冷蔵便", "割れ物注意", "名入れ：ローマ字", "定期便 3回目",
    "", "", "", "", "",
)

# Remarks that name the customer (1.5 % of rows); {name} is a customer's name.
REMARKS_NAME: tuple[str, ...] = (
    "{name}様より再配達の依頼", "{name}様 電話にて日時変更", "受取人：{name}様", "{name}様 宛名変更希望",
    "ご依頼主 {name}様 ギフト", "{name}様より問合せ 到着遅延", "領収書宛名 {name}",
)

# Remarks with a phone number (1.5 % of rows); {tel} is formatted as real systems emit it.
REMARKS_TEL: tuple[str, ...] = (
    "不在時連絡先 {tel}", "配達前に電話 {tel}", "携帯 {tel} へ連絡", "連絡先変更→{tel}",
    "TEL:{tel} 夕方以降", "折返し {tel}",
)

# Remarks that name a company (not personal): tests that GiNZA's PERSON on firms is not believed.
REMARKS_COMPANY: tuple[str, ...] = (
    "領収書宛名：{company}", "{company} 経由で納品", "請求先 {company} 経理部", "{company}様 法人契約",
)

EXPENSE_SUMMARY: tuple[str, ...] = (
    "{company} 配送料 {month}月分", "{company} 会議室利用料", "{ministry} 申請手数料", "{company} 打合せ 飲食代",
    "{company} 保守契約 {month}月", "{ministry} 入札説明会 交通費", "{company} 書籍購入", "タクシー代 {company}訪問",
    "{company} 年会費", "収入印紙代",
)

ACCOUNT_TITLES: tuple[str, ...] = ("旅費交通費", "会議費", "交際費", "通信費", "消耗品費", "支払手数料", "新聞図書費", "諸会費")

DEPARTMENTS: tuple[str, ...] = ("経理部", "総務部", "営業部", "人事部", "情報システム部", "購買課", "品質保証課", "物流センター")
TITLES: tuple[str, ...] = ("部長", "課長", "主任", "係長", "次長", "マネージャー", "リーダー")

LEAVE_REASONS: tuple[str, ...] = (
    "病気療養", "私傷病による休職", "療養のため休職（適応障害）", "入院加療のため", "通院治療のため時短勤務",
    "医師の指示による自宅療養", "術後療養", "メンタル不調による休職",
)

# Support chat lines; the customer sometimes gives a name or a call-back number.
CHAT_AGENT: tuple[str, ...] = (
    "お問い合わせありがとうございます。担当が確認いたします。", "ご不便をおかけして申し訳ございません。",
    "注文番号をお知らせいただけますか。", "交換品を本日発送いたしました。", "返金手続きが完了しました。",
)
CHAT_CUSTOMER_PLAIN: tuple[str, ...] = (
    "届いた商品の箱が潰れていました", "アプリにログインできません", "注文をキャンセルしたいです",
    "ポイントが反映されていないようです", "色違いに交換できますか", "配送状況を教えてください",
    "クーポンコードが使えませんでした", "領収書を発行してほしいです",
)
CHAT_CUSTOMER_CONTACT: tuple[str, ...] = (
    "折り返しは{tel}までお願いします", "{name}です。先日の件で連絡しました", "名義は{name}です",
    "日中は{tel}にかけてください", "{name}と申します。注文の確認をお願いします",
    "送り先を変更します。住所: {address}", "引っ越したので届け先は{address}でお願いします",
)

# Staff / customer survey answers. Everyday answers first, then self-disclosures written in ordinary
# words (no names of religions, unions or parties), as people mention them in passing.
SURVEY_PLAIN: tuple[str, ...] = (
    "注文から二日で届いたのはありがたい", "アプリの検索が使いにくい", "送料無料の条件を下げてほしい", "特にありません",
    "問い合わせの返信が遅かった", "ポイント制度が分かりにくい", "梱包が丁寧でした", "品揃えをもっと増やしてほしい",
    "土日も窓口を開けてほしい", "説明会の資料が見づらかった", "研修の日程をもう少し早く知らせてほしい",
    "在宅勤務の制度があると助かる", "駐車場が狭い", "スタッフの対応が丁寧だった", "", "",
)
SURVEY_BELIEF: tuple[str, ...] = (
    "日曜の午前は教会の礼拝に出るので、行事は午後にしてもらえると助かります",
    "毎朝お寺でお勤めがあるので早朝のシフトは避けたいです",
    "信仰の関係で豚由来の原料が入っていないか表示してほしい",
    "一日に何度かお祈りの時間があるので、休憩の取り方を相談したい",
    "断食の月は日中食事をとらないので、昼の会食は欠席させてください",
    "週末は聖書の勉強会に通っています",
)
SURVEY_LABOR: tuple[str, ...] = (
    "組合の執行委員をしているので平日夜の研修は出られません",
    "春の賃上げ交渉の時期は組合の集まりで忙しい",
    "職場の労組の集会でこの制度を知りました",
    "個人で入れるユニオンに相談して未払い残業代を請求しました",
    "組合のストライキに参加したことがあります",
)
SURVEY_POLITICAL: tuple[str, ...] = (
    "先月、駅前のデモに参加しました",
    "署名を集める活動をしていて、この件も署名しました",
    "選挙のボランティアで週末はほとんど埋まっています",
    "市議選で知り合いの候補者の応援演説をしました",
    "原発反対の集会に毎月行っています",
)
SURVEY_HEALTH: tuple[str, ...] = (
    "持病の腰痛があり長時間の立ち仕事がつらい", "通院中なので平日休みが取りやすいと助かる",
    "妊娠中のため重い荷物の受け取りが大変です", "糖尿病の食事制限があるので成分表示を詳しく",
    "薬の副作用で午前中は体調が悪いことがある",
)

OCCUPATIONS: tuple[str, ...] = (
    "会社員", "公務員", "自営業", "会社役員", "パート・アルバイト", "派遣社員", "学生", "専業主婦（主夫）", "無職", "その他",
)
AGE_BANDS: tuple[str, ...] = ("10代", "20代", "30代", "40代", "50代", "60代", "70代以上")

URINE_FINDINGS: tuple[str, ...] = ("尿潜血（+）", "尿潜血（2+）", "尿蛋白（±）", "尿蛋白（+）", "尿糖（+）", "ウロビリノーゲン（+）")
DOCTOR_FINDINGS: tuple[str, ...] = (
    "γ-GTP高値", "LDLコレステロール高値 要再検", "血圧高値（要医療）", "E判定（要治療）", "HbA1c高値 要精密検査",
    "心電図 軽度異常 経過観察", "胸部X線 要精密検査", "肝機能異常 D判定", "尿酸値高値", "貧血 要受診",
)
OVERALL_GRADES: tuple[str, ...] = (
    "A", "A", "A", "B", "B", "B", "B", "C", "C", "D", "E",
    "A（異常なし）", "B（軽度異常）", "C（要経過観察）", "D（要精密検査）", "E（要治療）",
)

# Encyclopedia passages: general knowledge about religions, diseases, unions and ministries, about no one.
ARTICLES: tuple[tuple[str, str, str], ...] = (
    ("仏教", "宗教", "仏教は紀元前5世紀ごろのインドに始まり、東アジアに広まった宗教である。日本には6世紀に伝来した。"),
    ("キリスト教", "宗教", "キリスト教はイエスを救い主とする宗教で、カトリック、正教会、プロテスタントなどの教派がある。"),
    ("イスラム教", "宗教", "イスラム教は7世紀のアラビア半島で成立した一神教で、聖典はクルアーンである。"),
    ("神道", "宗教", "神道は日本の風土の中で形づくられた信仰で、各地の神社を中心に祭祀が行われる。"),
    ("糖尿病", "医学", "糖尿病はインスリンの作用不足により高血糖が続く病気で、生活習慣の改善と薬物療法で治療する。"),
    ("高血圧", "医学", "高血圧は血圧が基準値を超えて高い状態が続くもので、脳卒中や心疾患の危険因子とされる。"),
    ("インフルエンザ", "医学", "インフルエンザはインフルエンザウイルスによる急性の呼吸器感染症で、冬季に流行する。"),
    ("うつ病", "医学", "うつ病は気分の落ち込みや意欲の低下が続く精神疾患で、休養と治療で回復が期待できる。"),
    ("労働組合", "社会", "労働組合は労働者が労働条件の維持改善を目的に組織する団体で、労働組合法で保護されている。"),
    ("財務省", "行政", "財務省は国の予算、税制、通貨、国債などを所管する中央省庁で、霞が関に所在する。"),
    ("厚生労働省", "行政", "厚生労働省は医療、福祉、年金、雇用などを所管する中央省庁である。"),
    ("普通選挙", "政治", "普通選挙は財産や納税額によらず一定年齢以上の国民に選挙権を認める制度である。"),
    ("結核", "医学", "結核は結核菌による感染症で、かつては日本の死因の上位を占めた。"),
    ("日蓮", "人物", "日蓮は鎌倉時代の僧で、法華経を重んじる教えを説いた。"),
)

INDUSTRY_WORDS: tuple[str, ...] = ("運輸", "商会", "商店", "建設", "工業", "物産", "製作所", "電機", "食品", "印刷", "興業", "不動産")
LEGAL_FORMS: tuple[str, ...] = ("株式会社{x}", "{x}株式会社", "{x}合同会社", "有限会社{x}", "㈱{x}", "㈲{x}", "{x}(株)")
MINISTRIES: tuple[str, ...] = (
    "財務省", "総務省", "法務省", "外務省", "文部科学省", "厚生労働省", "農林水産省", "経済産業省", "国土交通省", "環境省",
    "防衛省", "国税庁", "特許庁", "気象庁",
)
INDUSTRIES: tuple[str, ...] = ("運輸業", "卸売業", "小売業", "製造業", "建設業", "情報通信業", "サービス業", "官公庁")

PRODUCT_STEMS: tuple[str, ...] = (
    "産 生乳ヨーグルト", "産 天然水 2L", "銘菓 詰め合わせ", "産 こしひかり 5kg", "名産 ほうじ茶", "の塩 焼きのり",
    "産 りんごジュース", "醸造 しょうゆ 1L",
)

SETTING_PLAIN: tuple[tuple[str, str], ...] = (
    ("DB_HOST", "db-primary.internal"), ("DB_PORT", "5432"), ("LOG_LEVEL", "INFO"), ("CACHE_TTL", "300"),
    ("FEATURE_NEW_CHECKOUT", "true"), ("TZ", "Asia/Tokyo"), ("WORKERS", "4"), ("S3_BUCKET", "app-assets-prod"),
)
LOG_PLAIN: tuple[str, ...] = (
    "INFO  service started on port {port}", "INFO  health check ok", "WARN  slow query 1832ms",
    "INFO  deploy finished in 42s", "ERROR upstream timeout, retrying", "INFO  cache warmed",
    "INFO  migrated 3 tables", "DEBUG worker {port} idle",
)

# Workplace accommodation notes: disability certificates and grades as HR records them (身体障害者手帳 1-6級,
# 精神障害者保健福祉手帳 1-3級, 療育手帳 A/B per the certificate systems).
ACCOMMODATION: tuple[str, ...] = (
    "身体障害者手帳 2級（下肢）", "身体障害者手帳 3級（上肢）", "精神障害者保健福祉手帳 3級", "療育手帳 B2", "車椅子使用のため1階席",
    "聴覚障害 6級 筆談対応", "精神障害者保健福祉手帳2級 通院配慮",
)
EMERGENCY_RELATION: tuple[str, ...] = ("父", "母", "妻", "夫", "兄", "姉", "弟", "妹", "長男", "長女")

# endorse: Arabic (Modern Standard). Message ids and variables are described in ../en/endorse.ftl.
# REVIEW (native speaker): every string in this file.
#
# Plural categories (CLDR) for whole numbers:
#   zero   0
#   one    1                      منظمة واحدة / في بلد واحد (the number as a word, no digit)
#   two    2                      منظمتان / في بلدين (dual; genitive بلدين after في)
#   few    3–10, 103–110 …        3 منظمات / في 3 بلدان
#   many   11–99, 111–199 …       11 منظمة / في 11 بلدًا
#   other  100–102, 200, 1000 …   100 منظمة / في 100 بلد
# A rounded number is never 0, 1 or 2, but may be few (10), many (90, 150) or other (100).
# Digits are Latin (0–9) with a comma between thousands (1,000): see ../README.md for why.

## The running count: "أكثر من 90 منظمة في أكثر من 40 بلدًا".

# REVIEW
headline-organisations =
    { $organisations-rounded ->
        [true]
            { $organisations ->
                [few] أكثر من { $organisations } منظمات
               *[other] أكثر من { $organisations } منظمة
            }
       *[false]
            { $organisations ->
                [zero] { $organisations } منظمة
                [one] منظمة واحدة
                [two] منظمتان
                [few] { $organisations } منظمات
                [many] { $organisations } منظمة
               *[other] { $organisations } منظمة
            }
    }

# With its preposition في, so the dual is genitive: في بلدين.
# The numeric variants [150] … [950] come first on purpose: CLDR puts these numbers in `many`
# (n % 100 = 11..99: "150 بلدًا"), but the plural rules inside fluent-bundle (intl_pluralrules
# 7.0.2) leave out the "% 100" for Arabic and call them `other`. An exact number wins over a
# category when it comes first. 103–110 and the like cannot be shown (counts from 100 are rounded
# to multiples of 50), and for organisations `many` and `other` read the same. A unit test
# compares these rules with ICU4X's and fails if this changes. See ../README.md.
# REVIEW
headline-countries =
    { $countries-rounded ->
        [true]
            { $countries ->
                [150] في أكثر من { $countries } بلدًا
                [250] في أكثر من { $countries } بلدًا
                [350] في أكثر من { $countries } بلدًا
                [450] في أكثر من { $countries } بلدًا
                [550] في أكثر من { $countries } بلدًا
                [650] في أكثر من { $countries } بلدًا
                [750] في أكثر من { $countries } بلدًا
                [850] في أكثر من { $countries } بلدًا
                [950] في أكثر من { $countries } بلدًا
                [few] في أكثر من { $countries } بلدان
                [many] في أكثر من { $countries } بلدًا
               *[other] في أكثر من { $countries } بلد
            }
       *[false]
            { $countries ->
                [150] في { $countries } بلدًا
                [250] في { $countries } بلدًا
                [350] في { $countries } بلدًا
                [450] في { $countries } بلدًا
                [550] في { $countries } بلدًا
                [650] في { $countries } بلدًا
                [750] في { $countries } بلدًا
                [850] في { $countries } بلدًا
                [950] في { $countries } بلدًا
                [zero] في { $countries } بلد
                [one] في بلد واحد
                [two] في بلدين
                [few] في { $countries } بلدان
                [many] في { $countries } بلدًا
               *[other] في { $countries } بلد
            }
    }

headline = { headline-organisations } { headline-countries }

## Labels in the embeds (badge, counter, widget).

# REVIEW
label-organisations = المنظمات
# REVIEW
label-countries = البلدان
# REVIEW: "Endorsements of …", here "organisations endorsing the campaign …"; $campaign is the
# campaign's title, possibly in Latin script: the page around it should isolate it (<bdi>).
counter-title = المنظمات المؤيدة لحملة { $campaign }
# REVIEW
endorse-link = تأييد الحملة
# REVIEW: a quiet fallback shown in place of the count.
offline = العدد غير متاح حاليًا
# REVIEW: stands before the headline on the badge ("بتأييد من أكثر من 90 منظمة …").
badge-label = بتأييد من

## الأرقام في تاريخ معين، وخريطة العالم، وقائمة المنظمات.

# REVIEW: all of this section. The counts are written "label: number" to avoid Arabic
# number agreement with exact counts (and fluent-bundle's plural-rule gap above 100).
badge-label-as-of = حتى { $date }، بتأييد من
map-country = { $country }: عدد المنظمات { $organisations }
map-description = خريطة العالم: البلدان التي تتخذ منها منظمات مؤيدة مقرًا لها مظللة، ويزداد اللون قتامة كلما زاد عددها.
map-legend = عدد المنظمات في كل بلد
map-range = من { $from } إلى { $to }
map-range-open = { $from } أو أكثر
list-title = المنظمات المؤيدة لحملة { $campaign }
list-search-label = البحث باسم المنظمة
list-search-button = بحث
list-show-all = عرض الكل
list-count = عدد المنظمات المدرجة: { $organisations }
list-count-matching = عدد المنظمات المطابقة لعبارة «{ $query }»: { $organisations }
list-count-only-note = لا تُدرج في القائمة المنظمات التي طلبت أن تُحتسب دون ذكر اسمها.
list-none = لا توجد في القائمة منظمة تطابق هذا البحث.
list-page = الصفحة { $page } من { $pages }
list-pages = الصفحات
list-previous = الصفحة السابقة
list-next = الصفحة التالية
list-new-tab = (يُفتح في علامة تبويب جديدة)
list-frame = المنظمات المؤيدة للحملة

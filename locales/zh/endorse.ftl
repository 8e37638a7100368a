# endorse: Simplified Chinese. Message ids and variables are described in ../en/endorse.ftl.
# REVIEW (native speaker): every string in this file.
# Chinese has no plural forms (CLDR category `other` only); the measure word 个 follows the number.
# No spaces between digits and characters. Numbers are grouped with a comma (1,000) by the code.

## The running count: "超过90个组织，来自超过40个国家".

# REVIEW
headline-organisations =
    { $organisations-rounded ->
        [true] 超过{ $organisations }个组织
       *[false] { $organisations }个组织
    }

# REVIEW
headline-countries =
    { $countries-rounded ->
        [true] 来自超过{ $countries }个国家
       *[false] 来自{ $countries }个国家
    }

# The parts are joined by a full-width comma.
# REVIEW
headline = { headline-organisations }，{ headline-countries }

## Labels in the embeds (badge, counter, widget).

# REVIEW
label-organisations = 组织
# REVIEW
label-countries = 国家
# REVIEW: "Endorsements of …", here "organisations supporting …"; $campaign is the campaign's title.
counter-title = 支持“{ $campaign }”的组织
# REVIEW
endorse-link = 支持这项运动
# REVIEW: a quiet fallback shown in place of the count.
offline = 暂时无法显示数目
# REVIEW: stands before the headline on the badge.
badge-label = 支持者

## 截至某日的数字、世界地图和组织名单。

# REVIEW: all of this section.
badge-label-as-of = 截至{ $date }的支持者
map-country = { $country }：{ $organisations }个组织
map-description = 世界地图：有支持组织的国家以颜色标出，组织越多，颜色越深。
map-legend = 各国组织数目
map-range = { $from }–{ $to }
map-range-open = { $from }及以上
list-title = 支持“{ $campaign }”的组织
list-search-label = 按组织名称搜索
list-search-button = 搜索
list-show-all = 显示全部
list-count = 名单共列出{ $organisations }个组织。
list-count-matching = 有{ $organisations }个组织与“{ $query }”相符。
list-count-only-note = 要求只计入数目、不公开名称的组织未列入名单。
list-none = 名单中没有与此搜索相符的组织。
list-page = 第{ $page }页，共{ $pages }页
list-pages = 分页
list-previous = 上一页
list-next = 下一页
list-new-tab = （在新标签页中打开）
list-frame = 支持这项运动的组织

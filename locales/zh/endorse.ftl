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

# endorse: British English. The reference language: every other file has the same message ids.
#
# Variables passed to the headline messages:
#   $organisations           the number of organisations as shown (already rounded down; a number,
#                            so `[one]`, `[other]` … select by the language's plural rules and
#                            `{ $organisations }` is written with the language's digit grouping)
#   $organisations-rounded   `true` when the shown number is below the exact count (say "over"),
#                            otherwise `false`
#   $countries               the number of countries as shown (as above)
#   $countries-rounded       `true` or `false`, as above (say "more than")
# Shown numbers: 0–9 exact; from 10 rounded down to a multiple of 10 below 100, of 50 below
# 1,000, of 500 below 10,000 and so on. A rounded number is never 0, 1 or 2.

## The running count: "over 90 organisations in more than 40 countries".

# The organisations part: "over 90 organisations", "1 organisation".
headline-organisations =
    { $organisations-rounded ->
        [true] over { $organisations } organisations
       *[false]
            { $organisations ->
                [one] { $organisations } organisation
               *[other] { $organisations } organisations
            }
    }

# The countries part, with its preposition: "in more than 40 countries", "in 1 country".
headline-countries =
    { $countries-rounded ->
        [true] in more than { $countries } countries
       *[false]
            { $countries ->
                [one] in { $countries } country
               *[other] in { $countries } countries
            }
    }

# The whole headline: the two parts in this language's order.
headline = { headline-organisations } { headline-countries }

## Labels in the embeds (badge, counter, widget).

label-organisations = Organisations
label-countries = Countries
# $campaign is the campaign's title, e.g. "End Child Detention".
counter-title = Endorsements of { $campaign }
endorse-link = Endorse the campaign
# Shown quietly in place of the count when it cannot be loaded.
offline = The count is unavailable right now
# Short; on the badge it stands before the headline: "endorsed by | over 90 organisations …".
badge-label = endorsed by

## Dated figures, the world map and the list of endorsers.

# On the badge of a past day, before the headline; $date is the day as 2014-03-01.
badge-label-as-of = endorsed by, as of { $date }
# A country on the world map: $country its name, $organisations how many endorse there.
map-country =
    { $organisations ->
        [one] { $country }: { $organisations } organisation
       *[other] { $country }: { $organisations } organisations
    }
# Read after the headline by screen readers.
map-description = World map: the countries where endorsing organisations are based are shaded, darker where there are more.
map-legend = Organisations per country
# A class of the legend: from $from to $to organisations.
map-range = { $from }–{ $to }
# The last class of the legend: $from organisations or more.
map-range-open = { $from } or more
# $campaign is the campaign's title.
list-title = Organisations endorsing { $campaign }
list-search-label = Search by organisation name
list-search-button = Search
list-show-all = Show all
# $organisations: how many organisations the list holds.
list-count =
    { $organisations ->
        [one] { $organisations } organisation is listed.
       *[other] { $organisations } organisations are listed.
    }
# $organisations: how many match; $query: what was searched for.
list-count-matching =
    { $organisations ->
        [one] { $organisations } organisation matches “{ $query }”.
       *[other] { $organisations } organisations match “{ $query }”.
    }
list-count-only-note = Organisations that asked to be counted without being named are not listed.
list-none = No listed organisation matches this search.
# $page and $pages are numbers.
list-page = Page { $page } of { $pages }
list-pages = Pages
list-previous = Previous page
list-next = Next page
# Read by screen readers after a link to an organisation's website.
list-new-tab = (opens in a new tab)
# The title of the frame the <endorsement-list> element shows the list in.
list-frame = Organisations endorsing the campaign

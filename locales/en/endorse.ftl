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

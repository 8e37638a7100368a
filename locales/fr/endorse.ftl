# endorse: French. Message ids and variables are described in ../en/endorse.ftl.
# In French 0 and 1 take the singular (plural category `one`): "0 organisation", "1 pays".
# Numbers are grouped with a narrow no-break space (1 000); the code does that, not this file.
# REVIEW (native speaker): the UI labels below marked REVIEW; the headline is standard French.

## The running count: "plus de 90 organisations dans plus de 40 pays".

headline-organisations =
    { $organisations-rounded ->
        [true] plus de { $organisations } organisations
       *[false]
            { $organisations ->
                [one] { $organisations } organisation
               *[other] { $organisations } organisations
            }
    }

# "pays" is the same in the singular and the plural.
headline-countries =
    { $countries-rounded ->
        [true] dans plus de { $countries } pays
       *[false] dans { $countries } pays
    }

headline = { headline-organisations } { headline-countries }

## Labels in the embeds (badge, counter, widget).

label-organisations = Organisations
label-countries = Pays
# REVIEW: "Soutiens à" for "Endorsements of"; $campaign is the campaign's title.
counter-title = Soutiens à { $campaign }
endorse-link = Soutenir la campagne
# REVIEW: a quiet fallback shown in place of the count.
offline = Le décompte n’est pas disponible pour le moment
# REVIEW: stands before the headline on the badge; feminine, agreeing with "la campagne".
badge-label = soutenue par

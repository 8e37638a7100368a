# endorse: Spanish. Message ids and variables are described in ../en/endorse.ftl.
# Numbers: 1000 without a separator, 10.000 with one (CLDR minimum grouping digits 2); the code
# does that, not this file.
# REVIEW (native speaker): the UI labels below marked REVIEW; the headline is standard Spanish.

## The running count: "más de 90 organizaciones en más de 40 países".

headline-organisations =
    { $organisations-rounded ->
        [true] más de { $organisations } organizaciones
       *[false]
            { $organisations ->
                [one] { $organisations } organización
               *[other] { $organisations } organizaciones
            }
    }

headline-countries =
    { $countries-rounded ->
        [true] en más de { $countries } países
       *[false]
            { $countries ->
                [one] en { $countries } país
               *[other] en { $countries } países
            }
    }

headline = { headline-organisations } { headline-countries }

## Labels in the embeds (badge, counter, widget).

label-organisations = Organizaciones
label-countries = Países
# REVIEW: "Apoyos a" for "Endorsements of"; $campaign is the campaign's title.
counter-title = Apoyos a { $campaign }
endorse-link = Apoyar la campaña
# REVIEW: a quiet fallback shown in place of the count.
offline = El recuento no está disponible en este momento
# REVIEW: stands before the headline on the badge.
badge-label = con el apoyo de

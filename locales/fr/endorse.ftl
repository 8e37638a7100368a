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

## Chiffres datés, carte du monde et liste des organisations.

# REVIEW: the label of a badge for a past day; $date is written 2014-03-01.
badge-label-as-of = soutenue, au { $date }, par
map-country =
    { $organisations ->
        [one] { $country } : { $organisations } organisation
       *[other] { $country } : { $organisations } organisations
    }
map-description = Carte du monde : les pays où sont établies des organisations qui soutiennent la campagne sont colorés, d’autant plus foncés qu’elles y sont nombreuses.
map-legend = Organisations par pays
map-range = de { $from } à { $to }
map-range-open = { $from } ou plus
list-title = Organisations qui soutiennent { $campaign }
list-search-label = Rechercher par nom d’organisation
list-search-button = Rechercher
list-show-all = Tout afficher
list-count =
    { $organisations ->
        [one] { $organisations } organisation figure dans la liste.
       *[other] { $organisations } organisations figurent dans la liste.
    }
list-count-matching =
    { $organisations ->
        [one] { $organisations } organisation correspond à « { $query } ».
       *[other] { $organisations } organisations correspondent à « { $query } ».
    }
list-count-only-note = Les organisations qui ont demandé à être comptées sans être nommées ne figurent pas dans la liste.
list-none = Aucune organisation de la liste ne correspond à cette recherche.
list-page = Page { $page } sur { $pages }
list-pages = Pages
list-previous = Page précédente
list-next = Page suivante
list-new-tab = (s’ouvre dans un nouvel onglet)
list-frame = Organisations qui soutiennent la campagne

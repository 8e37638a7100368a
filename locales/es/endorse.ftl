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

## Cifras fechadas, mapa del mundo y lista de organizaciones.

# REVIEW: the label of a badge for a past day; $date is written 2014-03-01.
badge-label-as-of = al { $date }, con el apoyo de
map-country =
    { $organisations ->
        [one] { $country }: { $organisations } organización
       *[other] { $country }: { $organisations } organizaciones
    }
map-description = Mapa del mundo: los países donde tienen su sede organizaciones que apoyan la campaña aparecen sombreados, más oscuros cuantas más hay.
map-legend = Organizaciones por país
map-range = de { $from } a { $to }
map-range-open = { $from } o más
list-title = Organizaciones que apoyan { $campaign }
list-search-label = Buscar por nombre de organización
list-search-button = Buscar
list-show-all = Mostrar todas
list-count =
    { $organisations ->
        [one] Figura { $organisations } organización en la lista.
       *[other] Figuran { $organisations } organizaciones en la lista.
    }
list-count-matching =
    { $organisations ->
        [one] { $organisations } organización coincide con «{ $query }».
       *[other] { $organisations } organizaciones coinciden con «{ $query }».
    }
list-count-only-note = No figuran en la lista las organizaciones que pidieron ser contadas sin que se publique su nombre.
list-none = Ninguna organización de la lista coincide con esta búsqueda.
list-page = Página { $page } de { $pages }
list-pages = Páginas
list-previous = Página anterior
list-next = Página siguiente
list-new-tab = (se abre en una pestaña nueva)
list-frame = Organizaciones que apoyan la campaña

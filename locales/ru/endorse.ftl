# endorse: Russian. Message ids and variables are described in ../en/endorse.ftl.
# REVIEW (native speaker): every string in this file, especially the case forms.
#
# Plural categories (CLDR) for whole numbers:
#   one   1, 21, 31, 101 … (ends in 1, but not 11)   организация / в … стране
#   few   2–4, 22–24, 102 … (not 12–14)              организации / в … странах
#   many  0, 5–20, 25–30, 100, 1 000 …               организаций / в … странах
# Numbers are grouped with a no-break space (1 000); the code does that, not this file.

## The running count: "более 90 организаций более чем в 40 странах".

# Nominative after a number; after «более» the genitive: «более 21 организации», «более 90 организаций».
# REVIEW
headline-organisations =
    { $organisations-rounded ->
        [true]
            { $organisations ->
                [one] более { $organisations } организации
               *[many] более { $organisations } организаций
            }
       *[false]
            { $organisations ->
                [one] { $organisations } организация
                [few] { $organisations } организации
               *[many] { $organisations } организаций
            }
    }

# The prepositional case after «в»: «в 1 стране», «в 2 странах», «в 21 стране»;
# rounded: «более чем в 40 странах».
# REVIEW
headline-countries =
    { $countries-rounded ->
        [true]
            { $countries ->
                [one] более чем в { $countries } стране
               *[many] более чем в { $countries } странах
            }
       *[false]
            { $countries ->
                [one] в { $countries } стране
               *[many] в { $countries } странах
            }
    }

headline = { headline-organisations } { headline-countries }

## Labels in the embeds (badge, counter, widget).

# REVIEW
label-organisations = Организации
# REVIEW
label-countries = Страны
# REVIEW: "Endorsements of …"; $campaign is the campaign's title.
counter-title = Поддержка кампании «{ $campaign }»
# REVIEW
endorse-link = Поддержать кампанию
# REVIEW: a quiet fallback shown in place of the count.
offline = Счётчик сейчас недоступен
# REVIEW: stands before the headline on the badge ("при поддержке более 90 организаций …");
# with an exact count of 1–4 the headline's nominative does not follow it grammatically.
badge-label = при поддержке

## Цифры на дату, карта мира и список организаций.

# REVIEW: all of this section.
badge-label-as-of = на { $date } при поддержке
map-country =
    { $organisations ->
        [one] { $country }: { $organisations } организация
        [few] { $country }: { $organisations } организации
        [many] { $country }: { $organisations } организаций
       *[other] { $country }: { $organisations } организации
    }
map-description = Карта мира: страны, где находятся организации, поддержавшие кампанию, закрашены; чем больше организаций, тем темнее цвет.
map-legend = Организации по странам
map-range = от { $from } до { $to }
map-range-open = { $from } и более
list-title = Организации, поддерживающие кампанию «{ $campaign }»
list-search-label = Поиск по названию организации
list-search-button = Найти
list-show-all = Показать все
list-count =
    { $organisations ->
        [one] В списке { $organisations } организация.
        [few] В списке { $organisations } организации.
        [many] В списке { $organisations } организаций.
       *[other] В списке { $organisations } организации.
    }
list-count-matching =
    { $organisations ->
        [one] Запросу «{ $query }» соответствует { $organisations } организация.
        [few] Запросу «{ $query }» соответствуют { $organisations } организации.
        [many] Запросу «{ $query }» соответствуют { $organisations } организаций.
       *[other] Запросу «{ $query }» соответствуют { $organisations } организации.
    }
list-count-only-note = Организации, попросившие учитывать их без указания названия, в список не включены.
list-none = Ни одна организация из списка не соответствует запросу.
list-page = Страница { $page } из { $pages }
list-pages = Страницы
list-previous = Предыдущая страница
list-next = Следующая страница
list-new-tab = (откроется в новой вкладке)
list-frame = Организации, поддерживающие кампанию

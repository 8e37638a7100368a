# endorse: Russian, the pages for people (the sign-on form and what follows it) and the e-mails
# they send. Message ids and variables are described in ../en/pages.ftl.
#
# Plural categories (CLDR) for whole numbers:
#   one   1, 21, 31, 101 … (ends in 1, but not 11)   1 день, 1 секунду, не более 21 символа
#   few   2–4, 22–24, 102 … (not 12–14)              2 дня, 2 секунды, не менее 2 символов
#   many  0, 5–20, 25–30, 100, 1 000 …               5 дней, 5 секунд, не более 200 символов
#   other fractions only; listed as the default
# Register: the polite plural. On the pages «вы» is written in lower case, as usual in an
# interface; in the e-mails, letters to one person, «Вы» and «Ваш» are capitalised.
# The campaign's title stands in «» after «кампания» (it cannot be declined); an organisation's
# name follows «организация» in the case the sentence needs.
# Numbers are grouped with a no-break space (2 000).
# REVIEW: machine-assisted translation; needs review by a native speaker before it is relied on.

## Around every page.

# The language switcher's accessible name.
languages = Языки
skip-to-content = Перейти к основному содержанию
# Before the page title when the form has errors: "Ошибка: Поддержать …".
error-prefix = Ошибка:
# The link back to the campaign's own website.
campaign-website = Сайт кампании
powered-by = Сведения о поддержке ведёт секретариат кампании.

## The sign-on form.

sign-title = Поддержать кампанию
sign-intro = Добавьте свою организацию к тем, кто поддерживает кампанию «{ $campaign }». Секретариат кампании проверяет каждую заявку перед публикацией.
sign-required = Все поля обязательны, кроме отмеченных как необязательные.
error-summary-title = Возникла проблема
section-organisation = Ваша организация
section-contact = Контактное лицо

field-organisation_name = Название вашей организации
field-organisation_name-hint = Так, как оно должно выглядеть в списке поддержавших организаций.
field-organisation_type = Тип организации
field-country_code = Страна
field-country_code-hint = Где находится ваша организация; для международной организации — страна её штаб-квартиры.
country-choose = Выберите страну
field-website = Сайт (необязательно)
field-website-hint = Например, https://example.org
field-statement = Заявление о поддержке (необязательно)
field-statement-hint = Не более 2 000 символов. Может быть опубликовано вместе с названием вашей организации.
field-visibility = Как показывать вашу организацию?
visibility-public = Указать её название в открытом списке поддержавших организаций
visibility-public-hint = Публикуются её название, страна и заявление.
visibility-count_only = Учитывать её, но никогда не показывать название
visibility-count_only-hint = Выберите этот вариант, если упоминание названия может подвергнуть опасности вашу организацию или её сотрудников. Она учитывается в общих итогах, но нигде не указывается, не выгружается и не показывается.
field-contact_name = Ваше имя
field-contact_name-hint = Никогда не публикуется. Секретариат может связаться с вами по поводу этой заявки.
field-contact_email = Ваш адрес электронной почты
field-contact_email-hint = Мы отправим вам ссылку для его подтверждения. Никогда не публикуется.
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = Секретариат кампании может написать вам, чтобы проверить поддержку. Никогда не публикуется.
field-consent_to_publish = Согласие
field-consent_to_publish-label = Моя организация согласна на публикацию своей поддержки в выбранном выше виде.
submit = Поддержать кампанию
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = Оставьте это поле пустым

type-ngo = Неправительственная организация
type-network = Сеть или коалиция
type-un_agency = Учреждение Организации Объединённых Наций
type-intergovernmental = Межправительственная организация
type-academic = Университет или научно-исследовательский институт
type-faith_based = Религиозная организация
type-legal = Юридическая фирма, юридическая клиника или коллегия адвокатов
type-other = Организация другого типа

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = Введите название вашей организации
error-required-organisation_type = Выберите тип вашей организации
error-required-country_code = Выберите страну, где находится ваша организация
error-required-contact_name = Введите ваше имя
error-required-contact_email = Введите ваш адрес электронной почты
error-required = Заполните поле «{ $field }»
error-consent_required = Подтвердите, что ваша организация согласна на публикацию своей поддержки
# «не более» and «не менее» take the genitive: 1 символа, 2 символов, 5 символов.
error-too_long =
    { $max ->
        [one] Поле «{ $field }» должно содержать не более { $max } символа
        [few] Поле «{ $field }» должно содержать не более { $max } символов
        [many] Поле «{ $field }» должно содержать не более { $max } символов
       *[other] Поле «{ $field }» должно содержать не более { $max } символа
    }
error-too_short =
    { $min ->
        [one] Поле «{ $field }» должно содержать не менее { $min } символа
        [few] Поле «{ $field }» должно содержать не менее { $min } символов
        [many] Поле «{ $field }» должно содержать не менее { $min } символов
       *[other] Поле «{ $field }» должно содержать не менее { $min } символа
    }
error-characters = Поле «{ $field }» содержит символы, которые невозможно отобразить, например невидимые знаки направления текста; удалите их
error-invalid_email = Введите адрес электронной почты в правильном формате, например name@example.org
error-invalid_url = Введите адрес сайта, начинающийся с https:// или http://, например https://example.org
error-link_not_allowed = { $field } не должно содержать адрес сайта или электронной почты: укажите только название
error-unknown_country = Выберите страну из списка
error-invalid_choice = Выберите один из вариантов в поле «{ $field }»
error-invalid = Проверьте поле «{ $field }»

## After the form.

thanks-title = Проверьте почту
thanks-sent = Мы отправили ссылку на указанный вами адрес электронной почты. Откройте её, чтобы подтвердить адрес: пока вы этого не сделаете, поддержка вашей организации не учитывается.
# The accusative of duration: 1 день, 2 дня, 5 дней, 21 день.
thanks-expiry =
    { $days ->
        [one] Ссылка действует { $days } день.
        [few] Ссылка действует { $days } дня.
        [many] Ссылка действует { $days } дней.
       *[other] Ссылка действует { $days } дня.
    }
thanks-spam = Если письмо не пришло в течение нескольких минут, проверьте папку «Спам» или «Нежелательная почта». Письмо приходит от секретариата кампании.
thanks-next = После подтверждения секретариат рассмотрит заявку. Мы сообщим вам по электронной почте, когда она будет опубликована.
thanks-title-no-mail = Спасибо
thanks-no-mail = Секретариат кампании рассмотрит заявку вашей организации перед публикацией.
sign-again = Поддержать от имени другой организации

duplicate-title = Ваша организация уже поддержала эту кампанию
duplicate-body = Заявка организации { $organisation } ({ $country }) уже ожидает рассмотрения или опубликована, поэтому эта заявка не добавлена.
duplicate-help = Если вы отправили её, а письмо с подтверждением так и не пришло, проверьте папку «Спам» или «Нежелательная почта» либо свяжитесь с секретариатом кампании.
back-to-form = Вернуться к форме

rate-limited-title = Слишком много заявок из вашей сети
# «через» takes the accusative: 1 секунду, 2 секунды, 5 секунд, 21 секунду.
rate-limited-body =
    Чтобы отсеивать автоматические отправки, мы принимаем с одного адреса лишь несколько заявок за раз. { $seconds ->
        [one] Повторите попытку через { $seconds } секунду.
        [few] Повторите попытку через { $seconds } секунды.
        [many] Повторите попытку через { $seconds } секунд.
       *[other] Повторите попытку через { $seconds } секунды.
    }

not-found-title = Страница не найдена
not-found-body = По этому адресу нет кампании. Проверьте ссылку, по которой вы перешли.

unavailable-title = К сожалению, сервис недоступен
unavailable-body = Ничего не сохранено. Повторите попытку через несколько минут.
not-a-form-title = Мы не можем прочитать эту форму
not-a-form-body = Ничего не сохранено. Заполните форму на её странице и отправьте её оттуда.
bad-request-title = Не удалось прочитать этот запрос
bad-request-body = Ничего не сохранено. Вернитесь к форме и отправьте её ещё раз.
form-stale = Эта форма была открыта дольше { $hours } ч., поэтому она не отправлена. Проверьте введённые данные и отправьте её ещё раз.

## Confirming the e-mail address (the link in the e-mail).

confirm-title = Подтвердите адрес электронной почты
confirm-lead = Подтвердите, что вы просили добавить организацию { $organisation } в число организаций, поддерживающих кампанию «{ $campaign }».
confirm-button = Подтвердить мой адрес электронной почты
confirm-not-you = Если вы этого не запрашивали, закройте эту страницу: ничего не будет опубликовано, а заявка будет удалена.
confirmed-title = Спасибо, ваш адрес подтверждён
confirmed-body = Теперь секретариат кампании рассмотрит заявку организации { $organisation }. Мы сообщим вам по электронной почте, когда она будет опубликована.
confirm-already-title = Ваш адрес уже подтверждён
confirm-already-body = Больше ничего делать не нужно: секретариат рассмотрит заявку организации { $organisation }.
confirm-expired-title = Срок действия ссылки истёк
confirm-expired-body =
    { $days ->
        [one] Ссылки для подтверждения действуют { $days } день.
        [few] Ссылки для подтверждения действуют { $days } дня.
        [many] Ссылки для подтверждения действуют { $days } дней.
       *[other] Ссылки для подтверждения действуют { $days } дня.
    } Мы можем отправить новую ссылку на тот же адрес.
confirm-renew-button = Отправить мне новую ссылку
confirm-renewed-title = Мы отправили новую ссылку
confirm-renewed-body =
    Откройте новую ссылку в письме, которое мы только что отправили. { $days ->
        [one] Она действует { $days } день.
        [few] Она действует { $days } дня.
        [many] Она действует { $days } дней.
       *[other] Она действует { $days } дня.
    }
confirm-unknown-title = Эта ссылка не работает
confirm-unknown-body = Возможно, она была скопирована не полностью, или заявка была отозвана или удалена. Если вам нужна помощь, свяжитесь с секретариатом кампании.

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = Подтвердите, что Ваша организация поддерживает кампанию «{ $campaign }»
mail-greeting = Здравствуйте, { $name }!
mail-confirm-asked = Вы просили добавить организацию { $organisation } в число организаций, поддерживающих кампанию «{ $campaign }».
mail-confirm-open = Чтобы подтвердить адрес электронной почты, откройте эту ссылку:
mail-confirm-expiry =
    { $days ->
        [one] Ссылка действует { $days } день.
        [few] Ссылка действует { $days } дня.
        [many] Ссылка действует { $days } дней.
       *[other] Ссылка действует { $days } дня.
    } Пока Вы не подтвердите адрес, поддержка Вашей организации не учитывается; после этого заявку рассмотрит секретариат кампании.
mail-confirm-not-you = Если Вы этого не запрашивали, просто не обращайте внимания на это письмо: ничего не будет опубликовано, а заявка будет удалена.
mail-signature = Секретариат кампании «{ $campaign }»

mail-approved-subject = Поддержка организации { $organisation } опубликована
mail-approved-count-only-subject = Поддержка организации { $organisation } теперь учтена
mail-approved-public = Организация { $organisation } теперь входит в число организаций, поддерживающих кампанию «{ $campaign }», и указана в открытом списке.
mail-approved-count-only = Организация { $organisation } теперь учитывается среди организаций, поддерживающих кампанию «{ $campaign }». Как Вы и выбрали, её название нигде не показывается.
mail-approved-embed = Вы можете показывать текущий счётчик на сайте Вашей организации. Скопируйте на страницу один из этих фрагментов кода:
mail-approved-badge = Значок:
mail-approved-counter = Счётчик:
mail-approved-thanks = Спасибо за поддержку.

mail-notify-subject = Новая заявка на рассмотрение: { $organisation }
mail-notify-intro = Контактное лицо подтвердило свой адрес электронной почты. Заявка ожидает рассмотрения.
mail-notify-domain-match = Адрес контактного лица находится в домене самой организации.
mail-notify-domain-differs = Адрес контактного лица не относится к домену сайта организации: проверьте, что он её представляет.
mail-notify-domain-unknown = Сайт не указан, поэтому адрес контактного лица не с чем сравнить.
mail-notify-reference = Номер заявки: { $id }
mail-notify-review = Проверьте её в консоли:

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = Поддержка
home-intro = Организации поддерживают перечисленные ниже кампании. Подпишите одну из них или разместите её цифры на своём сайте.
home-sign = Поддержать: форма подписи
home-counter = Счётчик для встраивания
home-list = Список поддержавших для встраивания
home-map = Карта мира для встраивания
home-embedded-form = Форма для встраивания на ваш сайт
home-no-campaign = Кампаний пока нет.
home-secretariat = Для секретариата и разработчиков
home-console = Консоль: модерация и ведение реестра
home-api = API и его документация

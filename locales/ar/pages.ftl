# endorse: Arabic (Modern Standard), the pages for people (the sign-on form and what follows it)
# and the e-mails they send. Message ids and variables are described in ../en/pages.ftl.
#
# Plural categories (CLDR) for whole numbers, as used for days and seconds:
#   zero   0                      0 يوم
#   one    1                      يوم واحد / ثانية واحدة (the number as a word, no digit)
#   two    2                      يومين / ثانيتين (genitive dual after لمدة and بعد)
#   few    3–10, 103–110 …        3 أيام / 3 ثوانٍ
#   many   11–99, 111–199 …       11 يومًا / 11 ثانية
#   other  100–102, 200, 1000 …   100 يوم / 100 ثانية
# fluent-bundle's Arabic rules call 103–110 and 111–199 (and so on) `other` (see ../README.md);
# days and seconds stay far below 100 (seconds: at most 60), where the rules agree.
# Some character limits (120, 254, 2,048) fall where they do not, so the messages with $max
# and $min avoid a counted noun altogether ("the number of characters … must not exceed
# { $max }") and need no selector.
# Register: the reader is addressed in the masculine singular, as is usual in Arabic
# interfaces (أدخل، اختر); unvocalised, most forms read for either gender.
# Digits are Latin (0–9) as the code writes them; no bidi control characters: the page sets
# the direction. Sentences begin with an Arabic word, so a plain-text e-mail line whose name
# is in Latin script still reads right to left. Field labels stand in «».
# REVIEW: machine-assisted translation; needs review by a native speaker before it is relied on.

## Around every page.

# The language switcher's accessible name.
languages = اللغات
skip-to-content = الانتقال إلى المحتوى الرئيسي
# Before the page title when the form has errors: "خطأ: تأييد الحملة".
error-prefix = خطأ:
# The link back to the campaign's own website.
campaign-website = الموقع الإلكتروني للحملة
powered-by = تحتفظ أمانة الحملة بسجل التأييدات.

## The sign-on form.

sign-title = تأييد الحملة
sign-intro = أضف منظمتك إلى المنظمات المؤيدة لحملة { $campaign }. تراجع أمانة الحملة كل تأييد قبل نشره.
sign-required = جميع الحقول مطلوبة ما لم يُذكر أنها اختيارية.
error-summary-title = توجد مشكلة
section-organisation = منظمتك
section-contact = الشخص الذي يمكننا التواصل معه

field-organisation_name = اسم منظمتك
field-organisation_name-hint = كما ينبغي أن يظهر في قائمة المنظمات المؤيدة.
field-organisation_type = نوع المنظمة
field-country_code = البلد
field-country_code-hint = البلد الذي يقع فيه مقر منظمتك، أو بلد مقرها الرئيسي إذا كانت منظمة دولية.
country-choose = اختر بلدًا
field-website = الموقع الإلكتروني (اختياري)
field-website-hint = مثال: https://example.org
field-statement = بيان التأييد (اختياري)
field-statement-hint = بحد أقصى 2,000 حرف. قد يُنشر مع اسم منظمتك.
field-visibility = كيف ينبغي أن تظهر منظمتك؟
visibility-public = ذكر اسمها في القائمة العامة للمنظمات المؤيدة
visibility-public-hint = يُنشر اسمها وبلدها وبيانها.
visibility-count_only = احتسابها دون إظهار اسمها أبدًا
visibility-count_only-hint = اختر هذا إذا كان ذكر اسم منظمتك قد يعرّضها أو يعرّض العاملين فيها للخطر. تُحتسب المنظمة في المجاميع، ولا تُدرج في أي قائمة ولا تُصدَّر ولا تُعرض في أي مكان أبدًا.
field-contact_name = اسمك
field-contact_name-hint = لا يُنشر أبدًا. قد تتواصل معك الأمانة بشأن هذا التأييد.
field-contact_email = عنوان بريدك الإلكتروني
field-contact_email-hint = سنرسل إليك رابطًا لتأكيده. لا يُنشر أبدًا.
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = قد تراسلكم أمانة الحملة للتحقق من التأييد. لا يُنشر أبداً.
field-consent_to_publish = الموافقة
field-consent_to_publish-label = توافق منظمتي على نشر تأييدها على النحو المختار أعلاه.
submit = تأييد الحملة
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = اترك هذا الحقل فارغًا

type-ngo = منظمة غير حكومية
type-network = شبكة أو ائتلاف
type-un_agency = وكالة تابعة للأمم المتحدة
type-intergovernmental = منظمة حكومية دولية
type-academic = جامعة أو معهد بحثي
type-faith_based = منظمة دينية
type-legal = مكتب محاماة أو عيادة قانونية أو نقابة محامين
type-other = نوع آخر من المنظمات

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = أدخل اسم منظمتك
error-required-organisation_type = اختر نوع منظمتك
error-required-country_code = اختر البلد الذي يقع فيه مقر منظمتك
error-required-contact_name = أدخل اسمك
error-required-contact_email = أدخل عنوان بريدك الإلكتروني
error-required = املأ حقل «{ $field }»
error-consent_required = أكّد أن منظمتك توافق على نشر تأييدها
# No counted noun after the number, so no plural forms: see the header.
error-too_long = يجب ألا يزيد عدد الأحرف في حقل «{ $field }» على { $max }
error-too_short = يجب ألا يقل عدد الأحرف في حقل «{ $field }» عن { $min }
error-characters = يحتوي حقل «{ $field }» على أحرف لا يمكن عرضها، مثل علامات اتجاه الكتابة غير المرئية؛ احذفها
error-invalid_email = أدخل عنوان بريد إلكتروني بالتنسيق الصحيح، مثل name@example.org
error-invalid_url = أدخل عنوان موقع إلكتروني يبدأ بـ https:// أو http://، مثل https://example.org
error-link_not_allowed = يجب ألا يحتوي { $field } على عنوان موقع إلكتروني أو بريد إلكتروني: اكتب الاسم وحده
error-unknown_country = اختر بلدًا من القائمة
error-invalid_choice = اختر أحد الخيارات المتاحة في حقل «{ $field }»
error-invalid = تحقق من حقل «{ $field }»

## After the form.

thanks-title = تحقق من بريدك الوارد
thanks-sent = أرسلنا رابطًا إلى عنوان البريد الإلكتروني الذي قدمته. افتحه لتأكيد عنوانك: لن يُحتسب تأييد منظمتك إلى أن تفعل ذلك.
thanks-expiry =
    { $days ->
        [zero] الرابط صالح لمدة { $days } يوم.
        [one] الرابط صالح لمدة يوم واحد.
        [two] الرابط صالح لمدة يومين.
        [few] الرابط صالح لمدة { $days } أيام.
        [many] الرابط صالح لمدة { $days } يومًا.
       *[other] الرابط صالح لمدة { $days } يوم.
    }
thanks-spam = إذا لم تصلك الرسالة خلال بضع دقائق، فابحث عنها في مجلد البريد العشوائي أو غير المرغوب فيه. تصلك الرسالة من أمانة الحملة.
thanks-next = بعد أن تؤكد عنوانك، تراجع الأمانة التأييد. وسنراسلك بالبريد الإلكتروني عند نشره.
thanks-title-no-mail = شكرًا لك
thanks-no-mail = ستراجع أمانة الحملة تأييد منظمتك قبل نشره.
sign-again = تأييد الحملة باسم منظمة أخرى

duplicate-title = سبق أن أيدت منظمتك هذه الحملة
duplicate-body = يوجد بالفعل تأييد من { $organisation } في { $country } قيد المراجعة أو منشور، لذلك لم يُضف هذا التأييد.
duplicate-help = إذا كنت قد أرسلته ولم تصلك رسالة التأكيد، فابحث عنها في مجلد البريد العشوائي أو غير المرغوب فيه، أو تواصل مع أمانة الحملة.
back-to-form = العودة إلى الاستمارة

rate-limited-title = عدد كبير جدًا من التأييدات من شبكتك
rate-limited-body =
    لمنع الإرسال الآلي، لا نقبل إلا عددًا قليلًا من التأييدات في المرة الواحدة من العنوان نفسه. { $seconds ->
        [zero] حاول مرة أخرى بعد { $seconds } ثانية.
        [one] حاول مرة أخرى بعد ثانية واحدة.
        [two] حاول مرة أخرى بعد ثانيتين.
        [few] حاول مرة أخرى بعد { $seconds } ثوانٍ.
        [many] حاول مرة أخرى بعد { $seconds } ثانية.
       *[other] حاول مرة أخرى بعد { $seconds } ثانية.
    }

not-found-title = الصفحة غير موجودة
not-found-body = لا توجد حملة على هذا العنوان. تحقق من الرابط الذي اتبعته.

unavailable-title = عذرًا، الخدمة غير متاحة
unavailable-body = لم يُحفظ أي شيء. حاول مرة أخرى بعد بضع دقائق.
not-a-form-title = لا يمكننا قراءة هذا النموذج
not-a-form-body = لم يُحفظ أي شيء. املأ النموذج في صفحته وأرسله منها.
bad-request-title = تعذّرت قراءة هذا الطلب
bad-request-body = لم يُحفظ أي شيء. ارجع إلى النموذج وأرسله مرة أخرى.
form-stale = ظل هذا النموذج مفتوحًا أكثر من { $hours } ساعة، لذلك لم يُرسَل. تحقّق مما أدخلته وأرسله مرة أخرى.

## Confirming the e-mail address (the link in the e-mail).

confirm-title = أكّد عنوان بريدك الإلكتروني
confirm-lead = أكّد أنك طلبت إضافة { $organisation } إلى المنظمات المؤيدة لحملة { $campaign }.
confirm-button = تأكيد عنوان بريدي الإلكتروني
confirm-not-you = إذا لم تطلب ذلك، فأغلق هذه الصفحة: لن يُنشر أي شيء، وسيُحذف الطلب المرسل.
confirmed-title = شكرًا لك، تم تأكيد عنوانك
confirmed-body = ستراجع أمانة الحملة الآن تأييد { $organisation }. وسنراسلك بالبريد الإلكتروني عند نشره.
confirm-already-title = عنوانك مؤكد بالفعل
confirm-already-body = لا يلزمك فعل أي شيء آخر: ستراجع الأمانة تأييد { $organisation }.
confirm-expired-title = انتهت صلاحية هذا الرابط
confirm-expired-body =
    { $days ->
        [zero] روابط التأكيد صالحة لمدة { $days } يوم.
        [one] روابط التأكيد صالحة لمدة يوم واحد.
        [two] روابط التأكيد صالحة لمدة يومين.
        [few] روابط التأكيد صالحة لمدة { $days } أيام.
        [many] روابط التأكيد صالحة لمدة { $days } يومًا.
       *[other] روابط التأكيد صالحة لمدة { $days } يوم.
    } يمكننا إرسال رابط جديد إلى العنوان نفسه.
confirm-renew-button = أرسل لي رابطًا جديدًا
confirm-renewed-title = أرسلنا رابطًا جديدًا
confirm-renewed-body =
    افتح الرابط الجديد في الرسالة التي أرسلناها للتو. { $days ->
        [zero] وهو صالح لمدة { $days } يوم.
        [one] وهو صالح لمدة يوم واحد.
        [two] وهو صالح لمدة يومين.
        [few] وهو صالح لمدة { $days } أيام.
        [many] وهو صالح لمدة { $days } يومًا.
       *[other] وهو صالح لمدة { $days } يوم.
    }
confirm-unknown-title = هذا الرابط لا يعمل
confirm-unknown-body = ربما نُسخ بشكل غير كامل، أو سُحب التأييد أو مُحي. إذا كنت بحاجة إلى مساعدة، فتواصل مع أمانة الحملة.

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = أكّد تأييد منظمتك لحملة { $campaign }
mail-greeting = مرحبًا { $name }،
mail-confirm-asked = لقد طلبت إضافة { $organisation } إلى المنظمات المؤيدة لحملة { $campaign }.
mail-confirm-open = لتأكيد عنوان بريدك الإلكتروني، افتح هذا الرابط:
mail-confirm-expiry =
    { $days ->
        [zero] الرابط صالح لمدة { $days } يوم.
        [one] الرابط صالح لمدة يوم واحد.
        [two] الرابط صالح لمدة يومين.
        [few] الرابط صالح لمدة { $days } أيام.
        [many] الرابط صالح لمدة { $days } يومًا.
       *[other] الرابط صالح لمدة { $days } يوم.
    } لن يُحتسب تأييد منظمتك إلى أن تؤكد عنوانك، ثم تراجعه أمانة الحملة بعد ذلك.
mail-confirm-not-you = إذا لم تطلب ذلك، فتجاهل هذه الرسالة: لن يُنشر أي شيء، وسيُحذف الطلب المرسل.
mail-signature = أمانة حملة { $campaign }

mail-approved-subject = أصبح تأييد { $organisation } علنيًا
mail-approved-count-only-subject = أصبح تأييد { $organisation } محسوبًا الآن
mail-approved-public = أصبحت { $organisation } الآن من المنظمات المؤيدة لحملة { $campaign }، ويظهر اسمها في القائمة العامة.
mail-approved-count-only = أصبحت { $organisation } الآن محتسبة ضمن المنظمات المؤيدة لحملة { $campaign }. وبناءً على اختيارك، لن يُعرض اسمها أبدًا.
mail-approved-embed = يمكنك عرض العدد المحدَّث على الموقع الإلكتروني لمنظمتك. انسخ إحدى الشيفرات التالية إلى صفحة من صفحاته:
mail-approved-badge = شارة:
mail-approved-counter = عدّاد:
mail-approved-thanks = شكرًا لك على دعمك.

mail-notify-subject = تأييد جديد بانتظار المراجعة: { $organisation }
mail-notify-intro = أكّد الشخص المسؤول عن التواصل عنوان بريده الإلكتروني. التأييد بانتظار المراجعة.
mail-notify-domain-match = عنوان الشخص المسؤول عن التواصل يتبع نطاق المنظمة نفسها.
mail-notify-domain-differs = عنوان الشخص المسؤول عن التواصل لا يتبع نطاق موقع المنظمة: تحقّق من أنه يمثّلها.
mail-notify-domain-unknown = لم يُذكر موقع إلكتروني، لذا تعذّرت مقارنة عنوان الشخص المسؤول عن التواصل به.
mail-notify-reference = رقم التأييد: { $id }
mail-notify-review = راجعه في لوحة الإدارة:

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = التأييدات
home-intro = تؤيد منظمات الحملات التالية. وقّعوا على إحداها، أو اعرضوا أرقامها على موقعكم.
home-sign = أيّدوها: استمارة التوقيع
home-counter = العدّاد، للتضمين
home-list = قائمة المؤيدين، للتضمين
home-map = خريطة العالم، للتضمين
home-embedded-form = الاستمارة، لتضمينها في موقعكم
home-no-campaign = لا توجد أي حملة بعد.
home-secretariat = للأمانة والمطورين
home-console = لوحة الإدارة: الإشراف وحفظ السجل
home-api = واجهة البرمجة ووثائقها

# endorse: Spanish, the pages for people (the sign-on form and what follows it) and the e-mails
# they send. Message ids and variables are described in ../en/pages.ftl.
# Plural categories (CLDR) for whole numbers: `one` for 1 ("1 día"), `other` for the rest,
# 0 included ("0 caracteres").
# Register: "usted"; neutral international Spanish ("Escriba", "Elija"; "correo electrónico").
# Field labels in error messages stand in «»: El campo «Su nombre» …
# REVIEW: machine-assisted translation; needs review by a native speaker before it is relied on.

## Around every page.

# The language switcher's accessible name.
languages = Idiomas
skip-to-content = Ir al contenido principal
# Before the page title when the form has errors: "Error: Apoyar …".
error-prefix = Error:
# The link back to the campaign's own website.
campaign-website = El sitio web de la campaña
powered-by = La secretaría de la campaña gestiona los apoyos.

## The sign-on form.

sign-title = Apoyar la campaña
sign-intro = Añada su organización a las que apoyan { $campaign }. La secretaría de la campaña revisa cada apoyo antes de publicarlo.
sign-required = Todos los campos son obligatorios, salvo los marcados como opcionales.
error-summary-title = Hay un problema
section-organisation = Su organización
section-contact = Persona de contacto

field-organisation_name = Nombre de su organización
field-organisation_name-hint = Tal como debe aparecer en la lista de organizaciones que apoyan la campaña.
field-organisation_type = Tipo de organización
field-country_code = País
field-country_code-hint = Donde tiene su sede su organización; en el caso de una organización internacional, el país de su sede central.
country-choose = Elija un país
field-website = Sitio web (opcional)
field-website-hint = Por ejemplo, https://example.org
field-statement = Declaración de apoyo (opcional)
field-statement-hint = Hasta 2000 caracteres. Puede publicarse junto con el nombre de su organización.
field-visibility = ¿Cómo debe figurar su organización?
visibility-public = Mencionarla en la lista pública de apoyos
visibility-public-hint = Se publican su nombre, su país y su declaración.
visibility-count_only = Contarla, pero no mostrar nunca su nombre
visibility-count_only-hint = Elija esta opción si figurar con su nombre podría poner en riesgo a su organización o a su personal. Se incluye en los totales, pero nunca se enumera, exporta ni muestra en ningún lugar.
field-contact_name = Su nombre
field-contact_name-hint = No se publica nunca. La secretaría puede ponerse en contacto con usted en relación con este apoyo.
field-contact_email = Su dirección de correo electrónico
field-contact_email-hint = Le enviaremos un enlace para confirmarla. No se publica nunca.
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = La secretaría de la campaña podrá escribirle para comprobar la adhesión. Nunca se publica.
field-consent_to_publish = Consentimiento
field-consent_to_publish-label = Mi organización acepta que su apoyo se publique tal como se ha elegido arriba.
submit = Apoyar la campaña
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = Deje este campo vacío

type-ngo = Organización no gubernamental
type-network = Red o coalición
type-un_agency = Organismo de las Naciones Unidas
type-intergovernmental = Organización intergubernamental
type-academic = Universidad o instituto de investigación
type-faith_based = Organización confesional
type-legal = Bufete de abogados, clínica jurídica o colegio de abogados
type-other = Otro tipo de organización

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = Escriba el nombre de su organización
error-required-organisation_type = Elija el tipo de su organización
error-required-country_code = Elija el país donde tiene su sede su organización
error-required-contact_name = Escriba su nombre
error-required-contact_email = Escriba su dirección de correo electrónico
error-required = Complete el campo «{ $field }»
error-consent_required = Confirme que su organización acepta que se publique su apoyo
error-too_long =
    { $max ->
        [one] El campo «{ $field }» debe tener como máximo { $max } carácter
       *[other] El campo «{ $field }» debe tener como máximo { $max } caracteres
    }
error-too_short =
    { $min ->
        [one] El campo «{ $field }» debe tener al menos { $min } carácter
       *[other] El campo «{ $field }» debe tener al menos { $min } caracteres
    }
error-characters = El campo «{ $field }» contiene caracteres que no se pueden mostrar, como marcas invisibles de dirección del texto; elimínelos
error-invalid_email = Escriba una dirección de correo electrónico con el formato correcto, como nombre@example.org
error-invalid_url = Escriba una dirección web que empiece por https:// o http://, como https://example.org
error-link_not_allowed = { $field } no debe contener una dirección web ni de correo electrónico: escriba solo el nombre
error-unknown_country = Elija un país de la lista
error-invalid_choice = Elija una de las opciones del campo «{ $field }»
error-invalid = Revise el campo «{ $field }»

## After the form.

thanks-title = Revise su bandeja de entrada
thanks-sent = Hemos enviado un enlace a la dirección de correo electrónico que nos indicó. Ábralo para confirmar su dirección: el apoyo de su organización no se contabiliza hasta que lo haga.
thanks-expiry =
    { $days ->
        [one] El enlace es válido durante { $days } día.
       *[other] El enlace es válido durante { $days } días.
    }
thanks-spam = Si el mensaje no ha llegado en unos minutos, revise su carpeta de correo no deseado (spam). Lo envía la secretaría de la campaña.
thanks-next = Una vez que haya confirmado su dirección, la secretaría revisará el apoyo. Le escribiremos cuando se publique.
thanks-title-no-mail = Gracias
thanks-no-mail = La secretaría de la campaña revisará el apoyo de su organización antes de publicarlo.
sign-again = Apoyar en nombre de otra organización

duplicate-title = Su organización ya apoya esta campaña
duplicate-body = Ya hay un apoyo de { $organisation } en { $country } pendiente de revisión o publicado, por lo que este no se ha añadido.
duplicate-help = Si usted lo envió y el mensaje de confirmación nunca llegó, revise su carpeta de correo no deseado (spam) o póngase en contacto con la secretaría de la campaña.
back-to-form = Volver al formulario

rate-limited-title = Demasiados apoyos desde su red
rate-limited-body =
    Para impedir los envíos automatizados, solo aceptamos unos pocos apoyos a la vez desde una misma dirección. { $seconds ->
        [one] Vuelva a intentarlo dentro de { $seconds } segundo.
       *[other] Vuelva a intentarlo dentro de { $seconds } segundos.
    }

not-found-title = Página no encontrada
not-found-body = No hay ninguna campaña en esta dirección. Compruebe el enlace que ha seguido.

unavailable-title = Lo sentimos, el servicio no está disponible
unavailable-body = No se ha guardado nada. Vuelva a intentarlo dentro de unos minutos.
not-a-form-title = No podemos leer este formulario
not-a-form-body = No se ha guardado nada. Rellene el formulario en su página y envíelo desde allí.
bad-request-title = No se ha podido leer esta solicitud
bad-request-body = No se ha guardado nada. Vuelva al formulario y envíelo de nuevo.
form-stale = Este formulario estuvo abierto más de { $hours } horas, así que no se ha enviado. Compruebe lo que ha escrito y envíelo de nuevo.

## Confirming the e-mail address (the link in the e-mail).

confirm-title = Confirme su dirección de correo electrónico
confirm-lead = Confirme que solicitó añadir { $organisation } a las organizaciones que apoyan { $campaign }.
confirm-button = Confirmar mi dirección de correo electrónico
confirm-not-you = Si usted no lo solicitó, cierre esta página: no se publicará nada y se eliminará el envío.
confirmed-title = Gracias, su dirección ha quedado confirmada
confirmed-body = La secretaría de la campaña revisará ahora el apoyo de { $organisation }. Le escribiremos cuando se publique.
confirm-already-title = Su dirección ya está confirmada
confirm-already-body = No tiene que hacer nada más: la secretaría revisará el apoyo de { $organisation }.
confirm-expired-title = Este enlace ha caducado
confirm-expired-body =
    { $days ->
        [one] Los enlaces de confirmación son válidos durante { $days } día.
       *[other] Los enlaces de confirmación son válidos durante { $days } días.
    } Podemos enviarle uno nuevo a la misma dirección.
confirm-renew-button = Enviarme un enlace nuevo
confirm-renewed-title = Le hemos enviado un enlace nuevo
confirm-renewed-body =
    Abra el enlace nuevo del mensaje que acabamos de enviarle. { $days ->
        [one] Es válido durante { $days } día.
       *[other] Es válido durante { $days } días.
    }
confirm-unknown-title = Este enlace no funciona
confirm-unknown-body = Puede que se haya copiado de forma incompleta, o que el apoyo se haya retirado o borrado. Si necesita ayuda, póngase en contacto con la secretaría de la campaña.

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = Confirme el apoyo de su organización a { $campaign }
mail-greeting = Hola, { $name }:
mail-confirm-asked = Usted solicitó añadir { $organisation } a las organizaciones que apoyan { $campaign }.
mail-confirm-open = Para confirmar su dirección de correo electrónico, abra este enlace:
mail-confirm-expiry =
    { $days ->
        [one] El enlace es válido durante { $days } día.
       *[other] El enlace es válido durante { $days } días.
    } El apoyo de su organización no se contabiliza hasta que usted confirme su dirección; después, la secretaría de la campaña lo revisa.
mail-confirm-not-you = Si usted no lo solicitó, ignore este mensaje: no se publicará nada y se eliminará el envío.
mail-signature = La secretaría de { $campaign }

mail-approved-subject = El apoyo de { $organisation } ya es público
mail-approved-count-only-subject = El apoyo de { $organisation } ya se cuenta
mail-approved-public = { $organisation } figura ya entre las organizaciones que apoyan { $campaign } y aparece con su nombre en la lista pública.
mail-approved-count-only = { $organisation } ya se cuenta entre las organizaciones que apoyan { $campaign }. Tal como usted eligió, su nombre no se muestra nunca.
mail-approved-embed = Puede mostrar el recuento actualizado en el sitio web de su organización. Copie uno de estos códigos en una página:
mail-approved-badge = Un distintivo:
mail-approved-counter = Un contador:
mail-approved-thanks = Gracias por su apoyo.

mail-notify-subject = Nuevo apoyo pendiente de revisión: { $organisation }
mail-notify-intro = La persona de contacto ha confirmado su dirección de correo electrónico. El apoyo está pendiente de revisión.
mail-notify-domain-match = La dirección de la persona de contacto pertenece al dominio de la organización.
mail-notify-domain-differs = La dirección de la persona de contacto no pertenece al dominio del sitio web de la organización: compruebe que la representa.
mail-notify-domain-unknown = No se indicó ningún sitio web, así que no se pudo comparar la dirección de la persona de contacto.
mail-notify-reference = Número del apoyo: { $id }
mail-notify-review = Revíselo en la consola:

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = Adhesiones
home-intro = Organizaciones se adhieren a las campañas siguientes. Firme una, o muestre sus cifras en su propio sitio.
home-sign = Adherirse: el formulario de firma
home-counter = El contador, para insertar
home-list = La lista de adherentes, para insertar
home-map = El mapa del mundo, para insertar
home-embedded-form = El formulario, para insertar en su sitio
home-no-campaign = Todavía no hay ninguna campaña.
home-secretariat = Para la secretaría y los desarrolladores
home-console = La consola: moderar y llevar el registro
home-api = La API y su documentación

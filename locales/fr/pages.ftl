# endorse: French, the pages for people (the sign-on form and what follows it) and the e-mails
# they send. Message ids and variables are described in ../en/pages.ftl.
# Plural categories (CLDR) for whole numbers: `one` for 0 and 1 ("1 jour", "0 caractère"),
# `other` for the rest.
# Register: "vous". Typography: a no-break space (U+00A0) before : ; ? ! and inside « »; the
# typographic apostrophe (’); 2 000 with a narrow no-break space, as the code writes numbers.
# Names (organisation, campaign) are not preceded by "de" where French would have to elide it
# ("d’Amnesty"): the text says "apporté par", "de la campagne", or puts the name first.
# REVIEW: machine-assisted translation; needs review by a native speaker before it is relied on.

## Around every page.

# The language switcher's accessible name.
languages = Langues
skip-to-content = Aller au contenu principal
# Before the page title when the form has errors: "Erreur : Soutenir …".
error-prefix = Erreur :
# The link back to the campaign's own website.
campaign-website = Le site web de la campagne
powered-by = Les soutiens sont gérés par le secrétariat de la campagne.

## The sign-on form.

sign-title = Soutenir la campagne
sign-intro = Ajoutez votre organisation à celles qui soutiennent { $campaign }. Le secrétariat de la campagne vérifie chaque soutien avant de le publier.
sign-required = Tous les champs sont obligatoires, sauf ceux marqués comme facultatifs.
error-summary-title = Il y a un problème
section-organisation = Votre organisation
section-contact = Personne à contacter

field-organisation_name = Nom de votre organisation
field-organisation_name-hint = Tel qu’il doit apparaître dans la liste des organisations qui soutiennent la campagne.
field-organisation_type = Type d’organisation
field-country_code = Pays
field-country_code-hint = Le pays où votre organisation est établie ; pour une organisation internationale, celui de son siège.
country-choose = Choisissez un pays
field-website = Site web (facultatif)
field-website-hint = Par exemple, https://example.org
field-statement = Déclaration de soutien (facultatif)
field-statement-hint = 2 000 caractères au maximum. Elle peut être publiée avec le nom de votre organisation.
field-visibility = Comment votre organisation doit-elle apparaître ?
visibility-public = La nommer dans la liste publique des soutiens
visibility-public-hint = Son nom, son pays et sa déclaration sont publiés.
visibility-count_only = La compter, sans jamais afficher son nom
visibility-count_only-hint = Choisissez cette option si le fait d’être nommée pouvait mettre en danger votre organisation ou ses membres. Elle est comptée dans les totaux, mais n’est jamais listée, exportée ni affichée nulle part.
field-contact_name = Votre nom
field-contact_name-hint = Il n’est jamais publié. Le secrétariat peut vous contacter au sujet de ce soutien.
field-contact_email = Votre adresse e-mail
field-contact_email-hint = Nous vous enverrons un lien pour la confirmer. Elle n’est jamais publiée.
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = Le secrétariat de la campagne pourra vous écrire pour vérifier le soutien. Jamais publiée.
field-consent_to_publish = Consentement
field-consent_to_publish-label = Mon organisation accepte que son soutien soit publié comme indiqué ci-dessus.
submit = Soutenir la campagne
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = Laissez ce champ vide

type-ngo = Organisation non gouvernementale
type-network = Réseau ou coalition
type-un_agency = Agence des Nations Unies
type-intergovernmental = Organisation intergouvernementale
type-academic = Université ou institut de recherche
type-faith_based = Organisation confessionnelle
type-legal = Cabinet d’avocats, clinique juridique ou barreau
type-other = Autre type d’organisation

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = Saisissez le nom de votre organisation
error-required-organisation_type = Choisissez le type de votre organisation
error-required-country_code = Choisissez le pays où votre organisation est établie
error-required-contact_name = Saisissez votre nom
error-required-contact_email = Saisissez votre adresse e-mail
error-required = Renseignez le champ « { $field } »
error-consent_required = Confirmez que votre organisation accepte que son soutien soit publié
error-too_long =
    { $max ->
        [one] { $field } : { $max } caractère au maximum
       *[other] { $field } : { $max } caractères au maximum
    }
error-too_short =
    { $min ->
        [one] { $field } : au moins { $min } caractère
       *[other] { $field } : au moins { $min } caractères
    }
error-characters = Le champ « { $field } » contient des caractères qui ne peuvent pas être affichés, comme des marques invisibles de sens d’écriture ; supprimez-les
error-invalid_email = Saisissez une adresse e-mail au bon format, par exemple nom@example.org
error-invalid_url = Saisissez une adresse de site web qui commence par https:// ou http://, par exemple https://example.org
error-link_not_allowed = { $field } ne doit pas contenir d’adresse web ni d’adresse e-mail : écrivez le nom seul
error-unknown_country = Choisissez un pays dans la liste
error-invalid_choice = Choisissez l’une des options proposées pour « { $field } »
error-invalid = Vérifiez le champ « { $field } »

## After the form.

thanks-title = Consultez votre boîte de réception
thanks-sent = Nous avons envoyé un lien à l’adresse e-mail que vous avez indiquée. Ouvrez-le pour confirmer votre adresse : le soutien de votre organisation n’est pas compté tant que vous ne l’avez pas fait.
thanks-expiry =
    { $days ->
        [one] Le lien est valable { $days } jour.
       *[other] Le lien est valable { $days } jours.
    }
thanks-spam = Si l’e-mail n’est pas arrivé d’ici quelques minutes, regardez dans votre dossier de courrier indésirable (spam). Il vient du secrétariat de la campagne.
thanks-next = Une fois votre adresse confirmée, le secrétariat examine le soutien. Nous vous écrirons quand il sera publié.
thanks-title-no-mail = Merci
thanks-no-mail = Le secrétariat de la campagne examinera le soutien de votre organisation avant de le publier.
sign-again = Soutenir au nom d’une autre organisation

duplicate-title = Votre organisation soutient déjà cette campagne
duplicate-body = { $organisation } ({ $country }) a déjà un soutien en attente d’examen ou publié ; celui-ci n’a donc pas été ajouté.
duplicate-help = Si vous l’avez envoyé et que l’e-mail de confirmation n’est jamais arrivé, regardez dans votre dossier de courrier indésirable (spam) ou contactez le secrétariat de la campagne.
back-to-form = Retour au formulaire

rate-limited-title = Trop de soutiens envoyés depuis votre réseau
rate-limited-body =
    Pour écarter les envois automatisés, nous n’acceptons que quelques soutiens à la fois depuis une même adresse. { $seconds ->
        [one] Réessayez dans { $seconds } seconde.
       *[other] Réessayez dans { $seconds } secondes.
    }

not-found-title = Page introuvable
not-found-body = Il n’y a aucune campagne à cette adresse. Vérifiez le lien que vous avez suivi.

unavailable-title = Désolé, le service est indisponible
unavailable-body = Rien n’a été enregistré. Réessayez dans quelques minutes.
not-a-form-title = Nous ne pouvons pas lire ce formulaire
not-a-form-body = Rien n’a été enregistré. Remplissez le formulaire sur sa page et envoyez-le depuis celle-ci.
bad-request-title = Cette demande n’a pas pu être lue
bad-request-body = Rien n’a été enregistré. Revenez au formulaire et envoyez-le à nouveau.
form-stale = Ce formulaire est resté ouvert plus de { $hours } heures, il n’a donc pas été envoyé. Vérifiez ce que vous avez saisi et envoyez-le à nouveau.

## Confirming the e-mail address (the link in the e-mail).

confirm-title = Confirmez votre adresse e-mail
confirm-lead = Confirmez que vous avez demandé à ajouter { $organisation } aux organisations qui soutiennent { $campaign }.
confirm-button = Confirmer mon adresse e-mail
confirm-not-you = Si vous n’êtes pas à l’origine de cette demande, fermez cette page : rien ne sera publié et l’envoi sera supprimé.
confirmed-title = Merci, votre adresse est confirmée
confirmed-body = Le secrétariat de la campagne va maintenant examiner le soutien apporté par { $organisation }. Nous vous écrirons quand il sera publié.
confirm-already-title = Votre adresse est déjà confirmée
confirm-already-body = Vous n’avez plus rien à faire : le secrétariat examinera le soutien apporté par { $organisation }.
confirm-expired-title = Ce lien a expiré
confirm-expired-body =
    { $days ->
        [one] Les liens de confirmation sont valables { $days } jour.
       *[other] Les liens de confirmation sont valables { $days } jours.
    } Nous pouvons en envoyer un nouveau à la même adresse.
confirm-renew-button = M’envoyer un nouveau lien
confirm-renewed-title = Nous avons envoyé un nouveau lien
confirm-renewed-body =
    Ouvrez le nouveau lien dans l’e-mail que nous venons d’envoyer. { $days ->
        [one] Il est valable { $days } jour.
       *[other] Il est valable { $days } jours.
    }
confirm-unknown-title = Ce lien ne fonctionne pas
confirm-unknown-body = Il a peut-être été copié de façon incomplète, ou le soutien a été retiré ou effacé. Si vous avez besoin d’aide, contactez le secrétariat de la campagne.

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = Confirmez le soutien de votre organisation à { $campaign }
mail-greeting = Bonjour { $name },
mail-confirm-asked = Vous avez demandé à ajouter { $organisation } aux organisations qui soutiennent { $campaign }.
mail-confirm-open = Pour confirmer votre adresse e-mail, ouvrez ce lien :
mail-confirm-expiry =
    { $days ->
        [one] Le lien est valable { $days } jour.
       *[other] Le lien est valable { $days } jours.
    } Le soutien de votre organisation n’est pas compté tant que vous n’avez pas confirmé votre adresse ; le secrétariat de la campagne l’examine ensuite.
mail-confirm-not-you = Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien ne sera publié et l’envoi sera supprimé.
mail-signature = Le secrétariat de la campagne { $campaign }

mail-approved-subject = Le soutien apporté par { $organisation } est désormais public
mail-approved-count-only-subject = Le soutien apporté par { $organisation } est désormais compté
mail-approved-public = { $organisation } figure désormais parmi les organisations qui soutiennent { $campaign } et apparaît nommément dans la liste publique.
mail-approved-count-only = { $organisation } figure désormais dans le décompte des organisations qui soutiennent { $campaign }. Comme vous l’avez choisi, son nom n’est jamais affiché.
mail-approved-embed = Vous pouvez afficher le décompte à jour sur le site web de votre organisation. Copiez l’un de ces codes dans une page :
mail-approved-badge = Un badge :
mail-approved-counter = Un compteur :
mail-approved-thanks = Merci de votre soutien.

mail-notify-subject = Nouveau soutien à examiner : { $organisation }
mail-notify-intro = La personne à contacter a confirmé son adresse e-mail. Le soutien est en attente d’examen.
mail-notify-domain-match = L’adresse de la personne à contacter est sur le domaine de l’organisation.
mail-notify-domain-differs = L’adresse de la personne à contacter n’est pas sur le domaine du site web de l’organisation : vérifiez qu’elle la représente.
mail-notify-domain-unknown = Aucun site web n’a été indiqué : l’adresse de la personne à contacter n’a pas pu être comparée.
mail-notify-reference = Numéro du soutien : { $id }
mail-notify-review = Examinez-le dans la console :

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = Soutiens
home-intro = Des organisations soutiennent les campagnes ci-dessous. Signez-en une, ou affichez ses chiffres sur votre propre site.
home-sign = La soutenir : le formulaire de signature
home-counter = Le compteur, à intégrer
home-list = La liste des signataires, à intégrer
home-map = La carte du monde, à intégrer
home-embedded-form = Le formulaire, à intégrer à votre site
home-no-campaign = Il n'y a encore aucune campagne.
home-secretariat = Pour le secrétariat et les développeurs
home-console = La console : modérer et tenir le registre
home-api = L'API et sa documentation

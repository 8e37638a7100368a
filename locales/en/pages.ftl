# endorse: the pages for people (the sign-on form and what follows it) and the e-mails they
# send. British English: the reference language; every other pages.ftl has the same ids.
#
# Variables:
#   $campaign       the campaign's title
#   $organisation   the organisation's name, as submitted
#   $name           the contact's name
#   $country        the country's name in this language
#   $field          a field's label, as in the form (for error messages)
#   $max, $min      a number of characters
#   $days           a number of days
#   $seconds        a number of seconds
# Style: short, plain sentences; say what to do. Error messages follow the GOV.UK pattern
# ("Enter …", "Choose …"). Keep the e-mail subjects free of anything that looks like marketing.

## Around every page.

# The language switcher's accessible name.
languages = Languages
skip-to-content = Skip to the main content
# Before the page title when the form has errors: "Error: Endorse …".
error-prefix = Error:
# The link back to the campaign's own website.
campaign-website = The campaign's website
powered-by = Endorsements are kept by the campaign secretariat.

## The sign-on form.

sign-title = Endorse the campaign
sign-intro = Add your organisation to those that endorse { $campaign }. The campaign secretariat checks each endorsement before it is published.
sign-required = All fields are required unless marked optional.
error-summary-title = There is a problem
section-organisation = Your organisation
section-contact = Who we can contact

field-organisation_name = Name of your organisation
field-organisation_name-hint = As it should appear in the list of endorsers.
field-organisation_type = Type of organisation
field-country_code = Country
field-country_code-hint = Where your organisation is based; its headquarters for an international organisation.
country-choose = Choose a country
field-website = Website (optional)
field-website-hint = For example, https://example.org
field-statement = Statement of support (optional)
field-statement-hint = Up to 2,000 characters. It may be published with your organisation's name.
field-visibility = How should your organisation be shown?
visibility-public = Name it in the public list of endorsers
visibility-public-hint = Its name, country and statement are published.
visibility-count_only = Count it, but never show its name
visibility-count_only-hint = Choose this if being named could put your organisation or its people at risk. It is counted in the totals and never listed, exported or shown anywhere.
field-contact_name = Your name
field-contact_name-hint = Never published. The secretariat may contact you about this endorsement.
field-contact_email = Your e-mail address
field-contact_email-hint = We will send you a link to confirm it. Never published.
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = The campaign secretariat may write to you to check the endorsement. Never published.
field-consent_to_publish = Consent
field-consent_to_publish-label = My organisation agrees that its endorsement is published as chosen above.
submit = Endorse the campaign
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = Leave this field empty

type-ngo = Non-governmental organisation
type-network = Network or coalition
type-un_agency = United Nations agency
type-intergovernmental = Intergovernmental organisation
type-academic = University or research institute
type-faith_based = Faith-based organisation
type-legal = Legal practice, clinic or bar association
type-other = Another kind of organisation

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = Enter the name of your organisation
error-required-organisation_type = Choose the type of your organisation
error-required-country_code = Choose the country where your organisation is based
error-required-contact_name = Enter your name
error-required-contact_email = Enter your e-mail address
error-required = Enter { $field }
error-consent_required = Confirm that your organisation agrees to its endorsement being published
error-too_long = { $field } must be { $max } characters or fewer
error-too_short = { $field } must be at least { $min } characters
error-characters = { $field } contains characters that cannot be shown, such as invisible direction marks; remove them
error-invalid_email = Enter an e-mail address in the correct format, like name@example.org
error-invalid_url = Enter a website address that starts with https:// or http://, like https://example.org
error-link_not_allowed = { $field } must not contain a web or e-mail address: write the name alone
error-unknown_country = Choose a country from the list
error-invalid_choice = Choose one of the options for { $field }
error-invalid = Check { $field }

## After the form.

thanks-title = Check your inbox
thanks-sent = We have sent a link to the e-mail address you gave. Open it to confirm your address: your organisation's endorsement is not counted until you do.
thanks-expiry = The link works for { $days } days.
thanks-spam = If the e-mail has not arrived within a few minutes, look in your spam or junk folder. It comes from the campaign secretariat.
thanks-next = Once you have confirmed, the secretariat reviews the endorsement. We will e-mail you when it is published.
thanks-title-no-mail = Thank you
thanks-no-mail = The campaign secretariat will review your organisation's endorsement before it is published.
sign-again = Endorse for another organisation

duplicate-title = Your organisation has already endorsed this campaign
duplicate-body = An endorsement from { $organisation } in { $country } is already waiting for review or published, so this one was not added.
duplicate-help = If you submitted it and the confirmation e-mail never arrived, look in your spam or junk folder, or contact the campaign secretariat.
back-to-form = Back to the form

rate-limited-title = Too many endorsements from your network
rate-limited-body = To keep out automated submissions, we take only a few endorsements at a time from one address. Try again in { $seconds } seconds.

not-found-title = Page not found
not-found-body = There is no campaign at this address. Check the link you followed.

unavailable-title = Sorry, the service is unavailable
unavailable-body = Nothing was saved. Try again in a few minutes.
not-a-form-title = This is not a form we can read
not-a-form-body = Nothing was saved. Fill in the form on its page and send it from there.
bad-request-title = This request could not be read
bad-request-body = Nothing was saved. Go back to the form and send it again.
form-stale = This form was open for more than { $hours } hours, so it was not sent. Check what you entered and send it again.

## Confirming the e-mail address (the link in the e-mail).

confirm-title = Confirm your e-mail address
confirm-lead = Confirm that you asked to add { $organisation } to the organisations that endorse { $campaign }.
confirm-button = Confirm my e-mail address
confirm-not-you = If you did not ask for this, close this page: nothing will be published, and the submission will be deleted.
confirmed-title = Thank you, your address is confirmed
confirmed-body = The campaign secretariat will now review the endorsement of { $organisation }. We will e-mail you when it is published.
confirm-already-title = Your address is already confirmed
confirm-already-body = There is nothing more to do: the secretariat will review the endorsement of { $organisation }.
confirm-expired-title = This link has expired
confirm-expired-body = Confirmation links work for { $days } days. We can send a new one to the same address.
confirm-renew-button = Send me a new link
confirm-renewed-title = We have sent a new link
confirm-renewed-body = Open the new link in the e-mail we have just sent. It works for { $days } days.
confirm-unknown-title = This link does not work
confirm-unknown-body = It may have been copied incompletely, or the endorsement has been withdrawn or erased. If you need help, contact the campaign secretariat.

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = Confirm your organisation's endorsement of { $campaign }
mail-greeting = Hello { $name },
mail-confirm-asked = You asked to add { $organisation } to the organisations that endorse { $campaign }.
mail-confirm-open = To confirm your e-mail address, open this link:
mail-confirm-expiry = The link works for { $days } days. Your organisation's endorsement is not counted until you confirm; the campaign secretariat reviews it after that.
mail-confirm-not-you = If you did not ask for this, ignore this e-mail: nothing will be published, and the submission will be deleted.
mail-signature = The secretariat of { $campaign }

mail-approved-subject = The endorsement of { $organisation } is now public
mail-approved-count-only-subject = The endorsement of { $organisation } is now counted
mail-approved-public = { $organisation } is now among the organisations that endorse { $campaign }, and is named in the public list.
mail-approved-count-only = { $organisation } is now counted among the organisations that endorse { $campaign }. As you chose, its name is never shown.
mail-approved-embed = You can show the running count on your organisation's website. Copy one of these into a page:
mail-approved-badge = A badge:
mail-approved-counter = A counter:
mail-approved-thanks = Thank you for your support.

mail-notify-subject = New endorsement to review: { $organisation }
mail-notify-intro = The contact has confirmed their e-mail address. The endorsement waits for review.
# Whether the contact's address is at the organisation's own domain (Public Suffix List).
mail-notify-domain-match = The contact's address is at the organisation's own domain.
mail-notify-domain-differs = The contact's address is not at the domain of the organisation's website: check that they speak for it.
mail-notify-domain-unknown = No website was given, so the contact's address could not be compared with it.
# The endorsement's number, for finding it in the console or the API.
mail-notify-reference = Endorsement number: { $id }
mail-notify-review = Review it in the console:

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = Endorsements
home-intro = Organisations endorse the campaigns below. Sign one, or place its figures on your own site.
home-sign = Endorse it: the sign-on form
home-counter = The counter, to embed
home-list = The list of endorsers, to embed
home-map = The world map, to embed
home-embedded-form = The form, to embed on your site
home-no-campaign = There is no campaign yet.
home-secretariat = For the secretariat and developers
home-console = The console: moderate and keep the record
home-api = The API and its documentation

## The secretariat's console. English only for now; other languages fall back to these.

console-name = Endorsements console
console-nav = Console
console-nav-home = Overview
console-nav-queue = Queue
console-nav-record = Record
console-nav-audit = Audit log
console-nav-campaigns = Campaigns
console-nav-tokens = Tokens
console-signed-in-as = Signed in as { $label } ({ $role })
console-sign-out = Sign out

console-sign-in-title = Sign in to the console
console-sign-in-lead = Use the moderator or admin token the secretariat gave you. You stay signed in on this browser until you sign out or for 12 hours without use.
console-token = Token
console-token-hint = It starts with endorse_ and is kept in your password manager, not in an e-mail.
console-sign-in = Sign in
console-sign-in-wrong = That token is not a live moderator or admin token. Check it and try again.

console-campaign = Campaign
console-show = Show
console-yes = Yes
console-no = No
console-any = Any
console-none = None

console-done-approved = Approved: { $name }.
console-done-rejected = Rejected: { $name }.
console-done-withdrawn = Withdrawn: { $name }.
console-done-corrected = Corrected: { $name }.
console-done-erased = Erased: endorsement { $name } and its personal data.
console-done-created = Created: { $name }.
console-done-edited = Saved: { $name }.
console-done-revoked = Revoked: token { $name }. Its sessions have ended.
console-done-next = Next: { $name }.
console-done-empty = The queue is empty.

console-home-title = Overview
console-headline = What partners show
console-organisations = Organisations
console-countries = Countries
console-pending = Waiting for a decision
console-open-queue = Open the queue
console-by-country = By country
console-undisclosed = Undisclosed (count-only endorsers in groups too small to show)
console-country = Country
console-over-time = Over time
console-year = Year
console-badge = Badge
console-badge-alt = The campaign's badge as partners see it
console-snippets = Snippets for partners
console-snippets-lead = Send these to a partner to show the running count on their site.
console-snippet-badge = An image (works everywhere)
console-snippet-counter = A box in an iframe
console-snippet-widget = A web component
console-snippet-map = The world map (an image)
console-snippet-list = The list of endorsers (a web component)
console-map = World map
console-map-alt = The world map of the campaign's endorsers as partners see it
console-export = Export
console-export-csv = Download the approved endorsements (CSV)
console-export-contacts = Download with contact details (CSV, admins; recorded in the audit log)

console-queue-title = Queue
console-queue-count = { $count ->
    [0] Nothing is waiting for a decision.
    [one] One submission is waiting for a decision.
   *[other] { $count } submissions are waiting for a decision.
}
console-queue-shown = Showing the first { $count }.
console-order = Order
console-oldest-first = Oldest first
console-newest-first = Newest first
console-type = Type
console-website = Website
console-statement = Statement
console-contact = Contact
console-confirmed = Address confirmed
console-confirmed-yes = Yes: the contact opened the link sent to their address
console-confirmed-no = No
console-confirmed-no-mail = Not asked: no mail is configured (ENDORSE_SMTP_URL), so no link was sent
console-domain = Address at the organisation's domain
console-domain-yes = Yes
console-domain-no = No: check that the contact speaks for the organisation
console-domain-unknown = Cannot tell (no address or no website)
console-submitted = Submitted
console-endorsed = Endorsed on
console-visibility = Shown publicly
console-visibility-public = Yes, by name
console-visibility-count-only = No: counted only
console-similar = Possible duplicate of
console-similar-same = same name
console-similar-lookalike = similar name
console-repeat = Repeats
console-repeat-tag = repeat
console-repeat-of = endorsement { $id }
console-repeat-help = The same organisation submitted again while that one is pending or counted without its name. The submitter was answered as if this one were new, so that nobody can learn from the answer who has endorsed. It cannot be approved while that one is pending or approved: reject it once you have compared the two.
console-approve = Approve
console-reject = Reject
console-withdraw = Withdraw
console-reason = Reason (optional)
console-reason-hint = Kept with the endorsement and in the audit log; not sent to anyone.
console-details = Details

console-record-title = Record
console-search = Organisation name contains
console-status = Status
console-filter = Filter
console-results = { $count ->
    [one] One endorsement
   *[other] { $count } endorsements
}
console-name-column = Organisation
console-next-page = Next page
console-no-results = No endorsement matches these filters.

console-detail-status = Status: { $status }
console-note = Reason given
console-actions = Decide
console-edit = Correct
console-edit-lead = Change what was submitted; every change is recorded in the audit log.
console-organisation-name = Organisation name
console-country-field = Country
console-save = Save the correction
console-history = History
console-when = When
console-who = Who
console-what = What
console-change = Change
console-erase = Erase
console-erase-lead = Erasing deletes this endorsement and its contact details for good; the audit log keeps only that it was erased, and by whom. This cannot be undone.
console-erase-confirm = Type the organisation's name to confirm: { $name }
console-erase-button = Erase for good

console-audit-title = Audit log
console-subject = Subject
console-older = Older entries

console-campaigns-title = Campaigns
console-slug = Address (slug)
console-slug-hint = Lower-case letters, digits and hyphens; partners' embeds use it, so it never changes.
console-title = Title
console-description = Description (optional)
console-url = Campaign website (optional)
console-create = Create the campaign
console-new-campaign = New campaign
console-edit-campaign = Edit { $title }

console-tokens-title = Tokens
console-tokens-lead = Tokens are created on the command line (endorse token create --role moderator --label "…"), which shows the secret once.
console-label = Label
console-role = Role
console-created = Created
console-last-used = Last used
console-state = State
console-live = Live
console-revoked = Revoked { $at }
console-revoke = Revoke
console-this-session = (this session)

console-error-back = Back to the console

# The error summary names each field before what is wrong with it.
console-field-organisation_name = Organisation name
console-field-organisation_type = Type
console-field-country_code = Country
console-field-website = Website
console-field-statement = Statement
console-field-visibility = Shown publicly
console-field-endorsed_at = Endorsed on
console-field-confirm_name = The organisation's name
console-field-slug = Address (slug)
console-field-title = Title
console-field-description = Description
console-field-url = Campaign website

console-admins-only = This page is for admins; you are signed in with the moderator token “{ $label }”.
console-not-our-form = This form was not sent from the console's own pages.
console-form-out-of-date = This form is out of date or not the console's own: reload the page and try again.

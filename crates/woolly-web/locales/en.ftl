# Woolly's web interface in English. Every other catalogue has the same messages.

## The frame of every page
skip-to-content = Skip to the content
nav-label = Main
nav-home = Home
nav-profile = Your profile
nav-about = About
nav-local = This server
nav-federated = Everywhere
nav-bookmarks = Bookmarks
nav-bookmarks-intro = The posts you bookmarked, most recent first. Only you see them.
nav-favourites = Favourites
nav-favourites-intro = The posts you favourited, most recent first.
nav-search = Search
local-intro = Public posts made on this server, newest first.
federated-intro = Public posts from every server this one knows, newest first.
tag-intro = Public posts with #{ $name }, newest first.
tag-follow = Follow #{ $name }
tag-unfollow = Unfollow #{ $name }
timeline-empty = No posts here yet.
sign-in = Sign in
sign-out = Sign out
sign-up = Create an account
privacy-policy = Privacy policy
terms = Terms of service
powered-by = Powered by Woolly, free software
back-home = Back to the start

## Front page and about
landing-title = Welcome
landing-recent-posts = Recent posts from this server
landing-no-posts = Nobody has posted publicly here yet.
landing-more-about = More about this server
people-count = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
posts-count = { $count ->
    [one] { $count } post
   *[other] { $count } posts
}
rules = Rules of this server
contact = Contact
joining-approval = The moderators review each sign-up before the account can be used.
joining-invite-only = Joining this server needs an invitation from someone on it.
joining-closed = This server is not taking new accounts at the moment. You can join another server and still follow and talk with people here.
about-severity-suspend = cut off: nothing is received from it or sent to it
about-severity-silence = limited: its posts reach only their followers here
about-severity-noop = its media or reports are not taken
about-moderated = Moderated servers
about-moderated-intro = This server limits or cuts off these servers:
about-moderated-none = This server limits no other server.
about-read-privacy = Read how this server handles your data

## Statuses
boosted-by = { $name } boosted
show-more = Show more
sensitive-media = Sensitive media: select to show
hidden-media = Media (hidden by your preferences)
open-media = Open the attachment
poll-voters = { $count ->
    [one] { $count } person voted
   *[other] { $count } people voted
}
poll-closed = Closed
poll-ends = Closes { $date }
poll-choose = Your choice
poll-vote = Vote
boost = Boost
favourite = Favourite
bookmark = Bookmark
bookmarked = Bookmarked
delete = Delete
edit = Edit
edit-heading = Edit your post
edited = (edited)
cancel = Cancel
replies-count = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
boosts-count = { $count ->
    [one] { $count } boost
   *[other] { $count } boosts
}
favourites-count = { $count ->
    [one] { $count } favourite
   *[other] { $count } favourites
}
date-time = { $date } UTC
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
visibility-public = Public
visibility-unlisted = Quiet public
visibility-private = Followers only
visibility-direct = Mentioned people only

## Forms
form-has-errors = Some fields need another look.
field-username = Username
field-username-hint = Letters, digits and underscores. Others will find you as @username.
field-email = E-mail address
field-password = Password
field-password-hint = At least 8 characters.
field-new-password = New password
field-login = E-mail address or username
field-two-factor = Two-factor code
field-two-factor-hint = Only if you turned two-factor sign-in on.
field-date-of-birth = Date of birth
field-invite-code = Invitation code
field-reason = Why do you want to join?
field-reason-hint = The moderators read this before approving your account.
field-agreement = I accept the rules of this server and its
field-display-name = Display name
save = Save
rule-blank = This field is required.
rule-invalid = This is not valid.
rule-taken = This is already taken.
rule-reserved = This is reserved.
rule-accepted = Please accept to go on.
rule-blocked = uses a disallowed e-mail provider
rule-inclusion = This is not one of the choices.
rule-too-long = This is too long.
rule-too-short = This is too short.
rule-below-limit = This is below the limit.

## Errors
error-heading = Something went wrong
error-not-found = This page does not exist, or you may not see it.
error-throttled = Too many attempts. Please wait a few minutes and try again.
error-forbidden = You are not allowed to do that.
error-signed-out = Your session has ended. Please sign in again.
error-internal = Something went wrong on our side. Please try again.
error-form-expired = This form has expired. Please check what you typed and send it again.

## Joining
sign-up-heading = Create your account
sign-up-intro = Join { $server }. It takes a minute, and you can follow people on any server of the fediverse.
sign-up-have-account = Already have an account?
sign-up-closed-heading = Sign-up is closed
setup-heading = Check your e-mail
setup-text = We sent a link to { $email }. Open it to confirm your address, and you are in.
setup-resent = We sent the link again.
confirmation-send-again = Send the link again
pending-heading = Your account is waiting for approval
pending-text = Thank you for confirming your address. A moderator will review your sign-up; we will e-mail you as soon as it is approved.
confirmed-heading = Your e-mail address is confirmed
confirmed-text = Thank you. You can now sign in from your app or browser.
confirmation-broken-heading = This confirmation link does not work
confirmation-broken-text = It may have been used already or have expired. You can ask for a new one.
start-heading = Welcome aboard
start-intro = Choose your name and picture, and follow a few people to fill your home timeline. You can skip all of it.
start-avatar = A picture of you (optional)
start-follow-heading = People on this server
start-continue = Go to your home timeline
follow = Follow
follow-someone = Follow { $name }
following = Following

## Signing in
sign-in-heading = Sign in to { $server }
sign-in-failed = The e-mail address, password or two-factor code is wrong.
sign-in-code-needed = Enter the code from your two-factor app.
sign-in-no-account = No account yet?
forgot-password = Forgot your password?
reset-intro = Enter the e-mail address of your account: we will send it a link to choose a new password.
reset-send = Send the link
reset-sent-heading = Check your e-mail
reset-sent-text = If an account has this address, a link to choose a new password is on its way. It works for an hour.
reset-choose = Choose a new password
reset-change = Change my password
reset-link-broken = This reset link does not work: it was used already or has expired.
reset-ask-again = Ask for a new link
password-changed-heading = Your password was changed
password-changed-text = You can now sign in with your new password. Every other session was signed out.

## Home and composer
compose-heading = Write a post
compose-text = Your post
compose-placeholder = What's on your mind?
compose-warning = Content warning (optional)
compose-warning-placeholder = Content warning (optional)
compose-visibility = Who can see it
compose-limit = { $count } characters at most
compose-publish = Publish
compose-images = Add images
compose-images-hint = Up to four images. Describe each for people who cannot see it.
compose-image = Image
compose-alt = Description (alt text)
compose-sensitive = Hide the images behind a warning
compose-poll = Add a poll
compose-poll-option = Choice
compose-poll-duration = Open for
compose-poll-multiple = Allow several choices
compose-language = Language
compose-alt-required = Each image needs a description (your preferences ask for one).
compose-alt-missing = Describe this image, or remove it.
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
compose-left = { $count } left
copy = Copy
copied = Copied
home-empty = Your home timeline is empty. Posts of the people you follow show here, newest first.
older-posts = Older posts
# Shown by the script as new posts arrive; %n is their number.
new-posts-one = Show 1 new post
new-posts-other = Show %n new posts
more-people = More people
more-servers = More servers
featured-hashtags = Featured hashtags
profile-tabs = Posts shown
profile-tab-posts = Posts
profile-tab-replies = Posts and replies
profile-tab-media = Media
posts-tagged = Posts with #{ $name }

## Authorizing apps
authorize-title = Authorize { $app }
authorize-heading = Let { $app } use your account
authorize-asks = It asks for:
authorize-as = You are signed in as @{ $handle }.
authorize = Authorize
deny = Deny
authorize-denied = You denied the authorization request.
authorize-failed-heading = This authorization request cannot be completed
authorize-bad-response-type = The authorization server does not support this response type.
authorization-code = Authorization code
authorization-code-text = Copy this code and paste it into { $app }:

## Profiles and threads
locked = Approves followers
bot = Automated
unfollow = Unfollow
pinned = Pinned
posts = Posts
reply = Reply
replies = Replies
thread-before = Earlier in the thread
joined = Joined { $date }
following-count = { $count } following
followers-count = { $count ->
    [one] { $count } follower
   *[other] { $count } followers
}

## Notifications
nav-notifications = Notifications
notifications-empty = Nothing yet. When people follow you, mention you or like your posts, you will see it here.
older-notifications = Older notifications
notification-follow = { $name } followed you
notification-follow-request = { $name } asked to follow you
notification-mention = { $name } mentioned you
notification-reblog = { $name } boosted your post
notification-favourite = { $name } favourited your post
notification-poll = A poll you took part in has ended
notification-status = { $name } just posted
notification-update = { $name } edited a post
notification-moderation-warning = The moderators sent you a warning: read it and appeal
notification-admin-report = { $name } filed a report
notification-admin-sign-up = { $name } signed up
notification-other = Something happened with { $name }
notifications-filtered = { $count ->
    [one] 1 person you may not know wrote to you: review
   *[other] { $count } people you may not know wrote to you: review
}
requests-title = Filtered notifications
requests-intro = Notifications from people you may not know wait here, as your settings below say. Accept someone to let them through from now on; dismiss to delete what they sent.
requests-empty = Nobody waits here.
requests-count = { $count ->
    [one] 1 mention
   *[other] { $count } mentions
}
requests-accept = Accept
requests-dismiss = Dismiss
policy-title = Whose notifications to hold back
policy-not-following = People you don't follow
policy-not-followers = People who don't follow you
policy-new-accounts = New accounts (less than 30 days old)
policy-private-mentions = Unsolicited private mentions
policy-limited-accounts = Accounts limited by the moderators
policy-accept = Show
policy-filter = Filter
policy-drop = Ignore
policy-save = Save

## Search
search-label = Search for people, hashtags or posts
search-placeholder = @name@server, #hashtag or words
search-nothing = Nothing found.
search-people = People
search-hashtags = Hashtags

## Settings
settings = Settings
settings-profile = Profile
settings-preferences = Preferences
settings-password = Password
settings-sessions = Sessions and apps
settings-saved = Saved.
settings-password-saved = Your password was changed. Every other session was signed out.
language-name = English
# How the digits of large numbers are grouped by thousands.
number-group-separator = ,
error-form-unreadable = The form could not be read. Please try again.
field-bio = Bio
field-fields = Profile fields
field-fields-hint = Up to four labels and contents shown on your profile, such as your pronouns or a website.
field-label = Label
field-content = Content
field-avatar = Avatar
field-header = Header image
field-locked = Approve new followers yourself
field-discoverable = Suggest my account to others and list it in the directory
field-indexable = Let my public posts be found by search
field-bot = This account is automated
field-locale = Language of this interface and of e-mails
field-default-privacy = Who can see my posts, by default
field-default-language = Language of my posts
field-default-language-hint = The composer, and apps that ask, start with it.
field-default-sensitive = Mark my media as sensitive by default
language-any = Let each app decide
preferences-posting = Posting
preferences-reading = Reading
field-require-alt-text = Ask me to describe each image before it is posted
field-expand-media = Images and videos
expand-media-default = Hide those marked sensitive behind a warning
expand-media-show_all = Always show them
expand-media-hide_all = Always hide them behind a warning
field-expand-spoilers = Always open posts that have a content warning
field-current-password = Current password
sessions-intro = Every browser and app signed in to your account. Ending one signs it out at once.
sessions-operator = Created by the operator
sessions-this-one = This browser
sessions-revoke = Sign out

## Across servers
interaction-following = You follow this account, or asked to.
interaction-not-found-heading = Nothing found there
interaction-not-found = This address names no account or post that this server could find.
remote-follow-label = Follow or answer from your own server
remote-follow-hint = On another server of the fediverse? Type your address there.
remote-follow-go = Go to my server
remote-follow-failed-heading = Your server could not be found
remote-follow-failed = { $handle } is not an address whose server tells where to follow from. Type it as name@server.example.
settings-blocks = Blocks and mutes
blocks-intro = Blocked people cannot follow you or see your posts, and you do not see theirs. Muted people are hidden from your timelines and notifications; they do not know.
blocks-accounts = Blocked people
blocks-muted = Muted people
blocks-none = Nobody.
blocks-domains = Blocked servers
blocks-domains-hint = Nothing from a blocked server reaches your timelines or notifications, and its people no longer follow you.
blocks-domain-label = A server to block
blocks-domain-add = Block this server
blocks-domain-invalid = This is not a server's name.
block = Block
unblock = Unblock
mute = Mute
unmute = Unmute
settings-two-factor = Two-factor sign-in
settings-email = E-mail address
settings-email-now = Your address is { $email }.
settings-email-pending = A confirmation link was sent to { $email }; your address changes once it is followed.
settings-email-new = New address
settings-email-change = Change my address
settings-email-sent = We sent a link to the new address. Your address changes once you follow it.
two-factor-intro = With two-factor sign-in, signing in also asks for a code from an app on your phone, so that a stolen password is not enough.
two-factor-set-up = Set it up
two-factor-add = Add this key to your authenticator app (or open the link below on your phone), then type the code it shows.
two-factor-open-app = Open in an authenticator app
two-factor-code = Code from the app
two-factor-enable = Turn it on
two-factor-on = Two-factor sign-in is on.
two-factor-recovery = Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They are shown only now.
two-factor-is-on = Two-factor sign-in is on for your account.
two-factor-disable = Turn it off
settings-filters = Filters
filters-intro = Posts with these words are hidden, or shown behind a warning, where you choose.
filters-none = No filters yet.
filters-new = A new filter
filters-add = Add the filter
filter-title = Name
filter-keywords = Words
filter-keywords-hint = One a line, or separated by commas; whole words only.
filter-contexts = Where
filter-context-home = Home and lists
filter-context-notifications = Notifications
filter-context-public = Public timelines
filter-context-thread = Conversations
filter-context-account = Profiles
filter-action = What to do
filter-action-warn = Show behind a warning
filter-action-hide = Hide completely
filtered-by = Filtered: { $filters }
followers-of = Who follows { $name }
following-of = Whom { $name } follows
back-to-profile = Back to the profile
settings-hashtags = Hashtags
hashtags-intro = Public posts with these hashtags join your home timeline.
hashtags-none = You follow no hashtag yet. Follow one from its page.
followed-hashtags = Followed hashtags
featured-intro = Up to ten hashtags shown on your profile, each leading to your posts with it.
feature-hashtag = Hashtag to feature
feature = Feature
unfeature = Stop featuring
unfeature-hashtag = Stop featuring #{ $name }
feature-suggestions = You often use:
more-hashtags = More hashtags
settings-export = Export
archive = Your archive
archive-intro = Everything you posted, with its images, your profile, likes and bookmarks, in one ZIP file in Mastodon's format: for safekeeping, or to bring your posts to another server. It is built in the background and you are e-mailed when it is ready; you can ask for one a week.
archive-none = No archive yet.
archive-asked = Asked for { $when }
archive-building = Being built…
archive-download = Download
archive-size = { $size } KiB
archive-request = Ask for an archive
settings-delete = Delete account
delete-intro = Deleting your account removes your profile and everything you posted, here and, as far as they listen, on the servers of your followers. It cannot be undone, and your username stays taken.
delete-archive-first = First, take your data along
delete-for-good = Then delete the account
delete-account = Delete my account for good
settings-imports = Import
import-intro = Follows, blocks, mutes, blocked servers, bookmarks and lists from a CSV file, as Mastodon and Woolly export them (up to 20,000 rows); or your posts from the archive of an old account (its ZIP file, up to 100 MB), which appear on your profile with their dates without reaching anyone's timeline. The file is checked at once, then carried out a little at a time; accounts and posts of other servers are looked up there.
import-kind = What the file holds
import-kind-following = Accounts you follow
import-kind-blocking = Accounts you block
import-kind-muting = Accounts you mute
import-kind-domain_blocking = Servers you block
import-kind-bookmarks = Bookmarks
import-kind-lists = Lists
import-kind-posts = Your posts, from an archive (ZIP) of Mastodon or Woolly
import-mode = Mode
import-mode-merge-hint = Merge: add what the file holds to what you have
import-mode-overwrite-hint = Overwrite: what you have and the file does not name is undone
import-mode-merge = merge
import-mode-overwrite = overwrite
import-file = The CSV file
import-upload = Import
import-recent = Your imports
import-none = No import yet.
import-state-scheduled = Waiting to start: { $total } rows.
import-state-in_progress = In progress: { $processed } of { $total } rows.
import-state-finished = Done: { $processed } of { $total } rows.
import-imported = { $count } imported.
import-failed-rows = { $count } rows could not be used
import-row = Row { $row }:
import-unreadable = The form could not be read: try again.
import-choose-kind = Choose what the file holds.
settings-migration = Moving
migration-intro = Moving this account to another one, here or on another server, takes your followers along: their servers have them follow the new account. First add this account as an alias of the new one (in the new account's settings). This account then shows where it moved and posts no more; it can move again after 30 days.
migration-target = The new account's address
migration-move = Move this account
migration-done = This account moved. Your followers are being moved to the new account.
migration-moved-to = This account moved to
migration-last = It last moved { $when }.
migration-cooldown = It can move again from { $when }.
migration-aliases = Moving here from another account
migration-aliases-intro = To move another account (yours, here or on another server) to this one, name it here first: this is how its server knows the move is genuine. Then move it from its own settings.
migration-no-aliases = No alias yet.
migration-alias-acct = The old account's address
migration-alias-add = Add the alias
migration-alias-added = The alias was added.
migration-alias-remove = Remove
profile-moved = { $name } has moved to
export-intro = Your data as CSV files in Mastodon's formats, which Mastodon and other servers import.
export-following = People you follow
export-followers = People who follow you
export-lists = Your lists and their members
export-blocks = People you block
export-mutes = People you mute
export-domain-blocks = Servers you block
export-bookmarks = Your bookmarks
export-import-later = Import these files here or on another server; to take your followers along too, move your account.
settings-invites = Invites
invites-intro = Invite links let people join this server, even when sign-up is closed or needs approval.
invites-not-allowed = This server does not let its members invite people.
invites-yours = Your invite links
invite-max-uses = Uses
invite-no-limit = No limit
invite-uses = { $count ->
    [one] { $count } use
   *[other] { $count } uses
}
invite-expires-after = Expires after
invite-never-expires = Never expires
invite-expires = Expires { $date }
invite-expired = Expired
invite-create = Make a link
invite-used = Used:
invite-revoke = Revoke
nav-lists = Lists
lists-intro = A list is a timeline of its own, of some of the people you follow.
lists-none = No lists yet.
lists-title = The list's name
lists-create = Make a list
lists-members = Who is in it
lists-members-hint = Add people you follow from their profile.
lists-remove = Remove
lists-add-to = Add to a list
lists-add = Add

# The moderators' screens.
moderation = Moderation
moderation-reports = Reports
moderation-open = Open
moderation-resolved = Resolved
moderation-none-open = No report waits for a moderator.
moderation-none-resolved = No report was resolved yet.
moderation-about = About { $name }
moderation-by = Reported by { $name }
moderation-rules = Rules it breaks:
moderation-assigned = Taken on by { $name }
moderation-resolved-when = Resolved { $when }
moderation-assign = Take it on
moderation-unassign = Let it go
moderation-resolve = Resolve
moderation-reopen = Reopen
moderation-act = Act on the account
moderation-older = Older reports
moderation-posts-warning = A warning to their author about these posts (optional)
moderation-posts-notify = Tell the author (a notification and an e-mail)
moderation-posts-sensitive = Mark their media sensitive
moderation-posts-remove = Remove these posts
audit-Status-destroy = removed a post of
audit-Status-update = marked sensitive a post of
report-category-spam = Spam
report-category-legal = Legal
report-category-violation = Breaks the rules
report-category-other = Other

## A user's warnings and appeals (/disputes)
strikes-heading = Warnings from the moderators
strikes-none = The moderators never warned your account.
strike-action-none = A warning
strike-action-disable = Your login was disabled
strike-action-mark_statuses_as_sensitive = Your posts were marked sensitive
strike-action-delete_statuses = Your posts were removed
strike-action-sensitive = Your media are marked sensitive
strike-action-silence = Your account was limited
strike-action-suspend = Your account was suspended
strike-overruled = This decision was overruled.
strike-appealed = You appealed it ({ $state }):
strike-appeal-label = Why should the moderators reconsider?
strike-appeal = Appeal
strike-too-late = It is too late to appeal this decision.
appeal-state-pending = waiting for a decision
appeal-state-approved = approved
appeal-state-rejected = rejected
suspended-heading = Your account is suspended
suspended-text = The moderators of this server suspended your account: nobody sees it or what you posted. You can read why, and appeal.
disabled-heading = Your login is disabled
disabled-text = The moderators of this server disabled your login: your account stays visible, but you cannot use it. You can read why, and appeal.
read-strikes = Read the decision and appeal

## The moderators' accounts, appeals and audit log (/admin)
admin-accounts = Accounts
admin-pending = Sign-ups
admin-appeals = Appeals
admin-audit = Audit log
admin-filter-status = State
admin-filter-origin = Server
admin-filter-username = Username
admin-filter-all = All
admin-filter = Filter
admin-origin-local = This server
admin-origin-remote = Other servers
admin-state-active = Active
admin-state-pending = Waiting for approval
admin-state-unconfirmed = Address unconfirmed
admin-state-disabled = Login disabled
admin-state-silenced = Limited
admin-state-suspended = Suspended
admin-state-sensitized = Media sensitive
admin-no-accounts = No account matches.
admin-more = More
admin-approve = Approve
admin-reject = Reject
admin-profile = Public profile
admin-take-action = Take action
admin-action = Action
admin-do-none = Warn only
admin-do-sensitive = Mark its media sensitive
admin-do-disable = Disable its login
admin-do-silence = Limit: its posts reach only its followers
admin-do-suspend = Suspend: hide it and everything it posted
admin-undo-unsuspend = Lift the suspension
admin-undo-unsilence = Lift the limit
admin-undo-unsensitive = Stop marking its media sensitive
admin-undo-enable = Enable its login
admin-action-text = Words to its owner (they read them with the decision and may appeal)
admin-notify = Tell its owner (notification and e-mail)
admin-do = Do it
admin-role = Role
admin-role-change = Change the role
role-user = User
role-moderator = Moderator
role-admin = Admin
role-owner = Owner
admin-warnings = Warnings
admin-no-warnings = No warning was given to this account.
admin-overruled = Overruled
admin-appealed = Appealed ({ $state }):
admin-action-none = A warning
admin-action-disable = Login disabled
admin-action-mark_statuses_as_sensitive = Posts marked sensitive
admin-action-delete_statuses = Posts removed
admin-action-sensitive = Media marked sensitive
admin-action-silence = Limited
admin-action-suspend = Suspended
admin-destroy = Delete its data now
admin-destroy-text = The account is suspended: its data is deleted 30 days after the suspension unless it is lifted. This deletes it now, for good.
admin-no-appeals = No appeal waits for a decision.
admin-appeal-says = The appeal:
admin-appeal-approve = Approve: overrule and undo
admin-appeal-reject = Reject
admin-notes = Moderators' notes
admin-no-notes = No note yet. Notes are for moderators only; the account never sees them.
admin-note-new = A note for the other moderators
admin-note-add = Add the note
admin-note-delete = Delete the note
admin-history = History
admin-no-history = Nobody has acted on this account yet.
admin-rules-intro = Shown on the about page, accepted by everyone who joins, and named in reports. A removed rule is no longer shown; reports that named it still show it.
admin-no-rules = No rule yet.
admin-rule-remove = Remove
admin-rule-new = A new rule
admin-rule-text = The rule (up to 300 characters)
admin-rule-hint = What it means (optional)
admin-rule-add = Add the rule
audit-Rule-create = added the rule
audit-Rule-destroy = removed the rule
admin-rule-edit = Change
admin-rule-save = Save the rule
admin-rule-up = Move up
audit-Rule-update = changed the rule
admin-no-audit = Nothing was done yet.
admin-audit-when = When
admin-audit-who = Who
admin-audit-what = What
admin-audit-target = On
audit-suspend = suspended
audit-unsuspend = lifted the suspension of
audit-silence = limited
audit-unsilence = lifted the limit on
audit-sensitive = marked the media sensitive of
audit-unsensitive = stopped marking the media sensitive of
audit-disable = disabled the login of
audit-enable = enabled the login of
audit-create = created
audit-update = changed
audit-AccountWarning-create = warned
audit-Account-destroy = deleted the data of
audit-DomainBlock-create = blocked the server
audit-DomainBlock-update = changed the block of the server
audit-DomainBlock-destroy = unblocked the server
audit-DomainAllow-create = allowed the server
audit-DomainAllow-destroy = stopped allowing the server
audit-EmailDomainBlock-create = blocked the e-mail domain
audit-EmailDomainBlock-destroy = unblocked the e-mail domain
audit-CanonicalEmailBlock-create = blocked the e-mail address
audit-CanonicalEmailBlock-destroy = unblocked the e-mail address
audit-IpBlock-create = blocked the addresses
audit-IpBlock-update = changed the block of the addresses
audit-IpBlock-destroy = unblocked the addresses
audit-Announcement-create = announced
audit-Announcement-update = changed announcement
audit-Announcement-destroy = deleted announcement
audit-AccountModerationNote-create = wrote a note about
audit-AccountModerationNote-destroy = deleted a note about
audit-Appeal-approve = approved the appeal of
audit-Appeal-reject = rejected the appeal of
audit-approve = approved
audit-reject = rejected
audit-destroy = deleted
audit-change_role = changed the role of
audit-resolve = resolved report
audit-reopen = reopened report
audit-assigned_to_self = took on report
audit-unassigned = let go of report

## The admins' screen for other servers (/admin/domain_blocks)
servers = Servers
servers-block = Block a server
servers-domain = Domain
servers-severity = What to do
servers-severity-silence = Limit: its posts reach only their followers here
servers-severity-suspend = Cut off: nothing received or sent, what is stored deleted
servers-severity-noop = Neither: only the options below
servers-reject-media = Show none of its media inline
servers-reject-reports = Ignore its reports
servers-public-comment = Public comment
servers-private-comment = Comment for moderators
servers-obfuscate = Star some letters of the domain in the public list
servers-block-submit = Block
servers-blocked = Blocked servers
servers-none-blocked = No server is blocked.
servers-unblock = Lift the block
servers-allowed = Allowed servers
servers-limited-on = Limited federation is on: only these servers are talked to.
servers-limited-off = Limited federation is off (the limited_federation setting): this list is kept for when it is on.
servers-allow = Allow
servers-disallow = Remove

## Announcements
announcement = From the team
announcement-dismiss = Mark as read
announcements = Announcements
announcements-new = A new announcement
announcements-text = Text (links become links)
announcements-starts = Shown from (optional)
announcements-ends = Shown until (optional, included)
announcements-from-to = shown { $days }
announcements-from = shown from { $day }
announcements-until = shown until { $day }
announcements-publish = Publish now (otherwise keep it as a draft)
announcements-save = Save
announcements-none = No announcement yet.
announcements-published = Published { $when }
announcements-draft = Draft
announcements-delete = Delete

## The moderators' dashboard (/admin/dashboard)
dashboard = Dashboard
dashboard-period = The last 30 days, day by day.
dashboard-new_users = New users
dashboard-active_users = Active users
dashboard-interactions = Interactions with local posts
dashboard-opened_reports = Reports opened
dashboard-resolved_reports = Reports resolved
dashboard-before = { $total } in the 30 days before
dashboard-chart-description = { $total } in all
dashboard-servers = Servers this one knows most people of
dashboard-sources = Where sign-ups came from
dashboard-software_versions = This server's software
dashboard-server_software = Software of known servers
dashboard-nothing = Nothing yet.

trends = Trends
admin-trends-intro = What trends now, among public posts of people who chose to be discoverable. Only what you allow is shown in trends; what waits is shown only if the server trusts trends by default.
admin-trends-off = Trends are turned off on this server (setting trends): nothing is shown to members, whatever you allow.
admin-trends-tags = Hashtags
admin-trends-posts = Posts
admin-trends-links = Links
admin-trends-publishers = Publishers
admin-trends-publishers-intro = Publishers allowed here let every link of theirs trend; a link's own review wins over its publisher's.
admin-trends-none = Nothing trends now.
admin-trends-today = Today:
admin-trend-waiting = Waiting for review
admin-trend-allowed = Allowed
admin-trend-refused = Refused
admin-trend-approve = Allow
admin-trend-reject = Refuse
nav-explore = Explore
explore-intro = What people here talk about now, and people you may like to follow. Your home timeline stays in order of time: nothing is ranked there.
explore-tags = Trending hashtags
explore-no-tags = No hashtag trends right now.
explore-tag-people = { $count ->
    [one] { $count } person in the last two days
   *[other] { $count } people in the last two days
}
explore-people = People to follow
explore-directory = Active people here
explore-posts = Trending posts
explore-no-posts = No post trends right now.
explore-links = Trending links
explore-no-links = No link trends right now.
explore-why-featured = Recommended by this server
explore-why-friends_of_friends = Followed by people you follow
explore-why-most_followed = Much followed here lately
explore-why-most_interactions = Much liked and boosted lately

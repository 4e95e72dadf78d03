"""Drives a Woolly server with Mastodon.py, the real Python client library from PyPI.

Usage: mastodon_py_client.py BASE_URL EMAIL PASSWORD FRIEND_EMAIL FRIEND_PASSWORD

Run by crates/woolly/tests/clients.rs against a fresh server; exits non-zero (with a traceback)
on the first behaviour Mastodon.py does not accept. It covers what Woolly implements so far and
grows with it.
"""

import re
import struct
import sys
import time
import zlib

import requests
from mastodon import Mastodon, MastodonNotFoundError, MastodonUnauthorizedError

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def register(base_url):
    return Mastodon.create_app(
        "Woolly Mastodon.py test",
        api_base_url=base_url,
        scopes=SCOPES,
        redirect_uris=OOB,
        website="https://example.org/client",
    )


def password_login(base_url, email, password):
    client_id, client_secret = register(base_url)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    token = api.log_in(email, password, scopes=SCOPES, allow_http=True)
    check(len(token) == 43, "a Mastodon-shaped token")
    return api


def authorization_code_login(base_url, email, password):
    """The browser flow: open the authorization URL, sign in on Woolly's form, paste the code."""
    client_id, client_secret = register(base_url)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    url = api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True)
    session = requests.Session()
    page = session.get(url)
    check(page.status_code == 200, f"authorization form: {page.status_code}")
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page.text))
    fields = {name: unescape(value) for name, value in fields.items()}
    fields.update({"login": email, "password": password, "decision": "approve"})
    answer = session.post(base_url + "/oauth/authorize", data=fields)
    check(answer.status_code == 200, f"approval: {answer.status_code} {answer.text[:300]}")
    code = re.search(r'id="authorization-code">([^<]+)<', answer.text).group(1)
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    return api


def unescape(value):
    for entity, char in (("&#x2f;", "/"), ("&#x3a;", ":"), ("&#43;", "+"), ("&quot;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        value = value.replace(entity, char)
    return value


def use_statuses(api, me):
    """Posting, reading, interacting and paginating, as a Mastodon.py bot would."""
    posted = api.status_post("Hello from Mastodon.py #pytest", spoiler_text="test", visibility="unlisted")
    check(posted.visibility == "unlisted" and posted.spoiler_text == "test", "status fields")
    check(posted.tags[0].name == "pytest", "hashtag parsed")
    check(posted.application.name == "Woolly Mastodon.py test", "the posting app is shown")
    check(api.status(posted.id).content == posted.content, "read back")

    reply = api.status_reply(posted, "a reply to myself")
    check(reply.in_reply_to_id == posted.id, "reply threads")
    context = api.status_context(reply)
    check([s.id for s in context.ancestors] == [posted.id], "context ancestors")

    check(api.status_favourite(posted).favourited, "favourite")
    check(not api.status_unfavourite(posted).favourited, "unfavourite")
    check(api.status_bookmark(posted).bookmarked, "bookmark")
    check([s.id for s in api.bookmarks()] == [posted.id], "bookmarks list")
    check(api.status_unbookmark(posted).bookmarked is False, "unbookmark")

    public_ids = []
    for n in range(4):
        public_ids.append(api.status_post(f"public post {n}", visibility="public").id)
    public_ids.reverse()
    first_page = api.timeline_public(local=True, limit=2)
    check([s.id for s in first_page] == public_ids[:2], "public timeline, newest first")
    second_page = api.fetch_next(first_page)
    check([s.id for s in second_page] == public_ids[2:4], "fetch_next follows the Link header")
    previous = api.fetch_previous(second_page)
    check([s.id for s in previous] == public_ids[:2], "fetch_previous follows the Link header")

    home = api.timeline_home(limit=40)
    check(posted.id in [s.id for s in home], "own posts are in the home timeline")
    mine = api.account_statuses(me.id, exclude_replies=True)
    check(reply.id not in [s.id for s in mine] or reply.in_reply_to_account_id == me.id, "exclude_replies keeps self-threads")

    deleted = api.status_delete(reply)
    check(deleted.text.endswith("a reply to myself"), f"delete returns the source text: {deleted.text!r}")
    check(api.account_verify_credentials().statuses_count == 5, "statuses_count follows posts and deletes")
    check(api.notifications() == [], "no notifications for one's own actions")


def wait_for(produce, message, timeout=20):
    """Polls `produce` until it returns something truthy (fan-out runs as a background job)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = produce()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out: {message}")


def png(width, height, rgb):
    """A small solid-colour PNG, written by hand (no imaging library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def use_social(api, friend, me):
    """Two people: follows, boosts, mentions and notifications, markers, direct messages, lists,
    media, polls, edits, pins, search, mutes, blocks and unfollows."""
    profile = friend.account_update_credentials(
        display_name="Friend", note="likes tea", avatar=png(500, 500, (20, 120, 200)), avatar_mime_type="image/png",
        fields=[("site", "https://example.org")])
    check(profile.avatar.endswith("/avatar.png") and profile.note.startswith("<p>likes tea"), "profile with an avatar")
    check(requests.get(profile.avatar).status_code == 200, "the avatar is served")
    you = friend.account_verify_credentials()
    check(api.account_follow(you.id).following, "follow")
    friend.account_follow(me.id)
    post = friend.status_post("hello from a friend #woolly")
    wait_for(lambda: post.id in [s.id for s in api.timeline_home()], "the friend's post in the home timeline")
    check(api.timeline_hashtag("woolly")[0].id == post.id, "tag timeline")

    boost = api.status_reblog(post)
    check(boost.reblog.id == post.id and api.status(post.id).reblogged, "boost")
    check([a.id for a in api.status_reblogged_by(post)] == [me.id], "reblogged_by")
    api.status_favourite(post)
    check([a.id for a in api.status_favourited_by(post)] == [me.id], "favourited_by")
    kinds = sorted(n.type for n in friend.notifications(types=["favourite", "reblog", "follow"]))
    check(kinds == ["favourite", "follow", "reblog"], f"the friend's notifications: {kinds}")
    check(not api.status_unreblog(post).reblogged, "unreblog")

    mention = friend.status_post(f"@{me.acct} are you there?")
    notification = wait_for(lambda: api.notifications(types=["mention"]), "a mention notification")[0]
    check(notification.status.id == mention.id and notification.account.id == you.id, "mention notification")
    check(api.notifications(id=notification.id).id == notification.id, "one notification")
    api.markers_set("notifications", notification.id)
    marker = api.markers_get(["notifications"])["notifications"]
    check(marker.last_read_id == notification.id, "notifications marker")
    api.notifications_dismiss(notification.id)
    check(api.notifications(types=["mention"]) == [], "dismissed")

    secret = friend.status_post(f"@{me.acct} just between us", visibility="direct")
    conversation = wait_for(api.conversations, "a direct conversation")[0]
    check(conversation.last_status.id == secret.id and conversation.unread, "conversation")
    check(not api.conversations_read(conversation.id).unread, "conversation read")

    friends = api.list_create("friends")
    api.list_accounts_add(friends, [you.id])
    check(post.id in [s.id for s in api.timeline_list(friends)], "list timeline")
    check([a.id for a in api.list_accounts(friends)] == [you.id], "list members")
    api.list_delete(friends)

    media = api.media_post(png(8, 4, (200, 30, 30)), mime_type="image/png", description="a red bar", synchronous=True)
    check(media.type == "image" and media.meta.original.width == 8 and media.blurhash, "image upload")
    pictured = api.status_post("look at this", media_ids=[media])
    check(pictured.media_attachments[0].description == "a red bar", "status with media")

    question = friend.status_post("tea or coffee?", poll=friend.make_poll(["tea", "coffee"], expires_in=3600))
    voted = api.poll_vote(question.poll, [1])
    check(voted.voted and voted.own_votes == [1] and voted.options[1].votes_count == 1, "poll vote")

    edited = api.status_update(pictured, "look at this again", media_ids=[media])
    check(edited.edited_at is not None, "edit")
    check(len(api.status_history(pictured)) == 2, "edit history")
    check(api.status_source(pictured).text == "look at this again", "status source")

    check(api.status_pin(pictured).pinned, "pin")
    check([s.id for s in api.account_statuses(me.id, pinned=True)] == [pictured.id], "pinned statuses")
    check(not api.status_unpin(pictured).pinned, "unpin")

    found = api.search_v2(you.username, resolve=False)
    check(you.id in [a.id for a in found.accounts], "account search")

    check(api.account_mute(you.id, duration=3600).muting, "mute")
    check([a.id for a in api.mutes()] == [you.id], "mutes list")
    check(not api.account_unmute(you.id).muting, "unmute")

    relationship = api.account_block(you.id)
    check(relationship.blocking and not relationship.following and not relationship.followed_by, "a block ends follows")
    check([a.id for a in api.blocks()] == [you.id], "blocks list")
    try:
        friend.status(pictured.id)
    except MastodonNotFoundError:
        pass
    else:
        raise AssertionError("a blocked account still sees the blocker's post")
    check(not api.account_unblock(you.id).blocking, "unblock")

    api.account_follow(you.id)
    use_filters(api, friend)
    check(not api.account_unfollow(you.id).following, "unfollow")


def use_filters(api, friend):
    """Filters v2: a warning marks matching statuses, hiding removes them from the timeline."""
    warn = api.create_filter_v2("spoilers", ["home"], "warn", keywords_attributes=[{"keyword": "finale", "whole_word": True}])
    check(warn.keywords[0].keyword == "finale", "filter keywords")
    spoiler = friend.status_post("the finale was great")
    home = wait_for(lambda: [s for s in api.timeline_home() if s.id == spoiler.id], "the spoiler in the home timeline")
    check([result.filter.id for result in home[0].filtered] == [warn.id], "filtered on a warned status")
    check(home[0].filtered[0].keyword_matches == ["finale"], "keyword_matches")
    api.update_filter_v2(warn, filter_action="hide")
    check(spoiler.id not in [s.id for s in api.timeline_home()], "a hide filter removes the status")
    check([f.id for f in api.filters_v2()] == [warn.id], "filters list")
    api.delete_filter_v2(warn)
    check(spoiler.id in [s.id for s in api.timeline_home()], "deleting the filter brings it back")


def use_notification_policy(api, friend, me):
    """The notification policy and the requests it fills (Mastodon 4.3): a private mention from
    someone not followed waits aside until accepted; another is dismissed."""
    you = friend.account_verify_credentials()
    policy = api.notifications_policy()
    check(policy.for_private_mentions == "filter" and policy.for_not_following == "accept", f"default policy {policy}")
    check(policy.summary.pending_requests_count == 0, "nothing waits yet")
    held = friend.status_post(f"@{me.acct} a word in private", visibility="direct")
    request = wait_for(api.notification_requests, "a notification request")[0]
    check(request.account.id == you.id and request.last_status.id == held.id, f"the request: {request}")
    check(str(request.notifications_count) == "1", f"notifications_count {request.notifications_count}")
    check(api.notification_request(request.id).id == request.id, "one request")
    check(held.id not in [n.status.id for n in api.notifications(types=["mention"])], "held back")
    check(api.notifications_policy().summary.pending_notifications_count == 1, "the summary counts it")
    api.accept_notification_request(request)
    check(api.notifications_merged(), "merged")
    check(api.notification_requests() == [], "accepted")
    check(held.id in [n.status.id for n in api.notifications(types=["mention"])], "let through once accepted")

    changed = api.update_notifications_policy(for_not_following="drop", for_new_accounts="filter")
    check(changed.for_not_following == "drop" and changed.for_new_accounts == "filter", f"changed {changed}")
    api.update_notifications_policy(for_not_following="accept", for_new_accounts="accept")
    check(isinstance(api.notifications_unread_count().count, int), "unread count (v1, 4.3)")


def main(base_url, email, password, friend_email, friend_password):
    api = password_login(base_url, email, password)

    # Instance: Mastodon.py checks the version to decide which features it may use.
    instance = api.instance()
    check(instance.version.startswith("4.5.0"), f"version {instance.version}")
    check(api.verify_minimum_version("4.3.0", cached=False), "a 4.3+ server")
    check(api.instance_v1().uri == instance.domain, "v1 and v2 agree")
    nodeinfo = api.instance_nodeinfo()
    check(nodeinfo.software.name == "woolly", "NodeInfo names Woolly")

    me = api.account_verify_credentials()
    check(me.acct == email.split("@")[0] or "@" not in me.acct, f"acct {me.acct}")
    check(me.source.privacy == "public", "source.privacy")

    app = api.app_verify_credentials()
    check(app.name == "Woolly Mastodon.py test", f"app {app.name}")

    use_statuses(api, me)
    friend = password_login(base_url, friend_email, friend_password)
    use_social(api, friend, me)
    use_notification_policy(api, friend, me)

    second = authorization_code_login(base_url, email, password)
    check(second.account_verify_credentials().id == me.id, "the code flow signs in the same user")

    second.revoke_access_token(allow_http=True)
    try:
        second.account_verify_credentials()
    except MastodonUnauthorizedError:
        pass
    else:
        raise AssertionError("a revoked token still works")

    print("mastodon.py: all checks passed")


if __name__ == "__main__":
    main(*sys.argv[1:6])

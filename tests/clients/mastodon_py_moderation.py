"""Reports and account moderation through Mastodon.py, the real Python client library from PyPI: a
user reports a post, and a moderator handles the report and acts on the account with Mastodon.py's
admin methods.

Usage: mastodon_py_moderation.py BASE_URL USER_TOKEN MODERATOR_TOKEN TARGET_ACCOUNT_ID STATUS_ID

Run by crates/woolly/tests/clients.rs; exits non-zero (with a traceback) on the first behaviour
Mastodon.py does not accept.
"""

import sys

from mastodon import Mastodon, MastodonAPIError


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main(base_url, user_token, moderator_token, target_id, status_id):
    user = Mastodon(access_token=user_token, api_base_url=base_url)
    moderator = Mastodon(access_token=moderator_token, api_base_url=base_url)
    me = moderator.account_verify_credentials()

    report = user.report(target_id, status_ids=[status_id], comment="Selling things", category="spam")
    check(report.category == "spam", f"category {report.category}")
    check(str(report.target_account.id) == target_id, "the reported account")
    check([str(i) for i in report.status_ids] == [status_id], f"status ids {report.status_ids}")
    check(not report.action_taken, "a new report is open")

    try:
        user.admin_reports()
        raise AssertionError("a user read the reports")
    except MastodonAPIError as error:
        check("403" in str(error) or "not allowed" in str(error), f"refused: {error}")

    listed = moderator.admin_reports()
    check([r.id for r in listed] == [report.id], f"open reports {listed}")
    check(listed[0].account.email.endswith("@example.org"), "the reporter's address")
    check(listed[0].target_account.account.id == report.target_account.id, "the target")
    check([s.id for s in listed[0].statuses] == [report.status_ids[0]], "the attached post")

    check(moderator.admin_report_assign(report).assigned_account.id == me.id, "assigned to self")
    check(moderator.admin_report_unassign(report).assigned_account is None, "unassigned")
    resolved = moderator.admin_report_resolve(report)
    check(resolved.action_taken and resolved.action_taken_by_account.id == me.id, "resolved")
    check(len(moderator.admin_reports()) == 0, "no open report left")
    check([r.id for r in moderator.admin_reports(resolved=True)] == [report.id], "resolved reports")
    check(not moderator.admin_report_reopen(report).action_taken, "reopened")
    check(moderator.admin_report(report.id).id == report.id, "one report")

    # The moderators' accounts: listed with filters, acted on, each action undone.
    local = moderator.admin_accounts_v2(origin="local")
    check(str(target_id) in [str(a.id) for a in local], f"local accounts {local}")
    check(moderator.admin_account(target_id).suspended is False, "not suspended yet")
    moderator.admin_account_moderate(target_id, action="silence", report_id=report.id,
                                      text="Selling is not allowed here")
    check(moderator.admin_account(target_id).silenced, "silenced")
    check([str(a.id) for a in moderator.admin_accounts_v2(status="silenced")] == [str(target_id)],
          "the silenced accounts")
    check(moderator.admin_report(report.id).action_taken, "the action resolved the report")
    check(not moderator.admin_account_unsilence(target_id).silenced, "unsilenced")
    for action, undo, flag in [("suspend", moderator.admin_account_unsuspend, "suspended"),
                               ("sensitive", moderator.admin_account_unsensitive, "sensitized"),
                               ("disable", moderator.admin_account_enable, "disabled")]:
        moderator.admin_account_moderate(target_id, action=action, send_email_notification=False)
        check(getattr(moderator.admin_account(target_id), flag), f"{action}: {flag}")
        check(not getattr(undo(target_id), flag), f"{action} undone")
    try:
        user.admin_account_moderate(target_id, action="suspend")
        raise AssertionError("a user suspended an account")
    except MastodonAPIError as error:
        check("403" in str(error) or "not allowed" in str(error), f"refused: {error}")
    check(not moderator.admin_account(target_id).suspended, "the refusal changed nothing")
    print("mastodon.py moderation: all checks passed")


if __name__ == "__main__":
    main(*sys.argv[1:6])

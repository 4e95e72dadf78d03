"""Mastodon.py signs up on a Woolly server exactly as it would on Mastodon: `create_account`
(a client-credentials token, then POST /api/v1/accounts), its detailed errors, and the
confirmation resend of the signing app. Prints the new account's token on its last line.

Usage: python mastodon_py_sign_up.py BASE_URL USERNAME EMAIL PASSWORD
"""

import sys

from mastodon import Mastodon, MastodonAPIError


def check(condition, message):
    if not condition:
        raise SystemExit(f"mastodon.py sign-up: {message}")


def main(base_url, username, email, password):
    client_id, client_secret = Mastodon.create_app(
        "Woolly sign-up check", api_base_url=base_url, scopes=["read", "write", "follow", "push"]
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    token = api.create_account(username, password, email, agreement=True, locale="en")
    check(token, "no token")

    # Until the address is confirmed, the API refuses the new user with Mastodon's 403.
    try:
        api.account_verify_credentials()
        check(False, "an unconfirmed user used the API")
    except MastodonAPIError as error:
        check("confirmed e-mail address" in str(error), f"unexpected refusal: {error}")
    api.email_resend_confirmation()

    # The same name again: the detailed error says which field and why.
    other = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    none, error = other.create_account(
        username, password, "other-" + email, agreement=True, return_detailed_error=True
    )
    check(none is None, "a taken username got a token")
    check(error.details.username[0].error == "ERR_TAKEN", f"details: {error}")
    none, error = other.create_account(
        username + "x", "short", "third-" + email, agreement=False, return_detailed_error=True
    )
    check(error.details.password[0].error == "ERR_TOO_SHORT", f"details: {error}")
    check(error.details.agreement[0].error == "ERR_ACCEPTED", f"details: {error}")

    print("mastodon.py sign-up: all checks passed")
    print(token)


if __name__ == "__main__":
    main(*sys.argv[1:5])

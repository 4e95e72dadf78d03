"""Drives a Woolly server with Mastodon.py, the real Python client library from PyPI.

Usage: mastodon_py_client.py BASE_URL EMAIL PASSWORD

Run by crates/woolly/tests/clients.rs against a fresh server; exits non-zero (with a traceback)
on the first behaviour Mastodon.py does not accept. It covers what Woolly implements so far and
grows with it.
"""

import re
import sys

import requests
from mastodon import Mastodon, MastodonUnauthorizedError

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


def main(base_url, email, password):
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
    main(*sys.argv[1:4])

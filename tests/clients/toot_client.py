"""Drives a Woolly server with toot, the Mastodon command-line client from PyPI.

Usage: toot_client.py TOOT BASE_URL EMAIL PASSWORD

TOOT is the `toot` executable (crates/woolly/tests/clients.rs takes it from the virtual
environment that holds WOOLLY_TEST_PYTHON). Every command runs with HOME, XDG_CONFIG_HOME and
XDG_CACHE_HOME in a temporary directory, so that the login never touches the real user's toot
configuration. Exits non-zero on the first behaviour toot does not accept.
"""

import json
import os
import subprocess
import sys
import tempfile
from urllib.parse import urlparse


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Toot:
    def __init__(self, executable, home):
        self.executable = executable
        # toot reads options from TOOT_* variables too; none of the caller's may leak in.
        self.env = {name: value for name, value in os.environ.items() if not name.startswith("TOOT_")}
        self.env.update(
            HOME=home,
            XDG_CONFIG_HOME=os.path.join(home, "config"),
            XDG_CACHE_HOME=os.path.join(home, "cache"),
        )

    def run(self, *args):
        """Runs `toot ARGS…` with no terminal and returns its standard output."""
        done = subprocess.run(
            [self.executable, *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        check(
            done.returncode == 0,
            f"toot {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
        )
        return done.stdout

    def json(self, *args):
        return json.loads(self.run(*args, "--json"))


def main(executable, base_url, email, password):
    domain = urlparse(base_url).netloc
    with tempfile.TemporaryDirectory(prefix="woolly-toot-") as home:
        toot = Toot(executable, home)

        # login_cli is the password grant; an http:// base URL is kept as given.
        logged_in = toot.run("login_cli", "--instance", base_url, "--email", email, "--password", password)
        check("Successfully logged in" in logged_in, logged_in)
        check(os.path.isfile(os.path.join(home, "config", "toot", "config.json")), "config in the temporary home")

        me = toot.json("whoami")
        username = me["username"]
        check(me["acct"] == username, f"a local acct: {me['acct']}")
        check(f"@{username}" in toot.run("whoami"), "whoami names the user")
        check(f"{username}@{domain} ACTIVE" in toot.run("auth"), "auth lists the active account")
        instance = toot.run("instance")
        check(domain in instance and "4.5.0" in instance, f"instance:\n{instance}")

        unlisted = toot.json("post", "Hello from toot #toottest", "--visibility", "unlisted", "--spoiler-text", "cw")
        check(unlisted["visibility"] == "unlisted" and unlisted["spoiler_text"] == "cw", "status fields")
        check([tag["name"] for tag in unlisted["tags"]] == ["toottest"], "hashtag parsed")

        posted = toot.run("post", "A public post from toot")
        public_id = posted.strip().rsplit("/", 1)[-1]
        check(posted.startswith("Toot posted: ") and public_id.isdigit(), f"post:\n{posted}")
        # --reply-last reads the id toot cached (under XDG_CACHE_HOME) when it posted.
        reply = toot.json("post", "A reply from toot", "--reply-last")
        check(reply["in_reply_to_id"] == public_id, "--reply-last threads")

        home_timeline = toot.run("timeline", "--once")
        for text, status_id in (("A public post from toot", public_id), ("A reply from toot", reply["id"])):
            check(text in home_timeline and status_id in home_timeline, f"{text!r} in the home timeline:\n{home_timeline}")
        home_ids = [status["id"] for status in toot.json("timelines", "home", "--no-pager")]
        check(home_ids == [reply["id"], public_id, unlisted["id"]], f"home timeline, newest first: {home_ids}")
        public_ids = [status["id"] for status in toot.json("timelines", "public", "--local", "--no-pager")]
        check(public_ids == [reply["id"], public_id], f"unlisted posts stay off the public timeline: {public_ids}")

        thread = toot.run("thread", public_id)
        check("A public post from toot" in thread and "A reply from toot" in thread, f"thread:\n{thread}")

        for action in ("favourite", "reblog", "bookmark"):
            toot.run(action, public_id)
        status = toot.json("status", public_id)
        check(status["favourited"] and status["reblogged"] and status["bookmarked"], "favourite, reblog, bookmark")
        for action in ("unfavourite", "unreblog", "unbookmark"):
            toot.run(action, public_id)
        status = toot.json("status", public_id)
        check(not (status["favourited"] or status["reblogged"] or status["bookmarked"]), "undone")

        check("You have no notifications" in toot.run("notifications"), "no notifications for one's own actions")

        check("Status deleted" in toot.run("delete", reply["id"]), "delete")
        check(toot.json("whoami")["statuses_count"] == 2, "statuses_count follows posts and deletes")

    print("toot: all checks passed")


if __name__ == "__main__":
    main(*sys.argv[1:5])

"""Prints, as a JSON array, the e-mails found under a directory: a maildir that aiosmtpd's
Mailbox handler fills, or the .eml files Woolly writes when no SMTP server is configured.
Each message is decoded with Python's own e-mail parser (quoted-printable, base64, charsets),
so that tests read what a person's mail program would show.

Usage: python mailbox.py DIRECTORY
"""

import email
import email.policy
import json
import pathlib
import sys


def decoded(message):
    parts = {"text": "", "html": ""}
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            parts["text"] += part.get_content()
        elif kind == "text/html":
            parts["html"] += part.get_content()
    return parts


def main(directory):
    found = []
    for path in sorted(pathlib.Path(directory).rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        with open(path, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.default)
        if message["To"] is None:
            continue
        found.append(
            {
                "file": str(path),
                "to": str(message["To"]),
                "from": str(message["From"]),
                "subject": str(message["Subject"]),
                "auto_submitted": str(message["Auto-Submitted"]),
                **decoded(message),
            }
        )
    json.dump(found, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])

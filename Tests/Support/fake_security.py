#!/usr/bin/env python3
"""A stand-in for macOS `security`, for the keychain tests on Linux: only `security -i`, reading
commands on standard input as Apple's SecurityTool/security.c does (split_line: words separated by
blanks, "..." or '...' quoted, backslash escapes the next character; no prompt when standard input
is not a terminal; after a failing command `NAME: returned N` on standard error; the exit status is
the last command's result). Commands: add-generic-password [-U] -s SERVICE -a ACCOUNT [-l LABEL]
-w PASSWORD, find-generic-password -s SERVICE -a ACCOUNT -w, delete-generic-password -s SERVICE
-a ACCOUNT. Items live in the JSON file $FAKE_KEYCHAIN. When $FAKE_KEYCHAIN.locked exists every
command fails as a locked keychain does (also when $FAKE_KEYCHAIN_LOCKED is set); $FAKE_KEYCHAIN.nodelete makes deletions fail. Each argument
vector is appended to $FAKE_KEYCHAIN.argv, so a test can check that no secret was ever an argument."""
import json
import os
import sys

STORE = os.environ["FAKE_KEYCHAIN"]


def split_line(line):
    words, word, state, quote = [], None, "ws", None
    i = 0
    while i < len(line):
        c = line[i]
        if state == "ws":
            if c.isspace():
                i += 1
                continue
            word = ""
            if c in "\"'":
                quote, state = c, "quoted"
                i += 1
                continue
            state = "arg"
        if state == "arg":
            if c == "\\" and i + 1 < len(line):
                word += line[i + 1]
                i += 2
                continue
            if c.isspace():
                words.append(word)
                state = "ws"
            else:
                word += c
        elif state == "quoted":
            if c == "\\" and i + 1 < len(line):
                word += line[i + 1]
                i += 2
                continue
            if c == quote:
                words.append(word)
                state = "ws"
            else:
                word += c
        i += 1
    if state != "ws":
        words.append(word)
    return words


def load():
    try:
        with open(STORE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(items):
    with open(STORE, "w") as f:
        json.dump(items, f)


def options(argv, flags):
    found, i = {}, 1
    while i < len(argv):
        a = argv[i]
        if a in flags:
            found[a] = True
            i += 1
        else:
            found[a] = argv[i + 1] if i + 1 < len(argv) else None
            i += 2
    return found


def run(argv):
    if os.path.exists(STORE + ".locked") or os.environ.get("FAKE_KEYCHAIN_LOCKED"):
        sys.stderr.write("security: SecKeychainSearchCopyNext: User interaction is not allowed.\n")
        return 36
    items = load()
    name = argv[0]
    if name == "add-generic-password":
        o = options(argv, {"-U"})
        key = o["-s"] + "\0" + o["-a"]
        if key in items and "-U" not in o:
            sys.stderr.write("security: SecKeychainItemCreateFromContent: The specified item already exists in the keychain.\n")
            return 45
        items[key] = o["-w"]
        save(items)
        return 0
    if name == "find-generic-password":
        o = options(argv, {"-w", "-g"})
        key = o["-s"] + "\0" + o["-a"]
        if key not in items:
            sys.stderr.write("security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n")
            return 44
        sys.stdout.write(items[key] + "\n")
        return 0
    if name == "delete-generic-password":
        o = options(argv, set())
        key = o["-s"] + "\0" + o["-a"]
        if os.path.exists(STORE + ".nodelete") or key not in items:
            sys.stderr.write("security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n")
            return 44
        del items[key]
        save(items)
        return 0
    sys.stderr.write('security: unknown command "%s"\n' % name)
    return 1


def main():
    with open(STORE + ".argv", "a") as f:
        f.write(json.dumps(sys.argv) + "\n")
    if sys.argv[1:] != ["-i"]:
        sys.stderr.write("fake security: only -i is implemented\n")
        return 2
    result = 0
    for line in sys.stdin:
        words = split_line(line.rstrip("\n"))
        if not words:
            continue
        result = run(words)
        if result:
            sys.stderr.write("%s: returned %d\n" % (words[0], result))
    return result


sys.exit(main())

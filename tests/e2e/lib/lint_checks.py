#!/usr/bin/python3
"""Refuse e2e checks that cannot fail.

Usage: lint_checks.py SCRIPT...   prints one line per shape found, exit 1 if any.

A check is a command that starts with `check` or `status` (tests/e2e/lib/tap.bash).
Three shapes assert less than they say:
  check "x" A && B      B runs outside check: its result is ignored
  check "x" A || B      the same; a pipe or `;` after a check is no better
  check "x" sh -c "test $? ...; B"   $? is the new shell's, and every
                        statement of the script but the last is ignored
Several conditions go in one check with --and:  check "x" A --and B.
"""
import sys

OPS = ("&&", "||", ";;", ";", "|", "&", "\n", "(", ")")


def tokens(src):
    """Split shell source into (kind, text, raw, line) tokens: kind 'w' for a
    word (text with quotes removed, raw as written), 'op' for an operator.
    Quotes, backslashes, $(...), ${...}, comments, line continuations and
    here-documents are followed well enough for our test scripts."""
    i, line, n = 0, 1, len(src)
    heredocs = []
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] == "\n":
            i += 2
            line += 1
            continue
        if c in " \t\r":
            i += 1
            continue
        if c == "#":
            while i < n and src[i] != "\n":
                i += 1
            continue
        if c == "\n":
            yield ("op", "\n", "\n", line)
            i += 1
            line += 1
            for delim in heredocs:  # skip each here-document's body
                while i < n:
                    j = src.find("\n", i)
                    j = n if j < 0 else j
                    body = src[i:j].strip()
                    i = j + 1
                    line += 1
                    if body == delim:
                        break
            heredocs = []
            continue
        if src.startswith("<<", i) and not src.startswith("<<<", i):
            i += 2
            if i < n and src[i] == "-":
                i += 1
            while i < n and src[i] in " \t":
                i += 1
            j = i
            while j < n and src[j] not in " \t\n;|&)":
                j += 1
            heredocs.append(src[i:j].strip("'\""))
            i = j
            continue
        op = next((o for o in OPS if src.startswith(o, i)), None)
        if op:
            yield ("op", op, op, line)
            i += len(op)
            continue
        start, text, start_line = i, [], line
        while i < n and src[i] not in " \t\r\n;|&()":
            c = src[i]
            if c == "\\" and i + 1 < n:
                if src[i + 1] == "\n":
                    line += 1
                else:
                    text.append(src[i + 1])
                i += 2
            elif c in "<>" and src[i + 1:i + 2] == "&":
                text.append(c + "&")
                i += 2
            elif c == "'":
                j = src.index("'", i + 1)
                text.append(src[i + 1:j])
                line += src.count("\n", i, j)
                i = j + 1
            elif c == '"':
                j, buf = i + 1, []
                while src[j] != '"':
                    if src[j] == "\\" and src[j + 1] in '"\\$`\n':
                        buf.append(src[j + 1] if src[j + 1] != "\n" else "")
                        j += 2
                    else:
                        buf.append(src[j])
                        j += 1
                text.append("".join(buf))
                line += src.count("\n", i, j)
                i = j + 1
            elif src.startswith("$(", i) or src.startswith("${", i):
                close = ")" if src[i + 1] == "(" else "}"
                depth, j = 0, i + 1
                while True:
                    if src[j] in "({":
                        depth += 1
                    elif src[j] in ")}":
                        depth -= 1
                        if depth == 0:
                            break
                    elif src[j] == "'" and close == ")":
                        j = src.index("'", j + 1)
                    j += 1
                text.append(src[i:j + 1])
                line += src.count("\n", i, j)
                i = j + 1
            else:
                text.append(c)
                i += 1
        yield ("w", "".join(text), src[start:i], start_line)


def statements(toks):
    """Group tokens into simple commands, each with the operator after it."""
    cur = []
    for t in toks:
        if t[0] == "op":
            if cur:
                yield cur, t[1]
            cur = []
        else:
            cur.append(t)
    if cur:
        yield cur, "\n"


OPENERS = {"for", "while", "until", "if", "case", "{"}
CLOSERS = {"done", "fi", "esac", "}"}


def script_problem(script):
    """What is wrong with an sh -c script used as a check, or None."""
    lists, depth, join = [], 0, False  # the script's top-level and-or lists, as word lists
    for cmd, after in statements(tokens(script)):
        words = [w[1] for w in cmd]
        if depth == 0 and not join:
            lists.append([])
        lists[-1] += words
        if words and words[0] in OPENERS:
            depth += 1
        depth -= sum(w in CLOSERS for w in words)
        join = after in ("&&", "||", "|")
    if lists and any("$?" in w for w in lists[0]):
        return "its script reads $? first, the status of nothing (sh -c starts a new shell)"
    for k in range(len(lists) - 1):
        if not any("$?" in w for w in lists[k + 1]):
            return ("its script ignores the status of '%s' (statements are joined with ';' or a line break);"
                    " join them with &&" % " ".join(lists[k])[:60])
    return None


def lint(path):
    src = open(path).read()
    found = []
    for cmd, after in statements(tokens(src)):
        if cmd[0][1] not in ("check", "status") or after == "(":
            continue
        line = cmd[0][3]
        if after in ("&&", "||", "|", ";", "&"):
            found.append("%s:%d: '%s' after a check runs outside it, unasserted; use --and" % (path, line, after))
        words = [w[1] for w in cmd]
        if len(words) < 3:
            found.append("%s:%d: a check with no command asserts nothing" % (path, line))
        for k, w in enumerate(words[:-2]):
            if w in ("sh", "bash") and words[k + 1] == "-c":
                why = script_problem(words[k + 2])
                if why:
                    found.append("%s:%d: %s" % (path, line, why))
    return found


if __name__ == "__main__":
    problems = [p for f in sys.argv[1:] for p in lint(f)]
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)

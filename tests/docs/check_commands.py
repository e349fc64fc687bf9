#!/usr/bin/env python3
"""Keeps the French guides true to the commands they document.

Reads docs/guide-utilisateur.md, docs/guide-administrateur.md and docs/installers.md (when
present), takes every command line of their shell code blocks (```sh, ```bash, ```shell,
```console or a bare ```) that runs `crm` or `crm-server` (also after `sudo`, `env
VAR=value`, `podman exec NAME`, or in a pipeline such as `echo '…' | crm login …`), and
checks it against the built binaries:

  * the subcommand path exists: starting from the binary, the next word is appended while
    `<bin> <path> <word> --help` succeeds; a word refused where the help lists commands is
    an unknown subcommand;
  * every `--option` of the line appears in the help of the level it is written at
    (options before the subcommand in the binary's help, the others in the last
    subcommand's help).

Usage: tests/docs/check_commands.py [BIN_DIR]
  BIN_DIR holds the built `crm` and `crm-server` (default: $CARGO_TARGET_DIR/debug, or
  target/debug). Each failure is printed as `FILE:LINE: command: reason`; the last line is
  `guides: N commands checked, M failed`; the exit status is 1 on any failure.

Only the Python standard library is used.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUIDES = ("docs/guide-utilisateur.md", "docs/guide-administrateur.md", "docs/installers.md")
BINARIES = ("crm", "crm-server")
SHELL_LANGUAGES = {"", "sh", "bash", "shell", "console", "shell-session"}
SEPARATORS = {"|", "||", "&&", ";", "&"}
REDIRECTIONS = re.compile(r"^(\d?>>?|<|\d?>&\d|&>)")
OPTION = re.compile(r"^--([A-Za-z0-9][A-Za-z0-9-]*)")


@dataclass
class Command:
    """One command line of a guide: where it is, and its words."""

    path: str
    line: int
    text: str
    words: list[str]


# ---------------------------------------------------------------------------------------
# Reading the guides
# ---------------------------------------------------------------------------------------


def shell_lines(text: str) -> list[tuple[int, str]]:
    """The logical lines of the shell code blocks, with the number of their first line;
    a line ending in a backslash goes on with the next one."""
    lines: list[tuple[int, str]] = []
    in_block = False
    shell = False
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        fence = re.match(r"^(`{3,}|~{3,})\s*([\w+-]*)", stripped)
        if fence:
            if not in_block:
                in_block, shell = True, fence.group(2).lower() in SHELL_LANGUAGES
            else:
                in_block = False
                if pending:
                    lines.append(pending)
                    pending = None
            continue
        if not in_block or not shell:
            continue
        if pending:
            start, head = pending
            body = head + " " + stripped
        else:
            start, body = number, stripped
        if body.endswith("\\"):
            pending = (start, body[:-1].rstrip())
        else:
            pending = None
            lines.append((start, body))
    return lines


def words_of(line: str) -> list[str]:
    """The words of a shell line as the shell would cut them (quotes removed, `$(…)` kept
    whole), the separators `|`, `&&`, `;`… as words of their own, comments left out."""
    words: list[str] = []
    word = ""
    has_word = False
    quote = ""
    depth = 0
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"' and i + 1 < len(line):
                i += 1
                word += line[i]
            else:
                word += c
        elif depth:
            word += c
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
        elif c in "'\"":
            quote, has_word = c, True
        elif c == "\\" and i + 1 < len(line):
            i += 1
            word, has_word = word + line[i], True
        elif c == "$" and line[i + 1 : i + 2] == "(":
            word, has_word, depth = word + "$(", True, 1
            i += 1
        elif c == "#" and not has_word:
            break
        elif c.isspace():
            if has_word:
                words.append(word)
            word, has_word = "", False
        elif c in "|&;":
            if has_word:
                words.append(word)
            doubled = line[i : i + 2] in ("||", "&&")
            words.append(line[i : i + 2] if doubled else c)
            i += 1 if doubled else 0
            word, has_word = "", False
        else:
            word, has_word = word + c, True
        i += 1
    if has_word:
        words.append(word)
    return words


def commands_in(line: str) -> list[list[str]]:
    """The `crm` and `crm-server` commands of one shell line, each as its words (what
    comes before them on the line, `sudo -u crm-server`, `env A=b` or `podman exec NAME`,
    taken away)."""
    found: list[list[str]] = []
    segment: list[str] = []
    for word in words_of(line) + [";"]:
        if word not in SEPARATORS:
            segment.append(word)
            continue
        command = strip_prefix(segment)
        if command and command[0] in BINARIES:
            found.append(command)
        segment = []
    return found


def strip_prefix(words: list[str]) -> list[str]:
    """The command after `sudo` (and its options), `podman exec`/`docker exec` and their
    container, `env`, `time`, `exec` and `VAR=value` assignments; the words up to a
    redirection."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("sudo", "doas"):
            i += 1
            while i < len(words) and words[i].startswith("-"):
                takes_value = words[i] in ("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U")
                i += 2 if takes_value else 1
        elif word in ("podman", "docker") and words[i + 1 : i + 2] == ["exec"]:
            # `podman exec [-it] [-e VAR=x] CONTAINER crm-server …`
            i += 2
            while i < len(words) and words[i].startswith("-"):
                takes_value = words[i] in ("-e", "--env", "-u", "--user", "-w", "--workdir")
                i += 2 if takes_value else 1
            i += 1
        elif word in ("env", "time", "exec", "command", "nohup"):
            i += 1
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word):
            i += 1
        else:
            break
    command: list[str] = []
    for word in words[i:]:
        if REDIRECTIONS.match(word):
            break
        command.append(word)
    return command


def guide_commands(root: str) -> list[Command]:
    commands: list[Command] = []
    for path in GUIDES:
        full = os.path.join(root, path)
        if not os.path.exists(full):
            continue
        with open(full, encoding="utf-8") as file:
            text = file.read()
        for number, line in shell_lines(text):
            for words in commands_in(line):
                commands.append(Command(path, number, shlex.join(words), words))
    return commands


# ---------------------------------------------------------------------------------------
# Asking the binaries
# ---------------------------------------------------------------------------------------


class Binaries:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.env = dict(os.environ, LANG="C", LC_ALL="C", NO_COLOR="1", TERM="dumb")

    @lru_cache(maxsize=None)
    def help(self, path: tuple[str, ...]) -> str | None:
        """The help text of `path` (binary then subcommands), or None when refused."""
        binary = os.path.join(self.directory, path[0])
        try:
            done = subprocess.run(
                [binary, *path[1:], "--help"],
                capture_output=True,
                text=True,
                timeout=30,
                env=self.env,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None


def lists_commands(help_text: str) -> bool:
    """Whether a help text offers subcommands (clap's « Commands: » section)."""
    return re.search(r"^(Commands|Subcommands):", help_text, re.MULTILINE) is not None


def accepts(help_text: str, option: str) -> bool:
    return re.search(rf"(^|[\s,\[]){re.escape(option)}(?![A-Za-z0-9-])", help_text) is not None


def takes_value(help_text: str, option: str) -> bool:
    """Whether clap shows the option with a value (`--to <TO>`, `--to=<TO>`)."""
    return re.search(rf"{re.escape(option)}[ =]\[?<", help_text) is not None


def check(command: Command, binaries: Binaries) -> list[str]:
    """What is wrong with one command: an empty list when it holds."""
    problems: list[str] = []
    path = (command.words[0],)
    current = binaries.help(path)
    if current is None:
        return [f"`{command.words[0]} --help` fails (is the binary in {binaries.directory}?)"]
    rest = command.words[1:]
    i = 0
    walking = True
    while i < len(rest):
        word = rest[i]
        option = OPTION.match(word.lstrip("["))
        if option:
            name = "--" + option.group(1)
            if name in ("--help", "--version"):
                pass
            elif not accepts(current, name):
                problems.append(f"`{' '.join(path)}` has no option {name}")
            elif walking and "=" not in word and takes_value(current, name):
                i += 1  # its value is not a subcommand
            i += 1
            continue
        if walking and lists_commands(current):
            candidate = binaries.help(path + (word,))
            if candidate is None:
                # The options of an unknown subcommand cannot be checked: this is the
                # one problem to tell.
                return problems + [f"`{' '.join(path)}` has no subcommand « {word} »"]
            else:
                path, current = path + (word,), candidate
        else:
            walking = False
        i += 1
    return problems


def main(argv: list[str]) -> int:
    default = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "debug")
    directory = os.path.abspath(argv[1] if len(argv) > 1 else default)
    binaries = Binaries(directory)
    commands = guide_commands(ROOT)
    failed = 0
    for command in commands:
        problems = check(command, binaries)
        if problems:
            failed += 1
            for problem in problems:
                print(f"{command.path}:{command.line}: {command.text}\n    {problem}")
    print(f"guides: {len(commands)} commands checked, {failed} failed")
    return 1 if failed or not commands else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The command line's own words in Vietnamese: Typer's panel titles and markers, the help option, and the
messages of a mistyped command line ('Missing argument', 'No such command'), which Typer prints in English; and the
switch to English for a run with ``--lang en`` or ``MTQG_LANG=en`` (Typer's words as Typer has them, the help
texts from :mod:`.english`).

Typer keeps these as module constants and literal messages; they are set here when the application is built, and
set again for the language of each run (:class:`MtqgGroup`). A message not in the table is shown as Typer wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Tham số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "ABORTED_TEXT": "Đã dừng.",
    "DEFAULT_STRING": "[mặc định: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "DEPRECATED_STRING": "(không dùng nữa) ",
    "ENVVAR_STRING": "[biến môi trường: {}]",
    "RICH_HELP": "Xem hướng dẫn: [blue]'{command_path} {help_option}'[/]",
}
HELP_OPTION = "Hiện hướng dẫn này rồi thoát."

# (pattern of Typer's English message, the Vietnamese) — applied in order, on the whole message
MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Missing argument '([^']+)'\."), r"Thiếu tham số «\1»."),
    (re.compile(r"Missing option '([^']+)'(?: / '([^']+)')?\."), r"Thiếu tùy chọn «\1»."),
    (re.compile(r"Missing parameter: (\S+)"), r"Thiếu tham số «\1»."),
    (re.compile(r"No such command '([^']+)'\."), r"Không có lệnh «\1»."),
    (re.compile(r"No such option: (\S+)"), r"Không có tùy chọn «\1»."),
    (re.compile(r"Did you mean ([^?]+)\?"), r"Có phải là \1?"),
    (re.compile(r"\(Possible options: ([^)]+)\)"), r"(Các tùy chọn gần giống: \1)"),
    (re.compile(r"Got unexpected extra arguments? \(([^)]*)\)"), r"Thừa tham số: \1."),
    (re.compile(r"Invalid value for (.+?): (.+)"), r"Giá trị không hợp lệ cho \1: \2"),
    (re.compile(r"Value error, "), ""),
    (re.compile(r"'([^']*)' is not one of (.+)\."), r"«\1» không phải một trong các giá trị: \2."),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"Tùy chọn «\1» cần một giá trị."),
    (re.compile(r"Path '([^']+)' does not exist\."), r"Không có đường dẫn «\1»."),
]


# The type shown beside each option in --help, in words an officer reads (a flag shows none)
TYPES = {
    "<list[Path]>": "<tệp, thư mục…>",
    "<list[path]>": "<tệp, thư mục…>",
    "<Path>": "<đường dẫn>",
    "<path>": "<đường dẫn>",
    "<str>": "<chữ>",
    "<int>": "<số>",
    "<float>": "<số>",
    "<list[str]>": "<chữ…>",
}


TYPES_EN = {
    "<list[Path]>": "<files, folders…>",
    "<list[path]>": "<files, folders…>",
    "<Path>": "<path>",
    "<str>": "<text>",
    "<int>": "<number>",
    "<float>": "<number>",
    "<list[str]>": "<text…>",
}

_STATE: dict[str, Any] = {"lang": "vi", "english": {}}


def run_language(args: list[str]) -> str:
    """The language of a run: its ``--lang`` option wherever it stands, else ``MTQG_LANG``, else Vietnamese."""
    import os

    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args):
            return "en" if args[k + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "en" if os.environ.get("MTQG_LANG", "").strip().lower() == "en" else "vi"


def use(lang: str) -> None:
    """Typer's own words in ``lang`` for what this process prints next."""
    import typer.rich_utils as rich_utils

    install()
    _STATE["lang"] = lang
    for name, text in WORDS.items():
        setattr(rich_utils, name, text if lang == "vi" else _STATE["english"][name])


def translate(message: str) -> str:
    for pattern, vi in MESSAGES:
        message = pattern.sub(vi, message)
    return message


def install() -> None:
    """Typer's words in Vietnamese for this process (idempotent)."""
    import typer.rich_utils as rich_utils
    from typer._click import decorators

    for name, text in WORDS.items():
        _STATE["english"].setdefault(name, getattr(rich_utils, name))
        if _STATE["lang"] == "vi":
            setattr(rich_utils, name, text)
    if not getattr(decorators.help_option, "_vietnamese", False):
        decorators.help_option = _help_option(decorators.help_option)
    import typer.core as core
    from typer._click import formatting

    if not getattr(formatting.HelpFormatter.write_usage, "_vietnamese", False):
        formatting.HelpFormatter.write_usage = _write_usage(formatting.HelpFormatter.write_usage)  # type: ignore[method-assign]
    rich_utils.OptionHighlighter.highlights = [
        *[h for h in rich_utils.OptionHighlighter.highlights if "usage" not in h],
        r"(?P<usage>Cách dùng: )",
    ]

    for cls in (core.TyperArgument, core.TyperOption):
        if not getattr(cls.display_type_rich, "_vietnamese", False):
            cls.display_type_rich = _display_type(cls.display_type_rich)  # type: ignore[method-assign]
    if not getattr(rich_utils.rich_format_error, "_vietnamese", False):
        rich_utils.rich_format_error = _format_error(rich_utils.rich_format_error)  # type: ignore[assignment]


def _help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = original(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            if _STATE["lang"] == "vi":
                command.params[-1].help = HELP_OPTION
            return command

        return apply

    help_option._vietnamese = True  # type: ignore[attr-defined]
    return help_option


def _format_error(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def rich_format_error(error: Any) -> None:
        english = error.format_message()
        if _STATE["lang"] == "vi":
            error.format_message = lambda: translate(english)
        original(error)

    rich_format_error._vietnamese = True  # type: ignore[attr-defined]
    return rich_format_error


def _display_type(original: Callable[..., Any]) -> Callable[..., Any]:
    def display_type_rich(self: Any, ctx: Any) -> str | None:
        shown = original(self, ctx)
        if shown is None or shown in ("<bool>", "<boolean>"):
            return None
        return (TYPES if _STATE["lang"] == "vi" else TYPES_EN).get(str(shown), shown)

    display_type_rich._vietnamese = True  # type: ignore[attr-defined]
    return display_type_rich


def _write_usage(original: Callable[..., Any]) -> Callable[..., Any]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if _STATE["lang"] == "en":
            return original(self, prog, args, prefix)
        for english, vi in (("[OPTIONS]", "[TÙY CHỌN]"), ("COMMAND", "LỆNH"), ("[ARGS]", "[THAM SỐ]")):
            args = args.replace(english, vi)
        original(self, prog, args, "Cách dùng: " if prefix is None else prefix)

    write_usage._vietnamese = True  # type: ignore[attr-defined]
    return write_usage


def help_in(command: Any, lang: str, path: str = "") -> None:
    """The help of ``command``, its options and its subcommands in ``lang``: Vietnamese is the text written beside
    each command; another language's comes from its catalogue (English: :mod:`.english`)."""
    from .english import help_en

    find = {"en": help_en}.get(lang)
    if find is None:
        return
    text = find(path)
    if text is not None:
        command.help = text
        command.short_help = None
    for param in command.params:
        text = find(path, param.name)
        if text is not None and hasattr(param, "help"):
            param.help = text
    for name, sub in (getattr(command, "commands", None) or {}).items():
        help_in(sub, lang, f"{path} {name}".strip())


def language_group() -> type:
    """The root command's class: sets the run's language before anything is parsed or printed."""
    from typer.core import TyperGroup

    class MtqgGroup(TyperGroup):
        def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
            import sys

            words = list(sys.argv[1:] if args is None else args)
            lang = run_language(words)
            use(lang)
            help_in(self, lang)
            return super().main(words, *rest, **extra)

    return MtqgGroup

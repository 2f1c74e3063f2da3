#!/usr/bin/env python3
"""
Checks that the argument tests cover the whole public C API: every function exported by native/include/abr/*.h
is called in an ABR_EXPECT_* check (test_expect.h) of some native/test/*_test.c, and every pointer parameter of
every function is given NULL in at least one of those checks. Run by hand (not by the build):

    python3 native/test/api_arguments_coverage.py

Exit code 0 when everything is covered, 1 otherwise (the gaps are listed).
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADERS = sorted((ROOT / "include" / "abr").glob("*.h"))
TESTS = sorted((ROOT / "test").glob("*_test.c"))

# Parameters that are passed through untouched, never dereferenced: NULL is always fine and proves nothing. The
# assemblers' handlers are the exception: their clientd is the assembler.
PASS_THROUGH = re.compile(r"\bvoid\s*\*\s*\w*clientd$")
CLIENTD_IS_HANDLE = re.compile(r"_assembler_handler$")
# Callback typedefs are pointers too.
CALLBACK_TYPE = re.compile(r"\babr_\w+_(handler|consumer|func)_t\b")


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def split_top_level(text):
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def public_functions():
    functions = {}
    for header in HEADERS:
        text = " ".join(strip_comments(header.read_text()).split())
        for match in re.finditer(r"ABR_EXPORT\s+([^;(]*?)\b(abr_\w+)\s*\(([^;]*?)\)\s*;", text):
            name, params = match.group(2), match.group(3).strip()
            params = [] if params in ("", "void") else split_top_level(params)
            pointers = [
                i for i, p in enumerate(params)
                if ("*" in p or CALLBACK_TYPE.search(p))
                and (not PASS_THROUGH.search(p) or CLIENTD_IS_HANDLE.search(name))]
            functions[name] = (header.name, params, pointers)
    return functions


def expectations():
    """(function, [argument texts], file) for every ABR_EXPECT_* check in the tests."""
    found = []
    for test in TESTS:
        text = strip_comments(test.read_text())
        for match in re.finditer(r"\bABR_EXPECT_[A-Z_]+\(\s*(abr_\w+)\s*,\s*\(", text):
            start = match.end() - 1
            depth = 0
            for end in range(start, len(text)):
                if text[end] == "(":
                    depth += 1
                elif text[end] == ")":
                    depth -= 1
                    if depth == 0:
                        break
            found.append((match.group(1), split_top_level(text[start + 1:end]), test.name))
    return found


def main():
    functions = public_functions()
    checks = expectations()
    missing, unnulled, unknown = [], [], set()
    by_function = {}
    for name, args, test in checks:
        if name not in functions:
            unknown.add(name)
            continue
        by_function.setdefault(name, []).append((args, test))

    for name, (header, params, pointers) in sorted(functions.items()):
        calls = by_function.get(name, [])
        if not calls:
            missing.append(f"{header}: {name}")
            continue
        for index in pointers:
            if not any(len(args) == len(params) and args[index] == "NULL" for args, _ in calls):
                unnulled.append(f"{header}: {name}: parameter {index + 1} ({params[index]}) never NULL")

    files = sorted({test for _, _, test in checks})
    print(f"{len(functions)} public functions in {', '.join(h.name for h in HEADERS)}")
    print(f"{len(checks)} checks in {', '.join(files)}; {len(by_function)} functions checked")
    for line in missing:
        print("not checked:", line)
    for line in unnulled:
        print("not covered:", line)
    for name in sorted(unknown):
        print("checked but not public:", name)
    return 1 if missing or unnulled or unknown else 0


if __name__ == "__main__":
    sys.exit(main())

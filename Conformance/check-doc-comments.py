#!/usr/bin/env python3
"""Checks that every public declaration in Sources/ has a doc comment (`///` or a `/** */` block
on the lines above it, attributes allowed in between).

Protocol witnesses whose meaning the protocol already documents (`description`, `==`,
`hash(into:)`, Codable's `init(from:)`/`encode(to:)`, ArgumentParser's `run()`...) are exempt:
their documentation is the protocol's. Extensions are exempt; their members are not.

    Conformance/check-doc-comments.py [DIRECTORY...]   (default: Sources)
"""
import os
import re
import sys

WITNESS = re.compile(
    r"\b(var description\b|var debugDescription\b|var errorDescription\b|func hash\(into|static func ==|"
    r"static func <|init\(from decoder|func encode\(to encoder|func makeIterator\(\)|mutating func next\(\)|"
    r"var startIndex\b|var endIndex\b|func index\(after|subscript\(position|init\(integerLiteral|"
    r"init\(stringLiteral|init\(arrayLiteral|init\(dictionaryLiteral|init\(floatLiteral|init\(booleanLiteral|"
    r"init\(nilLiteral|init\?\(rawValue|var rawValue\b|func run\(\) (async )?throws|"
    r"static (let|var) configuration\b|func validate\(\) throws)")
MODIFIER = (r"(?:static|final|override|mutating|nonmutating|indirect|convenience|required|nonisolated|class|lazy|"
            r"private\(set\)|internal\(set\)|fileprivate\(set\)|weak|unowned|dynamic)")
DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:" + MODIFIER + r"\s+)*"
                         r"(func|var|let|init\??|subscript|struct|class|enum|protocol|typealias|actor|"
                         r"extension|associatedtype)\b")

missing = []
for root in sys.argv[1:] or ["Sources"]:
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(directory, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            for index, line in enumerate(lines):
                match = DECLARATION.match(line)
                if not match or match.group(1) == "extension" or WITNESS.search(line):
                    continue
                above = index - 1
                while above >= 0 and re.match(r"^\s*@\w+", lines[above]):
                    above -= 1
                previous = lines[above].strip() if above >= 0 else ""
                if not (previous.startswith("///") or previous.endswith("*/")):
                    missing.append(f"{path}:{index + 1}: {line.strip()}")
for entry in missing:
    print(entry)
print(f"{len(missing)} public declarations without a doc comment", file=sys.stderr)
sys.exit(1 if missing else 0)

#!/usr/bin/env python3
"""Checks the deployment files can't drift from the code, where no linter looks:

- every setting Leadgen reads (the names in Sources/App/Config) is listed in .env.example and the README;
- every Terraform file parses (python-hcl2), every `var.NAME` a module uses is declared in it, and every module
  call passes only variables the module declares and all those it requires (what `terraform validate` would
  say, for machines where its providers cannot be downloaded);
- every checkov skip in the deployment files gives its reason.

Run with a Python that has python-hcl2 (scripts/deploy-checks/lint sets one up); exits 1 on the first kind of
problem found, listing each.
"""
import glob
import os
import re
import sys

import hcl2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
problems = []


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def check_settings():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "Sources/App/Config/*.swift")):
        with open(path, encoding="utf-8") as handle:
            names.update(re.findall(r'value\("([A-Z][A-Z0-9_]+)"\)', handle.read()))
            handle.seek(0)
            names.update(re.findall(r'\("([A-Z][A-Z0-9_]+)", \\LeadgenConfig', handle.read()))
    # OpenTelemetry's settings are read where tracing is set up.
    for path in glob.glob(os.path.join(ROOT, "Sources/Telemetry/*.swift")):
        names.update(re.findall(r'"(OTEL_[A-Z0-9_]+)"', read(os.path.relpath(path, ROOT))))
    if len(names) < 20:
        problems.append(f"found only {len(names)} settings in Sources/App/Config: has the way they are read changed?")
    example = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", read(".env.example"), re.MULTILINE))
    readme = read("README.md")
    for name in sorted(names):
        if name not in example:
            problems.append(f".env.example does not list {name}")
        if f"`{name}`" not in readme:
            problems.append(f"the README's settings do not describe {name}")
    return len(names)


def load_module(directory):
    blocks = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.tf"))):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        try:
            handle_data = hcl2.loads(text)
        except Exception as error:  # the parser's errors have no common base class
            problems.append(f"{os.path.relpath(path, ROOT)}: does not parse: {error}")
            continue
        for kind, values in handle_data.items():
            blocks.setdefault(kind, []).extend(values)
        blocks.setdefault("__text__", []).append((path, text))
    return blocks


def declared_variables(blocks):
    variables = {}
    for block in blocks.get("variable", []):
        for name, body in block.items():
            variables[name.strip('"')] = "default" in body
    return variables


def check_terraform():
    modules = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(ROOT, "deploy/terraform/**/*.tf"), recursive=True)})
    for directory in modules:
        blocks = load_module(directory)
        variables = declared_variables(blocks)
        for path, text in blocks.get("__text__", []):
            for name in sorted(set(re.findall(r"\bvar\.([a-z_][a-z0-9_]*)", text))):
                if name not in variables:
                    problems.append(f"{os.path.relpath(path, ROOT)}: var.{name} is not declared in its module")
        for call in blocks.get("module", []):
            for name, body in call.items():
                source = body.get("source", "").strip('"')
                if not source.startswith("."):
                    continue
                target = os.path.normpath(os.path.join(directory, source))
                wanted = declared_variables(load_module(target))
                given = {key for key in body if not key.startswith("__")} - {
                    "source", "version", "providers", "depends_on", "count", "for_each"
                }
                where = f"{os.path.relpath(directory, ROOT)}: module {name.strip(chr(34))}"
                for key in sorted(given - wanted.keys()):
                    problems.append(f"{where} passes {key}, which {source} does not declare")
                for key in sorted(k for k, has_default in wanted.items() if not has_default and k not in given):
                    problems.append(f"{where} does not pass {key}, which {source} requires")
    return len(modules)


def check_skips():
    count = 0
    for pattern in ("Dockerfile", "deploy/**/*.tf", "deploy/**/*.yaml", ".github/workflows/*.yml"):
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    for match in re.finditer(r"checkov:skip=(CKV\w+)(?::(.*))?$|checkov\.io/skip\d+: (CKV\w+)(?:=(.*))?$", line):
                        count += 1
                        reason = (match.group(2) or match.group(4) or "").strip()
                        if len(reason) < 10:
                            problems.append(f"{os.path.relpath(path, ROOT)}:{number}: a checkov skip without its reason")
    return count


settings = check_settings()
modules = check_terraform()
skips = check_skips()
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"structure: {settings} settings documented; {modules} Terraform modules consistent; {skips} checkov skips with reasons")

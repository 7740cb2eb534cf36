"""Runs cfn-lint and checkov on synthesized CloudFormation templates and fails on any finding that
the skip file does not list. A skip names the tool's rule, the resources it applies to (logical-id
glob), optionally the environments, and why it is acceptable; a skip that no longer matches anything
is reported too, so the list cannot silently outlive its reason.
"""
import fnmatch
import glob
import json
import os
import subprocess
import sys

import yaml

CFN_LINT = "cfn-lint"
CHECKOV = "checkov"


def load_skips(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    skips = []
    for tool in (CFN_LINT, CHECKOV):
        for entry in data.get(tool) or []:
            for field in ("rule", "resources", "reason"):
                if not entry.get(field):
                    sys.exit(f"{path}: a {tool} skip lacks '{field}': {entry}")
            if len(str(entry["reason"]).strip()) < 20:
                sys.exit(f"{path}: the reason for {tool} {entry['rule']} is too short to explain anything")
            skips.append({**entry, "tool": tool, "used": 0})
    return skips


def environment_of(template):
    # cdk.out/assembly-<env>/<stack>.template.json
    return os.path.basename(os.path.dirname(template)).removeprefix("assembly-")


def allowed(skips, tool, rule, resource, env):
    for skip in skips:
        if skip["tool"] != tool or skip["rule"] != rule:
            continue
        if skip.get("environments") and env not in skip["environments"]:
            continue
        if any(fnmatch.fnmatchcase(resource or "", pattern) for pattern in skip["resources"]):
            skip["used"] += 1
            return True
    return False


def run_cfn_lint(bin_dir, template):
    result = subprocess.run([os.path.join(bin_dir, "cfn-lint"), "--format", "json", template], capture_output=True, text=True)
    if result.returncode not in (0, 2, 4, 6, 8, 10, 12, 14) and not result.stdout.strip():
        sys.exit(f"cfn-lint failed on {template}:\n{result.stderr}")
    findings = []
    for match in json.loads(result.stdout or "[]"):
        path = match.get("Location", {}).get("Path") or []
        resource = path[1] if len(path) > 1 and path[0] == "Resources" else None
        findings.append((match["Rule"]["Id"], resource, match["Message"]))
    return findings


def run_checkov(bin_dir, template):
    result = subprocess.run(
        [os.path.join(bin_dir, "checkov"), "--framework", "cloudformation", "-f", template, "-o", "json", "--quiet", "--compact", "--skip-download"],
        capture_output=True,
        text=True,
    )
    if not result.stdout.strip():
        sys.exit(f"checkov produced no report for {template}:\n{result.stderr}")
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    findings = []
    for r in reports:
        for failed in r.get("results", {}).get("failed_checks", []):
            resource = failed.get("resource", "").split(".", 1)[-1]
            findings.append((failed["check_id"], resource, failed.get("check_name", "")))
    return findings


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scan.py <cdk.out dir> <skips.yaml>")
    outdir, skips_path = sys.argv[1], sys.argv[2]
    skips = load_skips(skips_path)
    # The stages' assemblies only: staged assets (a service image's build context is the repository,
    # test fixtures included) hold templates that are not deployed.
    templates = sorted(glob.glob(os.path.join(outdir, "assembly-*", "*.template.json")))
    if not templates:
        sys.exit(f"iac-scan: no templates under {outdir}; run the synth first")
    bin_dir = os.path.dirname(sys.executable)

    failures = []
    counts = {CFN_LINT: [0, 0], CHECKOV: [0, 0]}  # [findings, skipped]
    for template in templates:
        env = environment_of(template)
        for tool, runner in ((CFN_LINT, run_cfn_lint), (CHECKOV, run_checkov)):
            for rule, resource, message in runner(bin_dir, template):
                counts[tool][0] += 1
                if allowed(skips, tool, rule, resource, env):
                    counts[tool][1] += 1
                else:
                    failures.append(f"{tool} {rule} {env}:{resource}: {message}")

    for tool, (found, skipped) in counts.items():
        print(f"iac-scan: {tool}: {len(templates)} templates, {found} findings, {skipped} skipped by {skips_path}, {found - skipped} failing")
    stale = [f"{s['tool']} {s['rule']} {s['resources']}" for s in skips if s["used"] == 0]
    for s in stale:
        failures.append(f"skip no longer matches any finding (remove it): {s}")
    if failures:
        print("iac-scan: FAILED\n  " + "\n  ".join(failures))
        return 1
    print("iac-scan: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

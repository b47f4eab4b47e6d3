"""The Containerfile's commands checked against the package: the entry point is the
package's console script, the user is not root, what it copies exists and is not left out
of the build context, and the config path and state folder are the manifests'."""
from __future__ import annotations

import re
import tomllib

from tests.deploy.recipes import ROOT, containerfile, exec_form, manifests, parses, pod


def test_the_entrypoint_is_the_packages_command():
    image = containerfile()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    (entry,) = image["ENTRYPOINT"]
    assert exec_form(entry) == ["jirasync"] and scripts["jirasync"] == "jirasync.cli:main"
    (cmd,) = image["CMD"]
    assert exec_form(cmd) == ["run"]
    parses(exec_form(cmd))
    assert any(re.fullmatch(r"pip install (--\S+ )*\.( .*)?", run) for run in image["RUN"])


def test_it_runs_as_the_user_it_makes_never_root():
    image = containerfile()
    (user,) = image["USER"]
    assert user.isdigit() and int(user) != 0
    (made,) = [run for run in image["RUN"] if run.startswith("useradd")]
    assert f"--uid {user}" in made and "--system" in made
    home = re.search(r"--home-dir (\S+)", made).group(1)
    assert image["WORKDIR"][-1] == home      # the state volume's mount point, its own


def test_what_it_copies_exists_and_is_in_the_build_context():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for copied in containerfile()["COPY"]:
        *sources, _ = copied.split()
        for path in sources:
            assert (ROOT / path).exists(), path
            assert path not in ignored, f"{path} is copied but .dockerignore leaves it out"


def test_its_paths_are_the_manifests():
    image = containerfile()
    env = dict(pair.split("=", 1) for line in image["ENV"] for pair in line.split())
    for kind, doc in manifests().items():
        (box,) = pod(doc)["containers"]
        mounts = {m["name"]: m["mountPath"] for m in box["volumeMounts"]}
        assert env["JIRASYNC_CONFIG"] == f"{mounts['config']}/jirasync.yaml", kind
        assert mounts["state"] == image["WORKDIR"][-1], kind
        assert box["image"].split(":")[0] == "jirasync", kind

"""The Kubernetes manifests as shipped: valid for Kubernetes, checked offline against its
OpenAPI schemas (``kubernetes-validate``, strict: an unknown field fails); the whole
releases folder mounted (no list of files, which would retire a release left out); the
image's user, config path and state folder where the Containerfile puts them; the README's
commands making the Secret and ConfigMaps the manifests read."""
from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from tests.deploy.recipes import (
    DEPLOY,
    containerfile,
    manifests,
    parses,
    pod,
    readme_section,
    shell_lines,
)

README = readme_section("A container, and Kubernetes")
KUBERNETES = "1.30.0"      # the oldest release still supported by its makers, late 2026


@pytest.mark.parametrize("path", sorted((DEPLOY / "kubernetes").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_the_manifest_is_valid_kubernetes(path):
    kv = pytest.importorskip("kubernetes_validate",
                             reason="kubernetes-validate is a test dependency: pip install "
                                    "'.[test]'")
    import yaml
    for doc in yaml.safe_load_all(path.read_text()):
        kv.validate(doc, KUBERNETES, strict=True)      # raises, saying what and where


def test_validation_can_fail():
    kv = pytest.importorskip("kubernetes_validate")
    doc = manifests()["CronJob"]
    bad = {**doc, "spec": {**doc["spec"], "concurrencyPolicy": "Forbid", "colour": "red"}}
    with pytest.raises(kv.ValidationError):
        kv.validate(bad, KUBERNETES, strict=True)


def _config_and_state() -> tuple[PurePosixPath, PurePosixPath]:
    image = containerfile()
    env = dict(pair.split("=", 1) for line in image["ENV"] for pair in line.split())
    return PurePosixPath(env["JIRASYNC_CONFIG"]), PurePosixPath(image["WORKDIR"][-1])


@pytest.mark.parametrize("kind", ["CronJob", "Deployment"])
def test_the_pod_runs_the_image_as_it_is_built(kind):
    doc = manifests()[kind]
    spec = pod(doc)
    (box,) = spec["containers"]
    parses(box["args"])
    config, state = _config_and_state()
    assert box["args"][box["args"].index("--config") + 1] == str(config)
    (user,) = containerfile()["USER"]
    assert spec["securityContext"] == {"runAsNonRoot": True, "runAsUser": int(user)}
    assert box["securityContext"]["readOnlyRootFilesystem"] is True
    mounts = {m["name"]: m for m in box["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert mounts["config"]["mountPath"] == str(config.parent)
    assert mounts["state"]["mountPath"] == str(state) and volumes["state"] == \
        {"name": "state", "emptyDir": {}}
    assert f"`state_dir: {state}/state`" in README        # writable: on the volume
    assert mounts["releases"]["mountPath"] in README      # the README's releases_dir
    assert f"`releases_dir: {mounts['releases']['mountPath']}`" in README
    env = {e["name"]: e for e in box["env"]}
    assert env["JIRA_API_TOKEN"]["valueFrom"]["secretKeyRef"] == \
        {"name": "jirasync-token", "key": "token"}


@pytest.mark.parametrize("kind", ["CronJob", "Deployment"])
def test_every_release_file_is_mounted(kind):
    """A ConfigMap mounted whole: each of its keys is a file, whatever its name."""
    for volume in pod(manifests()[kind])["volumes"]:
        for source in ("configMap", "secret", "projected"):
            assert "items" not in volume.get(source, {}), volume
            for part in volume.get(source, {}).get("sources", ()):
                assert "items" not in next(iter(part.values())), volume
    names = {v["name"]: v.get("configMap", {}).get("name")
             for v in pod(manifests()[kind])["volumes"]}
    assert names["releases"] == "jirasync-releases" and names["config"] == "jirasync-config"


def test_the_readme_makes_what_the_manifests_read():
    commands = shell_lines(README)
    assert "kubectl create configmap jirasync-releases --from-file=releases/" in commands
    assert "kubectl create configmap jirasync-config --from-file=jirasync.yaml" in commands
    assert any(c.startswith("kubectl create secret generic jirasync-token "
                            "--from-literal=token=") for c in commands)
    for kind, doc in manifests().items():
        assert doc["metadata"]["name"] == "jirasync", kind


def test_the_cronjob_never_overlaps_and_the_deployment_probes_health():
    cron, deployment = manifests()["CronJob"], manifests()["Deployment"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert "--once" in pod(cron)["containers"][0]["args"]
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    (box,) = pod(deployment)["containers"]
    port = box["ports"][0]["containerPort"]
    # Probes come from the kubelet, outside the pod's loopback: the daemon listens on the
    # pod's own address, which the downward API gives it.
    assert box["args"][box["args"].index("--listen") + 1] == f"$(POD_IP):{port}"
    (pod_ip,) = [e for e in box["env"] if e["name"] == "POD_IP"]
    assert pod_ip["valueFrom"] == {"fieldRef": {"fieldPath": "status.podIP"}}
    for probe in ("livenessProbe", "readinessProbe"):
        assert box[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
